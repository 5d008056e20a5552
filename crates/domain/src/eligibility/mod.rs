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

mod bridging;
mod conditions;
mod facts;
mod held_titles;
mod judgement;
mod pathway;
mod record;
mod schooling;
mod wording;

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::dates::iso;
use crate::dates::serde_iso;
use crate::level::Level;
use crate::policy::{Condition, Edition, Policy, is_occupation_code};
use crate::standards::{self, Asked, Basis, EditionChoice, Standard, marks_inference};

pub use crate::policy::TitleGrade;

pub use bridging::{TitleDecision, decide_title, resolve_title};
pub use pathway::{OccupationPathway, next_levels, occupations_of, pathway, pathway_in};
pub use record::{Candidate, HeldLevel, HeldTitle, Schooling, WorkSpell};

use conditions::judge;
use facts::Facts;

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
    /// Met only provisionally: a reviewer must confirm it (待人工核实), e.g. a title whose
    /// specialty the correspondence table does not cover.
    pub needs_review: bool,
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
    /// Some condition is met only provisionally (待人工核实).
    pub needs_review: bool,
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
        summary_of(
            &self.target_name,
            self.eligible.then(|| self.rule.as_deref().unwrap_or_default()),
            &self.edition,
            self.earliest_eligible_on,
            &self.rules,
            &self.notes,
        )
    }
}

/// The one-line answer for a target named `t`: `met` is the rule met, if any.
fn summary_of(
    t: &Msg,
    met: Option<&str>,
    edition: &str,
    earliest: Option<Date>,
    rules: &[RuleOutcome],
    notes: &[Msg],
) -> Msg {
    if let Some(rule) = met {
        return Msg::new(
            format!("符合申报{}条件（{edition} 版，规则 {rule}）", t.zh),
            format!("eligible to apply for {} ({}) ({edition} edition, rule {rule})", t.en, t.zh),
        );
    }
    if let Some(d) = earliest
        && let Some(r) = rules.iter().find(|r| r.met_on == Some(d))
    {
        let (zh, en) = unmet_reasons(r);
        return Msg::new(
            format!("暂不符合申报{}条件：{zh}；最早可于 {} 申报（规则 {}）", t.zh, iso(d), r.rule),
            format!("not yet eligible for {} ({}): {en}; earliest on {} (rule {})", t.en, t.zh, iso(d), r.rule),
        );
    }
    let closest = rules.iter().min_by_key(|r| r.conditions.iter().filter(|c| !c.met).count());
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
            let why = notes.first().cloned().unwrap_or_else(|| Msg::new("没有适用的规则", "no rule applies"));
            Msg::new(
                format!("不符合申报{}条件：{}", t.zh, why.zh),
                format!("not eligible for {} ({}): {}", t.en, t.zh, why.en),
            )
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
        let cap = min_opt(min_opt(rule.effective_to, edition.effective_to), last_day);
        let outcome = judge_rule(&facts, RuleText::of(rule), &rule.all, cap);
        if outcome.met && first_met.is_none() {
            first_met = Some(rule.id.clone());
        }
        if let Some(d) = outcome.met_on {
            earliest = Some(earliest.map_or(d, |e| e.min(d)));
        }
        rules.push(outcome);
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
    let inferred_rule = inference_notes(&rules, first_met.as_deref(), &mut notes);
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

/// What a rule says, as an outcome repeats it.
struct RuleText<'a> {
    id: &'a str,
    text_zh: &'a str,
    text_en: &'a str,
    source: &'a str,
    review_zh: Option<&'a str>,
    review_en: Option<&'a str>,
}

impl<'a> RuleText<'a> {
    fn of(r: &'a crate::policy::Rule) -> RuleText<'a> {
        RuleText {
            id: &r.id,
            text_zh: &r.text_zh,
            text_en: &r.text_en,
            source: &r.source,
            review_zh: r.review_zh.as_deref(),
            review_en: r.review_en.as_deref(),
        }
    }
}

/// Judges every condition of one rule. `cap`: the last day the rule applies, which bounds
/// `met_on`.
fn judge_rule(facts: &Facts<'_>, text: RuleText<'_>, all: &[Condition], cap: Option<Date>) -> RuleOutcome {
    let mut conditions = Vec::with_capacity(all.len());
    let mut met = true;
    let mut met_on = Some(facts.on);
    let mut lapses: Option<Date> = None;
    for cond in all {
        let j = judge(cond, facts, true);
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
            needs_review: j.review,
        });
    }
    // Met on that date only if no condition lapses first and the rule still applies then.
    let met_on = met_on.filter(|d| lapses.is_none_or(|u| *d < u) && cap.is_none_or(|c| *d <= c));
    let review = match (text.review_zh, text.review_en) {
        (Some(zh), Some(en)) => Some(Msg::new(zh, en)),
        (Some(zh), None) => Some(Msg::new(zh, zh)),
        (None, Some(en)) => Some(Msg::new(en, en)),
        (None, None) => None,
    };
    RuleOutcome {
        rule: text.id.to_owned(),
        text_zh: text.text_zh.to_owned(),
        text_en: text.text_en.to_owned(),
        source: text.source.to_owned(),
        review,
        met,
        needs_review: conditions.iter().any(|c| c.needs_review),
        conditions,
        met_on,
    }
}

/// Whether the answer rests on an inference, with the notes that say so. A yes rests on the
/// rule met; a no on every rule judged. A yes whose rule is met only provisionally (a condition
/// needs review) rests on an inference too.
fn inference_notes(rules: &[RuleOutcome], first_met: Option<&str>, notes: &mut Vec<Msg>) -> bool {
    let inferred_rule = match first_met {
        Some(id) => rules.iter().any(|r| r.rule == id && marks_inference(&r.source)),
        None => rules.iter().any(|r| marks_inference(&r.source)),
    };
    if inferred_rule {
        notes.push(Msg::new(
            "[推断] 判断所依据的规则在策略中标为推断（[I]）或缺少来源（[GAP]），请对照该职业标准原文核验",
            "[inferred] the decision rests on a rule the policy marks as inferred ([I]) or unsourced ([GAP]); check it against the occupation's standard",
        ));
    }
    let review = first_met.is_some_and(|id| rules.iter().any(|r| r.rule == id && r.needs_review));
    if review {
        notes.push(Msg::new(
            "待人工核实：所依据的规则中有条件只能暂按满足处理（见各条件说明），须由审核人员确认",
            "needs review (待人工核实): a condition of the rule met is met only provisionally (see its reason); a reviewer must confirm it",
        ));
    }
    inferred_rule || review
}
