//! Checks of `[[working_calendar]]`, building `WorkingCalendar`: one entry per year, every day
//! within its year, ranges in order, make-up working days on a weekend and not also a holiday.

use std::collections::HashSet;

use time::Weekday;

use super::calendar::{CalendarYear, WorkingCalendar};
use super::raw::{RawCalendarYear, RawDayOrRange};
use super::read::Loader;
use crate::bilingual::Msg;
use crate::dates::iso;

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn calendar(&mut self, rows: &[(String, RawCalendarYear)]) -> WorkingCalendar {
        let mut seen = HashSet::new();
        let mut years = Vec::new();
        for (path, y) in rows {
            self.text(&format!("{path}.source"), &y.source);
            if !seen.insert(y.year) {
                self.err(
                    &format!("{path}.year"),
                    Msg::new(format!("{} 年已有日历", y.year), format!("the year {} has a calendar already", y.year)),
                );
                continue;
            }
            let mut ok = true;
            let mut holidays = Vec::new();
            for (i, h) in y.holidays.iter().enumerate() {
                let p = format!("{path}.holidays[{i}]");
                let (a, b) = match h {
                    RawDayOrRange::Day(d) => {
                        let d = self.date(&p, d);
                        (d, d)
                    }
                    RawDayOrRange::Range(v) if v.len() == 2 => (self.date(&p, &v[0]), self.date(&p, &v[1])),
                    RawDayOrRange::Range(_) => {
                        self.err(
                            &p,
                            Msg::new("假期应为一个日期或 [起, 止] 两个日期", "a holiday is a date or [from, to]"),
                        );
                        (None, None)
                    }
                };
                match (a, b) {
                    (Some(a), Some(b)) if a <= b && a.year() == y.year && b.year() == y.year => holidays.push((a, b)),
                    (Some(a), Some(b)) => {
                        ok = false;
                        self.err(
                            &p,
                            Msg::new(
                                format!("假期 {}–{} 应在 {} 年内且起不晚于止", iso(a), iso(b), y.year),
                                format!("the holiday {}–{} must lie in {} with from ≤ to", iso(a), iso(b), y.year),
                            ),
                        );
                    }
                    _ => ok = false,
                }
            }
            let mut workdays = Vec::new();
            for (i, d) in y.workdays.iter().enumerate() {
                let p = format!("{path}.workdays[{i}]");
                let Some(d) = self.date(&p, d) else {
                    ok = false;
                    continue;
                };
                let weekend = matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday);
                let off = holidays.iter().any(|(a, b)| *a <= d && d <= *b);
                if d.year() != y.year || !weekend || off {
                    ok = false;
                    self.err(
                        &p,
                        Msg::new(
                            format!("调休上班日 {} 应为 {} 年内的周末且不在假期内", iso(d), y.year),
                            format!(
                                "the make-up working day {} must be a weekend day of {} outside the holidays",
                                iso(d),
                                y.year
                            ),
                        ),
                    );
                }
                workdays.push(d);
            }
            if ok {
                years.push(CalendarYear { year: y.year, holidays, workdays, source: y.source.clone() });
            }
        }
        WorkingCalendar { years }
    }
}
