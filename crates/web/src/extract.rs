//! axum's `Query` and `Path`, answering a malformed request in the API's error shape instead
//! of axum's plain-text rejection.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use gongjiang_domain::bilingual::Msg;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// Query parameters. The structs deny unknown fields, so a misspelt filter is an error rather
/// than silently ignored; values arrive as text and are parsed by `params` with messages that
/// name the parameter.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(rejection) => {
                let detail = rejection.body_text();
                let detail = detail.strip_prefix("Failed to deserialize query string: ").unwrap_or(&detail);
                Err(ApiError::BadRequest(Msg::new(
                    format!("查询参数有误：{detail}"),
                    format!("malformed query string: {detail}"),
                )))
            }
        }
    }
}

/// Path parameters.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(Path(v)),
            Err(rejection) => {
                let detail = rejection.body_text();
                Err(ApiError::BadRequest(Msg::new(
                    format!("路径参数有误：{detail}"),
                    format!("malformed path parameter: {detail}"),
                )))
            }
        }
    }
}
