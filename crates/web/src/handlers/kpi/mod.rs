//! `/api/v1/kpi`: the policy's KPI figures as of a date, grouped.

pub mod persons;
pub mod projection;
pub mod series;
pub mod show;

use gongjiang_domain::forecast::Step;
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

/// The `step` parameter of the series and the projection: `year` when omitted.
pub(crate) fn step(step: &Option<String>) -> Result<Step, ApiError> {
    match given(step) {
        None => Ok(Step::Year),
        Some(s) => Step::parse(s).ok_or_else(|| {
            ApiError::bad_param(
                "invalid_step",
                "step",
                format!("step 应为 year 或 quarter，收到“{s}”"),
                format!("step must be year or quarter, got \"{s}\""),
            )
        }),
    }
}
