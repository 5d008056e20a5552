use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_app::accounts;

use super::SignIn;
use crate::auth::{CookieSession, CurrentUser, Via};
use crate::error::{ApiError, ErrorBody};

/// 退出登录 · Sign out
///
/// Ends the cookie's session on the server and tells the browser to forget the cookie. Needs
/// the session's `X-CSRF-Token` like every state-changing request.
#[utoipa::path(
    delete,
    operation_id = "sign_out",
    path = "/api/v1/session",
    tag = "session",
    security(("session" = [])),
    responses(
        (status = 204, description = "已退出 / signed out"),
        (status = 401, description = "未登录 / no live session", body = ErrorBody),
        (status = 403, description = "缺少 CSRF 令牌 / no CSRF token", body = ErrorBody),
    )
)]
pub async fn delete(
    State(app): State<App>,
    Extension(sign_in): Extension<SignIn>,
    caller: CurrentUser,
    session: Option<Extension<CookieSession>>,
) -> Result<Response, ApiError> {
    // `CurrentUser` has checked the CSRF token; a token caller has no session to end.
    let (Via::Session { .. }, Some(Extension(session))) = (&caller.via, session) else {
        return Err(ApiError::Unauthorized);
    };
    accounts::end_login(&app.db, &caller.actor(), &session.session_id).await?;
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, sign_in.cookies.clear())]).into_response())
}
