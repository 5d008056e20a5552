//! Setting evaluation up from the browser, as the CLI does: filing an institution and its scope
//! (city-wide officers), planning a session (the institution's own staff, or the city), and on
//! the session's page the examiners with the staffing check against the policy's ratios —
//! re-checked as each group is assigned — and opening applications. The rules are the app's
//! (`gongjiang_app::evaluation`); a refusal is shown on the form, in words.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::evaluation::institutions::{self as app_institutions, FileInstitution};
use gongjiang_app::evaluation::sessions::{self as app_sessions, PlanSession};
use gongjiang_app::{App, AppError};
use gongjiang_domain::access::{Action, Resource, Scope, Target};
use gongjiang_domain::evaluation::{ExaminerRole, SessionStatus};
use gongjiang_store::{institutions, sessions};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, go_to, iso, render};
use super::persons::{Choice, level_choices};
use crate::extract::{Path, Query};
use crate::params;

/// Whether the reader may run evaluation for an institution's organisation (or the city's own).
fn runs(u: &SignedIn, organisation: Option<i64>) -> bool {
    let target =
        Target { districts: Default::default(), organisations: organisation.into_iter().collect(), person: None };
    u.scope(Resource::EvaluationSessions, Action::Write).is_all()
        || u.permissions.allows(Resource::EvaluationSessions, Action::Write, &target)
}

fn city_wide(u: &SignedIn) -> bool {
    u.scope(Resource::EvaluationSessions, Action::Write).is_all()
}

/// The message of an app refusal, in the reader's language; other failures are errors.
fn refusal(l: Lang, e: AppError) -> Result<String, UiError> {
    match e {
        AppError::Invalid(m) | AppError::NotFound(m) => Ok(l.msg(&m).to_string()),
        AppError::Store(gongjiang_store::StoreError::Conflict { .. }) => {
            Ok(l.t("已存在相同的记录（同一编号已备案或已安排）", "the same record exists already").to_string())
        }
        other => Err(other.into()),
    }
}

pub struct InstitutionItem {
    pub public_id: String,
    pub name: String,
    pub code: String,
    pub scope: Vec<String>,
}

#[derive(Template)]
#[template(path = "evaluation_setup.html")]
struct SetupPage {
    c: Chrome,
    l: Lang,
    may_file: bool,
    institutions: Vec<InstitutionItem>,
    levels: Vec<Choice>,
    notice: String,
    error: String,
    province: String,
    today: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct SetupQuery {
    done: Option<String>,
}

async fn setup_page(app: &App, viewer: &Viewer, l: Lang, notice: String, error: String) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let mut items = Vec::new();
    for i in institutions::list(&app.db).await?.into_iter().filter(|i| runs(u, i.organisation_id)) {
        let scope = institutions::scope(&app.db, i.id)
            .await?
            .into_iter()
            .map(|r| {
                format!(
                    "{} · {} · {} {}",
                    r.occupation_code,
                    l.t(app.policy.ladder.name_zh(r.level), app.policy.ladder.name_en(r.level)),
                    l.t("自", "from"),
                    iso(r.valid_from)
                )
            })
            .collect();
        items.push(InstitutionItem {
            public_id: i.public_id.to_string(),
            code: format!("{}{}{}{}", i.category, i.body_code, i.province_code, i.site_serial),
            name: i.name,
            scope,
        });
    }
    render(&SetupPage {
        c: Chrome::new(l, viewer, "evaluation"),
        l,
        may_file: city_wide(u),
        institutions: items,
        levels: level_choices(app, l, None).into_iter().filter(|c| c.value != "1").collect(),
        notice,
        error,
        province: "12".into(),
        today: iso(app.today()),
    })
}

fn notice(l: Lang, done: Option<&str>) -> String {
    match done {
        Some("filed") => l.t("已备案评价机构", "institution filed"),
        Some("scope") => l.t("已备案评价范围", "scope filed"),
        _ => "",
    }
    .to_string()
}

/// `GET /evaluation/setup`.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<SetupQuery>,
) -> Result<Response, UiError> {
    setup_page(&app, &viewer, l, notice(l, q.done.as_deref()), String::new()).await
}

#[derive(Debug, Deserialize)]
pub struct FileForm {
    category: String,
    body_code: String,
    province: String,
    site_serial: String,
    name: String,
    #[serde(default)]
    organisation: String,
}

/// `POST /evaluation/institutions`: files an institution (city-wide officers).
pub async fn file(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(f): Form<FileForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    if !city_wide(u) {
        return Err(UiError::forbidden());
    }
    let filing = FileInstitution {
        category: f.category.trim(),
        body_code: f.body_code.trim(),
        province_code: f.province.trim(),
        site_serial: f.site_serial.trim(),
        name: f.name.trim(),
        organisation_uscc: Some(f.organisation.trim()).filter(|o| !o.is_empty()),
    };
    match app_institutions::file(&app, &u.actor(), &filing).await {
        Ok(_) => Ok(go_to(&headers, "/evaluation/setup?done=filed")),
        Err(e) => {
            let error = refusal(l, e)?;
            setup_page(&app, &viewer, l, String::new(), error).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ScopeForm {
    occupation: String,
    /// Level ranks, as the form's checkboxes send them, comma-joined by the browser or repeated.
    levels: String,
    from: String,
}

/// `POST /evaluation/institutions/{public_id}/scope`: occupation × levels from a date.
pub async fn add_scope(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<ScopeForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    if !city_wide(u) {
        return Err(UiError::forbidden());
    }
    let id = params::uuid("public_id", &key)?;
    let i = institutions::by_public_id(&app.db, id)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个评价机构", "no such institution"))?;
    let from = params::date("from", &f.from)?;
    for level in f.levels.split([',', '，']).map(str::trim).filter(|s| !s.is_empty()) {
        if let Err(e) =
            app_institutions::add_scope(&app, &u.actor(), i.id, f.occupation.trim(), level, from, None).await
        {
            let error = format!("{level}: {}", refusal(l, e)?);
            return setup_page(&app, &viewer, l, String::new(), error).await;
        }
    }
    Ok(go_to(&headers, "/evaluation/setup?done=scope"))
}

#[derive(Debug, Deserialize)]
pub struct PlanForm {
    institution: String,
    occupation: String,
    #[serde(default)]
    trade: String,
    level: String,
    standard: String,
    theory_on: String,
    practical_on: String,
    #[serde(default)]
    review_on: String,
    site: String,
    capacity: String,
    rooms: String,
}

/// `POST /evaluation/sessions`: plans a session of an institution the reader runs; on to its page.
pub async fn plan(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(f): Form<PlanForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let i = institutions::by_public_id(&app.db, params::uuid("institution", &f.institution)?)
        .await?
        .filter(|i| runs(u, i.organisation_id))
        .ok_or_else(|| UiError::not_found("没有这个评价机构", "no such institution"))?;
    let number = |name: &'static str, v: &str| {
        v.trim().parse::<u32>().ok().filter(|n| *n >= 1).ok_or_else(|| {
            UiError::bad(gongjiang_domain::bilingual::Msg::new(
                format!("{name} 应为正整数"),
                format!("{name} must be a whole number, 1 or more"),
            ))
        })
    };
    let review_on = params::given(&Some(f.review_on.clone())).map(|d| params::date("review_on", d)).transpose()?;
    let plan = PlanSession {
        institution_id: i.id,
        occupation: f.occupation.trim(),
        trade: f.trade.trim(),
        level: f.level.trim(),
        standard_edition: f.standard.trim(),
        theory_on: params::date("theory_on", &f.theory_on)?,
        practical_on: params::date("practical_on", &f.practical_on)?,
        review_on,
        site: f.site.trim(),
        capacity: number("capacity", &f.capacity)?,
        theory_rooms: number("rooms", &f.rooms)?,
    };
    match app_sessions::plan(&app, &u.actor(), &plan).await {
        Ok(id) => {
            let s =
                sessions::get(&app.db, id).await?.ok_or_else(|| UiError::internal("the planned session is gone"))?;
            Ok(go_to(&headers, &format!("/evaluation/sessions/{}", s.public_id)))
        }
        Err(e) => {
            let error = refusal(l, e)?;
            setup_page(&app, &viewer, l, String::new(), error).await
        }
    }
}

#[derive(Template)]
#[template(path = "evaluation_staffing.html")]
struct StaffingCard {
    l: Lang,
    csrf: String,
    href: String,
    planned: bool,
    may_assign: bool,
    staffed: bool,
    required: [(String, u32, u32); 3],
    missing: Vec<String>,
    error: String,
}

/// The session a form names, if the reader runs its institution.
async fn session_run_by(app: &App, u: &SignedIn, key: &str) -> Result<sessions::Session, UiError> {
    let not_found = || UiError::not_found("没有这个评价计划", "no such evaluation session");
    let s =
        sessions::by_public_id(&app.db, &Scope::all(), params::uuid("public_id", key)?).await?.ok_or_else(not_found)?;
    let org = institutions::get(&app.db, s.institution_id).await?.and_then(|i| i.organisation_id);
    if !runs(u, org) {
        return Err(not_found());
    }
    Ok(s)
}

async fn card(app: &App, u: &SignedIn, l: Lang, key: &str, error: String) -> Result<Response, UiError> {
    let s = session_run_by(app, u, key).await?;
    let check = app_sessions::staffing(app, s.id).await?;
    let have = gongjiang_store::sessions::staffing(&app.db, s.id).await?;
    let status = SessionStatus::parse(&s.status);
    render(&StaffingCard {
        l,
        csrf: u.csrf.clone(),
        href: format!("/evaluation/sessions/{key}"),
        planned: status == Some(SessionStatus::Planned),
        may_assign: status.is_some_and(|st| st <= SessionStatus::Open),
        staffed: check.is_ok(),
        required: [
            (l.t("监考人员", "Invigilators").to_string(), check.required.invigilators, have.invigilators),
            (l.t("考评人员", "Examiners").to_string(), check.required.examiners, have.examiners),
            (l.t("评审委员", "Review panel").to_string(), check.required.reviewers, have.reviewers),
        ],
        missing: check.missing.iter().map(|m| l.msg(m).to_string()).collect(),
        error,
    })
}

/// `GET /evaluation/sessions/{public_id}/staffing`: the staffing card the session page loads.
pub async fn staffing(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    card(&app, u, l, &key, String::new()).await
}

#[derive(Debug, Deserialize)]
pub struct ExaminersForm {
    role: String,
    names: String,
}

/// `POST /evaluation/sessions/{public_id}/examiners`: assigns names to a role and answers with the
/// card re-checked (the page swaps it in place).
pub async fn examiners(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
    Form(f): Form<ExaminersForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let s = session_run_by(&app, u, &key).await?;
    let role = ExaminerRole::parse(&f.role)
        .ok_or_else(|| UiError::bad(gongjiang_domain::bilingual::Msg::new("请选择考评人员类别", "choose the role")))?;
    let names: Vec<&str> = f.names.split([',', '，', '、', '\n']).collect();
    let error = match app_sessions::assign_examiners(&app, &u.actor(), s.id, role, &names).await {
        Ok(_) => String::new(),
        Err(e) => refusal(l, e)?,
    };
    card(&app, u, l, &key, error).await
}

/// `POST /evaluation/sessions/{public_id}/open`: planned → open for applications.
pub async fn open(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let s = session_run_by(&app, u, &key).await?;
    match app_sessions::open_applications(&app, &u.actor(), s.id).await {
        Ok(()) => Ok(go_to(&headers, &format!("/evaluation/sessions/{key}"))),
        Err(e) => {
            let error = refusal(l, e)?;
            card(&app, u, l, &key, error).await
        }
    }
}
