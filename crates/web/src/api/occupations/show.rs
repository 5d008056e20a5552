use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::occupations;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{OccupationView, edition};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::params::{self, given};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EditionQuery {
    /// 大典版本 1999、2015 或 2022，默认 2022 · edition: 1999, 2015 or 2022, default 2022.
    edition: Option<String>,
}

/// 职业分类条目 · One entry of the classification
#[utoipa::path(
    get,
    operation_id = "get_occupation",
    path = "/api/v1/occupations/{code}",
    tag = "occupations",
    params(("code" = String, Path, description = "职业或类别代码 / occupation or category code, e.g. 6-18-01-01"), EditionQuery),
    responses(
        (status = 200, description = "条目 / the entry", body = OccupationView),
        (status = 400, description = "代码格式有误 / malformed code", body = ErrorBody),
        (status = 404, description = "该版本无此代码 / no such code in the edition", body = ErrorBody),
    )
)]
pub async fn show(
    State(app): State<App>,
    Path(code): Path<String>,
    Query(q): Query<EditionQuery>,
) -> Result<Json<OccupationView>, ApiError> {
    let code = params::occupation("code", &code)?;
    let edition = edition(given(&q.edition))?;
    let row = occupations::get(&app.db, edition.as_str(), code.as_str()).await?.ok_or_else(|| {
        ApiError::not_found(
            format!("{edition} 版职业分类中没有代码 {code}"),
            format!("the {edition} edition has no code {code}"),
        )
    })?;
    Ok(Json(row.into()))
}
