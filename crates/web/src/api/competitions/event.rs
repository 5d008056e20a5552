use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::competition::results;
use gongjiang_store::judging;

use super::{StandingsView, no_competition, no_event, standings_view};
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;

/// 竞赛成绩 · An event's published results
///
/// Public: the event and, once its results are published, each group's places with competitor
/// numbers, masked names, raw totals, the WorldSkills-scale score, awards and what each result
/// opens. Before publication `groups` is empty and `published_on` null.
#[utoipa::path(
    get,
    operation_id = "get_competition_event",
    path = "/api/v1/competitions/{code}/events/{event}",
    tag = "competitions",
    params(
        ("code" = String, Path, description = "竞赛代码 / the competition's code"),
        ("event" = String, Path, description = "赛项代码 / the event's code"),
    ),
    responses(
        (status = 200, description = "赛项及已公布的成绩 / the event and its published results", body = StandingsView),
        (status = 404, description = "无此竞赛或赛项 / no such competition or event", body = ErrorBody),
    )
)]
pub async fn show(
    State(app): State<App>,
    Path((code, event)): Path<(String, String)>,
) -> Result<Json<StandingsView>, ApiError> {
    let c = judging::competition_by_code(&app.db, code.trim()).await?.ok_or_else(no_competition)?;
    let e = judging::event_by_code(&app.db, c.id, event.trim()).await?.ok_or_else(no_event)?;
    let mut view = if e.published_on.is_some() {
        let entries = judging::entries_of(&app.db, e.id).await?;
        standings_view(&app, &results::standings_of(&app, &c, &e, &entries)?).await?
    } else {
        let st = results::Standings { competition: c, event: e, groups: Vec::new(), unsigned: Vec::new() };
        standings_view(&app, &st).await?
    };
    // The public does not see who is still waiting for sign-off.
    view.unsigned.clear();
    Ok(Json(view))
}
