//! `/persons/new` and `/persons/{id}/edit`: one person entered or changed by hand, for a clerk
//! without a spreadsheet. Both go through the import (`gongjiang_app::registry_entry`): the same
//! checks and reasons per field, the KPI counts kept, the audit entry. A district officer enters
//! and changes persons of their own districts; the identity number of a registered person is not
//! changed here (a wrong number is a correction).

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::registry_entry::{self, Entry};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, go_to, iso, render};
use super::persons::Choice;
use super::registry_form;
use crate::extract::Path;

#[derive(Debug, Default, Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_type: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    employer_uscc: String,
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    education: String,
    #[serde(default)]
    employment_status: String,
    #[serde(default)]
    work_start: String,
}

#[derive(Template)]
#[template(path = "person_new.html")]
struct NewPage {
    c: Chrome,
    l: Lang,
    f: PersonForm,
    id_types: Vec<Choice>,
    districts: Vec<Choice>,
    educations: Vec<Choice>,
    statuses: Vec<Choice>,
    /// (field, reason) of each problem, or one general problem with an empty field.
    problems: Vec<(String, String)>,
    /// The registered person being changed (their public id), or none for a new one.
    editing: Option<String>,
}

fn choices<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
    en: fn(T) -> &'static str,
    l: Lang,
    selected: &str,
) -> Vec<Choice> {
    all.iter()
        .map(|v| Choice { value: code(*v).into(), label: l.t(zh(*v), en(*v)).into(), selected: code(*v) == selected })
        .collect()
}

fn page(
    app: &App,
    viewer: &Viewer,
    u: &SignedIn,
    l: Lang,
    (f, editing): (PersonForm, Option<String>),
    problems: Vec<(String, String)>,
) -> Result<Response, UiError> {
    let reach = u.scope(Resource::Persons, Action::Write);
    let districts = app
        .policy
        .districts
        .iter()
        .filter(|d| reach.is_all() || reach.district_codes().contains(&d.code))
        .map(|d| Choice {
            value: d.code.clone(),
            label: l.t(&d.name_zh, &d.name_en).into(),
            selected: d.code == f.district,
        })
        .collect();
    render(&NewPage {
        c: Chrome::new(l, viewer, "persons"),
        l,
        id_types: choices(IdType::ALL, IdType::code, IdType::zh, IdType::en, l, &f.id_type),
        educations: choices(Education::ALL, Education::code, Education::zh, Education::en, l, &f.education),
        statuses: choices(
            EmploymentStatus::ALL,
            EmploymentStatus::code,
            EmploymentStatus::zh,
            EmploymentStatus::en,
            l,
            &f.employment_status,
        ),
        districts,
        f,
        problems,
        editing,
    })
}

/// `GET /persons/new`.
pub async fn form(State(app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Persons)?;
    page(&app, &viewer, u, l, (PersonForm { id_type: "resident_id".into(), ..Default::default() }, None), Vec::new())
}

/// `POST /persons/new`: the person is added and their page opens; or the form comes back with
/// each problem beside its reason.
pub async fn add(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(f): Form<PersonForm>,
) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Persons)?;
    save(&app, &viewer, u, l, &headers, (f, None)).await
}

/// The registered person a writer may change: within their reach.
async fn registered(app: &App, u: &SignedIn, public_id: &str) -> Result<gongjiang_store::persons::Person, UiError> {
    let id = crate::params::uuid("public_id", public_id)?;
    let reach = u.scope(Resource::Persons, Action::Write);
    gongjiang_store::persons::by_public_id(&app.db, &reach, id)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个人员，或不在您的管辖范围内", "no such person within your reach"))
}

/// `GET /persons/{id}/edit`: the form with the record's values.
pub async fn edit_form(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(public_id): Path<String>,
) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Persons)?;
    let p = registered(&app, u, &public_id).await?;
    let f = PersonForm {
        id_number: p.id_number,
        name: p.name,
        id_type: p.id_type,
        district: p.district_code.unwrap_or_default(),
        employer_uscc: p.employer_uscc.unwrap_or_default(),
        occupation: p.occupation_code.unwrap_or_default(),
        education: p.education.unwrap_or_default(),
        employment_status: p.employment_status.unwrap_or_default(),
        work_start: p.work_start.map(iso).unwrap_or_default(),
    };
    page(&app, &viewer, u, l, (f, Some(p.public_id.to_string())), Vec::new())
}

/// `POST /persons/{id}/edit`: the changes are saved through the import and the page opens; the
/// identity number stays the record's, whatever the form sends.
pub async fn edit(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(public_id): Path<String>,
    Form(mut f): Form<PersonForm>,
) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Persons)?;
    let p = registered(&app, u, &public_id).await?;
    f.id_number = p.id_number;
    save(&app, &viewer, u, l, &headers, (f, Some(p.public_id.to_string()))).await
}

async fn save(
    app: &App,
    viewer: &Viewer,
    u: &SignedIn,
    l: Lang,
    headers: &HeaderMap,
    (f, editing): (PersonForm, Option<String>),
) -> Result<Response, UiError> {
    if let Some(problems) = registry_form::outside_districts(u, Resource::Persons, l, &f.district) {
        return page(app, viewer, u, l, (f, editing), problems);
    }
    let fields = [
        ("id_number", f.id_number.as_str()),
        ("name", f.name.as_str()),
        ("id_type", f.id_type.as_str()),
        ("district", f.district.as_str()),
        ("employer_uscc", f.employer_uscc.as_str()),
        ("occupation", f.occupation.as_str()),
        ("education", f.education.as_str()),
        ("employment_status", f.employment_status.as_str()),
        ("work_start", f.work_start.as_str()),
    ];
    let entry = if editing.is_some() { Entry::Change } else { Entry::Add };
    match registry_form::outcome(l, registry_entry::person(app, &u.actor(), entry, &fields).await)? {
        Ok(id) => Ok(go_to(headers, &format!("/persons/{id}"))),
        Err(problems) => page(app, viewer, u, l, (f, editing), problems),
    }
}
