use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gongjiang_app::App;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::certificates;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::{issuing, json_body};
use crate::auth::{CurrentUser, certificate_target};
use crate::error::{ApiError, ErrorBody};

/// The VC API's issue request. The city signs only certificates of its register: the
/// credential names one by `credentialSubject.licenseNumber`, and what is returned is that
/// certificate's credential as the register says it (the other members sent are not signed).
/// `options` and other members are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct IssueRequest {
    #[schema(value_type = Object, example = json!({"credentialSubject": {"licenseNumber": "S000012000100264000001"}}))]
    pub credential: Value,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IssueResponse {
    #[schema(value_type = Object)]
    pub verifiable_credential: Value,
}

/// 签发凭证 · Issue a certificate's signed credential (W3C VC API)
///
/// Needs a bearer API token whose roles allow writing certificates (`write` on certificates:
/// the city administrator, or the evaluation institution that issued the certificate).
/// Returns the stored credential, signing it first if it has none yet.
#[utoipa::path(
    post,
    operation_id = "issue_credential",
    path = "/credentials/issue",
    tag = "verification",
    request_body = IssueRequest,
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 201, description = "已签发 / issued", body = IssueResponse),
        (status = 400, description = "请求有误 / malformed", body = ErrorBody),
        (status = 401, description = "未登录且无有效令牌 / not signed in and no valid token", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
        (status = 404, description = "无此证书 / no such certificate", body = ErrorBody),
    )
)]
pub async fn issue(
    State(app): State<App>,
    user: CurrentUser,
    body: Bytes,
) -> Result<(StatusCode, Json<IssueResponse>), ApiError> {
    user.require_some(Resource::Certificates, Action::Write)?;
    let issuing = issuing(&app)?;
    let request: IssueRequest = json_body(&body)?;
    let number = request
        .credential
        .pointer("/credentialSubject/licenseNumber")
        .and_then(Value::as_str)
        .map(str::trim)
        .ok_or_else(|| {
            ApiError::BadRequest(gongjiang_domain::bilingual::Msg::new(
                "凭证缺少 credentialSubject.licenseNumber（证书编号）",
                "the credential has no credentialSubject.licenseNumber (certificate number)",
            ))
        })?;
    let c = certificates::by_number(&app.db, number)
        .await?
        .ok_or_else(|| ApiError::not_found("无此证书", "no such certificate"))?;
    user.require_in_scope(Resource::Certificates, Action::Write, &certificate_target(&app, &c).await?)?;
    if c.credential.is_none() {
        issuing.sign_missing(&app.db).await?;
    }
    let stored = certificates::get(&app.db, c.id).await?.and_then(|c| c.credential);
    let text = stored.ok_or_else(|| ApiError::Internal(format!("certificate {} was not signed", c.number)))?;
    let doc: Value = serde_json::from_str(&text).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok((StatusCode::CREATED, Json(IssueResponse { verifiable_credential: doc })))
}
