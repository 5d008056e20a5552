//! `/api/v1/supply-gap`: reported demand against the holders of each level, ranked, and the
//! gap projected forward with the training that would close it.

pub mod forecast;
pub mod show;

use gongjiang_app::App;
use gongjiang_app::supply::{self, GapGrouping, GapQuery};

use super::demand::period;
use crate::error::ApiError;
use crate::params::{self, given};

/// The query both endpoints share.
pub(crate) fn gap_query(
    app: &App,
    by: &Option<String>,
    period_param: &Option<String>,
    occupation: &Option<String>,
    as_of: &Option<String>,
) -> Result<GapQuery, ApiError> {
    let by = match given(by) {
        None => GapGrouping::District,
        Some(s) => supply::parse_grouping(s).ok_or_else(|| {
            ApiError::bad_param(
                "invalid_grouping",
                "by",
                format!("by 应为 district、chain 或 city，收到“{s}”"),
                format!("by must be district, chain or city, got \"{s}\""),
            )
        })?,
    };
    let period = match given(period_param) {
        Some(s) => period("period", s)?,
        None => gongjiang_domain::supply::Period { year: app.today().year(), quarter: None },
    };
    Ok(GapQuery {
        by,
        period,
        occupation: given(occupation)
            .map(|s| params::occupation("occupation", s).map(|c| c.as_str().to_string()))
            .transpose()?,
        as_of: given(as_of).map(|s| params::date("as_of", s)).transpose()?,
    })
}
