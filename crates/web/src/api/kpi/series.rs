use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::kpi::Definitions;
use gongjiang_app::kpi_series::{self, GroupSeries, SeriesReport, YearValue};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::forecast::Step;
use gongjiang_domain::kpi::Grouping;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::show::KpiDefinitionsView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params::given;
use crate::views::Bilingual;

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

/// The KPIs at each year-end.
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
    pub definitions: KpiDefinitionsView,
    /// One entry per group, the city `total` last.
    pub groups: Vec<KpiSeriesGroupView>,
    /// The periods' notes, each once (see `/api/v1/kpi`).
    pub notes: Vec<Bilingual>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KpiSeriesGroupView {
    /// As in `/api/v1/kpi`: district code, industry letter, …; `total` for the city.
    #[schema(example = "120116")]
    pub group: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// One per period in order; a period in which the group has no row (by level) is left out.
    pub values: Vec<KpiYearView>,
}

/// One group's figures at one year-end or quarter-end (or today, for the current period).
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiYearView {
    #[schema(example = 2024)]
    pub year: i32,
    /// 1–4 with `step=quarter`; null with `step=year`.
    #[schema(example = 3)]
    pub quarter: Option<u8>,
    /// `2024` or `2024-Q3`.
    #[schema(example = "2024-Q3")]
    pub period: String,
    /// The period's last day (31 December; 31 March, 30 June, 30 September by quarter), or
    /// today for the current period.
    #[schema(example = "2024-12-31")]
    pub as_of: String,
    /// `false` for the current period's figure as of today.
    pub complete: bool,
    /// The skilled share's denominator.
    pub employed_persons: Option<i64>,
    /// `official_statistics`, `registry` or `unavailable`.
    pub denominator_source: String,
    pub registry_employed: i64,
    pub skilled: i64,
    pub high_skilled: i64,
    /// skilled ÷ employed_persons.
    pub skilled_share: Option<f64>,
    /// high_skilled ÷ skilled.
    pub high_skilled_share: Option<f64>,
    /// target − share against the target in force on `as_of`.
    pub gap_skilled_share: Option<f64>,
    pub gap_high_skilled_share: Option<f64>,
}

impl From<YearValue> for KpiYearView {
    fn from(v: YearValue) -> KpiYearView {
        KpiYearView {
            year: v.year,
            quarter: v.quarter,
            period: v.period.label(),
            as_of: gongjiang_domain::dates::iso(v.as_of),
            complete: v.complete,
            employed_persons: v.employed_persons,
            denominator_source: v.denominator_source.code().to_string(),
            registry_employed: v.registry_employed,
            skilled: v.skilled,
            high_skilled: v.high_skilled,
            skilled_share: v.skilled_share,
            high_skilled_share: v.high_skilled_share,
            gap_skilled_share: v.gap_skilled_share,
            gap_high_skilled_share: v.gap_high_skilled_share,
        }
    }
}

pub(super) fn definitions_view(d: Definitions) -> KpiDefinitionsView {
    KpiDefinitionsView {
        employed_statuses: d.employed_statuses,
        skilled_from_rank: d.skilled_from_rank,
        high_skilled_from_rank: d.high_skilled_from_rank,
        denominator: d.denominator.code().to_string(),
        statistics_year: d.statistics_year,
    }
}

impl From<SeriesReport> for KpiSeriesView {
    fn from(r: SeriesReport) -> KpiSeriesView {
        KpiSeriesView {
            by: r.by.code().to_string(),
            step: r.step.code().to_string(),
            from: r.from_year,
            to: r.to_year,
            definitions: definitions_view(r.definitions),
            notes: r.notes.into_iter().map(Bilingual::from).collect(),
            groups: r
                .groups
                .into_iter()
                .map(|g: GroupSeries| KpiSeriesGroupView {
                    group: g.group,
                    name_zh: g.name_zh,
                    name_en: g.name_en,
                    values: g.values.into_iter().map(KpiYearView::from).collect(),
                })
                .collect(),
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
