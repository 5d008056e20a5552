//! A worker applies to an evaluation session from their own page: the open sessions in the
//! occupations they are registered in or hold a level in, each with an "apply" button. The
//! application is judged by the eligibility engine at once (`evaluation::applications::apply`)
//! and the decision with its reason is shown; a refused one is kept for the institution to
//! review, as any application is.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::evaluation::applications::{self, Apply};
use gongjiang_domain::access::{Action, Resource, Role, Scope};
use gongjiang_store::{levels, persons, sessions, worklist};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{iso, level_name, render};

pub struct OpenSession {
    pub public_id: String,
    pub institution: String,
    pub occupation: String,
    pub level: String,
    pub theory_on: String,
}

#[derive(Template)]
#[template(path = "my_sessions.html")]
struct Card {
    l: Lang,
    csrf: String,
    sessions: Vec<OpenSession>,
    /// The decision on the application just made: (admitted, reason).
    decision: Option<(bool, String)>,
}

fn own_person(u: &SignedIn) -> Result<i64, UiError> {
    u.roles
        .iter()
        .find_map(|r| match r {
            Role::Worker { person } => Some(*person),
            _ => None,
        })
        .ok_or_else(|| {
            UiError::not_found("您的账户未关联劳动者本人档案", "your account is not linked to a worker's record")
        })
}

async fn card(app: &App, u: &SignedIn, l: Lang, decision: Option<(bool, String)>) -> Result<Response, UiError> {
    let person = own_person(u)?;
    let p = persons::get(&app.db, &Scope::all(), person)
        .await?
        .ok_or_else(|| UiError::not_found("档案不存在", "no such record"))?;
    let mut occupations: Vec<String> = p.occupation_code.into_iter().collect();
    for h in levels::history(&app.db, &Scope::all(), person).await? {
        if !occupations.contains(&h.occupation_code) {
            occupations.push(h.occupation_code);
        }
    }
    let sessions = worklist::sessions(&app.db, &Scope::all(), 500)
        .await?
        .into_iter()
        .filter(|s| s.status == "open" && occupations.contains(&s.occupation_code))
        .map(|s| OpenSession {
            public_id: s.public_id.to_string(),
            institution: s.institution_name,
            occupation: super::evaluation::occupation_text(app, &s.occupation_code),
            level: level_name(app, l, s.level),
            theory_on: iso(s.theory_on),
        })
        .collect();
    render(&Card { l, csrf: u.csrf.clone(), sessions, decision })
}

/// `GET /me/sessions`: the card on the worker's own page.
pub async fn list(State(app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    card(&app, u, l, None).await
}

#[derive(Debug, Deserialize)]
pub struct ApplyForm {
    session: String,
}

/// `POST /me/applications`: applies to an open session as oneself; the card comes back with the
/// engine's decision.
pub async fn apply(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Form(f): Form<ApplyForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::EvaluationApplications, Action::Write)?;
    let person = own_person(u)?;
    let p = persons::get(&app.db, &Scope::all(), person)
        .await?
        .ok_or_else(|| UiError::not_found("档案不存在", "no such record"))?;
    let s = sessions::by_public_id(&app.db, &Scope::all(), crate::params::uuid("session", &f.session)?)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个评价计划", "no such evaluation session"))?;
    let by = format!("本人 / the person ({})", u.actor().label);
    let a = Apply {
        session_id: s.id,
        id_number: &p.id_number,
        name: Some(&p.name),
        applied_on: app.today(),
        submitted_by: &by,
    };
    let decision = match applications::apply(&app, &u.actor(), &a).await {
        Ok(done) => (done.admitted, l.msg(&done.reason).to_string()),
        Err(gongjiang_app::AppError::Invalid(m) | gongjiang_app::AppError::NotFound(m)) => {
            (false, l.msg(&m).to_string())
        }
        Err(e) => return Err(e.into()),
    };
    card(&app, u, l, Some(decision)).await
}
