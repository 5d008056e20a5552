use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::evaluation::sessions as session_cases;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::evaluation::Staffing;
use gongjiang_store::{applications, institutions, sessions};
use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use super::InstitutionView;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::params;
use crate::views::{Bilingual, LevelLabel};
use gongjiang_domain::dates::serde_iso;

// Kept as a view (presentation work): adds the level's names from the policy and bilingual texts
// for checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub public_id: Uuid,
    pub institution: InstitutionView,
    #[schema(example = "6-18-01-01")]
    pub occupation: String,
    pub occupation_name: Option<String>,
    /// 工种/职业方向; empty when none.
    pub trade: String,
    pub level: LevelLabel,
    /// Edition of the occupational skill standard.
    pub standard_edition: String,
    #[serde(with = "serde_iso")]
    pub theory_on: Date,
    #[serde(with = "serde_iso")]
    pub practical_on: Date,
    /// Comprehensive review (综合评审), for the levels the policy reviews.
    #[serde(with = "serde_iso::option")]
    pub review_on: Option<Date>,
    pub site: String,
    pub capacity: i32,
    pub theory_rooms: i32,
    /// `planned`, `open`, `examined`, `publicity` or `final`.
    #[schema(example = "open")]
    pub status: String,
    pub status_name: Bilingual,
    /// First and last day of the publicity period (公示), once published.
    #[serde(with = "serde_iso::option")]
    pub published_on: Option<Date>,
    #[serde(with = "serde_iso::option")]
    pub publicity_ends_on: Option<Date>,
    pub counts: SessionCounts,
    pub staffing: StaffingView,
}

#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SessionCounts {
    pub applied: u32,
    pub admitted: u32,
    /// Admitted by override (破格).
    pub admitted_by_override: u32,
    pub refused: u32,
    pub passed: u32,
    pub failed: u32,
    pub withdrawn: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffCounts {
    pub invigilators: u32,
    pub examiners: u32,
    pub reviewers: u32,
}

impl From<Staffing> for StaffCounts {
    fn from(s: Staffing) -> StaffCounts {
        StaffCounts { invigilators: s.invigilators, examiners: s.examiners, reviewers: s.reviewers }
    }
}

// Kept as a view (presentation work): the app's staffing check with its missing roles as bilingual
// messages.
/// Staff needed for the admitted candidates under the policy's ratios, and what is missing.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffingView {
    pub required: StaffCounts,
    pub assigned: StaffCounts,
    pub missing: Vec<Bilingual>,
}

/// 评价计划 · One evaluation session with its progress and staffing
#[utoipa::path(
    get,
    operation_id = "get_session",
    path = "/api/v1/sessions/{public_id}",
    tag = "evaluation",
    params(("public_id" = uuid::Uuid, Path, description = "评价计划公开标识 / the session's public_id")),
    responses(
        (status = 200, description = "评价计划 / the session", body = SessionView),
        (status = 400, description = "不是 UUID / not a UUID", body = ErrorBody),
        (status = 404, description = "无此评价计划 / no such session", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权限 / not allowed", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Path(key): Path<String>,
) -> Result<Json<SessionView>, ApiError> {
    let scope = caller.require_some(Resource::EvaluationSessions, Action::Read)?;
    let id = params::uuid("public_id", key.trim())?;
    let s = sessions::by_public_id(&app.db, &scope, id)
        .await?
        .ok_or_else(|| ApiError::not_found("无此评价计划", "no such evaluation session"))?;
    let institution = institutions::get(&app.db, s.institution_id)
        .await?
        .ok_or_else(|| ApiError::not_found("无此评价机构", "no such evaluation institution"))?;
    let mut counts = SessionCounts::default();
    for a in applications::for_session(&app.db, s.id).await? {
        counts.applied += 1;
        match a.status.as_str() {
            "admitted" => counts.admitted += 1,
            _ => counts.refused += 1,
        }
        counts.admitted_by_override += u32::from(a.override_by.is_some());
        match a.result.as_deref() {
            Some("pass") => counts.passed += 1,
            Some("fail") => counts.failed += 1,
            Some("withdrawn") => counts.withdrawn += 1,
            _ => {}
        }
    }
    let check = session_cases::staffing(&app, s.id).await?;
    let assigned = sessions::staffing(&app.db, s.id).await?;
    let level = LevelLabel::from_rank(&app.policy, s.level)
        .ok_or_else(|| ApiError::Internal(format!("stored level {} is not on the ladder", s.level)))?;
    let status = s.status();
    let occupation_name = gongjiang_domain::occupation::OccupationCode::parse(&s.occupation_code)
        .ok()
        .and_then(|c| app.catalogue.name_of(&c).map(str::to_string));
    Ok(Json(SessionView {
        public_id: s.public_id,
        institution: institution.into(),
        occupation: s.occupation_code,
        occupation_name,
        trade: s.trade,
        level,
        standard_edition: s.standard_edition,
        theory_on: s.theory_on,
        practical_on: s.practical_on,
        review_on: s.review_on,
        site: s.site,
        capacity: s.capacity,
        theory_rooms: s.theory_rooms,
        status: status.code().to_string(),
        status_name: Bilingual { zh: status.zh().to_string(), en: status.en().to_string() },
        published_on: s.published_on,
        publicity_ends_on: s.publicity_ends_on,
        counts,
        staffing: StaffingView {
            required: check.required.into(),
            assigned: assigned.into(),
            missing: check.missing.into_iter().map(Bilingual::from).collect(),
        },
    }))
}
