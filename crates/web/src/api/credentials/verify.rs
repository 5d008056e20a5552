use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::credentials::{Outcome, Verification};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::{issuing, json_body};
use crate::error::{ApiError, ErrorBody};

/// The VC API's verify request.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyRequest {
    /// The secured credential (a Data Integrity proof, `eddsa-jcs-2022` or `eddsa-rdfc-2022`).
    #[schema(value_type = Object)]
    pub verifiable_credential: Value,
    /// Accepted and ignored (VC API `options`).
    #[serde(default)]
    #[schema(value_type = Object)]
    pub options: Option<Value>,
}

// Kept as a view (presentation work): flattens the app's `Problem` (kind + `Msg`) into
// `message_zh`/`message_en`, the API's shape.
/// One reason, or one warning.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemView {
    /// `malformed`, `missing_proof`, `bad_proof`, `signature_mismatch`, `unknown_issuer`,
    /// `issuer_mismatch`, `not_yet_valid`, `expired`, `revoked`, `suspended`; warnings
    /// `no_status`, `status_not_checked`.
    #[schema(example = "revoked")]
    pub kind: String,
    pub message_zh: String,
    pub message_en: String,
}

/// The VC API's verify response.
#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyResponse {
    /// True only when the signature, the issuer, the dates and the status all hold.
    pub verified: bool,
    /// `valid`, `revoked`, `suspended`, `invalid`, or `unconfirmed`: the signature holds but
    /// the status could not be checked (another issuer's list, or no status entry) — not valid.
    #[schema(example = "valid")]
    pub outcome: String,
    /// What was checked: `proof`, and `credentialStatus` when the credential points at our lists.
    pub checks: Vec<String>,
    pub warnings: Vec<ProblemView>,
    pub errors: Vec<ProblemView>,
}

impl From<Verification> for VerifyResponse {
    fn from(v: Verification) -> VerifyResponse {
        let view = |p: gongjiang_app::credentials::Problem| ProblemView {
            kind: p.kind,
            message_zh: p.message.zh,
            message_en: p.message.en,
        };
        VerifyResponse {
            verified: v.verified,
            outcome: serde_json::to_value(v.outcome)
                .ok()
                .and_then(|o| o.as_str().map(str::to_string))
                .unwrap_or_default(),
            checks: v.checks,
            warnings: v.warnings.into_iter().map(view).collect(),
            errors: v.errors.into_iter().map(view).collect(),
        }
    }
}

/// 验证凭证 · Verify a signed certificate credential (W3C VC API)
///
/// Checks the proof, that the issuer is the city (or a key it trusts), the validity dates, and
/// — when the credential's status entry points at this server's lists — revocation and
/// suspension as they stand now. Public and rate-limited.
#[utoipa::path(
    post,
    operation_id = "verify_credential",
    path = "/credentials/verify",
    tag = "verification",
    request_body = VerifyRequest,
    responses(
        (status = 200, description = "有效，或签名有效但状态无法核实（`verified: false`, `outcome: unconfirmed`）/ verified, or signature holds but status unconfirmed (`verified: false`)", body = VerifyResponse),
        (status = 400, description = "请求体不是 JSON 或缺少 verifiableCredential / the body is not JSON or has no verifiableCredential", body = ErrorBody),
        (status = 422, description = "凭证无法验证或无效（格式、签名不符、被撤销……）/ cannot be checked or does not verify (malformed, signature, revoked, …)", body = VerifyResponse),
        (status = 429, description = "查询过于频繁 / too many requests", body = ErrorBody),
    )
)]
pub async fn verify(State(app): State<App>, body: Bytes) -> Result<Response, ApiError> {
    let issuing = issuing(&app)?;
    let request: VerifyRequest = json_body(&body)?;
    let _ = request.options;
    let v = issuing.verify(&app.db, &request.verifiable_credential).await?;
    // 400 is for a request that is not one (not JSON, no `verifiableCredential`: the API's error
    // shape); a credential that cannot be checked or does not hold is 422 with the verdict.
    let status =
        if v.verified || v.outcome == Outcome::Unconfirmed { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(VerifyResponse::from(v))).into_response())
}
