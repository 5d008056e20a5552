//! The eligibility engine: may this person apply for this level in this occupation on this date,
//! under the rules of the policy — and if not, what is missing and when will it be met?
//!
//! Everything here is a pure function of the policy, the candidate's record and the date. Rules
//! come from the policy's `[eligibility]` section; the engine only knows the condition kinds.
//!
//! Semantics, as of the decision date `on`:
//! - levels, titles and work spells that begin after `on` do not count; a level stops counting
//!   on its revocation date;
//! - "this or a related occupation" follows the policy's `related_occupation`; a work spell
//!   with no occupation counts as work in the person's registered occupation (the reason says
//!   so), and as no occupation's when none is registered;
//! - cumulative work is the union of the spells (overlaps count once). An end date is the last
//!   day worked; an open spell runs up to (not including) `on`. N years of work are reached
//!   when the days worked, laid end to end from the first day, span N calendar years — so one
//!   continuous spell counts exactly like "N years since it started";
//! - `met_on` of a condition is the earliest date, not before `on`, on which it holds if only
//!   time passes (open work spells go on, levels are kept until a recorded revocation); `None`
//!   when waiting alone cannot meet it. A rule's `met_on` is the latest of its conditions',
//!   provided none of them lapses first and the rule, its edition and (for [`evaluate`]) the
//!   edition choice still apply then. `earliest_eligible_on` is the earliest over the rules.
//!
//! Speed: a city-wide run evaluates millions of candidates. Per call the engine sorts the
//! candidate's matching work spells once; per condition it scans the candidate's few records
//! without allocating. Only the explanations (and the copied rule texts) allocate; use
//! [`is_eligible`] when no explanation is needed.

use serde::Serialize;
use time::{Date, Duration};

use crate::bilingual::Msg;
use crate::dates::serde_iso;
use crate::dates::{add_years, iso, whole_years_between};
use crate::level::Level;
use crate::policy::{Condition, Edition, Policy, is_occupation_code};
use crate::registry::Education;
use crate::standards::{self, Asked, Basis, EditionChoice, Standard, marks_inference};

pub use crate::policy::TitleGrade;

/// What the engine needs to know about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub birth_date: Date,
    /// Highest education attained or being attained.
    pub education: Option<Education>,
    /// Graduation date of that education; a future date means still studying. `None` with an
    /// education means graduated on an unknown date.
    pub graduated_on: Option<Date>,
    pub levels: Vec<HeldLevel>,
    pub work: Vec<WorkSpell>,
    pub titles: Vec<HeldTitle>,
    /// The occupation the registry holds for the person: work spells without an occupation
    /// count as work in it.
    pub registered_occupation: Option<String>,
}

/// A skill level held in an occupation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLevel {
    /// Occupation code `D-DD-DD-DD`.
    pub occupation: String,
    pub level: Level,
    pub obtained_on: Date,
    /// From this date on the level no longer counts.
    pub revoked_on: Option<Date>,
}

/// A period of work; `end` is the last day worked, `None` = still working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSpell {
    pub occupation: Option<String>,
    pub start: Date,
    pub end: Option<Date>,
}

/// A professional title (职称).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTitle {
    pub grade: TitleGrade,
    pub obtained_on: Date,
}

/// The outcome of one condition.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConditionOutcome {
    /// The condition kind as written in the policy file (`holds`, `work_years`, …).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "work_years"))]
    pub kind: &'static str,
    pub met: bool,
    pub reason: Msg,
    /// `on` when met; the date it will be met if only time is missing; `None` if waiting
    /// alone cannot meet it.
    #[serde(serialize_with = "serde_iso::option::serialize")]
    pub met_on: Option<Date>,
}

/// The outcome of one rule (one qualifying clause).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleOutcome {
    pub rule: String,
    pub text_zh: String,
    pub text_en: String,
    pub source: String,
    /// What a reviewer must still check by hand, from the policy.
    pub review: Option<Msg>,
    pub met: bool,
    pub conditions: Vec<ConditionOutcome>,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    pub met_on: Option<Date>,
}

/// The answer, with every rule of the target level explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub eligible: bool,
    pub occupation: String,
    pub target: Level,
    /// zh: `三级/高级工`; en: `senior worker`.
    pub target_name: Msg,
    #[serde(serialize_with = "serde_iso::serialize")]
    pub on: Date,
    /// Id of the edition applied; empty when none applies.
    pub edition: String,
    /// Why that edition: `requested`, `session`, `standard`, `default` or `none`.
    pub edition_basis: Basis,
    /// Why that edition, in words (names the standard when one governs).
    pub edition_reason: Msg,
    /// Id of the first rule that is met.
    pub rule: Option<String>,
    pub rules: Vec<RuleOutcome>,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    pub earliest_eligible_on: Option<Date>,
    /// Remarks that are not about one condition (no edition, level already held, …).
    pub notes: Vec<Msg>,
    /// The answer rests on an inference: the rule met (or, when none is, one of the rules
    /// judged) is marked `[I]`/`[GAP]` in the policy, or the edition was chosen by inference.
    pub inferred: bool,
    /// Every human-readable reason, flat, in the order the text output prints them: the
    /// summary, the edition's reason, the notes, then each condition's reason rule by rule.
    pub reasons: Vec<Msg>,
}

impl Decision {
    /// One line for the person: eligible, or what is missing and since when it will not be.
    pub fn summary(&self) -> Msg {
        let t = &self.target_name;
        if self.eligible {
            let rule = self.rule.as_deref().unwrap_or_default();
            return Msg::new(
                format!("符合申报{}条件（{} 版，规则 {rule}）", t.zh, self.edition),
                format!("eligible to apply for {} ({}) ({} edition, rule {rule})", t.en, t.zh, self.edition),
            );
        }
        if let Some(d) = self.earliest_eligible_on
            && let Some(r) = self.rules.iter().find(|r| r.met_on == Some(d))
        {
            let (zh, en) = unmet_reasons(r);
            return Msg::new(
                format!("暂不符合申报{}条件：{zh}；最早可于 {} 申报（规则 {}）", t.zh, iso(d), r.rule),
                format!("not yet eligible for {} ({}): {en}; earliest on {} (rule {})", t.en, t.zh, iso(d), r.rule),
            );
        }
        let closest = self.rules.iter().min_by_key(|r| r.conditions.iter().filter(|c| !c.met).count());
        match closest {
            Some(r) => {
                let (zh, en) = unmet_reasons(r);
                Msg::new(
                    format!("不符合申报{}条件，仅靠等待无法满足：{zh}（最接近的规则 {}）", t.zh, r.rule),
                    format!(
                        "not eligible for {} ({}), and waiting alone will not change that: {en} (closest rule {})",
                        t.en, t.zh, r.rule
                    ),
                )
            }
            None => {
                let why = self.notes.first().cloned().unwrap_or_else(|| Msg::new("没有适用的规则", "no rule applies"));
                Msg::new(
                    format!("不符合申报{}条件：{}", t.zh, why.zh),
                    format!("not eligible for {} ({}): {}", t.en, t.zh, why.en),
                )
            }
        }
    }
}

impl Decision {
    fn collect_reasons(&self) -> Vec<Msg> {
        let mut out = vec![self.summary(), self.edition_reason.clone()];
        out.extend(self.notes.iter().filter(|n| **n != self.edition_reason).cloned());
        out.extend(self.rules.iter().flat_map(|r| r.conditions.iter().map(|c| c.reason.clone())));
        out
    }
}

fn unmet_reasons(r: &RuleOutcome) -> (String, String) {
    let unmet = || r.conditions.iter().filter(|c| !c.met);
    (
        unmet().map(|c| c.reason.zh.as_str()).collect::<Vec<_>>().join("；"),
        unmet().map(|c| c.reason.en.as_str()).collect::<Vec<_>>().join("; "),
    )
}

/// Judges `c` for `target` in `occupation` on `on`, under the edition that applies to the
/// occupation on that date by the policy alone (see [`decide`]).
pub fn evaluate(policy: &Policy, c: &Candidate, occupation: &str, target: Level, on: Date) -> Decision {
    decide(policy, &[], c, occupation, target, on, Asked::Nothing)
}

/// Like [`evaluate`], under an explicitly chosen edition (e.g. to compare 2018 with 2023).
pub fn evaluate_with_edition(
    policy: &Policy,
    c: &Candidate,
    occupation: &str,
    target: Level,
    on: Date,
    edition_id: &str,
) -> Decision {
    decide(policy, &[], c, occupation, target, on, Asked::Edition(edition_id))
}

/// Judges `c` for `target` in `occupation` on `on`. The edition is the one asked for, else the
/// occupation's standard in force among `standards`, else the policy's default
/// ([`standards::choose`]); the decision says which and why. The projection
/// (`earliest_eligible_on`) stops where another edition takes over.
pub fn decide(
    policy: &Policy,
    standards: &[Standard],
    c: &Candidate,
    occupation: &str,
    target: Level,
    on: Date,
    asked: Asked<'_>,
) -> Decision {
    let choice = standards::choose(policy, standards, occupation, on, asked);
    let mut decision = match policy.eligibility.edition(&choice.edition) {
        _ if choice.basis == Basis::None => empty_decision(policy, occupation, target, on, &choice, None),
        None => {
            let note = Msg::new(
                format!("策略中没有申报条件版本 {}", choice.edition),
                format!("the policy has no edition {}", choice.edition),
            );
            empty_decision(policy, occupation, target, on, &choice, Some(note))
        }
        Some(edition) if !edition.in_force(on) => {
            let note = Msg::new(
                format!("申报条件版本 {} 在 {} 不在有效期内", choice.edition, iso(on)),
                format!("edition {} is not in force on {}", choice.edition, iso(on)),
            );
            empty_decision(policy, occupation, target, on, &choice, Some(note))
        }
        Some(edition) => judge_edition(policy, edition, c, occupation, target, on, &choice),
    };
    // Say so when the projection had to stop at the change of edition.
    if let Some(change) = choice.change
        && !decision.eligible
        && decision.earliest_eligible_on.is_none()
        && !decision.rules.is_empty()
    {
        decision.notes.push(Msg::new(
            format!("{} 起适用的申报条件版本将变更，届时请重新判断", iso(change)),
            format!("from {} another edition of the application conditions applies; judge again then", iso(change)),
        ));
    }
    decision.reasons = decision.collect_reasons();
    decision
}

/// Only the yes/no answer of [`evaluate`], without explanations: for bulk runs.
pub fn is_eligible(policy: &Policy, c: &Candidate, occupation: &str, target: Level, on: Date) -> bool {
    is_eligible_with(policy, &[], c, occupation, target, on)
}

/// Only the yes/no answer of [`decide`] with nothing asked for: for bulk runs.
pub fn is_eligible_with(
    policy: &Policy,
    standards: &[Standard],
    c: &Candidate,
    occupation: &str,
    target: Level,
    on: Date,
) -> bool {
    let edition = match standards::standard_on(standards, occupation, on) {
        Some(s) => policy.eligibility.edition(&s.edition).filter(|e| e.in_force(on)),
        None => None,
    };
    let Some(edition) = edition.or_else(|| policy.eligibility.edition_for(occupation, on)) else {
        return false;
    };
    let facts = Facts::new(policy, c, occupation, on);
    edition.rules_for(target, on).any(|rule| rule.all.iter().all(|cond| judge(cond, &facts, false).met))
}

fn target_name(policy: &Policy, target: Level) -> Msg {
    Msg::new(policy.ladder.display(target), policy.ladder.name_en(target))
}

fn empty_decision(
    policy: &Policy,
    occupation: &str,
    target: Level,
    on: Date,
    choice: &EditionChoice,
    note: Option<Msg>,
) -> Decision {
    Decision {
        eligible: false,
        occupation: occupation.to_owned(),
        target,
        target_name: target_name(policy, target),
        on,
        edition: choice.edition.clone(),
        edition_basis: choice.basis,
        edition_reason: choice.reason.clone(),
        rule: None,
        rules: Vec::new(),
        earliest_eligible_on: None,
        notes: vec![note.unwrap_or_else(|| choice.reason.clone())],
        inferred: choice.inferred,
        reasons: Vec::new(),
    }
}

fn min_opt(a: Option<Date>, b: Option<Date>) -> Option<Date> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// `choice.change`: the first date another edition applies, which ends the projection.
fn judge_edition(
    policy: &Policy,
    edition: &Edition,
    c: &Candidate,
    occupation: &str,
    target: Level,
    on: Date,
    choice: &EditionChoice,
) -> Decision {
    let change = choice.change;
    let ladder = &policy.ladder;
    let facts = Facts::new(policy, c, occupation, on);
    let mut notes = Vec::new();
    if !is_occupation_code(occupation) {
        notes.push(Msg::new(
            format!("职业编码 {occupation} 不是 D-DD-DD-DD 形式，无法判断相关职业"),
            format!(
                "occupation code {occupation} is not of the form D-DD-DD-DD, so related occupations cannot be found"
            ),
        ));
    }
    let current = c.levels.iter().filter(|h| h.occupation == occupation && facts.counts(h)).map(|h| h.level).max();
    if let Some(current) = current
        && current >= target
    {
        notes.push(Msg::new(
            format!("已持有本职业{}，不低于申报等级{}；仍按规则判断", ladder.name_zh(current), ladder.name_zh(target)),
            format!(
                "already holds {} in this occupation, at or above the target {}; judged by the rules anyway",
                ladder.name_zh(current),
                ladder.name_zh(target)
            ),
        ));
    }

    let last_day = change.and_then(|d| d.previous_day());
    let mut rules = Vec::new();
    let mut first_met = None;
    let mut earliest: Option<Date> = None;
    for rule in edition.rules_for(target, on) {
        let mut conditions = Vec::with_capacity(rule.all.len());
        let mut met = true;
        let mut met_on = Some(on);
        let mut lapses: Option<Date> = None;
        for cond in &rule.all {
            let j = judge(cond, &facts, true);
            met &= j.met;
            met_on = match (met_on, j.met_on) {
                (Some(a), Some(b)) => Some(a.max(b)),
                _ => None,
            };
            lapses = min_opt(lapses, j.until);
            conditions.push(ConditionOutcome {
                kind: cond.kind(),
                met: j.met,
                reason: j.reason.unwrap_or_else(|| Msg::new("", "")),
                met_on: j.met_on,
            });
        }
        // Met on that date only if no condition lapses first and the rule still applies then.
        let cap = min_opt(min_opt(rule.effective_to, edition.effective_to), last_day);
        let met_on = met_on.filter(|d| lapses.is_none_or(|u| *d < u) && cap.is_none_or(|c| *d <= c));
        if met && first_met.is_none() {
            first_met = Some(rule.id.clone());
        }
        if let Some(d) = met_on {
            earliest = Some(earliest.map_or(d, |e| e.min(d)));
        }
        let review = match (&rule.review_zh, &rule.review_en) {
            (Some(zh), Some(en)) => Some(Msg::new(zh.clone(), en.clone())),
            (Some(zh), None) => Some(Msg::new(zh.clone(), zh.clone())),
            (None, Some(en)) => Some(Msg::new(en.clone(), en.clone())),
            (None, None) => None,
        };
        rules.push(RuleOutcome {
            rule: rule.id.clone(),
            text_zh: rule.text_zh.clone(),
            text_en: rule.text_en.clone(),
            source: rule.source.clone(),
            review,
            met,
            conditions,
            met_on,
        });
    }
    if rules.is_empty() {
        notes.push(Msg::new(
            format!("{} 版申报条件中没有申报{}的规则", edition.id, ladder.display(target)),
            format!(
                "the {} edition has no rules for {} ({})",
                edition.id,
                ladder.name_en(target),
                ladder.display(target)
            ),
        ));
    }
    // A yes rests on the rule met; a no on every rule judged.
    let inferred_rule = match &first_met {
        Some(id) => rules.iter().any(|r| &r.rule == id && marks_inference(&r.source)),
        None => rules.iter().any(|r| marks_inference(&r.source)),
    };
    if inferred_rule {
        notes.push(Msg::new(
            "[推断] 判断所依据的规则在策略中标为推断（[I]）或缺少来源（[GAP]），请对照该职业标准原文核验",
            "[inferred] the decision rests on a rule the policy marks as inferred ([I]) or unsourced ([GAP]); check it against the occupation's standard",
        ));
    }
    Decision {
        eligible: first_met.is_some(),
        occupation: occupation.to_owned(),
        target,
        target_name: target_name(policy, target),
        on,
        edition: edition.id.clone(),
        edition_basis: choice.basis,
        edition_reason: choice.reason.clone(),
        rule: first_met,
        rules,
        earliest_eligible_on: earliest,
        notes,
        inferred: inferred_rule || choice.inferred,
        reasons: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Facts about the candidate as of the decision date
// ---------------------------------------------------------------------------------------------

struct Facts<'a> {
    policy: &'a Policy,
    c: &'a Candidate,
    occupation: &'a str,
    on: Date,
    /// Work in this or a related occupation begun on or before `on`, merged, sorted:
    /// `[start, end)` with `end` exclusive, `None` = open.
    work: Vec<(Date, Option<Date>)>,
    /// Of those, the spells without an occupation, counted in the registered one.
    assumed: usize,
    /// Any work at all begun on or before `on`, in any occupation or none.
    any_work: bool,
}

/// Work counted from some date: days worked up to `on`, the first day, and how far the work
/// that is going on at `on` continues.
struct Tally {
    first: Option<Date>,
    days: i64,
    /// `Some(None)`: open-ended; `Some(Some(e))`: until `e` (exclusive); `None`: no work at `on`.
    continues_until: Option<Option<Date>>,
}

impl<'a> Facts<'a> {
    fn new(policy: &'a Policy, c: &'a Candidate, occupation: &'a str, on: Date) -> Facts<'a> {
        let elig = &policy.eligibility;
        let registered = c.registered_occupation.as_deref();
        let valid = |w: &&WorkSpell| w.start <= on && w.end.is_none_or(|e| e >= w.start);
        let counts =
            |w: &&WorkSpell| w.occupation.as_deref().or(registered).is_some_and(|o| elig.related(occupation, o));
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
    fn counts(&self, h: &HeldLevel) -> bool {
        h.obtained_on <= self.on && h.revoked_on.is_none_or(|r| r > self.on)
    }

    /// Levels of at least `level` in this or a related occupation that count on `on`.
    fn qualifying(&self, level: Level) -> impl Iterator<Item = &'a HeldLevel> + '_ {
        self.c.levels.iter().filter(move |h| {
            h.level >= level && self.counts(h) && self.policy.eligibility.related(self.occupation, &h.occupation)
        })
    }

    fn tally(&self, from: Option<Date>) -> Tally {
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
    fn work_years(&self, from: Option<Date>, years: u32) -> (Tally, bool, Option<Date>) {
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

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------

struct Judgement {
    met: bool,
    met_on: Option<Date>,
    /// The condition stops holding on this date (a revocation), if it is met or will be.
    until: Option<Date>,
    reason: Option<Msg>,
}

/// A period `[start, until)` over which a condition holds through one held level.
#[derive(Clone, Copy)]
struct Window {
    start: Date,
    until: Option<Date>,
}

/// Met now if some window has started; otherwise the window that starts first.
fn best_window(on: Date, windows: impl Iterator<Item = Window>) -> (bool, Option<Date>, Option<Date>) {
    let mut now: Option<Option<Date>> = None;
    let mut next: Option<Window> = None;
    for w in windows {
        if w.until.is_some_and(|u| u <= w.start) {
            continue;
        }
        if w.start <= on {
            now = Some(match now {
                None => w.until,
                Some(u) => match (u, w.until) {
                    (Some(a), Some(b)) => Some(a.max(b)),
                    _ => None,
                },
            });
        } else if next.is_none_or(|n| w.start < n.start) {
            next = Some(w);
        }
    }
    match (now, next) {
        (Some(until), _) => (true, Some(on), until),
        (None, Some(w)) => (false, Some(w.start), w.until),
        (None, None) => (false, None, None),
    }
}

fn judge(cond: &Condition, f: &Facts<'_>, explain: bool) -> Judgement {
    match cond {
        Condition::MinAge { years } => min_age(f, *years, explain),
        Condition::Holds { level, years } => holds(f, *level, *years, explain),
        Condition::WorkYears { years } => work_years(f, *years, explain),
        Condition::Education { accepted, years_after_graduation, include_graduating } => {
            education(f, accepted, *years_after_graduation, *include_graduating, explain)
        }
        Condition::Title { grade, years } => title(f, *grade, *years, explain),
        Condition::WorkYearsAfterLevel { level, years } => work_after_level(f, *level, *years, explain),
    }
}

fn min_age(f: &Facts<'_>, years: u32, explain: bool) -> Judgement {
    let turns = add_years(f.c.birth_date, years as i32);
    let met = turns <= f.on;
    let reason = explain.then(|| {
        let age = whole_years_between(f.c.birth_date, f.on);
        if met {
            Msg::new(format!("年满 {years} 周岁（现 {age} 岁）"), format!("aged {age}, at least {years} as required"))
        } else {
            Msg::new(
                format!("未满 {years} 周岁：现 {age} 岁（{} 年满 {years} 周岁）", iso(turns)),
                format!("under {years}: aged {age} (turns {years} on {})", iso(turns)),
            )
        }
    });
    Judgement { met, met_on: Some(turns.max(f.on)), until: None, reason }
}

fn holds(f: &Facts<'_>, level: Level, years: u32, explain: bool) -> Judgement {
    let windows =
        f.qualifying(level).map(|h| Window { start: add_years(h.obtained_on, years as i32), until: h.revoked_on });
    let (met, met_on, until) = best_window(f.on, windows);
    let reason = explain.then(|| {
        let ladder = &f.policy.ladder;
        let want = ladder.name_zh(level);
        // The level held longest stands for the explanation.
        let Some(best) = f.qualifying(level).min_by_key(|h| (h.obtained_on, h.level)) else {
            return not_held(f, level);
        };
        let since = iso(best.obtained_on);
        let held = whole_years_between(best.obtained_on, f.on);
        // "高级工" when the level itself is held, "技师（不低于高级工）" when a higher one stands in.
        let (hz, he) = if best.level == level {
            (want.to_owned(), want.to_owned())
        } else {
            let name = ladder.name_zh(best.level);
            (format!("{name}（不低于{want}）"), format!("{name} ({want} or higher)"))
        };
        let (rule_zh, rule_en) = (format!("规则要求 {years} 年"), format!("rule requires {}", years_en(years as i32)));
        if met && years == 0 {
            return Msg::new(format!("{since} 起持有{hz}"), format!("holds {he} since {since}"));
        }
        if met {
            return Msg::new(
                format!("持有{hz}已 {held} 年（{since} 起），{rule_zh}"),
                format!("has held {he} for {} (since {since}); {rule_en}", years_en(held)),
            );
        }
        let (holds_zh, holds_en) = if best.level == level {
            (format!("{since} 起持有"), format!("holds it since {since}"))
        } else {
            (format!("{since} 起持有{hz}"), format!("holds {he} since {since}"))
        };
        match met_on {
            Some(d) => {
                let (dz, de) = remaining(f.on, d);
                Msg::new(
                    format!("需再任{want} {dz}：{holds_zh}，{rule_zh}（{} 满足）", iso(d)),
                    format!("needs {de} as {want}: {holds_en}, {rule_en} (met on {})", iso(d)),
                )
            }
            None => {
                let revoked = best.revoked_on.map(iso).unwrap_or_default();
                Msg::new(
                    format!("需任{want}满 {years} 年：{holds_zh}，但将于 {revoked} 撤销，届时仍不满足"),
                    format!(
                        "needs {} as {want}: {holds_en}, but it is revoked on {revoked}, before that",
                        years_en(years as i32)
                    ),
                )
            }
        }
    });
    Judgement { met, met_on, until, reason }
}

/// Explains that no qualifying level is held, naming a revoked one if there is.
fn not_held(f: &Facts<'_>, level: Level) -> Msg {
    let ladder = &f.policy.ladder;
    let want = ladder.name_zh(level);
    let revoked =
        f.c.levels
            .iter()
            .filter(|h| {
                h.level >= level
                    && h.obtained_on <= f.on
                    && h.revoked_on.is_some_and(|r| r <= f.on)
                    && f.policy.eligibility.related(f.occupation, &h.occupation)
            })
            .max_by_key(|h| h.revoked_on);
    let mut msg = Msg::new(
        format!("未持有本职业或相关职业的{want}或更高等级"),
        format!("holds no {want} or higher in this or a related occupation"),
    );
    if let Some(h) = revoked {
        let when = h.revoked_on.map(iso).unwrap_or_default();
        let name = ladder.name_zh(h.level);
        msg.zh.push_str(&format!("（{name}已于 {when} 撤销）"));
        msg.en.push_str(&format!(" ({name} was revoked on {when})"));
    }
    msg
}

fn work_years(f: &Facts<'_>, years: u32, explain: bool) -> Judgement {
    let (t, met, met_on) = f.work_years(None, years);
    let reason = explain.then(|| work_reason(f, &t, met, met_on, years, None));
    Judgement { met, met_on, until: None, reason }
}

fn work_after_level(f: &Facts<'_>, level: Level, years: u32, explain: bool) -> Judgement {
    // Each qualifying level opens its own window: work counted from the day it was obtained,
    // lasting until it is revoked.
    let windows = f.qualifying(level).filter_map(|h| {
        let (_, _, met_on) = f.work_years(Some(h.obtained_on), years);
        met_on.map(|start| Window { start, until: h.revoked_on })
    });
    let (met, met_on, until) = best_window(f.on, windows);
    let reason = explain.then(|| match f.qualifying(level).min_by_key(|h| (h.obtained_on, h.level)) {
        None => {
            let want = f.policy.ladder.name_zh(level);
            let base = not_held(f, level);
            Msg::new(
                format!("{}，无法计算取得{want}后的工作年限", base.zh),
                format!("{}, so work after obtaining {want} cannot be counted", base.en),
            )
        }
        Some(best) => {
            let (t, _, _) = f.work_years(Some(best.obtained_on), years);
            work_reason(f, &t, met, met_on, years, Some(best))
        }
    });
    Judgement { met, met_on, until, reason }
}

fn work_reason(
    f: &Facts<'_>,
    t: &Tally,
    met: bool,
    met_on: Option<Date>,
    years: u32,
    after: Option<&HeldLevel>,
) -> Msg {
    let (scope_zh, scope_en) = match after {
        None => ("本职业（含相关职业）".to_owned(), "in this or a related occupation".to_owned()),
        Some(h) => {
            let name = f.policy.ladder.name_zh(h.level);
            (
                format!("{} 取得{name}后本职业（含相关职业）", iso(h.obtained_on)),
                format!("in this or a related occupation since obtaining {name} on {}", iso(h.obtained_on)),
            )
        }
    };
    let Some(first) = t.first else {
        return if met {
            Msg::new("规则不要求工作年限", "the rule requires no years of work")
        } else if !f.any_work {
            Msg::new(
                format!("没有工作经历，规则要求 {years} 年"),
                format!("has no work on record; rule requires {}", years_en(years as i32)),
            )
        } else {
            Msg::new(
                format!("{scope_zh}没有工作经历（登记的工作不属本职业或相关职业，或未登记职业），规则要求 {years} 年"),
                format!(
                    "has no work {scope_en} (the work on record is in other occupations or has none); rule requires {}",
                    years_en(years as i32)
                ),
            )
        };
    };
    let mut msg = counted_work(f, t, first, met, met_on, years, &scope_zh, &scope_en);
    if f.assumed > 0 {
        let reg = f.c.registered_occupation.as_deref().unwrap_or_default();
        let n = f.assumed;
        msg.zh.push_str(&format!("（其中 {n} 段工作未登记职业，按登记职业 {reg} 计）"));
        let spells = if n == 1 { "1 spell".to_owned() } else { format!("{n} spells") };
        msg.en
            .push_str(&format!(" ({spells} of work without an occupation counted in the registered occupation {reg})"));
    }
    msg
}

#[allow(clippy::too_many_arguments)]
fn counted_work(
    f: &Facts<'_>,
    t: &Tally,
    first: Date,
    met: bool,
    met_on: Option<Date>,
    years: u32,
    scope_zh: &str,
    scope_en: &str,
) -> Msg {
    let worked_to = first.checked_add(Duration::days(t.days)).unwrap_or(first);
    let (hz, he) = span_text(first, worked_to);
    if met {
        return Msg::new(
            format!("{scope_zh}累计工作 {hz}，规则要求 {years} 年"),
            format!("has worked {he} {scope_en}; rule requires {}", years_en(years as i32)),
        );
    }
    match met_on {
        Some(d) => {
            let (dz, de) = span_text(f.on, d);
            Msg::new(
                format!("需再累计工作 {dz}：{scope_zh}累计工作 {hz}，规则要求 {years} 年（{} 满足）", iso(d)),
                format!(
                    "needs {de} more work: has worked {he} {scope_en}, rule requires {} (met on {})",
                    years_en(years as i32),
                    iso(d)
                ),
            )
        }
        None => Msg::new(
            format!("{scope_zh}累计工作 {hz}，规则要求 {years} 年；目前没有持续中的相关工作，仅靠等待无法满足"),
            format!(
                "has worked {he} {scope_en}, rule requires {}; no current work in it, so waiting alone will not meet this",
                years_en(years as i32)
            ),
        ),
    }
}

fn education(
    f: &Facts<'_>,
    accepted: &[Education],
    years_after: Option<u32>,
    include_graduating: bool,
    explain: bool,
) -> Judgement {
    let on = f.on;
    let unmet = |reason: Option<Msg>| Judgement { met: false, met_on: None, until: None, reason };
    let list = || {
        (
            accepted.iter().map(|e| e.zh()).collect::<Vec<_>>().join("、"),
            accepted.iter().map(|e| e.en()).collect::<Vec<_>>().join(", "),
        )
    };
    let Some(edu) = f.c.education else {
        return unmet(explain.then(|| Msg::new("未登记学历", "no education recorded")));
    };
    if !accepted.contains(&edu) {
        return unmet(explain.then(|| {
            let (lz, le) = list();
            Msg::new(
                format!("最高学历（{}）不在规则所列范围：{lz}", edu.zh()),
                format!("highest education ({}) is not one the rule accepts: {le}", edu.en()),
            )
        }));
    }
    let has = Msg::new(
        format!("最高学历为{}，属于规则所列学历（专业是否对口未核验）", edu.zh()),
        format!("highest education is {}, which the rule accepts (whether the major matches is not checked)", edu.en()),
    );
    let graduated = f.c.graduated_on;
    match (years_after.filter(|n| *n > 0), graduated) {
        (Some(n), None) => unmet(explain.then(|| {
            Msg::new(
                format!("需毕业满 {n} 年，但未登记毕业日期"),
                format!("needs {} since graduation, but no graduation date is recorded", years_en(n as i32)),
            )
        })),
        (Some(n), Some(g)) => {
            let due = add_years(g, n as i32);
            let met = due <= on;
            let reason = explain.then(|| {
                if met {
                    Msg::new(
                        format!("{}；{} 毕业，已满 {n} 年", has.zh, iso(g)),
                        format!("{}; graduated on {}, at least {} ago", has.en, iso(g), years_en(n as i32)),
                    )
                } else {
                    Msg::new(
                        format!("需毕业满 {n} 年：{} 毕业（{} 满足）", iso(g), iso(due)),
                        format!(
                            "needs {} since graduation: graduated on {} (met on {})",
                            years_en(n as i32),
                            iso(g),
                            iso(due)
                        ),
                    )
                }
            });
            Judgement { met, met_on: Some(due.max(on)), until: None, reason }
        }
        (None, None) => Judgement { met: true, met_on: Some(on), until: None, reason: explain.then_some(has) },
        (None, Some(g)) if g <= on => {
            Judgement { met: true, met_on: Some(on), until: None, reason: explain.then_some(has) }
        }
        (None, Some(g)) => {
            // Still studying. Graduating students count when the rule says so: within a year of
            // graduation [I: the standards say 应届, the graduating year].
            let from = if include_graduating { graduating_from(g) } else { g };
            let met = from <= on;
            let reason = explain.then(|| {
                if met {
                    Msg::new(
                        format!("{}；在读应届毕业生（预计 {} 毕业），规则包括应届毕业生", has.zh, iso(g)),
                        format!("{}; graduating student (expected {}), which the rule includes", has.en, iso(g)),
                    )
                } else if include_graduating {
                    Msg::new(
                        format!("尚未进入毕业年度：预计 {} 毕业（{} 起可按应届毕业生申报）", iso(g), iso(from)),
                        format!(
                            "not yet in the graduating year: expected {} (may apply as a graduating student from {})",
                            iso(g),
                            iso(from)
                        ),
                    )
                } else {
                    Msg::new(
                        format!("尚未毕业：预计 {} 毕业", iso(g)),
                        format!("not yet graduated: expected on {}", iso(g)),
                    )
                }
            });
            Judgement { met, met_on: Some(from.max(on)), until: None, reason }
        }
    }
}

/// The first day on which graduation on `g` is at most one year away.
fn graduating_from(g: Date) -> Date {
    let d = add_years(g, -1);
    if add_years(d, 1) < g { d.next_day().unwrap_or(d) } else { d }
}

fn title(f: &Facts<'_>, grade: TitleGrade, years: u32, explain: bool) -> Judgement {
    let best = f.c.titles.iter().filter(|t| t.grade >= grade && t.obtained_on <= f.on).min_by_key(|t| t.obtained_on);
    let Some(best) = best else {
        let reason = explain
            .then(|| Msg::new(format!("未取得{}或更高职称", grade.zh()), format!("holds no {} or higher", grade.en())));
        return Judgement { met: false, met_on: None, until: None, reason };
    };
    let due = add_years(best.obtained_on, years as i32);
    let met = due <= f.on;
    let reason = explain.then(|| {
        let since = iso(best.obtained_on);
        let name = best.grade.zh();
        let (want_en, held_en) = (with_article(grade.en()), with_article(best.grade.en()));
        if met {
            let held = whole_years_between(best.obtained_on, f.on);
            Msg::new(
                format!("取得{name}已 {held} 年（{since} 起），规则要求{}满 {years} 年（职称专业对应关系未核验）", grade.zh()),
                format!(
                    "has held {held_en} for {} (since {since}); rule requires {want_en} for {} (whether its specialty matches is not checked)",
                    years_en(held),
                    years_en(years as i32)
                ),
            )
        } else {
            let (dz, de) = remaining(f.on, due);
            let obtained_en = if best.grade == grade { "obtained it".to_owned() } else { format!("obtained {held_en}") };
            Msg::new(
                format!("需再持有{} {dz}：{since} 取得{name}，规则要求 {years} 年（{} 满足）", grade.zh(), iso(due)),
                format!(
                    "needs {de} with {want_en}: {obtained_en} on {since}, rule requires {} (met on {})",
                    years_en(years as i32),
                    iso(due)
                ),
            )
        }
    });
    Judgement { met, met_on: Some(due.max(f.on)), until: None, reason }
}

// ---------------------------------------------------------------------------------------------
// Wording of durations
// ---------------------------------------------------------------------------------------------

/// "a junior …" / "an intermediate …".
fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

fn years_en(n: i32) -> String {
    if n == 1 { "1 year".to_owned() } else { format!("{n} years") }
}

fn add_months(d: Date, months: i32) -> Date {
    let total = d.year() * 12 + i32::from(u8::from(d.month())) - 1 + months;
    let (y, m) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u8);
    let month = time::Month::try_from(m).unwrap_or(time::Month::January);
    let day = d.day().min(month.length(y));
    Date::from_calendar_date(y, month, day).unwrap_or(d)
}

/// Calendar distance from `from` to `to` in whole years, months and days.
fn calendar_gap(from: Date, to: Date) -> (i32, i32, i64) {
    if to <= from {
        return (0, 0, 0);
    }
    let years = whole_years_between(from, to);
    let a = add_years(from, years);
    let mut months = 0;
    while months < 12 && add_months(a, months + 1) <= to {
        months += 1;
    }
    let b = add_months(a, months);
    (years, months, (to - b).whole_days())
}

/// "1 年 9 个月" / "1 year 9 months".
fn span_text(from: Date, to: Date) -> (String, String) {
    let (y, m, d) = calendar_gap(from, to);
    let mut zh = Vec::new();
    let mut en = Vec::new();
    if y > 0 {
        zh.push(format!("{y} 年"));
        en.push(years_en(y));
    }
    if m > 0 {
        zh.push(format!("{m} 个月"));
        en.push(if m == 1 { "1 month".to_owned() } else { format!("{m} months") });
    }
    if d > 0 || zh.is_empty() {
        zh.push(format!("{d} 天"));
        en.push(if d == 1 { "1 day".to_owned() } else { format!("{d} days") });
    }
    (zh.join(" "), en.join(" "))
}

/// The time still to wait: zh "2 年", en "2 more years"; or "1 年 9 个月" / "1 year 9 months more".
fn remaining(from: Date, to: Date) -> (String, String) {
    let (y, m, d) = calendar_gap(from, to);
    let (zh, en) = span_text(from, to);
    if m == 0 && d == 0 && y > 0 {
        let en = if y == 1 { "1 more year".to_owned() } else { format!("{y} more years") };
        (zh, en)
    } else {
        (zh, format!("{en} more"))
    }
}
