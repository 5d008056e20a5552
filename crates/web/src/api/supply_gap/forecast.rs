use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::supply::{self, ForecastReport, ForecastRow};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::demand::GapGrouping;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{PipelineSourceView, gap_query};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params::given;
use crate::views::Bilingual;

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

#[derive(Debug, Serialize, ToSchema)]
pub struct SupplyGapForecastView {
    pub by: String,
    pub period: String,
    pub as_of: String,
    pub target_year: i32,
    /// The method in one sentence.
    pub method: Bilingual,
    pub supply_rule: Bilingual,
    pub pipeline_source: PipelineSourceView,
    pub grouping_note: Option<Bilingual>,
    pub rows: Vec<GapForecastRowView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GapForecastRowView {
    /// Rank in the gap of `period`.
    pub rank: u32,
    pub occupation_code: String,
    pub occupation_name: Option<String>,
    pub level: u8,
    pub level_name_zh: String,
    pub group: String,
    pub group_name_zh: String,
    /// Each year's demand, supply (at the year's end, or on `as_of` for the current and later
    /// years) and gap.
    pub observed: Vec<YearGapView>,
    /// `holt` (three years or more), `line` (two), `constant` (one).
    #[schema(example = "holt")]
    pub method: String,
    /// The gap projected for each year up to `target_year`, with the band where there is one.
    pub projected: Vec<ProjectedGapView>,
    pub gap_at_target: f64,
    pub gap_at_target_high: Option<f64>,
    /// People to train and certify at this level (or above) each year until `target_year` to
    /// close the projected gap; 0 when no gap is projected.
    pub training_per_year: i64,
    /// The same for the top of the band.
    pub training_per_year_high: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YearGapView {
    pub year: i32,
    pub demand: i64,
    pub supply: i64,
    pub gap: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectedGapView {
    pub year: i32,
    pub gap: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

impl From<ForecastRow> for GapForecastRowView {
    fn from(r: ForecastRow) -> Self {
        GapForecastRowView {
            rank: r.rank,
            occupation_code: r.occupation_code,
            occupation_name: r.occupation_name,
            level: r.level,
            level_name_zh: r.level_name_zh,
            group: r.group,
            group_name_zh: r.group_name_zh,
            observed: r
                .observed
                .into_iter()
                .map(|o| YearGapView { year: o.year, demand: o.demand, supply: o.supply, gap: o.gap })
                .collect(),
            method: r.method.code().to_string(),
            projected: r
                .projected
                .into_iter()
                .map(|p| ProjectedGapView { year: p.year, gap: p.gap, low: p.low, high: p.high })
                .collect(),
            gap_at_target: r.gap_at_target,
            gap_at_target_high: r.gap_at_target_high,
            training_per_year: r.training_per_year,
            training_per_year_high: r.training_per_year_high,
        }
    }
}

impl From<ForecastReport> for SupplyGapForecastView {
    fn from(r: ForecastReport) -> Self {
        SupplyGapForecastView {
            by: r.by.to_string(),
            period: r.period,
            as_of: r.as_of,
            target_year: r.target_year,
            method: r.method.into(),
            supply_rule: r.supply_rule.into(),
            pipeline_source: r.pipeline_source.into(),
            grouping_note: r.grouping_note.map(Into::into),
            rows: r.rows.into_iter().map(Into::into).collect(),
        }
    }
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
        (status = 200, description = "缺口预测与每年培养人数 / the projected gap and the training per year that closes it", body = SupplyGapForecastView),
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
) -> Result<Json<SupplyGapForecastView>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let query = gap_query(&app, &q.by, &q.period, &q.occupation, &q.as_of)?;
    let target = given(&q.target).map(|s| bounded("target", s, 2000, 2100).map(|y| y as i32)).transpose()?;
    let limit = given(&q.limit).map(|s| bounded("limit", s, 1, 500)).transpose()?.unwrap_or(50) as usize;
    let mut view: SupplyGapForecastView = supply::forecast(&app, &query, target, limit).await?.into();
    crate::api::kpi::keep_visible(&mut view.rows, query.by == GapGrouping::District, &scope, |r| &r.group);
    Ok(Json(view))
}
