//! The policy model: every rule and number a city's policy sets, read from a versioned TOML file
//! (`policy/tianjin.toml` is the shipped one; the format is described in `docs/POLICY.md`).
//!
//! Loading never stops at the first problem. It reports TOML syntax errors with line and column,
//! unknown keys, wrong types and semantic errors (duplicate ranks, unknown level names, bad
//! dates, dangling references …), each with the dotted key path of the offending entry and a
//! reason in Chinese and English.
//!
//! How the loader collects everything: the document is parsed into toml's spanned tree, and each
//! entry (a section, one element of an array of tables, one rule, one condition) is deserialized
//! on its own with serde (`deny_unknown_fields`), so one bad entry does not hide the others. An
//! unknown key is reported and removed, and the entry is read again, so several unknown keys in
//! one entry are all reported. Semantic checks then run on whatever was read.
//!
//! The parts: `model` (the validated policy), `error` (a problem and its place), `raw` (the
//! file's shapes as serde reads them), `read` (entry-by-entry reading), `validate` (semantic
//! checks that build the model), `spans` (key paths and positions in the TOML tree) and `load`
//! (the entry points).

mod apprenticeship;
mod awards;
mod benefits;
mod calendar;
mod competition_rules;
mod condition;
mod error;
mod load;
mod model;
mod promotions;
mod raw;
mod read;
mod spans;
mod titles;
mod validate;
mod validate_apprenticeship;
mod validate_awards;
mod validate_benefits;
mod validate_calendar;
mod validate_promotions;
mod validate_titles;

pub use apprenticeship::{ApprenticeshipRule, ApprenticeshipRules};
pub use awards::{AgeCap, AwardKind, AwardRule, EntryConditions, RetirementAge, RewardKind, RewardRule};
pub use benefits::{
    BenefitSchemes, HaiheTalentScheme, LevelAmount, SchemeHead, SkillAllowanceScheme, SkillUpgradeScheme, TalentRoute,
};
pub use calendar::{CalendarYear, WorkingCalendar};
pub use competition_rules::CompetitionRules;
pub use condition::{Condition, TitleGrade};
pub use error::PolicyError;
pub use load::TIANJIN_TOML;
pub(crate) use model::is_occupation_code;
pub use model::{
    Comparison, ComprehensiveReview, Denominator, District, Edition, Eligibility, Evaluation, FormerDistrictCode,
    IndustrialChain, IndustrialSector, IndustrialSystem, Industry, IndustryGroup, KpiDefinition, KpiKind, KpiTarget,
    Ladder, LadderLevel, Meta, ObtainedBy, OccupationEdition, PassMark, Policy, Publicity, Relatedness, Rule,
    ShortageScale, SkillTest, TheoryExam,
};
pub use promotions::{PromotionRule, RankBand};
pub use titles::{BridgeRoute, Correspondence, TitleCorrespondence, TitlePolicy};
