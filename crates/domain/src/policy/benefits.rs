//! `[benefits]`: the incentive schemes the benefit engine decides (`crate::benefits`), each
//! with its amounts, conditions, source and dates. Checked by `validate_benefits`.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::level::Level;
use crate::registry::{Education, InsuranceScheme, LevelSource};

/// The schemes. Empty when the policy file has no `[benefits]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BenefitSchemes {
    pub source: String,
    /// `[benefits.skill_upgrade]`: 技能提升补贴, one subsidy per certificate.
    pub skill_upgrade: Option<SkillUpgradeScheme>,
    /// `[benefits.haihe_talent]`: 海河英才 settlement for skilled workers, a versioned route table.
    pub haihe_talent: Option<HaiheTalentScheme>,
    /// `[benefits.skill_allowance]`: 技能津贴, monthly by level held (a schedule may be unset).
    pub skill_allowance: Option<SkillAllowanceScheme>,
    /// `[[benefits.budgets]]`: what a scheme may spend in a year, city-wide (`district` none)
    /// or in one district. Empty where the city has set none.
    pub budgets: Vec<Budget>,
}

/// A scheme's budget for a calendar year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Budget {
    pub scheme: String,
    pub year: i32,
    /// A district code; `None` for the whole city.
    pub district: Option<String>,
    pub yuan: u64,
    pub source: String,
}

impl BenefitSchemes {
    /// The budget of `scheme` for `year` in `district` (`None`: the city's).
    pub fn budget(&self, scheme: &str, year: i32, district: Option<&str>) -> Option<u64> {
        self.budgets
            .iter()
            .find(|b| b.scheme == scheme && b.year == year && b.district.as_deref() == district)
            .map(|b| b.yuan)
    }

    /// What each scheme the policy sets says about itself, in file order.
    pub fn heads(&self) -> Vec<&SchemeHead> {
        [
            self.skill_upgrade.as_ref().map(|s| &s.head),
            self.haihe_talent.as_ref().map(|s| &s.head),
            self.skill_allowance.as_ref().map(|s| &s.head),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// The ids of the schemes the policy sets.
    pub fn ids(&self) -> Vec<&str> {
        self.heads().into_iter().map(|h| h.id.as_str()).collect()
    }
}

/// 技能津贴: a monthly allowance by the highest level held. Where the city has set no schedule
/// (Tianjin's is not found: a `[GAP]`), `monthly` is empty and the engine says so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillAllowanceScheme {
    #[serde(flatten)]
    pub head: SchemeHead,
    /// Lowest level first; a person gets the row of the highest level at or below theirs.
    pub monthly: Vec<LevelAmount>,
}

/// What every scheme says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeHead {
    /// The scheme id users and files name (`skill-upgrade`).
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(with = "crate::dates::serde_iso")]
    pub effective_from: Date,
    #[serde(with = "crate::dates::serde_iso::option")]
    pub effective_to: Option<Date>,
    pub source: String,
    /// Why decisions under the scheme rest on an inference (from `inferred_from` on, or always
    /// when that is `None`); `None` when they do not.
    pub inferred: Option<Msg>,
    #[serde(with = "crate::dates::serde_iso::option")]
    pub inferred_from: Option<Date>,
}

impl SchemeHead {
    /// In force on `on`: both dates inclusive.
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }

    /// The scheme's inference note when a decision on `on` rests on it.
    pub fn inferred_on(&self, on: Date) -> Option<&Msg> {
        self.inferred.as_ref().filter(|_| self.inferred_from.is_none_or(|f| f <= on))
    }

    pub fn name(&self) -> Msg {
        Msg::new(self.name_zh.clone(), self.name_en.clone())
    }
}

/// The amount paid for a certificate of a level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelAmount {
    pub level: Level,
    pub yuan: u32,
}

/// 技能提升补贴: a subsidy per certificate of the listed levels, for a worker who has paid into
/// the insurance scheme for enough months, claimed within a window after the certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillUpgradeScheme {
    #[serde(flatten)]
    pub head: SchemeHead,
    pub insurance_scheme: InsuranceScheme,
    /// Months of contributions, cumulative, overlaps once (`insurance::months_covered`).
    pub insurance_months: u32,
    /// A claim may be made up to this many months after the certificate date, that day included.
    pub claim_within_months: u32,
    /// At most this many subsidies per person per calendar year (of the claim).
    pub per_year: u32,
    /// How a level must have been obtained to count as a certificate.
    pub level_sources: Vec<LevelSource>,
    /// Lowest level first.
    pub amounts: Vec<LevelAmount>,
    pub review_working_days: u32,
    pub notice_working_days: u32,
}

impl SkillUpgradeScheme {
    pub fn amount(&self, level: Level) -> Option<u32> {
        self.amounts.iter().find(|a| a.level == level).map(|a| a.yuan)
    }
}

/// 海河英才 for skilled workers: eligible when one route in force is met.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HaiheTalentScheme {
    #[serde(flatten)]
    pub head: SchemeHead,
    /// In file order.
    pub routes: Vec<TalentRoute>,
}

/// One row of the rule table: an education type, a level held, an age limit, and work or
/// insurance in the city.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TalentRoute {
    pub id: String,
    /// The version of the rules the row belongs to (`2018`, `2019-2020`).
    pub version: String,
    /// The person's highest education must be one of these.
    pub education: Vec<Education>,
    /// The highest level held (any occupation) must be at least this; `None` = no level needed.
    pub min_level: Option<Level>,
    /// Age in whole years on the day, at most.
    pub max_age: u32,
    /// Whole years since the person started work, at least.
    pub work_years: Option<u32>,
    /// Months of contributions to `insurance_scheme`, at least.
    pub insurance_months: Option<u32>,
    pub insurance_scheme: Option<InsuranceScheme>,
    #[serde(with = "crate::dates::serde_iso")]
    pub effective_from: Date,
    #[serde(with = "crate::dates::serde_iso::option")]
    pub effective_to: Option<Date>,
    pub source: String,
    pub inferred: Option<Msg>,
}

impl TalentRoute {
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }
}
