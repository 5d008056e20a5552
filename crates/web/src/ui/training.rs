//! Training programmes in the browser (终身职业技能培训): anyone browses the programmes not yet
//! ended by occupation, level, district and mode (`/programmes`, laid out for a phone); a
//! training provider creates its programmes and enrols learners one at a time through the
//! programmes and enrolments imports themselves (the same checks: capacity, dates, duplicate
//! enrolment, each with its reason); a person's page lists the programmes that lead to their
//! next level in each occupation they hold or work in.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::import::Kind;
use gongjiang_app::registry_entry;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::registry::{ProgrammeKind, ProgrammeMode};
use gongjiang_store::programmes::{self, ListedProgramme, ProgrammeFilter};
use gongjiang_store::{persons, worklist};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, go_to, iso, level_name, render};
use super::persons::{Choice, level_choices};
use super::registry_form;
use crate::extract::{Path, Query};
use crate::params::given;
use crate::views::mask_id_number;

/// How many programmes a list reads at most (then shown a page at a time).
const LIST_CAP: usize = 2_000;

pub struct ProgrammeCard {
    pub href: String,
    pub code: String,
    pub name: String,
    pub provider: String,
    pub district: String,
    pub target: String,
    pub mode: String,
    pub hours: String,
    pub dates: String,
    /// "12 / 30" enrolled of capacity.
    pub seats: String,
    pub full: bool,
    pub platform_url: Option<String>,
}

fn card(app: &App, l: Lang, p: ListedProgramme) -> ProgrammeCard {
    let g = p.programme;
    ProgrammeCard {
        href: format!("/programmes/{}", super::layout::urlencode(&g.code)),
        target: format!(
            "{} {} · {}",
            g.occupation_code,
            crate::api::persons::occupation_label(app, &g.occupation_code).name_zh.unwrap_or_default(),
            level_name(app, l, g.level)
        ),
        mode: ProgrammeMode::parse(&g.mode).map(|m| l.t(m.zh(), m.en()).to_string()).unwrap_or(g.mode),
        hours: format!("{}", g.required_seconds as f64 / 3600.0),
        dates: format!("{} – {}", iso(g.starts_on), iso(g.ends_on)),
        seats: format!("{} / {}", p.enrolled, g.capacity),
        full: p.enrolled >= i64::from(g.capacity),
        district: app
            .policy
            .district(&p.provider_district)
            .map(|d| l.t(&d.name_zh, &d.name_en).to_string())
            .unwrap_or(p.provider_district),
        platform_url: g.platform_url.filter(|u| u.starts_with("https://") || u.starts_with("http://")),
        code: g.code,
        name: g.name,
        provider: g.provider_name,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    occupation: Option<String>,
    level: Option<String>,
    district: Option<String>,
    mode: Option<String>,
    size: Option<usize>,
    page: Option<usize>,
}

impl ListQuery {
    /// The filters as a query string, for the page links.
    fn filters(&self) -> String {
        [("occupation", &self.occupation), ("level", &self.level), ("district", &self.district), ("mode", &self.mode)]
            .iter()
            .filter_map(|(k, v)| given(v).map(|v| format!("{k}={}", super::layout::urlencode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ListPage {
    c: Chrome,
    l: Lang,
    occupation: String,
    levels: Vec<Choice>,
    districts: Vec<Choice>,
    modes: Vec<Choice>,
    cards: Vec<ProgrammeCard>,
    pages: super::pager::Numbered,
    may_create: bool,
}

/// The organisations whose programmes the reader manages: every one for city-wide importers
/// (`None`), else the organisations of their import scope.
fn managed(u: &SignedIn) -> Option<Vec<i64>> {
    let s = u.scope(Resource::Imports, Action::Write);
    (!s.is_all()).then(|| s.organisation_ids().iter().copied().collect())
}

fn may_manage(u: &SignedIn, provider_id: i64) -> bool {
    managed(u).is_none_or(|ids| ids.contains(&provider_id))
}

fn may_create(viewer: &Viewer) -> bool {
    viewer.user.as_ref().is_some_and(|u| u.can(Resource::Imports, Action::Write) && may_create_as(u))
}

/// A city-wide importer, or one with organisations of their own to create programmes for.
fn may_create_as(u: &SignedIn) -> bool {
    managed(u).is_none_or(|ids| !ids.is_empty())
}

/// `GET /programmes`: open to everyone.
pub async fn list(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<ListQuery>,
) -> Result<Response, UiError> {
    let occupation = given(&q.occupation).map(|s| s.trim().to_string());
    let mut f = ProgrammeFilter {
        occupation: occupation.clone(),
        district: given(&q.district).map(str::to_string),
        mode: given(&q.mode).and_then(ProgrammeMode::parse).map(|m| m.code().to_string()),
        not_ended_on: Some(app.today()),
        ..ProgrammeFilter::default()
    };
    f.level = given(&q.level)
        .map(|s| crate::params::level(&app.policy, "level", s))
        .transpose()?
        .map(|v| i16::from(v.rank()));
    let found = programmes::listed(&app.db, &f, LIST_CAP as i64 + 1).await?;
    let paging = super::pager::PageQuery { size: q.size, page: q.page };
    let (found, pages) = super::pager::numbered(found, LIST_CAP, "/programmes", &q.filters(), &paging, l);
    let cards = found.into_iter().map(|p| card(&app, l, p)).collect();
    let mode = f.mode.clone().unwrap_or_default();
    render(&ListPage {
        c: Chrome::new(l, &viewer, "programmes"),
        l,
        occupation: occupation.unwrap_or_default(),
        levels: level_choices(&app, l, given(&q.level)).into_iter().filter(|c| c.value != "1").collect(),
        districts: app
            .policy
            .districts
            .iter()
            .map(|d| Choice {
                value: d.code.clone(),
                label: l.t(&d.name_zh, &d.name_en).into(),
                selected: f.district.as_deref() == Some(d.code.as_str()),
            })
            .collect(),
        modes: ProgrammeMode::ALL
            .iter()
            .map(|m| Choice { value: m.code().into(), label: l.t(m.zh(), m.en()).into(), selected: m.code() == mode })
            .collect(),
        cards,
        pages,
        may_create: may_create(&viewer),
    })
}

pub struct EnrolmentLine {
    pub name: String,
    pub id_number: String,
    pub learner_id: String,
    pub enrolled_on: String,
    pub hours: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ShowPage {
    c: Chrome,
    l: Lang,
    p: ProgrammeCard,
    kind: String,
    /// The provider's staff (or the city): the enrolments and the form to enrol.
    manage: bool,
    enrolments: Vec<EnrolmentLine>,
    problems: Vec<(String, String)>,
    notice: String,
    today: String,
}

async fn show_page(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    code: &str,
    problems: Vec<(String, String)>,
    notice: String,
) -> Result<Response, UiError> {
    let f = ProgrammeFilter { code: Some(code.to_string()), ..ProgrammeFilter::default() };
    let Some(listed) = programmes::listed(&app.db, &f, 1).await?.pop() else {
        return Err(UiError::not_found("没有这个培训项目", "no such programme"));
    };
    let g = &listed.programme;
    let kind = g.kind.as_deref().and_then(ProgrammeKind::parse).map(|k| l.t(k.zh(), k.en()).to_string());
    let manage =
        viewer.user.as_ref().is_some_and(|u| u.can(Resource::Imports, Action::Write) && may_manage(u, g.provider_id));
    let enrolments = if manage {
        programmes::enrolments_of_programme(&app.db, g.id)
            .await?
            .into_iter()
            .map(|e| EnrolmentLine {
                name: e.name,
                id_number: mask_id_number(&e.id_number),
                learner_id: e.learner_id.unwrap_or_default(),
                enrolled_on: iso(e.enrolled_on),
                hours: format!("{:.1}", e.seconds as f64 / 3600.0),
                status: gongjiang_domain::registry::EnrolmentStatus::parse(&e.status)
                    .map(|s| l.t(s.zh(), s.en()).to_string())
                    .unwrap_or(e.status),
            })
            .collect()
    } else {
        Vec::new()
    };
    let p = card(app, l, listed);
    render(&ShowPage {
        c: Chrome::new(l, viewer, "programmes"),
        l,
        p,
        kind: kind.unwrap_or_default(),
        manage,
        enrolments,
        problems,
        notice,
        today: iso(app.today()),
    })
}

/// `GET /programmes/{code}`.
pub async fn show(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(code): Path<String>,
) -> Result<Response, UiError> {
    show_page(&app, &viewer, l, &code, Vec::new(), String::new()).await
}

#[derive(Debug, Default, Deserialize)]
pub struct EnrolForm {
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    learner_id: String,
    #[serde(default)]
    enrolled_on: String,
}

/// `POST /programmes/{code}/enrolments`: one learner through the enrolments import.
pub async fn enrol(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(code): Path<String>,
    Form(f): Form<EnrolForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Imports, Action::Write)?;
    let Some(g) = programmes::by_code(&app.db, &code).await? else {
        return Err(UiError::not_found("没有这个培训项目", "no such programme"));
    };
    if !may_manage(u, g.provider_id) {
        return Err(UiError::forbidden());
    }
    let fields = [
        ("programme_code", code.as_str()),
        ("id_number", f.id_number.as_str()),
        ("learner_id", f.learner_id.as_str()),
        ("enrolled_on", f.enrolled_on.as_str()),
    ];
    let rejected = registry_entry::one_row(&app, &u.actor(), Kind::Enrolments, &fields).await?;
    let problems = registry_form::problems_of(l, &rejected);
    let notice = if problems.is_empty() { l.t("已报名", "enrolled").to_string() } else { String::new() };
    show_page(&app, &viewer, l, &code, problems, notice).await
}

#[derive(Debug, Default, Deserialize)]
pub struct NewForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    provider_uscc: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    occupation: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    mode: String,
    #[serde(default)]
    hours: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    platform_url: String,
    #[serde(default)]
    programme_kind: String,
}

#[derive(Template)]
#[template(path = "programme_new.html")]
struct NewPage {
    c: Chrome,
    l: Lang,
    f: NewForm,
    /// The reader's own providers to pick from; empty for city-wide importers (a credit code).
    providers: Vec<Choice>,
    levels: Vec<Choice>,
    modes: Vec<Choice>,
    kinds: Vec<Choice>,
    problems: Vec<(String, String)>,
}

fn creator(viewer: &Viewer) -> Result<&SignedIn, UiError> {
    let u = viewer.require(Resource::Imports, Action::Write)?;
    if !may_create_as(u) {
        return Err(UiError::forbidden());
    }
    Ok(u)
}

async fn new_page(
    app: &App,
    viewer: &Viewer,
    u: &SignedIn,
    l: Lang,
    f: NewForm,
    problems: Vec<(String, String)>,
) -> Result<Response, UiError> {
    let providers = match managed(u) {
        None => Vec::new(),
        Some(ids) => worklist::organisation_names(&app.db, &ids)
            .await?
            .into_iter()
            .map(|(_, uscc, name, _)| Choice { selected: uscc == f.provider_uscc, value: uscc, label: name })
            .collect(),
    };
    let choice =
        |value: &str, label: &str, selected: bool| Choice { value: value.into(), label: label.into(), selected };
    render(&NewPage {
        c: Chrome::new(l, viewer, "programmes"),
        l,
        providers,
        levels: level_choices(app, l, Some(&f.level)).into_iter().filter(|c| c.value != "1").collect(),
        modes: ProgrammeMode::ALL.iter().map(|m| choice(m.code(), l.t(m.zh(), m.en()), m.code() == f.mode)).collect(),
        kinds: ProgrammeKind::ALL
            .iter()
            .map(|k| choice(k.code(), l.t(k.zh(), k.en()), k.code() == f.programme_kind))
            .collect(),
        f,
        problems,
    })
}

/// `GET /programmes/new`.
pub async fn new_form(State(app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = creator(&viewer)?;
    let f = NewForm { mode: "offline".into(), capacity: "30".into(), ..NewForm::default() };
    new_page(&app, &viewer, u, l, f, Vec::new()).await
}

/// `POST /programmes/new`: the programme through the programmes import; its page opens.
pub async fn create(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(f): Form<NewForm>,
) -> Result<Response, UiError> {
    let u = creator(&viewer)?;
    if let Some(ids) = managed(u) {
        let own = worklist::organisation_names(&app.db, &ids).await?;
        if !own.iter().any(|(_, uscc, _, _)| *uscc == f.provider_uscc.trim()) {
            let why = l.t("请选择本单位", "choose your own organisation").to_string();
            return new_page(&app, &viewer, u, l, f, vec![("provider_uscc".into(), why)]).await;
        }
    }
    if programmes::by_code(&app.db, f.code.trim()).await?.is_some() {
        let why = l.t("该项目编号已存在", "this programme code exists already").to_string();
        return new_page(&app, &viewer, u, l, f, vec![("code".into(), why)]).await;
    }
    let fields = [
        ("code", f.code.as_str()),
        ("provider_uscc", f.provider_uscc.as_str()),
        ("name", f.name.as_str()),
        ("occupation", f.occupation.as_str()),
        ("level", f.level.as_str()),
        ("mode", f.mode.as_str()),
        ("hours", f.hours.as_str()),
        ("starts_on", f.starts_on.as_str()),
        ("ends_on", f.ends_on.as_str()),
        ("capacity", f.capacity.as_str()),
        ("platform_url", f.platform_url.as_str()),
        ("programme_kind", f.programme_kind.as_str()),
    ];
    let rejected = registry_entry::one_row(&app, &u.actor(), Kind::Programmes, &fields).await?;
    if rejected.is_empty() {
        return Ok(go_to(&headers, &format!("/programmes/{}", super::layout::urlencode(f.code.trim()))));
    }
    let problems = registry_form::problems_of(l, &rejected);
    new_page(&app, &viewer, u, l, f, problems).await
}

#[derive(Template)]
#[template(path = "_person_programmes.html")]
struct PersonProgrammes {
    l: Lang,
    /// (what the person aims at, the programmes for it).
    targets: Vec<(String, Vec<ProgrammeCard>)>,
}

/// `GET /persons/{public_id}/programmes`: for each occupation of the person's pathway, the
/// programmes not yet ended that train for the next certified level there
/// (`eligibility::next_levels`).
pub async fn for_person(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path(key): Path<String>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Read)?;
    let id = crate::params::uuid("public_id", &key)?;
    let scope = u.scope(Resource::Persons, Action::Read);
    let Some(p) = persons::by_public_id(&app.db, &scope, id).await? else {
        return Err(UiError::not_found("无此人员", "no such person"));
    };
    let next = match gongjiang_app::candidate::candidate_of(&app, &p).await {
        Ok(c) => gongjiang_domain::eligibility::next_levels(&app.policy, &c, app.today()),
        // No birth date on record: nothing to aim at.
        Err(gongjiang_app::AppError::Invalid(_)) => Vec::new(),
        Err(e) => return Err(e.into()),
    };
    let mut targets = Vec::new();
    for (occupation, level) in next {
        let level = i16::from(level.rank());
        let f = ProgrammeFilter {
            occupation: Some(occupation.clone()),
            level: Some(level),
            not_ended_on: Some(app.today()),
            ..ProgrammeFilter::default()
        };
        let found = programmes::listed(&app.db, &f, 20).await?;
        let label = format!(
            "{} {} · {}",
            occupation,
            crate::api::persons::occupation_label(&app, &occupation).name_zh.unwrap_or_default(),
            level_name(&app, l, level)
        );
        targets.push((label, found.into_iter().map(|g| card(&app, l, g)).collect()));
    }
    render(&PersonProgrammes { l, targets })
}
