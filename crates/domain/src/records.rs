//! Validated registry records as they arrive from a file, a form or the API, keyed by their
//! natural keys (credit code, identity number, occupation code). The store resolves natural keys
//! to its own integer ids.

use serde::Serialize;
use time::Date;

use crate::level::Level;
use crate::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};

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
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEmployment {
    pub id_number: String,
    pub employer_uscc: String,
    pub start: Date,
    pub end: Option<Date>,
    pub occupation_code: Option<String>,
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
