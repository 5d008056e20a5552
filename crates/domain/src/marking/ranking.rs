//! Places from raw totals, with the tie rule, and the award a place earns under the policy.
//!
//! Tie rule [I] (the sources name none for Chinese competitions; WorldSkills ties medals within
//! a margin): entries rank by raw total, highest first; equal totals are separated by the
//! measurement marks (the objective part), highest first; entries equal on both share the place
//! and the next place is skipped (1, 2, 2, 4). The standardised score is a monotone function of
//! the raw total, so it orders the same way.

use serde::Serialize;

use crate::policy::AwardRule;
use crate::registry::CompetitionTier;

/// An entry to place: its key, raw total and measurement marks (hundredths).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placed<K> {
    pub key: K,
    pub total_hundredths: u32,
    pub measurement_hundredths: u32,
    /// 1 = first.
    pub place: u32,
    /// Shares the place with another entry.
    pub tied: bool,
}

/// Places the entries `(key, total, measurement)`; the result is in place order (ties in input
/// order).
pub fn rank<K: Clone>(entries: &[(K, u32, u32)]) -> Vec<Placed<K>> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| (entries[b].1, entries[b].2).cmp(&(entries[a].1, entries[a].2)).then(a.cmp(&b)));
    let mut out: Vec<Placed<K>> = Vec::with_capacity(entries.len());
    for (i, &ix) in order.iter().enumerate() {
        let (key, total, meas) = &entries[ix];
        let place = match out.last() {
            Some(p) if p.total_hundredths == *total && p.measurement_hundredths == *meas => p.place,
            _ => i as u32 + 1,
        };
        if let Some(p) = out.last_mut().filter(|p| p.place == place) {
            p.tied = true;
        }
        let tied = out.last().is_some_and(|p| p.place == place);
        out.push(Placed { key: key.clone(), total_hundredths: *total, measurement_hundredths: *meas, place, tied });
    }
    out
}

/// The award (medal, 优胜奖 …) a place earns: the first rule in the policy's order covering the
/// tier and competition name, whose band covers the place among `entrants` — the medal place
/// (see [`medal_places`]) for a rule with a tie margin — and whose minimum standardised score
/// (tenths) if any is met.
pub fn award_for<'p>(
    rules: &'p [AwardRule],
    tier: CompetitionTier,
    competition: &str,
    place: u32,
    medal_place: u32,
    entrants: u32,
    standardised_tenths: i64,
) -> Option<&'p AwardRule> {
    rules.iter().find(|r| {
        let place = if r.tie_margin.is_some() { medal_place } else { place };
        r.covers(tier, competition)
            && r.band.covers(place, Some(entrants)) == Some(true)
            && r.min_standardised.is_none_or(|m| standardised_tenths >= i64::from(m) * 10)
    })
}

/// The tie margin (points on the WorldSkills scale) of the award rules covering the tier and
/// competition, if one of them has one.
pub fn tie_margin(rules: &[AwardRule], tier: CompetitionTier, competition: &str) -> Option<u32> {
    rules.iter().filter(|r| r.covers(tier, competition)).find_map(|r| r.tie_margin)
}

/// Medal places with WorldSkills' tied medals: `standardised_tenths` in place order; an entry
/// no more than `margin_points` below the first entry of the current group shares its place,
/// the next entry further down takes its own position (1, 1, 3 — two golds, no silver, then
/// bronze; 1, 2, 2, 4 — two silvers, no bronze).
pub fn medal_places(standardised_tenths: &[i64], margin_points: u32) -> Vec<u32> {
    let margin = i64::from(margin_points) * 10;
    let mut out = Vec::with_capacity(standardised_tenths.len());
    let mut leader: Option<(i64, u32)> = None;
    for (i, &s) in standardised_tenths.iter().enumerate() {
        let place = match leader {
            Some((top, place)) if top - s <= margin => place,
            _ => {
                let place = i as u32 + 1;
                leader = Some((s, place));
                place
            }
        };
        out.push(place);
    }
    out
}
