//! The one error type of the HTTP API. Every failure a client sees has the same JSON shape:
//! a stable machine code, a Chinese message and an English one, and for a bad parameter the
//! parameter's name. Internal causes are logged, never shown.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongjiang_app::AppError;
use gongjiang_app::accounts::AccountError;
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// Status of a timed-out request: the server, not the client, was too slow. The timeout layer
/// (`layers.rs`) answers with it, and [`ApiError::Timeout`] carries it.
pub const TIMEOUT_STATUS: StatusCode = StatusCode::SERVICE_UNAVAILABLE;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such record, or no such route.
    #[error("{0}")]
    NotFound(Msg),
    /// A query or path parameter that does not parse. `code` says what kind of value was
    /// expected (`invalid_level`, `invalid_date`, …), `param` names the parameter.
    #[error("{param}: {msg}")]
    BadParam { code: &'static str, param: &'static str, msg: Msg },
    /// A request that is malformed as a whole (e.g. an unknown query parameter).
    #[error("{0}")]
    BadRequest(Msg),
    /// Well-formed, but the registry's data cannot answer it (e.g. a person with no birth date
    /// asked about eligibility).
    #[error("{0}")]
    Unprocessable(Msg),
    /// The write collides with data already there (a unique key taken by another record).
    #[error("{0}")]
    Conflict(Msg),
    #[error("method not allowed")]
    MethodNotAllowed,
    #[error("request body too large")]
    PayloadTooLarge,
    /// The request took longer than the server allows.
    #[error("timed out")]
    Timeout,
    /// Not signed in: no live session cookie and no valid bearer API token.
    #[error("unauthorized")]
    Unauthorized,
    /// Sign-in with a wrong user name or password.
    #[error("bad credentials")]
    BadCredentials,
    /// Sign-in to an account locked after too many failures.
    #[error("locked")]
    Locked { retry_after_secs: u64 },
    /// A state-changing request on a cookie session without its CSRF token (or with another).
    #[error("csrf token missing or wrong")]
    CsrfRejected,
    /// Signed in, but the roles do not allow this.
    #[error("{0}")]
    Forbidden(Msg),
    /// A public endpoint called faster than its per-client rate allows.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// The database or another dependency is unavailable.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// A bug or an unexpected failure; the cause goes to the log only.
    #[error("internal: {0}")]
    Internal(String),
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code: `not_found`; `bad_request` (malformed or unknown query
    /// parameters); for a parameter that does not parse `invalid_level`, `invalid_date`,
    /// `invalid_limit`, `invalid_cursor`, `invalid_id`, `invalid_uscc`, `invalid_occupation`,
    /// `invalid_edition`, `invalid_kind`, `invalid_grouping`, `invalid_group`, `invalid_measure`,
    /// `unknown_district`, `unknown_industry`, `invalid_period`, `invalid_year`, `unknown_chain`;
    /// `invalid_rows` (some rows of a submitted array were rejected, 422; the rest were saved);
    /// `unprocessable` (the record cannot answer, 422); `conflict` (409, the write collides
    /// with data already there); `method_not_allowed`;
    /// `payload_too_large`; `unauthorized` (401, not signed in: no live session and no valid API
    /// token); `bad_credentials` (401, wrong user name or password at sign-in); `locked` (423,
    /// too many failed sign-ins, with `Retry-After`); `csrf_rejected` (403, a state-changing
    /// request on a cookie session without its `X-CSRF-Token`); `forbidden` (403, the roles do
    /// not allow it); `rate_limited` (429, with `Retry-After`); `timeout` and `unavailable` (503); `internal` (500).
    #[schema(example = "not_found")]
    pub code: String,
    #[schema(example = "未找到该人员")]
    pub message_zh: String,
    #[schema(example = "no such person")]
    pub message_en: String,
    /// The query or path parameter at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "level")]
    pub param: Option<String>,
}

impl ApiError {
    pub fn not_found(zh: impl Into<String>, en: impl Into<String>) -> ApiError {
        ApiError::NotFound(Msg::new(zh, en))
    }

    pub fn bad_param(
        code: &'static str,
        param: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> ApiError {
        ApiError::BadParam { code, param, msg: Msg::new(zh, en) }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadParam { .. } | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Timeout => TIMEOUT_STATUS,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Locked { .. } => StatusCode::LOCKED,
            ApiError::CsrfRejected => StatusCode::FORBIDDEN,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::BadParam { code, .. } => code,
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unprocessable(_) => "unprocessable",
            ApiError::Conflict(_) => "conflict",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::Timeout => "timeout",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::Locked { .. } => "locked",
            ApiError::CsrfRejected => "csrf_rejected",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// What the client reads. Causes of 5xx errors stay in the log.
    fn public_message(&self) -> Msg {
        match self {
            ApiError::NotFound(m)
            | ApiError::BadRequest(m)
            | ApiError::Unprocessable(m)
            | ApiError::Conflict(m)
            | ApiError::Forbidden(m) => m.clone(),
            ApiError::Unauthorized => Msg::new(
                "请先登录，或提供有效的 API 令牌（Authorization: Bearer gjt_…）",
                "sign in first, or send a valid API token (Authorization: Bearer gjt_…)",
            ),
            ApiError::BadCredentials => Msg::new("用户名或密码错误", "wrong user name or password"),
            ApiError::Locked { retry_after_secs } => Msg::new(
                format!("登录失败次数过多，账户已锁定，请 {retry_after_secs} 秒后再试"),
                format!("too many failed sign-ins: the account is locked; try again in {retry_after_secs} s"),
            ),
            ApiError::CsrfRejected => Msg::new(
                "缺少或错误的 CSRF 令牌（X-CSRF-Token），请刷新页面后重试",
                "the CSRF token (X-CSRF-Token) is missing or wrong; reload the page and try again",
            ),
            ApiError::BadParam { msg, .. } => msg.clone(),
            ApiError::MethodNotAllowed => {
                Msg::new("该路径不支持此请求方法", "this path does not support the request method")
            }
            ApiError::PayloadTooLarge => Msg::new("请求体过大", "the request body is too large"),
            ApiError::Timeout => Msg::new(
                "请求处理超时，请缩小查询范围或稍后再试",
                "the request timed out; narrow it or try again later",
            ),
            ApiError::RateLimited { retry_after_secs } => Msg::new(
                format!("查询过于频繁，请 {retry_after_secs} 秒后再试"),
                format!("too many requests; try again in {retry_after_secs} s"),
            ),
            ApiError::Unavailable(_) => {
                Msg::new("服务暂时不可用，请稍后再试", "the service is unavailable; try again later")
            }
            ApiError::Internal(_) => Msg::new("服务器内部错误", "internal server error"),
        }
    }

    pub fn body(&self) -> ErrorBody {
        let msg = self.public_message();
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_string(),
                message_zh: msg.zh,
                message_en: msg.en,
                param: match self {
                    ApiError::BadParam { param, .. } => Some((*param).to_string()),
                    _ => None,
                },
            },
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match &self {
            ApiError::Internal(cause) => tracing::error!(%cause, "internal error"),
            ApiError::Unavailable(cause) => tracing::warn!(%cause, "dependency unavailable"),
            _ => {}
        }
        let mut resp = (self.status(), Json(self.body())).into_response();
        if let ApiError::RateLimited { retry_after_secs } | ApiError::Locked { retry_after_secs } = self {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after_secs.into());
        }
        resp
    }
}

/// The one place store failures become answers (the pages' `UiError` goes through it too): a
/// missing record and a write outside the caller's scope are both 404 (the scope is not
/// revealed), a unique key taken by another record is 409, anything else is a 500.
impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound | StoreError::OutOfScope => ApiError::not_found("未找到", "not found"),
            StoreError::Conflict { constraint } => {
                tracing::info!(%constraint, "write conflicts with existing data");
                ApiError::Conflict(Msg::new(
                    "与已有数据冲突（可能已由他人提交），请刷新后重试",
                    "conflicts with existing data (perhaps submitted already); reload and try again",
                ))
            }
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        match e {
            AppError::NotFound(m) => ApiError::NotFound(m),
            AppError::Invalid(m) => ApiError::Unprocessable(m),
            AppError::BadFile(m) => ApiError::BadRequest(m),
            AppError::Store(s) => s.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        match e {
            AccountError::BadCredentials => ApiError::BadCredentials,
            AccountError::Locked { until } => {
                let left = (until - time::OffsetDateTime::now_utc()).as_seconds_f64().ceil();
                ApiError::Locked { retry_after_secs: (left as u64).max(1) }
            }
            AccountError::Disabled => ApiError::Forbidden(Msg::new("账户已停用", "the account is disabled")),
            AccountError::Invalid(m) | AccountError::Conflict(m) => ApiError::Unprocessable(m),
            AccountError::Denied(m) => ApiError::Forbidden(m),
            AccountError::NotFound(m) => ApiError::NotFound(m),
            AccountError::Store(s) => s.into(),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_conflicts_and_out_of_scope_writes_are_not_internal_errors() {
        let conflict = ApiError::from(StoreError::Conflict { constraint: "accounts.username".into() });
        assert_eq!(conflict.status(), StatusCode::CONFLICT);
        assert_eq!(conflict.code(), "conflict");
        let body = conflict.body().error;
        assert!(!body.message_zh.is_empty() && !body.message_en.is_empty());
        assert!(!body.message_en.contains("accounts.username"), "the constraint stays in the log");
        let out = ApiError::from(StoreError::OutOfScope);
        assert_eq!(out.status(), StatusCode::NOT_FOUND);
        assert_eq!(out.code(), "not_found");
        // Through the app's error too.
        let via_app = ApiError::from(AppError::Store(StoreError::Conflict { constraint: "x".into() }));
        assert_eq!(via_app.status(), StatusCode::CONFLICT);
    }
}
