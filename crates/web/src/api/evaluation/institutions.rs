use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::institutions;

use super::InstitutionView;
use crate::error::ApiError;

/// 评价机构列表 · Filed evaluation institutions
#[utoipa::path(
    get,
    operation_id = "list_institutions",
    path = "/api/v1/institutions",
    tag = "evaluation",
    responses((status = 200, description = "全部备案评价机构（按备案顺序）/ every filed institution, in filing order", body = Vec<InstitutionView>))
)]
pub async fn list(State(app): State<App>) -> Result<Json<Vec<InstitutionView>>, ApiError> {
    let rows = institutions::list(&app.db).await?;
    Ok(Json(rows.into_iter().map(InstitutionView::from).collect()))
}
