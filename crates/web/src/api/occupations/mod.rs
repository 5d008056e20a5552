//! `/api/v1/occupations`: the occupational classification (职业分类大典), by edition.

pub mod list;
pub mod show;

use gongjiang_domain::occupation::Edition;
use gongjiang_store::occupations::OccupationRow;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::params;

// Kept as a view: the store's `OccupationRow`; the store carries no OpenAPI schema.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationView {
    #[schema(example = "2022")]
    pub edition: String,
    #[schema(example = "6-18-01-01")]
    pub code: String,
    pub name: String,
    /// 1 = major group (大类) … 4 = occupation (细类).
    #[schema(minimum = 1, maximum = 4)]
    pub depth: i32,
    pub parent_code: Option<String>,
    /// GB/T 6565 code, where the edition gives one.
    pub gbm: Option<String>,
}

impl From<OccupationRow> for OccupationView {
    fn from(r: OccupationRow) -> OccupationView {
        OccupationView {
            edition: r.edition,
            code: r.code,
            name: r.name,
            depth: r.depth,
            parent_code: r.parent_code,
            gbm: r.gbm,
        }
    }
}

/// The edition asked for, the latest when none.
fn edition(given: Option<&str>) -> Result<Edition, ApiError> {
    given.map(|s| params::edition("edition", s)).transpose().map(|e| e.unwrap_or(Edition::LATEST))
}
