use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::supply::{self, GapReport};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::demand::GapGrouping;
use serde::Deserialize;
use utoipa::IntoParams;

use super::gap_query;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SupplyGapQuery {
    /// 分组：district（默认）、chain（重点产业链）、city（全市）· grouping: `district` (default), `chain`, `city`.
    #[param(example = "district")]
    by: Option<String>,
    /// 需求期间：年份（含全部季度）或季度，默认今年 · demand period: a year (with its quarters) or a quarter; default this year.
    #[param(example = "2026")]
    period: Option<String>,
    /// 职业代码或类别前缀 · occupation code or category prefix.
    occupation: Option<String>,
    /// 供给统计日期，默认今天 · supply counted on this date (YYYY-MM-DD); default today.
    as_of: Option<String>,
}

/// 供需缺口 · Supply–demand gap
#[utoipa::path(
    get,
    operation_id = "supply_gap",
    path = "/api/v1/supply-gap",
    tag = "supply_demand",
    params(SupplyGapQuery),
    responses(
        (status = 200, description = "按缺口排序 / ranked by gap", body = GapReport),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<SupplyGapQuery>,
) -> Result<Json<GapReport>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let query = gap_query(&app, &q.by, &q.period, &q.occupation, &q.as_of)?;
    // The app's report as it is: the same JSON as the CLI prints with `--format json`.
    let mut report = supply::gap_report(&app, &query).await?;
    crate::api::kpi::keep_visible(&mut report.rows, query.by == GapGrouping::District, &scope, |r| &r.group);
    Ok(Json(report))
}
