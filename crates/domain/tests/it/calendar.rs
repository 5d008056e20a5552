//! The working-day calendar of the policy (issue 13): the State Council's holidays and make-up
//! days per year, each year sourced; a period of N working days counts on it.

use gongjiang_domain::policy::{Policy, TIANJIN_TOML};
use time::macros::date;

#[test]
fn holidays_are_skipped_and_make_up_days_count() {
    let p = Policy::tianjin();
    let cal = &p.calendar;
    assert!(cal.years.iter().all(|y| y.source.contains("[C3]") && y.source.contains("节假日安排")));
    // Spring Festival 2026: 02-15 … 02-23 off, Saturday 02-14 and 02-28 worked.
    assert!(cal.is_working_day(date!(2026 - 02 - 14)));
    assert!(!cal.is_working_day(date!(2026 - 02 - 16)));
    assert!(cal.is_working_day(date!(2026 - 02 - 24)));
    // 5 working days from Friday 2026-02-13: 13, 14 (Sat, 调休), 24, 25, 26.
    assert_eq!(cal.last_working_day(date!(2026 - 02 - 13), 5), date!(2026 - 02 - 26));
    // 2025 New Year's Day alone is off.
    assert!(!cal.is_working_day(date!(2025 - 01 - 01)));
    assert!(cal.is_working_day(date!(2025 - 01 - 02)));
    // A year not on file counts Monday to Friday and says so.
    assert_eq!(cal.uncovered(date!(2026 - 12 - 20), date!(2027 - 01 - 10)), [2027]);
    assert!(!cal.is_working_day(date!(2027 - 01 - 02)));
}

#[test]
fn a_make_up_day_that_is_not_a_weekend_is_refused_with_its_key() {
    let text = TIANJIN_TOML.replacen("workdays = [2026-01-04,", "workdays = [2026-01-05,", 1);
    let errors = Policy::from_toml_str(&text, "bad.toml").unwrap_err();
    assert!(
        errors.iter().any(|e| e.key == "working_calendar[1].workdays[0]" && e.why.zh.contains("周末")),
        "{errors:?}"
    );
}
