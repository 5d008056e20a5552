//! Skill-level certificate numbers (职业技能等级证书编号), RESEARCH.md §4.1.
//!
//! Three forms are accepted:
//!
//! * **National, 22 characters** (since the 2019–2020 reform): 1 upper-case category letter
//!   (`Y` employer, `S` social training-evaluation organisation) and 21 digits:
//!
//!   | Positions | Segment |
//!   | --- | --- |
//!   | 1 | evaluation-body category `Y`/`S` |
//!   | 2–5 | evaluation-body code (`0000` = registered with a province) |
//!   | 6–7 | province code (GB/T 2260 prefix) |
//!   | 8–13 | body or site serial |
//!   | 14–15 | issue year, last two digits |
//!   | 16 | skill-level code `1`–`5` (1 = 一级/高级技师 … 5 = 五级/初级工) |
//!   | 17–22 | certificate serial |
//!
//!   The 特级技师 (grand-master) form is 2 upper-case letters + 20 digits with the same seven
//!   parts. **\[GAP\]** Neither the meaning of the letters, nor the level code used, nor which
//!   part is one digit shorter is published. This parser *assumes* the certificate serial is
//!   the shortened part (5 digits, positions 18–22), so positions 3–17 line up as body 3–6,
//!   province 7–8, site 9–14, year 15–16, level 17. The level digit is reported as found and
//!   never rejected.
//!
//! * **Legacy, 16 digits** (职业资格证书, before the reform): year 2, province or State Council
//!   ministry 2, city 2, body type 1 (`0`–`4`), body serial 3, level 1 (`1`–`5`), sequence 5
//!   (`00001`–`99999`). The province/ministry code is not checked: ministry codes are not
//!   GB/T 2260 codes and their list is not known.
//!
//! * **Shanghai legacy, 13 digits**: padded with `000` in front to 16 digits, as the national
//!   query site requires. Their internal layout is not known, so only the digits are checked.
//!   A 16-digit number that starts with `000` is taken to be such a padded number.
//!
//! The ladder rank (`crate::level::Level`) of each level code is in one table here
//! (`NATIONAL_LEVEL_CODES`): level code 5 (初级工) is rank 2 … level code 1 (高级技师) is rank 6.
//! A policy's ladder states the same codes per row; code that has a policy reads them there.

use serde::Serialize;

use crate::bilingual::{Explain, Msg};
use crate::division::{is_province_prefix, province_name};
pub use crate::identifier::Segment;
use crate::identifier::normalize_input;
use crate::level::Level;

/// The national skill-level codes of certificate numbers, with the ladder rank each stands for:
/// (level code, ladder rank, name). This table is the one place in the code that pairs a level
/// code with a rank; it is what parsing uses, where no policy is at hand. A policy states the
/// pairing per ladder row (`certificate_level_code` in the file, read with
/// [`crate::policy::Ladder::certificate_level_code`] and
/// [`crate::policy::Ladder::level_for_certificate_code`]), and code that has a policy uses that.
const NATIONAL_LEVEL_CODES: [(u8, u8, &str, &str); 5] = [
    (1, 6, "一级/高级技师", "level 1 / senior technician"),
    (2, 5, "二级/技师", "level 2 / technician"),
    (3, 4, "三级/高级工", "level 3 / senior worker"),
    (4, 3, "四级/中级工", "level 4 / intermediate worker"),
    (5, 2, "五级/初级工", "level 5 / junior worker"),
];

/// The ladder rank (2 = 初级工 … 6 = 高级技师) of a certificate level code (5 … 1).
pub fn ladder_rank_for_level_code(code: u8) -> Option<u8> {
    NATIONAL_LEVEL_CODES.iter().find(|row| row.0 == code).map(|row| row.1)
}

/// The certificate level code (5 … 1) of a ladder rank (2 … 6); `None` for ranks that have no
/// 1–5 level code (学徒工, 特级技师, 首席技师).
pub fn level_code_for_ladder_rank(rank: u8) -> Option<u8> {
    NATIONAL_LEVEL_CODES.iter().find(|row| row.1 == rank).map(|row| row.0)
}

/// The name of a level code 1–5, as printed on certificates ("一级/高级技师").
pub fn level_code_name(code: u8) -> Option<Msg> {
    NATIONAL_LEVEL_CODES.iter().find(|row| row.0 == code).map(|row| Msg::new(row.2, row.3))
}

/// The name of a legacy evaluation-body type code 0–4 (legacy position 7).
pub fn legacy_body_type_name(code: u8) -> Option<Msg> {
    let (zh, en) = match code {
        0 => ("职业技能鉴定（指导）中心", "vocational skill testing (guidance) centre"),
        1 => ("国家职业技能鉴定所", "national vocational skill testing institute"),
        2 => ("地方职业技能鉴定站", "local vocational skill testing station"),
        3 => ("行业特有工种职业技能鉴定站", "testing station for industry-specific trades"),
        4 => ("企业内职业技能鉴定（工人考核委员会）", "in-enterprise skill testing (workers' assessment committee)"),
        _ => return None,
    };
    Some(Msg::new(zh, en))
}

/// A valid certificate number in one of the accepted forms.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CertificateNo {
    /// The 22-character national form (including the 2-letter 特级技师 form).
    National22(NationalNo),
    /// The 16-digit legacy 职业资格证书 form.
    Legacy16(LegacyNo),
    /// A 13-digit Shanghai legacy number, stored padded to 16 digits.
    Shanghai13(ShanghaiNo),
}

/// A 22-character national certificate number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NationalNo {
    text: String,
    /// 1 letter (`Y`/`S`) or 2 letters (特级技师 form).
    category: String,
    body: String,
    province: String,
    site: String,
    year2: u8,
    level_code: u8,
    serial: u32,
}

/// A 16-digit legacy 职业资格证书 number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LegacyNo {
    text: String,
    year2: u8,
    body_type: u8,
    level_code: u8,
    sequence: u32,
}

/// A 13-digit Shanghai legacy number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ShanghaiNo {
    /// `000` + the 13 digits.
    padded: String,
}

/// The fields of [`CertificateNo::national`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NationalField {
    Category,
    Body,
    Province,
    Site,
    Year,
    LevelCode,
    Serial,
}

impl NationalField {
    /// The field's name and what it must be.
    fn describe(self) -> (Msg, Msg) {
        use NationalField::*;
        match self {
            Category => (
                Msg::new("评价机构类别", "evaluation-body category"),
                Msg::new(
                    "Y（用人单位）或 S（社会培训评价组织）",
                    "Y (employer) or S (social training-evaluation organisation)",
                ),
            ),
            Body => (Msg::new("评价机构代码", "evaluation-body code"), Msg::new("4 位数字", "4 digits")),
            Province => (
                Msg::new("省级代码", "province code"),
                Msg::new(
                    "2 位 GB/T 2260 省级代码，如天津为 12",
                    "a 2-digit GB/T 2260 province code, e.g. 12 for Tianjin",
                ),
            ),
            Site => (Msg::new("评价机构（站点）序列码", "body or site serial"), Msg::new("6 位数字", "6 digits")),
            Year => (
                Msg::new("核发年份", "issue year"),
                Msg::new("0–99（年份后两位）", "0–99 (last two digits of the year)"),
            ),
            LevelCode => (Msg::new("职业技能等级代码", "skill-level code"), Msg::new("1–5", "1–5")),
            Serial => (Msg::new("证书序列码", "certificate serial"), Msg::new("0–999999", "0–999999")),
        }
    }
}

/// Why a string is not a valid certificate number. Positions are 1-based character positions
/// in the trimmed input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateNoError {
    Empty,
    /// Not 22, 16 or 13 characters.
    WrongLength {
        len: usize,
    },
    /// Position 1 of a 22-character number is not `Y` or `S` (or the start of a 2-letter form).
    BadCategory {
        found: char,
    },
    NotDigit {
        position: usize,
        found: char,
    },
    /// The province code at `position`–`position + 1` is not a GB/T 2260 province prefix.
    UnknownProvince {
        position: usize,
        code: String,
    },
    /// The level code at `position` is not 1–5.
    BadLevelCode {
        position: usize,
        found: char,
    },
    /// Legacy position 7 is not 0–4.
    BadBodyType {
        found: char,
    },
    /// Legacy positions 12–16 are `00000`.
    ZeroSequence,
    /// A field given to [`CertificateNo::national`] is out of range.
    BadField {
        field: NationalField,
        value: String,
    },
}

impl Explain for CertificateNoError {
    fn explain(&self) -> Msg {
        match self {
            CertificateNoError::Empty => Msg::new("证书编号为空", "the certificate number is empty"),
            CertificateNoError::WrongLength { len } => Msg::new(
                format!(
                    "证书编号应为 22 位（1 位大写字母 + 21 位数字），或旧版 16 位数字（上海旧证 13 位），实为 {len} 位"
                ),
                format!(
                    "a certificate number has 22 characters (1 capital letter + 21 digits), or 16 digits for an old certificate (13 for old Shanghai ones); found {len}"
                ),
            ),
            CertificateNoError::BadCategory { found } => Msg::new(
                format!("第 1 位评价机构类别应为 Y（用人单位）或 S（社会培训评价组织），实为“{found}”"),
                format!(
                    "character 1, the evaluation-body category, should be Y (employer) or S (social training-evaluation organisation), found '{found}'"
                ),
            ),
            CertificateNoError::NotDigit { position, found } => Msg::new(
                format!("第 {position} 位应为数字，实为“{found}”"),
                format!("character {position} should be a digit, found '{found}'"),
            ),
            CertificateNoError::UnknownProvince { position, code } => Msg::new(
                format!("第 {}–{} 位省级代码“{code}”不是有效的 GB/T 2260 省级代码", position, position + 1),
                format!(
                    "characters {}–{}, the province code '{code}', are not a valid GB/T 2260 province code",
                    position,
                    position + 1
                ),
            ),
            CertificateNoError::BadLevelCode { position, found } => Msg::new(
                format!(
                    "第 {position} 位职业技能等级代码应为 1–5（1 = 一级/高级技师 … 5 = 五级/初级工），实为“{found}”"
                ),
                format!(
                    "character {position}, the skill-level code, should be 1–5 (1 = senior technician … 5 = junior worker), found '{found}'"
                ),
            ),
            CertificateNoError::BadBodyType { found } => Msg::new(
                format!("旧版证书第 7 位鉴定机构类型应为 0–4，实为“{found}”"),
                format!("character 7 of an old certificate, the testing-body type, should be 0–4, found '{found}'"),
            ),
            CertificateNoError::ZeroSequence => Msg::new(
                "旧版证书第 12–16 位顺序号应为 00001–99999，实为 00000",
                "characters 12–16 of an old certificate, the sequence number, should be 00001–99999, found 00000",
            ),
            CertificateNoError::BadField { field, value } => {
                let (name, expected) = field.describe();
                Msg::new(
                    format!("{}应为{}，实为“{value}”", name.zh, expected.zh),
                    format!("the {} should be {}, found '{value}'", name.en, expected.en),
                )
            }
        }
    }
}

impl std::fmt::Display for CertificateNoError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.explain())
    }
}

impl std::error::Error for CertificateNoError {}

/// Checks that `chars[range]` are digits; `chars` is 0-based, positions are reported 1-based.
fn expect_digits(chars: &[char], range: std::ops::Range<usize>) -> Result<(), CertificateNoError> {
    match range.clone().find(|&i| !chars[i].is_ascii_digit()) {
        Some(i) => Err(CertificateNoError::NotDigit { position: i + 1, found: chars[i] }),
        None => Ok(()),
    }
}

impl CertificateNo {
    /// Parses a certificate number. The input is trimmed, full-width characters are folded to
    /// ASCII and letters are upper-cased.
    pub fn parse(s: &str) -> Result<CertificateNo, CertificateNoError> {
        let s = normalize_input(s).to_ascii_uppercase();
        let chars: Vec<char> = s.chars().collect();
        match chars.len() {
            0 => Err(CertificateNoError::Empty),
            22 => parse_national(s, &chars),
            16 => {
                expect_digits(&chars, 0..16)?;
                if s.starts_with("000") {
                    Ok(CertificateNo::Shanghai13(ShanghaiNo { padded: s }))
                } else {
                    parse_legacy(s, &chars)
                }
            }
            13 => {
                expect_digits(&chars, 0..13)?;
                Ok(CertificateNo::Shanghai13(ShanghaiNo { padded: format!("000{s}") }))
            }
            len => Err(CertificateNoError::WrongLength { len }),
        }
    }

    /// Builds a standard (1-letter) national number from its parts, for an issuing body.
    /// `year2` is the last two digits of the issue year.
    pub fn national(
        category: char,
        body: &str,
        province: &str,
        site: &str,
        year2: u8,
        level_code: u8,
        serial: u32,
    ) -> Result<CertificateNo, CertificateNoError> {
        let bad = |field, value: &dyn ToString| CertificateNoError::BadField { field, value: value.to_string() };
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        let category = category.to_ascii_uppercase();
        if !matches!(category, 'Y' | 'S') {
            return Err(bad(NationalField::Category, &category));
        }
        if !digits(body, 4) {
            return Err(bad(NationalField::Body, &body));
        }
        if !digits(province, 2) || !is_province_prefix(province) {
            return Err(bad(NationalField::Province, &province));
        }
        if !digits(site, 6) {
            return Err(bad(NationalField::Site, &site));
        }
        if year2 > 99 {
            return Err(bad(NationalField::Year, &year2));
        }
        if !(1..=5).contains(&level_code) {
            return Err(bad(NationalField::LevelCode, &level_code));
        }
        if serial > 999_999 {
            return Err(bad(NationalField::Serial, &serial));
        }
        CertificateNo::parse(&format!("{category}{body}{province}{site}{year2:02}{level_code}{serial:06}"))
    }

    /// The canonical form: 22 characters, or 16 digits (Shanghai numbers padded).
    pub fn as_str(&self) -> &str {
        match self {
            CertificateNo::National22(n) => &n.text,
            CertificateNo::Legacy16(l) => &l.text,
            CertificateNo::Shanghai13(s) => &s.padded,
        }
    }

    /// The 1–5 level code, when the form has a known one (not for 特级技师 or Shanghai forms).
    pub fn level_code(&self) -> Option<u8> {
        match self {
            CertificateNo::National22(n) if !n.is_grand_master_form() => Some(n.level_code),
            CertificateNo::Legacy16(l) => Some(l.level_code),
            _ => None,
        }
    }

    /// The ladder rank (2–6) for [`CertificateNo::level_code`].
    pub fn ladder_rank(&self) -> Option<u8> {
        self.level_code().and_then(ladder_rank_for_level_code)
    }

    /// The ladder level for [`CertificateNo::level_code`].
    pub fn level(&self) -> Option<Level> {
        self.ladder_rank().and_then(Level::new)
    }

    /// What each part of the number encodes, for a CLI to print.
    pub fn segments(&self) -> Vec<Segment> {
        match self {
            CertificateNo::National22(n) => n.segments(),
            CertificateNo::Legacy16(l) => l.segments(),
            CertificateNo::Shanghai13(s) => s.segments(),
        }
    }
}

fn parse_national(s: String, chars: &[char]) -> Result<CertificateNo, CertificateNoError> {
    let first = chars[0];
    let letters = if first.is_ascii_uppercase() && chars[1].is_ascii_uppercase() {
        2
    } else if matches!(first, 'Y' | 'S') {
        1
    } else {
        return Err(CertificateNoError::BadCategory { found: first });
    };
    expect_digits(chars, letters..22)?;
    // Offsets of each segment (0-based); the 2-letter form shifts everything by one and has a
    // 5-digit serial (see the module docs: an assumption).
    let o = letters;
    let province = &s[o + 4..o + 6];
    if !is_province_prefix(province) {
        return Err(CertificateNoError::UnknownProvince { position: o + 5, code: province.to_string() });
    }
    let level_char = chars[o + 14];
    let level_code = level_char as u8 - b'0';
    if letters == 1 && !(1..=5).contains(&level_code) {
        return Err(CertificateNoError::BadLevelCode { position: o + 15, found: level_char });
    }
    let parse_num = |r: std::ops::Range<usize>| s[r].parse::<u32>().expect("digits");
    Ok(CertificateNo::National22(NationalNo {
        category: s[..letters].to_string(),
        body: s[o..o + 4].to_string(),
        province: province.to_string(),
        site: s[o + 6..o + 12].to_string(),
        year2: parse_num(o + 12..o + 14) as u8,
        level_code,
        serial: parse_num(o + 15..22),
        text: s,
    }))
}

fn parse_legacy(s: String, chars: &[char]) -> Result<CertificateNo, CertificateNoError> {
    let body_type = chars[6] as u8 - b'0';
    if body_type > 4 {
        return Err(CertificateNoError::BadBodyType { found: chars[6] });
    }
    let level_code = chars[10] as u8 - b'0';
    if !(1..=5).contains(&level_code) {
        return Err(CertificateNoError::BadLevelCode { position: 11, found: chars[10] });
    }
    let sequence: u32 = s[11..16].parse().expect("digits");
    if sequence == 0 {
        return Err(CertificateNoError::ZeroSequence);
    }
    Ok(CertificateNo::Legacy16(LegacyNo {
        year2: s[..2].parse().expect("digits"),
        body_type,
        level_code,
        sequence,
        text: s,
    }))
}

fn seg(zh: impl Into<String>, en: impl Into<String>, value: &str, meaning: Msg) -> Segment {
    (Msg::new(zh, en), value.to_string(), meaning)
}

fn province_meaning(code: &str) -> Msg {
    province_name(code).unwrap_or_else(|| Msg::new("未知", "unknown"))
}

impl NationalNo {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// `Y`, `S`, or two letters for the 特级技师 form.
    pub fn category(&self) -> &str {
        &self.category
    }

    /// The 2-letter, 20-digit 特级技师 form.
    pub fn is_grand_master_form(&self) -> bool {
        self.category.len() == 2
    }

    /// The 4-digit evaluation-body code.
    pub fn body_code(&self) -> &str {
        &self.body
    }

    /// Body code `0000`: the body is registered with a provincial HRSS department rather than
    /// with the ministry.
    pub fn registered_with_province(&self) -> bool {
        self.body == "0000"
    }

    pub fn province_code(&self) -> &str {
        &self.province
    }

    pub fn site_serial(&self) -> &str {
        &self.site
    }

    /// The last two digits of the issue year.
    pub fn issue_year2(&self) -> u8 {
        self.year2
    }

    /// The issue year; the 22-character form dates from 2019, so always 20xx.
    pub fn issue_year(&self) -> i32 {
        2000 + i32::from(self.year2)
    }

    /// The level digit as found; for the 特级技师 form its meaning is unknown \[GAP\].
    pub fn level_code(&self) -> u8 {
        self.level_code
    }

    pub fn serial(&self) -> u32 {
        self.serial
    }

    fn segments(&self) -> Vec<Segment> {
        let gm = self.is_grand_master_form();
        let o = self.category.len();
        let pos =
            |a: usize, b: usize| (format!("第 {}–{} 位", a + o, b + o), format!("characters {}–{}", a + o, b + o));
        let category_meaning = match self.category.as_str() {
            "Y" => Msg::new("用人单位", "employer"),
            "S" => Msg::new("社会培训评价组织", "social training-evaluation organisation"),
            _ => Msg::new(
                "特级技师证书类别（字母含义未公开）",
                "特级技师 (grand-master) certificate category (meaning of the letters not published)",
            ),
        };
        let body_meaning = if self.registered_with_province() {
            Msg::new("在省级人社部门备案的评价机构", "evaluation body registered with a provincial HRSS department")
        } else {
            Msg::new("在人社部备案的评价机构", "evaluation body registered with the Ministry of HRSS")
        };
        let level_meaning = if gm {
            Msg::new("特级技师证书的等级代码含义未公开", "the level code of 特级技师 certificates is not published")
        } else {
            level_code_name(self.level_code).expect("validated at parse time")
        };
        let (cat_zh, cat_en) = if gm {
            ("第 1–2 位 评价机构类别", "characters 1–2, evaluation-body category")
        } else {
            ("第 1 位 评价机构类别", "character 1, evaluation-body category")
        };
        let (p_zh, p_en) = pos(1, 4);
        let (q_zh, q_en) = pos(5, 6);
        let (r_zh, r_en) = pos(7, 12);
        let (y_zh, y_en) = pos(13, 14);
        let (l_zh, l_en) = (format!("第 {} 位", 15 + o), format!("character {}", 15 + o));
        let (n_zh, n_en) = (format!("第 {}–22 位", 16 + o), format!("characters {}–22", 16 + o));
        let serial_note = if gm {
            Msg::new("证书序列码（位数划分为推测）", "certificate serial (the split of the digits is assumed)")
        } else {
            Msg::new("证书序列码", "certificate serial")
        };
        vec![
            seg(cat_zh, cat_en, &self.category, category_meaning),
            seg(format!("{p_zh} 评价机构代码"), format!("{p_en}, evaluation-body code"), &self.body, body_meaning),
            seg(
                format!("{q_zh} 省级代码"),
                format!("{q_en}, province code"),
                &self.province,
                province_meaning(&self.province),
            ),
            seg(
                format!("{r_zh} 评价机构（站点）序列码"),
                format!("{r_en}, body or site serial"),
                &self.site,
                Msg::new("由参保地省级人社部门分配", "assigned by the provincial HRSS department"),
            ),
            seg(
                format!("{y_zh} 核发年份"),
                format!("{y_en}, issue year"),
                &self.text[12 + o..14 + o],
                Msg::new(format!("{} 年", self.issue_year()), self.issue_year().to_string()),
            ),
            seg(
                format!("{l_zh} 职业技能等级代码"),
                format!("{l_en}, skill-level code"),
                &self.text[14 + o..15 + o],
                level_meaning,
            ),
            seg(format!("{n_zh} 证书序列码"), format!("{n_en}, certificate serial"), &self.text[15 + o..], serial_note),
        ]
    }
}

impl LegacyNo {
    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn issue_year2(&self) -> u8 {
        self.year2
    }

    /// The issue year, assuming `90`–`99` mean the 1990s and `00`–`89` the 2000s (the legacy
    /// scheme ran from the 1990s to about 2020).
    pub fn issue_year(&self) -> i32 {
        let y = i32::from(self.year2);
        if y >= 90 { 1900 + y } else { 2000 + y }
    }

    /// Characters 3–4: a GB/T 2260 province prefix or a State Council ministry code.
    pub fn province_or_ministry_code(&self) -> &str {
        &self.text[2..4]
    }

    /// Characters 5–6.
    pub fn city_code(&self) -> &str {
        &self.text[4..6]
    }

    /// Character 7, 0–4 (see [`legacy_body_type_name`]).
    pub fn body_type(&self) -> u8 {
        self.body_type
    }

    /// Characters 8–10.
    pub fn body_serial(&self) -> &str {
        &self.text[7..10]
    }

    /// Character 11, 1–5.
    pub fn level_code(&self) -> u8 {
        self.level_code
    }

    /// Characters 12–16, 1–99999.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }

    fn segments(&self) -> Vec<Segment> {
        let prov = self.province_or_ministry_code();
        let prov_meaning = province_name(prov).unwrap_or_else(|| {
            Msg::new(
                "非省级代码，可能是国务院行业部门代码",
                "not a province code; possibly a State Council ministry code",
            )
        });
        vec![
            seg(
                "第 1–2 位 核发年份",
                "characters 1–2, issue year",
                &self.text[..2],
                Msg::new(
                    format!("{} 年（推定世纪）", self.issue_year()),
                    format!("{} (century assumed)", self.issue_year()),
                ),
            ),
            seg("第 3–4 位 省份或行业部门", "characters 3–4, province or ministry", prov, prov_meaning),
            seg(
                "第 5–6 位 地市代码",
                "characters 5–6, city code",
                self.city_code(),
                Msg::new("发证地市", "issuing city"),
            ),
            seg(
                "第 7 位 鉴定机构类型",
                "character 7, testing-body type",
                &self.text[6..7],
                legacy_body_type_name(self.body_type).expect("validated at parse time"),
            ),
            seg(
                "第 8–10 位 鉴定机构序列号",
                "characters 8–10, testing-body serial",
                self.body_serial(),
                Msg::new("鉴定机构编号", "testing-body number"),
            ),
            seg(
                "第 11 位 等级",
                "character 11, level",
                &self.text[10..11],
                level_code_name(self.level_code).expect("validated at parse time"),
            ),
            seg(
                "第 12–16 位 顺序号",
                "characters 12–16, sequence",
                &self.text[11..],
                Msg::new("证书顺序号", "certificate sequence number"),
            ),
        ]
    }
}

impl ShanghaiNo {
    /// `000` + the 13 digits, the form the national query site takes.
    pub fn as_str(&self) -> &str {
        &self.padded
    }

    /// The 13 digits as printed on the certificate.
    pub fn original(&self) -> &str {
        &self.padded[3..]
    }

    fn segments(&self) -> Vec<Segment> {
        vec![seg(
            "上海旧版 13 位编号",
            "old Shanghai 13-digit number",
            self.original(),
            Msg::new(
                format!("查询时前补 000：{}；内部结构未公开", self.padded),
                format!("padded with 000 for queries: {}; internal layout not published", self.padded),
            ),
        )]
    }
}

impl std::fmt::Display for CertificateNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for CertificateNo {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn level_code_and_rank_are_inverse() {
        for code in 1..=5 {
            let rank = ladder_rank_for_level_code(code).unwrap();
            assert_eq!(level_code_for_ladder_rank(rank), Some(code));
        }
        assert_eq!(ladder_rank_for_level_code(5), Some(2));
        assert_eq!(ladder_rank_for_level_code(1), Some(6));
        assert_eq!(ladder_rank_for_level_code(0), None);
        assert_eq!(ladder_rank_for_level_code(6), None);
        for rank in [0, 1, 7, 8, 9] {
            assert_eq!(level_code_for_ladder_rank(rank), None);
        }
    }

    #[test]
    fn segments_of_grand_master_form_are_shifted() {
        let c = CertificateNo::parse("TJ0000121234562570001").unwrap_err();
        assert_eq!(c, CertificateNoError::WrongLength { len: 21 });
        let c = CertificateNo::parse("TJ00001212345625700001").unwrap();
        let CertificateNo::National22(n) = &c else { panic!("{c:?}") };
        assert!(n.is_grand_master_form());
        assert_eq!(n.province_code(), "12");
        assert_eq!(n.issue_year(), 2025);
        assert_eq!(n.level_code(), 7);
        assert_eq!(n.serial(), 1);
        assert_eq!(c.level_code(), None);
        let segs = c.segments();
        assert_eq!(segs.len(), 7);
        assert_eq!(segs[5].1, "7");
        assert_eq!(segs[6].1, "00001");
    }
}
