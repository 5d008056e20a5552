//! `GET /api/v1/kpi/persons`: drill-down from a KPI figure to the persons counted in it.

use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::kpi::{DrillDown, Group, Measure};
use gongjiang_domain::access::{Action, Resource};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::api::persons::PersonView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::paging::{Listing, Page, PageRequest};
use crate::params::{self, given};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct KpiPersonsQuery {
    /// 分组，同 /api/v1/kpi：district、industry、chain、occupation、level；不填 = 全市 ·
    /// grouping, as for /api/v1/kpi: `district`, `industry`, `chain`, `occupation`, `level`;
    /// omitted = the city.
    #[param(example = "district")]
    by: Option<String>,
    /// 指标行的 group 值（区划代码、行业门类字母、产业链 id、职业大类数字、等级序号；unknown、none、
    /// total）；按全市时不填 · the row's `group` (district code, industry letter, chain id,
    /// occupation major group, level rank; `unknown`, `none`, `total`); omitted by city.
    #[param(example = "120116")]
    group: Option<String>,
    /// 指标：employed（就业人员）、skilled（技能人才）、high_skilled（高技能人才）·
    /// the figure: `employed` (registry_employed), `skilled`, `high_skilled`.
    #[param(example = "skilled", required = true)]
    measure: Option<String>,
    /// 统计日期 YYYY-MM-DD，默认今天 · as of this date, YYYY-MM-DD; default today (Asia/Shanghai).
    #[param(example = "2025-12-31", value_type = Option<String>, format = Date)]
    as_of: Option<String>,
    /// 每页条数 1–500，默认 50 · page size, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// 上一页返回的 next 游标 · the `next` cursor of the previous page.
    after: Option<String>,
}

/// 指标明细人员 · Persons behind a KPI figure
///
/// 某一指标行（`by`、`group`）中某一数值（`measure`）所计入的人员，按 `as_of` 当日的最高有效等级判断，
/// 分页返回；全部页的人数等于该行的数值。`current_level` 为今天的最高有效等级。
/// The persons counted in one figure (`measure`) of one KPI row (`by`, `group`) as of `as_of`,
/// paged; all pages together hold exactly as many persons as the figure. `current_level` is the
/// highest level valid today.
#[utoipa::path(
    get,
    operation_id = "list_kpi_persons",
    path = "/api/v1/kpi/persons",
    tag = "kpi",
    params(KpiPersonsQuery),
    responses(
        (status = 200, description = "一页人员（证件号码已脱敏）/ one page of persons (identity numbers masked)", body = Page<PersonView>),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn persons(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<KpiPersonsQuery>,
) -> Result<Json<Page<PersonView>>, ApiError> {
    // A KPI figure's persons are persons: the KPI read permission opens the route, the persons
    // read scope decides whose records come back.
    caller.require_some(Resource::Kpi, Action::Read)?;
    let scope = caller.require_some(Resource::Persons, Action::Read)?;
    let page = PageRequest::parse(Listing::KpiPersons, given(&q.limit), given(&q.after))?;
    let by = super::grouping(&q.by)?;
    let group = Group::parse(&app, by, given(&q.group))
        .map_err(|m| ApiError::bad_param("invalid_group", "group", m.zh, m.en))?;
    let measure = match given(&q.measure) {
        Some(s) => Measure::parse(s).map_err(|m| ApiError::bad_param("invalid_measure", "measure", m.zh, m.en))?,
        None => {
            return Err(ApiError::bad_param(
                "invalid_measure",
                "measure",
                "须给出 measure：employed、skilled 或 high_skilled",
                "measure is required: employed, skilled or high_skilled",
            ));
        }
    };
    let as_of = match q.as_of.as_deref() {
        Some(s) => params::date("as_of", s)?,
        None => app.today(),
    };
    let drill = DrillDown { by, group, measure, as_of };
    let rows = gongjiang_app::kpi::persons_behind(&app, &scope, &drill, page.after, page.fetch()).await?;
    Ok(Json(page.finish(rows, |p| p.id, |p| PersonView::new(&app, p))))
}
