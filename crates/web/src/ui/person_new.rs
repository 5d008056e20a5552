//! `/persons/new`: one person entered by hand, for a clerk without a spreadsheet. It goes through
//! the import (`gongjiang_app::registry_entry`): the same checks and reasons per field, the KPI
//! counts kept, the audit entry. A district officer enters persons of their own districts.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::registry_entry::{self, Entered};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, go_to, render};
use super::persons::Choice;

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

fn writer(viewer: &Viewer) -> Result<&SignedIn, UiError> {
    let u = viewer.require(Resource::Persons, Action::Write)?;
    let s = u.scope(Resource::Persons, Action::Write);
    if !s.is_all() && s.district_codes().is_empty() {
        // Entering persons is a district's or the city's job, not an organisation's.
        return Err(UiError::forbidden());
    }
    Ok(u)
}

fn page(
    app: &App,
    viewer: &Viewer,
    u: &SignedIn,
    l: Lang,
    f: PersonForm,
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
    })
}

/// `GET /persons/new`.
pub async fn form(State(app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = writer(&viewer)?;
    page(&app, &viewer, u, l, PersonForm { id_type: "resident_id".into(), ..Default::default() }, Vec::new())
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
    let u = writer(&viewer)?;
    let reach = u.scope(Resource::Persons, Action::Write);
    if !reach.is_all() && !reach.district_codes().contains(&f.district) {
        let why = l.t("请选择您所辖的区", "choose one of your districts").to_string();
        return page(&app, &viewer, u, l, f, vec![("district".into(), why)]);
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
    match registry_entry::add_person(&app, &u.actor(), &fields).await {
        Ok(Entered::Added(id)) => Ok(go_to(&headers, &format!("/persons/{id}"))),
        Ok(Entered::Refused(rows)) => {
            let problems =
                rows.iter().flat_map(|r| &r.errors).map(|e| (e.column.clone(), l.msg(&e.reason).to_string())).collect();
            page(&app, &viewer, u, l, f, problems)
        }
        Err(gongjiang_app::AppError::Invalid(m)) => {
            page(&app, &viewer, u, l, f, vec![(String::new(), l.msg(&m).to_string())])
        }
        Err(e) => Err(e.into()),
    }
}
