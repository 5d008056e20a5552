use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::supply::{self, ForecastReport};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::demand::GapGrouping;
use serde::Deserialize;
use utoipa::IntoParams;

use super::gap_query;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params::given;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SupplyGapForecastQuery {
    /// 分组：district（默认）、chain、city · grouping: `district` (default), `chain`, `city`.
    by: Option<String>,
    /// 排名所用的需求期间，默认今年 · the period whose ranking is projected; default this year.
    #[param(example = "2026")]
    period: Option<String>,
    /// 职业代码或类别前缀 · occupation code or category prefix.
    occupation: Option<String>,
    /// 供给统计日期（当年及以后各年按此日），默认今天 · supply date for the current and later years; default today.
    as_of: Option<String>,
    /// 目标年份（缺口在该年前补齐），默认最后有需求年份 + 3 · the year by which the gap should be closed; default the last year with demand + 3.
    #[param(value_type = Option<i32>, example = 2030)]
    target: Option<String>,
    /// 预测排名前多少行，1–500，默认 50 · how many ranked rows to project, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

fn bounded(param: &'static str, s: &str, lo: i64, hi: i64) -> Result<i64, ApiError> {
    s.parse::<i64>().ok().filter(|n| (lo..=hi).contains(n)).ok_or_else(|| {
        ApiError::bad_param(
            if param == "limit" { "invalid_limit" } else { "invalid_year" },
            param,
            format!("{param} 应为 {lo} 到 {hi} 之间的整数，收到“{s}”"),
            format!("{param} must be an integer from {lo} to {hi}, got \"{s}\""),
        )
    })
}

/// 供需缺口预测 · Supply–demand gap forecast
#[utoipa::path(
    get,
    operation_id = "supply_gap_forecast",
    path = "/api/v1/supply-gap/forecast",
    tag = "supply_demand",
    params(SupplyGapForecastQuery),
    responses(
        (status = 200, description = "缺口预测与每年培养人数 / the projected gap and the training per year that closes it", body = ForecastReport),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 422, description = "目标年份不晚于最后有需求的年份 / the target year is not after the last year with demand", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn forecast(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<SupplyGapForecastQuery>,
) -> Result<Json<ForecastReport>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let query = gap_query(&app, &q.by, &q.period, &q.occupation, &q.as_of)?;
    let target = given(&q.target).map(|s| bounded("target", s, 2000, 2100).map(|y| y as i32)).transpose()?;
    let limit = given(&q.limit).map(|s| bounded("limit", s, 1, 500)).transpose()?.unwrap_or(50) as usize;
    // The app's report as it is: the same JSON as the CLI prints with `--format json`.
    let mut report = supply::forecast(&app, &query, target, limit).await?;
    crate::api::kpi::keep_visible(&mut report.rows, query.by == GapGrouping::District, &scope, |r| &r.group);
    Ok(Json(report))
}
