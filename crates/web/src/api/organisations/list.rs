use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::registry::{self, OrgFilter, PageAt};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::registry::OrgKind;
use serde::Deserialize;
use utoipa::IntoParams;

use super::OrganisationView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::paging::{Listing, Page, PageRequest};
use crate::params::{self, given};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OrganisationQuery {
    /// 区：区划代码或区名 · district: GB/T 2260 code or name (`120116`, `滨海新区`).
    district: Option<String>,
    /// 行业：国民经济行业门类字母或名称 · industry: GB/T 4754 section letter (`C`) or name.
    industry: Option<String>,
    /// 单位类型 · kind: `enterprise`, `technician_school`, `vocational_school`,
    /// `training_institution`, `evaluation_institution`, `public_training_centre`,
    /// `industry_association`, `government`, or the Chinese label (企业, 技工院校, …).
    kind: Option<String>,
    /// 每页条数 1–500，默认 50 · page size, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// 上一页返回的 next 游标 · the `next` cursor of the previous page.
    after: Option<String>,
}

/// 单位列表 · List organisations
#[utoipa::path(
    get,
    operation_id = "list_organisations",
    path = "/api/v1/organisations",
    tag = "organisations",
    params(OrganisationQuery),
    responses(
        (status = 200, description = "一页单位（仅您范围内的）/ one page of the organisations within your scope", body = Page<OrganisationView>),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn list(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<OrganisationQuery>,
) -> Result<Json<Page<OrganisationView>>, ApiError> {
    let scope = caller.require_some(Resource::Organisations, Action::Read)?;
    let page = PageRequest::parse(Listing::Organisations, given(&q.limit), given(&q.after))?;
    let policy = &app.policy;
    let filter = OrgFilter {
        district_code: given(&q.district).map(|s| params::district(policy, "district", s)).transpose()?,
        industry: given(&q.industry).map(|s| params::industry(policy, "industry", s)).transpose()?,
        kind: given(&q.kind).map(kind).transpose()?,
    };
    let rows =
        registry::organisations(&app, &scope, &filter, PageAt { after: page.after, limit: page.fetch() }).await?;
    Ok(Json(page.finish(rows, |o| o.id, |o| OrganisationView::new(policy, o))))
}

fn kind(s: &str) -> Result<String, ApiError> {
    OrgKind::parse(s).map(|k| k.code().to_string()).ok_or_else(|| ApiError::BadParam {
        code: "invalid_kind",
        param: "kind",
        msg: Msg::new(
            format!("kind 应为以下之一：{}", OrgKind::allowed()),
            format!("kind must be one of: {}", OrgKind::allowed()),
        ),
    })
}
