use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::occupations;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{OccupationView, edition};
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::paging::{Listing, Page, PageRequest};
use crate::params::{self, given};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OccupationQuery {
    /// 大典版本 1999、2015 或 2022，默认 2022 · edition: 1999, 2015 or 2022, default 2022.
    #[param(example = "2022")]
    edition: Option<String>,
    /// 只列此类别的直接下级（如 `6-18`）· only the direct children of this category (`6-18`).
    parent: Option<String>,
    /// 名称包含此文字 · only entries whose name contains this text.
    q: Option<String>,
    /// 每页条数 1–500，默认 50 · page size, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// 上一页返回的 next 游标 · the `next` cursor of the previous page.
    after: Option<String>,
}

/// 职业分类列表 · List the occupational classification
#[utoipa::path(
    get,
    operation_id = "list_occupations",
    path = "/api/v1/occupations",
    tag = "occupations",
    params(OccupationQuery),
    responses(
        (status = 200, description = "一页职业分类条目（按代码排序）/ one page of entries, by code", body = Page<OccupationView>),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
    )
)]
pub async fn list(
    State(app): State<App>,
    Query(q): Query<OccupationQuery>,
) -> Result<Json<Page<OccupationView>>, ApiError> {
    let page = PageRequest::parse(Listing::Occupations, given(&q.limit), given(&q.after))?;
    let edition = edition(given(&q.edition))?;
    let parent = given(&q.parent).map(|s| params::occupation("parent", s)).transpose()?;
    // The catalogue is small and static, so its cursor is a position in code order.
    let offset = page.after.unwrap_or(0);
    let rows = occupations::list(
        &app.db,
        edition.as_str(),
        parent.as_ref().map(|c| c.as_str()),
        given(&q.q),
        page.fetch(),
        offset,
    )
    .await?;
    let numbered: Vec<_> = (offset + 1..).zip(rows).collect();
    Ok(Json(page.finish(numbered, |(position, _)| *position, |(_, row)| row.into())))
}
