//! `/evaluation`: skill-level evaluation (职业技能等级认定) as far as the app carries it —
//! sessions within the reader's reach; a session's applications with the eligibility engine's
//! reasons and any override (破格), scores, the publicity period (公示) with its objections, and
//! the certificates issued (PDF for those entitled). The actions are the app's use cases:
//! admitting a refused application by override, entering scores, lodging and resolving
//! objections.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::evaluation::{applications, results, scores};
use gongjiang_domain::access::{Action, Resource, Scope};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::evaluation::{Resolution, ResultStatus, SessionStatus};
use gongjiang_store::sessions::Session;
use gongjiang_store::{applications as app_store, certificates, institutions, sessions, worklist};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, iso, opt_iso, render};
use crate::api::persons::occupation_label;
use crate::extract::{Path, Query};
use crate::params;
use crate::views::mask_id_number;

/// The sessions a reader reaches: through the sessions they may read, and through the
/// applications they may file (an employer sees the sessions its staff applied to).
fn evaluation_reach(u: &SignedIn) -> Scope {
    u.scope(Resource::EvaluationSessions, Action::Read).union(&u.scope(Resource::EvaluationApplications, Action::Write))
}

fn reader(viewer: &Viewer) -> Result<&SignedIn, UiError> {
    let u = viewer.signed_in()?;
    if evaluation_reach(u).is_none() {
        return Err(UiError::forbidden());
    }
    Ok(u)
}

pub fn status_label(l: Lang, status: &str) -> (String, &'static str) {
    match SessionStatus::parse(status) {
        Some(s) => (
            l.t(s.zh(), s.en()).to_string(),
            match s {
                SessionStatus::Final => "ok",
                SessionStatus::Publicity => "warn",
                _ => "",
            },
        ),
        None => (status.to_string(), ""),
    }
}

pub struct SessionRow {
    pub href: String,
    pub institution: String,
    pub occupation: String,
    pub level: String,
    pub theory_on: String,
    pub status: String,
    pub status_class: &'static str,
    pub publicity_ends_on: String,
    pub applications: i64,
    pub admitted: i64,
    pub certificates: i64,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct ListPage {
    c: Chrome,
    l: Lang,
    sessions: Vec<SessionRow>,
    pages: super::pager::Numbered,
    /// The reader may file institutions or plan sessions (`/evaluation/setup`).
    may_set_up: bool,
}

/// Sessions a list reads at most, newest first.
const LIST_CAP: usize = 2_000;

/// `GET /evaluation`.
pub async fn list(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<super::pager::PageQuery>,
) -> Result<Response, UiError> {
    let u = reader(&viewer)?;
    let rows = worklist::sessions(&app.db, &evaluation_reach(u), LIST_CAP as i64 + 1).await?;
    let (rows, pages) = super::pager::numbered(rows, LIST_CAP, "/evaluation", "", &q, l);
    let sessions = rows
        .into_iter()
        .map(|s| {
            let (status, status_class) = status_label(l, &s.status);
            SessionRow {
                href: format!("/evaluation/sessions/{}", s.public_id),
                institution: s.institution_name,
                occupation: occupation_text(&app, &s.occupation_code),
                level: super::layout::level_name(&app, l, s.level),
                theory_on: iso(s.theory_on),
                status,
                status_class,
                publicity_ends_on: opt_iso(s.publicity_ends_on),
                applications: s.applications,
                admitted: s.admitted,
                certificates: s.certificates,
            }
        })
        .collect();
    let may_set_up = u.can(Resource::EvaluationSessions, Action::Write);
    render(&ListPage { c: Chrome::new(l, &viewer, "evaluation"), l, sessions, pages, may_set_up })
}

/// Whether a stored decision (the engine's JSON) says it rests on an inference.
fn decision_is_inferred(decision: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(decision).is_ok_and(|d| d["inferred"] == serde_json::Value::Bool(true))
}

pub fn occupation_text(app: &App, code: &str) -> String {
    format!("{code} {}", occupation_label(app, code).name_zh.unwrap_or_default())
}

fn tenths(v: Option<i32>) -> String {
    v.map(|t| format!("{}.{}", t / 10, t % 10)).unwrap_or_default()
}

pub struct ApplicationRow {
    pub id: i64,
    pub name: String,
    pub id_number: String,
    pub applied_on: String,
    pub admitted: bool,
    /// The engine's decision rests on an inferred rule or a condition it could not settle: the
    /// page says 待人工核实 rather than a plain "admitted".
    pub unsure: bool,
    pub reason: String,
    pub override_note: String,
    pub theory: String,
    pub practical: String,
    pub review: String,
    pub result: String,
    pub result_class: &'static str,
}

pub struct ObjectionRow {
    pub id: i64,
    pub name: String,
    pub lodged_by: String,
    pub lodged_at: String,
    pub text: String,
    pub open: bool,
    pub outcome: String,
}

pub struct CertificateRow {
    pub number: String,
    pub holder: String,
    pub level: String,
    pub issued_on: String,
    pub status: String,
    pub public_href: String,
    pub pdf_href: Option<String>,
}

#[derive(Template)]
#[template(path = "evaluation_session.html")]
struct SessionPage {
    c: Chrome,
    l: Lang,
    public_id: String,
    institution: String,
    occupation: String,
    level: String,
    trade: String,
    standard: String,
    theory_on: String,
    practical_on: String,
    review_on: String,
    site: String,
    capacity: i32,
    status: String,
    status_class: &'static str,
    published_on: String,
    publicity_ends_on: String,
    applications: Vec<ApplicationRow>,
    objections: Vec<ObjectionRow>,
    certificates: Vec<CertificateRow>,
    /// What the reader may do now.
    may_override: bool,
    may_score: bool,
    may_object: bool,
    may_resolve: bool,
    /// Examined, every admitted candidate scored: the results may go to publicity.
    may_publish: bool,
    /// Publicity over and no objection open: certificates may be issued.
    may_finalise: bool,
    /// The reader runs the session's institution: examiners and opening (loaded as a card).
    may_run: bool,
    hidden_applications: usize,
}

async fn session_in_reach(app: &App, u: &SignedIn, key: &str) -> Result<Session, UiError> {
    let id = params::uuid("public_id", key)?;
    // Reach is decided below (the institution's, or one of the applicants'), as the list does.
    let s = sessions::by_public_id(&app.db, &Scope::all(), id)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个评价计划", "no such evaluation session"))?;
    if !worklist::session_in_reach(&app.db, &evaluation_reach(u), s.id).await? {
        return Err(UiError::not_found("没有这个评价计划", "no such evaluation session"));
    }
    Ok(s)
}

/// `GET /evaluation/sessions/{public_id}`.
pub async fn show(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = reader(&viewer)?;
    let s = session_in_reach(&app, u, &key).await?;
    let institution = institutions::get(&app.db, s.institution_id).await?;
    let institution_org = institution.as_ref().and_then(|i| i.organisation_id);
    let session_target = gongjiang_domain::access::Target {
        districts: Default::default(),
        organisations: institution_org.into_iter().collect(),
        person: None,
    };
    let sessions_read = u.scope(Resource::EvaluationSessions, Action::Read);
    let sessions_write = u.scope(Resource::EvaluationSessions, Action::Write);
    let applications_write = u.scope(Resource::EvaluationApplications, Action::Write);
    // Whoever reads the session as such sees every application; others (an employer, a
    // worker) only the applications of persons they reach.
    let sees_all = sessions_read.admits(&session_target);
    let all = app_store::for_session(&app.db, s.id).await?;
    let total = all.len();
    let ids: Vec<i64> = all.iter().map(|a| a.person_id).collect();
    let reached = if sees_all {
        ids.iter().copied().collect()
    } else {
        gongjiang_store::persons::admitted(&app.db, &applications_write, &ids).await?
    };
    let visible: Vec<_> = all.into_iter().filter(|a| reached.contains(&a.person_id)).collect();
    let status = s.status();
    let may_score = status == SessionStatus::Examined && sessions_write.admits(&session_target);
    let applications = visible
        .into_iter()
        .map(|a| {
            let (result, result_class) = match a.result.as_deref().and_then(ResultStatus::parse) {
                Some(ResultStatus::Pass) => (l.t("合格", "pass").to_string(), "ok"),
                Some(ResultStatus::Fail) => (l.t("不合格", "fail").to_string(), "bad"),
                Some(ResultStatus::Withdrawn) => (l.t("缺考/退出", "withdrawn").to_string(), ""),
                None => (String::new(), ""),
            };
            ApplicationRow {
                id: a.id,
                id_number: mask_id_number(&a.id_number),
                applied_on: iso(a.applied_on),
                admitted: a.status == "admitted",
                unsure: a.override_by.is_none() && decision_is_inferred(&a.decision),
                reason: l.t(&a.reason_zh, &a.reason_en).to_string(),
                override_note: match (&a.override_by, &a.override_justification) {
                    (Some(by), Some(why)) => format!("{} {by}：{why}", l.t("破格准考", "admitted by override,")),
                    _ => String::new(),
                },
                theory: tenths(a.theory_tenths),
                practical: tenths(a.practical_tenths),
                review: tenths(a.review_tenths),
                result,
                result_class,
                name: a.name,
            }
        })
        .collect::<Vec<_>>();
    let hidden_applications = total - applications.len();
    let objections = worklist::objections_of_session(&app.db, s.id)
        .await?
        .into_iter()
        .filter(|o| sees_all || applications.iter().any(|a| a.id == o.application_id))
        .map(|o| ObjectionRow {
            id: o.id,
            name: o.name,
            lodged_by: o.lodged_by,
            lodged_at: super::layout::local_time(o.lodged_at),
            text: o.text,
            open: o.status == "open",
            outcome: match o.status.as_str() {
                "upheld" => format!(
                    "{}{} · {}",
                    l.t("异议成立，结果改为：", "upheld; result now: "),
                    o.new_result.unwrap_or_default(),
                    o.resolution_note.unwrap_or_default()
                ),
                "dismissed" => {
                    format!("{} · {}", l.t("异议不成立", "dismissed"), o.resolution_note.unwrap_or_default())
                }
                _ => l.t("待处理", "open").to_string(),
            },
        })
        .collect();
    let pdf_scope = u.scope(Resource::Certificates, Action::ReadPersonalData);
    let certificates = certificates::for_session(&app.db, s.id)
        .await?
        .into_iter()
        .filter(|c| sees_all || applications.iter().any(|a| Some(a.id) == c.application_id))
        .map(|c| {
            let target = gongjiang_domain::access::Target {
                districts: Default::default(),
                organisations: institution_org.into_iter().collect(),
                person: Some(c.person_id),
            };
            CertificateRow {
                public_href: format!("/v/{}", c.public_id),
                pdf_href: pdf_scope.admits(&target).then(|| format!("/certificates/{}/pdf", c.public_id)),
                status: match c.status.as_str() {
                    "valid" => l.t("有效", "valid"),
                    "suspended" => l.t("已暂停", "suspended"),
                    _ => l.t("已撤销", "revoked"),
                }
                .to_string(),
                number: c.number,
                holder: c.holder_name,
                level: c.level_text,
                issued_on: iso(c.issue_date),
            }
        })
        .collect();
    let (status_text, status_class) = status_label(l, &s.status);
    render(&SessionPage {
        c: Chrome::new(l, &viewer, "evaluation"),
        l,
        public_id: s.public_id.to_string(),
        institution: institution.map(|i| i.name).unwrap_or_default(),
        occupation: occupation_text(&app, &s.occupation_code),
        level: super::layout::level_name(&app, l, s.level),
        trade: s.trade.clone(),
        standard: s.standard_edition.clone(),
        theory_on: iso(s.theory_on),
        practical_on: iso(s.practical_on),
        review_on: opt_iso(s.review_on),
        site: s.site.clone(),
        capacity: s.capacity,
        status: status_text,
        status_class,
        published_on: opt_iso(s.published_on),
        publicity_ends_on: opt_iso(s.publicity_ends_on),
        applications,
        objections,
        certificates,
        may_override: status == SessionStatus::Open && !applications_write.is_none() && sees_all,
        may_score,
        may_object: status == SessionStatus::Publicity && !applications_write.is_none(),
        may_resolve: status == SessionStatus::Publicity && sessions_write.admits(&session_target),
        may_publish: status == SessionStatus::Examined && sessions_write.admits(&session_target),
        may_run: sessions_write.admits(&session_target),
        may_finalise: status == SessionStatus::Publicity
            && sessions_write.admits(&session_target)
            && s.publicity_ends_on.is_some_and(|end| app.today() > end),
        hidden_applications,
    })
}

/// The application a form names, within the session the path names.
async fn application_of(app: &App, s: &Session, id: i64) -> Result<app_store::Application, UiError> {
    app_store::get(&app.db, id)
        .await?
        .filter(|a| a.session_id == s.id)
        .ok_or_else(|| UiError::not_found("没有这份报名", "no such application"))
}

#[derive(Deserialize)]
pub struct OverrideForm {
    application: i64,
    justification: String,
}

/// `POST /evaluation/sessions/{public_id}/override`: admits a refused application (破格).
pub async fn admit_override(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<OverrideForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationApplications, Action::Write)?;
    let s = session_in_reach(&app, u, &key).await?;
    let a = application_of(&app, &s, f.application).await?;
    applications::admit_by_override(&app, &u.actor(), a.id, &format!("user:{}", u.username), &f.justification).await?;
    Ok(super::layout::go_to(&headers, &format!("/evaluation/sessions/{key}#application-{}", a.id)))
}

#[derive(Deserialize)]
pub struct ScoreForm {
    application: i64,
    theory: String,
    practical: String,
    #[serde(default)]
    review: String,
}

/// `POST /evaluation/sessions/{public_id}/scores`: one candidate's scores.
pub async fn score(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<ScoreForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let s = session_to_run(&app, u, &key).await?;
    // The candidate by application: the identity number stays on the server.
    let a = application_of(&app, &s, f.application).await?;
    scores::enter(
        &app,
        &u.actor(),
        s.id,
        &a.id_number,
        [&f.theory, &f.practical, &f.review],
        &format!("user:{}", u.username),
    )
    .await?;
    Ok(super::layout::go_to(&headers, &format!("/evaluation/sessions/{key}#applications")))
}

#[derive(Deserialize)]
pub struct ObjectionForm {
    application: i64,
    text: String,
}

/// `POST /evaluation/sessions/{public_id}/objections`: an objection during publicity.
pub async fn object(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<ObjectionForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationApplications, Action::Write)?;
    let s = session_in_reach(&app, u, &key).await?;
    let a = application_of(&app, &s, f.application).await?;
    results::lodge_objection(&app, &u.actor(), a.id, &format!("user:{}", u.username), &f.text).await?;
    Ok(super::layout::go_to(&headers, &format!("/evaluation/sessions/{key}#objections")))
}

#[derive(Deserialize)]
pub struct ResolveForm {
    objection: i64,
    /// `dismissed`, or the new result when upheld: `pass`, `fail`.
    outcome: String,
    note: String,
}

/// `POST /evaluation/sessions/{public_id}/objections/resolve`.
pub async fn resolve(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(key): Path<String>,
    Form(f): Form<ResolveForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let s = session_to_run(&app, u, &key).await?;
    let resolution = match f.outcome.as_str() {
        "dismissed" => Resolution::Dismissed,
        other => Resolution::Upheld {
            new_result: ResultStatus::parse(other)
                .ok_or_else(|| UiError::bad(Msg::new("处理结果无效", "choose how the objection is resolved")))?,
        },
    };
    let belongs = worklist::objections_of_session(&app.db, s.id).await?.iter().any(|o| o.id == f.objection);
    if !belongs {
        return Err(UiError::not_found("没有这项异议", "no such objection"));
    }
    results::resolve_objection(&app, &u.actor(), f.objection, resolution, &format!("user:{}", u.username), &f.note)
        .await?;
    Ok(super::layout::go_to(&headers, &format!("/evaluation/sessions/{key}#objections")))
}

/// The session a form names, if the reader may run it (its institution, or the city).
async fn session_to_run(app: &App, u: &SignedIn, key: &str) -> Result<Session, UiError> {
    let s = session_in_reach(app, u, key).await?;
    let org = institutions::get(&app.db, s.institution_id).await?.and_then(|i| i.organisation_id);
    let target = gongjiang_domain::access::Target {
        districts: Default::default(),
        organisations: org.into_iter().collect(),
        person: None,
    };
    if !u.permissions.allows(Resource::EvaluationSessions, Action::Write, &target) {
        return Err(UiError::forbidden());
    }
    Ok(s)
}

/// `POST /evaluation/sessions/{public_id}/publish`: the results go to publicity (公示) from today.
pub async fn publish(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let s = session_to_run(&app, u, &key).await?;
    results::publish(&app, &u.actor(), s.id).await?;
    Ok(super::layout::go_to(&headers, &format!("/evaluation/sessions/{key}#objections")))
}

/// `POST /evaluation/sessions/{public_id}/finalise`: publicity over, no objection open — the
/// certificates are issued (and signed) and written into the holders' level history.
pub async fn finalise(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationSessions, Action::Write)?;
    let s = session_to_run(&app, u, &key).await?;
    results::finalise(&app, &u.actor(), s.id, &format!("user:{}", u.username)).await?;
    Ok(super::layout::go_to(&headers, &format!("/evaluation/sessions/{key}#certificates")))
}
