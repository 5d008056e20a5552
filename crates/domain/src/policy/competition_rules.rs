//! The `[competition]` section as a whole: the promotion table (`promotions`), awards and
//! rewards (`awards`) and entry conditions, each with its source.

use serde::Serialize;
use time::Date;

use super::awards::{AwardRule, EntryConditions, RewardRule};
use super::promotions::{PromotionRule, RankBand};
use crate::registry::{CompetitionGroup, CompetitionTier};

/// The promotion table. Empty when the policy file has no `[competition]` section.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CompetitionRules {
    pub source: String,
    /// In file order.
    pub promotions: Vec<PromotionRule>,
    /// Medals and 优胜奖, in file order (the first covering rule applies).
    pub awards: Vec<AwardRule>,
    /// Cash rewards, honours and admissions a result opens, in file order.
    pub rewards: Vec<RewardRule>,
    /// Who may enter (`[competition.entry]`).
    pub entry: EntryConditions,
}

impl CompetitionRules {
    /// Whether a rule in force on `on` covering this competition, tier and group counts by
    /// percentage (so the result needs its number of entrants).
    pub fn needs_entrants(&self, competition: &str, tier: CompetitionTier, group: CompetitionGroup, on: Date) -> bool {
        self.promotions.iter().any(|r| {
            r.covers_event(tier, group, competition) && r.in_force(on) && matches!(r.band, RankBand::TopPercent { .. })
        })
    }
}
