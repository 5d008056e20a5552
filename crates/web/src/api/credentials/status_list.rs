use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::credentials::ListPurpose;

use super::issuing;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;

/// 证书状态列表 · The city's Bitstring Status List credential
///
/// `revocation` (named in every certificate credential) or `suspension`; bit `i` is the
/// certificate with status index `i`. Signed; re-signed only when a status changes.
#[utoipa::path(
    get,
    operation_id = "status_list",
    path = "/credentials/status/{purpose}",
    tag = "verification",
    params(("purpose" = String, Path, description = "`revocation` or `suspension`")),
    responses(
        (status = 200, description = "BitstringStatusListCredential", content_type = "application/vc+ld+json"),
        (status = 404, description = "无此列表 / no such list", body = ErrorBody),
        (status = 429, description = "查询过于频繁 / too many requests", body = ErrorBody),
    )
)]
pub async fn status_list(State(app): State<App>, Path(purpose): Path<String>) -> Result<Response, ApiError> {
    let purpose = ListPurpose::parse(purpose.trim())
        .ok_or_else(|| ApiError::not_found("无此状态列表", "no such status list (revocation or suspension)"))?;
    let doc = issuing(&app)?.status_list(&app.db, purpose).await?;
    let body = serde_json::to_vec(&*doc).map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(([(header::CONTENT_TYPE, "application/vc+ld+json")], body).into_response())
}
