use std::time::Instant;

use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use gongjiang_app::App;
use gongjiang_app::accounts::{self, SESSION_LIFETIME};
use gongjiang_domain::access::Permissions;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{SessionView, SignIn};
use crate::api::credentials::json_body;
use crate::auth::{CurrentUser, Via, peer_ip};
use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignInRequest {
    #[schema(example = "wang.fang")]
    pub username: String,
    pub password: String,
}

/// 登录 · Sign in
///
/// Checks the password (Argon2id) and opens a server-side session: the response sets the
/// session cookie (`HttpOnly; SameSite=Strict`, `Secure` over HTTPS) and returns the CSRF token
/// that every state-changing request on the session must carry as `X-CSRF-Token`. Five
/// consecutive failures lock the account for 30 s, doubling with each further failure up to
/// an hour (423 with `Retry-After`); attempts are also limited per client address (429).
#[utoipa::path(
    post,
    operation_id = "sign_in",
    path = "/api/v1/session",
    tag = "session",
    request_body = SignInRequest,
    responses(
        (status = 201, description = "已登录，Set-Cookie 携带会话 / signed in; the session is in Set-Cookie", body = SessionView),
        (status = 400, description = "请求有误 / malformed", body = ErrorBody),
        (status = 401, description = "用户名或密码错误 / wrong user name or password", body = ErrorBody),
        (status = 403, description = "账户已停用 / the account is disabled", body = ErrorBody),
        (status = 423, description = "账户暂时锁定，见 Retry-After / locked for now, see Retry-After", body = ErrorBody),
        (status = 429, description = "尝试过于频繁 / too many attempts from this address", body = ErrorBody),
    )
)]
pub async fn create(
    State(app): State<App>,
    Extension(sign_in): Extension<SignIn>,
    req: axum::extract::Request,
) -> Result<Response, ApiError> {
    let client = peer_ip(req.extensions());
    if let Some(ip) = client
        && let Err(wait) = sign_in.limiter.check(ip, Instant::now())
    {
        return Err(ApiError::RateLimited { retry_after_secs: wait.as_secs().max(1) });
    }
    let body = axum::body::to_bytes(req.into_body(), crate::layers::BODY_LIMIT_BYTES)
        .await
        .map_err(|_| ApiError::PayloadTooLarge)?;
    let request: SignInRequest = json_body(&body)?;
    let client_addr = client.map(|a| a.to_string());
    let user =
        accounts::verify_password(&app.db, request.username.trim(), &request.password, client_addr.as_deref()).await?;
    let issued = accounts::issue_login(&app.db, &user, client_addr.as_deref()).await?;
    let roles = accounts::roles(&app.db, user.id).await?;
    let caller = CurrentUser {
        user_id: user.id,
        username: user.username.clone(),
        permissions: Permissions::of_roles(&roles),
        roles,
        client_addr: client,
        via: Via::Session { csrf_token: issued.csrf_token.clone(), expires_at: issued.expires_at },
        must_change_password: user.must_change_password,
    };
    let mut headers = HeaderMap::new();
    headers.insert(SET_COOKIE, sign_in.cookies.set(&issued.session_id, SESSION_LIFETIME.whole_seconds()));
    Ok((StatusCode::CREATED, headers, Json(SessionView::new(&user, &caller))).into_response())
}
