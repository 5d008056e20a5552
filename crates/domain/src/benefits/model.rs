//! The engine's inputs (a person's record) and outputs (decisions, conditions, routes,
//! certificates), shared by every kind of scheme.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::dates::serde_iso;
use crate::insurance::Spell;
use crate::level::Level;
use crate::registry::{ClaimStatus, Education, InsuranceScheme, LevelSource};

/// A level row as the engine reads it; `id` is the store's key of the row (a claim's basis).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelRecord {
    pub id: i64,
    pub occupation: String,
    pub level: Level,
    pub obtained_on: Date,
    /// From this day on the level no longer counts.
    pub revoked_on: Option<Date>,
    pub source: LevelSource,
}

impl LevelRecord {
    pub fn valid_on(&self, on: Date) -> bool {
        self.obtained_on <= on && self.revoked_on.is_none_or(|r| r > on)
    }
}

/// A claim made before, of any scheme.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastClaim {
    pub scheme: String,
    /// The level row it was claimed for, if the scheme pays per certificate.
    pub level_id: Option<i64>,
    pub occupation: Option<String>,
    pub level: Option<Level>,
    pub claimed_on: Date,
    pub status: ClaimStatus,
}

/// What the engine knows about a person.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub birth_date: Option<Date>,
    pub education: Option<Education>,
    pub work_start: Option<Date>,
    pub levels: Vec<LevelRecord>,
    pub insurance: Vec<(InsuranceScheme, Spell)>,
    pub claims: Vec<PastClaim>,
}

impl Record {
    /// The spells of one insurance scheme.
    pub fn spells(&self, scheme: InsuranceScheme) -> Vec<Spell> {
        self.insurance.iter().filter(|(s, _)| *s == scheme).map(|(_, sp)| *sp).collect()
    }
}

/// The outcome of one condition.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Condition {
    /// `in_force`, `insurance_months`, `claim_window`, `not_revoked`, `not_claimed`,
    /// `same_occupation_level`, `higher_level_claimed`, `per_year`, `education`, `min_level`,
    /// `max_age`, `work_years`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "insurance_months"))]
    pub kind: &'static str,
    pub met: bool,
    /// The record lacks the fact the condition needs: not decided, not guessed.
    pub missing: bool,
    pub reason: Msg,
    /// `on` when met; the day it will be met if only time is missing; `None` if waiting alone
    /// cannot meet it.
    #[serde(serialize_with = "serde_iso::option::serialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub met_on: Option<Date>,
}

impl Condition {
    pub(super) fn met(kind: &'static str, on: Date, reason: Msg) -> Condition {
        Condition { kind, met: true, missing: false, reason, met_on: Some(on) }
    }

    pub(super) fn unmet(kind: &'static str, met_on: Option<Date>, reason: Msg) -> Condition {
        Condition { kind, met: false, missing: false, reason, met_on }
    }

    pub(super) fn missing(kind: &'static str, reason: Msg) -> Condition {
        Condition { kind, met: false, missing: true, reason, met_on: None }
    }
}

/// One route of a route table (haihe-talent) and how the person stands on it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteOutcome {
    pub id: String,
    pub version: String,
    pub met: bool,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub met_on: Option<Date>,
    pub conditions: Vec<Condition>,
    pub source: String,
    pub inferred: Option<Msg>,
}

/// A scheme decided for one person on one day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BenefitDecision {
    /// The scheme id of the policy (`skill-upgrade`, `haihe-talent`).
    pub scheme: String,
    pub name: Msg,
    pub eligible: bool,
    /// Yuan newly payable on the day (schemes that pay money); `null` when not eligible or when
    /// the scheme is not money.
    pub amount: Option<u32>,
    /// Every reason in words, the summary first: what is met, what is missing, and the earliest
    /// day it could be met.
    pub reasons: Vec<Msg>,
    /// The person-level conditions (skill-upgrade), or those of the route met or closest to it
    /// (haihe-talent).
    pub conditions: Vec<Condition>,
    /// Skill-upgrade: one entry per certificate that could count, earliest first.
    pub certificates: Vec<CertificateEntitlement>,
    /// Haihe-talent: every route in force on the day.
    pub routes: Vec<RouteOutcome>,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub earliest_on: Option<Date>,
    /// Facts the record lacks that the decision needs (`education`, `birth_date`, `work_start`,
    /// `insurance`).
    pub missing: Vec<String>,
    /// The decision rests on an inference of the policy (`inferred_notes` says which).
    pub inferred: bool,
    pub inferred_notes: Vec<Msg>,
    pub source: String,
}

/// The unmet conditions' reasons, joined.
pub(super) fn unmet(conditions: &[Condition]) -> (String, String) {
    let u = || conditions.iter().filter(|c| !c.met);
    (
        u().map(|c| c.reason.zh.as_str()).collect::<Vec<_>>().join("；"),
        u().map(|c| c.reason.en.as_str()).collect::<Vec<_>>().join("; "),
    )
}

/// The day every unmet condition is met, if waiting can meet them all.
pub(super) fn all_met_on(conditions: &[Condition]) -> Option<Date> {
    conditions.iter().try_fold(None::<Date>, |acc, c| {
        let d = c.met_on?;
        Some(Some(acc.map_or(d, |a| a.max(d))))
    })?
}

/// A certificate as the scheme sees it on the day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateEntitlement {
    /// The store's key of the level row (the claim's basis); not shown.
    #[serde(skip)]
    pub level_id: i64,
    pub occupation: String,
    /// Rank 1–8.
    #[cfg_attr(feature = "openapi", schema(value_type = u8))]
    pub level: Level,
    /// zh: `高级工（三级）`; en: `senior worker`.
    pub level_name: Msg,
    #[serde(serialize_with = "serde_iso::serialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub obtained_on: Date,
    /// Yuan.
    pub amount: u32,
    /// May be claimed now (not claimed before, every condition met).
    pub eligible: bool,
    /// The status of the claim made on it before, if any (`in_review`, `paid`, …).
    pub claim_status: Option<String>,
    pub conditions: Vec<Condition>,
    /// The last day a claim may be made.
    #[serde(serialize_with = "serde_iso::serialize")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub claim_by: Date,
}
