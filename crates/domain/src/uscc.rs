//! Unified social credit code (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters from the 31-character alphabet `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O,
//! Z, S, V):
//!
//! | Position | Segment |
//! | --- | --- |
//! | 1 | registration authority (登记管理部门代码) |
//! | 2 | organisation type (机构类别代码), meaning depends on the authority |
//! | 3–8 | administrative region of the registering office (GB/T 2260, digits) |
//! | 9–17 | organisation code (主体标识码, GB 11714) |
//! | 18 | check character, GB/T 17710 MOD 31: weights `3^(i−1) mod 31`, check = `(31 − Σ mod 31) mod 31` |
//!
//! Some codes issued by early pilot areas (e.g. Xiamen, before the national standard) do not
//! satisfy the check character; this parser follows the standard and rejects them.

use serde::Serialize;

use crate::bilingual::{Explain, Msg};
use crate::division::province_name;
use crate::identifier::{Segment, normalize_input};

/// The 31 characters a code may use, in value order (index = value in the check computation).
pub const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights for positions 1–17 (`3^(i−1) mod 31`).
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// The value of `c` in [`ALPHABET`], if it is in it.
fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

fn char_of(value: u32) -> char {
    ALPHABET.as_bytes()[value as usize] as char
}

/// The check character for the first 17 characters of a code, or `None` if `first17` is not
/// exactly 17 characters of [`ALPHABET`] (upper-case). Handy for generating test data.
pub fn check_char(first17: &str) -> Option<char> {
    if first17.chars().count() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    Some(char_of((31 - sum % 31) % 31))
}

/// The registration authority (登记管理部门), character 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum RegistrationAuthority {
    /// `1` 机构编制
    Staffing,
    /// `2` 外交
    ForeignAffairs,
    /// `3` 司法行政
    JudicialAdministration,
    /// `4` 文化
    Culture,
    /// `5` 民政
    CivilAffairs,
    /// `6` 旅游
    Tourism,
    /// `7` 宗教
    Religion,
    /// `8` 工会
    TradeUnion,
    /// `9` 工商 (now 市场监管)
    MarketRegulation,
    /// `A` 中央军委改革和编制办公室
    MilitaryStaffing,
    /// `N` 农业
    Agriculture,
    /// `Y` 其他
    Other,
}

impl RegistrationAuthority {
    pub const ALL: [RegistrationAuthority; 12] = [
        RegistrationAuthority::Staffing,
        RegistrationAuthority::ForeignAffairs,
        RegistrationAuthority::JudicialAdministration,
        RegistrationAuthority::Culture,
        RegistrationAuthority::CivilAffairs,
        RegistrationAuthority::Tourism,
        RegistrationAuthority::Religion,
        RegistrationAuthority::TradeUnion,
        RegistrationAuthority::MarketRegulation,
        RegistrationAuthority::MilitaryStaffing,
        RegistrationAuthority::Agriculture,
        RegistrationAuthority::Other,
    ];

    pub fn code(self) -> char {
        use RegistrationAuthority::*;
        match self {
            Staffing => '1',
            ForeignAffairs => '2',
            JudicialAdministration => '3',
            Culture => '4',
            CivilAffairs => '5',
            Tourism => '6',
            Religion => '7',
            TradeUnion => '8',
            MarketRegulation => '9',
            MilitaryStaffing => 'A',
            Agriculture => 'N',
            Other => 'Y',
        }
    }

    pub fn from_code(c: char) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == c)
    }

    pub fn name(self) -> Msg {
        use RegistrationAuthority::*;
        let (zh, en) = match self {
            Staffing => ("机构编制", "institutional staffing (机构编制) authority"),
            ForeignAffairs => ("外交", "foreign affairs authority"),
            JudicialAdministration => ("司法行政", "judicial administration authority"),
            Culture => ("文化", "culture authority"),
            CivilAffairs => ("民政", "civil affairs authority"),
            Tourism => ("旅游", "tourism authority"),
            Religion => ("宗教", "religious affairs authority"),
            TradeUnion => ("工会", "trade union"),
            MarketRegulation => ("工商（市场监管）", "market regulation (formerly industry and commerce) authority"),
            MilitaryStaffing => (
                "中央军委改革和编制办公室",
                "Central Military Commission Office for Reform and Organizational Structure",
            ),
            Agriculture => ("农业", "agriculture authority"),
            Other => ("其他", "other authority"),
        };
        Msg::new(zh, en)
    }

    /// The organisation type (character 2) this authority's code `c` stands for, per the
    /// GB 32100-2015 table; `None` when the table does not list it.
    pub fn organisation_type(self, c: char) -> Option<Msg> {
        use RegistrationAuthority::*;
        let (zh, en) = match (self, c) {
            (Staffing, '1') => ("机关", "government organ"),
            (Staffing, '2') => ("事业单位", "public institution"),
            (Staffing, '3') => (
                "中央编办直接管理机构编制的群众团体",
                "mass organisation whose staffing is managed directly by the central staffing office",
            ),
            (ForeignAffairs, '1') => ("外国常驻新闻机构", "resident foreign news agency"),
            (JudicialAdministration, '1') => ("律师执业机构", "law firm"),
            (JudicialAdministration, '2') => ("公证处", "notary office"),
            (JudicialAdministration, '3') => ("基层法律服务所", "grassroots legal service office"),
            (JudicialAdministration, '4') => ("司法鉴定机构", "forensic expertise institution"),
            (JudicialAdministration, '5') => ("仲裁委员会", "arbitration commission"),
            (Culture, '1') => ("外国在华文化中心", "foreign cultural centre in China"),
            (CivilAffairs, '1') => ("社会团体", "social organisation (association)"),
            (CivilAffairs, '2') => ("民办非企业单位", "private non-enterprise unit"),
            (CivilAffairs, '3') => ("基金会", "foundation"),
            (Tourism, '1') => ("外国旅游部门常驻代表机构", "resident office of a foreign tourism authority"),
            (Tourism, '2') => (
                "港澳台地区旅游部门常驻内地（大陆）代表机构",
                "resident mainland office of a Hong Kong, Macao or Taiwan tourism authority",
            ),
            (Religion, '1') => ("宗教活动场所", "place of religious activity"),
            (Religion, '2') => ("宗教院校", "religious school"),
            (TradeUnion, '1') => ("基层工会", "grassroots trade union"),
            (MarketRegulation, '1') => ("企业", "enterprise"),
            (MarketRegulation, '2') => ("个体工商户", "individual business (个体工商户)"),
            (MarketRegulation, '3') => ("农民专业合作社", "farmers' specialised cooperative"),
            (MilitaryStaffing, '1') => ("军队事业单位", "military public institution"),
            (Agriculture, '1') => ("组级集体经济组织", "group-level collective economic organisation"),
            (Agriculture, '2') => ("村级集体经济组织", "village-level collective economic organisation"),
            (Agriculture, '3') => ("乡镇级集体经济组织", "township-level collective economic organisation"),
            (Other, '1') => ("其他", "other"),
            (MarketRegulation | Other, '9') => return None,
            (_, '9') => ("其他", "other"),
            _ => return None,
        };
        Some(Msg::new(zh, en))
    }
}

/// A valid unified social credit code (upper-case, 18 characters, check character verified).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Uscc(String);

/// Why a string is not a valid unified social credit code. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UsccError {
    Empty,
    WrongLength {
        len: usize,
    },
    /// A character outside the 31-character alphabet.
    BadChar {
        position: usize,
        ch: char,
    },
    /// Characters 3–8 must be digits; `position` is the first that is not.
    RegionNotDigits {
        position: usize,
        ch: char,
    },
    /// Character 1 is not a registration-authority code.
    UnknownAuthority {
        ch: char,
    },
    BadCheckChar {
        expected: char,
        found: char,
    },
}

impl Explain for UsccError {
    fn explain(&self) -> Msg {
        match self {
            UsccError::Empty => Msg::new("统一社会信用代码为空", "the unified social credit code is empty"),
            UsccError::WrongLength { len } => Msg::new(
                format!("统一社会信用代码应为 18 位，实为 {len} 位"),
                format!("a unified social credit code has 18 characters, found {len}"),
            ),
            UsccError::BadChar { position, ch } => {
                let (zh_hint, en_hint) = match ch {
                    'I' | 'O' | 'Z' | 'S' | 'V' => {
                        ("（代码不使用字母 I、O、Z、S、V）", " (codes never use the letters I, O, Z, S, V)")
                    }
                    _ => ("", ""),
                };
                Msg::new(
                    format!("第 {position} 位“{ch}”不是允许的字符，只能是数字或大写字母{zh_hint}"),
                    format!(
                        "character {position}, '{ch}', is not allowed: only digits and capital letters may be used{en_hint}"
                    ),
                )
            }
            UsccError::RegionNotDigits { position, ch } => Msg::new(
                format!("第 3–8 位是行政区划码，应全为数字，但第 {position} 位是“{ch}”"),
                format!(
                    "characters 3–8 are the region code and must all be digits, but character {position} is '{ch}'"
                ),
            ),
            UsccError::UnknownAuthority { ch } => Msg::new(
                format!("第 1 位登记管理部门代码“{ch}”无效，应为 1–9、A、N 或 Y 之一"),
                format!(
                    "character 1, the registration-authority code '{ch}', is not valid: it must be one of 1–9, A, N or Y"
                ),
            ),
            UsccError::BadCheckChar { expected, found } => Msg::new(
                format!("第 18 位校验码应为 {expected}，实为 {found}（请核对代码是否抄错）"),
                format!(
                    "character 18, the check character, should be {expected}, found {found} (check the code for a typo)"
                ),
            ),
        }
    }
}

impl std::fmt::Display for UsccError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.explain())
    }
}

impl std::error::Error for UsccError {}

impl Uscc {
    /// Parses a code. The input is trimmed, full-width characters are folded to ASCII and
    /// letters are upper-cased.
    pub fn parse(s: &str) -> Result<Uscc, UsccError> {
        let s = normalize_input(s).to_ascii_uppercase();
        let chars: Vec<char> = s.chars().collect();
        match chars.len() {
            0 => return Err(UsccError::Empty),
            18 => {}
            len => return Err(UsccError::WrongLength { len }),
        }
        if let Some(i) = chars.iter().position(|c| value_of(*c).is_none()) {
            return Err(UsccError::BadChar { position: i + 1, ch: chars[i] });
        }
        if let Some(i) = (2..8).find(|&i| !chars[i].is_ascii_digit()) {
            return Err(UsccError::RegionNotDigits { position: i + 1, ch: chars[i] });
        }
        if RegistrationAuthority::from_code(chars[0]).is_none() {
            return Err(UsccError::UnknownAuthority { ch: chars[0] });
        }
        let expected = check_char(&s[..17]).expect("17 alphabet characters");
        if chars[17] != expected {
            return Err(UsccError::BadCheckChar { expected, found: chars[17] });
        }
        Ok(Uscc(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Character 1.
    pub fn authority_code(&self) -> char {
        self.0.as_bytes()[0] as char
    }

    pub fn authority(&self) -> RegistrationAuthority {
        RegistrationAuthority::from_code(self.authority_code()).expect("validated at parse time")
    }

    /// Character 2.
    pub fn organisation_type_code(&self) -> char {
        self.0.as_bytes()[1] as char
    }

    /// What character 2 means under this authority, or `None` if GB 32100-2015 does not list
    /// the combination.
    pub fn organisation_type(&self) -> Option<Msg> {
        self.authority().organisation_type(self.organisation_type_code())
    }

    /// Characters 3–8: the administrative region of the registering office (GB/T 2260).
    pub fn region_code(&self) -> &str {
        &self.0[2..8]
    }

    /// A description of the region code: its province, or the national level for `100000`.
    pub fn region(&self) -> Msg {
        let code = self.region_code();
        if code == "100000" {
            return Msg::new("国家级（中央）登记机关", "national (central) registration office");
        }
        match province_name(&code[..2]) {
            Some(p) => Msg::new(format!("{}，行政区划码 {code}", p.zh), format!("{}, region code {code}", p.en)),
            None => Msg::new(format!("未知行政区划 {code}"), format!("unknown region {code}")),
        }
    }

    /// Characters 9–17: the organisation code (主体标识码, GB 11714).
    pub fn organisation_code(&self) -> &str {
        &self.0[8..17]
    }

    /// Whether characters 9–17 also satisfy the GB 11714 organisation-code check (weights
    /// 3 7 9 10 5 8 4 2, MOD 11). Informational only: GB 32100 does not require it and
    /// [`Uscc::parse`] does not check it.
    pub fn organisation_code_check_ok(&self) -> bool {
        const W: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];
        let b = self.organisation_code().as_bytes();
        let val = |c: u8| -> u32 { if c.is_ascii_digit() { u32::from(c - b'0') } else { u32::from(c - b'A') + 10 } };
        let sum: u32 = b[..8].iter().zip(W).map(|(c, w)| val(*c) * w).sum();
        let expected = match 11 - sum % 11 {
            10 => b'X',
            11 => b'0',
            r => b'0' + r as u8,
        };
        b[8] == expected
    }

    /// Character 18.
    pub fn check_char(&self) -> char {
        self.0.as_bytes()[17] as char
    }

    /// What each part of the code encodes, for a CLI `validate uscc` command.
    pub fn segments(&self) -> Vec<Segment> {
        let authority = self.authority();
        let type_code = self.organisation_type_code();
        let type_meaning = self.organisation_type().unwrap_or_else(|| {
            Msg::new(
                format!("机构类别代码 {type_code}（GB 32100-2015 未列出此组合）"),
                format!("organisation type {type_code} (not listed in GB 32100-2015 for this authority)"),
            )
        });
        let org_meaning = if self.organisation_code_check_ok() {
            Msg::new(
                "组织机构代码（GB 11714），其校验位相符",
                "organisation code (GB 11714); its own check digit matches",
            )
        } else {
            Msg::new(
                "组织机构代码（GB 11714），其校验位不符（部分早期代码如此，仅供参考）",
                "organisation code (GB 11714); its own check digit does not match (true of some early codes; for information only)",
            )
        };
        vec![
            (
                Msg::new("第 1 位 登记管理部门", "character 1, registration authority"),
                self.authority_code().to_string(),
                authority.name(),
            ),
            (Msg::new("第 2 位 机构类别", "character 2, organisation type"), type_code.to_string(), type_meaning),
            (
                Msg::new("第 3–8 位 登记管理机关行政区划码", "characters 3–8, region of the registering office"),
                self.region_code().to_string(),
                self.region(),
            ),
            (
                Msg::new("第 9–17 位 主体标识码", "characters 9–17, organisation code"),
                self.organisation_code().to_string(),
                org_meaning,
            ),
            (
                Msg::new("第 18 位 校验码", "character 18, check character"),
                self.check_char().to_string(),
                Msg::new("GB 32100 校验通过", "GB 32100 check passes"),
            ),
        ]
    }
}

impl std::fmt::Display for Uscc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_powers_of_three_mod_31() {
        let mut w = 1u32;
        for expected in WEIGHTS {
            assert_eq!(w, expected);
            w = w * 3 % 31;
        }
    }

    #[test]
    fn alphabet_has_31_chars_without_i_o_z_s_v() {
        assert_eq!(ALPHABET.len(), 31);
        for c in ['I', 'O', 'Z', 'S', 'V'] {
            assert!(!ALPHABET.contains(c));
        }
    }

    #[test]
    fn market_regulation_type_9_is_not_listed() {
        assert!(RegistrationAuthority::MarketRegulation.organisation_type('9').is_none());
        assert!(RegistrationAuthority::CivilAffairs.organisation_type('9').is_some());
    }
}
