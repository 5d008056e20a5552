//! Which edition of the application conditions (申报条件) governs a decision.
//!
//! Each national occupational skill standard (国家职业技能标准) follows one template generation
//! of the application conditions; the policy holds the generations as editions (`2018`, `2023`).
//! The edition used is, in order:
//! 1. the one asked for — `--edition` on the command line, or the standard an evaluation
//!    session names;
//! 2. the occupation's standard in force on the date (imported with `gongjiang import
//!    standards`, [`Standard`]);
//! 3. the policy's default ([`crate::policy::Eligibility::edition_for`]): its own
//!    `occupation_editions`, else the latest edition in force.
//!
//! The choice comes with a bilingual reason, and says whether it rests on an inference.

use serde::Serialize;
use time::Date;

use crate::bilingual::Msg;
use crate::dates::iso;
use crate::policy::Policy;

/// The standard that governs an occupation from a date on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standard {
    /// Occupation code `D-DD-DD-DD`.
    pub occupation: String,
    /// Id of the policy edition its application conditions follow, e.g. `2018`.
    pub edition: String,
    pub effective_from: Date,
    /// e.g. 《国家职业技能标准 电工（2018年版）》.
    pub name: Option<String>,
    /// Where the mapping comes from; `[I]` or `[GAP]` in it marks it as inferred.
    pub source: Option<String>,
}

impl Standard {
    /// The mapping is our inference: its source says `[I]` or `[GAP]`.
    pub fn inferred(&self) -> bool {
        self.source.as_deref().is_some_and(marks_inference)
    }

    fn label(&self) -> (String, String) {
        match &self.name {
            Some(n) => (n.clone(), n.clone()),
            None => {
                (format!("职业 {} 的国家职业技能标准", self.occupation), format!("the standard of {}", self.occupation))
            }
        }
    }
}

/// A source or note that marks an inference (`[I]`) or a gap (`[GAP]`).
pub fn marks_inference(source: &str) -> bool {
    source.contains("[I]") || source.contains("[GAP]")
}

/// Why this edition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Asked for explicitly (`--edition`, the API's `edition`).
    Requested,
    /// The evaluation session's standard.
    Session,
    /// The occupation's standard in force on the date.
    Standard,
    /// The policy's default.
    Default,
    /// No edition applies.
    None,
}

impl Basis {
    /// The name JSON gives it.
    pub fn code(self) -> &'static str {
        match self {
            Basis::Requested => "requested",
            Basis::Session => "session",
            Basis::Standard => "standard",
            Basis::Default => "default",
            Basis::None => "none",
        }
    }
}

/// What was asked for, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Asked<'a> {
    Nothing,
    /// An edition id given by the user; an unknown one is an error in the decision.
    Edition(&'a str),
    /// The free text of an evaluation session's standard (`2018`, `2018版`, `2018年版`); text
    /// that names no edition of the policy is set aside with a reason.
    Session(&'a str),
}

/// The edition chosen, why, and until when the choice holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionChoice {
    /// Empty when none applies.
    pub edition: String,
    pub basis: Basis,
    pub reason: Msg,
    /// The choice rests on an inference (a standard mapping marked `[I]`, or the policy's
    /// default because the occupation's standard is not known).
    pub inferred: bool,
    /// The first date on which the same question would get another edition.
    pub change: Option<Date>,
}

/// The edition id a session's standard text names, if it names one of the policy's.
fn session_edition<'p>(policy: &'p Policy, text: &str) -> Option<&'p str> {
    let t = text.trim();
    let t = t.strip_suffix("年版").or_else(|| t.strip_suffix('版')).unwrap_or(t).trim();
    let t = t.strip_suffix('年').unwrap_or(t).trim();
    policy.eligibility.editions.iter().find(|e| e.id == t || e.name_zh == text.trim()).map(|e| e.id.as_str())
}

/// The standard of `occupation` in force on `on`: the latest that began by then.
pub fn standard_on<'s>(standards: &'s [Standard], occupation: &str, on: Date) -> Option<&'s Standard> {
    standards.iter().filter(|s| s.occupation == occupation && s.effective_from <= on).max_by_key(|s| s.effective_from)
}

/// Chooses the edition for `occupation` on `on` (see the module documentation).
pub fn choose(policy: &Policy, standards: &[Standard], occupation: &str, on: Date, asked: Asked<'_>) -> EditionChoice {
    let elig = &policy.eligibility;
    let mut prefix: Option<Msg> = None;
    match asked {
        Asked::Nothing => {}
        Asked::Edition(id) => {
            let reason = match elig.edition(id) {
                Some(e) => Msg::new(
                    format!("按指定的 {id} 版申报条件判断（{}）", e.name_zh),
                    format!("judged under the {id} edition, as asked ({})", e.name_en),
                ),
                None => Msg::new(
                    format!("按指定的 {id} 版申报条件判断"),
                    format!("judged under the {id} edition, as asked"),
                ),
            };
            return EditionChoice {
                edition: id.to_owned(),
                basis: Basis::Requested,
                reason,
                inferred: false,
                change: None,
            };
        }
        Asked::Session(text) => match session_edition(policy, text) {
            Some(id) if elig.edition(id).is_some_and(|e| e.in_force(on)) => {
                let reason = Msg::new(
                    format!("按评价计划写明的职业技能标准（{}）判断，适用 {id} 版申报条件", text.trim()),
                    format!(
                        "judged under the {id} edition: the evaluation session names the standard '{}'",
                        text.trim()
                    ),
                );
                return EditionChoice {
                    edition: id.to_owned(),
                    basis: Basis::Session,
                    reason,
                    inferred: false,
                    change: None,
                };
            }
            _ => {
                prefix = Some(Msg::new(
                    format!("评价计划写明的标准“{}”不对应策略中在 {} 有效的申报条件版本", text.trim(), iso(on)),
                    format!(
                        "the session's standard '{}' names no edition of the policy in force on {}",
                        text.trim(),
                        iso(on)
                    ),
                ));
            }
        },
    }

    if let Some(s) = standard_on(standards, occupation, on) {
        let (name_zh, name_en) = s.label();
        let since = iso(s.effective_from);
        match elig.edition(&s.edition).filter(|e| e.in_force(on)) {
            Some(e) => {
                let next = standards
                    .iter()
                    .filter(|n| n.occupation == occupation && n.effective_from > on && n.edition != s.edition)
                    .map(|n| n.effective_from)
                    .min();
                let after_edition = e.effective_to.and_then(|t| t.next_day());
                let change = match (next, after_edition) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                let mut reason = Msg::new(
                    format!("职业 {occupation} 适用{name_zh}（{since} 施行），其申报条件为 {} 版", e.id),
                    format!(
                        "occupation {occupation} is governed by {name_en} (in force from {since}), which follows the {} edition",
                        e.id
                    ),
                );
                if s.inferred() {
                    reason.zh.push_str("；[推断] 该标准的版本或施行日期未经来源证实");
                    reason.en.push_str("; [inferred] the standard's edition or date is not confirmed by a source");
                }
                return EditionChoice {
                    edition: e.id.clone(),
                    basis: Basis::Standard,
                    reason: joined(&prefix, reason),
                    inferred: s.inferred(),
                    change,
                };
            }
            None => {
                let m = Msg::new(
                    format!("{name_zh}所列 {} 版申报条件在 {} 不在策略有效期内", s.edition, iso(on)),
                    format!("the {} edition {name_en} names is not in the policy on {}", s.edition, iso(on)),
                );
                prefix = Some(joined(&prefix, m));
            }
        }
    }

    // The standard that will take over, if one is on file for a later date.
    let next_standard = standards
        .iter()
        .filter(|n| n.occupation == occupation && n.effective_from > on)
        .map(|n| n.effective_from)
        .min();
    let policy_change = elig.next_edition_change(occupation, on);
    let change = match (next_standard, policy_change) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let Some(e) = elig.edition_for(occupation, on) else {
        let reason = Msg::new(
            format!("{} 没有适用于职业 {occupation} 的申报条件版本", iso(on)),
            format!("no edition of the application conditions applies to occupation {occupation} on {}", iso(on)),
        );
        return EditionChoice {
            edition: String::new(),
            basis: Basis::None,
            reason: joined(&prefix, reason),
            inferred: false,
            change,
        };
    };
    let mapped = elig
        .occupation_editions
        .iter()
        .filter(|m| m.occupation == occupation && m.edition == e.id && m.effective_from <= on)
        .max_by_key(|m| m.effective_from);
    let (reason, inferred) = match mapped {
        Some(m) => (
            Msg::new(
                format!("策略为职业 {occupation} 指定 {} 版申报条件（{}）", e.id, m.source),
                format!("the policy assigns the {} edition to occupation {occupation} ({})", e.id, m.source),
            ),
            marks_inference(&m.source),
        ),
        None => (
            Msg::new(
                format!(
                    "[推断] 未登记职业 {occupation} 的国家职业技能标准，按策略默认采用 {} 施行中最新的 {} 版申报条件（{} 起）",
                    iso(on),
                    e.id,
                    iso(e.effective_from)
                ),
                format!(
                    "[inferred] no standard is on file for occupation {occupation}, so the policy's default applies: the latest edition in force on {}, {} (from {})",
                    iso(on),
                    e.id,
                    iso(e.effective_from)
                ),
            ),
            true,
        ),
    };
    EditionChoice { edition: e.id.clone(), basis: Basis::Default, reason: joined(&prefix, reason), inferred, change }
}

/// `first；then` in both languages, or `then` alone.
fn joined(first: &Option<Msg>, then: Msg) -> Msg {
    match first {
        Some(p) => Msg::new(format!("{}；{}", p.zh, then.zh), format!("{}; {}", p.en, then.en)),
        None => then,
    }
}
