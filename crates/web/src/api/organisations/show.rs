use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::organisations;

use super::OrganisationView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::params;

/// 查询单位（按统一社会信用代码或公开标识）· One organisation by credit code or public id
#[utoipa::path(
    get,
    operation_id = "get_organisation",
    path = "/api/v1/organisations/{key}",
    tag = "organisations",
    params(("key" = String, Path, description = "统一社会信用代码或 public_id / unified social credit code or public_id")),
    responses(
        (status = 200, description = "单位 / the organisation", body = OrganisationView),
        (status = 400, description = "既不是信用代码也不是 UUID / neither a credit code nor a UUID", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权查看单位 / may not read organisations", body = ErrorBody),
        (status = 404, description = "无此单位，或不在您的范围内 / no such organisation within your scope", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Path(key): Path<String>,
) -> Result<Json<OrganisationView>, ApiError> {
    let scope = caller.require_some(Resource::Organisations, Action::Read)?;
    let key = key.trim();
    // A UUID has hyphens; a credit code never does.
    let found = if key.contains('-') {
        organisations::by_public_id(&app.db, &scope, params::uuid("key", key)?).await?
    } else {
        organisations::by_uscc(&app.db, &scope, params::uscc("key", key)?.as_str()).await?
    };
    let o = found.ok_or_else(|| ApiError::not_found("无此单位", "no such organisation"))?;
    Ok(Json(OrganisationView::new(&app.policy, o)))
}
