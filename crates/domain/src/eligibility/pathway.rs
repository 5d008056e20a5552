//! The worker's pathway: per occupation the person holds a level in or works in, the levels
//! they may apply for now and the next one with its earliest date — each a decision of the
//! same engine under the same edition choice as an application would get.
//!
//! Only levels obtained by skill-level certification are offered (the ladder's `obtained_by =
//! exam`): 学徒工 is graded by the employer and 特级技师/首席技师 are appointments. The level
//! held is the highest that counts on the date (revoked ones do not), per occupation.

use time::Date;

use super::{Candidate, Decision, decide};
use crate::level::Level;
use crate::policy::{ObtainedBy, Policy};
use crate::standards::{Asked, Standard};

/// One occupation's pathway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OccupationPathway {
    /// Occupation code `D-DD-DD-DD`.
    pub occupation: String,
    /// The highest level held in it that counts on the date.
    pub current: Option<Level>,
    /// Levels above it the person may apply for now, lowest first.
    pub may_apply: Vec<Decision>,
    /// The lowest level above those not yet open, with what is missing and its earliest date.
    pub next: Option<Decision>,
}

/// The occupations the person holds a level in (counting on `on`) or works in (work without an
/// occupation in the registered one), the registered one first.
pub fn occupations_of(c: &Candidate, on: Date) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |o: &str| {
        if !o.is_empty() && !out.iter().any(|x| x == o) {
            out.push(o.to_owned());
        }
    };
    if let Some(r) = &c.registered_occupation {
        push(r);
    }
    for h in &c.levels {
        if h.obtained_on <= on && h.revoked_on.is_none_or(|r| r > on) {
            push(&h.occupation);
        }
    }
    for w in &c.work {
        if w.start <= on
            && let Some(o) = w.occupation.as_deref().or(c.registered_occupation.as_deref())
        {
            push(o);
        }
    }
    out
}

/// The highest level held in `occupation` that counts on `on`.
fn current_in(c: &Candidate, occupation: &str, on: Date) -> Option<Level> {
    c.levels
        .iter()
        .filter(|h| h.occupation == occupation && h.obtained_on <= on && h.revoked_on.is_none_or(|r| r > on))
        .map(|h| h.level)
        .max()
}

/// The levels obtained by skill-level certification above `current`, lowest first.
fn exam_levels_above(policy: &Policy, current: Option<Level>) -> impl Iterator<Item = Level> + '_ {
    policy
        .ladder
        .levels()
        .iter()
        .filter(move |l| l.obtained_by == ObtainedBy::Exam && current.is_none_or(|cur| l.level > cur))
        .map(|l| l.level)
}

/// Per occupation of [`occupations_of`], the level the person would train for next: the lowest
/// certified level above the one held there (none once the highest is held). No decision is
/// made: what a programme leads to, not whether one may apply.
pub fn next_levels(policy: &Policy, c: &Candidate, on: Date) -> Vec<(String, Level)> {
    occupations_of(c, on)
        .into_iter()
        .filter_map(|o| {
            let next = exam_levels_above(policy, current_in(c, &o, on)).next()?;
            Some((o, next))
        })
        .collect()
}

/// The pathway in every occupation of [`occupations_of`].
pub fn pathway(policy: &Policy, standards: &[Standard], c: &Candidate, on: Date) -> Vec<OccupationPathway> {
    occupations_of(c, on).into_iter().map(|o| pathway_in(policy, standards, c, &o, on)).collect()
}

/// The pathway in one occupation.
pub fn pathway_in(
    policy: &Policy,
    standards: &[Standard],
    c: &Candidate,
    occupation: &str,
    on: Date,
) -> OccupationPathway {
    let current = current_in(c, occupation, on);
    let targets = exam_levels_above(policy, current);
    let decisions: Vec<Decision> =
        targets.map(|t| decide(policy, standards, c, occupation, t, on, Asked::Nothing)).collect();
    let top_open = decisions.iter().filter(|d| d.eligible).map(|d| d.target).max();
    let next = decisions.iter().find(|d| !d.eligible && top_open.is_none_or(|t| d.target > t)).cloned();
    let may_apply = decisions.into_iter().filter(|d| d.eligible).collect();
    OccupationPathway { occupation: occupation.to_owned(), current, may_apply, next }
}
