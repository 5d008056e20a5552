//! The W3C VC API surface: `POST /credentials/verify` (public, rate-limited), the city's
//! Bitstring Status Lists and its `did:web` document (public), and `POST /credentials/issue`
//! and `POST /credentials/status` for callers with an API token that may write certificates.

pub mod did;
pub mod issue;
pub mod status;
pub mod status_list;
pub mod verify;

use std::sync::Arc;

use axum::body::Bytes;
use gongjiang_app::App;
use gongjiang_app::credentials::Issuing;
use gongjiang_domain::bilingual::Msg;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The issuer, or 503 when the server runs without a keyring.
pub(crate) fn issuing(app: &App) -> Result<&Arc<Issuing>, ApiError> {
    app.credentials.as_ref().ok_or_else(|| ApiError::Unavailable("no issuer keyring configured".into()))
}

/// A JSON body, answering a malformed one in the API's error shape.
pub(crate) fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|e| {
        ApiError::BadRequest(Msg::new(
            format!("请求体不是有效的 JSON：{e}"),
            format!("the body is not valid JSON: {e}"),
        ))
    })
}
