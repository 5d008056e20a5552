//! What the engine knows about a person: the record it judges.

use time::Date;

use crate::level::Level;
use crate::policy::TitleGrade;
use crate::registry::{Education, TitleSeries};

/// What the engine needs to know about a person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub birth_date: Date,
    /// The registry's highest education, read only when `schooling` is empty.
    pub education: Option<Education>,
    /// Graduation date of that education; a future date means still studying. `None` with an
    /// education means graduated on an unknown date.
    pub graduated_on: Option<Date>,
    /// Every education record on file, each with its dates (`gongjiang import education`). When
    /// there is any, these are the person's schooling and `education` is not read.
    pub schooling: Vec<Schooling>,
    pub levels: Vec<HeldLevel>,
    pub work: Vec<WorkSpell>,
    pub titles: Vec<HeldTitle>,
    /// The occupation the registry holds for the person: work spells without an occupation
    /// count as work in it.
    pub registered_occupation: Option<String>,
}

/// A skill level held in an occupation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldLevel {
    /// Occupation code `D-DD-DD-DD`.
    pub occupation: String,
    pub level: Level,
    pub obtained_on: Date,
    /// From this date on the level no longer counts.
    pub revoked_on: Option<Date>,
}

/// A period of work; `end` is the last day worked, `None` = still working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkSpell {
    pub occupation: Option<String>,
    pub start: Date,
    pub end: Option<Date>,
}

/// One education record: graduated (`graduated_on`), or a student who expects to graduate on
/// `expected_on` and is not a graduate before a graduation is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schooling {
    /// The class attended decides the technician-school routes (中级工班, 高级工班, 预备技师班).
    pub education: Education,
    pub major: Option<String>,
    pub graduated_on: Option<Date>,
    pub expected_on: Option<Date>,
}

/// A professional title (职称).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldTitle {
    pub series: TitleSeries,
    /// The title's name, e.g. 电气工程师: its words decide the specialty correspondence.
    pub name: String,
    pub grade: TitleGrade,
    pub obtained_on: Date,
}
