//! The condition kinds of the policy's rules, each judged against the facts with its reason.

use time::{Date, Duration};

use super::facts::{Facts, Tally};
use super::judgement::Judgement;
use super::record::HeldLevel;
use super::wording::{remaining, span_text, years_en};
use crate::bilingual::Msg;
use crate::dates::{add_years, iso, whole_years_between};
use crate::level::Level;
use crate::policy::Condition;

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

pub(super) fn judge(cond: &Condition, f: &Facts<'_>, explain: bool) -> Judgement {
    match cond {
        Condition::MinAge { years } => min_age(f, *years, explain),
        Condition::Holds { level, years } => holds(f, *level, *years, explain),
        Condition::WorkYears { years } => work_years(f, *years, explain),
        Condition::Education { accepted, years_after_graduation, include_graduating } => {
            super::schooling::education(f, accepted, *years_after_graduation, *include_graduating, explain)
        }
        Condition::Title { grade, years } => super::held_titles::title(f, *grade, *years, explain),
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
    Judgement { met, met_on: Some(turns.max(f.on)), until: None, reason, review: false }
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
    Judgement { met, met_on, until, reason, review: false }
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
    let mut msg = if f.occupation.is_empty() {
        Msg::new(format!("未持有任何职业的{want}或更高等级"), format!("holds no {want} or higher in any occupation"))
    } else {
        Msg::new(
            format!("未持有本职业或相关职业的{want}或更高等级"),
            format!("holds no {want} or higher in this or a related occupation"),
        )
    };
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
    Judgement { met, met_on, until: None, reason, review: false }
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
    Judgement { met, met_on, until, reason, review: false }
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
