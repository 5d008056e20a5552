use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::competition::results;
use gongjiang_store::judging;

use super::{StandingsView, event_run_by, standings_view};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;

/// 当前排名 · An event's standings now (organisers)
///
/// The signed-off entrants ranked per group with raw and WorldSkills-scale scores and awards,
/// and the competitor numbers not signed off yet — before publication too.
#[utoipa::path(
    get,
    operation_id = "get_competition_standings",
    path = "/api/v1/competitions/{code}/events/{event}/standings",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    responses(
        (status = 200, description = "当前排名 / the standings", body = StandingsView),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 404, description = "无此竞赛或赛项，或不归本单位组织 / no such competition or event, or not the caller's", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Path((code, event)): Path<(String, String)>,
) -> Result<Json<StandingsView>, ApiError> {
    let (c, e) = event_run_by(&app, &caller, &code, &event).await?;
    let entries = judging::entries_of(&app.db, e.id).await?;
    let st = results::standings_of(&app, &c, &e, &entries)?;
    Ok(Json(standings_view(&app, &st).await?))
}
