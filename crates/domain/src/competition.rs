//! Promotion through competitions (以赛代评): given a competition result and the person's level
//! history, which rule of the policy's promotion table applies and which level it gives.
//!
//! The rules (`policy::CompetitionRules`): a rule covers a tier, a group (or both) and a band of
//! places or a top percentage, in force on the day the result was published; it gives a level in
//! the event's occupation, or — for a person already holding its `step_up_from` level there —
//! the level above (已是技师的，晋升高级技师). When several rules cover a result, the one giving
//! the higher level applies (the first in the file on a tie). Nothing is given to a person who
//! holds that level or a higher one in the occupation already, and only one promotion through
//! competitions counts per calendar year (同一年内只能晋升一次): a second qualifying result in
//! the same year is recorded but promotes nothing.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::dates::iso;
use crate::level::Level;
use crate::policy::{Policy, PromotionRule};
use crate::registry::{CompetitionGroup, CompetitionTier, LevelSource};

/// A competitor's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompetitionResult {
    pub competition: String,
    pub tier: CompetitionTier,
    pub group: CompetitionGroup,
    /// 1 = first place.
    pub rank: u32,
    /// Needed by percentage bands.
    pub entrants: Option<u32>,
    /// The day the results were published: the promotion's date.
    pub awarded_on: Date,
    /// The event's occupation, `D-DD-DD-DD`.
    pub occupation: String,
}

/// A row of the person's level history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PastLevel {
    pub occupation: String,
    pub level: Level,
    pub obtained_on: Date,
    pub revoked_on: Option<Date>,
    pub source: LevelSource,
}

impl PastLevel {
    fn valid_on(&self, on: Date) -> bool {
        self.obtained_on <= on && self.revoked_on.is_none_or(|r| on < r)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The result gives a level.
    Promoted,
    /// No rule of the policy covers the result.
    NoRule,
    /// The person holds the level the rule gives, or a higher one, in the occupation already.
    AlreadyHeld,
    /// A promotion through competitions counted already in the same calendar year.
    YearLimit,
}

impl Outcome {
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Promoted => "promoted",
            Outcome::NoRule => "no_rule",
            Outcome::AlreadyHeld => "already_held",
            Outcome::YearLimit => "year_limit",
        }
    }
}

/// What a result gives, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PromotionDecision {
    pub outcome: Outcome,
    /// The rule applied (also when it gives nothing because of the level held or the year).
    pub rule_id: Option<String>,
    /// Highest level held in the event's occupation on the award day.
    pub before: Option<Level>,
    /// The level recorded: `Some` only when promoted.
    pub after: Option<Level>,
    /// The rule applied is marked inferred in the policy ([I]): re-check before relying on it.
    pub inferred: bool,
    pub explanation: Msg,
}

impl PromotionDecision {
    pub fn promoted(&self) -> bool {
        self.outcome == Outcome::Promoted
    }
}

/// The level a rule gives to a person holding `held` in the event's occupation.
fn level_given(rule: &PromotionRule, held: Option<Level>) -> Level {
    match (rule.step_up_from, held) {
        (Some(from), Some(h)) if h == from => Level::new(from.rank() + 1).unwrap_or(from),
        _ => rule.award,
    }
}

/// Decides what `result` gives a person whose level history is `history` (any occupation, any
/// source, revoked rows included: only what is valid on the award day counts).
pub fn decide(policy: &Policy, result: &CompetitionResult, history: &[PastLevel]) -> PromotionDecision {
    let ladder = &policy.ladder;
    let on = result.awarded_on;
    let held = history.iter().filter(|l| l.occupation == result.occupation && l.valid_on(on)).map(|l| l.level).max();
    let name = |l: Level| (ladder.name_zh(l).to_owned(), ladder.name_en(l).to_owned());
    let (tier, group) = (result.tier, result.group);
    let event = Msg::new(
        format!("{}（{}组）第{}名", tier.zh(), group.zh(), result.rank),
        format!("{}, {} group, place {}", tier.en(), group.en(), result.rank),
    );

    let covering: Vec<&PromotionRule> = policy
        .competition
        .promotions
        .iter()
        .filter(|r| r.covers_event(tier, group, &result.competition) && r.in_force(on))
        .collect();
    let mut best: Option<(&PromotionRule, Level)> = None;
    for r in &covering {
        if r.band.covers(result.rank, result.entrants) == Some(true) {
            let given = level_given(r, held);
            if best.is_none_or(|(_, b)| given > b) {
                best = Some((r, given));
            }
        }
    }
    let Some((rule, given)) = best else {
        let explanation = if covering.is_empty() {
            Msg::new(
                format!("{} 时没有适用于{}{}组的以赛代评规则，不晋升", iso(on), tier.zh(), group.zh()),
                format!(
                    "no promotion rule for {} ({} group) was in force on {}: no promotion",
                    tier.en(),
                    group.en(),
                    iso(on)
                ),
            )
        } else {
            let bands: Vec<Msg> = covering.iter().map(|r| r.band.describe()).collect();
            let zh: Vec<&str> = bands.iter().map(|b| b.zh.as_str()).collect();
            let en: Vec<&str> = bands.iter().map(|b| b.en.as_str()).collect();
            let entrants = match result.entrants {
                Some(n) => Msg::new(format!("（参赛{n}人）"), format!(" (of {n} entrants)")),
                None => Msg::new("（未填参赛人数）", " (number of entrants not given)"),
            };
            Msg::new(
                format!("{}{}不在晋升范围（{}）内，不晋升", event.zh, entrants.zh, zh.join("、")),
                format!("{}{} is outside the promoted places ({}): no promotion", event.en, entrants.en, en.join(", ")),
            )
        };
        return PromotionDecision {
            outcome: Outcome::NoRule,
            rule_id: None,
            before: held,
            after: None,
            inferred: false,
            explanation,
        };
    };

    let basis = Msg::new(
        format!("依据规则 {}（{}{}）", rule.id, tier.zh(), rule.band.describe().zh),
        format!("rule {} ({}, {})", rule.id, tier.en(), rule.band.describe().en),
    );
    let caveat = match &rule.inferred {
        Some(why) => Msg::new(format!("；[推断] {}", why.zh), format!("; [Inference] {}", why.en)),
        None => Msg::new("", ""),
    };
    let (gzh, gien) = name(given);
    let decision = |outcome, after, zh: String, en: String| PromotionDecision {
        outcome,
        rule_id: Some(rule.id.clone()),
        before: held,
        after,
        inferred: rule.inferred.is_some(),
        explanation: Msg::new(format!("{zh}{}", caveat.zh), format!("{en}{}", caveat.en)),
    };
    if let Some(h) = held.filter(|h| *h >= given) {
        let (hzh, hen) = name(h);
        return decision(
            Outcome::AlreadyHeld,
            None,
            format!("{}：{}可晋升{gzh}，但本人已持有该职业{hzh}（不低于{gzh}），不晋升", basis.zh, event.zh),
            format!(
                "{}: {} gives {gien}, but the person already holds {hen} in this occupation (not below {gien}): no promotion",
                basis.en, event.en
            ),
        );
    }
    let year = on.year();
    let earlier = history
        .iter()
        .filter(|l| l.source == LevelSource::Competition && l.revoked_on.is_none() && l.obtained_on.year() == year)
        .min_by_key(|l| l.obtained_on);
    if let Some(e) = earlier {
        let (ezh, een) = name(e.level);
        let day = iso(e.obtained_on);
        return decision(
            Outcome::YearLimit,
            None,
            format!(
                "{}：{}可晋升{gzh}，但本人已于 {day} 通过竞赛晋升{ezh}，同一年内只能晋升一次，本次成绩予以记录、不晋升",
                basis.zh, event.zh
            ),
            format!(
                "{}: {} gives {gien}, but the person was promoted to {een} through a competition on {day}; only one promotion through competitions counts per calendar year: recorded, no promotion",
                basis.en, event.en
            ),
        );
    }
    let (from_zh, from_en) = match held {
        Some(h) => {
            let (zh, en) = name(h);
            (format!("由{zh}"), format!("from {en}"))
        }
        None => ("由无等级".to_owned(), "from no level".to_owned()),
    };
    decision(
        Outcome::Promoted,
        Some(given),
        format!("{}：{}，{from_zh}晋升为{gzh}（职业 {}，{}）", basis.zh, event.zh, result.occupation, iso(on)),
        format!(
            "{}: {}, promoted {from_en} to {gien} (occupation {}, {})",
            basis.en,
            event.en,
            result.occupation,
            iso(on)
        ),
    )
}
