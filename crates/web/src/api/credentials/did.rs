use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_credentials::did_web_document;
use serde_json::Value;

use super::issuing;
use crate::error::{ApiError, ErrorBody};

/// did:web 文档 · The issuer's DID document
///
/// Served when the issuer is `did:web` (`GONGJIANG_DID_WEB`): every trusted key of the keyring,
/// so credentials signed before a rotation keep verifying.
#[utoipa::path(
    get,
    operation_id = "did_document",
    path = "/.well-known/did.json",
    tag = "verification",
    responses(
        (status = 200, description = "DID document", body = Object),
        (status = 404, description = "未使用 did:web / the issuer is not did:web", body = ErrorBody),
        (status = 429, description = "查询过于频繁 / too many requests", body = ErrorBody),
    )
)]
pub async fn did(State(app): State<App>) -> Result<Json<Value>, ApiError> {
    let issuing = issuing(&app)?;
    let ring = issuing.keyring();
    let Some(did) = ring.did_web() else {
        return Err(ApiError::not_found("签发者未使用 did:web", "the issuer does not use did:web"));
    };
    let domain = did.trim_start_matches("did:web:").replace(':', "/").replace("%3A", ":");
    Ok(Json(did_web_document(&domain, ring.trusted())))
}
