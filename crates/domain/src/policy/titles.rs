//! `[titles]`: professional titles (职称) in the policy — which title specialty corresponds to
//! which occupation (`[[titles.correspondence]]`, "符合专业对应关系" / "相应专业"), and the routes
//! by which a skill level opens a title application (`[[titles.bridging]]`, 职业发展贯通). The
//! checks of the file's rows are in `validate_titles`; the engine that applies them is
//! `crate::eligibility` (title conditions) and `crate::bridging` (title applications).

use serde::Serialize;
use time::Date;

use super::condition::{Condition, TitleGrade};
use crate::dates::serde_iso;
use crate::registry::TitleSeries;

/// Empty when the policy file has no `[titles]` section: every title correspondence is then
/// left to a reviewer and no title application can be judged.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TitlePolicy {
    pub source: String,
    /// The bridging document a title decision names as its `edition`, e.g. 津人社局发〔2022〕26号.
    pub edition: String,
    pub correspondence: Vec<TitleCorrespondence>,
    pub bridging: Vec<BridgeRoute>,
}

/// One row of the correspondence table: titles of `series` whose name contains `specialty`
/// correspond to the occupations under these code prefixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleCorrespondence {
    pub series: TitleSeries,
    /// A word of the title's name, e.g. "电气"; empty = every title of the series.
    pub specialty: String,
    /// Occupation codes or their prefixes (`6-31-01` is the minor group, `6-31-01-03` one
    /// occupation).
    pub occupations: Vec<String>,
    pub source: String,
}

/// What the table says about one title and one occupation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Correspondence<'a> {
    /// A row makes them correspond.
    Matches(&'a TitleCorrespondence),
    /// Rows cover the title's specialty, and none of them names this occupation.
    Differs(&'a TitleCorrespondence),
    /// No row covers the title: a reviewer must decide (待人工核实).
    Silent,
}

impl TitlePolicy {
    /// Whether a title of `series` named `title` corresponds to `occupation`.
    pub fn correspondence(&self, series: TitleSeries, title: &str, occupation: &str) -> Correspondence<'_> {
        let mut covering = self
            .correspondence
            .iter()
            .filter(|r| r.series == series && (r.specialty.is_empty() || title.contains(r.specialty.as_str())))
            .peekable();
        let Some(first) = covering.peek().copied() else {
            return Correspondence::Silent;
        };
        match covering.find(|r| r.occupations.iter().any(|p| covers(p, occupation))) {
            Some(r) => Correspondence::Matches(r),
            None => Correspondence::Differs(first),
        }
    }

    /// The bridging routes to a title of `series` and `grade`, in file order.
    pub fn routes(&self, series: TitleSeries, grade: TitleGrade) -> impl Iterator<Item = &BridgeRoute> {
        self.bridging.iter().filter(move |r| r.series == series && r.grade == grade)
    }

    /// The series and grade a title name belongs to, from the bridging routes' title names
    /// (e.g. 工程师 → engineering, intermediate); within `series` when given.
    pub fn title_named(&self, name: &str, series: Option<TitleSeries>) -> Option<(TitleSeries, TitleGrade)> {
        let name = name.trim();
        self.bridging
            .iter()
            .filter(|r| series.is_none_or(|s| s == r.series))
            .find(|r| r.titles.iter().any(|t| t == name))
            .map(|r| (r.series, r.grade))
    }
}

/// `prefix` is the occupation code itself or a prefix of it at a group boundary.
fn covers(prefix: &str, occupation: &str) -> bool {
    occupation == prefix || (occupation.starts_with(prefix) && occupation.as_bytes().get(prefix.len()) == Some(&b'-'))
}

/// `[[titles.bridging]]`: a skilled worker may apply for a title of `series` and `grade` when
/// all the conditions hold (e.g. 高级工 held 2 years → 助理工程师).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BridgeRoute {
    pub id: String,
    pub series: TitleSeries,
    pub grade: TitleGrade,
    /// The titles of that series and grade, e.g. ["助理工程师"].
    pub titles: Vec<String>,
    pub text_zh: String,
    pub text_en: String,
    pub source: String,
    pub review_zh: Option<String>,
    pub review_en: Option<String>,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    pub effective_from: Option<Date>,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    pub effective_to: Option<Date>,
    pub all: Vec<Condition>,
}

impl BridgeRoute {
    pub fn in_force(&self, on: Date) -> bool {
        self.effective_from.is_none_or(|f| f <= on) && self.effective_to.is_none_or(|t| on <= t)
    }
}
