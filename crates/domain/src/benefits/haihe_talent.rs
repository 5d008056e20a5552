//! 海河英才 for skilled workers (`haihe-talent`): eligible when one route of the versioned rule
//! table in force on the day is met — an education type, a level held, an age limit, years of
//! work or months of insurance. A fact the record lacks is reported missing, not guessed.

use time::Date;

use super::model::{BenefitDecision, Condition, Record, RouteOutcome, all_met_on, unmet};
use crate::bilingual::Msg;
use crate::dates::{add_years, iso, whole_years_between};
use crate::insurance::{months_covered, reaches};
use crate::policy::{HaiheTalentScheme, Policy, TalentRoute};

fn route(policy: &Policy, r: &TalentRoute, record: &Record, on: Date) -> RouteOutcome {
    let mut c = Vec::new();
    let allowed: Vec<&str> = r.education.iter().map(|e| e.zh()).collect();
    let allowed_en: Vec<&str> = r.education.iter().map(|e| e.en()).collect();
    c.push(match record.education {
        None => Condition::missing(
            "education",
            Msg::new(
                format!("学历未登记，无法判断（需为：{}）", allowed.join("、")),
                format!("education not on record: cannot decide ({} needed)", allowed_en.join(", ")),
            ),
        ),
        Some(e) if r.education.contains(&e) => {
            Condition::met("education", on, Msg::new(format!("学历：{}", e.zh()), format!("education: {}", e.en())))
        }
        Some(e) => Condition::unmet(
            "education",
            None,
            Msg::new(
                format!("学历为{}，此项需为：{}", e.zh(), allowed.join("、")),
                format!("education is {}; this route needs {}", e.en(), allowed_en.join(", ")),
            ),
        ),
    });
    if let Some(min) = r.min_level {
        let held = record.levels.iter().filter(|l| l.valid_on(on)).map(|l| l.level).max();
        let ladder = &policy.ladder;
        c.push(match held {
            Some(h) if h >= min => Condition::met(
                "min_level",
                on,
                Msg::new(
                    format!("持有{}（需{}或以上）", ladder.name_zh(h), ladder.name_zh(min)),
                    format!("holds {} ({} or above needed)", ladder.name_en(h), ladder.name_en(min)),
                ),
            ),
            _ => {
                let (zh, en) = match held {
                    Some(h) => (ladder.name_zh(h).to_owned(), ladder.name_en(h).to_owned()),
                    None => ("无等级".to_owned(), "no level".to_owned()),
                };
                Condition::unmet(
                    "min_level",
                    None,
                    Msg::new(
                        format!("需持有{}或以上，现为{zh}", ladder.name_zh(min)),
                        format!("{} or above needed; holds {en}", ladder.name_en(min)),
                    ),
                )
            }
        });
    }
    let max = r.max_age;
    c.push(match record.birth_date {
        None => Condition::missing(
            "max_age",
            Msg::new(
                format!("出生日期未登记，无法判断年龄（不超过 {max} 周岁）"),
                format!("birth date not on record: age cannot be told (at most {max})"),
            ),
        ),
        Some(b) => {
            let age = whole_years_between(b, on);
            if age <= max as i32 {
                Condition::met(
                    "max_age",
                    on,
                    Msg::new(format!("年龄 {age} 周岁（不超过 {max} 周岁）"), format!("aged {age} (at most {max})")),
                )
            } else {
                Condition::unmet(
                    "max_age",
                    None,
                    Msg::new(format!("年龄 {age} 周岁，超过 {max} 周岁"), format!("aged {age}, over {max}")),
                )
            }
        }
    });
    if let Some(years) = r.work_years {
        c.push(match record.work_start {
            None => Condition::missing(
                "work_years",
                Msg::new(
                    format!("参加工作日期未登记，无法判断工作年限（需满 {years} 年）"),
                    format!("start of work not on record: years of work cannot be told ({years} needed)"),
                ),
            ),
            Some(w) => {
                let have = whole_years_between(w, on);
                if have >= years as i32 {
                    Condition::met(
                        "work_years",
                        on,
                        Msg::new(
                            format!("工作 {have} 年（需满 {years} 年）"),
                            format!("{have} years of work ({years} needed)"),
                        ),
                    )
                } else {
                    let d = add_years(w, years as i32);
                    Condition::unmet(
                        "work_years",
                        Some(d),
                        Msg::new(
                            format!("工作 {have} 年，需满 {years} 年（{} 满足）", iso(d)),
                            format!("{have} years of work, {years} needed (met on {})", iso(d)),
                        ),
                    )
                }
            }
        });
    }
    if let (Some(need), Some(scheme)) = (r.insurance_months, r.insurance_scheme) {
        let spells = record.spells(scheme);
        let have = months_covered(&spells, on);
        c.push(if spells.is_empty() {
            Condition::missing(
                "insurance_months",
                Msg::new(
                    format!("没有{}缴费记录（需满 {need} 个月）", scheme.zh()),
                    format!("no {} contributions on record ({need} months needed)", scheme.en()),
                ),
            )
        } else if have >= need {
            Condition::met(
                "insurance_months",
                on,
                Msg::new(
                    format!("{}缴费 {have} 个月（需满 {need} 个月）", scheme.zh()),
                    format!("{} paid for {have} months ({need} needed)", scheme.en()),
                ),
            )
        } else {
            let when = reaches(&spells, on, need);
            Condition::unmet(
                "insurance_months",
                when,
                Msg::new(
                    format!("{}缴费 {have} 个月，需满 {need} 个月", scheme.zh()),
                    format!("{} paid for {have} months, {need} needed", scheme.en()),
                ),
            )
        });
    }
    let met = c.iter().all(|x| x.met);
    // Waiting helps only while the person is still young enough and the route still in force.
    let met_on = if met {
        Some(on)
    } else {
        all_met_on(&c).filter(|d| {
            r.effective_to.is_none_or(|t| *d <= t)
                && record.birth_date.is_some_and(|b| whole_years_between(b, *d) <= max as i32)
        })
    };
    RouteOutcome {
        id: r.id.clone(),
        version: r.version.clone(),
        met,
        met_on,
        conditions: c,
        source: r.source.clone(),
        inferred: r.inferred.clone(),
    }
}

pub(super) fn decide(policy: &Policy, s: &HaiheTalentScheme, record: &Record, on: Date) -> BenefitDecision {
    let name = s.head.name();
    let routes: Vec<RouteOutcome> = if s.head.in_force(on) {
        s.routes.iter().filter(|r| r.in_force(on)).map(|r| route(policy, r, record, on)).collect()
    } else {
        Vec::new()
    };
    let chosen = routes.iter().find(|r| r.met);
    let closest = chosen.or_else(|| routes.iter().min_by_key(|r| r.conditions.iter().filter(|c| !c.met).count()));
    // A fact is reported missing only where it decides: on a route whose every other condition
    // is met. Where each route fails on something known, the answer stands without it.
    let mut missing: Vec<String> = Vec::new();
    if chosen.is_none() {
        for r in routes.iter().filter(|r| r.conditions.iter().all(|c| c.met || c.missing)) {
            for c in r.conditions.iter().filter(|c| c.missing) {
                let fact = match c.kind {
                    "education" => "education",
                    "max_age" => "birth_date",
                    "work_years" => "work_start",
                    _ => "insurance",
                };
                if !missing.iter().any(|m| m == fact) {
                    missing.push(fact.to_owned());
                }
            }
        }
    }
    // The closest route: one that only lacks facts, else the one with the fewest unmet.
    let closest = chosen
        .or_else(|| routes.iter().find(|r| !r.conditions.is_empty() && r.conditions.iter().all(|c| c.met || c.missing)))
        .or(closest);
    let earliest_on = if chosen.is_some() { None } else { routes.iter().filter_map(|r| r.met_on).min() };
    let summary = match (chosen, closest) {
        (Some(r), _) => Msg::new(
            format!("符合{}条件（{} 版，规则 {}）", name.zh, r.version, r.id),
            format!("eligible for {} ({} version, route {})", name.en, r.version, r.id),
        ),
        (None, None) => Msg::new(
            format!("不符合{}：{} 没有有效的规则", name.zh, iso(on)),
            format!("not eligible for {}: no route in force on {}", name.en, iso(on)),
        ),
        (None, Some(r)) => {
            let (zh, en) = unmet(&r.conditions);
            match earliest_on {
                Some(d) => Msg::new(
                    format!("暂不符合{}：{zh}；最早 {} 可符合", name.zh, iso(d)),
                    format!("not yet eligible for {}: {en}; earliest on {}", name.en, iso(d)),
                ),
                None if !missing.is_empty() => Msg::new(
                    format!("无法判断{}：登记信息不全（{zh}）", name.zh),
                    format!("cannot decide {}: the record is incomplete ({en})", name.en),
                ),
                None => Msg::new(
                    format!("不符合{}：{zh}（最接近的规则 {}）", name.zh, r.id),
                    format!("not eligible for {}: {en} (closest route {})", name.en, r.id),
                ),
            }
        }
    };
    let conditions = closest.map(|r| r.conditions.clone()).unwrap_or_default();
    let mut reasons = vec![summary];
    reasons.extend(conditions.iter().map(|c| c.reason.clone()));
    let mut notes: Vec<Msg> = s.head.inferred_on(on).cloned().into_iter().collect();
    if let Some(n) = closest.and_then(|r| r.inferred.clone()) {
        notes.push(n);
    }
    BenefitDecision {
        scheme: s.head.id.clone(),
        name,
        eligible: chosen.is_some(),
        amount: None,
        reasons,
        conditions,
        certificates: Vec::new(),
        routes,
        earliest_on,
        missing,
        inferred: !notes.is_empty(),
        inferred_notes: notes,
        source: s.head.source.clone(),
    }
}
