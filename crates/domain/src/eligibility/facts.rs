//! Facts about the candidate as of the decision date: the work that counts, merged and sorted,
//! and the levels that count.

use time::{Date, Duration};

use super::record::{Candidate, HeldLevel, WorkSpell};
use crate::dates::add_years;
use crate::level::Level;
use crate::policy::Policy;

pub(super) struct Facts<'a> {
    pub(super) policy: &'a Policy,
    pub(super) c: &'a Candidate,
    pub(super) occupation: &'a str,
    pub(super) on: Date,
    /// Work in this or a related occupation begun on or before `on`, merged, sorted:
    /// `[start, end)` with `end` exclusive, `None` = open.
    pub(super) work: Vec<(Date, Option<Date>)>,
    /// Of those, the spells without an occupation, counted in the registered one.
    pub(super) assumed: usize,
    /// Any work at all begun on or before `on`, in any occupation or none.
    pub(super) any_work: bool,
}

/// Work counted from some date: days worked up to `on`, the first day, and how far the work
/// that is going on at `on` continues.
pub(super) struct Tally {
    pub(super) first: Option<Date>,
    pub(super) days: i64,
    /// `Some(None)`: open-ended; `Some(Some(e))`: until `e` (exclusive); `None`: no work at `on`.
    pub(super) continues_until: Option<Option<Date>>,
}

impl<'a> Facts<'a> {
    pub(super) fn new(policy: &'a Policy, c: &'a Candidate, occupation: &'a str, on: Date) -> Facts<'a> {
        let elig = &policy.eligibility;
        let registered = c.registered_occupation.as_deref();
        let valid = |w: &&WorkSpell| w.start <= on && w.end.is_none_or(|e| e >= w.start);
        // An empty `occupation` asks about work in any occupation (title applications).
        let counts = |w: &&WorkSpell| {
            occupation.is_empty() || w.occupation.as_deref().or(registered).is_some_and(|o| elig.related(occupation, o))
        };
        let assumed = c.work.iter().filter(valid).filter(counts).filter(|w| w.occupation.is_none()).count();
        let any_work = c.work.iter().any(|w| valid(&w));
        let mut spells: Vec<(Date, Option<Date>)> = c
            .work
            .iter()
            .filter(valid)
            .filter(counts)
            .map(|w| (w.start, w.end.map(|e| e.next_day().unwrap_or(e))))
            .collect();
        spells.sort_unstable_by_key(|s| s.0);
        let mut work: Vec<(Date, Option<Date>)> = Vec::with_capacity(spells.len());
        for (start, end) in spells {
            match work.last_mut() {
                Some((_, last_end)) if last_end.is_none_or(|e| start <= e) => {
                    *last_end = match (*last_end, end) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => work.push((start, end)),
            }
        }
        Facts { policy, c, occupation, on, work, assumed, any_work }
    }

    /// The level counts on `on`: obtained by then and not revoked by then.
    pub(super) fn counts(&self, h: &HeldLevel) -> bool {
        h.obtained_on <= self.on && h.revoked_on.is_none_or(|r| r > self.on)
    }

    /// Levels of at least `level` in this or a related occupation that count on `on`.
    pub(super) fn qualifying(&self, level: Level) -> impl Iterator<Item = &'a HeldLevel> + '_ {
        self.c.levels.iter().filter(move |h| {
            h.level >= level
                && self.counts(h)
                && (self.occupation.is_empty() || self.policy.eligibility.related(self.occupation, &h.occupation))
        })
    }

    pub(super) fn tally(&self, from: Option<Date>) -> Tally {
        let on = self.on;
        let mut t = Tally { first: None, days: 0, continues_until: None };
        for &(start, end) in &self.work {
            let start = from.map_or(start, |f| start.max(f));
            if end.is_some_and(|e| e <= start) {
                continue;
            }
            t.first.get_or_insert(start);
            let end_now = end.map_or(on, |e| e.min(on));
            if end_now > start {
                t.days += (end_now - start).whole_days();
            }
            if start <= on && end.is_none_or(|e| e > on) {
                t.continues_until = Some(end);
            }
        }
        t
    }

    /// Whether `years` of work counted from `from` are reached, and when they will be.
    pub(super) fn work_years(&self, from: Option<Date>, years: u32) -> (Tally, bool, Option<Date>) {
        let t = self.tally(from);
        let Some(first) = t.first else {
            let met = years == 0;
            return (t, met, met.then_some(self.on));
        };
        let needed = (add_years(first, years as i32) - first).whole_days();
        if t.days >= needed {
            return (t, true, Some(self.on));
        }
        let date = self.on.checked_add(Duration::days(needed - t.days));
        let met_on = match (date, t.continues_until) {
            (Some(d), Some(None)) => Some(d),
            (Some(d), Some(Some(until))) if d <= until => Some(d),
            _ => None,
        };
        (t, false, met_on)
    }
}
