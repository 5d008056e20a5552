//! `/api/v1/kpi`: the policy's KPI figures as of a date, grouped.

pub mod persons;
pub mod projection;
pub mod series;
pub mod show;

use gongjiang_domain::kpi::Grouping;

use crate::error::ApiError;
use crate::params::given;

/// The `by` parameter of every KPI endpoint: the city when omitted.
pub(crate) fn grouping(by: &Option<String>) -> Result<Grouping, ApiError> {
    match given(by) {
        None => Ok(Grouping::City),
        Some(s) => Grouping::parse(s).ok_or_else(|| {
            let m = gongjiang_domain::kpi::unknown_grouping(s);
            ApiError::bad_param("invalid_grouping", "by", m.zh, m.en)
        }),
    }
}
