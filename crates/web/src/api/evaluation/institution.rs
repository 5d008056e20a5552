use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::institutions;
use serde::Serialize;
use utoipa::ToSchema;

use super::{InstitutionScopeView, InstitutionView};
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::params;

#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionDetail {
    #[serde(flatten)]
    pub institution: InstitutionView,
    /// The filed scope: which occupations and levels it may evaluate, and when.
    pub scope: Vec<InstitutionScopeView>,
}

/// 评价机构及其备案范围 · One evaluation institution with its filed scope
#[utoipa::path(
    get,
    operation_id = "get_institution",
    path = "/api/v1/institutions/{public_id}",
    tag = "evaluation",
    params(("public_id" = uuid::Uuid, Path, description = "评价机构公开标识 / the institution's public_id")),
    responses(
        (status = 200, description = "评价机构 / the institution", body = InstitutionDetail),
        (status = 400, description = "不是 UUID / not a UUID", body = ErrorBody),
        (status = 404, description = "无此评价机构 / no such institution", body = ErrorBody),
    )
)]
pub async fn show(State(app): State<App>, Path(key): Path<String>) -> Result<Json<InstitutionDetail>, ApiError> {
    let id = params::uuid("public_id", key.trim())?;
    let i = institutions::by_public_id(&app.db, id)
        .await?
        .ok_or_else(|| ApiError::not_found("无此评价机构", "no such evaluation institution"))?;
    let scope = institutions::scope(&app.db, i.id).await?;
    Ok(Json(InstitutionDetail {
        scope: scope.into_iter().map(|r| InstitutionScopeView::new(&app.policy, &app.catalogue, r)).collect(),
        institution: i.into(),
    }))
}
