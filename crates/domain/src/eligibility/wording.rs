//! Wording of durations, in Chinese and English.

use time::Date;

use crate::dates::{add_years, whole_years_between};

/// "a junior …" / "an intermediate …".
pub(super) fn with_article(noun: &str) -> String {
    let vowel = noun.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {noun}", if vowel { "an" } else { "a" })
}

pub(super) fn years_en(n: i32) -> String {
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
pub(super) fn span_text(from: Date, to: Date) -> (String, String) {
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
pub(super) fn remaining(from: Date, to: Date) -> (String, String) {
    let (y, m, d) = calendar_gap(from, to);
    let (zh, en) = span_text(from, to);
    if m == 0 && d == 0 && y > 0 {
        let en = if y == 1 { "1 more year".to_owned() } else { format!("{y} more years") };
        (zh, en)
    } else {
        (zh, format!("{en} more"))
    }
}
