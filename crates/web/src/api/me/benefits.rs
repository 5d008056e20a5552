use axum::Json;
use axum::extract::{Query, State};
use gongjiang_app::App;
use gongjiang_app::benefits::{self, BenefitsReport};
use gongjiang_domain::access::{Action, Resource};
use serde::Deserialize;
use utoipa::IntoParams;

use super::my_person;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::params;

#[derive(Debug, Deserialize, IntoParams)]
pub struct BenefitsQuery {
    /// Decide as of this date (`YYYY-MM-DD`; default: today).
    #[param(example = "2026-03-02")]
    pub on: Option<String>,
}

/// 我能享受的待遇 · What you are entitled to, and why
///
/// For a caller with the worker role: every benefit scheme of the policy (技能提升补贴
/// `skill-upgrade`, 海河英才 `haihe-talent`, …) decided from their record on the day. Each scheme
/// has `scheme`, `eligible`, `amount` (yuan, where it is money), `reasons` (Chinese and English:
/// what is met, what is missing, and the earliest day it could be met), the conditions, per
/// certificate or per route, `missing` (facts the record lacks: never guessed) and `inferred`
/// (the decision rests on an inferred rule, with the notes saying which).
#[utoipa::path(
    get,
    operation_id = "get_my_benefits",
    path = "/api/v1/me/benefits",
    tag = "me",
    params(BenefitsQuery),
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "各项待遇及原因 / every scheme, decided and explained", body = BenefitsReport),
        (status = 400, description = "日期无效 / not a valid date", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 404, description = "账户未关联人员 / no person linked to the account", body = ErrorBody),
    )
)]
pub async fn benefits(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<BenefitsQuery>,
) -> Result<Json<BenefitsReport>, ApiError> {
    let person = my_person(&caller)?;
    let on = match params::given(&q.on) {
        Some(s) => params::date("on", s)?,
        None => app.today(),
    };
    let scope = caller.scope(Resource::Persons, Action::Read);
    Ok(Json(benefits::for_person(&app, &scope, person, on).await?))
}
