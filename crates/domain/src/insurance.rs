//! Social-insurance contribution months, counted from a person's spells (起始日期 … 截止日期).
//!
//! Contributions are paid and recorded by the month (费款所属期), and files often give their
//! dates as `YYYY-MM`, so a month counts when at least one of its days (on or before the day
//! asked about) is covered by a spell. Overlapping spells — two employers in one month, a
//! spell recorded twice, a corrected end date — count each month once. A spell without an end
//! is still running: it covers every day up to the day asked about.

use time::{Date, Month};

/// One contribution spell of one scheme; `ends_on` is the last day covered, `None` = still
/// contributing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spell {
    pub starts_on: Date,
    pub ends_on: Option<Date>,
}

/// Months since year 0: `year × 12 + month − 1`.
fn month_index(d: Date) -> i32 {
    d.year() * 12 + i32::from(u8::from(d.month())) - 1
}

/// The first day of the month `i` (a [`month_index`]).
fn month_start(i: i32) -> Option<Date> {
    let month = Month::try_from(u8::try_from(i.rem_euclid(12) + 1).ok()?).ok()?;
    Date::from_calendar_date(i.div_euclid(12), month, 1).ok()
}

/// The calendar months, up to the month of `on`, with at least one day on or before `on`
/// covered by a spell; each month once however many spells cover it.
pub fn months_covered(spells: &[Spell], on: Date) -> u32 {
    let mut ranges: Vec<(i32, i32)> = spells
        .iter()
        .filter(|s| s.starts_on <= on)
        .filter_map(|s| {
            let end = s.ends_on.map_or(on, |e| e.min(on));
            (end >= s.starts_on).then(|| (month_index(s.starts_on), month_index(end)))
        })
        .collect();
    ranges.sort_unstable();
    let mut total: i64 = 0;
    let mut current: Option<(i32, i32)> = None;
    for (from, to) in ranges {
        current = match current {
            Some((a, b)) if from <= b + 1 => Some((a, b.max(to))),
            Some((a, b)) => {
                total += i64::from(b - a + 1);
                Some((from, to))
            }
            None => Some((from, to)),
        };
    }
    if let Some((a, b)) = current {
        total += i64::from(b - a + 1);
    }
    u32::try_from(total).unwrap_or(u32::MAX)
}

/// The first day on or after `on` on which [`months_covered`] reaches `needed`, if the spells
/// run as recorded (a spell without an end keeps running): `on` itself when it is reached
/// already; otherwise the first day of the month (or the day a spell starts) that brings the
/// count to `needed`; `None` when
/// the recorded spells never reach it (the person would have to contribute more).
pub fn reaches(spells: &[Spell], on: Date, needed: u32) -> Option<Date> {
    let have = months_covered(spells, on);
    if have >= needed {
        return Some(on);
    }
    let open = spells.iter().any(|s| s.ends_on.is_none());
    let first = month_index(on) + 1;
    // Beyond the last recorded date only an open spell adds months, one a month.
    let last_known = spells.iter().flat_map(|s| [Some(s.starts_on), s.ends_on]).flatten().map(month_index).max();
    let horizon = match (open, last_known) {
        (true, Some(l)) => l.max(first) + i32::try_from(needed - have).unwrap_or(i32::MAX / 2),
        (false, Some(l)) => l,
        (_, None) => return None,
    };
    // The count grows only on the first day of a month (a running spell covers it) or on the
    // day a spell starts.
    let mut days: Vec<Date> = (first..=horizon).filter_map(month_start).collect();
    days.extend(spells.iter().map(|s| s.starts_on).filter(|d| *d > on));
    days.sort_unstable();
    days.into_iter().find(|d| months_covered(spells, *d) >= needed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn s(a: Date, b: Option<Date>) -> Spell {
        Spell { starts_on: a, ends_on: b }
    }

    #[test]
    fn whole_months_and_overlaps() {
        let on = date!(2026 - 06 - 30);
        assert_eq!(months_covered(&[s(date!(2025 - 01 - 01), Some(date!(2025 - 11 - 30)))], on), 11);
        assert_eq!(months_covered(&[s(date!(2025 - 01 - 01), Some(date!(2025 - 12 - 31)))], on), 12);
        // Two overlapping spells: Jan–Jun and Apr–Sep = Jan–Sep.
        let two = [
            s(date!(2025 - 01 - 01), Some(date!(2025 - 06 - 30))),
            s(date!(2025 - 04 - 01), Some(date!(2025 - 09 - 30))),
        ];
        assert_eq!(months_covered(&two, on), 9);
        // An open spell runs to `on`: Jan–Jun 2026.
        assert_eq!(months_covered(&[s(date!(2026 - 01 - 15), None)], on), 6);
        assert_eq!(months_covered(&[s(date!(2026 - 07 - 01), None)], on), 0);
    }

    #[test]
    fn reaches_the_month_that_completes_the_count() {
        let spells = [s(date!(2025 - 08 - 01), None)];
        // Aug 2025 … Jun 2026 = 11 months on 2026-06-10; the 12th is July.
        assert_eq!(months_covered(&spells, date!(2026 - 06 - 10)), 11);
        assert_eq!(reaches(&spells, date!(2026 - 06 - 10), 12), Some(date!(2026 - 07 - 01)));
        let closed = [s(date!(2025 - 08 - 01), Some(date!(2026 - 03 - 31)))];
        assert_eq!(reaches(&closed, date!(2026 - 06 - 10), 12), None);
        assert_eq!(reaches(&[], date!(2026 - 06 - 10), 12), None);
        // A spell starting mid-month in the future: met on its first day, not the 1st.
        let later = [s(date!(2023 - 08 - 19), Some(date!(2023 - 08 - 19)))];
        assert_eq!(reaches(&later, date!(2020 - 01 - 01), 1), Some(date!(2023 - 08 - 19)));
    }
}
