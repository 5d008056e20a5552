//! `[[working_calendar]]`: the official working-day calendar per year — the public holidays and
//! the make-up working days (调休) of the State Council's annual notice (国务院办公厅关于 YYYY 年
//! 部分节假日安排的通知), each year with its source. Every "N working days" rule (the publicity
//! of evaluation results, a subsidy's review and notice) counts on it. In a year the file does
//! not cover, Monday to Friday are working days and the answer says the year is not covered.

use serde::Serialize;
use time::{Date, Duration, Weekday};

/// The years on file; empty when the policy has none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct WorkingCalendar {
    pub years: Vec<CalendarYear>,
}

/// One year of the State Council's notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CalendarYear {
    pub year: i32,
    /// Days off, each range inclusive (`[from, to]`).
    #[serde(serialize_with = "ser_ranges")]
    pub holidays: Vec<(Date, Date)>,
    /// Weekend days worked instead (调休上班).
    #[serde(serialize_with = "ser_dates")]
    pub workdays: Vec<Date>,
    pub source: String,
}

fn ser_ranges<S: serde::Serializer>(d: &[(Date, Date)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(d.len()))?;
    for (a, b) in d {
        seq.serialize_element(&[crate::dates::iso(*a), crate::dates::iso(*b)])?;
    }
    seq.end()
}

fn ser_dates<S: serde::Serializer>(d: &[Date], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(d.len()))?;
    for x in d {
        seq.serialize_element(&crate::dates::iso(*x))?;
    }
    seq.end()
}

impl WorkingCalendar {
    /// The year's notice, if the policy has it.
    pub fn year(&self, year: i32) -> Option<&CalendarYear> {
        self.years.iter().find(|y| y.year == year)
    }

    /// Whether `d` is a working day: a make-up day is; a holiday is not; otherwise Monday to
    /// Friday.
    pub fn is_working_day(&self, d: Date) -> bool {
        if let Some(y) = self.year(d.year()) {
            if y.workdays.contains(&d) {
                return true;
            }
            if y.holidays.iter().any(|(from, to)| *from <= d && d <= *to) {
                return false;
            }
        }
        !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
    }

    /// The last day of a period of `working_days` working days that starts on `from` (counted
    /// as day one when it is a working day, else from the next one).
    pub fn last_working_day(&self, from: Date, working_days: u32) -> Date {
        let mut d = from;
        while !self.is_working_day(d) {
            d += Duration::days(1);
        }
        let mut counted = 1;
        while counted < working_days {
            d += Duration::days(1);
            if self.is_working_day(d) {
                counted += 1;
            }
        }
        d
    }

    /// The years in `[from, to]` the calendar does not cover (their holidays were not counted).
    pub fn uncovered(&self, from: Date, to: Date) -> Vec<i32> {
        (from.year()..=to.year()).filter(|y| self.year(*y).is_none()).collect()
    }
}
