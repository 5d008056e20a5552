use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::accounts;

use super::SessionView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};

/// 当前用户 · Who is signed in, and what they may do
///
/// The user, their roles and the scope of every permission, for a session cookie or a bearer
/// token. For a session it also returns the CSRF token again (a reloaded page can fetch it).
#[utoipa::path(
    get,
    operation_id = "get_session",
    path = "/api/v1/session",
    tag = "session",
    security(("session" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "当前用户 / the caller", body = SessionView),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
    )
)]
pub async fn show(State(app): State<App>, caller: CurrentUser) -> Result<Json<SessionView>, ApiError> {
    let user = accounts::by_id(&app.db, caller.user_id).await?.ok_or(ApiError::Unauthorized)?;
    Ok(Json(SessionView::new(&user, &caller)))
}
