use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::credentials::certificate_pdf;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::certificates;

use crate::auth::{CurrentUser, certificate_target};
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::params;

/// 证书 PDF · The certificate as an A4 PDF
///
/// It carries the full identity number, so it needs a bearer API token whose roles allow
/// reading certificates' personal data (`read_personal_data` on certificates: city or district
/// administrators, the issuing evaluation institution, the holder).
#[utoipa::path(
    get,
    operation_id = "certificate_pdf",
    path = "/api/v1/certificates/{public_id}/pdf",
    tag = "verification",
    params(("public_id" = uuid::Uuid, Path, description = "证书公开标识 / the certificate's public_id (in its QR code)")),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "PDF", content_type = "application/pdf"),
        (status = 400, description = "public_id 不是 UUID / public_id is not a UUID", body = ErrorBody),
        (status = 401, description = "未登录且无有效令牌 / not signed in and no valid token", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
        (status = 404, description = "无此证书 / no such certificate", body = ErrorBody),
    )
)]
pub async fn pdf(State(app): State<App>, user: CurrentUser, Path(key): Path<String>) -> Result<Response, ApiError> {
    user.require_some(Resource::Certificates, Action::ReadPersonalData)?;
    let id = params::uuid("public_id", key.trim())?;
    let c = certificates::by_public_id(&app.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("无此证书", "no such certificate"))?;
    user.require_in_scope(Resource::Certificates, Action::ReadPersonalData, &certificate_target(&app, &c).await?)?;
    // The PDF carries the holder's whole identity number: audited before it leaves.
    gongjiang_app::accounts::record_reads(
        &app.db,
        &user.actor(),
        "certificate.read_personal_data",
        "certificates",
        &[c.public_id.to_string()],
    )
    .await?;
    let url = match &app.credentials {
        Some(issuing) => issuing.verification_url(c.public_id),
        None => format!("{}/v/{}", gongjiang_app::credentials::DEFAULT_PUBLIC_URL, c.public_id),
    };
    let bytes = tokio::task::spawn_blocking(move || certificate_pdf(&c, &url))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(([(header::CONTENT_TYPE, "application/pdf")], bytes).into_response())
}
