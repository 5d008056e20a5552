//! What wraps every route: tracing, panic catching, a body limit, a timeout, and one rule that
//! gives any error response produced outside a handler (timeout, body limit, unknown method)
//! the API's JSON error shape (the pages' HTML error pages excepted).

use std::any::Any;
use std::time::Duration;

use axum::Json;
use axum::extract::{MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongjiang_domain::bilingual::Msg;
use tracing::Span;

use crate::error::{ApiError, TIMEOUT_STATUS};

/// The API reads no request bodies yet; this bounds what a client can make the server buffer.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;
/// Longest a request may run before the client gets a 503 `timeout`.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// `Cache-Control: no-store` on every response that does not choose its own caching (the
/// static assets do): API answers carry identity numbers, names and records, and no browser
/// cache or proxy on the way may keep them.
pub async fn no_store_unless_set(mut resp: Response) -> Response {
    resp.headers_mut()
        .entry(axum::http::header::CACHE_CONTROL)
        .or_insert(axum::http::HeaderValue::from_static("no-store"));
    resp
}

/// Replaces the body of a non-JSON error response with the API's error shape, keeping its
/// status and headers (e.g. `Allow` on a 405).
pub async fn json_errors(resp: Response) -> Response {
    let status = resp.status();
    let content_type = resp.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    // JSON errors are already in shape; HTML ones are the pages' own error pages.
    let is_json = content_type.starts_with("application/json");
    let is_page = content_type.starts_with("text/html");
    if !(status.is_client_error() || status.is_server_error()) || is_json || is_page {
        return resp;
    }
    let err = match status {
        StatusCode::NOT_FOUND => no_such_endpoint(),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge,
        TIMEOUT_STATUS => ApiError::Timeout,
        s if s.is_client_error() => {
            ApiError::BadRequest(Msg::new(format!("请求有误（{s}）"), format!("bad request ({s})")))
        }
        s => ApiError::Internal(format!("{s} produced outside a handler")),
    };
    if let ApiError::Internal(cause) = &err {
        tracing::error!(%cause, "internal error");
    }
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let (body_parts, body) = Json(err.body()).into_response().into_parts();
    parts.headers.extend(body_parts.headers);
    Response::from_parts(parts, body)
}

/// A handler that panicked: logged with its message, answered as a generic 500.
pub fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    ApiError::Internal(format!("handler panicked: {detail}")).into_response()
}

/// The span of one request: method and path, but not the query string, which may hold a
/// person's name or other filter values that do not belong in logs.
pub fn request_span(req: &Request) -> Span {
    let route = req.extensions().get::<MatchedPath>().map(MatchedPath::as_str).unwrap_or_default();
    tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), route)
}

/// The fallback for paths no route matches.
pub async fn no_route() -> ApiError {
    no_such_endpoint()
}

fn no_such_endpoint() -> ApiError {
    ApiError::not_found("没有这个接口（见 /api/docs）", "no such endpoint (see /api/docs)")
}
