//! `/api/v1/persons`: workers in the registry, their level history and eligibility.

pub mod eligibility;
pub mod list;
pub mod show;

use gongjiang_app::App;
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use gongjiang_store::persons::Person;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::views::{Label, LevelLabel, mask_id_number};
use gongjiang_domain::dates::serde_iso;

// Kept as a view (presentation work): masks the identity number, reduces the birth date to its
// year, adds names for codes.
/// A person as every caller may see them: the identity number masked, the birth date reduced
/// to its year (with the full date, the masked digits could be worked out again).
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonView {
    pub public_id: Uuid,
    /// Kind of identity document: `resident_id`, `passport`, …
    pub id_type: Label,
    /// Masked — the first four and last four characters, stars between — unless the caller may
    /// read this person's personal data (`GET /api/v1/persons/{public_id}` only).
    #[schema(example = "1201**********123X")]
    pub id_number: String,
    pub name: String,
    /// `M` or `F`.
    pub gender: Option<String>,
    pub birth_year: Option<i32>,
    pub district: Option<Label>,
    pub employer: Option<EmployerRef>,
    /// Registered occupation (2022 classification), with its name.
    pub occupation: Option<Label>,
    pub education: Option<Label>,
    pub employment_status: Option<Label>,
    #[serde(with = "serde_iso::option")]
    pub work_start: Option<Date>,
    /// Highest unrevoked level held in any occupation.
    pub current_level: Option<LevelLabel>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerRef {
    pub uscc: String,
    pub name: Option<String>,
}

impl PersonView {
    /// As every caller may see the person: the identity number masked.
    pub fn new(app: &App, p: Person) -> PersonView {
        let mut v = PersonView::revealed(app, p);
        v.id_number = mask_id_number(&v.id_number);
        v
    }

    /// With the identity number in full: only for a caller who may read this person's personal
    /// data, after the read is audited.
    pub fn revealed(app: &App, p: Person) -> PersonView {
        let policy = &app.policy;
        PersonView {
            public_id: p.public_id,
            id_type: Label::of::<IdType>(&p.id_type),
            id_number: p.id_number,
            gender: p.gender,
            birth_year: p.birth_date.map(|d| d.year()),
            district: p.district_code.as_deref().map(|d| Label::district(policy, d)),
            employer: p.employer_uscc.map(|uscc| EmployerRef { uscc, name: p.employer_name }),
            occupation: p.occupation_code.as_deref().map(|c| occupation_label(app, c)),
            education: p.education.as_deref().map(Label::of::<Education>),
            employment_status: p.employment_status.as_deref().map(Label::of::<EmploymentStatus>),
            work_start: p.work_start,
            current_level: p.current_level.and_then(|r| LevelLabel::from_rank(policy, r)),
            name: p.name,
        }
    }
}

/// An occupation code with its name in the catalogue in force (Chinese only: the
/// classification has no official English names).
pub fn occupation_label(app: &App, code: &str) -> Label {
    let name = OccupationCode::parse(code).ok().and_then(|c| app.catalogue.name_of(&c));
    Label { code: code.to_string(), name_zh: name.map(str::to_string), name_en: None }
}
