use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::supply::{self, GapReport};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::demand::GapGrouping;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{GapRowView, PipelineSourceView, gap_query};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::views::Bilingual;

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

/// The ranked gap.
#[derive(Debug, Serialize, ToSchema)]
pub struct SupplyGapView {
    /// `district`, `chain` or `city`.
    pub by: String,
    #[schema(example = "2026")]
    pub period: String,
    #[schema(example = "2026-11-25")]
    pub as_of: String,
    /// How supply is counted: holders of the level **or above** in the same occupation, each
    /// person once per occupation at the highest level valid on `as_of`.
    pub supply_rule: Bilingual,
    pub pipeline_source: PipelineSourceView,
    /// How groups are formed where it needs saying (by chain).
    pub grouping_note: Option<Bilingual>,
    /// One row per occupation × level × group with demand, largest gap first (then ratio).
    pub rows: Vec<GapRowView>,
}

impl From<GapReport> for SupplyGapView {
    fn from(r: GapReport) -> Self {
        SupplyGapView {
            by: r.by.to_string(),
            period: r.period,
            as_of: r.as_of,
            supply_rule: r.supply_rule.into(),
            pipeline_source: r.pipeline_source.into(),
            grouping_note: r.grouping_note.map(Into::into),
            rows: r.rows.into_iter().map(Into::into).collect(),
        }
    }
}

/// 供需缺口 · Supply–demand gap
#[utoipa::path(
    get,
    operation_id = "supply_gap",
    path = "/api/v1/supply-gap",
    tag = "supply_demand",
    params(SupplyGapQuery),
    responses(
        (status = 200, description = "按缺口排序 / ranked by gap", body = SupplyGapView),
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
) -> Result<Json<SupplyGapView>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let query = gap_query(&app, &q.by, &q.period, &q.occupation, &q.as_of)?;
    let mut view: SupplyGapView = supply::gap_report(&app, &query).await?.into();
    crate::api::kpi::keep_visible(&mut view.rows, query.by == GapGrouping::District, &scope, |r| &r.group);
    Ok(Json(view))
}
