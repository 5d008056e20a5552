//! Setting competitions up from the browser, as the CLI does (`gongjiang competition …`): a
//! competition and its events, then on an event's page its marking scheme, judges and entrants,
//! sign-off, standings and publishing. City-wide competition officers run every competition; a
//! competition organiser (竞赛组织方) the ones its organisation created. The rules are the app's
//! (`gongjiang_app::competition`); a refusal is shown on the page, in words.

use std::io::Write as _;

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::competition::{marking, results, setup};
use gongjiang_app::{App, AppError};
use gongjiang_domain::access::{Action, Resource, Role};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::identifier::mask_name;
use gongjiang_domain::marking::show;
use gongjiang_domain::registry::CompetitionTier;
use gongjiang_store::judging::{self, CompetitionRow, EventRow};
use serde::Deserialize;

use super::competitions::{group_name, runs, scale, tier_name};
use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, go_to, iso, render};
use super::persons::{Choice, level_choices};
use crate::extract::{Path, Query};
use crate::params;

fn refusal(l: Lang, e: AppError) -> Result<String, UiError> {
    match e {
        AppError::Invalid(m) | AppError::NotFound(m) | AppError::BadFile(m) => Ok(l.msg(&m).to_string()),
        other => Err(other.into()),
    }
}

/// The organisation a competition created by this reader belongs to: `None` for a city-wide
/// officer (the city's own), else their competition-organiser role's organisation.
fn own_organisation(u: &SignedIn) -> Option<i64> {
    if u.scope(Resource::Competitions, Action::Write).is_all() {
        return None;
    }
    u.roles.iter().find_map(|r| match r {
        Role::CompetitionOrganiser { organisation } => Some(*organisation),
        _ => None,
    })
}

pub struct EventItem {
    pub code: String,
    pub name: String,
    pub href: String,
}

pub struct CompetitionItem {
    pub code: String,
    pub name: String,
    pub tier: String,
    pub events: Vec<EventItem>,
}

#[derive(Template)]
#[template(path = "competition_setup.html")]
struct SetupPage {
    c: Chrome,
    l: Lang,
    competitions: Vec<CompetitionItem>,
    tiers: Vec<Choice>,
    levels: Vec<Choice>,
    notice: String,
    error: String,
    today: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn setup_page(app: &App, viewer: &Viewer, l: Lang, notice: String, error: String) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let mut competitions = Vec::new();
    for c in judging::competitions(&app.db).await?.into_iter().filter(|c| runs(u, c.organisation_id)) {
        let events = judging::events_of(&app.db, c.id)
            .await?
            .into_iter()
            .map(|e| EventItem {
                href: format!("/competitions/{}/{}/manage", c.code, e.code),
                code: e.code,
                name: e.name,
            })
            .collect();
        competitions.push(CompetitionItem { tier: tier_name(l, &c.tier), code: c.code, name: c.name, events });
    }
    let tiers = CompetitionTier::ALL
        .iter()
        .map(|t| Choice { value: t.code().to_string(), label: l.t(t.zh(), t.en()).to_string(), selected: false })
        .collect();
    render(&SetupPage {
        c: Chrome::new(l, viewer, "competitions"),
        l,
        competitions,
        tiers,
        levels: level_choices(app, l, None),
        notice,
        error,
        today: iso(app.today()),
    })
}

/// `GET /competitions/setup`.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<DoneQuery>,
) -> Result<Response, UiError> {
    let notice = match q.done.as_deref() {
        Some("created") => l.t("已创建竞赛", "competition created"),
        Some("event") => l.t("已添加赛项", "event added"),
        _ => "",
    };
    setup_page(&app, &viewer, l, notice.to_string(), String::new()).await
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    code: String,
    name: String,
    tier: String,
    organiser: String,
    starts_on: String,
}

/// `POST /competitions`.
pub async fn create(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Form(f): Form<CreateForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let starts_on = params::date("starts_on", &f.starts_on)?;
    let org = own_organisation(u);
    match setup::create(
        &app,
        &u.actor(),
        &setup::CompetitionInput {
            code: &f.code,
            name: &f.name,
            tier: &f.tier,
            organiser: &f.organiser,
            organisation_id: org,
            starts_on,
        },
    )
    .await
    {
        Ok(_) => Ok(go_to(&headers, "/competitions/setup?done=created")),
        Err(e) => {
            let error = refusal(l, e)?;
            setup_page(&app, &viewer, l, String::new(), error).await
        }
    }
}

/// The competition a path names, if the reader runs it; 404 otherwise.
async fn competition_run_by(app: &App, u: &SignedIn, code: &str) -> Result<CompetitionRow, UiError> {
    judging::competition_by_code(&app.db, code)
        .await?
        .filter(|c| runs(u, c.organisation_id))
        .ok_or_else(|| UiError::not_found("没有这个竞赛", "no such competition"))
}

#[derive(Debug, Deserialize)]
pub struct EventForm {
    code: String,
    name: String,
    occupation: String,
    level_min: String,
    level_max: String,
    team_size: String,
    #[serde(default)]
    practitioners_only: Option<String>,
}

/// `POST /competitions/{code}/events`.
pub async fn add_event(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path(code): Path<String>,
    Form(f): Form<EventForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let c = competition_run_by(&app, u, &code).await?;
    let e = setup::EventInput {
        code: &f.code,
        name: &f.name,
        occupation: f.occupation.trim(),
        level_min: &f.level_min,
        level_max: &f.level_max,
        team_size: f.team_size.trim().parse().unwrap_or(0),
        occupation_required: f.practitioners_only.is_some(),
    };
    match setup::add_event(&app, &u.actor(), &c.code, &e).await {
        Ok(_) => Ok(go_to(&headers, &format!("/competitions/{}/{}/manage", c.code, f.code.trim()))),
        Err(err) => {
            let error = refusal(l, err)?;
            setup_page(&app, &viewer, l, String::new(), error).await
        }
    }
}

pub struct AspectItem {
    pub code: String,
    pub kind: String,
    pub description: String,
    pub max: String,
}

pub struct JudgeItem {
    pub code: String,
    pub name: String,
    pub organisation: String,
    pub username: String,
}

pub struct EntryItem {
    pub bib: String,
    pub name: String,
    pub group: String,
    pub eligibility: String,
    pub signed: bool,
    pub total: String,
}

pub struct StandingItem {
    pub group: String,
    pub place: String,
    pub bib: String,
    pub raw: String,
    pub scale: String,
    pub award: String,
}

#[derive(Template)]
#[template(path = "competition_event.html")]
struct EventPage {
    c: Chrome,
    l: Lang,
    competition: String,
    event: String,
    base: String,
    published: String,
    aspects: Vec<AspectItem>,
    scheme_text: String,
    judges: Vec<JudgeItem>,
    entries: Vec<EntryItem>,
    standings: Vec<StandingItem>,
    notice: String,
    error: String,
    today: String,
}

async fn event_run_by(app: &App, u: &SignedIn, code: &str, event: &str) -> Result<(CompetitionRow, EventRow), UiError> {
    let c = competition_run_by(app, u, code).await?;
    let e = judging::event_by_code(&app.db, c.id, event)
        .await?
        .ok_or_else(|| UiError::not_found("没有这个赛项", "no such event"))?;
    Ok((c, e))
}

async fn event_page(
    app: &App,
    viewer: &Viewer,
    l: Lang,
    code: &str,
    event: &str,
    notice: String,
    error: String,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let (c, e) = event_run_by(app, u, code, event).await?;
    let scheme = gongjiang_app::competition::scheme_of(&e).ok();
    let aspects = scheme
        .as_ref()
        .map(|s| {
            s.aspects
                .iter()
                .map(|a| AspectItem {
                    code: a.code.clone(),
                    kind: match a.kind {
                        gongjiang_domain::marking::AspectKind::Measurement => l.t("测量", "measurement"),
                        gongjiang_domain::marking::AspectKind::Judgement => l.t("评价", "judgement"),
                    }
                    .to_string(),
                    description: a.description.clone(),
                    max: show(a.max_tenths * 10),
                })
                .collect()
        })
        .unwrap_or_default();
    let judges = judging::judges_of(&app.db, e.id)
        .await?
        .into_iter()
        .map(|j| JudgeItem {
            code: j.code,
            name: j.name,
            organisation: j.organisation_uscc.unwrap_or_default(),
            username: j.username.unwrap_or_default(),
        })
        .collect();
    let rows = judging::entries_of(&app.db, e.id).await?;
    let ids: Vec<i64> = rows.iter().map(|x| x.person_id).collect();
    let names = judging::names_of(&app.db, &ids).await?;
    let entries = rows
        .iter()
        .map(|x| EntryItem {
            bib: x.bib.clone(),
            name: names.get(&x.person_id).map(|n| mask_name(n)).unwrap_or_default(),
            group: group_name(l, &x.entry_group),
            eligibility: l.msg(&Msg::new(x.eligibility_zh.clone(), x.eligibility_en.clone())).to_string(),
            signed: x.signed_off_by.is_some(),
            total: x.total_hundredths.map(|t| show(u32::try_from(t).unwrap_or(0))).unwrap_or_default(),
        })
        .collect();
    let st = results::standings_of(app, &c, &e, &rows)?;
    let standings = st
        .groups
        .iter()
        .flat_map(|g| {
            g.rows.iter().map(|r| StandingItem {
                group: group_name(l, &g.group),
                place: format!("{}{}", r.place, if r.tied { "=" } else { "" }),
                bib: r.bib.clone(),
                raw: show(r.total_hundredths),
                scale: scale(r.standardised_tenths),
                award: r.award_name.as_ref().map(|m| l.msg(m).to_string()).unwrap_or_default(),
            })
        })
        .collect();
    render(&EventPage {
        c: Chrome::new(l, viewer, "competitions"),
        l,
        competition: c.name.clone(),
        event: format!("{} {}", e.code, e.name),
        base: format!("/competitions/{}/{}", c.code, e.code),
        published: e.published_on.map(iso).unwrap_or_default(),
        aspects,
        scheme_text: "code,kind,description,max_mark,descriptor_0,descriptor_1,descriptor_2,descriptor_3\n".into(),
        judges,
        entries,
        standings,
        notice,
        error,
        today: iso(app.today()),
    })
}

/// `GET /competitions/{code}/{event}/manage`.
pub async fn manage(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path((code, event)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, UiError> {
    let notice = match q.done.as_deref() {
        Some("scheme") => l.t("已设定评分方案", "marking scheme set"),
        Some("judge") => l.t("已添加裁判", "judge added"),
        Some("published") => l.t("成绩已公布，以赛代评已执行", "results published; 以赛代评 applied"),
        _ => "",
    };
    event_page(&app, &viewer, l, &code, &event, notice.to_string(), String::new()).await
}

/// A form's text as a CSV file the app's readers take.
fn as_csv(header: &str, body: &str) -> Result<tempfile::NamedTempFile, UiError> {
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().map_err(UiError::internal)?;
    let body = body.trim();
    let text = if body.starts_with(header.split(',').next().unwrap_or("")) {
        format!("{body}\n")
    } else {
        format!("{header}\n{body}\n")
    };
    f.write_all(text.as_bytes()).map_err(UiError::internal)?;
    Ok(f)
}

#[derive(Debug, Deserialize)]
pub struct TextForm {
    text: String,
}

/// `POST /competitions/{code}/{event}/scheme`: the scheme as CSV text, one aspect a line.
pub async fn scheme(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path((code, event)): Path<(String, String)>,
    Form(f): Form<TextForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let (c, e) = event_run_by(&app, u, &code, &event).await?;
    let file = as_csv("code,kind,description,max_mark,descriptor_0,descriptor_1,descriptor_2,descriptor_3", &f.text)?;
    match setup::set_scheme_file(&app, &u.actor(), &c.code, &e.code, file.path()).await {
        Ok(_) => Ok(go_to(&headers, &format!("/competitions/{}/{}/manage?done=scheme", c.code, e.code))),
        Err(err) => {
            let error = refusal(l, err)?;
            event_page(&app, &viewer, l, &c.code, &e.code, String::new(), error).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct JudgeForm {
    code: String,
    name: String,
    #[serde(default)]
    organisation: String,
    #[serde(default)]
    username: String,
}

/// `POST /competitions/{code}/{event}/judges`.
pub async fn judge(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path((code, event)): Path<(String, String)>,
    Form(f): Form<JudgeForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let (c, e) = event_run_by(&app, u, &code, &event).await?;
    let org = Some(f.organisation.trim()).filter(|s| !s.is_empty());
    let user = Some(f.username.trim()).filter(|s| !s.is_empty());
    match setup::add_judge(
        &app,
        &u.actor(),
        &c.code,
        &e.code,
        &setup::JudgeInput { code: &f.code, name: &f.name, uscc: org, username: user },
    )
    .await
    {
        Ok(_) => Ok(go_to(&headers, &format!("/competitions/{}/{}/manage?done=judge", c.code, e.code))),
        Err(err) => {
            let error = refusal(l, err)?;
            event_page(&app, &viewer, l, &c.code, &e.code, String::new(), error).await
        }
    }
}

/// `POST /competitions/{code}/{event}/entries`: lines of `身份证号,组别,参赛号[,队名,单位代码]`.
pub async fn entries(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path((code, event)): Path<(String, String)>,
    Form(f): Form<TextForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let (c, e) = event_run_by(&app, u, &code, &event).await?;
    let file = as_csv("身份证号,组别,参赛号,队名,单位统一社会信用代码", &f.text)?;
    match setup::import_entries(&app, &u.actor(), &c.code, &e.code, file.path(), None).await {
        Ok(s) => {
            let notice =
                format!("{} {}，{} {}", l.t("报名", "entered"), s.accepted, l.t("拒绝", "refused"), s.rejected);
            let error = s
                .report
                .iter()
                .flat_map(|r| r.errors.iter().map(move |e| format!("{} {}: {}", r.line, e.column, l.msg(&e.reason))))
                .collect::<Vec<_>>()
                .join("；");
            event_page(&app, &viewer, l, &c.code, &e.code, notice, error).await
        }
        Err(err) => {
            let error = refusal(l, err)?;
            event_page(&app, &viewer, l, &c.code, &e.code, String::new(), error).await
        }
    }
}

/// `POST /competitions/{code}/{event}/sign-off`: every entrant whose marks all stand.
pub async fn sign_off(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path((code, event)): Path<(String, String)>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let (c, e) = event_run_by(&app, u, &code, &event).await?;
    match marking::sign_off(&app, &u.actor(), &c.code, &e.code, None).await {
        Ok(s) => {
            let notice = format!("{} {}", l.t("已签字确认", "signed off:"), s.signed.len());
            let error = s
                .blocked
                .iter()
                .flat_map(|(bib, why)| why.iter().map(move |m| format!("{bib} {}", l.msg(m))))
                .collect::<Vec<_>>()
                .join("；");
            event_page(&app, &viewer, l, &c.code, &e.code, notice, error).await
        }
        Err(err) => {
            let error = refusal(l, err)?;
            event_page(&app, &viewer, l, &c.code, &e.code, String::new(), error).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct PublishForm {
    on: String,
}

/// `POST /competitions/{code}/{event}/publish`.
pub async fn publish(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    headers: HeaderMap,
    Path((code, event)): Path<(String, String)>,
    Form(f): Form<PublishForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Competitions, Action::Write)?;
    let (c, e) = event_run_by(&app, u, &code, &event).await?;
    let on = params::date("on", &f.on)?;
    match results::publish(&app, &u.actor(), &c.code, &e.code, on).await {
        Ok(_) => Ok(go_to(&headers, &format!("/competitions/{}/{}/manage?done=published", c.code, e.code))),
        Err(err) => {
            let error = refusal(l, err)?;
            event_page(&app, &viewer, l, &c.code, &e.code, String::new(), error).await
        }
    }
}
