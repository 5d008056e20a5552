use axum::Json;
use axum::extract::{Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::personal_data;
use gongjiang_domain::access::{Action, Resource};
use serde::Deserialize;
use utoipa::IntoParams;

use super::my_person;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Deserialize, IntoParams)]
pub struct DataQuery {
    /// `json` (default) or `xlsx` (a workbook, one sheet per part).
    #[param(example = "xlsx")]
    pub format: Option<String>,
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// 本人数据（查询/复制）· A copy of everything the registry holds about you
///
/// For a caller with the worker role: their registry record with the identity number in full,
/// level history, employment, applications, certificates, appointments, correction requests,
/// and who read, exported or changed the record (the audit trail's entries about it). The copy
/// is itself recorded in the audit trail (`person.export`) before it is sent.
#[utoipa::path(
    get,
    operation_id = "get_my_data",
    path = "/api/v1/me/data",
    tag = "me",
    params(DataQuery),
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "本人全部数据 / everything held about you (JSON; XLSX with format=xlsx)", body = Object),
        (status = 400, description = "格式无效 / unknown format", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 404, description = "账户未关联人员 / no person linked to the account", body = ErrorBody),
    )
)]
pub async fn data(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<DataQuery>,
) -> Result<Response, ApiError> {
    let xlsx = match q.format.as_deref().map(str::trim) {
        None | Some("") | Some("json") => false,
        Some("xlsx") => true,
        Some(other) => {
            return Err(ApiError::BadRequest(gongjiang_domain::bilingual::Msg::new(
                format!("format 应为 json 或 xlsx，而不是“{other}”"),
                format!("format must be json or xlsx, not '{other}'"),
            )));
        }
    };
    let person = my_person(&caller)?;
    let scope = caller.scope(Resource::Persons, Action::ReadPersonalData);
    let data = personal_data::export(&app, &caller.actor(), &scope, person).await?;
    if !xlsx {
        return Ok(Json(data).into_response());
    }
    let dir = tempfile::tempdir().map_err(|e| ApiError::Internal(e.to_string()))?;
    let path = dir.path().join("personal-data.xlsx");
    personal_data::write(&data, &path)?;
    let bytes = std::fs::read(&path).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(CONTENT_TYPE, XLSX), (CONTENT_DISPOSITION, "attachment; filename=\"personal-data.xlsx\"")], bytes)
        .into_response())
}
