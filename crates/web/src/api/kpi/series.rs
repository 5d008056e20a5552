use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::kpi::Definitions;
use gongjiang_app::kpi_series::{self, GroupSeries, SeriesReport};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::forecast::Step;
use gongjiang_domain::kpi::Grouping;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params::given;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KpiSeriesQuery {
    /// 分组：district、industry、chain、occupation、level；不填 = 仅全市 · grouping as for `/api/v1/kpi`;
    /// omitted = the city total only.
    #[param(example = "district")]
    by: Option<String>,
    /// 起始年份，默认今年前 5 年 · first year; default five years before the current one.
    #[param(example = "2021")]
    from: Option<String>,
    /// 截止年份，默认今年（今年取截至今天的值）· last year; default the current year (whose value
    /// is as of today). At most 31 years at a time.
    #[param(example = "2025")]
    to: Option<String>,
    /// 间隔：year（年末，默认）或 quarter（季末：3-31、6-30、9-30、12-31，一次最多 10 年）·
    /// `year` (year-ends, the default) or `quarter` (quarter-ends; at most 10 years at a time).
    #[param(example = "quarter")]
    step: Option<String>,
}

// Kept as a view: renames the report's `from_year`/`to_year` to the API's `from`/`to` and gives
// `by`/`step` as codes; its members are the app's types.
/// The KPIs at each year-end: the app's `SeriesReport` with the API's names for its year range
/// (`from`, `to`; the report and the CLI's JSON say `from_year`, `to_year`).
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiSeriesView {
    /// `city`, `district`, `industry`, `chain`, `occupation` or `level`.
    pub by: String,
    /// `year` or `quarter`.
    #[schema(example = "year")]
    pub step: String,
    pub from: i32,
    pub to: i32,
    /// The definitions of the last year computed.
    pub definitions: Definitions,
    /// One entry per group, the city `total` last.
    pub groups: Vec<GroupSeries>,
    /// The periods' notes, each once (see `/api/v1/kpi`).
    pub notes: Vec<Msg>,
}

impl From<SeriesReport> for KpiSeriesView {
    fn from(r: SeriesReport) -> KpiSeriesView {
        KpiSeriesView {
            by: r.by.code().to_string(),
            step: r.step.code().to_string(),
            from: r.from_year,
            to: r.to_year,
            definitions: r.definitions,
            groups: r.groups,
            notes: r.notes,
        }
    }
}

/// A four-digit year.
pub(super) fn year(param: &'static str, s: &str) -> Result<i32, ApiError> {
    s.parse::<i32>().ok().filter(|_| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())).ok_or_else(|| {
        ApiError::bad_param(
            "invalid_year",
            param,
            format!("{param} 应为四位年份（如 2024），收到“{s}”"),
            format!("{param} must be a four-digit year (e.g. 2024), got \"{s}\""),
        )
    })
}

/// The year range, checked against today (and the quarterly limit); a bad end is a 400 naming it.
pub(super) fn years(app: &App, from: &Option<String>, to: &Option<String>, step: Step) -> Result<(i32, i32), ApiError> {
    let from = given(from).map(|s| year("from", s)).transpose()?.unwrap_or_else(|| kpi_series::default_from(app));
    let to = given(to).map(|s| year("to", s)).transpose()?.unwrap_or_else(|| app.today().year());
    kpi_series::check_range(app.today(), step, from, to)
        .map_err(|(param, m)| ApiError::bad_param("invalid_year", param, m.zh, m.en))?;
    Ok((from, to))
}

/// 年末（季末）指标序列 · KPI figures at each year-end or quarter-end
///
/// 各年 12 月 31 日（`step=quarter` 时为各季末；当期取今天）的技能人才占比与高技能人才占比，含分子、分母及分母来源。
/// The skilled and high-skilled shares at each year-end (each quarter-end with `step=quarter`;
/// today for the current period), with numerators, denominators and the denominator's source.
#[utoipa::path(
    get,
    operation_id = "get_kpi_series",
    path = "/api/v1/kpi/series",
    tag = "kpi",
    params(KpiSeriesQuery),
    responses(
        (status = 200, description = "各组逐年数值 / each group's value at each year-end", body = KpiSeriesView),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn series(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<KpiSeriesQuery>,
) -> Result<Json<KpiSeriesView>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let by = super::grouping(&q.by)?;
    let step = super::step(&q.step)?;
    let (from, to) = years(&app, &q.from, &q.to, step)?;
    let report = kpi_series::series(&app, by, from, to, step).await?;
    let mut view = KpiSeriesView::from(report);
    super::keep_visible(&mut view.groups, by == Grouping::District, &scope, |g| &g.group);
    Ok(Json(view))
}
