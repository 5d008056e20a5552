use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::accounts;
use gongjiang_domain::access::{Action, Resource, Scope};
use gongjiang_domain::registry::LevelSource;
use gongjiang_store::employment::{self, Spell};
use gongjiang_store::levels::{self, LevelRecord};
use gongjiang_store::persons::{self, Person};
use serde::Serialize;
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;

use super::{EmployerRef, PersonView, occupation_label};
use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::params;
use crate::views::{Label, LevelLabel, rfc3339};
use gongjiang_domain::dates::serde_iso;

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDetail {
    #[serde(flatten)]
    pub person: PersonView,
    /// Every level ever recorded, oldest first, revoked ones included.
    pub levels: Vec<LevelEntry>,
    /// Employment spells, earliest first.
    pub employment: Vec<EmploymentSpell>,
}

/// One entry of the level history.
#[derive(Debug, Serialize, ToSchema)]
pub struct LevelEntry {
    pub occupation: Label,
    /// Sub-trade (工种/职业方向); empty when none.
    pub trade: String,
    pub level: Option<LevelLabel>,
    #[serde(with = "serde_iso")]
    pub obtained_on: Date,
    /// How it was obtained: `exam`, `enterprise_evaluation`, `competition`, `appointment`, `legacy`.
    pub source: Label,
    pub certificate_no: Option<String>,
    /// Credit code of the issuing institution.
    pub issuer_uscc: Option<String>,
    /// Who recorded it: a user name, or `import:FILE`.
    pub recorded_by: String,
    #[serde(with = "rfc3339")]
    pub recorded_at: OffsetDateTime,
    #[serde(with = "serde_iso::option")]
    pub revoked_on: Option<Date>,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmploymentSpell {
    pub employer: EmployerRef,
    #[serde(with = "serde_iso")]
    pub start_on: Date,
    /// `null` while the spell is open.
    #[serde(with = "serde_iso::option")]
    pub end_on: Option<Date>,
    pub occupation: Option<Label>,
}

/// 人员详情（含等级记录与从业经历）· One person with level history and employment
#[utoipa::path(
    get,
    operation_id = "get_person",
    path = "/api/v1/persons/{public_id}",
    tag = "persons",
    params(("public_id" = uuid::Uuid, Path, description = "人员公开标识 / the person's public id")),
    responses(
        (status = 200, description = "人员详情；有个人信息查看权限时证件号码完整（并记入审计日志），否则脱敏 / the person; the identity number in full (and the read audited) for callers who may read personal data, masked otherwise", body = PersonDetail),
        (status = 400, description = "public_id 不是 UUID / public_id is not a UUID", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "无权查看人员 / may not read persons", body = ErrorBody),
        (status = 404, description = "无此人员，或不在您的范围内 / no such person within your scope", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn show(
    State(app): State<App>,
    caller: CurrentUser,
    Path(public_id): Path<String>,
) -> Result<Json<PersonDetail>, ApiError> {
    let scope = caller.require_some(Resource::Persons, Action::Read)?;
    let person = find(&app, &scope, &public_id).await?;
    let history = levels::history(&app.db, &caller.scope(Resource::Levels, Action::Read), person.id).await?;
    let spells = employment::for_person(&app.db, &scope, person.id).await?;
    let personal = caller.scope(Resource::Persons, Action::ReadPersonalData);
    let full = persons::admitted(&app.db, &personal, &[person.id]).await?.contains(&person.id);
    if full {
        // The whole identity number leaves only once the read is in the audit trail.
        let actor = caller.actor();
        accounts::record_reads(
            &app.db,
            &actor,
            "person.read_personal_data",
            "persons",
            &[person.public_id.to_string()],
        )
        .await?;
    }
    Ok(Json(PersonDetail {
        levels: history.into_iter().map(|l| level_entry(&app, l)).collect(),
        employment: spells.into_iter().map(|s| employment_spell(&app, s)).collect(),
        person: if full { PersonView::revealed(&app, person) } else { PersonView::new(&app, person) },
    }))
}

/// The person named by a `{public_id}` path segment, if `scope` reaches them: 404 otherwise,
/// whether they exist or not (a caller learns nothing about records outside their scope).
pub async fn find(app: &App, scope: &Scope, public_id: &str) -> Result<Person, ApiError> {
    let id = params::uuid("public_id", public_id)?;
    persons::by_public_id(&app.db, scope, id).await?.ok_or_else(|| ApiError::not_found("无此人员", "no such person"))
}

fn level_entry(app: &App, l: LevelRecord) -> LevelEntry {
    LevelEntry {
        occupation: occupation_label(app, &l.occupation_code),
        trade: l.trade,
        level: LevelLabel::from_rank(&app.policy, l.level),
        obtained_on: l.obtained_on,
        source: Label::of::<LevelSource>(&l.source),
        certificate_no: l.certificate_no,
        issuer_uscc: l.issuer_uscc,
        recorded_by: l.recorded_by,
        recorded_at: l.recorded_at,
        revoked_on: l.revoked_on,
        revoked_reason: l.revoked_reason,
    }
}

fn employment_spell(app: &App, s: Spell) -> EmploymentSpell {
    EmploymentSpell {
        employer: EmployerRef { uscc: s.employer_uscc, name: Some(s.employer_name) },
        start_on: s.start_on,
        end_on: s.end_on,
        occupation: s.occupation_code.as_deref().map(|c| occupation_label(app, c)),
    }
}
