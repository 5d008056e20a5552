//! The validated policy model: what the rest of the crate reads.

use serde::{Deserialize, Serialize, Serializer};
use time::Date;

use super::condition::Condition;
use crate::dates::iso;
use crate::level::Level;
use crate::registry::EmploymentStatus;

/// A validated policy. Build it with [`Policy::from_toml_str`] or [`Policy::tianjin`].
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub meta: Meta,
    pub ladder: Ladder,
    pub districts: Vec<District>,
    pub former_district_codes: Vec<FormerDistrictCode>,
    pub industries: Vec<Industry>,
    pub industrial_system: Option<IndustrialSystem>,
    pub industrial_chains: Vec<IndustrialChain>,
    pub kpi: KpiDefinition,
    pub kpi_targets: Vec<KpiTarget>,
    pub eligibility: Eligibility,
    pub evaluation: Evaluation,
    /// `[shortage]`: the scale of the shortage list (紧缺程度); `None` when the file has none.
    pub shortage: Option<ShortageScale>,
    /// `[competition]`: promotion through competitions (以赛代评); empty when the file has none.
    pub competition: super::competition_rules::CompetitionRules,
    /// `[benefits]`: the incentive schemes (subsidies, settlement); empty when the file has none.
    pub benefits: super::benefits::BenefitSchemes,
    /// `[apprenticeship]`: the enterprise new-type apprenticeship's rules (企业新型学徒制); empty
    /// when the file has none.
    pub apprenticeship: super::apprenticeship::ApprenticeshipRules,
    /// `[titles]`: title correspondence and bridging (职称贯通); empty when the file has none.
    pub titles: super::titles::TitlePolicy,
    /// `[[working_calendar]]`: holidays and make-up working days per year; empty when none.
    pub calendar: super::calendar::WorkingCalendar,
}

/// `[shortage]`: how short a skill must be to enter the shortage list (急需紧缺职业目录), and at
/// which severity. See `supply::severity`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortageScale {
    /// Most severe first.
    pub thresholds: Vec<crate::supply::Threshold>,
    pub source: String,
}

/// `[meta]`: what this file is. Its dates describe the policy document; evaluation uses the
/// dates of editions and rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// GB/T 2260 code of the jurisdiction, e.g. `120000` for Tianjin.
    pub jurisdiction: String,
    /// The jurisdiction's name as users write it, e.g. 天津市 / Tianjin.
    pub jurisdiction_name_zh: String,
    pub jurisdiction_name_en: String,
    pub version: String,
    #[serde(serialize_with = "ser_date")]
    pub effective_from: Date,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub sources: Vec<String>,
}

/// How a level is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObtainedBy {
    /// Skill-level certification by a filed evaluation institution (职业技能等级认定).
    Exam,
    /// Graded by the employer against its own criteria (企业评定).
    Enterprise,
    /// A post the enterprise evaluates and appoints to (评聘结合).
    Appointment,
}

impl ObtainedBy {
    pub fn zh(self) -> &'static str {
        match self {
            ObtainedBy::Exam => "职业技能等级认定",
            ObtainedBy::Enterprise => "企业评定",
            ObtainedBy::Appointment => "评聘",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            ObtainedBy::Exam => "skill-level certification",
            ObtainedBy::Enterprise => "graded by the employer",
            ObtainedBy::Appointment => "evaluation and appointment",
        }
    }
}

/// One row of `[[ladder.levels]]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LadderLevel {
    pub level: Level,
    pub name_zh: String,
    pub name_en: String,
    /// The national grade name paired with the level, e.g. `三级` for 高级工.
    pub grade_alias: Option<String>,
    /// The skill-level digit of a national certificate number (5 = 初级工 … 1 = 高级技师).
    pub certificate_level_code: Option<u8>,
    pub obtained_by: ObtainedBy,
    pub source: String,
}

/// `[ladder]`: the eight-level ladder with its names. Always holds ranks 1..=8 exactly once,
/// in rank order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ladder {
    pub(super) levels: Vec<LadderLevel>,
    pub(super) skilled_from: Level,
    pub(super) high_skilled_from: Level,
    pub(super) source: Option<String>,
}

impl Ladder {
    /// The rows, lowest rank first.
    pub fn levels(&self) -> &[LadderLevel] {
        &self.levels
    }

    /// The lowest level that counts as skilled talent (技能人才).
    pub fn skilled_from(&self) -> Level {
        self.skilled_from
    }

    /// The lowest level that counts as high-skilled talent (高技能人才).
    pub fn high_skilled_from(&self) -> Level {
        self.high_skilled_from
    }

    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    pub fn row(&self, level: Level) -> Option<&LadderLevel> {
        let i = usize::from(level.rank()) - 1;
        match self.levels.get(i) {
            Some(row) if row.level == level => Some(row),
            _ => self.levels.iter().find(|r| r.level == level),
        }
    }

    /// Accepts the rank (`"4"`), the Chinese name (`"高级工"`), the grade alias (`"三级"`), both
    /// (`"三级/高级工"`, either order, `/` or `／`) and the English name in any case.
    /// Note that `"3"` is rank 3 (中级工) while `"三级"` is the grade alias of 高级工.
    pub fn parse_level(&self, s: &str) -> Option<Level> {
        parse_level_in(&self.levels, s)
    }

    pub fn name_zh(&self, level: Level) -> &str {
        self.row(level).map_or("", |r| r.name_zh.as_str())
    }

    pub fn name_en(&self, level: Level) -> &str {
        self.row(level).map_or("", |r| r.name_en.as_str())
    }

    /// `三级/高级工` where a grade alias exists, else the Chinese name (`学徒工`).
    pub fn display(&self, level: Level) -> String {
        match self.row(level) {
            Some(LadderLevel { grade_alias: Some(alias), name_zh, .. }) => format!("{alias}/{name_zh}"),
            Some(row) => row.name_zh.clone(),
            None => level.to_string(),
        }
    }

    pub fn is_skilled(&self, level: Level) -> bool {
        level >= self.skilled_from
    }

    pub fn is_high_skilled(&self, level: Level) -> bool {
        level >= self.high_skilled_from
    }

    pub fn certificate_level_code(&self, level: Level) -> Option<u8> {
        self.row(level).and_then(|r| r.certificate_level_code)
    }

    pub fn level_for_certificate_code(&self, code: u8) -> Option<Level> {
        self.levels.iter().find(|r| r.certificate_level_code == Some(code)).map(|r| r.level)
    }
}

pub(super) fn parse_level_in(rows: &[LadderLevel], s: &str) -> Option<Level> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let level = s.parse::<u8>().ok().and_then(Level::new)?;
        return rows.iter().find(|r| r.level == level).map(|r| r.level);
    }
    let (a, b) = match s.split_once(['/', '／']) {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (s, None),
    };
    rows.iter()
        .find(|r| {
            let alias = r.grade_alias.as_deref();
            match b {
                None => a == r.name_zh || a.eq_ignore_ascii_case(&r.name_en) || Some(a) == alias,
                Some(b) => alias.is_some_and(|al| (a == al && b == r.name_zh) || (a == r.name_zh && b == al)),
            }
        })
        .map(|r| r.level)
}

/// `[[districts]]`: a county-level division of the jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct District {
    /// GB/T 2260 code, 6 digits.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The group the city uses in statistics, e.g. 市内六区.
    pub group: String,
    pub group_en: String,
    /// Other names accepted on input, e.g. 滨海 for 滨海新区.
    pub aliases: Vec<String>,
    pub source: Option<String>,
}

/// `[[former_district_codes]]`: an abolished code that still appears in old files and identity
/// numbers, and the current district it maps to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormerDistrictCode {
    pub code: String,
    pub name_zh: String,
    /// Code of the current district.
    pub current: String,
    pub source: Option<String>,
}

/// `[[industries]]`: a section (门类) of GB/T 4754.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Industry {
    /// One uppercase letter, A–T in GB/T 4754-2017.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub source: Option<String>,
}

/// `[industrial_system]`: a city's industrial policy frame, e.g. Tianjin's "1+3+4".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustrialSystem {
    pub name_zh: String,
    pub name_en: String,
    pub source: String,
    pub groups: Vec<IndustryGroup>,
    pub sectors: Vec<IndustrialSector>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustryGroup {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustrialSector {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Id of an [`IndustryGroup`].
    pub group: String,
}

/// `[[industrial_chains]]`: a key industrial chain (重点产业链).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustrialChain {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Id of an [`IndustryGroup`], when the chain belongs to one.
    pub group: Option<String>,
    pub source: String,
}

/// Where the KPI denominator (employed persons) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// The statistics bureau's figure when one is loaded, else the registry count.
    OfficialStatisticsThenRegistry,
    OfficialStatistics,
    Registry,
}

/// `[kpi]`: how the KPIs are computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiDefinition {
    /// Employment statuses that count as employed persons.
    pub employed_statuses: Vec<EmploymentStatus>,
    pub denominator: Denominator,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    /// Skilled talent ÷ employed persons.
    SkilledShare,
    /// High-skilled talent ÷ skilled talent.
    HighSkilledShare,
}

impl KpiKind {
    pub fn zh(self) -> &'static str {
        match self {
            KpiKind::SkilledShare => "技能人才占就业人员比例",
            KpiKind::HighSkilledShare => "高技能人才占技能人才比例",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            KpiKind::SkilledShare => "skilled talent as a share of employed persons",
            KpiKind::HighSkilledShare => "high-skilled talent as a share of skilled talent",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    #[serde(rename = ">")]
    Greater,
    #[serde(rename = ">=")]
    GreaterOrEqual,
}

impl Comparison {
    pub fn holds(self, actual: f64, target: f64) -> bool {
        match self {
            Comparison::Greater => actual > target,
            Comparison::GreaterOrEqual => actual >= target,
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => "≥",
        }
    }
}

/// `[[kpi_targets]]`: a target a policy sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiTarget {
    pub id: String,
    pub kpi: KpiKind,
    pub comparison: Comparison,
    /// A fraction in (0, 1], e.g. 0.40.
    pub value: f64,
    #[serde(serialize_with = "ser_date")]
    pub due: Date,
    /// Current district code when the target is for one district; `None` for the whole city.
    pub district: Option<String>,
    pub source: String,
    pub note: Option<String>,
}

impl KpiTarget {
    pub fn is_met(&self, actual: f64) -> bool {
        self.comparison.holds(actual, self.value)
    }
}

/// What "a related occupation" (相关职业) means when a rule counts this or a related occupation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relatedness {
    /// Only the same occupation code.
    SameOccupation,
    /// The same minor group (小类), i.e. the same `D-DD-DD` prefix.
    SameMinorGroup,
}

/// One qualifying clause (申报条件) for a target level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: String,
    pub level: Level,
    pub text_zh: String,
    pub text_en: String,
    pub source: String,
    /// What the engine cannot check and a reviewer must (e.g. whether a programme was evaluated).
    pub review_zh: Option<String>,
    pub review_en: Option<String>,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_from: Option<Date>,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub all: Vec<Condition>,
}

impl Rule {
    /// In force on `on`: both dates inclusive.
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from.is_none_or(|f| f <= on) && self.effective_to.is_none_or(|t| on <= t)
    }
}

/// A generation of the application conditions, e.g. the 2018 standard template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(serialize_with = "ser_date")]
    pub effective_from: Date,
    /// Last day in force (inclusive); `None` = open-ended.
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub source: String,
    pub rules: Vec<Rule>,
}

impl Edition {
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }

    /// The rules for `level` in force on `on`, in file order.
    pub fn rules_for(&self, level: Level, on: Date) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.level == level && r.in_force(on))
    }
}

/// `[[eligibility.occupation_editions]]`: an occupation whose standard uses a given edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccupationEdition {
    pub occupation: String,
    pub edition: String,
    #[serde(serialize_with = "ser_date")]
    pub effective_from: Date,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub source: String,
}

impl OccupationEdition {
    fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }
}

/// `[eligibility]`: application conditions by edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    pub related_occupation: Relatedness,
    pub source: Option<String>,
    pub editions: Vec<Edition>,
    pub occupation_editions: Vec<OccupationEdition>,
}

impl Eligibility {
    pub fn edition(&self, id: &str) -> Option<&Edition> {
        self.editions.iter().find(|e| e.id == id)
    }

    /// The edition that applies to `occupation` on `on`: the mapped edition when an
    /// `occupation_editions` entry is in force (the latest such entry) and its edition is in
    /// force; otherwise the latest edition (by `effective_from`; later in the file wins a tie)
    /// whose effective range contains the date.
    pub fn edition_for(&self, occupation: &str, on: Date) -> Option<&Edition> {
        let mapped = self
            .occupation_editions
            .iter()
            .filter(|m| m.occupation == occupation && m.in_force(on))
            .max_by_key(|m| m.effective_from)
            .and_then(|m| self.edition(&m.edition))
            .filter(|e| e.in_force(on));
        mapped.or_else(|| self.editions.iter().filter(|e| e.in_force(on)).max_by_key(|e| e.effective_from))
    }

    /// The first date after `on` on which [`Eligibility::edition_for`] gives another edition
    /// (or none), if any.
    pub fn next_edition_change(&self, occupation: &str, on: Date) -> Option<Date> {
        let current = self.edition_for(occupation, on).map(|e| e.id.as_str());
        let after = |d: Option<Date>| d.and_then(|d| d.next_day());
        let mut boundaries: Vec<Date> = self
            .editions
            .iter()
            .flat_map(|e| [Some(e.effective_from), after(e.effective_to)])
            .chain(
                self.occupation_editions
                    .iter()
                    .filter(|m| m.occupation == occupation)
                    .flat_map(|m| [Some(m.effective_from), after(m.effective_to)]),
            )
            .flatten()
            .filter(|d| *d > on)
            .collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        boundaries.into_iter().find(|d| self.edition_for(occupation, *d).map(|e| e.id.as_str()) != current)
    }

    /// Whether `other` counts as "this or a related occupation" for `occupation`.
    pub fn related(&self, occupation: &str, other: &str) -> bool {
        if occupation == other {
            return true;
        }
        match self.related_occupation {
            Relatedness::SameOccupation => false,
            Relatedness::SameMinorGroup => minor_group(occupation).is_some_and(|g| minor_group(other) == Some(g)),
        }
    }
}

/// The `D-DD-DD` prefix of an occupation code, when it has that shape.
fn minor_group(code: &str) -> Option<&str> {
    let b = code.as_bytes();
    let shaped = b.len() >= 7
        && b[0].is_ascii_digit()
        && b[1] == b'-'
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b[4] == b'-'
        && b[5].is_ascii_digit()
        && b[6].is_ascii_digit()
        && (b.len() == 7 || b[7] == b'-');
    shaped.then(|| &code[..7])
}

/// A full occupation code `D-DD-DD-DD` (大类-中类-小类-细类).
pub(crate) fn is_occupation_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 10 && minor_group(code).is_some() && b[7] == b'-' && b[8].is_ascii_digit() && b[9].is_ascii_digit()
}

/// `[evaluation]`: assessment rules for skill-level certification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub pass_mark: PassMark,
    pub theory_exam: TheoryExam,
    pub skill_test: SkillTest,
    pub comprehensive_review: ComprehensiveReview,
    pub publicity: Publicity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassMark {
    /// Minimum score in points, inclusive.
    pub min_score: u32,
    pub out_of: u32,
    /// Every component (theory, skill test, comprehensive review) must reach the mark.
    pub each_component: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TheoryExam {
    pub candidates_per_invigilator: u32,
    pub min_invigilators_per_room: u32,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillTest {
    pub candidates_per_examiner: u32,
    pub min_examiners: u32,
    pub odd_examiners: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComprehensiveReview {
    /// Target levels that need a comprehensive review besides theory and skill test.
    pub levels: Vec<Level>,
    pub min_panel: u32,
    pub odd_panel: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publicity {
    /// Working days results are published (公示) before certificates are issued.
    pub working_days: u32,
    pub source: String,
}

impl Policy {
    /// Looks a district up by current code, former code (mapped to the current district),
    /// Chinese name, Chinese name without the trailing 区/新区, alias, former name or English
    /// name (any case).
    pub fn district(&self, s: &str) -> Option<&District> {
        find_district(&self.districts, &self.former_district_codes, s)
    }

    /// Looks an industry section up by letter (any case) or Chinese name.
    pub fn industry(&self, s: &str) -> Option<&Industry> {
        let s = s.trim();
        self.industries.iter().find(|i| i.code.eq_ignore_ascii_case(s) || i.name_zh == s)
    }

    /// Looks an industrial chain up by id or Chinese name.
    pub fn industrial_chain(&self, s: &str) -> Option<&IndustrialChain> {
        let s = s.trim();
        self.industrial_chains.iter().find(|c| c.id == s || c.name_zh == s)
    }

    /// The edition that applies to `occupation` on `on` (see [`Eligibility::edition_for`]).
    pub fn edition_for(&self, occupation: &str, on: Date) -> Option<&Edition> {
        self.eligibility.edition_for(occupation, on)
    }
}

pub(super) fn find_district<'a>(
    districts: &'a [District],
    former: &[FormerDistrictCode],
    s: &str,
) -> Option<&'a District> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let by_code = |code: &str| districts.iter().find(|d| d.code == code);
    if let Some(d) = by_code(s) {
        return Some(d);
    }
    if let Some(f) = former.iter().find(|f| f.code == s || f.name_zh == s) {
        return by_code(&f.current);
    }
    districts.iter().find(|d| {
        d.name_zh == s
            || short_names(&d.name_zh).any(|n| n == s)
            || d.aliases.iter().any(|a| a == s)
            || d.name_en.eq_ignore_ascii_case(s)
    })
}

/// Short forms of a district name: without a trailing 区, and without a trailing 新区.
pub(super) fn short_names(name: &str) -> impl Iterator<Item = &str> {
    [name.strip_suffix("新区"), name.strip_suffix('区')].into_iter().flatten().filter(|n| !n.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Serde helpers shared with the eligibility module
// ---------------------------------------------------------------------------------------------

pub(crate) fn ser_date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*d))
}

pub(crate) fn ser_opt_date<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&iso(*d)),
        None => s.serialize_none(),
    }
}
