//! The file's shapes as serde reads them, before validation.

use serde::de::{Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer};

use super::model::{
    Comparison, Denominator, KpiKind, ObtainedBy, PassMark, Publicity, Relatedness, SkillTest, TheoryExam,
};

/// A date as written in the file: a TOML local date (`2023-01-01`) or a string `"2023-01-01"`.
#[derive(Debug, Clone)]
pub(super) struct RawDate(pub(super) String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(RawDate(s)),
            toml::Value::Datetime(dt) => Ok(RawDate(dt.to_string())),
            other => {
                Err(D::Error::custom(format!("invalid type: {}, expected a date such as 2023-01-01", other.type_str())))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawMeta {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) jurisdiction: String,
    pub(super) jurisdiction_name_zh: String,
    pub(super) jurisdiction_name_en: String,
    pub(super) version: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    #[serde(default)]
    pub(super) sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLadder {
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) levels: IgnoredAny,
    pub(super) skilled_from_rank: u8,
    pub(super) high_skilled_from_rank: u8,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLevel {
    pub(super) rank: u8,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) grade_alias: Option<String>,
    pub(super) certificate_level_code: Option<u8>,
    pub(super) obtained_by: ObtainedBy,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDistrict {
    pub(super) code: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) group: String,
    pub(super) group_en: String,
    #[serde(default)]
    pub(super) aliases: Vec<String>,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawFormerDistrict {
    pub(super) code: String,
    pub(super) name_zh: String,
    pub(super) current: String,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndustry {
    pub(super) code: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawIndustrialSystem {
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) source: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) groups: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) sectors: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawGroup {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSector {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) group: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawChain {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) group: Option<String>,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKpi {
    pub(super) employed_statuses: Vec<String>,
    pub(super) denominator: Denominator,
    pub(super) source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawShortage {
    pub(super) thresholds: Vec<RawThreshold>,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawThreshold {
    pub(super) severity: String,
    pub(super) min_ratio: f64,
    pub(super) min_gap: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTarget {
    pub(super) id: String,
    pub(super) kpi: KpiKind,
    pub(super) comparison: Comparison,
    pub(super) value: f64,
    pub(super) due: RawDate,
    pub(super) district: Option<String>,
    pub(super) source: String,
    pub(super) note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEligibility {
    pub(super) related_occupation: Relatedness,
    pub(super) source: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) editions: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) occupation_editions: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEdition {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) rules: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRule {
    pub(super) id: String,
    pub(super) level: String,
    pub(super) text_zh: String,
    pub(super) text_en: String,
    pub(super) source: String,
    pub(super) review_zh: Option<String>,
    pub(super) review_en: Option<String>,
    pub(super) effective_from: Option<RawDate>,
    pub(super) effective_to: Option<RawDate>,
    #[allow(dead_code)]
    pub(super) all: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLevelYears {
    pub(super) level: String,
    pub(super) years: u32,
}

/// A condition as written: exactly one of the leading keys, plus the keys that go with it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCondition {
    pub(super) min_age: Option<u32>,
    pub(super) holds: Option<String>,
    pub(super) years: Option<u32>,
    pub(super) work_years: Option<u32>,
    pub(super) education: Option<Vec<String>>,
    pub(super) years_after_graduation: Option<u32>,
    pub(super) include_graduating: Option<bool>,
    pub(super) title: Option<String>,
    pub(super) work_years_after_level: Option<RawLevelYears>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawOccupationEdition {
    pub(super) occupation: String,
    pub(super) edition: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEvaluation {
    pub(super) pass_mark: PassMark,
    pub(super) theory_exam: TheoryExam,
    pub(super) skill_test: SkillTest,
    pub(super) comprehensive_review: RawReview,
    pub(super) publicity: Publicity,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReview {
    pub(super) levels: Vec<String>,
    pub(super) min_panel: u32,
    pub(super) odd_panel: bool,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCompetition {
    pub(super) source: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) promotions: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) awards: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) rewards: IgnoredAny,
    pub(super) entry: Option<RawEntry>,
}

/// `[competition.entry]`: who may enter.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawEntry {
    pub(super) min_age: u32,
    #[serde(default)]
    pub(super) retirement: Vec<RawRetirement>,
    #[serde(default)]
    pub(super) age_caps: Vec<RawAgeCap>,
    pub(super) source: String,
}

/// An age cap of some competitions.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAgeCap {
    pub(super) competitions: Vec<String>,
    pub(super) max_age: u32,
    pub(super) source: String,
}

/// A statutory retirement age with its gradual raise.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRetirement {
    pub(super) sex: String,
    pub(super) base_years: u32,
    /// `YYYY-MM`: the first birth month the raise applies to.
    pub(super) from_birth: String,
    pub(super) step_months: u32,
    pub(super) max_extra_months: u32,
}

/// One row of `[[competition.rewards]]`: `ranks`, `top_percent` or `award` (one of them).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReward {
    pub(super) id: String,
    pub(super) kind: String,
    pub(super) tier: String,
    pub(super) group: Option<String>,
    #[serde(default)]
    pub(super) competitions: Vec<String>,
    pub(super) ranks: Option<Vec<u32>>,
    pub(super) top_percent: Option<u32>,
    pub(super) award: Option<String>,
    pub(super) amount_yuan: Option<u32>,
    #[serde(default)]
    pub(super) employer_matches: bool,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
}

/// One row of the award table: exactly one of `ranks` and `top_percent`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawAward {
    pub(super) id: String,
    pub(super) tier: String,
    #[serde(default)]
    pub(super) competitions: Vec<String>,
    pub(super) award: String,
    pub(super) ranks: Option<Vec<u32>>,
    pub(super) top_percent: Option<u32>,
    pub(super) min_standardised: Option<u32>,
    pub(super) tie_margin: Option<u32>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
}

/// One row of the promotion table (以赛代评): exactly one of `ranks` and `top_percent`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPromotion {
    pub(super) id: String,
    pub(super) tier: String,
    pub(super) group: Option<String>,
    pub(super) ranks: Option<Vec<u32>>,
    pub(super) top_percent: Option<u32>,
    pub(super) award: String,
    pub(super) step_up_from: Option<String>,
    #[serde(default)]
    pub(super) competitions: Vec<String>,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApprenticeship {
    pub(super) source: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) rules: IgnoredAny,
}

/// One rule set of the enterprise new-type apprenticeship.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawApprenticeshipRule {
    pub(super) id: String,
    pub(super) min_contract_months: Option<u32>,
    pub(super) min_months: Option<u32>,
    pub(super) max_months: Option<u32>,
    pub(super) max_months_with_reason: Option<u32>,
    pub(super) target_levels: Vec<String>,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
}

/// `[[working_calendar]]`: one year of the State Council's holiday notice.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCalendarYear {
    pub(super) year: i32,
    /// Each a date or `[from, to]`.
    pub(super) holidays: Vec<RawDayOrRange>,
    #[serde(default)]
    pub(super) workdays: Vec<RawDate>,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
pub(super) enum RawDayOrRange {
    Range(Vec<RawDate>),
    Day(RawDate),
}

/// `[titles]`: the sections below it are read on their own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTitles {
    pub(super) source: String,
    pub(super) edition: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) correspondence: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) bridging: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCorrespondence {
    pub(super) series: String,
    #[serde(default)]
    pub(super) specialty: String,
    pub(super) occupations: Vec<String>,
    pub(super) source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBridge {
    pub(super) id: String,
    pub(super) series: String,
    pub(super) grade: String,
    pub(super) titles: Vec<String>,
    pub(super) text_zh: String,
    pub(super) text_en: String,
    pub(super) source: String,
    pub(super) review_zh: Option<String>,
    pub(super) review_en: Option<String>,
    pub(super) effective_from: Option<RawDate>,
    pub(super) effective_to: Option<RawDate>,
    #[allow(dead_code)]
    pub(super) all: IgnoredAny,
}

pub(super) struct RawBridgeEntry {
    pub(super) path: String,
    pub(super) route: RawBridge,
    pub(super) conditions: Entries<RawCondition>,
}

/// Entries read from the file, each with its key path.
pub(super) type Entries<T> = Vec<(String, T)>;

pub(super) struct RawRuleEntry {
    pub(super) path: String,
    pub(super) rule: RawRule,
    pub(super) conditions: Entries<RawCondition>,
}

pub(super) struct RawEditionEntry {
    pub(super) path: String,
    pub(super) edition: RawEdition,
    pub(super) rules: Vec<RawRuleEntry>,
}

#[derive(Default)]
pub(super) struct RawPolicy {
    pub(super) meta: Option<RawMeta>,
    pub(super) ladder: Option<RawLadder>,
    pub(super) levels: Entries<RawLevel>,
    pub(super) districts: Entries<RawDistrict>,
    pub(super) former: Entries<RawFormerDistrict>,
    pub(super) industries: Entries<RawIndustry>,
    pub(super) system: Option<RawIndustrialSystem>,
    pub(super) groups: Entries<RawGroup>,
    pub(super) sectors: Entries<RawSector>,
    pub(super) chains: Entries<RawChain>,
    pub(super) kpi: Option<RawKpi>,
    pub(super) targets: Entries<RawTarget>,
    pub(super) eligibility: Option<RawEligibility>,
    pub(super) editions: Vec<RawEditionEntry>,
    pub(super) occupation_editions: Entries<RawOccupationEdition>,
    pub(super) evaluation: Option<RawEvaluation>,
    pub(super) shortage: Option<RawShortage>,
    pub(super) competition: Option<RawCompetition>,
    pub(super) promotions: Entries<RawPromotion>,
    pub(super) awards: Entries<RawAward>,
    pub(super) rewards: Entries<RawReward>,
    pub(super) benefits: Option<RawBenefits>,
    pub(super) skill_upgrade: Option<RawSkillUpgrade>,
    pub(super) haihe_talent: Option<RawHaiheTalent>,
    pub(super) talent_routes: Entries<RawTalentRoute>,
    pub(super) budgets: Entries<RawBudget>,
    pub(super) apprenticeship: Option<RawApprenticeship>,
    pub(super) apprenticeship_rules: Entries<RawApprenticeshipRule>,
    pub(super) skill_allowance: Option<RawSkillAllowance>,
    pub(super) titles: Option<RawTitles>,
    pub(super) correspondence: Entries<RawCorrespondence>,
    pub(super) bridging: Vec<RawBridgeEntry>,
    pub(super) calendar: Entries<RawCalendarYear>,
}

/// `[benefits]`: the sections below it are read on their own.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBenefits {
    pub(super) source: String,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) skill_upgrade: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) haihe_talent: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) skill_allowance: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) budgets: IgnoredAny,
}

/// `[[benefits.budgets]]`: what a scheme may spend in a year, city-wide or in one district.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawBudget {
    pub(super) scheme: String,
    pub(super) year: i32,
    pub(super) district: Option<String>,
    pub(super) yuan: u64,
    pub(super) source: String,
}

/// `[benefits.skill_allowance]`: a monthly allowance by level held; the schedule may be empty.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSkillAllowance {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
    pub(super) inferred_from: Option<RawDate>,
    #[serde(default)]
    pub(super) monthly: Vec<RawLevelAmount>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLevelAmount {
    pub(super) level: String,
    pub(super) yuan: u32,
}

/// `[benefits.skill_upgrade]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSkillUpgrade {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
    pub(super) inferred_from: Option<RawDate>,
    pub(super) insurance_scheme: String,
    pub(super) insurance_months: u32,
    pub(super) claim_within_months: u32,
    pub(super) per_year: u32,
    pub(super) level_sources: Vec<String>,
    pub(super) amounts: Vec<RawLevelAmount>,
    pub(super) review_working_days: u32,
    pub(super) notice_working_days: u32,
}

/// `[benefits.haihe_talent]`; its rows are `[[benefits.haihe_talent.routes]]`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawHaiheTalent {
    pub(super) id: String,
    pub(super) name_zh: String,
    pub(super) name_en: String,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
    pub(super) inferred_from: Option<RawDate>,
    #[serde(default)]
    #[allow(dead_code)]
    pub(super) routes: IgnoredAny,
}

/// One row of the 海河英才 rule table for skilled workers.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTalentRoute {
    pub(super) id: String,
    pub(super) version: String,
    pub(super) education: Vec<String>,
    pub(super) min_level: Option<String>,
    pub(super) max_age: u32,
    pub(super) work_years: Option<u32>,
    pub(super) insurance_months: Option<u32>,
    pub(super) insurance_scheme: Option<String>,
    pub(super) effective_from: RawDate,
    pub(super) effective_to: Option<RawDate>,
    pub(super) source: String,
    pub(super) inferred_zh: Option<String>,
    pub(super) inferred_en: Option<String>,
}
