use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::kpi_series::{self, KpiProjection, ObservedValue, ProjectionReport, TargetOutlook};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::forecast::{Fit, Projected};
use gongjiang_domain::kpi::Grouping;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::grouping;
use super::series::years;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::views::Bilingual;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KpiProjectionQuery {
    /// 分组：district、industry、chain、occupation、level；不填 = 仅全市 · grouping as for `/api/v1/kpi`;
    /// omitted = the city total only.
    #[param(example = "district")]
    by: Option<String>,
    /// 拟合起始年份，默认今年前 5 年 · first year-end fitted; default five years before the current one.
    #[param(example = "2021")]
    from: Option<String>,
    /// 拟合间隔：year（年末，默认）或 quarter（季末）· fit the year-ends (`year`, the default) or the
    /// quarter-ends (`quarter`; `from` at most 9 years back).
    #[param(example = "quarter")]
    step: Option<String>,
}

// Kept as a view: reshapes the app's `ProjectionReport`: `from` for `from_year`, the method `Msg`
// as `method_zh`/`method_en`, `by`/`step` as codes.
/// Each group's KPIs projected to each of the policy's targets.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiProjectionView {
    /// `city`, `district`, `industry`, `chain`, `occupation` or `level`.
    pub by: String,
    /// `year` or `quarter`: the spacing of the values fitted and projected.
    #[schema(example = "year")]
    pub step: String,
    pub from: i32,
    #[schema(example = "2025-06-30")]
    pub today: String,
    /// Years past the last fitted year-end that the projection looks (further when a target is
    /// due later).
    pub horizon_years: i32,
    /// The method in one sentence.
    pub method_zh: String,
    pub method_en: String,
    /// One entry per group, the city `total` last.
    pub groups: Vec<KpiProjectionGroupView>,
    /// The series' notes, each once (see `/api/v1/kpi`).
    pub notes: Vec<Bilingual>,
}

// Kept as a view: holds the reshaped `KpiOutlookView`s of a group.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiProjectionGroupView {
    #[schema(example = "120116")]
    pub group: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// The KPIs the policy sets a target for (the district's own targets if any, else the
    /// city's); none for a level group.
    pub kpis: Vec<KpiOutlookView>,
}

// Kept as a view: reshapes `KpiProjection` (fit, projections and targets below); its observed
// values are the app's `ObservedValue`s.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiOutlookView {
    /// `skilled_share` or `high_skilled_share`.
    #[schema(example = "skilled_share")]
    pub kpi: String,
    pub name_zh: String,
    pub name_en: String,
    /// Each year-end (quarter-end) from `from` (the current period as of today, not fitted).
    pub values: Vec<ObservedValue>,
    /// The model fitted to the latest run of complete year-ends with a value; null without one.
    pub fit: Option<KpiFitView>,
    /// The fitted years mix official and registry denominators: a jump between them is a
    /// change of definition, not of pace.
    pub mixed_denominators: bool,
    /// Each year (quarter) after the last fitted one.
    pub projected: Vec<KpiProjectedView>,
    /// One per target, by due date.
    pub targets: Vec<KpiTargetOutlookView>,
}

// Kept as a view: reshapes the domain's `Fit`: method/step as codes, its first and last periods as
// labels (`first_period`, `last_period`).
/// Holt's linear trend: `value(h) = level + h × trend`, band `± 1.96 × rmse × √h`, `h` in steps.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiFitView {
    /// `holt` (3 values or more), `line` (2: the straight line through them) or `constant` (1).
    #[schema(example = "holt")]
    pub method: String,
    /// `year` or `quarter`: `trend` is per step.
    #[schema(example = "year")]
    pub step: String,
    /// Smoothing parameters chosen from 0.1–0.9 by the least squared one-step error (holt only).
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    /// Level and trend per step after the last fitted value.
    pub level: f64,
    pub trend: f64,
    /// Root mean square of the one-step-ahead errors (holt only).
    pub rmse: Option<f64>,
    pub first_year: i32,
    pub last_year: i32,
    /// The first and last periods fitted: `2021` or `2021-Q1`.
    #[schema(example = "2021")]
    pub first_period: String,
    #[schema(example = "2024")]
    pub last_period: String,
}

// Kept as a view: adds the quarter of each projected period (the domain's `Projected` has the
// period only).
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiProjectedView {
    pub year: i32,
    /// 1–4 with `step=quarter`, else null.
    pub quarter: Option<u8>,
    /// `2026` or `2026-Q1`.
    #[schema(example = "2026")]
    pub period: String,
    /// The central forecast (not clipped).
    pub value: f64,
    /// The approximate band, clipped to [0, 1]; null without one (fewer than 3 year-ends).
    pub low: Option<f64>,
    pub high: Option<f64>,
}

// Kept as a view: flattens the app's `TargetOutlook`: `reached` becomes
// `reached_year`/`reached_on`/`reached_quarter`/…, the message `message_zh`/`message_en`, the
// outlook a code.
#[derive(Debug, Serialize, ToSchema)]
pub struct KpiTargetOutlookView {
    #[schema(example = "tj-14fyp-skilled-share")]
    pub id: String,
    #[schema(example = 0.4)]
    pub value: f64,
    /// `>` or `>=`.
    pub comparison: String,
    #[schema(example = "2025-12-31")]
    pub due: String,
    /// District code of a district target; null for a city-wide one.
    pub district: Option<String>,
    /// The KPI at the due date: observed when the period holding it is complete, else projected.
    pub value_at_due: Option<f64>,
    pub observed_at_due: bool,
    pub low_at_due: Option<f64>,
    pub high_at_due: Option<f64>,
    /// target − value at the due date: positive when short.
    pub gap_at_due: Option<f64>,
    pub met_at_due: Option<bool>,
    /// The year of the first period from the last fitted one whose value (observed, then
    /// central forecast) meets the target; null when none within the horizon.
    pub reached_year: Option<i32>,
    /// 31 December of `reached_year`.
    #[schema(example = "2027-12-31")]
    pub reached_on: Option<String>,
    /// The quarter it is reached in: the quarter-end that meets it with `step=quarter`; with
    /// `step=year`, the first quarter-end within `reached_year` at which the yearly trend line
    /// (level + t × trend) meets it. A target already met gives the last observed period's quarter.
    #[schema(example = "2027-Q3")]
    pub reached_quarter: Option<String>,
    /// The last day of `reached_quarter`.
    #[schema(example = "2027-09-30")]
    pub reached_quarter_end: Option<String>,
    /// Whether it is met by the last observed value (already met).
    pub reached_observed: Option<bool>,
    /// `met`, `on_track`, `late` (reached after the due date), `not_reached` (not within the
    /// horizon) or `no_data`.
    #[schema(example = "on_track")]
    pub outlook: String,
    /// 如“按当前趋势，预计 2027 年第 3 季度达到” · e.g. "at the current pace, reached in 2027-Q3".
    pub message_zh: String,
    pub message_en: String,
}

fn fit_view(f: Fit) -> KpiFitView {
    KpiFitView {
        method: f.method.code().to_string(),
        step: f.step.code().to_string(),
        alpha: f.alpha,
        beta: f.beta,
        level: f.level,
        trend: f.trend,
        rmse: f.rmse,
        first_year: f.first_year,
        last_year: f.last_year,
        first_period: f.first.label(),
        last_period: f.last.label(),
    }
}

fn target_view(t: TargetOutlook) -> KpiTargetOutlookView {
    KpiTargetOutlookView {
        id: t.id,
        value: t.value,
        comparison: t.comparison.to_string(),
        due: gongjiang_domain::dates::iso(t.due),
        district: t.district,
        value_at_due: t.value_at_due,
        observed_at_due: t.observed_at_due,
        low_at_due: t.low_at_due,
        high_at_due: t.high_at_due,
        gap_at_due: t.gap_at_due,
        met_at_due: t.met_at_due,
        reached_year: t.reached.map(|r| r.year),
        reached_on: t.reached.map(|r| gongjiang_domain::dates::iso(r.year_end)),
        reached_quarter: t.reached.map(|r| r.quarter.label()),
        reached_quarter_end: t.reached.map(|r| gongjiang_domain::dates::iso(r.quarter_end)),
        reached_observed: t.reached.map(|r| r.observed),
        outlook: t.outlook.code().to_string(),
        message_zh: t.message.zh,
        message_en: t.message.en,
    }
}

fn kpi_view(k: KpiProjection) -> KpiOutlookView {
    KpiOutlookView {
        kpi: k.kpi.code().to_string(),
        name_zh: k.name_zh.to_string(),
        name_en: k.name_en.to_string(),
        values: k.values,
        fit: k.fit.map(fit_view),
        mixed_denominators: k.mixed_denominators,
        projected: k
            .projected
            .into_iter()
            .map(|p: Projected| KpiProjectedView {
                year: p.year,
                quarter: p.period.quarter(),
                period: p.period.label(),
                value: p.value,
                low: p.low,
                high: p.high,
            })
            .collect(),
        targets: k.targets.into_iter().map(target_view).collect(),
    }
}

impl From<ProjectionReport> for KpiProjectionView {
    fn from(r: ProjectionReport) -> KpiProjectionView {
        KpiProjectionView {
            by: r.by.code().to_string(),
            step: r.step.code().to_string(),
            from: r.from_year,
            today: gongjiang_domain::dates::iso(r.today),
            horizon_years: r.horizon_years,
            method_zh: r.method.zh,
            method_en: r.method.en,
            notes: r.notes.into_iter().map(Bilingual::from).collect(),
            groups: r
                .groups
                .into_iter()
                .map(|g| KpiProjectionGroupView {
                    group: g.group,
                    name_zh: g.name_zh,
                    name_en: g.name_en,
                    kpis: g.kpis.into_iter().map(kpi_view).collect(),
                })
                .collect(),
        }
    }
}

/// 指标预测 · KPI projection to each target
///
/// 以已结束年份的年末值（`step=quarter` 时为已结束季度的季末值）拟合 Holt 线性趋势（双指数平滑），
/// 给出各目标期限时的预测值、近似区间与差距，并回答“按当前趋势，预计 YYYY 年第 n 季度达到”或“目标期限前不能达到”。
/// Holt's linear trend fitted to the year-ends of completed years (the quarter-ends of completed
/// quarters with `step=quarter`); for each target, the value and approximate band at its due
/// date, the gap, and "at the current pace, reached in YYYY-Qn" or "not reached by the target date".
#[utoipa::path(
    get,
    operation_id = "get_kpi_projection",
    path = "/api/v1/kpi/projection",
    tag = "kpi",
    params(KpiProjectionQuery),
    responses(
        (status = 200, description = "各组各指标的预测 / each group's projection per KPI and target", body = KpiProjectionView),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn projection(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<KpiProjectionQuery>,
) -> Result<Json<KpiProjectionView>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let by = grouping(&q.by)?;
    let step = super::step(&q.step)?;
    let (from, _) = years(&app, &q.from, &None, step)?;
    let report = kpi_series::projection(&app, by, from, step).await?;
    let mut view = KpiProjectionView::from(report);
    super::keep_visible(&mut view.groups, by == Grouping::District, &scope, |g| &g.group);
    Ok(Json(view))
}
