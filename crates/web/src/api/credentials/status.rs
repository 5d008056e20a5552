use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gongjiang_app::App;
use gongjiang_app::evaluation::certificates as cases;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::certificates;
use serde::Deserialize;
use utoipa::ToSchema;

use super::json_body;
use crate::auth::{CurrentUser, certificate_target};
use crate::error::{ApiError, ErrorBody};
use crate::params;

/// The VC API's status update: which credential, and the new value of one of its statuses.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusRequest {
    /// The credential's `id` (`urn:uuid:…`).
    #[schema(example = "urn:uuid:0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a")]
    pub credential_id: String,
    pub credential_status: Vec<StatusUpdate>,
    /// 原因 / why (recorded with the certificate and shown to verifiers).
    #[serde(default)]
    pub reason: Option<String>,
    /// 生效日期 / effective date (`YYYY-MM-DD`); default today. Not in the VC API.
    #[serde(default)]
    #[schema(example = "2026-05-01")]
    pub effective_on: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusUpdate {
    /// `revocation` or `suspension`.
    #[schema(example = "revocation")]
    pub status_purpose: String,
    /// `true` sets the status (revoke, suspend); `false` lifts a suspension.
    pub status: bool,
}

/// 更新证书状态 · Revoke, suspend or reinstate a certificate (W3C VC API)
///
/// Needs a bearer API token whose roles allow writing certificates. Revocation is final. The
/// status lists change at once.
#[utoipa::path(
    post,
    operation_id = "update_credential_status",
    path = "/credentials/status",
    tag = "verification",
    request_body = StatusRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "已更新 / updated"),
        (status = 400, description = "请求有误 / malformed", body = ErrorBody),
        (status = 401, description = "未登录且无有效令牌 / not signed in and no valid token", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
        (status = 404, description = "无此证书 / no such certificate", body = ErrorBody),
        (status = 422, description = "不允许的状态变更 / not an allowed change", body = ErrorBody),
    )
)]
pub async fn status(State(app): State<App>, user: CurrentUser, body: Bytes) -> Result<StatusCode, ApiError> {
    user.require_some(Resource::Certificates, Action::Write)?;
    let request: StatusRequest = json_body(&body)?;
    let id = params::uuid("credentialId", request.credential_id.trim().trim_start_matches("urn:uuid:"))?;
    let c = certificates::by_public_id(&app.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("无此证书", "no such certificate"))?;
    user.require_in_scope(Resource::Certificates, Action::Write, &certificate_target(&app, &c).await?)?;
    let actor = user.actor();
    let reason = request.reason.as_deref().unwrap_or("VC API /credentials/status");
    let today = match request.effective_on.as_deref() {
        Some(text) => params::date("effectiveOn", text.trim())?,
        None => app.today(),
    };
    for update in &request.credential_status {
        match (update.status_purpose.as_str(), update.status) {
            ("revocation", true) => cases::revoke(&app, &actor, &c.number, reason, today).await?,
            ("suspension", true) => cases::suspend(&app, &actor, &c.number, reason, today).await?,
            ("suspension", false) => cases::reinstate(&app, &actor, &c.number, reason, today).await?,
            _ => {
                return Err(ApiError::Unprocessable(gongjiang_domain::bilingual::Msg::new(
                    "只能撤销（不可恢复）、暂停或恢复暂停",
                    "only revocation (final), suspension and lifting a suspension are possible",
                )));
            }
        }
    }
    Ok(StatusCode::OK)
}
