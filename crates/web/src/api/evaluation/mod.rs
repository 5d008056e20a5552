//! `/api/v1/institutions` and `/api/v1/sessions`: filed evaluation institutions (评价机构) with
//! their scope, and evaluation sessions with their progress and staffing. Read-only; the
//! workflow itself runs through `gongjiang_app::evaluation` (CLI for now).

pub mod institution;
pub mod institutions;
pub mod session;

use gongjiang_domain::evaluation::ScopeRow;
use gongjiang_domain::policy::Policy;
use gongjiang_store::institutions::Institution;
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::views::LevelLabel;
use gongjiang_domain::dates::serde_iso;

// Kept as a view: the store's `Institution` row without its internal id; the store carries no
// OpenAPI schema.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionView {
    pub public_id: Uuid,
    /// `Y` employer (用人单位, 企业自主评价) or `S` social training-and-evaluation organisation.
    #[schema(example = "Y")]
    pub category: String,
    /// `0000` when filed with the province.
    #[schema(example = "0000")]
    pub body_code: String,
    #[schema(example = "12")]
    pub province_code: String,
    #[schema(example = "000123")]
    pub site_serial: String,
    /// As printed on its certificates.
    pub name: String,
}

impl From<Institution> for InstitutionView {
    fn from(i: Institution) -> InstitutionView {
        InstitutionView {
            public_id: i.public_id,
            category: i.category,
            body_code: i.body_code,
            province_code: i.province_code,
            site_serial: i.site_serial,
            name: i.name,
        }
    }
}

// Kept as a view (presentation work): adds the occupation's name from the catalogue and the level's
// names from the policy.
/// One filed scope row: an occupation at a level, valid from … to (inclusive; open when null).
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionScopeView {
    #[schema(example = "6-18-01-01")]
    pub occupation: String,
    pub occupation_name: Option<String>,
    pub level: LevelLabel,
    #[serde(with = "serde_iso")]
    pub valid_from: Date,
    #[serde(with = "serde_iso::option")]
    pub valid_to: Option<Date>,
}

impl InstitutionScopeView {
    pub fn new(
        policy: &Policy,
        catalogue: &gongjiang_domain::occupation::Catalogue,
        r: ScopeRow,
    ) -> InstitutionScopeView {
        let occupation_name = gongjiang_domain::occupation::OccupationCode::parse(&r.occupation_code)
            .ok()
            .and_then(|c| catalogue.name_of(&c).map(str::to_string));
        InstitutionScopeView {
            occupation: r.occupation_code,
            occupation_name,
            level: LevelLabel::new(policy, r.level),
            valid_from: r.valid_from,
            valid_to: r.valid_to,
        }
    }
}
