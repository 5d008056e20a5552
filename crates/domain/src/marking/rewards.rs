//! What a published result opens beyond a level: the cash reward (the first matching cash row
//! of the policy — the file keeps the highest first — and, for WorldSkills, the employer's
//! matching amount), the honours the winner may apply for, and for a student the exam-free or
//! recommended admission (免试 / 保送).

use time::Date;

use crate::policy::{AwardKind, RewardKind, RewardRule};
use crate::registry::{CompetitionGroup, CompetitionTier};

/// The rows a result opens: at most one cash row, every honour and admission row that covers it.
#[allow(clippy::too_many_arguments)]
pub fn opens<'p>(
    rules: &'p [RewardRule],
    tier: CompetitionTier,
    group: CompetitionGroup,
    competition: &str,
    place: u32,
    entrants: u32,
    award: Option<AwardKind>,
    on: Date,
) -> Vec<&'p RewardRule> {
    let mut cash_taken = false;
    let mut out = Vec::new();
    for r in rules.iter().filter(|r| r.covers(tier, group, competition, place, entrants, award, on)) {
        if r.kind == RewardKind::Cash {
            if cash_taken {
                continue;
            }
            cash_taken = true;
        }
        out.push(r);
    }
    out
}
