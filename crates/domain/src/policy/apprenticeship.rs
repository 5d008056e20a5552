//! `[apprenticeship]` and `[[apprenticeship.rules]]`: the numbers of the enterprise new-type
//! apprenticeship (企业新型学徒制) — the shortest labour contract, the duration band and its
//! extension, the target levels — each rule set with its source and the dates it is in force.
//! The check that applies them is `crate::training::check_apprenticeship`; the checks of the
//! file's rows are in `validate_apprenticeship`.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::level::Level;

/// The rule sets. Empty when the policy file has no `[apprenticeship]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ApprenticeshipRules {
    pub source: String,
    /// In file order; their periods do not overlap.
    pub rules: Vec<ApprenticeshipRule>,
}

/// One rule set. A number left out means the rule set sets none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprenticeshipRule {
    pub id: String,
    /// The labour contract must run at least this many months from the apprenticeship's start.
    pub min_contract_months: Option<u32>,
    /// Duration, start to planned end: at least this many months …
    pub min_months: Option<u32>,
    /// … at most this many …
    pub max_months: Option<u32>,
    /// … or up to this many when the agreement records why (特殊情况).
    pub max_months_with_reason: Option<u32>,
    /// The levels an apprenticeship may aim at, lowest and highest (both included).
    pub lowest_target: Level,
    pub highest_target: Level,
    #[serde(with = "crate::dates::serde_iso")]
    pub effective_from: Date,
    #[serde(with = "crate::dates::serde_iso::option")]
    pub effective_to: Option<Date>,
    pub source: String,
    /// Present when the rule set (or part of it) is our inference, not a source's statement: why.
    pub inferred: Option<Msg>,
}

impl ApprenticeshipRule {
    /// In force on `on`: both dates inclusive.
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }
}

impl ApprenticeshipRules {
    /// The rule set in force on `on` (an apprenticeship's start).
    pub fn in_force(&self, on: Date) -> Option<&ApprenticeshipRule> {
        self.rules.iter().find(|r| r.in_force(on))
    }
}
