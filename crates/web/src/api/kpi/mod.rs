//! `/api/v1/kpi`: the policy's KPI figures as of a date, grouped.

pub mod persons;
pub mod projection;
pub mod series;
pub mod show;

use gongjiang_domain::access::Scope;
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

/// What the KPI and supply–demand figures show a caller, given their KPI read scope: figures are
/// counts with no person in them, so the city total and the city-wide breakdowns (by industry,
/// occupation group, level, industrial chain) go to everyone who may read KPIs at all; rows of
/// single districts only to those whose scope reaches the district (a district administrator
/// sees their own districts, enterprise HR none). Rows of other districts are left out.
pub(crate) fn keep_visible<T>(rows: &mut Vec<T>, by_district: bool, scope: &Scope, group: impl Fn(&T) -> &str) {
    if by_district && !scope.is_all() {
        rows.retain(|r| {
            let g = group(r);
            g == "total" || g == gongjiang_store::demand::CITY || scope.district_codes().contains(g)
        });
    }
}
