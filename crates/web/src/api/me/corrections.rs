use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gongjiang_app::App;
use gongjiang_app::personal_data::{self, Request};
use gongjiang_domain::access::{Action, Resource};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::my_person;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};

/// What to correct.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CorrectionInput {
    /// `name`, `id_number`, `gender`, `birth_date`, `district`, `employer`, `occupation`,
    /// `education`, `employment_status`, `work_start`, or `other` (say what in `reason`).
    #[schema(example = "name")]
    pub field: String,
    /// The correct value, as an import file would give it.
    #[schema(example = "张三丰")]
    pub value: String,
    #[serde(default)]
    #[schema(example = "身份证上的姓名")]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionFiled {
    pub id: i64,
    /// `open` until an administrator decides.
    pub status: String,
}

/// 申请更正本人记录 · Ask for your record to be corrected
///
/// Files a correction request (记录更正请求) for the caller's own record: the value is checked
/// with the import's rules now, stored encrypted, and decided by an administrator who may change
/// the record (on the person's page, or `gongjiang person correction decide`); the request and
/// the decision are in the audit trail.
#[utoipa::path(
    post,
    operation_id = "create_my_correction",
    path = "/api/v1/me/corrections",
    tag = "me",
    request_body = CorrectionInput,
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 201, description = "已记录 / filed", body = CorrectionFiled),
        (status = 400, description = "请求体有误 / malformed body", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 404, description = "账户未关联人员 / no person linked to the account", body = ErrorBody),
        (status = 422, description = "字段或值有误 / wrong field or value", body = ErrorBody),
    )
)]
pub async fn create(
    State(app): State<App>,
    caller: CurrentUser,
    body: Bytes,
) -> Result<(StatusCode, Json<CorrectionFiled>), ApiError> {
    let input: CorrectionInput = serde_json::from_slice(&body).map_err(|e| {
        ApiError::BadRequest(gongjiang_domain::bilingual::Msg::new(
            format!("请求体应为 {{\"field\", \"value\", \"reason\"}}：{e}"),
            format!("the body must be {{\"field\", \"value\", \"reason\"}}: {e}"),
        ))
    })?;
    let person = my_person(&caller)?;
    let scope = caller.scope(Resource::Persons, Action::Read);
    let by = format!("本人 / the person ({})", caller.actor().label);
    let r = Request {
        person_id: person,
        field: &input.field,
        proposed: &input.value,
        reason: &input.reason,
        requested_by: &by,
    };
    let id = personal_data::request_correction(&app, &caller.actor(), &scope, &r).await?;
    Ok((StatusCode::CREATED, Json(CorrectionFiled { id, status: "open".into() })))
}
