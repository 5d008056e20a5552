//! Chinese resident identity number (公民身份号码), GB 11643-1999.
//!
//! An 18-character number: a 6-digit address code (GB/T 2260), an 8-digit birth date
//! `YYYYMMDD`, a 3-digit sequence code (odd = male, even = female) and one check character
//! computed with ISO 7064 MOD 11-2 (`0`–`9` or `X` for 10). Legacy 15-digit numbers
//! (GB 11643-1989: 6 address + `YYMMDD` + 3 sequence, no check digit) are converted to the
//! 18-character form by inserting `19` before the year and computing the check character.
//!
//! The address code is deliberately *not* checked against the current code list: numbers
//! issued under abolished county codes (e.g. 120225, the former 蓟县 in Tianjin) stay valid for
//! life. Only the two-digit province prefix is checked.

use serde::Serialize;
use time::{Date, Month};

use crate::bilingual::{Explain, Msg};
use crate::dates::iso;
pub use crate::division::{is_province_prefix, province_name};
use crate::identifier::{Segment, normalize_input};

/// The earliest birth date accepted. GB 11643-1999 itself sets no limit; 1880-01-01 keeps the
/// widely published example `440524188001010014` valid while rejecting obvious typos such as
/// a year 1088.
pub const EARLIEST_BIRTH_DATE: Date = time::macros::date!(1880 - 01 - 01);

/// ISO 7064 MOD 11-2 weights for the 17 body digits: `2^(18 − i) mod 11`, `i` = 1..=17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// Check character for `S mod 11` = 0..=10.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// A valid 18-character resident identity number: 17 digits and a check character (`0`–`9`
/// or upper-case `X`).
///
/// `Debug` prints only the masked form, so an `IdNumber` that slips into a log does not leak
/// the full number. Use [`IdNumber::as_str`] where the full number is really needed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct IdNumber(String);

/// The result of [`IdNumber::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedIdNumber {
    pub id: IdNumber,
    /// The input was a legacy 15-digit number, converted to 18 characters.
    pub converted_from_15: bool,
}

/// Gender encoded by the sequence code (digit 17): odd = male, even = female.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn name(self) -> Msg {
        Msg::new(self.zh(), self.en())
    }
}

/// Why a string is not a valid resident identity number. Positions are 1-based character
/// positions in the (trimmed) input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdNumberError {
    /// Nothing but white space.
    Empty,
    /// Neither 18 characters nor 15 digits.
    WrongLength { len: usize },
    /// A character that must be a digit is not (position 18: must be a digit or `X`).
    NotDigit { position: usize, found: char },
    /// The first two digits are not a GB/T 2260 province prefix.
    UnknownProvince { code: String },
    /// The birth-date digits are not a calendar date (e.g. `19800230`).
    ImpossibleDate { digits: String, legacy_15: bool },
    /// The birth date is after `today`.
    FutureDate { birth: Date, today: Date },
    /// The birth date is before [`EARLIEST_BIRTH_DATE`].
    TooOld { birth: Date },
    /// The check character does not match the 17-digit body.
    BadCheckChar { expected: char, found: char },
}

impl Explain for IdNumberError {
    fn explain(&self) -> Msg {
        match self {
            IdNumberError::Empty => Msg::new("身份证号码为空", "the ID number is empty"),
            IdNumberError::WrongLength { len } => Msg::new(
                format!("身份证号码应为 18 位（或 15 位旧号码），实为 {len} 位"),
                format!("an ID number has 18 characters (or 15 digits for an old-style number), found {len}"),
            ),
            IdNumberError::NotDigit { position: 18, found } => Msg::new(
                format!("第 18 位（校验码）应为数字或 X，实为“{found}”"),
                format!("character 18 (the check character) should be a digit or X, found '{found}'"),
            ),
            IdNumberError::NotDigit { position, found } => Msg::new(
                format!("第 {position} 位应为数字，实为“{found}”"),
                format!("character {position} should be a digit, found '{found}'"),
            ),
            IdNumberError::UnknownProvince { code } => Msg::new(
                format!("第 1–2 位“{code}”不是有效的省级行政区划代码（GB/T 2260）"),
                format!("characters 1–2, '{code}', are not a valid province code (GB/T 2260)"),
            ),
            IdNumberError::ImpossibleDate { digits, legacy_15 } => {
                // In a 15-digit number the date is YYMMDD at characters 7–12.
                let pos = if *legacy_15 { "7–12" } else { "7–14" };
                Msg::new(
                    format!("第 {pos} 位出生日期“{digits}”不是真实存在的日期"),
                    format!("characters {pos}, the birth date '{digits}', are not a real calendar date"),
                )
            }
            IdNumberError::FutureDate { birth, today } => Msg::new(
                format!("第 7–14 位出生日期 {} 晚于今天（{}）", iso(*birth), iso(*today)),
                format!("characters 7–14: the birth date {} is after today ({})", iso(*birth), iso(*today)),
            ),
            IdNumberError::TooOld { birth } => Msg::new(
                format!("第 7–14 位出生日期 {} 早于 {}，不可信", iso(*birth), iso(EARLIEST_BIRTH_DATE)),
                format!(
                    "characters 7–14: the birth date {} is before {}, which is not plausible",
                    iso(*birth),
                    iso(EARLIEST_BIRTH_DATE)
                ),
            ),
            IdNumberError::BadCheckChar { expected, found } => Msg::new(
                format!("第 18 位校验码应为 {expected}，实为 {found}（请核对号码是否抄错）"),
                format!(
                    "character 18, the check character, should be {expected}, found {found} (check the number for a typo)"
                ),
            ),
        }
    }
}

impl std::fmt::Display for IdNumberError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.explain())
    }
}

impl std::error::Error for IdNumberError {}

impl IdNumber {
    /// Parses an 18-character number or converts a 15-digit legacy one.
    ///
    /// The input is trimmed; full-width digits and letters are folded to ASCII and a lower-case
    /// `x` is accepted and stored upper-case. `today` is used to reject birth dates in the
    /// future.
    pub fn parse(s: &str, today: Date) -> Result<ParsedIdNumber, IdNumberError> {
        let s = normalize_input(s);
        let chars: Vec<char> = s.chars().collect();
        let (body, found_check, legacy) = match chars.len() {
            0 => return Err(IdNumberError::Empty),
            18 => {
                check_digits(&chars[..17], 1)?;
                let c = chars[17].to_ascii_uppercase();
                if !(c.is_ascii_digit() || c == 'X') {
                    return Err(IdNumberError::NotDigit { position: 18, found: chars[17] });
                }
                (chars[..17].iter().collect::<String>(), Some(c), false)
            }
            15 => {
                check_digits(&chars, 1)?;
                let old: String = chars.iter().collect();
                (format!("{}19{}", &old[..6], &old[6..]), None, true)
            }
            len => return Err(IdNumberError::WrongLength { len }),
        };

        let province = &body[..2];
        if !is_province_prefix(province) {
            return Err(IdNumberError::UnknownProvince { code: province.to_string() });
        }

        let birth = birth_date_of(&body).ok_or_else(|| IdNumberError::ImpossibleDate {
            digits: if legacy { body[8..14].to_string() } else { body[6..14].to_string() },
            legacy_15: legacy,
        })?;
        if birth < EARLIEST_BIRTH_DATE {
            return Err(IdNumberError::TooOld { birth });
        }
        if birth > today {
            return Err(IdNumberError::FutureDate { birth, today });
        }

        let expected = check_char(&body).expect("body is 17 ASCII digits");
        if let Some(found) = found_check
            && found != expected
        {
            return Err(IdNumberError::BadCheckChar { expected, found });
        }
        Ok(ParsedIdNumber { id: IdNumber(format!("{body}{expected}")), converted_from_15: legacy })
    }

    /// The 18-character number, check character upper-case.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 6-digit address code (county-level division of registration; may be an abolished
    /// code).
    pub fn region_code(&self) -> &str {
        &self.0[..6]
    }

    /// The 2-digit province prefix of the address code.
    pub fn province_code(&self) -> &str {
        &self.0[..2]
    }

    /// The birth date encoded in characters 7–14.
    pub fn birth_date(&self) -> Date {
        birth_date_of(&self.0).expect("validated at parse time")
    }

    /// The 3-digit sequence code (characters 15–17).
    pub fn sequence_code(&self) -> &str {
        &self.0[14..17]
    }

    /// Gender: character 17 odd = male, even = female.
    pub fn gender(&self) -> Gender {
        let d = self.0.as_bytes()[16] - b'0';
        if d % 2 == 1 { Gender::Male } else { Gender::Female }
    }

    /// The check character (character 18).
    pub fn check_char(&self) -> char {
        self.0.as_bytes()[17] as char
    }

    /// Whole years of age on `on` (0 if `on` is before the birth date).
    pub fn age_on(&self, on: Date) -> i32 {
        crate::dates::whole_years_between(self.birth_date(), on)
    }

    /// First 4 and last 4 characters with 10 stars between, e.g. `1101**********002X`, for
    /// display to people who should not see the whole number.
    pub fn masked(&self) -> String {
        format!("{}{}{}", &self.0[..4], "*".repeat(10), &self.0[14..])
    }

    /// What each part of the number encodes, for a CLI `validate` command.
    pub fn segments(&self) -> Vec<Segment> {
        let region_meaning = match province_name(self.province_code()) {
            Some(p) => Msg::new(
                format!("{}（县级代码不核对现行目录，已撤销的代码仍有效）", p.zh),
                format!(
                    "{} (the county code is not checked against the current list; abolished codes stay valid)",
                    p.en
                ),
            ),
            None => Msg::new("未知省份", "unknown province"),
        };
        let birth = self.birth_date();
        let gender = self.gender();
        vec![
            (
                Msg::new("第 1–6 位 地址码", "characters 1–6, address code"),
                self.region_code().to_string(),
                region_meaning,
            ),
            (
                Msg::new("第 7–14 位 出生日期", "characters 7–14, birth date"),
                self.0[6..14].to_string(),
                Msg::new(iso(birth), iso(birth)),
            ),
            (
                Msg::new("第 15–17 位 顺序码", "characters 15–17, sequence code"),
                self.sequence_code().to_string(),
                Msg::new(
                    format!(
                        "第 17 位为{}，性别：{}",
                        if gender == Gender::Male { "奇数" } else { "偶数" },
                        gender.zh()
                    ),
                    format!(
                        "character 17 is {}, so the holder is {}",
                        if gender == Gender::Male { "odd" } else { "even" },
                        gender.en()
                    ),
                ),
            ),
            (
                Msg::new("第 18 位 校验码", "character 18, check character"),
                self.check_char().to_string(),
                Msg::new("ISO 7064 MOD 11-2 校验通过", "ISO 7064 MOD 11-2 check passes"),
            ),
        ]
    }
}

/// `Debug` for a row type that holds an identity number: every field but that one.
#[macro_export]
macro_rules! debug_without_id_number {
    ($t:ident { $($f:ident),* $(,)? }) => {
        impl std::fmt::Debug for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($t))
                    $(.field(stringify!($f), &self.$f))*
                    .field("id_number", &"<hidden>")
                    .finish()
            }
        }
    };
}

impl std::fmt::Debug for IdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("IdNumber").field(&self.masked()).finish()
    }
}

/// The ISO 7064 MOD 11-2 check character for a 17-digit body, or `None` if `body17` is not
/// exactly 17 ASCII digits. Handy for generating test data.
pub fn check_char(body17: &str) -> Option<char> {
    let b = body17.as_bytes();
    if b.len() != 17 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = b.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    Some(CHECK_CHARS[(sum % 11) as usize])
}

fn check_digits(chars: &[char], first_position: usize) -> Result<(), IdNumberError> {
    match chars.iter().position(|c| !c.is_ascii_digit()) {
        Some(i) => Err(IdNumberError::NotDigit { position: first_position + i, found: chars[i] }),
        None => Ok(()),
    }
}

/// Birth date from characters 7–14 of an ASCII-digit string of at least 14 characters.
fn birth_date_of(s: &str) -> Option<Date> {
    let year: i32 = s.get(6..10)?.parse().ok()?;
    let month: u8 = s.get(10..12)?.parse().ok()?;
    let day: u8 = s.get(12..14)?.parse().ok()?;
    Date::from_calendar_date(year, Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2025 - 06 - 01);

    #[test]
    fn weights_are_powers_of_two_mod_11() {
        for (i, w) in WEIGHTS.iter().enumerate() {
            assert_eq!(*w, (1u32 << (17 - i)) % 11);
        }
    }

    #[test]
    fn full_width_input_is_folded() {
        let p = IdNumber::parse("１１０１０５１９４９１２３１００２ｘ", TODAY).unwrap();
        assert_eq!(p.id.as_str(), "11010519491231002X");
    }

    #[test]
    fn debug_does_not_leak_the_number() {
        let p = IdNumber::parse("11010519491231002X", TODAY).unwrap();
        let dbg = format!("{:?}", p.id);
        assert!(!dbg.contains("19491231"), "{dbg}");
        assert!(dbg.contains("1101**********002X"), "{dbg}");
    }

    #[test]
    fn legacy_date_error_names_the_legacy_positions() {
        let e = IdNumber::parse("130503670230001", TODAY).unwrap_err();
        assert_eq!(e, IdNumberError::ImpossibleDate { digits: "670230".into(), legacy_15: true });
        assert!(e.explain().zh.contains("7–12"));
    }
}
