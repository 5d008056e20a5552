//! `[[competition.awards]]`: the awards (medals, 优胜奖) a place earns in a tier, and
//! `[competition.entry]`-style entry conditions (age 16 to the statutory retirement age), each
//! with its source.

use serde::Serialize;

use super::promotions::RankBand;
use crate::bilingual::Msg;
use crate::registry::CompetitionTier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AwardKind {
    Gold,
    Silver,
    Bronze,
    /// 优胜奖 / WorldSkills Medallion for Excellence.
    Excellence,
}

impl AwardKind {
    pub fn code(self) -> &'static str {
        match self {
            AwardKind::Gold => "gold",
            AwardKind::Silver => "silver",
            AwardKind::Bronze => "bronze",
            AwardKind::Excellence => "excellence",
        }
    }

    pub fn parse(s: &str) -> Option<AwardKind> {
        match s.trim() {
            "gold" | "金牌" => Some(AwardKind::Gold),
            "silver" | "银牌" => Some(AwardKind::Silver),
            "bronze" | "铜牌" => Some(AwardKind::Bronze),
            "excellence" | "优胜奖" => Some(AwardKind::Excellence),
            _ => None,
        }
    }

    pub fn name(self) -> Msg {
        match self {
            AwardKind::Gold => Msg::new("金牌", "gold medal"),
            AwardKind::Silver => Msg::new("银牌", "silver medal"),
            AwardKind::Bronze => Msg::new("铜牌", "bronze medal"),
            AwardKind::Excellence => Msg::new("优胜奖", "medallion for excellence"),
        }
    }
}

/// One row of the award table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwardRule {
    pub id: String,
    pub tier: CompetitionTier,
    /// When not empty, only competitions whose name contains one of these.
    pub competitions: Vec<String>,
    pub award: AwardKind,
    pub band: RankBand,
    /// A minimum on the WorldSkills scale (points), e.g. 700 for the Medallion for Excellence.
    pub min_standardised: Option<u32>,
    /// Tied medals (WorldSkills): entrants no more than this many points apart on the
    /// WorldSkills scale share the medal of the first of them; the band is then read against
    /// these medal places ([`crate::marking::medal_places`]).
    pub tie_margin: Option<u32>,
    pub source: String,
    pub inferred: Option<Msg>,
}

impl AwardRule {
    pub fn covers(&self, tier: CompetitionTier, competition: &str) -> bool {
        self.tier == tier
            && (self.competitions.is_empty() || self.competitions.iter().any(|c| competition.contains(c.as_str())))
    }
}

/// Who may enter: an age from `min_age` to the statutory retirement age.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EntryConditions {
    pub min_age: u32,
    /// Statutory retirement ages, per sex; empty = no upper age checked.
    pub retirement: Vec<RetirementAge>,
    /// Age caps of particular competitions (WorldSkills selection).
    pub age_caps: Vec<AgeCap>,
    pub source: String,
}

/// An age cap: a competition whose name contains one of `competitions` takes entrants who are
/// at most `max_age` in the calendar year of its first day (born in or after that year −
/// `max_age`), as WorldSkills counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgeCap {
    pub competitions: Vec<String>,
    pub max_age: u32,
    pub source: String,
}

impl Default for EntryConditions {
    fn default() -> Self {
        EntryConditions { min_age: 16, retirement: Vec::new(), age_caps: Vec::new(), source: String::new() }
    }
}

/// The statutory retirement age of one sex, with the gradual raise (渐进式延迟法定退休年龄):
/// born in `from_birth` (year, month) or later → `base_years` plus one month per `step_months`
/// months of birth since then (the first cohort gets one month), at most `max_extra_months`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RetirementAge {
    pub male: bool,
    pub base_years: u32,
    pub from_birth: (i32, u8),
    pub step_months: u32,
    pub max_extra_months: u32,
}

impl RetirementAge {
    /// The retirement age, in months, of a person born in `year`-`month`.
    pub fn months_for(&self, year: i32, month: u8) -> u32 {
        let base = self.base_years * 12;
        let since = (year - self.from_birth.0) * 12 + i32::from(month) - i32::from(self.from_birth.1);
        if since < 0 {
            return base;
        }
        let extra = (since as u32 / self.step_months.max(1) + 1).min(self.max_extra_months);
        base + extra
    }
}

/// What a result opens beyond a level (RESEARCH §5.3–5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RewardKind {
    /// A cash reward, in whole yuan (only the highest matching row is paid).
    Cash,
    /// An honour the winner may apply for (天津市技术能手, 全国技术能手): the nomination is
    /// the incentives' business; the result says it.
    Honour,
    /// Exam-free admission or recommended entry (免试 / 保送) for a student.
    Admission,
}

impl RewardKind {
    pub fn parse(s: &str) -> Option<RewardKind> {
        match s.trim() {
            "cash" | "奖金" => Some(RewardKind::Cash),
            "honour" | "荣誉" => Some(RewardKind::Honour),
            "admission" | "升学" => Some(RewardKind::Admission),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            RewardKind::Cash => "cash",
            RewardKind::Honour => "honour",
            RewardKind::Admission => "admission",
        }
    }
}

/// One row of `[[competition.rewards]]`: a result of this tier (and group, and competition name),
/// in this band of places or with this award, opens this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RewardRule {
    pub id: String,
    pub kind: RewardKind,
    pub tier: CompetitionTier,
    pub group: Option<crate::registry::CompetitionGroup>,
    pub competitions: Vec<String>,
    /// Places covered, or `None` when the row keys on `award`.
    pub band: Option<RankBand>,
    pub award: Option<AwardKind>,
    pub amount_yuan: Option<u32>,
    /// The competitor's employer pays the same amount (WorldSkills).
    pub employer_matches: bool,
    pub name: Msg,
    #[serde(with = "crate::dates::serde_iso")]
    pub effective_from: time::Date,
    #[serde(with = "crate::dates::serde_iso::option")]
    pub effective_to: Option<time::Date>,
    pub source: String,
    pub inferred: Option<Msg>,
}

impl RewardRule {
    /// Whether a result (tier, group, competition name, place of `entrants`, award, day) is covered.
    #[allow(clippy::too_many_arguments)]
    pub fn covers(
        &self,
        tier: CompetitionTier,
        group: crate::registry::CompetitionGroup,
        competition: &str,
        place: u32,
        entrants: u32,
        award: Option<AwardKind>,
        on: time::Date,
    ) -> bool {
        self.tier == tier
            && self.group.is_none_or(|g| g == group)
            && (self.competitions.is_empty() || self.competitions.iter().any(|c| competition.contains(c.as_str())))
            && self.effective_from <= on
            && self.effective_to.is_none_or(|t| on <= t)
            && self.band.is_none_or(|b| b.covers(place, Some(entrants)) == Some(true))
            && self.award.is_none_or(|a| award == Some(a))
    }
}
