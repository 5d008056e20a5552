//! `/organisations/new` and `/organisations/{id}/edit`: one organisation entered or changed by
//! hand. Both go through the organisations import (`gongjiang_app::registry_entry`): the same
//! checks and reasons per field and the same audit entry. A district officer enters and changes
//! organisations of their own districts; the credit code of a registered organisation is kept.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::registry_entry::{self, Entry};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::registry::OrgKind;
use gongjiang_store::organisations::{self, Organisation};

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, go_to, render};
use super::persons::Choice;
use super::registry_form;
use crate::extract::Path;

/// The form's values; `chains` are the policy's chain ids ticked.
#[derive(Debug, Default)]
pub struct OrgForm {
    uscc: String,
    name: String,
    kind: String,
    district: String,
    industry: String,
    chains: Vec<String>,
}

impl OrgForm {
    /// From the posted pairs (a ticked box sends `chains` once per chain).
    fn from_pairs(pairs: Vec<(String, String)>) -> OrgForm {
        let mut f = OrgForm::default();
        for (k, v) in pairs {
            match k.as_str() {
                "uscc" => f.uscc = v,
                "name" => f.name = v,
                "kind" => f.kind = v,
                "district" => f.district = v,
                "industry" => f.industry = v,
                "chains" => f.chains.push(v),
                _ => {}
            }
        }
        f
    }
}

#[derive(Template)]
#[template(path = "organisation_form.html")]
struct FormPage {
    c: Chrome,
    l: Lang,
    f: OrgForm,
    kinds: Vec<Choice>,
    districts: Vec<Choice>,
    industries: Vec<Choice>,
    chains: Vec<Choice>,
    problems: Vec<(String, String)>,
    /// The registered organisation being changed (its public id), or none for a new one.
    editing: Option<String>,
}

fn page(
    app: &App,
    viewer: &Viewer,
    u: &SignedIn,
    l: Lang,
    (f, editing): (OrgForm, Option<String>),
    problems: Vec<(String, String)>,
) -> Result<Response, UiError> {
    let reach = u.scope(Resource::Organisations, Action::Write);
    let choice =
        |value: &str, label: &str, selected: bool| Choice { value: value.into(), label: label.into(), selected };
    let policy = &app.policy;
    render(&FormPage {
        c: Chrome::new(l, viewer, "organisations"),
        l,
        kinds: OrgKind::ALL.iter().map(|k| choice(k.code(), l.t(k.zh(), k.en()), f.kind == k.code())).collect(),
        districts: policy
            .districts
            .iter()
            .filter(|d| reach.is_all() || reach.district_codes().contains(&d.code))
            .map(|d| choice(&d.code, l.t(&d.name_zh, &d.name_en), d.code == f.district))
            .collect(),
        industries: policy
            .industries
            .iter()
            .map(|i| choice(&i.code, &format!("{} {}", i.code, l.t(&i.name_zh, &i.name_en)), i.code == f.industry))
            .collect(),
        chains: policy
            .industrial_chains
            .iter()
            .map(|c| choice(&c.id, l.t(&c.name_zh, &c.name_en), f.chains.contains(&c.id)))
            .collect(),
        f,
        problems,
        editing,
    })
}

/// `GET /organisations/new`.
pub async fn form(State(app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Organisations)?;
    page(&app, &viewer, u, l, (OrgForm { kind: "enterprise".into(), ..OrgForm::default() }, None), Vec::new())
}

/// `POST /organisations/new`.
pub async fn add(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Organisations)?;
    save(&app, &viewer, u, l, &headers, (OrgForm::from_pairs(pairs), None)).await
}

async fn registered(app: &App, u: &SignedIn, public_id: &str) -> Result<Organisation, UiError> {
    let id = crate::params::uuid("public_id", public_id)?;
    organisations::by_public_id(&app.db, &u.scope(Resource::Organisations, Action::Write), id).await?.ok_or_else(|| {
        UiError::not_found("没有这个单位，或不在您的管辖范围内", "no such organisation within your reach")
    })
}

/// `GET /organisations/{id}/edit`: the form with the record's values.
pub async fn edit_form(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(public_id): Path<String>,
) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Organisations)?;
    let o = registered(&app, u, &public_id).await?;
    let f = OrgForm {
        chains: organisations::chains_of(&app.db, &o.uscc).await?,
        uscc: o.uscc,
        name: o.name,
        kind: o.kind,
        district: o.district_code,
        industry: o.industry.unwrap_or_default(),
    };
    page(&app, &viewer, u, l, (f, Some(o.public_id.to_string())), Vec::new())
}

/// `POST /organisations/{id}/edit`: the credit code stays the record's, whatever is sent.
pub async fn edit(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(public_id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, UiError> {
    let u = registry_form::writer(&viewer, Resource::Organisations)?;
    let o = registered(&app, u, &public_id).await?;
    let mut f = OrgForm::from_pairs(pairs);
    f.uscc = o.uscc;
    save(&app, &viewer, u, l, &headers, (f, Some(o.public_id.to_string()))).await
}

async fn save(
    app: &App,
    viewer: &Viewer,
    u: &SignedIn,
    l: Lang,
    headers: &HeaderMap,
    (f, editing): (OrgForm, Option<String>),
) -> Result<Response, UiError> {
    if let Some(problems) = registry_form::outside_districts(u, Resource::Organisations, l, &f.district) {
        return page(app, viewer, u, l, (f, editing), problems);
    }
    let chains = f.chains.join(";");
    let fields = [
        ("uscc", f.uscc.as_str()),
        ("name", f.name.as_str()),
        ("kind", f.kind.as_str()),
        ("district", f.district.as_str()),
        ("industry", f.industry.as_str()),
        ("chains", chains.as_str()),
    ];
    let entry = if editing.is_some() { Entry::Change } else { Entry::Add };
    match registry_form::outcome(l, registry_entry::organisation(app, &u.actor(), entry, &fields).await)? {
        Ok(id) => Ok(go_to(headers, &format!("/organisations/{id}"))),
        Err(problems) => page(app, viewer, u, l, (f, editing), problems),
    }
}
