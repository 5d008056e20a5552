//! The `education` condition over every education record, each with its dates.
//!
//! - A graduate counts from the graduation date (and `years_after_graduation` from it).
//! - A student (an expected date, no graduation) is not a graduate. Where a rule includes
//!   graduating students (含在读应届毕业生) they count in their graduating year only: the year
//!   up to the expected date [I: the standards say 应届 without defining the year]. Once the
//!   expected date has passed with no graduation on record the record counts provisionally and a
//!   reviewer must see the diploma (待人工核实).
//! - Any record may qualify: a 技师学院 graduate who later earned a 大专 keeps the
//!   technician-school routes; the class attended decides which.
//! - With no record on file the registry's single highest education stands in (its one date,
//!   if any).

use time::Date;

use super::facts::Facts;
use super::judgement::Judgement;
use super::wording::years_en;
use crate::bilingual::Msg;
use crate::dates::{add_years, iso};
use crate::registry::Education;

/// One record as the condition reads it.
struct Record<'a> {
    education: Education,
    major: Option<&'a str>,
    graduated_on: Option<Date>,
    expected_on: Option<Date>,
    /// The registry's highest-education field, not an education record.
    registry: bool,
}

fn records<'a>(f: &Facts<'a>) -> Vec<Record<'a>> {
    if !f.c.schooling.is_empty() {
        return f
            .c
            .schooling
            .iter()
            .map(|s| Record {
                education: s.education,
                major: s.major.as_deref(),
                graduated_on: s.graduated_on,
                expected_on: s.expected_on,
                registry: false,
            })
            .collect();
    }
    // The registry's one value: a future date means still studying.
    let Some(education) = f.c.education else { return Vec::new() };
    let (graduated_on, expected_on) = match f.c.graduated_on {
        Some(g) if g > f.on => (None, Some(g)),
        g => (g, None),
    };
    vec![Record { education, major: None, graduated_on, expected_on, registry: true }]
}

pub(super) fn education(
    f: &Facts<'_>,
    accepted: &[Education],
    years_after: Option<u32>,
    include_graduating: bool,
    explain: bool,
) -> Judgement {
    let unmet = |reason: Option<Msg>| Judgement { met: false, met_on: None, until: None, reason, review: false };
    let all = records(f);
    if all.is_empty() {
        return unmet(explain.then(|| Msg::new("未登记学历", "no education recorded")));
    }
    let matching: Vec<&Record<'_>> = all.iter().filter(|r| accepted.contains(&r.education)).collect();
    if matching.is_empty() {
        return unmet(explain.then(|| {
            let held_zh = all.iter().map(|r| r.education.zh()).collect::<Vec<_>>().join("、");
            let held_en = all.iter().map(|r| r.education.en()).collect::<Vec<_>>().join(", ");
            let list_zh = accepted.iter().map(|e| e.zh()).collect::<Vec<_>>().join("、");
            let list_en = accepted.iter().map(|e| e.en()).collect::<Vec<_>>().join(", ");
            Msg::new(
                format!("登记的学历（{held_zh}）不在规则所列范围：{list_zh}"),
                format!("the education on record ({held_en}) is not one the rule accepts: {list_en}"),
            )
        }));
    }
    let years = years_after.filter(|n| *n > 0);
    let judged: Vec<Judgement> = matching.iter().map(|r| one(f, r, years, include_graduating, explain)).collect();
    // Met without review first, then met, then the earliest date, then the first record.
    let best = judged
        .iter()
        .enumerate()
        .min_by_key(|(i, j)| (!j.met, j.review, j.met_on.is_none(), j.met_on, *i))
        .map_or(0, |(i, _)| i);
    judged.into_iter().nth(best).unwrap_or_else(|| unmet(None))
}

/// "技工院校高级工班（数控加工，2019-07-01 毕业）" / "… (CNC machining, graduated on 2019-07-01)".
fn describe(r: &Record<'_>) -> (String, String) {
    let (when_zh, when_en) = match (r.graduated_on, r.expected_on) {
        (Some(g), _) => (format!("{} 毕业", iso(g)), format!("graduated on {}", iso(g))),
        (None, Some(e)) => {
            (format!("在读，预计 {} 毕业", iso(e)), format!("student, expected to graduate on {}", iso(e)))
        }
        (None, None) => ("毕业日期未登记".to_owned(), "graduation date not recorded".to_owned()),
    };
    let (zh, en) = match r.major {
        Some(m) => (format!("{m}，{when_zh}"), format!("{m}, {when_en}")),
        None => (when_zh, when_en),
    };
    let (origin_zh, origin_en) =
        if r.registry { ("登记的最高学历为", "highest education on record: ") } else { ("", "") };
    (format!("{origin_zh}{}（{zh}）", r.education.zh()), format!("{origin_en}{} ({en})", r.education.en()))
}

fn one(f: &Facts<'_>, r: &Record<'_>, years: Option<u32>, include_graduating: bool, explain: bool) -> Judgement {
    let on = f.on;
    let (what_zh, what_en) = describe(r);
    let check_major = |zh: String, en: String| {
        Msg::new(format!("{zh}（专业是否对口未核验）"), format!("{en} (whether the major matches is not checked)"))
    };
    let graduated = r.graduated_on.filter(|g| *g <= on);
    let j = |met: bool, met_on: Option<Date>, review: bool, reason: Option<Msg>| Judgement {
        met,
        met_on: met_on.map(|d| d.max(on)),
        until: None,
        reason,
        review,
    };
    match (years, graduated, r.graduated_on.or(r.expected_on)) {
        // Years since graduation are asked for.
        (Some(n), Some(g), _) => {
            let due = add_years(g, n as i32);
            let met = due <= on;
            j(
                met,
                Some(due),
                false,
                explain.then(|| {
                    if met {
                        check_major(
                            format!("{what_zh}，已毕业满 {n} 年"),
                            format!("{what_en}, at least {} ago", years_en(n as i32)),
                        )
                    } else {
                        Msg::new(
                            format!("需毕业满 {n} 年：{what_zh}（{} 满足）", iso(due)),
                            format!("needs {} since graduation: {what_en} (met on {})", years_en(n as i32), iso(due)),
                        )
                    }
                }),
            )
        }
        (Some(n), None, Some(expected)) => {
            let due = add_years(expected, n as i32);
            j(
                false,
                Some(due),
                false,
                explain.then(|| {
                    Msg::new(
                        format!("需毕业满 {n} 年：{what_zh}，尚未登记毕业（如期毕业则 {} 满足）", iso(due)),
                        format!(
                            "needs {} since graduation: {what_en}, no graduation on record (met on {} if it is as expected)",
                            years_en(n as i32),
                            iso(due)
                        ),
                    )
                }),
            )
        }
        (Some(n), None, None) => j(
            false,
            None,
            false,
            explain.then(|| {
                Msg::new(
                    format!("需毕业满 {n} 年，但未登记毕业日期：{what_zh}"),
                    format!(
                        "needs {} since graduation, but no graduation date is recorded: {what_en}",
                        years_en(n as i32)
                    ),
                )
            }),
        ),
        // Graduated (on a known date, or on an unknown one in the registry's single field).
        (None, Some(_), _) | (None, None, None) => j(
            true,
            Some(on),
            false,
            explain.then(|| {
                check_major(format!("{what_zh}，属于规则所列学历"), format!("{what_en}, which the rule accepts"))
            }),
        ),
        // A student: not a graduate.
        (None, None, Some(expected)) => student(expected, include_graduating, on, explain, &what_zh, &what_en),
    }
}

fn student(
    expected: Date,
    include_graduating: bool,
    on: Date,
    explain: bool,
    what_zh: &str,
    what_en: &str,
) -> Judgement {
    let j = |met: bool, met_on: Date, review: bool, zh: String, en: String| Judgement {
        met,
        met_on: Some(met_on.max(on)),
        until: None,
        reason: explain.then(|| Msg::new(zh, en)),
        review,
    };
    if expected <= on {
        // The expected date has passed and no graduation is on record.
        return j(
            true,
            on,
            true,
            format!("待人工核实：{what_zh}，预计毕业日期已过但未登记毕业，须核验毕业证书"),
            format!(
                "needs review (待人工核实): {what_en}; the expected date has passed but no graduation is on record — check the diploma"
            ),
        );
    }
    if !include_graduating {
        return j(
            false,
            expected,
            false,
            format!("尚未毕业：{what_zh}；规则不包括在读学生"),
            format!("not yet graduated: {what_en}; the rule does not include students"),
        );
    }
    let from = graduating_from(expected);
    if from <= on {
        j(
            true,
            on,
            false,
            format!("{what_zh}：毕业年度内的在读应届毕业生，规则包括应届毕业生（专业是否对口未核验）"),
            format!(
                "{what_en}: a student in the graduating year, whom the rule includes (whether the major matches is not checked)"
            ),
        )
    } else {
        j(
            false,
            from,
            false,
            format!("尚未进入毕业年度：{what_zh}（{} 起可按应届毕业生申报）", iso(from)),
            format!("not yet in the graduating year: {what_en} (may apply as a graduating student from {})", iso(from)),
        )
    }
}

/// The first day of the graduating year: graduation on `g` is at most one year away.
fn graduating_from(g: Date) -> Date {
    let d = add_years(g, -1);
    if add_years(d, 1) < g { d.next_day().unwrap_or(d) } else { d }
}
