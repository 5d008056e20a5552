use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::kpi::KpiReport;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::kpi::Grouping;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::params;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KpiQuery {
    /// 分组：district（区）、industry（用人单位行业门类）、chain（用人单位所属重点产业链，各组互有重叠）、
    /// occupation（职业大类）、level（最高有效等级）；不填 = 仅全市 ·
    /// grouping: `district`, `industry` (employer's section), `chain` (employer's industrial chains;
    /// the groups overlap), `occupation` (major group), `level` (highest valid level); omitted =
    /// the city total only.
    #[param(example = "district")]
    by: Option<String>,
    /// 统计日期 YYYY-MM-DD，默认今天 · as of this date, YYYY-MM-DD; default today (Asia/Shanghai).
    #[param(example = "2025-12-31", value_type = Option<String>, format = Date)]
    as_of: Option<String>,
}

/// 技能人才指标 · KPI figures as of a date
///
/// 技能人才占就业人员比例、高技能人才占技能人才比例，及与政策目标的差距；口径见策略文件 `[kpi]`。
/// Skilled share of employed persons and high-skilled share of skilled talent, with the policy's
/// targets and the gaps; definitions from the policy's `[kpi]`.
#[utoipa::path(
    get,
    operation_id = "get_kpi",
    path = "/api/v1/kpi",
    tag = "kpi",
    params(KpiQuery),
    responses(
        (status = 200, description = "各组及全市合计 / one row per group and the city total", body = KpiReport),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<KpiQuery>,
) -> Result<Json<KpiReport>, ApiError> {
    let scope = caller.require_some(Resource::Kpi, Action::Read)?;
    let by = super::grouping(&q.by)?;
    let as_of = match q.as_of.as_deref() {
        Some(s) => params::date("as_of", s)?,
        None => app.today(),
    };
    // The app's report as it is: the same JSON as the CLI prints with `--format json`.
    let mut report = gongjiang_app::kpi::compute(&app, by, as_of).await?;
    super::keep_visible(&mut report.rows, by == Grouping::District, &scope, |r| &r.group);
    Ok(Json(report))
}
