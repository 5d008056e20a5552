//! The policy model: every rule and number a city's policy sets, read from a versioned TOML file
//! (`policy/tianjin.toml` is the shipped one; the format is described in `docs/POLICY.md`).
//!
//! Loading never stops at the first problem. It reports TOML syntax errors with line and column,
//! unknown keys, wrong types and semantic errors (duplicate ranks, unknown level names, bad
//! dates, dangling references …), each with the dotted key path of the offending entry and a
//! reason in Chinese and English.
//!
//! How the loader collects everything: the document is parsed into toml's spanned tree, and each
//! entry (a section, one element of an array of tables, one rule, one condition) is deserialized
//! on its own with serde (`deny_unknown_fields`), so one bad entry does not hide the others. An
//! unknown key is reported and removed, and the entry is read again, so several unknown keys in
//! one entry are all reported. Semantic checks then run on whatever was read.

use std::collections::{HashMap, HashSet};
use std::fmt::{self, Write as _};
use std::ops::Range;

use serde::de::{DeserializeOwned, Error as _, IgnoredAny};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::bilingual::{Explain, Msg};
use crate::dates::{iso, parse_date};
use crate::level::Level;
use crate::registry::{Education, EmploymentStatus};

/// The shipped Tianjin policy file.
pub const TIANJIN_TOML: &str = include_str!("../../../policy/tianjin.toml");

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// One problem in a policy file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyError {
    /// The file name as given to the loader.
    pub file: String,
    /// Dotted path of the offending entry, e.g. `eligibility.editions[1].rules[3].all[0]`;
    /// empty when the problem concerns the whole document.
    pub key: String,
    /// 1-based line and column when the position is known.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub why: Msg,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if !self.key.is_empty() {
            write!(f, ": {}", self.key)?;
        }
        write!(f, ": {}", self.why)
    }
}

impl std::error::Error for PolicyError {}

impl Explain for PolicyError {
    fn explain(&self) -> Msg {
        let place = match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.clone(),
        };
        let key = if self.key.is_empty() { String::new() } else { format!(" {}", self.key) };
        Msg::new(
            format!("策略文件 {place}{key}：{}", self.why.zh),
            format!("policy file {place}{key}: {}", self.why.en),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

/// A validated policy. Build it with [`Policy::from_toml_str`] or [`Policy::tianjin`].
#[derive(Debug, Clone, Serialize)]
pub struct Policy {
    pub meta: Meta,
    pub ladder: Ladder,
    pub districts: Vec<District>,
    pub former_district_codes: Vec<FormerDistrictCode>,
    pub industries: Vec<Industry>,
    pub industrial_system: Option<IndustrialSystem>,
    pub industrial_chains: Vec<IndustrialChain>,
    pub kpi: KpiDefinition,
    pub kpi_targets: Vec<KpiTarget>,
    pub eligibility: Eligibility,
    pub evaluation: Evaluation,
    /// `[shortage]`: the scale of the shortage list (紧缺程度); `None` when the file has none.
    pub shortage: Option<ShortageScale>,
}

/// `[shortage]`: how short a skill must be to enter the shortage list (急需紧缺职业目录), and at
/// which severity. See `supply::severity`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortageScale {
    /// Most severe first.
    pub thresholds: Vec<crate::supply::Threshold>,
    pub source: String,
}

/// `[meta]`: what this file is. Its dates describe the policy document; evaluation uses the
/// dates of editions and rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meta {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// GB/T 2260 code of the jurisdiction, e.g. `120000` for Tianjin.
    pub jurisdiction: String,
    /// The jurisdiction's name as users write it, e.g. 天津市 / Tianjin.
    pub jurisdiction_name_zh: String,
    pub jurisdiction_name_en: String,
    pub version: String,
    #[serde(serialize_with = "ser_date")]
    pub effective_from: Date,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub sources: Vec<String>,
}

/// How a level is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObtainedBy {
    /// Skill-level certification by a filed evaluation institution (职业技能等级认定).
    Exam,
    /// Graded by the employer against its own criteria (企业评定).
    Enterprise,
    /// A post the enterprise evaluates and appoints to (评聘结合).
    Appointment,
}

impl ObtainedBy {
    pub fn zh(self) -> &'static str {
        match self {
            ObtainedBy::Exam => "职业技能等级认定",
            ObtainedBy::Enterprise => "企业评定",
            ObtainedBy::Appointment => "评聘",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            ObtainedBy::Exam => "skill-level certification",
            ObtainedBy::Enterprise => "graded by the employer",
            ObtainedBy::Appointment => "evaluation and appointment",
        }
    }
}

/// One row of `[[ladder.levels]]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LadderLevel {
    pub level: Level,
    pub name_zh: String,
    pub name_en: String,
    /// The national grade name paired with the level, e.g. `三级` for 高级工.
    pub grade_alias: Option<String>,
    /// The skill-level digit of a national certificate number (5 = 初级工 … 1 = 高级技师).
    pub certificate_level_code: Option<u8>,
    pub obtained_by: ObtainedBy,
    pub source: String,
}

/// `[ladder]`: the eight-level ladder with its names. Always holds ranks 1..=8 exactly once,
/// in rank order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ladder {
    levels: Vec<LadderLevel>,
    skilled_from: Level,
    high_skilled_from: Level,
    source: Option<String>,
}

impl Ladder {
    /// The rows, lowest rank first.
    pub fn levels(&self) -> &[LadderLevel] {
        &self.levels
    }

    /// The lowest level that counts as skilled talent (技能人才).
    pub fn skilled_from(&self) -> Level {
        self.skilled_from
    }

    /// The lowest level that counts as high-skilled talent (高技能人才).
    pub fn high_skilled_from(&self) -> Level {
        self.high_skilled_from
    }

    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    pub fn row(&self, level: Level) -> Option<&LadderLevel> {
        let i = usize::from(level.rank()) - 1;
        match self.levels.get(i) {
            Some(row) if row.level == level => Some(row),
            _ => self.levels.iter().find(|r| r.level == level),
        }
    }

    /// Accepts the rank (`"4"`), the Chinese name (`"高级工"`), the grade alias (`"三级"`), both
    /// (`"三级/高级工"`, either order, `/` or `／`) and the English name in any case.
    /// Note that `"3"` is rank 3 (中级工) while `"三级"` is the grade alias of 高级工.
    pub fn parse_level(&self, s: &str) -> Option<Level> {
        parse_level_in(&self.levels, s)
    }

    pub fn name_zh(&self, level: Level) -> &str {
        self.row(level).map_or("", |r| r.name_zh.as_str())
    }

    pub fn name_en(&self, level: Level) -> &str {
        self.row(level).map_or("", |r| r.name_en.as_str())
    }

    /// `三级/高级工` where a grade alias exists, else the Chinese name (`学徒工`).
    pub fn display(&self, level: Level) -> String {
        match self.row(level) {
            Some(LadderLevel { grade_alias: Some(alias), name_zh, .. }) => format!("{alias}/{name_zh}"),
            Some(row) => row.name_zh.clone(),
            None => level.to_string(),
        }
    }

    pub fn is_skilled(&self, level: Level) -> bool {
        level >= self.skilled_from
    }

    pub fn is_high_skilled(&self, level: Level) -> bool {
        level >= self.high_skilled_from
    }

    pub fn certificate_level_code(&self, level: Level) -> Option<u8> {
        self.row(level).and_then(|r| r.certificate_level_code)
    }

    pub fn level_for_certificate_code(&self, code: u8) -> Option<Level> {
        self.levels.iter().find(|r| r.certificate_level_code == Some(code)).map(|r| r.level)
    }
}

fn parse_level_in(rows: &[LadderLevel], s: &str) -> Option<Level> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        let level = s.parse::<u8>().ok().and_then(Level::new)?;
        return rows.iter().find(|r| r.level == level).map(|r| r.level);
    }
    let (a, b) = match s.split_once(['/', '／']) {
        Some((a, b)) => (a.trim(), Some(b.trim())),
        None => (s, None),
    };
    rows.iter()
        .find(|r| {
            let alias = r.grade_alias.as_deref();
            match b {
                None => a == r.name_zh || a.eq_ignore_ascii_case(&r.name_en) || Some(a) == alias,
                Some(b) => alias.is_some_and(|al| (a == al && b == r.name_zh) || (a == r.name_zh && b == al)),
            }
        })
        .map(|r| r.level)
}

/// `[[districts]]`: a county-level division of the jurisdiction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct District {
    /// GB/T 2260 code, 6 digits.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The group the city uses in statistics, e.g. 市内六区.
    pub group: String,
    pub group_en: String,
    /// Other names accepted on input, e.g. 滨海 for 滨海新区.
    pub aliases: Vec<String>,
    pub source: Option<String>,
}

/// `[[former_district_codes]]`: an abolished code that still appears in old files and identity
/// numbers, and the current district it maps to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FormerDistrictCode {
    pub code: String,
    pub name_zh: String,
    /// Code of the current district.
    pub current: String,
    pub source: Option<String>,
}

/// `[[industries]]`: a section (门类) of GB/T 4754.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Industry {
    /// One uppercase letter, A–T in GB/T 4754-2017.
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub source: Option<String>,
}

/// `[industrial_system]`: a city's industrial policy frame, e.g. Tianjin's "1+3+4".
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustrialSystem {
    pub name_zh: String,
    pub name_en: String,
    pub source: String,
    pub groups: Vec<IndustryGroup>,
    pub sectors: Vec<IndustrialSector>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustryGroup {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustrialSector {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Id of an [`IndustryGroup`].
    pub group: String,
}

/// `[[industrial_chains]]`: a key industrial chain (重点产业链).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndustrialChain {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    /// Id of an [`IndustryGroup`], when the chain belongs to one.
    pub group: Option<String>,
    pub source: String,
}

/// Where the KPI denominator (employed persons) comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// The statistics bureau's figure when one is loaded, else the registry count.
    OfficialStatisticsThenRegistry,
    OfficialStatistics,
    Registry,
}

/// `[kpi]`: how the KPIs are computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiDefinition {
    /// Employment statuses that count as employed persons.
    pub employed_statuses: Vec<EmploymentStatus>,
    pub denominator: Denominator,
    pub source: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiKind {
    /// Skilled talent ÷ employed persons.
    SkilledShare,
    /// High-skilled talent ÷ skilled talent.
    HighSkilledShare,
}

impl KpiKind {
    pub fn zh(self) -> &'static str {
        match self {
            KpiKind::SkilledShare => "技能人才占就业人员比例",
            KpiKind::HighSkilledShare => "高技能人才占技能人才比例",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            KpiKind::SkilledShare => "skilled talent as a share of employed persons",
            KpiKind::HighSkilledShare => "high-skilled talent as a share of skilled talent",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Comparison {
    #[serde(rename = ">")]
    Greater,
    #[serde(rename = ">=")]
    GreaterOrEqual,
}

impl Comparison {
    pub fn holds(self, actual: f64, target: f64) -> bool {
        match self {
            Comparison::Greater => actual > target,
            Comparison::GreaterOrEqual => actual >= target,
        }
    }
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::Greater => ">",
            Comparison::GreaterOrEqual => "≥",
        }
    }
}

/// `[[kpi_targets]]`: a target a policy sets.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiTarget {
    pub id: String,
    pub kpi: KpiKind,
    pub comparison: Comparison,
    /// A fraction in (0, 1], e.g. 0.40.
    pub value: f64,
    #[serde(serialize_with = "ser_date")]
    pub due: Date,
    /// Current district code when the target is for one district; `None` for the whole city.
    pub district: Option<String>,
    pub source: String,
    pub note: Option<String>,
}

impl KpiTarget {
    pub fn is_met(&self, actual: f64) -> bool {
        self.comparison.holds(actual, self.value)
    }
}

/// What "a related occupation" (相关职业) means when a rule counts this or a related occupation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relatedness {
    /// Only the same occupation code.
    SameOccupation,
    /// The same minor group (小类), i.e. the same `D-DD-DD` prefix.
    SameMinorGroup,
}

/// Grade of a professional title (职称).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleGrade {
    /// 初级 (员级 and 助理级).
    Junior,
    /// 中级.
    Intermediate,
    /// 高级 (副高级 and 正高级).
    Senior,
}

impl TitleGrade {
    pub fn code(self) -> &'static str {
        match self {
            TitleGrade::Junior => "junior",
            TitleGrade::Intermediate => "intermediate",
            TitleGrade::Senior => "senior",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            TitleGrade::Junior => "初级职称",
            TitleGrade::Intermediate => "中级职称",
            TitleGrade::Senior => "高级职称",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            TitleGrade::Junior => "junior professional title",
            TitleGrade::Intermediate => "intermediate professional title",
            TitleGrade::Senior => "senior professional title",
        }
    }
    pub fn parse(s: &str) -> Option<TitleGrade> {
        match s.trim() {
            "junior" | "初级" | "初级职称" | "员级" | "助理级" => Some(TitleGrade::Junior),
            "intermediate" | "中级" | "中级职称" => Some(TitleGrade::Intermediate),
            "senior" | "高级" | "高级职称" | "副高级" | "正高级" => Some(TitleGrade::Senior),
            other => [TitleGrade::Junior, TitleGrade::Intermediate, TitleGrade::Senior]
                .into_iter()
                .find(|g| other.eq_ignore_ascii_case(g.code())),
        }
    }
}

/// One condition of a rule; all conditions of a rule must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Condition {
    /// `{ min_age = 16 }`: at least this many whole years old.
    MinAge { years: u32 },
    /// `{ holds = "初级工", years = 4 }`: holds this level or higher in this or a related
    /// occupation, obtained at least `years` whole years before the decision date.
    Holds { level: Level, years: u32 },
    /// `{ work_years = 6 }`: cumulative work in this or a related occupation; overlapping spells
    /// count once.
    WorkYears { years: u32 },
    /// `{ education = [...] }`: the highest education is one of these. Whether the major
    /// matches the occupation (本专业或相关专业) is not checked.
    Education {
        accepted: Vec<Education>,
        /// `years_after_graduation = N`: graduated at least N whole years ago.
        years_after_graduation: Option<u32>,
        /// `include_graduating = true`: students graduating within a year count
        /// (含尚未取得毕业证书的在校应届毕业生).
        include_graduating: bool,
    },
    /// `{ title = "junior", years = 1 }`: a professional title of this grade or higher, held at
    /// least `years` whole years. Whether its specialty matches is not checked.
    Title { grade: TitleGrade, years: u32 },
    /// `{ work_years_after_level = { level = "高级工", years = 1 } }`: cumulative work in this or
    /// a related occupation since obtaining the level (or a higher one).
    WorkYearsAfterLevel { level: Level, years: u32 },
}

impl Condition {
    /// Stable name of the condition kind, as used in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Condition::MinAge { .. } => "min_age",
            Condition::Holds { .. } => "holds",
            Condition::WorkYears { .. } => "work_years",
            Condition::Education { .. } => "education",
            Condition::Title { .. } => "title",
            Condition::WorkYearsAfterLevel { .. } => "work_years_after_level",
        }
    }
}

/// One qualifying clause (申报条件) for a target level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub id: String,
    pub level: Level,
    pub text_zh: String,
    pub text_en: String,
    pub source: String,
    /// What the engine cannot check and a reviewer must (e.g. whether a programme was evaluated).
    pub review_zh: Option<String>,
    pub review_en: Option<String>,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_from: Option<Date>,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub all: Vec<Condition>,
}

impl Rule {
    /// In force on `on`: both dates inclusive.
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from.is_none_or(|f| f <= on) && self.effective_to.is_none_or(|t| on <= t)
    }
}

/// A generation of the application conditions, e.g. the 2018 standard template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edition {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    #[serde(serialize_with = "ser_date")]
    pub effective_from: Date,
    /// Last day in force (inclusive); `None` = open-ended.
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub source: String,
    pub rules: Vec<Rule>,
}

impl Edition {
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }

    /// The rules for `level` in force on `on`, in file order.
    pub fn rules_for(&self, level: Level, on: Date) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.level == level && r.in_force(on))
    }
}

/// `[[eligibility.occupation_editions]]`: an occupation whose standard uses a given edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OccupationEdition {
    pub occupation: String,
    pub edition: String,
    #[serde(serialize_with = "ser_date")]
    pub effective_from: Date,
    #[serde(serialize_with = "ser_opt_date")]
    pub effective_to: Option<Date>,
    pub source: String,
}

impl OccupationEdition {
    fn in_force(&self, on: Date) -> bool {
        self.effective_from <= on && self.effective_to.is_none_or(|t| on <= t)
    }
}

/// `[eligibility]`: application conditions by edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Eligibility {
    pub related_occupation: Relatedness,
    pub source: Option<String>,
    pub editions: Vec<Edition>,
    pub occupation_editions: Vec<OccupationEdition>,
}

impl Eligibility {
    pub fn edition(&self, id: &str) -> Option<&Edition> {
        self.editions.iter().find(|e| e.id == id)
    }

    /// The edition that applies to `occupation` on `on`: the mapped edition when an
    /// `occupation_editions` entry is in force (the latest such entry) and its edition is in
    /// force; otherwise the latest edition (by `effective_from`; later in the file wins a tie)
    /// whose effective range contains the date.
    pub fn edition_for(&self, occupation: &str, on: Date) -> Option<&Edition> {
        let mapped = self
            .occupation_editions
            .iter()
            .filter(|m| m.occupation == occupation && m.in_force(on))
            .max_by_key(|m| m.effective_from)
            .and_then(|m| self.edition(&m.edition))
            .filter(|e| e.in_force(on));
        mapped.or_else(|| self.editions.iter().filter(|e| e.in_force(on)).max_by_key(|e| e.effective_from))
    }

    /// The first date after `on` on which [`Eligibility::edition_for`] gives another edition
    /// (or none), if any.
    pub fn next_edition_change(&self, occupation: &str, on: Date) -> Option<Date> {
        let current = self.edition_for(occupation, on).map(|e| e.id.as_str());
        let after = |d: Option<Date>| d.and_then(|d| d.next_day());
        let mut boundaries: Vec<Date> = self
            .editions
            .iter()
            .flat_map(|e| [Some(e.effective_from), after(e.effective_to)])
            .chain(
                self.occupation_editions
                    .iter()
                    .filter(|m| m.occupation == occupation)
                    .flat_map(|m| [Some(m.effective_from), after(m.effective_to)]),
            )
            .flatten()
            .filter(|d| *d > on)
            .collect();
        boundaries.sort_unstable();
        boundaries.dedup();
        boundaries.into_iter().find(|d| self.edition_for(occupation, *d).map(|e| e.id.as_str()) != current)
    }

    /// Whether `other` counts as "this or a related occupation" for `occupation`.
    pub fn related(&self, occupation: &str, other: &str) -> bool {
        if occupation == other {
            return true;
        }
        match self.related_occupation {
            Relatedness::SameOccupation => false,
            Relatedness::SameMinorGroup => minor_group(occupation).is_some_and(|g| minor_group(other) == Some(g)),
        }
    }
}

/// The `D-DD-DD` prefix of an occupation code, when it has that shape.
fn minor_group(code: &str) -> Option<&str> {
    let b = code.as_bytes();
    let shaped = b.len() >= 7
        && b[0].is_ascii_digit()
        && b[1] == b'-'
        && b[2].is_ascii_digit()
        && b[3].is_ascii_digit()
        && b[4] == b'-'
        && b[5].is_ascii_digit()
        && b[6].is_ascii_digit()
        && (b.len() == 7 || b[7] == b'-');
    shaped.then(|| &code[..7])
}

/// A full occupation code `D-DD-DD-DD` (大类-中类-小类-细类).
pub(crate) fn is_occupation_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 10 && minor_group(code).is_some() && b[7] == b'-' && b[8].is_ascii_digit() && b[9].is_ascii_digit()
}

/// `[evaluation]`: assessment rules for skill-level certification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub pass_mark: PassMark,
    pub theory_exam: TheoryExam,
    pub skill_test: SkillTest,
    pub comprehensive_review: ComprehensiveReview,
    pub publicity: Publicity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassMark {
    /// Minimum score in points, inclusive.
    pub min_score: u32,
    pub out_of: u32,
    /// Every component (theory, skill test, comprehensive review) must reach the mark.
    pub each_component: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TheoryExam {
    pub candidates_per_invigilator: u32,
    pub min_invigilators_per_room: u32,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SkillTest {
    pub candidates_per_examiner: u32,
    pub min_examiners: u32,
    pub odd_examiners: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComprehensiveReview {
    /// Target levels that need a comprehensive review besides theory and skill test.
    pub levels: Vec<Level>,
    pub min_panel: u32,
    pub odd_panel: bool,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publicity {
    /// Working days results are published (公示) before certificates are issued.
    pub working_days: u32,
    pub source: String,
}

impl Policy {
    /// Reads and validates a policy. `file` names the file in error messages.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Policy, Vec<PolicyError>> {
        let (root, syntax) = DeTable::parse_recoverable(text);
        let mut loader = Loader { file, text, root: root.get_ref(), errors: Vec::new() };
        if !syntax.is_empty() {
            for e in &syntax {
                let mut key = String::new();
                if let Some(span) = e.span() {
                    locate_in_table(root.get_ref(), &span, &mut key);
                }
                let why =
                    Msg::new(format!("TOML 语法错误：{}", e.message()), format!("TOML syntax error: {}", e.message()));
                loader.push(key, e.span(), why);
            }
            return Err(loader.errors);
        }
        let raw = loader.read();
        match loader.build(raw) {
            Some(policy) if loader.errors.is_empty() => Ok(policy),
            _ => {
                // In file order; errors without a position last.
                loader.errors.sort_by_key(|e| (e.line.is_none(), e.line, e.column));
                Err(loader.errors)
            }
        }
    }

    /// The shipped Tianjin policy. A test proves it loads.
    pub fn tianjin() -> Policy {
        Policy::from_toml_str(TIANJIN_TOML, "policy/tianjin.toml").expect("the shipped Tianjin policy is valid")
    }

    /// Looks a district up by current code, former code (mapped to the current district),
    /// Chinese name, Chinese name without the trailing 区/新区, alias, former name or English
    /// name (any case).
    pub fn district(&self, s: &str) -> Option<&District> {
        find_district(&self.districts, &self.former_district_codes, s)
    }

    /// Looks an industry section up by letter (any case) or Chinese name.
    pub fn industry(&self, s: &str) -> Option<&Industry> {
        let s = s.trim();
        self.industries.iter().find(|i| i.code.eq_ignore_ascii_case(s) || i.name_zh == s)
    }

    /// Looks an industrial chain up by id or Chinese name.
    pub fn industrial_chain(&self, s: &str) -> Option<&IndustrialChain> {
        let s = s.trim();
        self.industrial_chains.iter().find(|c| c.id == s || c.name_zh == s)
    }

    /// The edition that applies to `occupation` on `on` (see [`Eligibility::edition_for`]).
    pub fn edition_for(&self, occupation: &str, on: Date) -> Option<&Edition> {
        self.eligibility.edition_for(occupation, on)
    }
}

fn find_district<'a>(districts: &'a [District], former: &[FormerDistrictCode], s: &str) -> Option<&'a District> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let by_code = |code: &str| districts.iter().find(|d| d.code == code);
    if let Some(d) = by_code(s) {
        return Some(d);
    }
    if let Some(f) = former.iter().find(|f| f.code == s || f.name_zh == s) {
        return by_code(&f.current);
    }
    districts.iter().find(|d| {
        d.name_zh == s
            || short_names(&d.name_zh).any(|n| n == s)
            || d.aliases.iter().any(|a| a == s)
            || d.name_en.eq_ignore_ascii_case(s)
    })
}

/// Short forms of a district name: without a trailing 区, and without a trailing 新区.
fn short_names(name: &str) -> impl Iterator<Item = &str> {
    [name.strip_suffix("新区"), name.strip_suffix('区')].into_iter().flatten().filter(|n| !n.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Serde helpers shared with the eligibility module
// ---------------------------------------------------------------------------------------------

pub(crate) fn ser_date<S: Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&iso(*d))
}

pub(crate) fn ser_opt_date<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&iso(*d)),
        None => s.serialize_none(),
    }
}

// ---------------------------------------------------------------------------------------------
// Raw file shapes (what serde reads before validation)
// ---------------------------------------------------------------------------------------------

/// A date as written in the file: a TOML local date (`2023-01-01`) or a string `"2023-01-01"`.
#[derive(Debug, Clone)]
struct RawDate(String);

impl<'de> Deserialize<'de> for RawDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match toml::Value::deserialize(d)? {
            toml::Value::String(s) => Ok(RawDate(s)),
            toml::Value::Datetime(dt) => Ok(RawDate(dt.to_string())),
            other => {
                Err(D::Error::custom(format!("invalid type: {}, expected a date such as 2023-01-01", other.type_str())))
            }
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    id: String,
    name_zh: String,
    name_en: String,
    jurisdiction: String,
    jurisdiction_name_zh: String,
    jurisdiction_name_en: String,
    version: String,
    effective_from: RawDate,
    effective_to: Option<RawDate>,
    #[serde(default)]
    sources: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLadder {
    #[serde(default)]
    #[allow(dead_code)]
    levels: IgnoredAny,
    skilled_from_rank: u8,
    high_skilled_from_rank: u8,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    rank: u8,
    name_zh: String,
    name_en: String,
    grade_alias: Option<String>,
    certificate_level_code: Option<u8>,
    obtained_by: ObtainedBy,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDistrict {
    code: String,
    name_zh: String,
    name_en: String,
    group: String,
    group_en: String,
    #[serde(default)]
    aliases: Vec<String>,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFormerDistrict {
    code: String,
    name_zh: String,
    current: String,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndustry {
    code: String,
    name_zh: String,
    name_en: String,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndustrialSystem {
    name_zh: String,
    name_en: String,
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    groups: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    sectors: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    id: String,
    name_zh: String,
    name_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSector {
    id: String,
    name_zh: String,
    name_en: String,
    group: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChain {
    id: String,
    name_zh: String,
    name_en: String,
    group: Option<String>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKpi {
    employed_statuses: Vec<String>,
    denominator: Denominator,
    source: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShortage {
    thresholds: Vec<RawThreshold>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawThreshold {
    severity: String,
    min_ratio: f64,
    min_gap: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    id: String,
    kpi: KpiKind,
    comparison: Comparison,
    value: f64,
    due: RawDate,
    district: Option<String>,
    source: String,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEligibility {
    related_occupation: Relatedness,
    source: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    editions: IgnoredAny,
    #[serde(default)]
    #[allow(dead_code)]
    occupation_editions: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEdition {
    id: String,
    name_zh: String,
    name_en: String,
    effective_from: RawDate,
    effective_to: Option<RawDate>,
    source: String,
    #[serde(default)]
    #[allow(dead_code)]
    rules: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    level: String,
    text_zh: String,
    text_en: String,
    source: String,
    review_zh: Option<String>,
    review_en: Option<String>,
    effective_from: Option<RawDate>,
    effective_to: Option<RawDate>,
    #[allow(dead_code)]
    all: IgnoredAny,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevelYears {
    level: String,
    years: u32,
}

/// A condition as written: exactly one of the leading keys, plus the keys that go with it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    min_age: Option<u32>,
    holds: Option<String>,
    years: Option<u32>,
    work_years: Option<u32>,
    education: Option<Vec<String>>,
    years_after_graduation: Option<u32>,
    include_graduating: Option<bool>,
    title: Option<String>,
    work_years_after_level: Option<RawLevelYears>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOccupationEdition {
    occupation: String,
    edition: String,
    effective_from: RawDate,
    effective_to: Option<RawDate>,
    source: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvaluation {
    pass_mark: PassMark,
    theory_exam: TheoryExam,
    skill_test: SkillTest,
    comprehensive_review: RawReview,
    publicity: Publicity,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReview {
    levels: Vec<String>,
    min_panel: u32,
    odd_panel: bool,
    source: String,
}

/// Entries read from the file, each with its key path.
type Entries<T> = Vec<(String, T)>;

struct RawRuleEntry {
    path: String,
    rule: RawRule,
    conditions: Entries<RawCondition>,
}

struct RawEditionEntry {
    path: String,
    edition: RawEdition,
    rules: Vec<RawRuleEntry>,
}

#[derive(Default)]
struct RawPolicy {
    meta: Option<RawMeta>,
    ladder: Option<RawLadder>,
    levels: Entries<RawLevel>,
    districts: Entries<RawDistrict>,
    former: Entries<RawFormerDistrict>,
    industries: Entries<RawIndustry>,
    system: Option<RawIndustrialSystem>,
    groups: Entries<RawGroup>,
    sectors: Entries<RawSector>,
    chains: Entries<RawChain>,
    kpi: Option<RawKpi>,
    targets: Entries<RawTarget>,
    eligibility: Option<RawEligibility>,
    editions: Vec<RawEditionEntry>,
    occupation_editions: Entries<RawOccupationEdition>,
    evaluation: Option<RawEvaluation>,
    shortage: Option<RawShortage>,
}

// ---------------------------------------------------------------------------------------------
// Loader
// ---------------------------------------------------------------------------------------------

const TOP_LEVEL_KEYS: &[&str] = &[
    "meta",
    "ladder",
    "districts",
    "former_district_codes",
    "industries",
    "industrial_system",
    "industrial_chains",
    "kpi",
    "kpi_targets",
    "eligibility",
    "evaluation",
    "shortage",
];

struct Loader<'r, 'i> {
    file: &'r str,
    text: &'r str,
    root: &'r DeTable<'i>,
    errors: Vec<PolicyError>,
}

impl<'r, 'i> Loader<'r, 'i> {
    fn push(&mut self, key: String, span: Option<Range<usize>>, why: Msg) {
        let (line, column) = match span {
            Some(span) => {
                let (l, c) = line_col(self.text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        self.errors.push(PolicyError { file: self.file.to_owned(), key, line, column, why });
    }

    /// A semantic error at `key`; the position is looked up from the key path.
    fn err(&mut self, key: &str, why: Msg) {
        let span = span_at(self.root, key);
        self.push(key.to_owned(), span, why);
    }

    /// Deserializes one entry, reporting every unknown key and then the first other problem.
    fn de<T: DeserializeOwned>(&mut self, v: &Spanned<DeValue<'i>>, path: &str) -> Option<T> {
        let mut value = v.clone();
        // Each round removes one unknown key; a table cannot have more keys than this.
        for _ in 0..1000 {
            let span = value.span();
            let e = match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(t) => return Some(t),
                Err(e) => e,
            };
            let message = e.message().to_owned();
            let mut key = path.to_owned();
            if let Some(es) = e.span() {
                locate(value.get_ref(), &es, &mut key);
            }
            if let Some(field) = backticked_after(&message, "missing field ") {
                push_key(&mut key, field);
            }
            self.push(key, e.span().or(Some(span)), serde_msg(&message));
            let removed =
                message.starts_with("unknown field") && e.span().is_some_and(|es| remove_key_at(value.get_mut(), &es));
            if !removed {
                return None;
            }
        }
        None
    }

    /// A table-valued entry of `table`.
    fn section<T: DeserializeOwned>(
        &mut self,
        table: &DeTable<'i>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<T> {
        match table.get(key) {
            None => {
                if required {
                    self.err(
                        path,
                        Msg::new(format!("缺少必填的表 [{path}]"), format!("missing required table [{path}]")),
                    );
                }
                None
            }
            Some(v) if !v.get_ref().is_table() => {
                self.push(
                    path.to_owned(),
                    Some(v.span()),
                    Msg::new(format!("{path} 应为表（[{path}]）"), format!("{path} must be a table ([{path}])")),
                );
                None
            }
            Some(v) => self.de(v, path),
        }
    }

    /// An array of tables in `table`: each element read on its own.
    fn list<T: DeserializeOwned>(&mut self, table: Option<&DeTable<'i>>, key: &str, path: &str) -> Entries<T> {
        let Some(v) = table.and_then(|t| t.get(key)) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.push(
                path.to_owned(),
                Some(v.span()),
                Msg::new(
                    format!("{path} 应为表数组（[[{path}]]）"),
                    format!("{path} must be an array of tables ([[{path}]])"),
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if let Some(t) = self.de::<T>(item, &p) {
                out.push((p, t));
            }
        }
        out
    }

    fn read(&mut self) -> RawPolicy {
        let root = self.root;
        for (k, v) in root.iter() {
            let name: &str = k.get_ref();
            if !TOP_LEVEL_KEYS.contains(&name) {
                self.push(
                    name.to_owned(),
                    Some(k.span()).filter(|s| !s.is_empty()).or(Some(v.span())),
                    unknown_key(name),
                );
            }
        }
        let sub = |key: &str| root.get(key).and_then(|v| v.get_ref().as_table());
        let mut raw = RawPolicy {
            meta: self.section(root, "meta", "meta", true),
            ladder: self.section(root, "ladder", "ladder", true),
            ..RawPolicy::default()
        };
        raw.levels = self.list(sub("ladder"), "levels", "ladder.levels");
        raw.districts = self.list(Some(root), "districts", "districts");
        raw.former = self.list(Some(root), "former_district_codes", "former_district_codes");
        raw.industries = self.list(Some(root), "industries", "industries");
        raw.system = self.section(root, "industrial_system", "industrial_system", false);
        raw.groups = self.list(sub("industrial_system"), "groups", "industrial_system.groups");
        raw.sectors = self.list(sub("industrial_system"), "sectors", "industrial_system.sectors");
        raw.chains = self.list(Some(root), "industrial_chains", "industrial_chains");
        raw.kpi = self.section(root, "kpi", "kpi", true);
        raw.targets = self.list(Some(root), "kpi_targets", "kpi_targets");
        raw.eligibility = self.section(root, "eligibility", "eligibility", true);
        raw.occupation_editions =
            self.list(sub("eligibility"), "occupation_editions", "eligibility.occupation_editions");
        raw.evaluation = self.section(root, "evaluation", "evaluation", true);
        raw.shortage = self.section(root, "shortage", "shortage", false);

        // Editions → rules → conditions, each level read entry by entry.
        let editions = sub("eligibility").and_then(|t| t.get("editions"));
        if let Some(v) = editions {
            match v.get_ref().as_array() {
                None => self.push(
                    "eligibility.editions".to_owned(),
                    Some(v.span()),
                    Msg::new(
                        "eligibility.editions 应为表数组（[[eligibility.editions]]）",
                        "eligibility.editions must be an array of tables ([[eligibility.editions]])",
                    ),
                ),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = format!("eligibility.editions[{i}]");
                        let Some(edition) = self.de::<RawEdition>(item, &path) else { continue };
                        let table = item.get_ref().as_table();
                        let rules_path = format!("{path}.rules");
                        let mut rules = Vec::new();
                        for (rule_path, rule) in self.list::<RawRule>(table, "rules", &rules_path) {
                            let rule_table = span_lookup(self.root, &rule_path).and_then(|v| v.get_ref().as_table());
                            let conditions = self.list::<RawCondition>(rule_table, "all", &format!("{rule_path}.all"));
                            rules.push(RawRuleEntry { path: rule_path, rule, conditions });
                        }
                        raw.editions.push(RawEditionEntry { path, edition, rules });
                    }
                }
            }
        }
        raw
    }

    // --- semantic checks -------------------------------------------------------------------

    fn date(&mut self, path: &str, d: &RawDate) -> Option<Date> {
        let s = d.0.trim();
        let b = s.as_bytes();
        let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
        let parsed = if shaped { parse_date(s) } else { None };
        if parsed.is_none() {
            self.err(
                path,
                Msg::new(
                    format!("不是有效日期（应为 YYYY-MM-DD）：{s}"),
                    format!("not a valid date (expected YYYY-MM-DD): {s}"),
                ),
            );
        }
        parsed
    }

    fn opt_date(&mut self, path: &str, d: Option<&RawDate>) -> Option<Option<Date>> {
        match d {
            None => Some(None),
            Some(d) => self.date(path, d).map(Some),
        }
    }

    /// `from < to` when both are present.
    fn range(&mut self, path: &str, from: Option<Date>, to: Option<Date>) {
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            self.err(
                &format!("{path}.effective_to"),
                Msg::new(
                    format!("生效日期 {} 应早于失效日期 {}", iso(f), iso(t)),
                    format!("effective_from {} must be before effective_to {}", iso(f), iso(t)),
                ),
            );
        }
    }

    fn text(&mut self, path: &str, s: &str) {
        if s.trim().is_empty() {
            self.err(path, Msg::new("不能为空", "must not be empty"));
        }
    }

    /// Reports `entry.field = value` when `value` was seen before in another entry.
    fn unique<'a>(
        &mut self,
        seen: &mut HashMap<String, &'a str>,
        value: &str,
        entry: &'a str,
        field: &str,
        what: (&str, &str),
    ) {
        if value.is_empty() {
            return;
        }
        if let Some(first) = seen.get(value) {
            let first = *first;
            self.err(
                &format!("{entry}.{field}"),
                Msg::new(
                    format!("{} “{value}” 重复（已见于 {first}）", what.0),
                    format!("duplicate {} \"{value}\" (already at {first})", what.1),
                ),
            );
        } else {
            seen.insert(value.to_owned(), entry);
        }
    }

    fn level(&mut self, ladder: &[LadderLevel], path: &str, name: &str) -> Option<Level> {
        let level = parse_level_in(ladder, name);
        if level.is_none() {
            let known: Vec<String> = ladder.iter().map(|r| r.name_zh.clone()).collect();
            self.err(
                path,
                Msg::new(
                    format!("等级名称无法识别：“{name}”（可用：{}）", known.join("、")),
                    format!("unknown level name \"{name}\" (known: {})", known.join(", ")),
                ),
            );
        }
        level
    }

    fn build(&mut self, raw: RawPolicy) -> Option<Policy> {
        let meta = raw.meta.as_ref().and_then(|m| self.meta(m));
        let (levels, skilled, high) = self.ladder(raw.ladder.as_ref(), &raw.levels);
        let districts = self.districts(&raw.districts, raw.meta.as_ref().map(|m| m.jurisdiction.as_str()));
        let former = self.former(&raw.former, &districts);
        let industries = self.industries(&raw.industries);
        let system = self.system(raw.system.as_ref(), &raw.groups, &raw.sectors);
        let chains = self.chains(&raw.chains, system.as_ref());
        let kpi = raw.kpi.as_ref().and_then(|k| self.kpi(k));
        let targets = self.targets(&raw.targets, &districts, &former);
        let eligibility =
            raw.eligibility.as_ref().map(|e| self.eligibility(e, &raw.editions, &raw.occupation_editions, &levels));
        let evaluation = raw.evaluation.as_ref().and_then(|e| self.evaluation(e, &levels));
        let shortage = raw.shortage.as_ref().map(|s| self.shortage(s));
        let ladder = self.complete_ladder(levels, skilled, high, raw.ladder.as_ref().and_then(|h| h.source.clone()));

        Some(Policy {
            meta: meta?,
            ladder: ladder?,
            districts,
            former_district_codes: former,
            industries,
            industrial_system: system,
            industrial_chains: chains,
            kpi: kpi?,
            kpi_targets: targets,
            eligibility: eligibility?,
            evaluation: evaluation?,
            shortage,
        })
    }

    fn meta(&mut self, m: &RawMeta) -> Option<Meta> {
        self.text("meta.id", &m.id);
        self.text("meta.name_zh", &m.name_zh);
        self.text("meta.name_en", &m.name_en);
        self.text("meta.version", &m.version);
        self.text("meta.jurisdiction_name_zh", &m.jurisdiction_name_zh);
        self.text("meta.jurisdiction_name_en", &m.jurisdiction_name_en);
        if !is_division_code(&m.jurisdiction) {
            self.err(
                "meta.jurisdiction",
                Msg::new(
                    format!("行政区划代码应为 6 位数字：{}", m.jurisdiction),
                    format!("division code must be 6 digits: {}", m.jurisdiction),
                ),
            );
        }
        let from = self.date("meta.effective_from", &m.effective_from);
        let to = self.opt_date("meta.effective_to", m.effective_to.as_ref());
        self.range("meta", from, to.flatten());
        Some(Meta {
            id: m.id.clone(),
            name_zh: m.name_zh.clone(),
            name_en: m.name_en.clone(),
            jurisdiction: m.jurisdiction.clone(),
            jurisdiction_name_zh: m.jurisdiction_name_zh.clone(),
            jurisdiction_name_en: m.jurisdiction_name_en.clone(),
            version: m.version.clone(),
            effective_from: from?,
            effective_to: to?,
            sources: m.sources.clone(),
        })
    }

    /// The ladder rows as far as they could be read (valid, first-seen ranks, in rank order) and
    /// the two thresholds. Level names elsewhere are resolved against these rows even when the
    /// ladder is incomplete, so one problem does not hide the others.
    fn ladder(
        &mut self,
        head: Option<&RawLadder>,
        rows: &[(String, RawLevel)],
    ) -> (Vec<LadderLevel>, Option<Level>, Option<Level>) {
        let mut by_rank: HashMap<u8, &str> = HashMap::new();
        let mut names: HashMap<String, &str> = HashMap::new();
        let mut codes: HashMap<String, &str> = HashMap::new();
        let mut levels = Vec::new();
        for (path, r) in rows {
            self.text(&format!("{path}.name_zh"), &r.name_zh);
            self.text(&format!("{path}.name_en"), &r.name_en);
            self.text(&format!("{path}.source"), &r.source);
            let Some(level) = Level::new(r.rank) else {
                self.err(
                    &format!("{path}.rank"),
                    Msg::new(
                        format!("等级序号应在 1 到 8 之间：{}", r.rank),
                        format!("rank must be within 1..=8: {}", r.rank),
                    ),
                );
                continue;
            };
            // A duplicated rank is reported, but the row is kept so that its names still
            // resolve elsewhere; the ladder is then rejected as a whole.
            if let Some(first) = by_rank.get(&r.rank) {
                self.err(
                    &format!("{path}.rank"),
                    Msg::new(
                        format!("等级序号 {} 重复（已见于 {first}）", r.rank),
                        format!("rank {} appears twice (already at {first})", r.rank),
                    ),
                );
            } else {
                by_rank.insert(r.rank, path);
            }
            self.unique(&mut names, &r.name_zh, path, "name_zh", ("等级名称", "level name"));
            self.unique(&mut names, &r.name_en.to_lowercase(), path, "name_en", ("等级名称", "level name"));
            if let Some(alias) = &r.grade_alias {
                self.unique(&mut names, alias, path, "grade_alias", ("等级名称", "level name"));
            }
            if let Some(code) = r.certificate_level_code {
                if !(1..=9).contains(&code) {
                    self.err(
                        &format!("{path}.certificate_level_code"),
                        Msg::new(
                            format!("证书等级代码应为 1 到 9 的一位数字：{code}"),
                            format!("certificate level code must be a digit 1..=9: {code}"),
                        ),
                    );
                }
                self.unique(
                    &mut codes,
                    &code.to_string(),
                    path,
                    "certificate_level_code",
                    ("证书等级代码", "certificate level code"),
                );
            }
            levels.push(LadderLevel {
                level,
                name_zh: r.name_zh.clone(),
                name_en: r.name_en.clone(),
                grade_alias: r.grade_alias.clone(),
                certificate_level_code: r.certificate_level_code,
                obtained_by: r.obtained_by,
                source: r.source.clone(),
            });
        }
        levels.sort_by_key(|r| r.level); // stable: the first of a duplicated rank stays first
        let mut threshold = |key: &str, rank: u8| {
            let level = Level::new(rank);
            if level.is_none() {
                self.err(
                    &format!("ladder.{key}"),
                    Msg::new(format!("等级序号应在 1 到 8 之间：{rank}"), format!("rank must be within 1..=8: {rank}")),
                );
            }
            level
        };
        let skilled = head.and_then(|h| threshold("skilled_from_rank", h.skilled_from_rank));
        let high = head.and_then(|h| threshold("high_skilled_from_rank", h.high_skilled_from_rank));
        if let (Some(s), Some(h)) = (skilled, high)
            && h < s
        {
            self.err(
                "ladder.high_skilled_from_rank",
                Msg::new(
                    "高技能人才起点不能低于技能人才起点",
                    "high_skilled_from_rank must not be below skilled_from_rank",
                ),
            );
        }
        (levels, skilled, high)
    }

    /// The ladder only if every rank 1..=8 is present (reports the missing ones otherwise).
    fn complete_ladder(
        &mut self,
        levels: Vec<LadderLevel>,
        skilled: Option<Level>,
        high: Option<Level>,
        source: Option<String>,
    ) -> Option<Ladder> {
        let missing: Vec<String> =
            Level::all().filter(|l| levels.iter().all(|r| r.level != *l)).map(|l| l.to_string()).collect();
        if !missing.is_empty() {
            self.err(
                "ladder.levels",
                Msg::new(
                    format!("缺少等级序号：{}（1 到 8 每个必须恰好出现一次）", missing.join("、")),
                    format!("missing rank(s) {} (each of 1..=8 must appear exactly once)", missing.join(", ")),
                ),
            );
            return None;
        }
        if levels.windows(2).any(|w| w[0].level == w[1].level) {
            return None; // already reported
        }
        Some(Ladder { levels, skilled_from: skilled?, high_skilled_from: high?, source })
    }

    fn districts(&mut self, rows: &[(String, RawDistrict)], jurisdiction: Option<&str>) -> Vec<District> {
        let mut codes = HashMap::new();
        let mut names = HashMap::new();
        let prefix = jurisdiction.filter(|j| is_division_code(j)).map(division_prefix);
        let mut out = Vec::new();
        for (path, d) in rows {
            if !is_division_code(&d.code) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("区县代码应为 6 位数字：{}", d.code),
                        format!("district code must be 6 digits: {}", d.code),
                    ),
                );
            } else if let Some(p) = prefix
                && !d.code.starts_with(p)
            {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("区县代码 {} 不属于辖区（应以 {p} 开头）", d.code),
                        format!("district code {} is outside the jurisdiction (must start with {p})", d.code),
                    ),
                );
            }
            self.unique(&mut codes, &d.code, path, "code", ("区县代码", "district code"));
            self.text(&format!("{path}.name_zh"), &d.name_zh);
            self.text(&format!("{path}.name_en"), &d.name_en);
            self.text(&format!("{path}.group"), &d.group);
            // Every name this district answers to, once each, must not belong to another district.
            let mut keys: Vec<String> = vec![d.name_zh.clone(), d.name_en.to_lowercase()];
            keys.extend(short_names(&d.name_zh).map(str::to_owned));
            keys.extend(d.aliases.iter().cloned());
            keys.sort();
            keys.dedup();
            for key in &keys {
                self.unique(&mut names, key, path, "name_zh", ("区县名称", "district name"));
            }
            out.push(District {
                code: d.code.clone(),
                name_zh: d.name_zh.clone(),
                name_en: d.name_en.clone(),
                group: d.group.clone(),
                group_en: d.group_en.clone(),
                aliases: d.aliases.clone(),
                source: d.source.clone(),
            });
        }
        out
    }

    fn former(&mut self, rows: &[(String, RawFormerDistrict)], districts: &[District]) -> Vec<FormerDistrictCode> {
        let mut codes: HashMap<String, &str> = HashMap::new();
        let mut out = Vec::new();
        for (path, f) in rows {
            if !is_division_code(&f.code) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("区县代码应为 6 位数字：{}", f.code),
                        format!("district code must be 6 digits: {}", f.code),
                    ),
                );
            }
            if districts.iter().any(|d| d.code == f.code) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("{} 是现行区县代码，不能同时作为旧代码", f.code),
                        format!("{} is a current district code and cannot also be a former one", f.code),
                    ),
                );
            }
            self.unique(&mut codes, &f.code, path, "code", ("旧区县代码", "former district code"));
            if !districts.iter().any(|d| d.code == f.current) {
                self.err(
                    &format!("{path}.current"),
                    Msg::new(
                        format!("现行区县代码 {} 不在 [[districts]] 中", f.current),
                        format!("current district code {} is not in [[districts]]", f.current),
                    ),
                );
            }
            out.push(FormerDistrictCode {
                code: f.code.clone(),
                name_zh: f.name_zh.clone(),
                current: f.current.clone(),
                source: f.source.clone(),
            });
        }
        out
    }

    fn industries(&mut self, rows: &[(String, RawIndustry)]) -> Vec<Industry> {
        let mut codes = HashMap::new();
        let mut names = HashMap::new();
        let mut out = Vec::new();
        for (path, i) in rows {
            let b = i.code.as_bytes();
            if !(b.len() == 1 && b[0].is_ascii_uppercase()) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("行业门类代码应为一个大写字母：{}", i.code),
                        format!("industry section code must be one uppercase letter: {}", i.code),
                    ),
                );
            }
            self.unique(&mut codes, &i.code, path, "code", ("行业门类代码", "industry code"));
            self.unique(&mut names, &i.name_zh, path, "name_zh", ("行业名称", "industry name"));
            self.text(&format!("{path}.name_en"), &i.name_en);
            out.push(Industry {
                code: i.code.clone(),
                name_zh: i.name_zh.clone(),
                name_en: i.name_en.clone(),
                source: i.source.clone(),
            });
        }
        out
    }

    fn system(
        &mut self,
        head: Option<&RawIndustrialSystem>,
        groups: &[(String, RawGroup)],
        sectors: &[(String, RawSector)],
    ) -> Option<IndustrialSystem> {
        let mut ids = HashMap::new();
        let mut out_groups = Vec::new();
        for (path, g) in groups {
            self.unique(&mut ids, &g.id, path, "id", ("产业组 id", "group id"));
            self.text(&format!("{path}.id"), &g.id);
            out_groups.push(IndustryGroup { id: g.id.clone(), name_zh: g.name_zh.clone(), name_en: g.name_en.clone() });
        }
        let mut sector_ids = HashMap::new();
        let mut out_sectors = Vec::new();
        for (path, s) in sectors {
            self.unique(&mut sector_ids, &s.id, path, "id", ("产业 id", "sector id"));
            if !out_groups.iter().any(|g| g.id == s.group) {
                self.err(&format!("{path}.group"), unknown_ref("产业组", "group", &s.group));
            }
            out_sectors.push(IndustrialSector {
                id: s.id.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                group: s.group.clone(),
            });
        }
        let head = head?;
        self.text("industrial_system.source", &head.source);
        Some(IndustrialSystem {
            name_zh: head.name_zh.clone(),
            name_en: head.name_en.clone(),
            source: head.source.clone(),
            groups: out_groups,
            sectors: out_sectors,
        })
    }

    fn chains(&mut self, rows: &[(String, RawChain)], system: Option<&IndustrialSystem>) -> Vec<IndustrialChain> {
        let mut ids = HashMap::new();
        let mut names = HashMap::new();
        let mut out = Vec::new();
        for (path, c) in rows {
            self.text(&format!("{path}.id"), &c.id);
            self.unique(&mut ids, &c.id, path, "id", ("产业链 id", "chain id"));
            self.unique(&mut names, &c.name_zh, path, "name_zh", ("产业链名称", "chain name"));
            self.text(&format!("{path}.source"), &c.source);
            if let Some(group) = &c.group
                && !system.is_some_and(|s| s.groups.iter().any(|g| &g.id == group))
            {
                self.err(&format!("{path}.group"), unknown_ref("产业组", "group", group));
            }
            out.push(IndustrialChain {
                id: c.id.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                group: c.group.clone(),
                source: c.source.clone(),
            });
        }
        out
    }

    /// Thresholds: known severities, each once, and a more severe one never easier to meet.
    fn shortage(&mut self, s: &RawShortage) -> ShortageScale {
        use crate::supply::{Severity, Threshold};
        self.text("shortage.source", &s.source);
        let mut out: Vec<Threshold> = Vec::new();
        for (i, t) in s.thresholds.iter().enumerate() {
            let path = format!("shortage.thresholds[{i}]");
            let Some(severity) = Severity::parse(&t.severity) else {
                self.err(
                    &format!("{path}.severity"),
                    Msg::new(
                        format!("未知的紧缺程度：{}（可用：acute 非常紧缺、short 紧缺、moderate 较紧缺）", t.severity),
                        format!("unknown severity: {} (allowed: acute, short, moderate)", t.severity),
                    ),
                );
                continue;
            };
            if out.iter().any(|o| o.severity == severity) {
                self.err(
                    &format!("{path}.severity"),
                    Msg::new(format!("紧缺程度重复：{}", t.severity), format!("duplicate severity: {}", t.severity)),
                );
                continue;
            }
            if !t.min_ratio.is_finite() || t.min_ratio < 0.0 {
                self.err(&format!("{path}.min_ratio"), Msg::new("应为非负数", "must be a number, 0 or more"));
                continue;
            }
            if t.min_gap < 1 {
                self.err(
                    &format!("{path}.min_gap"),
                    Msg::new("应为至少 1 的整数", "must be a whole number, 1 or more"),
                );
                continue;
            }
            out.push(Threshold { severity, min_ratio: t.min_ratio, min_gap: t.min_gap });
        }
        out.sort_by_key(|t| t.severity);
        for pair in out.windows(2) {
            if pair[0].min_ratio < pair[1].min_ratio || pair[0].min_gap < pair[1].min_gap {
                self.err(
                    "shortage.thresholds",
                    Msg::new(
                        format!("{} 的门槛不应低于 {}", pair[0].severity.zh(), pair[1].severity.zh()),
                        format!(
                            "the {} threshold must not be lower than the {} one",
                            pair[0].severity.en(),
                            pair[1].severity.en()
                        ),
                    ),
                );
            }
        }
        ShortageScale { thresholds: out, source: s.source.clone() }
    }

    fn kpi(&mut self, k: &RawKpi) -> Option<KpiDefinition> {
        let mut statuses = Vec::new();
        let mut ok = true;
        if k.employed_statuses.is_empty() {
            self.err("kpi.employed_statuses", Msg::new("不能为空", "must not be empty"));
            ok = false;
        }
        for (i, s) in k.employed_statuses.iter().enumerate() {
            match EmploymentStatus::parse(s) {
                Some(st) if statuses.contains(&st) => {
                    self.err(
                        &format!("kpi.employed_statuses[{i}]"),
                        Msg::new(format!("重复的就业状态：{s}"), format!("duplicate employment status: {s}")),
                    );
                }
                Some(st) => statuses.push(st),
                None => {
                    ok = false;
                    self.err(
                        &format!("kpi.employed_statuses[{i}]"),
                        Msg::new(
                            format!("未知的就业状态：{s}（可用：{}）", EmploymentStatus::allowed()),
                            format!("unknown employment status: {s} (allowed: {})", EmploymentStatus::allowed()),
                        ),
                    );
                }
            }
        }
        ok.then(|| KpiDefinition { employed_statuses: statuses, denominator: k.denominator, source: k.source.clone() })
    }

    fn targets(
        &mut self,
        rows: &[(String, RawTarget)],
        districts: &[District],
        former: &[FormerDistrictCode],
    ) -> Vec<KpiTarget> {
        let mut ids = HashMap::new();
        let mut out = Vec::new();
        for (path, t) in rows {
            self.text(&format!("{path}.id"), &t.id);
            self.unique(&mut ids, &t.id, path, "id", ("目标 id", "target id"));
            self.text(&format!("{path}.source"), &t.source);
            if !(t.value.is_finite() && t.value > 0.0 && t.value <= 1.0) {
                self.err(
                    &format!("{path}.value"),
                    Msg::new(
                        format!("目标值应为 (0, 1] 之间的比例，例如 0.40：{}", t.value),
                        format!("target value must be a fraction in (0, 1], e.g. 0.40: {}", t.value),
                    ),
                );
            }
            let due = self.date(&format!("{path}.due"), &t.due);
            let district = match &t.district {
                None => Some(None),
                Some(d) => match find_district(districts, former, d) {
                    Some(found) => Some(Some(found.code.clone())),
                    None => {
                        self.err(&format!("{path}.district"), unknown_ref("区县", "district", d));
                        None
                    }
                },
            };
            if let (Some(due), Some(district)) = (due, district) {
                out.push(KpiTarget {
                    id: t.id.clone(),
                    kpi: t.kpi,
                    comparison: t.comparison,
                    value: t.value,
                    due,
                    district,
                    source: t.source.clone(),
                    note: t.note.clone(),
                });
            }
        }
        out
    }

    fn eligibility(
        &mut self,
        head: &RawEligibility,
        editions: &[RawEditionEntry],
        mappings: &[(String, RawOccupationEdition)],
        ladder: &[LadderLevel],
    ) -> Eligibility {
        let mut edition_ids = HashMap::new();
        let mut rule_ids = HashMap::new();
        let mut out = Vec::new();
        for entry in editions {
            let (path, e) = (entry.path.as_str(), &entry.edition);
            self.text(&format!("{path}.id"), &e.id);
            self.unique(&mut edition_ids, &e.id, path, "id", ("版本 id", "edition id"));
            self.text(&format!("{path}.source"), &e.source);
            let from = self.date(&format!("{path}.effective_from"), &e.effective_from);
            let to = self.opt_date(&format!("{path}.effective_to"), e.effective_to.as_ref());
            self.range(path, from, to.flatten());
            let mut rules = Vec::new();
            for r in &entry.rules {
                if let Some(rule) = self.rule(r, ladder, &mut rule_ids, from, to.flatten()) {
                    rules.push(rule);
                }
            }
            if let (Some(from), Some(to)) = (from, to) {
                out.push(Edition {
                    id: e.id.clone(),
                    name_zh: e.name_zh.clone(),
                    name_en: e.name_en.clone(),
                    effective_from: from,
                    effective_to: to,
                    source: e.source.clone(),
                    rules,
                });
            }
        }
        let mut seen_mappings: HashSet<(String, Date)> = HashSet::new();
        let mut out_mappings = Vec::new();
        for (path, m) in mappings {
            if !is_occupation_code(&m.occupation) {
                self.err(
                    &format!("{path}.occupation"),
                    Msg::new(
                        format!("职业编码应为 D-DD-DD-DD 形式：{}", m.occupation),
                        format!("occupation code must look like D-DD-DD-DD: {}", m.occupation),
                    ),
                );
            }
            self.text(&format!("{path}.source"), &m.source);
            let from = self.date(&format!("{path}.effective_from"), &m.effective_from);
            let to = self.opt_date(&format!("{path}.effective_to"), m.effective_to.as_ref());
            self.range(path, from, to.flatten());
            let edition = out.iter().find(|e: &&Edition| e.id == m.edition);
            if edition.is_none() && !editions.iter().any(|e| e.edition.id == m.edition) {
                self.err(&format!("{path}.edition"), unknown_ref("版本", "edition", &m.edition));
            }
            if let (Some(e), Some(from)) = (edition, from)
                && !e.in_force(from)
            {
                self.err(
                    &format!("{path}.effective_from"),
                    Msg::new(
                        format!("{} 时版本 {} 尚未生效或已失效", iso(from), e.id),
                        format!("edition {} is not in force on {}", e.id, iso(from)),
                    ),
                );
            }
            if let (Some(from), Some(to)) = (from, to) {
                if !seen_mappings.insert((m.occupation.clone(), from)) {
                    self.err(
                        path,
                        Msg::new(
                            format!("职业 {} 在 {} 已有版本对应", m.occupation, iso(from)),
                            format!("occupation {} already has an edition mapping from {}", m.occupation, iso(from)),
                        ),
                    );
                }
                out_mappings.push(OccupationEdition {
                    occupation: m.occupation.clone(),
                    edition: m.edition.clone(),
                    effective_from: from,
                    effective_to: to,
                    source: m.source.clone(),
                });
            }
        }
        Eligibility {
            related_occupation: head.related_occupation,
            source: head.source.clone(),
            editions: out,
            occupation_editions: out_mappings,
        }
    }

    fn rule<'a>(
        &mut self,
        entry: &'a RawRuleEntry,
        ladder: &[LadderLevel],
        ids: &mut HashMap<String, &'a str>,
        edition_from: Option<Date>,
        edition_to: Option<Date>,
    ) -> Option<Rule> {
        let (path, r) = (entry.path.as_str(), &entry.rule);
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("规则 id", "rule id"));
        self.text(&format!("{path}.text_zh"), &r.text_zh);
        self.text(&format!("{path}.text_en"), &r.text_en);
        self.text(&format!("{path}.source"), &r.source);
        let level = self.level(ladder, &format!("{path}.level"), &r.level);
        let from = self.opt_date(&format!("{path}.effective_from"), r.effective_from.as_ref());
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        self.range(path, from.flatten(), to.flatten());
        if let (Some(Some(f)), Some(ef)) = (from, edition_from)
            && f < ef
        {
            self.err(
                &format!("{path}.effective_from"),
                Msg::new(
                    format!("规则生效日期 {} 早于所属版本的生效日期 {}", iso(f), iso(ef)),
                    format!("rule starts on {}, before its edition does ({})", iso(f), iso(ef)),
                ),
            );
        }
        if let (Some(Some(t)), Some(et)) = (to, edition_to)
            && t > et
        {
            self.err(
                &format!("{path}.effective_to"),
                Msg::new(
                    format!("规则失效日期 {} 晚于所属版本的失效日期 {}", iso(t), iso(et)),
                    format!("rule ends on {}, after its edition does ({})", iso(t), iso(et)),
                ),
            );
        }
        let mut all = Vec::new();
        let mut ok = true;
        for (cpath, c) in &entry.conditions {
            match self.condition(cpath, c, ladder) {
                Some(c) => all.push(c),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(Rule {
            id: r.id.clone(),
            level: level?,
            text_zh: r.text_zh.clone(),
            text_en: r.text_en.clone(),
            source: r.source.clone(),
            review_zh: r.review_zh.clone(),
            review_en: r.review_en.clone(),
            effective_from: from?,
            effective_to: to?,
            all,
        })
    }

    fn condition(&mut self, path: &str, c: &RawCondition, ladder: &[LadderLevel]) -> Option<Condition> {
        let heads: Vec<&str> = [
            ("min_age", c.min_age.is_some()),
            ("holds", c.holds.is_some()),
            ("work_years", c.work_years.is_some()),
            ("education", c.education.is_some()),
            ("title", c.title.is_some()),
            ("work_years_after_level", c.work_years_after_level.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();
        const KINDS: &str = "min_age, holds, work_years, education, title, work_years_after_level";
        let head = match heads.as_slice() {
            [one] => *one,
            [] => {
                self.err(
                    path,
                    Msg::new(
                        format!("条件必须有且只有一个类型键（{KINDS}）"),
                        format!("a condition needs exactly one kind key ({KINDS})"),
                    ),
                );
                return None;
            }
            many => {
                self.err(
                    path,
                    Msg::new(
                        format!("一个条件只能有一个类型键，这里有：{}；请拆成多个条件", many.join(", ")),
                        format!("a condition takes one kind key, found: {}; split it into several", many.join(", ")),
                    ),
                );
                return None;
            }
        };
        // Companion keys allowed with each kind.
        let mut stray = Vec::new();
        if c.years.is_some() && !matches!(head, "holds" | "title") {
            stray.push("years");
        }
        if c.years_after_graduation.is_some() && head != "education" {
            stray.push("years_after_graduation");
        }
        if c.include_graduating.is_some() && head != "education" {
            stray.push("include_graduating");
        }
        for key in &stray {
            self.err(
                &format!("{path}.{key}"),
                Msg::new(format!("键 {key} 不能与 {head} 一起使用"), format!("key `{key}` does not go with `{head}`")),
            );
        }
        if !stray.is_empty() {
            return None;
        }
        let sane = |this: &mut Self, key: &str, n: u32| {
            if n > 100 {
                this.err(
                    &format!("{path}.{key}"),
                    Msg::new(format!("年数不合理：{n}"), format!("implausible number of years: {n}")),
                );
            }
        };
        match head {
            "min_age" => {
                let years = c.min_age.unwrap_or_default();
                sane(self, "min_age", years);
                Some(Condition::MinAge { years })
            }
            "holds" => {
                let years = c.years.unwrap_or_default();
                sane(self, "years", years);
                let level = self.level(ladder, &format!("{path}.holds"), c.holds.as_deref().unwrap_or_default())?;
                Some(Condition::Holds { level, years })
            }
            "work_years" => {
                let years = c.work_years.unwrap_or_default();
                sane(self, "work_years", years);
                Some(Condition::WorkYears { years })
            }
            "education" => {
                let list = c.education.as_deref().unwrap_or_default();
                if list.is_empty() {
                    self.err(
                        &format!("{path}.education"),
                        Msg::new("学历列表不能为空", "education list must not be empty"),
                    );
                }
                let mut accepted = Vec::new();
                let mut ok = !list.is_empty();
                for (i, code) in list.iter().enumerate() {
                    match Education::parse(code) {
                        Some(e) if !accepted.contains(&e) => accepted.push(e),
                        Some(_) => {}
                        None => {
                            ok = false;
                            self.err(
                                &format!("{path}.education[{i}]"),
                                Msg::new(
                                    format!("未知的学历代码：{code}（可用：{}）", Education::allowed()),
                                    format!("unknown education code: {code} (allowed: {})", Education::allowed()),
                                ),
                            );
                        }
                    }
                }
                if let Some(n) = c.years_after_graduation {
                    sane(self, "years_after_graduation", n);
                }
                ok.then(|| Condition::Education {
                    accepted,
                    years_after_graduation: c.years_after_graduation,
                    include_graduating: c.include_graduating.unwrap_or(false),
                })
            }
            "title" => {
                let years = c.years.unwrap_or_default();
                sane(self, "years", years);
                let raw = c.title.as_deref().unwrap_or_default();
                let grade = TitleGrade::parse(raw);
                if grade.is_none() {
                    self.err(
                        &format!("{path}.title"),
                        Msg::new(
                            format!("未知的职称等级：{raw}（可用：junior、intermediate、senior）"),
                            format!("unknown title grade: {raw} (allowed: junior, intermediate, senior)"),
                        ),
                    );
                }
                Some(Condition::Title { grade: grade?, years })
            }
            _ => {
                let ly = c.work_years_after_level.as_ref()?;
                sane(self, "work_years_after_level.years", ly.years);
                let level = self.level(ladder, &format!("{path}.work_years_after_level.level"), &ly.level)?;
                Some(Condition::WorkYearsAfterLevel { level, years: ly.years })
            }
        }
    }

    fn evaluation(&mut self, e: &RawEvaluation, ladder: &[LadderLevel]) -> Option<Evaluation> {
        let p = &e.pass_mark;
        if p.out_of == 0 || p.min_score > p.out_of {
            self.err(
                "evaluation.pass_mark.min_score",
                Msg::new(
                    format!("及格分 {} 应在 0 到满分 {} 之间，且满分大于 0", p.min_score, p.out_of),
                    format!("pass mark {} must be within 0..=out_of ({}), and out_of above 0", p.min_score, p.out_of),
                ),
            );
        }
        let positive = [
            ("evaluation.theory_exam.candidates_per_invigilator", e.theory_exam.candidates_per_invigilator),
            ("evaluation.theory_exam.min_invigilators_per_room", e.theory_exam.min_invigilators_per_room),
            ("evaluation.skill_test.candidates_per_examiner", e.skill_test.candidates_per_examiner),
            ("evaluation.skill_test.min_examiners", e.skill_test.min_examiners),
            ("evaluation.comprehensive_review.min_panel", e.comprehensive_review.min_panel),
            ("evaluation.publicity.working_days", e.publicity.working_days),
        ];
        for (key, n) in positive {
            if n == 0 {
                self.err(key, Msg::new("应大于 0", "must be above 0"));
            }
        }
        for (key, odd, min) in [
            ("evaluation.skill_test.min_examiners", e.skill_test.odd_examiners, e.skill_test.min_examiners),
            (
                "evaluation.comprehensive_review.min_panel",
                e.comprehensive_review.odd_panel,
                e.comprehensive_review.min_panel,
            ),
        ] {
            if odd && min % 2 == 0 {
                self.err(
                    key,
                    Msg::new(
                        format!("要求奇数人数，最少人数却是偶数：{min}"),
                        format!("an odd number is required but the minimum is even: {min}"),
                    ),
                );
            }
        }
        for (key, s) in [
            ("evaluation.pass_mark.source", &p.source),
            ("evaluation.theory_exam.source", &e.theory_exam.source),
            ("evaluation.skill_test.source", &e.skill_test.source),
            ("evaluation.comprehensive_review.source", &e.comprehensive_review.source),
            ("evaluation.publicity.source", &e.publicity.source),
        ] {
            self.text(key, s);
        }
        let mut levels = Vec::new();
        let mut ok = true;
        for (i, name) in e.comprehensive_review.levels.iter().enumerate() {
            match self.level(ladder, &format!("evaluation.comprehensive_review.levels[{i}]"), name) {
                Some(l) => levels.push(l),
                None => ok = false,
            }
        }
        ok.then(|| Evaluation {
            pass_mark: e.pass_mark.clone(),
            theory_exam: e.theory_exam.clone(),
            skill_test: e.skill_test.clone(),
            comprehensive_review: ComprehensiveReview {
                levels,
                min_panel: e.comprehensive_review.min_panel,
                odd_panel: e.comprehensive_review.odd_panel,
                source: e.comprehensive_review.source.clone(),
            },
            publicity: e.publicity.clone(),
        })
    }
}

fn is_division_code(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The significant prefix of a division code: `120000` → `12`, `320500` → `3205`.
fn division_prefix(code: &str) -> &str {
    let mut p = code;
    while p.len() > 2 && p.ends_with("00") {
        p = &p[..p.len() - 2];
    }
    p
}

fn unknown_key(name: &str) -> Msg {
    Msg::new(format!("未知的键 {name}"), format!("unknown key `{name}`"))
}

fn unknown_ref(what_zh: &str, what_en: &str, value: &str) -> Msg {
    Msg::new(format!("引用了不存在的{what_zh}：{value}"), format!("refers to an unknown {what_en}: {value}"))
}

/// Turns a serde/toml message into a bilingual reason.
fn serde_msg(message: &str) -> Msg {
    if let Some(field) = backticked_after(message, "unknown field ") {
        let allowed = message.split_once("expected ").map_or("", |(_, rest)| rest);
        let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
        return Msg::new(
            format!("未知的键 {field}（可用的键：{}）", allowed.replace('`', "")),
            format!("unknown key `{field}` (expected one of {allowed})"),
        );
    }
    if let Some(field) = backticked_after(message, "missing field ") {
        return Msg::new(format!("缺少必填的键 {field}"), format!("missing required key `{field}`"));
    }
    if let Some(value) = backticked_after(message, "unknown variant ") {
        let allowed = message.split_once("expected ").map_or("", |(_, rest)| rest);
        let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
        return Msg::new(
            format!("取值 {value} 无效（可选：{}）", allowed.replace('`', "")),
            format!("invalid value `{value}` (expected one of {allowed})"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return Msg::new(
                format!("类型错误：应为 {expected}，实际为 {found}"),
                format!("wrong type: expected {expected}, found {found}"),
            );
        }
        return Msg::new(format!("类型错误：{rest}"), format!("wrong type: {rest}"));
    }
    if message.starts_with("invalid value") || message.starts_with("invalid length") {
        return Msg::new(format!("取值无效：{message}"), message.to_owned());
    }
    Msg::new(format!("格式错误：{message}"), message.to_owned())
}

/// `unknown field `x`, …` → `x` when the message starts with `prefix`.
fn backticked_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}

fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

fn contains(outer: &Range<usize>, inner: &Range<usize>) -> bool {
    outer.start <= inner.start && inner.end <= outer.end && outer.start < outer.end
}

/// Extends `path` with the key path of the node at `span` inside `v`. Table spans in toml's tree
/// cover only their header, so this searches depth-first instead of narrowing by containment.
fn locate(v: &DeValue<'_>, span: &Range<usize>, path: &mut String) -> bool {
    match v {
        DeValue::Table(t) => locate_in_table(t, span, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = path.len();
                let _ = write!(path, "[{i}]");
                if locate(item.get_ref(), span, path) || contains(&item.span(), span) {
                    return true;
                }
                path.truncate(len);
            }
            false
        }
        _ => false,
    }
}

fn locate_in_table(t: &DeTable<'_>, span: &Range<usize>, path: &mut String) -> bool {
    for (k, val) in t.iter() {
        let len = path.len();
        push_key(path, k.get_ref());
        if contains(&k.span(), span) {
            return true;
        }
        if locate(val.get_ref(), span, path) {
            return true;
        }
        if contains(&val.span(), span) {
            return true;
        }
        path.truncate(len);
    }
    false
}

/// Removes the key whose span is `span`, anywhere inside `v`.
fn remove_key_at(v: &mut DeValue<'_>, span: &Range<usize>) -> bool {
    match v {
        DeValue::Table(t) => {
            let hit = t.keys().find(|k| k.span() == *span).map(|k| k.get_ref().to_string());
            if let Some(name) = hit {
                return t.remove(name.as_str()).is_some();
            }
            t.iter_mut().any(|(_, val)| remove_key_at(val.get_mut(), span))
        }
        DeValue::Array(items) => items.iter_mut().any(|item| remove_key_at(item.get_mut(), span)),
        _ => false,
    }
}

/// The node at a key path like `eligibility.editions[1].rules[3].all[0]`, as deep as it exists.
fn span_lookup<'t, 'i>(root: &'t DeTable<'i>, path: &str) -> Option<&'t Spanned<DeValue<'i>>> {
    let mut table = Some(root);
    let mut found = None;
    for segment in path.split('.') {
        let (name, rest) = segment.split_once('[').map_or((segment, ""), |(n, r)| (n, r));
        let mut node = table?.get(name)?;
        found = Some(node);
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let i: usize = index.trim_end_matches(']').parse().ok()?;
            node = node.get_ref().as_array()?.get(i)?;
            found = Some(node);
        }
        table = node.get_ref().as_table();
    }
    found
}

/// The span of the deepest existing node on a key path.
fn span_at(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut table = Some(root);
    let mut best = None;
    for segment in path.split('.') {
        let (name, rest) = segment.split_once('[').map_or((segment, ""), |(n, r)| (n, r));
        let Some((key, mut node)) = table.and_then(|t| t.get_key_value(name)) else {
            break;
        };
        best = Some(if node.span().is_empty() { key.span() } else { node.span() });
        for index in rest.split('[').filter(|s| !s.is_empty()) {
            let Some(next) = index
                .trim_end_matches(']')
                .parse::<usize>()
                .ok()
                .and_then(|i| node.get_ref().as_array().and_then(|a| a.get(i)))
            else {
                return best;
            };
            node = next;
            best = Some(node.span());
        }
        table = node.get_ref().as_table();
    }
    best
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut start = offset;
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let before = &text[..start];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}
