//! The national occupational classification (国家职业分类大典) as a catalogue the registry can
//! check codes and names against.
//!
//! * [`OccupationCode`] is a parsed code `D`, `D-DD`, `D-DD-DD` or `D-DD-DD-DD`
//!   (大类-中类-小类-细类, e.g. `6-18-01-01` 车工).
//! * [`Catalogue`] is one edition of the classification, parsed from CSV text. The project ships
//!   the 2022 edition as [`CATALOGUE_2022`] (see `data/OCCUPATIONS.md` for its provenance and the
//!   corrections made to it); a bureau can load the 1999 or 2015 edition it has with
//!   [`Catalogue::parse_csv`].
//! * [`related`] is the project's default reading of 本职业或相关职业 (same or related occupation).
//!
//! Everything here is pure: the functions take text and return values, they never read files.
//!
//! # CSV layout
//!
//! The first non-blank line is a header. Columns are matched by name, in any order, ignoring
//! case and surrounding spaces; columns with other names are ignored.
//!
//! | column | header names accepted | required | meaning |
//! | --- | --- | --- | --- |
//! | code | `code`, `代码`, `职业代码`, `编码`, `职业编码` | yes | the classification code |
//! | name | `name`, `名称`, `职业名称` | yes | the category's or occupation's name |
//! | level | `level`, `depth`, `层级` | no | 1 大类, 2 中类, 3 小类, 4 细类 (职业) |
//! | parent | `parent`, `上级代码`, `上级` | no | code of the enclosing category |
//! | gbm | `gbm` | no | GB/T 6565 code of a category, e.g. `61800` for `6-18` |
//!
//! So the shipped layout `code,name,level,parent,gbm` and a plain two-column list `code,name`
//! (or `代码,名称`) both load; when level or parent is absent (or a cell is empty) it is derived
//! from the code. Fields may be quoted as in RFC 4180 (`"a,b"`, `""` for a quote); lines may end
//! in LF or CRLF; a UTF-8 byte-order mark is skipped; blank lines are skipped. A header with tabs
//! and no commas makes the file tab-separated.
//!
//! Every row is checked and every problem is reported, with the row's line number in the file
//! (the header is row 1), the column and the reason:
//! the code must parse; the name must be non-empty; a given level must equal the code's depth; a
//! given parent must equal the code's prefix; the parent of every non-major entry must itself be
//! in the file; a code may appear only once; a GBM must be digits and, for the 2015 and 2022
//! editions, agree with the code for 大类/中类/小类 (`6` ↔ `60000`, `6-18` ↔ `61800`,
//! `6-18-01` ↔ `61801`). GBM codes of the 1999 edition have another shape (`6-04`, `1/2`) and
//! are stored as given.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::bilingual::{Explain, Msg};

/// The 2022 edition as shipped with the project (`data/occupations-2022.csv`, columns
/// `code,name,level,parent,gbm`).
pub const CATALOGUE_2022: &str = include_str!("../../../data/occupations-2022.csv");

/// Parses the shipped 2022 edition. A test guarantees that the shipped file parses.
pub fn catalogue_2022() -> Catalogue {
    Catalogue::parse_csv(Edition::E2022, CATALOGUE_2022)
        .expect("the shipped data/occupations-2022.csv parses (checked by tests/occupations.rs)")
}

/// The shipped 2022 edition, parsed once per process and shared.
pub fn shared_catalogue_2022() -> &'static Catalogue {
    static CATALOGUE: OnceLock<Catalogue> = OnceLock::new();
    CATALOGUE.get_or_init(catalogue_2022)
}

// ---------------------------------------------------------------------------------------------
// Codes
// ---------------------------------------------------------------------------------------------

/// A code of the classification, stored in its canonical hyphenated form.
///
/// Accepted inputs (surrounding whitespace is ignored):
/// * hyphenated: `6`, `6-18`, `6-18-01`, `6-18-01-01` — one digit, then groups of exactly two
///   digits. Full-width digits and the dash look-alikes people paste from Word or PDFs
///   (`－ ‐ ‑ – — −`) are read as ASCII digits and `-`.
/// * compact: exactly seven digits, read as 1+2+2+2, i.e. a detail occupation: `6180101` →
///   `6-18-01-01`. Shorter all-digit forms are refused on purpose: five digits such as `61800`
///   are also how GB/T 6565 (GBM) writes categories, so `61800` could mean `6-18` (its GBM) or
///   `6-18-00`; the seven-digit form has no such reading.
///
/// The major category (first digit) must be 1–8, as in every edition since 1999.
///
/// Codes order like their strings, which is the order of the printed classification: a
/// category comes right before its contents (`6-18` < `6-18-01` < `6-18-01-01` < `6-18-02`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccupationCode {
    /// ASCII bytes of the canonical form; unused bytes are zero.
    buf: [u8; 10],
    /// 1, 4, 7 or 10.
    len: u8,
}

/// Why a text is not an occupation code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CodeError {
    /// Nothing but whitespace.
    Empty,
    /// A character other than a digit or a hyphen.
    BadCharacter { input: String, found: char },
    /// Digits and hyphens, but not grouped as `D`, `D-DD`, `D-DD-DD`, `D-DD-DD-DD` or seven
    /// digits.
    BadShape { input: String },
    /// The major category is not 1–8.
    MajorOutOfRange { input: String, major: u8 },
}

impl Explain for CodeError {
    fn explain(&self) -> Msg {
        const FORMS_ZH: &str =
            "应为“大类-中类-小类-细类”，如 6、6-18、6-18-01 或 6-18-01-01（细类也可写作 7 位数字 6180101）";
        const FORMS_EN: &str = "expected major-medium-minor-detail, such as 6, 6-18, 6-18-01 or \
             6-18-01-01 (a detail code may also be written as the 7 digits 6180101)";
        match self {
            CodeError::Empty => {
                Msg::new(format!("职业代码为空；{FORMS_ZH}"), format!("the occupation code is empty; {FORMS_EN}"))
            }
            CodeError::BadCharacter { input, found } => Msg::new(
                format!("职业代码“{input}”含有字符“{found}”，只能由数字和“-”组成；{FORMS_ZH}"),
                format!(
                    "occupation code \"{input}\" contains '{found}'; only digits and '-' are \
                     allowed; {FORMS_EN}"
                ),
            ),
            CodeError::BadShape { input } => Msg::new(
                format!("职业代码“{input}”格式不对；{FORMS_ZH}"),
                format!("occupation code \"{input}\" is malformed; {FORMS_EN}"),
            ),
            CodeError::MajorOutOfRange { input, major } => Msg::new(
                format!("职业代码“{input}”的大类 {major} 不存在，大类只有 1 至 8"),
                format!(
                    "occupation code \"{input}\" names major category {major}; major categories \
                     are 1 to 8"
                ),
            ),
        }
    }
}

impl fmt::Display for CodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.explain().fmt(f)
    }
}

impl std::error::Error for CodeError {}

/// Reads full-width digits and dash look-alikes as their ASCII forms.
fn ascii_code_char(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        '－' | '‐' | '‑' | '‒' | '–' | '—' | '−' => '-',
        _ => c,
    }
}

impl OccupationCode {
    /// Parses a code; see the type's documentation for the accepted forms.
    pub fn parse(input: &str) -> Result<OccupationCode, CodeError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(CodeError::Empty);
        }
        // Read into a fixed buffer: no allocation on the happy path, as imports parse a code
        // per row. Anything longer than ten characters cannot be a code.
        let mut raw = [0u8; 10];
        let mut n = 0;
        let mut too_long = false;
        for c in trimmed.chars().map(ascii_code_char) {
            if !(c.is_ascii_digit() || c == '-') {
                return Err(CodeError::BadCharacter { input: trimmed.to_owned(), found: c });
            }
            match raw.get_mut(n) {
                Some(slot) => *slot = c as u8,
                None => too_long = true,
            }
            n += 1;
        }
        let bad_shape = || CodeError::BadShape { input: trimmed.to_owned() };
        if too_long {
            return Err(bad_shape());
        }
        let raw = &raw[..n];

        let (buf, len) = if n == 7 && !raw.contains(&b'-') {
            let d = raw;
            ([d[0], b'-', d[1], d[2], b'-', d[3], d[4], b'-', d[5], d[6]], 10)
        } else {
            // Canonical already, if well-formed: one digit, then up to three "-DD" groups.
            let well_formed = matches!(n, 1 | 4 | 7 | 10)
                && raw[0].is_ascii_digit()
                && raw[1..].chunks(3).all(|g| g[0] == b'-' && g[1].is_ascii_digit() && g[2].is_ascii_digit());
            if !well_formed {
                return Err(bad_shape());
            }
            let mut buf = [0u8; 10];
            buf[..n].copy_from_slice(raw);
            (buf, n)
        };
        let major = buf[0] - b'0';
        if !(1..=8).contains(&major) {
            return Err(CodeError::MajorOutOfRange { input: trimmed.to_owned(), major });
        }
        Ok(OccupationCode { buf, len: len as u8 })
    }

    /// The canonical hyphenated form, e.g. `6-18-01-01`.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits and '-' are ever stored.
        std::str::from_utf8(&self.buf[..usize::from(self.len)]).expect("codes are ASCII")
    }

    /// 1 大类 (major), 2 中类 (medium), 3 小类 (minor), 4 细类 (detail, i.e. an occupation).
    pub fn depth(&self) -> u8 {
        self.len.div_ceil(3)
    }

    /// The major category, 1–8.
    pub fn major(&self) -> u8 {
        self.buf[0] - b'0'
    }

    /// The enclosing category (`6-18-01-01` → `6-18-01`); `None` for a major category.
    pub fn parent(&self) -> Option<OccupationCode> {
        self.depth().checked_sub(1).and_then(|d| self.at_depth(d))
    }

    /// This code cut to `depth` levels (`6-18-01-01` at depth 2 → `6-18`); `None` when `depth`
    /// is 0 or deeper than the code.
    pub fn at_depth(&self, depth: u8) -> Option<OccupationCode> {
        if depth == 0 || depth > self.depth() {
            return None;
        }
        let len = 3 * depth - 2;
        let mut buf = [0u8; 10];
        buf[..usize::from(len)].copy_from_slice(&self.buf[..usize::from(len)]);
        Some(OccupationCode { buf, len })
    }

    /// The minor group (小类, `D-DD-DD`) this code is in or is; `None` above depth 3.
    pub fn minor_group(&self) -> Option<OccupationCode> {
        self.at_depth(3)
    }

    /// Whether this code is `ancestor` or lies inside it (`6-18-01-01` is within `6-18`).
    pub fn is_within(&self, ancestor: &OccupationCode) -> bool {
        ancestor.len <= self.len && self.buf[..usize::from(ancestor.len)] == ancestor.buf[..usize::from(ancestor.len)]
    }

    /// Whether the last group is `99`, the classification's "other" (其他) residual category.
    pub fn is_other(&self) -> bool {
        self.len > 1 && &self.buf[usize::from(self.len) - 2..usize::from(self.len)] == b"99"
    }
}

impl FromStr for OccupationCode {
    type Err = CodeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        OccupationCode::parse(s)
    }
}

impl TryFrom<String> for OccupationCode {
    type Error = CodeError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        OccupationCode::parse(&s)
    }
}

impl From<OccupationCode> for String {
    fn from(c: OccupationCode) -> String {
        c.as_str().to_owned()
    }
}

impl fmt::Display for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for OccupationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OccupationCode({})", self.as_str())
    }
}

impl Serialize for OccupationCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for OccupationCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        OccupationCode::parse(&s).map_err(|e| serde::de::Error::custom(e.explain().en))
    }
}

/// The project's default reading of 本职业或相关职业: two detail occupations (depth 4) are
/// related when they are in the same minor group (小类, `D-DD-DD`); an occupation is related to
/// itself. E.g. 车工 `6-18-01-01` and 铣工 `6-18-01-02` are related; 车工 and 焊工 `6-18-02-04`
/// are not. Codes that are not detail codes are never related.
///
/// This is an assumption, not a national rule: each national occupational standard
/// (国家职业标准) may list its own related occupations, and a city's policy may widen or narrow
/// them. Callers with such a list should consult it first. This only looks at the codes; use
/// [`Catalogue::related`] to also require both to be occupations of an edition.
pub fn related(a: &OccupationCode, b: &OccupationCode) -> bool {
    a.depth() == 4 && b.depth() == 4 && a.minor_group() == b.minor_group()
}

// ---------------------------------------------------------------------------------------------
// Editions
// ---------------------------------------------------------------------------------------------

/// An edition of the classification. The 2005–2007 supplements (增补本) count as 1999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Edition {
    /// 1999 edition: 8 / 66 / 413 / 1838.
    E1999,
    /// 2015 edition: 8 / 75 / 434 / 1481.
    E2015,
    /// 2022 edition: 8 / 79 / 450 / 1639.
    E2022,
}

/// A text that names no known edition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EditionError {
    pub input: String,
}

impl Explain for EditionError {
    fn explain(&self) -> Msg {
        Msg::new(
            format!("“{}”不是已知的职业分类大典版本，应为 1999、2015 或 2022", self.input),
            format!(
                "\"{}\" is not a known edition of the occupational classification; expected \
                 1999, 2015 or 2022",
                self.input
            ),
        )
    }
}

impl fmt::Display for EditionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.explain().fmt(f)
    }
}

impl std::error::Error for EditionError {}

impl Edition {
    /// The edition in force.
    pub const LATEST: Edition = Edition::E2022;

    /// Every edition, oldest first.
    pub const ALL: [Edition; 3] = [Edition::E1999, Edition::E2015, Edition::E2022];

    /// `"1999"`, `"2015"` or `"2022"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Edition::E1999 => "1999",
            Edition::E2015 => "2015",
            Edition::E2022 => "2022",
        }
    }

    pub fn year(self) -> u16 {
        match self {
            Edition::E1999 => 1999,
            Edition::E2015 => 2015,
            Edition::E2022 => 2022,
        }
    }

    /// Whether GBM codes of categories are the code's digits padded to five (`6-18` ↔ `61800`),
    /// as in the 2015 and 2022 editions.
    fn gbm_follows_code(self) -> bool {
        matches!(self, Edition::E2015 | Edition::E2022)
    }
}

impl FromStr for Edition {
    type Err = EditionError;
    /// Accepts `1999`, `2015`, `2022`, optionally followed by `版` or `年版`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let year = t.strip_suffix("年版").or_else(|| t.strip_suffix('版')).unwrap_or(t).trim();
        Edition::ALL.into_iter().find(|e| e.as_str() == year).ok_or_else(|| EditionError { input: t.to_owned() })
    }
}

impl TryFrom<String> for Edition {
    type Error = EditionError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Edition> for String {
    fn from(e: Edition) -> String {
        e.as_str().to_owned()
    }
}

impl fmt::Display for Edition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------------------------
// Catalogue
// ---------------------------------------------------------------------------------------------

/// One entry of the classification: a category (depth 1–3) or an occupation (depth 4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occupation {
    pub code: OccupationCode,
    pub name: String,
    /// Equal to `code.depth()`.
    pub depth: u8,
    /// Equal to `code.parent()`.
    pub parent: Option<OccupationCode>,
    /// GB/T 6565 code, where the source gives one (categories in the 2015/2022 editions).
    pub gbm: Option<String>,
}

impl Occupation {
    /// Whether this is an occupation a person can hold (细类, depth 4).
    pub fn is_detail(&self) -> bool {
        self.depth == 4
    }
}

/// One edition of the classification: its entries sorted by code, with indexes for O(1) lookup
/// by code and by name.
#[derive(Debug, Clone)]
pub struct Catalogue {
    edition: Edition,
    /// Sorted by code, so an entry's contents follow it contiguously.
    entries: Vec<Occupation>,
    by_code: HashMap<OccupationCode, usize>,
    /// Trimmed name → entry indexes.
    by_name: HashMap<String, Vec<usize>>,
    /// [`normalize_name`] → entry indexes.
    by_normalized_name: HashMap<String, Vec<usize>>,
}

/// A column of a catalogue file, for error reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CatalogueField {
    /// The header line.
    Header,
    /// The row as a whole (wrong number of cells, broken quoting).
    Row,
    Code,
    Name,
    Level,
    Parent,
    Gbm,
}

impl CatalogueField {
    fn zh(self) -> &'static str {
        match self {
            CatalogueField::Header => "表头",
            CatalogueField::Row => "整行",
            CatalogueField::Code => "代码",
            CatalogueField::Name => "名称",
            CatalogueField::Level => "层级",
            CatalogueField::Parent => "上级代码",
            CatalogueField::Gbm => "GBM",
        }
    }

    fn en(self) -> &'static str {
        match self {
            CatalogueField::Header => "header",
            CatalogueField::Row => "row",
            CatalogueField::Code => "code",
            CatalogueField::Name => "name",
            CatalogueField::Level => "level",
            CatalogueField::Parent => "parent",
            CatalogueField::Gbm => "gbm",
        }
    }
}

/// What is wrong with a row of a catalogue file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogueProblem {
    /// The text has no header line.
    NoHeader,
    /// The header has no column for a required field.
    MissingColumn,
    /// Two header cells name the same field.
    DuplicateColumn {
        header: String,
    },
    /// The header is fine but no row follows.
    NoRows,
    /// A quoted cell is never closed.
    UnclosedQuote,
    /// The row has non-empty cells beyond the header's columns.
    ExtraCells {
        columns: usize,
        found: usize,
    },
    /// A required cell is empty.
    Required,
    BadCode(CodeError),
    /// The level is not 1–4.
    BadLevel {
        given: String,
    },
    /// The level disagrees with the code.
    LevelMismatch {
        given: u8,
        derived: u8,
    },
    /// The parent disagrees with the code.
    ParentMismatch {
        given: String,
        derived: Option<OccupationCode>,
    },
    /// The enclosing category is not in the file.
    MissingParent {
        parent: OccupationCode,
    },
    /// The code was already given on an earlier row.
    DuplicateCode {
        first_row: usize,
    },
    /// The name has a line break or other control character.
    BadName,
    /// The GBM is not made of digits (2015/2022) or of digits, `-` and `/` (1999).
    BadGbm {
        given: String,
    },
    /// The GBM disagrees with the code (2015/2022 categories).
    GbmMismatch {
        given: String,
        expected: String,
    },
}

/// A problem found in a catalogue file: where (row = line number in the file, header = 1;
/// column) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogueError {
    pub row: usize,
    pub field: CatalogueField,
    pub problem: CatalogueProblem,
}

impl Explain for CatalogueError {
    fn explain(&self) -> Msg {
        use CatalogueProblem as P;
        let (zh, en) = match &self.problem {
            P::NoHeader => (
                "文件为空，缺少表头（至少需要“代码,名称”两列）".to_owned(),
                "the file is empty; a header with at least the columns code,name is required".to_owned(),
            ),
            P::MissingColumn => {
                (format!("缺少“{}”列", self.field.zh()), format!("the {} column is missing", self.field.en()))
            }
            P::DuplicateColumn { header } => (
                format!("列“{header}”与前面的列重复，都表示“{}”", self.field.zh()),
                format!("column \"{header}\" repeats an earlier {} column", self.field.en()),
            ),
            P::NoRows => ("表头之后没有数据行".to_owned(), "there are no rows after the header".to_owned()),
            P::UnclosedQuote => ("引号没有闭合".to_owned(), "a quoted cell is never closed".to_owned()),
            P::ExtraCells { columns, found } => (
                format!("表头有 {columns} 列，这一行却有 {found} 个非空单元格"),
                format!("the header has {columns} columns but this row has {found} cells"),
            ),
            P::Required => {
                (format!("“{}”不能为空", self.field.zh()), format!("the {} must not be empty", self.field.en()))
            }
            P::BadCode(e) => {
                let m = e.explain();
                (m.zh, m.en)
            }
            P::BadLevel { given } => (
                format!("层级“{given}”无效，应为 1（大类）、2（中类）、3（小类）或 4（细类）"),
                format!(
                    "level \"{given}\" is invalid; expected 1 (major), 2 (medium), 3 (minor) or \
                     4 (detail)"
                ),
            ),
            P::LevelMismatch { given, derived } => (
                format!("层级为 {given}，但代码表示第 {derived} 层"),
                format!("level is {given} but the code is at level {derived}"),
            ),
            P::ParentMismatch { given, derived } => match derived {
                Some(p) => (
                    format!("上级代码为“{given}”，但按代码应为“{p}”"),
                    format!("parent is \"{given}\" but the code's parent is \"{p}\""),
                ),
                None => (
                    format!("大类没有上级代码，却填了“{given}”"),
                    format!("a major category has no parent, but \"{given}\" is given"),
                ),
            },
            P::MissingParent { parent } => (
                format!("上级类别“{parent}”不在文件中"),
                format!("the enclosing category \"{parent}\" is not in the file"),
            ),
            P::DuplicateCode { first_row } => {
                (format!("代码与第 {first_row} 行重复"), format!("the code repeats row {first_row}"))
            }
            P::BadName => (
                "名称含有换行或其他控制字符".to_owned(),
                "the name contains a line break or another control character".to_owned(),
            ),
            P::BadGbm { given } => (
                format!("GBM“{given}”无效，只能由数字组成（1999 年版还可含“-”和“/”）"),
                format!(
                    "GBM \"{given}\" is invalid; it must be digits (for the 1999 edition, also \
                     '-' and '/')"
                ),
            ),
            P::GbmMismatch { given, expected } => (
                format!("GBM 为“{given}”，但按代码应为“{expected}”"),
                format!("GBM is \"{given}\" but the code implies \"{expected}\""),
            ),
        };
        Msg::new(
            format!("第 {} 行，{}：{zh}", self.row, self.field.zh()),
            format!("row {}, {}: {en}", self.row, self.field.en()),
        )
    }
}

impl fmt::Display for CatalogueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.explain().fmt(f)
    }
}

impl std::error::Error for CatalogueError {}

/// The form names are compared in by [`Catalogue::find_by_name`]: whitespace removed,
/// full-width ASCII (`（）`, `Ａ`, `１`) read as half-width, and the list separators `、` `，`
/// `,` `·` dropped. So `军官(警官)`, `军官（警官）` and `军官 （警官）` compare equal, as do
/// `农林牧渔` and `农、林、牧、渔`.
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            _ => c,
        })
        .filter(|c| !matches!(c, '、' | ',' | '·' | '•'))
        .collect()
}

impl Catalogue {
    /// Parses a catalogue from CSV text; see the module documentation for the layout and the
    /// checks. On failure, returns every problem found, in row order.
    pub fn parse_csv(edition: Edition, text: &str) -> Result<Catalogue, Vec<CatalogueError>> {
        let mut errors = Vec::new();
        let records = read_records(text, &mut errors);
        let mut records = records.into_iter();

        let Some(header) = records.next() else {
            if errors.is_empty() {
                errors.push(CatalogueError {
                    row: 1,
                    field: CatalogueField::Header,
                    problem: CatalogueProblem::NoHeader,
                });
            }
            return Err(errors);
        };
        let columns = match Columns::from_header(&header) {
            Ok(c) => c,
            Err(mut e) => {
                errors.append(&mut e);
                return Err(errors);
            }
        };

        let mut entries: Vec<Occupation> = Vec::new();
        // Every code read, even on a row with other problems, so that a duplicate or a child of
        // that row is not reported twice over.
        let mut first_row: HashMap<OccupationCode, usize> = HashMap::new();
        let mut any_row = false;
        for record in records {
            any_row = true;
            let (code, occupation) = parse_row(edition, &columns, &record, &mut errors);
            let Some(code) = code else { continue };
            if let Some(&first) = first_row.get(&code) {
                errors.push(CatalogueError {
                    row: record.row,
                    field: CatalogueField::Code,
                    problem: CatalogueProblem::DuplicateCode { first_row: first },
                });
                continue;
            }
            first_row.insert(code, record.row);
            if let Some(occupation) = occupation {
                entries.push(occupation);
            }
        }
        if !any_row && errors.is_empty() {
            errors.push(CatalogueError {
                row: header.row,
                field: CatalogueField::Row,
                problem: CatalogueProblem::NoRows,
            });
        }
        for (&code, &row) in &first_row {
            if let Some(parent) = code.parent()
                && !first_row.contains_key(&parent)
            {
                errors.push(CatalogueError {
                    row,
                    field: CatalogueField::Parent,
                    problem: CatalogueProblem::MissingParent { parent },
                });
            }
        }
        if !errors.is_empty() {
            // Stable: problems of one row keep the order of the columns checked.
            errors.sort_by_key(|e| e.row);
            return Err(errors);
        }

        entries.sort_by_key(|o| o.code);
        Ok(Catalogue::from_sorted(edition, entries))
    }

    fn from_sorted(edition: Edition, entries: Vec<Occupation>) -> Catalogue {
        let mut by_code = HashMap::with_capacity(entries.len());
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::with_capacity(entries.len());
        let mut by_normalized_name: HashMap<String, Vec<usize>> = HashMap::with_capacity(entries.len());
        for (i, o) in entries.iter().enumerate() {
            by_code.insert(o.code, i);
            by_name.entry(o.name.clone()).or_default().push(i);
            by_normalized_name.entry(normalize_name(&o.name)).or_default().push(i);
        }
        // Within one name, occupations (detail) first, then broader categories.
        let order = |v: &mut Vec<usize>| v.sort_by_key(|&i| (std::cmp::Reverse(entries[i].depth), entries[i].code));
        by_name.values_mut().for_each(order);
        by_normalized_name.values_mut().for_each(order);
        Catalogue { edition, entries, by_code, by_name, by_normalized_name }
    }

    pub fn edition(&self) -> Edition {
        self.edition
    }

    /// All entries, sorted by code.
    pub fn entries(&self) -> &[Occupation] {
        &self.entries
    }

    /// All entries, sorted by code.
    pub fn iter(&self) -> std::slice::Iter<'_, Occupation> {
        self.entries.iter()
    }

    /// The occupations a person can hold (depth 4), sorted by code.
    pub fn details(&self) -> impl Iterator<Item = &Occupation> {
        self.entries.iter().filter(|o| o.is_detail())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entry with this code. O(1).
    pub fn get(&self, code: &OccupationCode) -> Option<&Occupation> {
        self.by_code.get(code).map(|&i| &self.entries[i])
    }

    pub fn contains(&self, code: &OccupationCode) -> bool {
        self.by_code.contains_key(code)
    }

    /// The name of the entry with this code. O(1).
    pub fn name_of(&self, code: &OccupationCode) -> Option<&str> {
        self.get(code).map(|o| o.name.as_str())
    }

    /// Whether `code` is an occupation of this edition that a person can hold (细类, depth 4).
    /// Residual "other" categories such as `2-01-99` have no occupations under them and are not
    /// details. O(1).
    pub fn is_detail(&self, code: &OccupationCode) -> bool {
        self.get(code).is_some_and(Occupation::is_detail)
    }

    /// Entries with this name: exact matches (after trimming) first, then matches after
    /// [`normalize_name`]; within each group occupations (depth 4) come before the categories
    /// that share their name (a minor group with a single `00` occupation usually does).
    /// Empty when nothing matches. O(1) plus the number of matches.
    pub fn find_by_name(&self, name: &str) -> Vec<&Occupation> {
        let exact = self.by_name.get(name.trim()).map(Vec::as_slice).unwrap_or_default();
        let normalized = self.by_normalized_name.get(&normalize_name(name)).map(Vec::as_slice).unwrap_or_default();
        let mut found: Vec<&Occupation> = exact.iter().map(|&i| &self.entries[i]).collect();
        for &i in normalized {
            if !exact.contains(&i) {
                found.push(&self.entries[i]);
            }
        }
        found
    }

    /// Entries whose normalized name contains the normalized `query`: names equal to it first,
    /// then names starting with it, then the rest; occupations before categories, then by code.
    /// This scans the whole catalogue (O(n)); it is meant for search boxes, not for checking
    /// imported rows (use [`Catalogue::find_by_name`] there).
    pub fn search(&self, query: &str) -> Vec<&Occupation> {
        let q = normalize_name(query);
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, std::cmp::Reverse<u8>, &Occupation)> = self
            .entries
            .iter()
            .filter_map(|o| {
                let n = normalize_name(&o.name);
                let rank = if n == q {
                    0
                } else if n.starts_with(&q) {
                    1
                } else if n.contains(&q) {
                    2
                } else {
                    return None;
                };
                Some((rank, std::cmp::Reverse(o.depth), o))
            })
            .collect();
        hits.sort_by_key(|&(rank, depth, o)| (rank, depth, o.code));
        hits.into_iter().map(|(_, _, o)| o).collect()
    }

    /// `code` and everything inside it, in code order (empty when `code` is not in the
    /// catalogue). O(log n).
    pub fn subtree(&self, code: &OccupationCode) -> &[Occupation] {
        let Some(&start) = self.by_code.get(code) else {
            return &[];
        };
        let rest = &self.entries[start..];
        let end = rest.partition_point(|o| o.code.is_within(code));
        &rest[..end]
    }

    /// The entries directly inside `code` (one level deeper), in code order.
    pub fn children(&self, code: &OccupationCode) -> Vec<&Occupation> {
        let depth = code.depth() + 1;
        self.subtree(code).iter().filter(|o| o.depth == depth).collect()
    }

    /// Numbers of entries at depths 1 (大类), 2 (中类), 3 (小类) and 4 (细类).
    pub fn counts_by_depth(&self) -> [usize; 4] {
        let mut counts = [0; 4];
        for o in &self.entries {
            counts[usize::from(o.depth) - 1] += 1;
        }
        counts
    }

    /// [`related`], and both codes are occupations (depth 4) of this edition.
    pub fn related(&self, a: &OccupationCode, b: &OccupationCode) -> bool {
        related(a, b) && self.is_detail(a) && self.is_detail(b)
    }
}

impl<'a> IntoIterator for &'a Catalogue {
    type Item = &'a Occupation;
    type IntoIter = std::slice::Iter<'a, Occupation>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter()
    }
}

// ---------------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------------

/// A non-blank record and the line it starts on (1-based).
struct Record {
    row: usize,
    cells: Vec<String>,
}

/// Splits CSV text into records (RFC 4180 quoting; LF, CRLF or CR line ends), skipping blank
/// ones. Cells are trimmed. An unclosed quote is reported and ends the text.
fn read_records(text: &str, errors: &mut Vec<CatalogueError>) -> Vec<Record> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') { '\t' } else { ',' };

    let mut records = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut record_line = 1;
    let mut chars = text.chars().peekable();
    let mut in_quotes = false;
    let mut quote_line = 0;
    let mut cell_started = false; // a non-space character has been seen in this cell

    let mut finish_record = |cells: &mut Vec<String>, record_line: usize| {
        let taken = std::mem::take(cells);
        if taken.iter().any(|c| !c.is_empty()) {
            records.push(Record { row: record_line, cells: taken });
        }
    };

    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => in_quotes = false,
                '\r' | '\n' => {
                    if c == '\r' && chars.peek() == Some(&'\n') {
                        chars.next();
                    }
                    line += 1;
                    cell.push('\n');
                }
                _ => cell.push(c),
            }
            continue;
        }
        match c {
            '"' if !cell_started => {
                in_quotes = true;
                cell_started = true;
                quote_line = line;
                cell.clear();
            }
            c if c == delimiter => {
                cells.push(std::mem::take(&mut cell).trim().to_owned());
                cell_started = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                cells.push(std::mem::take(&mut cell).trim().to_owned());
                cell_started = false;
                finish_record(&mut cells, record_line);
                line += 1;
                record_line = line;
            }
            _ => {
                if !c.is_whitespace() {
                    cell_started = true;
                }
                cell.push(c);
            }
        }
    }
    if in_quotes {
        errors.push(CatalogueError {
            row: quote_line,
            field: CatalogueField::Row,
            problem: CatalogueProblem::UnclosedQuote,
        });
    }
    if !cell.is_empty() || !cells.is_empty() {
        cells.push(cell.trim().to_owned());
        finish_record(&mut cells, record_line);
    }
    records
}

/// Column positions of the fields, from the header.
struct Columns {
    count: usize,
    code: usize,
    name: usize,
    level: Option<usize>,
    parent: Option<usize>,
    gbm: Option<usize>,
}

impl Columns {
    fn from_header(header: &Record) -> Result<Columns, Vec<CatalogueError>> {
        let mut errors = Vec::new();
        let mut found: [Option<usize>; 5] = [None; 5];
        let fields = [
            CatalogueField::Code,
            CatalogueField::Name,
            CatalogueField::Level,
            CatalogueField::Parent,
            CatalogueField::Gbm,
        ];
        for (i, cell) in header.cells.iter().enumerate() {
            let key = cell.trim().trim_start_matches('\u{FEFF}').to_lowercase();
            let slot = match key.as_str() {
                "code" | "代码" | "职业代码" | "编码" | "职业编码" => 0,
                "name" | "名称" | "职业名称" => 1,
                "level" | "depth" | "层级" => 2,
                "parent" | "上级代码" | "上级" => 3,
                "gbm" => 4,
                _ => continue,
            };
            if found[slot].is_some() {
                errors.push(CatalogueError {
                    row: header.row,
                    field: fields[slot],
                    problem: CatalogueProblem::DuplicateColumn { header: cell.clone() },
                });
            } else {
                found[slot] = Some(i);
            }
        }
        for slot in [0, 1] {
            if found[slot].is_none() {
                errors.push(CatalogueError {
                    row: header.row,
                    field: fields[slot],
                    problem: CatalogueProblem::MissingColumn,
                });
            }
        }
        match (found[0], found[1]) {
            (Some(code), Some(name)) if errors.is_empty() => {
                Ok(Columns { count: header.cells.len(), code, name, level: found[2], parent: found[3], gbm: found[4] })
            }
            _ => Err(errors),
        }
    }
}

/// Checks one row and pushes its problems. Returns the row's code when it parses, and the entry
/// when the row has no problem at all.
fn parse_row(
    edition: Edition,
    columns: &Columns,
    record: &Record,
    errors: &mut Vec<CatalogueError>,
) -> (Option<OccupationCode>, Option<Occupation>) {
    let before = errors.len();
    let row = record.row;
    let mut fail = |field, problem| errors.push(CatalogueError { row, field, problem });
    let cell = |i: usize| record.cells.get(i).map(String::as_str).unwrap_or("");
    let optional = |i: Option<usize>| i.map(cell).filter(|s| !s.is_empty());

    let extra = record.cells.iter().skip(columns.count).filter(|c| !c.is_empty()).count();
    if extra > 0 {
        fail(
            CatalogueField::Row,
            CatalogueProblem::ExtraCells { columns: columns.count, found: columns.count + extra },
        );
    }

    let code = match cell(columns.code) {
        "" => {
            fail(CatalogueField::Code, CatalogueProblem::Required);
            None
        }
        text => match OccupationCode::parse(text) {
            Ok(code) => Some(code),
            Err(e) => {
                fail(CatalogueField::Code, CatalogueProblem::BadCode(e));
                None
            }
        },
    };

    let name = cell(columns.name);
    if name.is_empty() {
        fail(CatalogueField::Name, CatalogueProblem::Required);
    } else if name.chars().any(char::is_control) {
        fail(CatalogueField::Name, CatalogueProblem::BadName);
    }

    let level = optional(columns.level);
    if let Some(given) = level {
        match given.parse::<u8>() {
            Ok(l @ 1..=4) => {
                if let Some(code) = code
                    && code.depth() != l
                {
                    fail(CatalogueField::Level, CatalogueProblem::LevelMismatch { given: l, derived: code.depth() });
                }
            }
            _ => fail(CatalogueField::Level, CatalogueProblem::BadLevel { given: given.to_owned() }),
        }
    }

    if let Some(given) = optional(columns.parent) {
        let parsed = OccupationCode::parse(given);
        match (&parsed, code) {
            (Err(e), _) => fail(CatalogueField::Parent, CatalogueProblem::BadCode(e.clone())),
            (Ok(p), Some(code)) if Some(*p) != code.parent() => fail(
                CatalogueField::Parent,
                CatalogueProblem::ParentMismatch { given: given.to_owned(), derived: code.parent() },
            ),
            _ => {}
        }
    }

    let gbm = optional(columns.gbm);
    if let Some(given) = gbm {
        let shape_ok = if edition.gbm_follows_code() {
            given.bytes().all(|b| b.is_ascii_digit())
        } else {
            given.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'/')
        };
        if !shape_ok {
            fail(CatalogueField::Gbm, CatalogueProblem::BadGbm { given: given.to_owned() });
        } else if let Some(code) = code
            && edition.gbm_follows_code()
            && code.depth() < 4
        {
            let expected = format!("{:0<5}", code.as_str().replace('-', ""));
            if given != expected {
                fail(CatalogueField::Gbm, CatalogueProblem::GbmMismatch { given: given.to_owned(), expected });
            }
        }
    }

    let clean = errors.len() == before;
    let occupation = code.filter(|_| clean).map(|code| Occupation {
        code,
        name: name.to_owned(),
        depth: code.depth(),
        parent: code.parent(),
        gbm: gbm.map(str::to_owned),
    });
    (code, occupation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_keep_their_canonical_form() {
        let c = OccupationCode::parse("６－18－01－01").unwrap();
        assert_eq!(c.as_str(), "6-18-01-01");
        assert_eq!(c.at_depth(2).unwrap().as_str(), "6-18");
        assert!(c.is_within(&OccupationCode::parse("6-18").unwrap()));
        assert!(!c.is_within(&OccupationCode::parse("6-19").unwrap()));
        assert!(!c.at_depth(2).unwrap().is_within(&c));
    }

    #[test]
    fn csv_reader_handles_quotes_and_blank_lines() {
        let mut errors = Vec::new();
        let records = read_records("\u{FEFF}a,b\r\n\r\n\"x,\"\"y\"\"\", z \n,,\n", &mut errors);
        assert!(errors.is_empty());
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].row, 3);
        assert_eq!(records[1].cells, vec!["x,\"y\"".to_owned(), "z".to_owned()]);
    }
}
