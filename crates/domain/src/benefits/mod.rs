//! The benefit engine: every incentive scheme of the policy (`policy::BenefitSchemes`) decided
//! from a person's record — levels and how they were obtained, insurance spells, age,
//! education, work, previous claims — with an explanation of what is met, what is missing and
//! the earliest day it could be met. Pure: the record comes in, decisions go out.
//!
//! `model` holds the record and the decisions; one module per kind of scheme: `skill_upgrade` (a
//! subsidy per certificate), `haihe_talent` (a versioned route table) and `skill_allowance`
//! (monthly by level, the schedule the city's to set). Where the record lacks
//! a fact a condition needs (education, birth date, start of work), the condition is *missing*,
//! never guessed; where a rule is an inference of ours, the decision says `inferred: true` and
//! repeats why.

mod haihe_talent;
mod model;
mod skill_allowance;
mod skill_upgrade;

use time::Date;

use crate::policy::Policy;

pub use model::{BenefitDecision, CertificateEntitlement, Condition, LevelRecord, PastClaim, Record, RouteOutcome};
pub use skill_upgrade::entitlements;

/// Every scheme of the policy, decided for `record` on `on`, in the policy's order.
pub fn decide_all(policy: &Policy, record: &Record, on: Date) -> Vec<BenefitDecision> {
    let mut out = Vec::new();
    if let Some(s) = &policy.benefits.skill_upgrade {
        out.push(skill_upgrade::decide(policy, s, record, on));
    }
    if let Some(s) = &policy.benefits.haihe_talent {
        out.push(haihe_talent::decide(policy, s, record, on));
    }
    if let Some(s) = &policy.benefits.skill_allowance {
        out.push(skill_allowance::decide(policy, s, record, on));
    }
    out
}

/// The scheme `id`, decided; `None` when the policy has no such scheme.
pub fn decide(policy: &Policy, id: &str, record: &Record, on: Date) -> Option<BenefitDecision> {
    decide_all(policy, record, on).into_iter().find(|d| d.scheme == id)
}

/// The ids of the policy's schemes.
pub fn scheme_ids(policy: &Policy) -> Vec<&str> {
    let b = &policy.benefits;
    b.skill_upgrade
        .iter()
        .map(|s| s.head.id.as_str())
        .chain(b.haihe_talent.iter().map(|s| s.head.id.as_str()))
        .collect()
}
