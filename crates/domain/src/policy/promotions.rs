//! `[competition]` and `[[competition.promotions]]`: the promotion table of 以赛代评 — which
//! result in which tier and group gives which level, each row with its source and its dates.
//! The decision that applies it is `crate::competition::decide`; the checks of the file's
//! rows are in `validate_promotions`.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::level::Level;
use crate::registry::{CompetitionGroup, CompetitionTier};

/// Which results of a competition a rule covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RankBand {
    /// Places `from` to `to`, both included (前 10 名 = 1..=10).
    Ranks { from: u32, to: u32 },
    /// The best `percent` % of the entrants: rank × 100 ≤ entrants × percent (前 30 % of 10
    /// entrants = places 1–3; of 7 entrants = places 1–2).
    TopPercent { percent: u32 },
}

impl RankBand {
    /// Whether `rank` of `entrants` falls in the band; `None` when the band is a percentage and
    /// the number of entrants is not known.
    pub fn covers(self, rank: u32, entrants: Option<u32>) -> Option<bool> {
        match self {
            RankBand::Ranks { from, to } => Some(from <= rank && rank <= to),
            RankBand::TopPercent { percent } => {
                entrants.map(|n| u64::from(rank) * 100 <= u64::from(n) * u64::from(percent))
            }
        }
    }

    /// `前 10 名` / `places 1–10`.
    pub fn describe(self) -> Msg {
        match self {
            RankBand::Ranks { from: 1, to } => Msg::new(format!("前{to}名"), format!("top {to}")),
            RankBand::Ranks { from, to } => Msg::new(format!("第{from}至{to}名"), format!("places {from}–{to}")),
            RankBand::TopPercent { percent } => {
                Msg::new(format!("前{percent}%"), format!("top {percent} % of the entrants"))
            }
        }
    }
}

/// One row of the promotion table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromotionRule {
    pub id: String,
    pub tier: CompetitionTier,
    /// `None` = both groups.
    pub group: Option<CompetitionGroup>,
    pub band: RankBand,
    /// The level the result gives in the event's occupation.
    pub award: Level,
    /// Already holding this level in the event's occupation → one level up (已是 X 的，晋升 X+1).
    pub step_up_from: Option<Level>,
    /// When not empty, the rule covers only competitions whose name contains one of these.
    pub competitions: Vec<String>,
    #[serde(with = "crate::dates::serde_iso")]
    pub effective_from: Date,
    #[serde(with = "crate::dates::serde_iso::option")]
    pub effective_to: Option<Date>,
    pub source: String,
    /// Present when the row (or its dates) is our inference, not a source's statement: why.
    pub inferred: Option<Msg>,
}

impl PromotionRule {
    /// In force on `on`: both dates inclusive.
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }

    /// Whether the rule covers a competition of this tier, group and name.
    pub fn covers_event(&self, tier: CompetitionTier, group: CompetitionGroup, competition: &str) -> bool {
        self.tier == tier
            && self.group.is_none_or(|g| g == group)
            && (self.competitions.is_empty() || self.competitions.iter().any(|c| competition.contains(c.as_str())))
    }
}
