//! The condition kinds of an eligibility rule (and of a bridging route), and the grades of
//! professional titles they name.

use serde::{Deserialize, Serialize};

use crate::level::Level;
use crate::registry::Education;

/// Grade of a professional title (职称).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleGrade {
    /// 初级 (员级 and 助理级).
    Junior,
    /// 中级.
    Intermediate,
    /// 副高级.
    DeputySenior,
    /// 正高级.
    Senior,
}

impl TitleGrade {
    pub const ALL: [TitleGrade; 4] =
        [TitleGrade::Junior, TitleGrade::Intermediate, TitleGrade::DeputySenior, TitleGrade::Senior];

    pub fn code(self) -> &'static str {
        match self {
            TitleGrade::Junior => "junior",
            TitleGrade::Intermediate => "intermediate",
            TitleGrade::DeputySenior => "deputy_senior",
            TitleGrade::Senior => "senior",
        }
    }
    pub fn zh(self) -> &'static str {
        match self {
            TitleGrade::Junior => "初级职称",
            TitleGrade::Intermediate => "中级职称",
            TitleGrade::DeputySenior => "副高级职称",
            TitleGrade::Senior => "正高级职称",
        }
    }
    /// The grade as a title file writes it: 初级, 中级, 副高级, 正高级.
    pub fn short_zh(self) -> &'static str {
        match self {
            TitleGrade::Junior => "初级",
            TitleGrade::Intermediate => "中级",
            TitleGrade::DeputySenior => "副高级",
            TitleGrade::Senior => "正高级",
        }
    }
    pub fn en(self) -> &'static str {
        match self {
            TitleGrade::Junior => "junior professional title",
            TitleGrade::Intermediate => "intermediate professional title",
            TitleGrade::DeputySenior => "deputy-senior professional title",
            TitleGrade::Senior => "senior professional title",
        }
    }
    /// Accepts the code, 初级/中级/副高级/正高级 and their synonyms. "高级" (高级职称, as the
    /// standards write it) is the deputy-senior grade: a rule asking for it is met by either.
    pub fn parse(s: &str) -> Option<TitleGrade> {
        match s.trim() {
            "初级" | "初级职称" | "员级" | "助理级" => Some(TitleGrade::Junior),
            "中级" | "中级职称" => Some(TitleGrade::Intermediate),
            "副高级" | "副高" | "副高级职称" | "高级" | "高级职称" => Some(TitleGrade::DeputySenior),
            "正高级" | "正高" | "正高级职称" => Some(TitleGrade::Senior),
            other => TitleGrade::ALL.into_iter().find(|g| other.eq_ignore_ascii_case(g.code())),
        }
    }
    /// "code 中文" for every grade, for messages that list what is allowed.
    pub fn allowed() -> String {
        TitleGrade::ALL.iter().map(|g| format!("{} {}", g.code(), g.short_zh())).collect::<Vec<_>>().join(", ")
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
