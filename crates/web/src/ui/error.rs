//! What a page shows when it cannot show what was asked: an HTML page in the site's layout with
//! the reason in Chinese and English (the visitor's language is not always known when it fails),
//! or a redirect to sign in. The type lives here; `error_page.rs` renders it.

use axum::http::StatusCode;
use gongjiang_app::AppError;
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::StoreError;

use crate::error::ApiError;

#[derive(Debug)]
pub enum UiError {
    /// Not signed in: go to the sign-in page and come back to `next`.
    SignIn { next: String },
    /// Signed in with a password an administrator set: set one's own first (`/me/password`).
    ChangePassword,
    /// A page that cannot be shown, with the status and reason.
    Page { status: StatusCode, msg: Msg },
}

impl UiError {
    pub fn new(status: StatusCode, zh: impl Into<String>, en: impl Into<String>) -> UiError {
        UiError::Page { status, msg: Msg::new(zh, en) }
    }

    pub fn forbidden() -> UiError {
        UiError::new(
            StatusCode::FORBIDDEN,
            "您的角色无权查看此页面；如需要，请联系本单位或上级管理员授权",
            "your roles do not allow this page; ask your administrator if you need it",
        )
    }

    pub fn not_found(zh: impl Into<String>, en: impl Into<String>) -> UiError {
        UiError::new(StatusCode::NOT_FOUND, zh, en)
    }

    pub fn bad(msg: Msg) -> UiError {
        UiError::Page { status: StatusCode::BAD_REQUEST, msg }
    }

    /// A failure whose cause goes to the log only.
    pub fn internal(cause: impl std::fmt::Display) -> UiError {
        tracing::error!(%cause, "page failed");
        UiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务器内部错误，请稍后再试",
            "internal server error; please try again later",
        )
    }
}

impl From<ApiError> for UiError {
    fn from(e: ApiError) -> UiError {
        let status = e.status();
        if status.is_server_error() {
            return UiError::internal(e);
        }
        let body = e.body().error;
        UiError::Page { status, msg: Msg::new(body.message_zh, body.message_en) }
    }
}

impl From<AppError> for UiError {
    fn from(e: AppError) -> UiError {
        ApiError::from(e).into()
    }
}

impl From<StoreError> for UiError {
    fn from(e: StoreError) -> UiError {
        ApiError::from(e).into()
    }
}

impl From<askama::Error> for UiError {
    fn from(e: askama::Error) -> UiError {
        UiError::internal(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_conflicts_and_out_of_scope_writes_answer_as_in_the_api() {
        let status = |e: StoreError| match UiError::from(e) {
            UiError::Page { status, .. } => status,
            UiError::SignIn { .. } | UiError::ChangePassword => StatusCode::SEE_OTHER,
        };
        assert_eq!(status(StoreError::Conflict { constraint: "x".into() }), StatusCode::CONFLICT);
        assert_eq!(status(StoreError::OutOfScope), StatusCode::NOT_FOUND);
        assert_eq!(status(StoreError::NotFound), StatusCode::NOT_FOUND);
    }
}
