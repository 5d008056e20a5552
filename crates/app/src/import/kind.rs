//! The kinds of file the importer reads, with their names on the command line and their
//! columns.

use super::columns::{self, Column};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Orgs,
    Persons,
    Levels,
    Employment,
    Statistics,
    Demand,
    Standards,
    CompetitionResults,
    Insurance,
    Programmes,
    Platforms,
    Enrolments,
    Apprenticeships,
    Education,
    Titles,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "orgs" | "organisations" | "organizations" => Kind::Orgs,
            "persons" => Kind::Persons,
            "levels" => Kind::Levels,
            "employment" => Kind::Employment,
            "statistics" => Kind::Statistics,
            "demand" => Kind::Demand,
            "standards" => Kind::Standards,
            "competition-results" | "competition_results" => Kind::CompetitionResults,
            "insurance" => Kind::Insurance,
            "programmes" | "programs" => Kind::Programmes,
            "platforms" => Kind::Platforms,
            "enrolments" | "enrollments" => Kind::Enrolments,
            "apprenticeships" => Kind::Apprenticeships,
            "education" => Kind::Education,
            "titles" => Kind::Titles,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Kind::Orgs => "orgs",
            Kind::Persons => "persons",
            Kind::Levels => "levels",
            Kind::Employment => "employment",
            Kind::Statistics => "statistics",
            Kind::Demand => "demand",
            Kind::Standards => "standards",
            Kind::CompetitionResults => "competition-results",
            Kind::Insurance => "insurance",
            Kind::Programmes => "programmes",
            Kind::Platforms => "platforms",
            Kind::Enrolments => "enrolments",
            Kind::Apprenticeships => "apprenticeships",
            Kind::Education => "education",
            Kind::Titles => "titles",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Orgs => columns::ORGS,
            Kind::Persons => columns::PERSONS,
            Kind::Levels => columns::LEVELS,
            Kind::Employment => columns::EMPLOYMENT,
            Kind::Statistics => columns::STATISTICS,
            Kind::Demand => columns::DEMAND,
            Kind::Standards => columns::STANDARDS,
            Kind::CompetitionResults => columns::COMPETITION_RESULTS,
            Kind::Insurance => columns::INSURANCE,
            Kind::Programmes => columns::PROGRAMMES,
            Kind::Platforms => columns::PLATFORMS,
            Kind::Enrolments => columns::ENROLMENTS,
            Kind::Apprenticeships => columns::APPRENTICESHIPS,
            Kind::Education => columns::EDUCATION,
            Kind::Titles => columns::TITLES,
        }
    }

    /// The table whose secondary indexes a large first load may suspend (`store::bulk`).
    pub(super) fn bulk_table(self) -> Option<&'static str> {
        match self {
            Kind::Persons => Some("persons"),
            Kind::Levels => Some("skill_levels"),
            _ => None,
        }
    }
}
