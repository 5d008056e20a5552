use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::demand::{self, DemandFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{DemandView, chain, period, period_sel};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::paging::{Listing, Page, PageRequest};
use crate::params::{self, given};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DemandQuery {
    /// 期间：年份（含该年全部季度）或季度 · period: a year (with all its quarters) or a quarter (`2026Q2`).
    #[param(example = "2026")]
    period: Option<String>,
    /// 职业代码或类别前缀 · occupation code or category prefix (`6-18`).
    occupation: Option<String>,
    /// 技能等级：序号 1–8 或名称 · level: rank 1–8 or name.
    level: Option<String>,
    /// 区：区划代码或区名 · district: GB/T 2260 code or name.
    district: Option<String>,
    /// 重点产业链：id 或名称 · industrial chain: id or name.
    chain: Option<String>,
    /// 填报单位统一社会信用代码 · the reporter's unified social credit code.
    reporter: Option<String>,
    /// 每页条数 1–500，默认 50 · page size, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// 上一页返回的 next 游标 · the `next` cursor of the previous page.
    after: Option<String>,
}

/// 需求填报列表 · List reported demand
#[utoipa::path(
    get,
    operation_id = "list_demand",
    path = "/api/v1/demand",
    tag = "supply_demand",
    params(DemandQuery),
    responses(
        (status = 200, description = "一页需求 / one page of demand rows", body = Page<DemandView>),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn list(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<DemandQuery>,
) -> Result<Json<Page<DemandView>>, ApiError> {
    // Demand reports are organisations' data: read under the organisations scope.
    let scope = caller.require_some(Resource::Organisations, Action::Read)?;
    let page = PageRequest::parse(Listing::Demand, given(&q.limit), given(&q.after))?;
    let policy = &app.policy;
    let filter = DemandFilter {
        period: given(&q.period).map(|s| period("period", s).map(period_sel)).transpose()?,
        occupation: given(&q.occupation)
            .map(|s| params::occupation("occupation", s).map(|c| c.as_str().to_string()))
            .transpose()?,
        level: given(&q.level).map(|s| params::level(policy, "level", s).map(|l| i16::from(l.rank()))).transpose()?,
        district_code: given(&q.district).map(|s| params::district(policy, "district", s)).transpose()?,
        chain: given(&q.chain).map(|s| chain(&app, "chain", s)).transpose()?,
        reporter_uscc: given(&q.reporter)
            .map(|s| params::uscc("reporter", s).map(|u| u.as_str().to_string()))
            .transpose()?,
    };
    let rows = demand::list(&app.db, &scope, &filter, page.after, page.fetch()).await?;
    Ok(Json(page.finish(rows, |d| d.id, |d| DemandView::new(&app, d))))
}
