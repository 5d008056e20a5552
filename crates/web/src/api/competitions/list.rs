use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::judging;
use serde::Serialize;
use utoipa::ToSchema;

use super::{CompetitionView, EventView, competition_view};
use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionList {
    pub items: Vec<CompetitionView>,
}

/// 职业技能竞赛 · Competitions and their events
///
/// Public: every competition with its events, newest first day first.
#[utoipa::path(
    get,
    operation_id = "list_competitions",
    path = "/api/v1/competitions",
    tag = "competitions",
    responses(
        (status = 200, description = "竞赛及其赛项 / competitions and their events", body = CompetitionList),
        (status = 503, description = "暂不可用 / unavailable", body = ErrorBody),
    )
)]
pub async fn list(State(app): State<App>) -> Result<Json<CompetitionList>, ApiError> {
    let mut items = Vec::new();
    for c in judging::competitions(&app.db).await? {
        let events = judging::events_of(&app.db, c.id).await?.iter().map(|e| EventView::new(&app, e)).collect();
        items.push(competition_view(&c, events));
    }
    Ok(Json(CompetitionList { items }))
}
