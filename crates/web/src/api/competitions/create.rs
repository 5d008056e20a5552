use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use gongjiang_app::App;
use gongjiang_app::competition::setup;
use gongjiang_domain::access::{Action, Resource, Role};
use gongjiang_store::judging;
use serde::Deserialize;
use utoipa::ToSchema;

use super::{CompetitionView, body, competition_view};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::params;

/// A new competition.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCompetition {
    /// Unique code, e.g. `HHGJ2026`.
    #[schema(example = "HHGJ2026")]
    pub code: String,
    #[schema(example = "2026年海河工匠杯焊工竞赛")]
    pub name: String,
    /// A tier code (`city_1` …) or its Chinese name (市级一类 …).
    #[schema(example = "city_1")]
    pub tier: String,
    /// 主办单位.
    #[schema(example = "天津市人社局")]
    pub organiser: String,
    /// First day, `YYYY-MM-DD`.
    #[schema(example = "2026-05-10")]
    pub starts_on: String,
}

/// 创建竞赛 · Create a competition
///
/// Competitions write. A competition organiser's competition belongs to its organisation (only
/// it and the city run it); a city-wide officer's to the city. Audited `competition.create`.
#[utoipa::path(
    post,
    operation_id = "create_competition",
    path = "/api/v1/competitions",
    tag = "competitions",
    request_body = NewCompetition,
    responses(
        (status = 201, description = "已创建 / created", body = CompetitionView),
        (status = 400, description = "请求体无效 / the body is not valid", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无竞赛管理权限 / may not run competitions", body = ErrorBody),
        (status = 422, description = "代码已被使用、级别或日期无效 / code taken, tier or date not valid", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn create(
    State(app): State<App>,
    caller: CurrentUser,
    bytes: Bytes,
) -> Result<(StatusCode, Json<CompetitionView>), ApiError> {
    let scope = caller.require_some(Resource::Competitions, Action::Write)?;
    let n: NewCompetition = body(&bytes)?;
    let starts_on = params::date("starts_on", &n.starts_on)?;
    let organisation_id = if scope.is_all() {
        None
    } else {
        caller.roles.iter().find_map(|r| match r {
            Role::CompetitionOrganiser { organisation } => Some(*organisation),
            _ => None,
        })
    };
    let input = setup::CompetitionInput {
        code: &n.code,
        name: &n.name,
        tier: &n.tier,
        organiser: &n.organiser,
        organisation_id,
        starts_on,
    };
    setup::create(&app, &caller.actor(), &input).await?;
    let c = judging::competition_by_code(&app.db, n.code.trim())
        .await?
        .ok_or_else(|| ApiError::Internal("the competition just created is missing".into()))?;
    Ok((StatusCode::CREATED, Json(competition_view(&c, Vec::new()))))
}
