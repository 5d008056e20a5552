//! Validated registry records as they arrive from a file, a form or the API, keyed by their
//! natural keys (credit code, identity number, occupation code). The store resolves natural keys
//! to its own integer ids.

use serde::Serialize;
use time::Date;

use crate::level::Level;
use crate::policy::TitleGrade;
use crate::registry::{Education, EmploymentStatus, IdType, InsuranceScheme, LevelSource, OrgKind, TitleSeries};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewOrganisation {
    pub uscc: String,
    pub name: String,
    pub kind: OrgKind,
    pub district_code: String,
    /// GB/T 4754 section letter.
    pub industry: Option<String>,
    /// Ids of the policy's industrial chains the organisation belongs to; `None` = not given
    /// (the stored list is kept), `Some` replaces it.
    pub chains: Option<Vec<String>>,
}

/// A person as a file row gives it. `None` means "not given": an import never erases a value
/// the registry already holds because a cell was left empty.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewPerson {
    pub id_type: IdType,
    pub id_number: String,
    /// The 18-digit number was converted from a 15-digit legacy one.
    pub id_from_15: bool,
    pub name: String,
    /// "M" or "F", from the identity number where it encodes it.
    pub gender: Option<String>,
    pub birth_date: Option<Date>,
    pub district_code: Option<String>,
    pub employer_uscc: Option<String>,
    pub occupation_code: Option<String>,
    pub education: Option<Education>,
    pub employment_status: Option<EmploymentStatus>,
    pub work_start: Option<Date>,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewLevel {
    pub id_number: String,
    pub occupation_code: String,
    /// Sub-trade (工种/职业方向); empty when none.
    pub trade: String,
    pub level: Level,
    pub obtained_on: Date,
    pub source: LevelSource,
    pub certificate_no: Option<String>,
    pub issuer_uscc: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewEmployment {
    pub id_number: String,
    pub employer_uscc: String,
    pub start: Date,
    pub end: Option<Date>,
    pub occupation_code: Option<String>,
}

/// A social-insurance contribution spell of a person (险种, 起始日期, 截止日期). Natural key:
/// (person, scheme, starts_on); `ends_on` `None` = still contributing. `district` is where the
/// contributions are paid, for schemes run by a district.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct NewInsuranceSpell {
    pub id_number: String,
    pub scheme: InsuranceScheme,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub district_code: Option<String>,
}

/// One education of a registered person, keyed by (person, education, major): graduated on a
/// date, or a student expecting to graduate on one (exactly one of the two dates).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEducation {
    pub id_number: String,
    pub education: Education,
    /// Empty when not given.
    pub major: String,
    pub graduated_on: Option<Date>,
    pub expected_graduation_on: Option<Date>,
}

/// A professional title (职称) of a registered person, keyed by (person, series, title).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewTitle {
    pub id_number: String,
    pub series: TitleSeries,
    pub grade: TitleGrade,
    pub title: String,
    pub obtained_on: Date,
}

/// Official counts of skilled and high-skilled persons (技能人才数, 高技能人才数) for a year and
/// group, keyed like [`NewStatistic`]; either may be missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewSkillCount {
    pub year: i32,
    pub district_code: String,
    pub industry: String,
    pub chain: String,
    pub skilled: Option<i64>,
    pub high_skilled: Option<i64>,
}

/// An official employed-persons figure. `industry` empty = all industries of the district;
/// `chain` (one of the policy's industrial chains) empty = not a figure by chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewStatistic {
    pub year: i32,
    pub district_code: String,
    pub industry: String,
    pub chain: String,
    pub employed_persons: i64,
}

/// A demand for skilled people reported by an enterprise or an industry body. Natural key:
/// (reporter, occupation, level, period, district); a report of the same key again replaces
/// the number, chain and note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewDemand {
    pub reporter_uscc: String,
    pub occupation_code: String,
    pub level: Level,
    pub people: i64,
    pub period: crate::supply::Period,
    pub district_code: String,
    /// Id of one of the policy's industrial chains; empty when none.
    pub chain: String,
    pub note: String,
}

// `Debug` leaves the identity number out, so a row that reaches a log does not leak it.
crate::debug_without_id_number!(NewPerson {
    id_type,
    id_from_15,
    name,
    gender,
    birth_date,
    district_code,
    employer_uscc,
    occupation_code,
    education,
    employment_status,
    work_start,
});
crate::debug_without_id_number!(NewLevel {
    occupation_code,
    trade,
    level,
    obtained_on,
    source,
    certificate_no,
    issuer_uscc,
});
crate::debug_without_id_number!(NewEmployment { employer_uscc, start, end, occupation_code });
crate::debug_without_id_number!(NewInsuranceSpell { scheme, starts_on, ends_on, district_code });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_of_a_file_row_hides_the_identity_number() {
        let number = "120101199003071234";
        let person = NewPerson {
            id_type: IdType::ResidentId,
            id_number: number.into(),
            id_from_15: false,
            name: "张三".into(),
            gender: None,
            birth_date: None,
            district_code: Some("120101".into()),
            employer_uscc: None,
            occupation_code: None,
            education: None,
            employment_status: None,
            work_start: None,
        };
        let day = time::macros::date!(2024 - 06 - 17);
        let level = NewLevel {
            id_number: number.into(),
            occupation_code: "6-18-01-01".into(),
            trade: String::new(),
            level: Level::new(3).expect("rank 3"),
            obtained_on: day,
            source: LevelSource::Exam,
            certificate_no: None,
            issuer_uscc: None,
        };
        let spell = NewEmployment {
            id_number: number.into(),
            employer_uscc: "91120000MA0000000X".into(),
            start: day,
            end: None,
            occupation_code: None,
        };
        for printed in [format!("{person:?}"), format!("{level:?}"), format!("{spell:?}")] {
            assert!(!printed.contains("19900307"), "{printed}");
            assert!(printed.contains("<hidden>"), "{printed}");
        }
        assert!(format!("{person:?}").contains("张三"), "the other fields are still printed");
    }
}
