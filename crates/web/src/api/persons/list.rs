use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::registry::{self, PageAt, PersonFilter};
use gongjiang_domain::access::{Action, Resource};
use serde::Deserialize;
use utoipa::IntoParams;

use super::PersonView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::paging::{Listing, Page, PageRequest};
use crate::params::{self, given};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PersonQuery {
    /// 所在区：区划代码或区名 · district: GB/T 2260 code or name (`120116`, `滨海新区`).
    district: Option<String>,
    /// 用人单位统一社会信用代码 · employer's unified social credit code.
    employer: Option<String>,
    /// 职业代码或类别前缀（`6-18` 含其下全部职业）· occupation code or category prefix (`6-18` matches every `6-18-…`).
    occupation: Option<String>,
    /// 用人单位行业：门类字母或名称 · the employer's industry: GB/T 4754 section letter or name.
    industry: Option<String>,
    /// 现有最高等级：序号 1–8 或名称（技师、二级…）· current highest level: rank 1–8 or name.
    level: Option<String>,
    /// 姓名或其开头（“赵”查出所有姓赵的人）· a name or its beginning ("赵" finds every 赵…).
    name: Option<String>,
    /// 身份证号后4位（尾号，末位可为 X）· the identity number's last four characters.
    id_tail: Option<String>,
    /// 每页条数 1–500，默认 50 · page size, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// 上一页返回的 next 游标 · the `next` cursor of the previous page.
    after: Option<String>,
}

/// 人员列表 · List persons
#[utoipa::path(
    get,
    operation_id = "list_persons",
    path = "/api/v1/persons",
    tag = "persons",
    params(PersonQuery),
    responses(
        (status = 200, description = "一页人员（证件号码已脱敏）/ one page of persons (identity numbers masked)", body = Page<PersonView>),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn list(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<PersonQuery>,
) -> Result<Json<Page<PersonView>>, ApiError> {
    let scope = caller.require_some(Resource::Persons, Action::Read)?;
    let page = PageRequest::parse(Listing::Persons, given(&q.limit), given(&q.after))?;
    let policy = &app.policy;
    let filter = PersonFilter {
        district_code: given(&q.district).map(|s| params::district(policy, "district", s)).transpose()?,
        employer_uscc: given(&q.employer)
            .map(|s| params::uscc("employer", s).map(|u| u.as_str().to_string()))
            .transpose()?,
        occupation: given(&q.occupation)
            .map(|s| params::occupation("occupation", s).map(|c| c.as_str().to_string()))
            .transpose()?,
        industry: given(&q.industry).map(|s| params::industry(policy, "industry", s)).transpose()?,
        level: given(&q.level).map(|s| params::level(policy, "level", s).map(|l| i16::from(l.rank()))).transpose()?,
        name: given(&q.name).map(str::to_string),
        id_tail: given(&q.id_tail).map(|s| params::id_tail("id_tail", s)).transpose()?,
    };
    let rows = registry::persons(&app, &scope, &filter, PageAt { after: page.after, limit: page.fetch() }).await?;
    Ok(Json(page.finish(rows, |p| p.id, |p| PersonView::new(&app, p))))
}
