//! Dates as users write them in files: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or `YYYY-MM`
//! (a month alone means its first day), and whole-year arithmetic for rules.

use time::{Date, Month};

/// Parses a date cell. Returns `None` for anything that is not a real calendar date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let (y, m, d) = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        (&s[0..4], &s[4..6], Some(&s[6..8]))
    } else {
        let mut parts = s.split(['-', '/', '.']);
        let y = parts.next()?;
        let m = parts.next()?;
        let d = parts.next();
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    if y.len() != 4 || m.is_empty() || m.len() > 2 || d.is_some_and(|d| d.is_empty() || d.len() > 2) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let month: u8 = m.parse().ok()?;
    let day: u8 = match d {
        Some(d) => d.parse().ok()?,
        None => 1,
    };
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

/// `date` plus whole years; 29 February becomes 28 February in a common year.
pub fn add_years(date: Date, years: i32) -> Date {
    let y = date.year() + years;
    Date::from_calendar_date(y, date.month(), date.day())
        .or_else(|_| Date::from_calendar_date(y, date.month(), 28))
        .unwrap_or(date)
}

/// `date` plus whole months; a day past the end of the target month becomes its last day
/// (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: Date, months: i32) -> Date {
    let index = date.year() * 12 + i32::from(u8::from(date.month())) - 1 + months;
    let year = index.div_euclid(12);
    let Ok(month) = Month::try_from(u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1)) else { return date };
    let last = month.length(year);
    Date::from_calendar_date(year, month, date.day().min(last)).unwrap_or(date)
}

/// Whole years completed from `from` to `to` (0 when `to` is before `from`).
pub fn whole_years_between(from: Date, to: Date) -> i32 {
    if to < from {
        return 0;
    }
    let mut years = to.year() - from.year();
    if add_years(from, years) > to {
        years -= 1;
    }
    years
}

/// ISO form `YYYY-MM-DD`.
pub fn iso(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Serde helper for a `Date` as `YYYY-MM-DD` both ways, whatever serde features of `time` the
/// build enables (without `serde-human-readable` a `Date` would be a tuple):
/// `#[serde(with = "gongjiang_domain::dates::serde_iso")]`, and `serde_iso::option` for an
/// `Option<Date>`. The one date format of every report and response.
pub mod serde_iso {
    use serde::{Deserialize, Deserializer, Serializer};
    use time::Date;

    pub fn serialize<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::iso(*d))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).ok_or_else(|| serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s}")))
    }

    /// Strict `YYYY-MM-DD` (what [`super::iso`] writes).
    fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        super::parse_date(s)
    }

    /// The same for an `Option<Date>` (`null` for `None`).
    pub mod option {
        use serde::{Deserialize, Deserializer, Serializer};
        use time::Date;

        pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
            match d {
                Some(d) => s.serialize_some(&super::super::iso(*d)),
                None => s.serialize_none(),
            }
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
            match Option::<String>::deserialize(d)? {
                None => Ok(None),
                Some(s) => super::parse(&s)
                    .map(Some)
                    .ok_or_else(|| serde::de::Error::custom(format!("not a YYYY-MM-DD date: {s}"))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn parses_the_forms_people_type() {
        assert_eq!(parse_date("2022-03-01"), Some(date!(2022 - 03 - 01)));
        assert_eq!(parse_date("2022/3/1"), Some(date!(2022 - 03 - 01)));
        assert_eq!(parse_date("20220301"), Some(date!(2022 - 03 - 01)));
        assert_eq!(parse_date("2022-03"), Some(date!(2022 - 03 - 01)));
        assert_eq!(parse_date(" 2022-03-01 "), Some(date!(2022 - 03 - 01)));
        assert_eq!(parse_date("2022-02-30"), None);
        assert_eq!(parse_date("2022-13"), None);
        assert_eq!(parse_date("22-03-01"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("2022-03-01-01"), None);
    }

    #[test]
    fn whole_years_respect_anniversaries() {
        assert_eq!(whole_years_between(date!(2020 - 03 - 01), date!(2024 - 02 - 29)), 3);
        assert_eq!(whole_years_between(date!(2020 - 03 - 01), date!(2024 - 03 - 01)), 4);
        assert_eq!(whole_years_between(date!(2020 - 02 - 29), date!(2021 - 02 - 28)), 1);
        assert_eq!(whole_years_between(date!(2024 - 01 - 01), date!(2020 - 01 - 01)), 0);
        assert_eq!(add_years(date!(2020 - 02 - 29), 1), date!(2021 - 02 - 28));
        assert_eq!(add_months(date!(2025 - 03 - 02), 12), date!(2026 - 03 - 02));
        assert_eq!(add_months(date!(2025 - 01 - 31), 1), date!(2025 - 02 - 28));
        assert_eq!(add_months(date!(2024 - 12 - 15), -13), date!(2023 - 11 - 15));
    }
}
