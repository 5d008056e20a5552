//! Competitions in the browser, the public side: the list of competitions and their events, and
//! an event's results and rankings once published (place, award, raw and WorldSkills-scale
//! scores, the competitor's name masked). Before publication only the event is shown. The
//! organiser's pages are `competition_setup`, the judges' `competition_marking`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::competition::results;
use gongjiang_domain::access::{Action, Resource, Target};
use gongjiang_domain::identifier::mask_name;
use gongjiang_domain::marking::show;
use gongjiang_domain::registry::{CompetitionGroup, CompetitionTier};
use gongjiang_store::judging;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::{Chrome, iso, render};
use crate::extract::Path;

/// Whether the reader runs a competition of this organisation (`None`: the city's own):
/// competitions write for the city, or for that organisation (a competition organiser's role).
pub fn runs(u: &SignedIn, organisation: Option<i64>) -> bool {
    let s = u.scope(Resource::Competitions, Action::Write);
    s.is_all()
        || organisation.is_some_and(|o| {
            s.admits(&Target { districts: Default::default(), organisations: [o].into(), person: None })
        })
}

pub fn tier_name(l: Lang, code: &str) -> String {
    CompetitionTier::parse(code).map(|t| l.t(t.zh(), t.en()).to_string()).unwrap_or_else(|| code.to_string())
}

pub fn group_name(l: Lang, code: &str) -> String {
    CompetitionGroup::parse(code).map(|g| l.t(g.zh(), g.en()).to_string()).unwrap_or_else(|| code.to_string())
}

pub fn scale(tenths: i64) -> String {
    format!("{}.{}", tenths.div_euclid(10), tenths.rem_euclid(10))
}

pub struct EventLink {
    pub href: String,
    pub name: String,
    pub published: String,
}

pub struct CompetitionItem {
    pub code: String,
    pub name: String,
    pub tier: String,
    pub starts_on: String,
    pub events: Vec<EventLink>,
}

/// Promotions through competitions in a year, per tier (in `CompetitionTier::ALL` order).
pub struct YearRow {
    pub year: i32,
    pub counts: Vec<i64>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "competitions.html")]
struct ListPage {
    c: Chrome,
    l: Lang,
    competitions: Vec<CompetitionItem>,
    may_set_up: bool,
    /// Shown to readers of the city's or districts' figures.
    tiers: Vec<String>,
    years: Vec<YearRow>,
}

/// Promotions through competitions (imported and scored) by year and tier.
pub async fn promotions_by_year(app: &App) -> Result<Vec<YearRow>, UiError> {
    let mut years: Vec<YearRow> = Vec::new();
    for (tier, day, n) in gongjiang_store::competitions::promotions_by_tier_and_day(&app.db).await? {
        let Some(i) = CompetitionTier::ALL.iter().position(|t| t.code() == tier) else { continue };
        let year = day.year();
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearRow { year, counts: vec![0; CompetitionTier::ALL.len()], total: 0 });
        }
        if let Some(y) = years.last_mut() {
            y.counts[i] += n;
            y.total += n;
        }
    }
    Ok(years)
}

/// The tiers' names, in the order of [`YearRow::counts`].
pub fn tier_names(l: Lang) -> Vec<String> {
    CompetitionTier::ALL.iter().map(|t| l.t(t.zh(), t.en()).to_string()).collect()
}

/// `GET /competitions`: every competition and its events (public).
pub async fn list(State(app): State<App>, viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let mut competitions = Vec::new();
    for c in judging::competitions(&app.db).await? {
        let events = judging::events_of(&app.db, c.id)
            .await?
            .into_iter()
            .map(|e| EventLink {
                href: format!("/competitions/{}/{}", c.code, e.code),
                name: format!("{} {}", e.code, e.name),
                published: e.published_on.map(iso).unwrap_or_default(),
            })
            .collect();
        competitions.push(CompetitionItem {
            tier: tier_name(l, &c.tier),
            starts_on: iso(c.starts_on),
            code: c.code,
            name: c.name,
            events,
        });
    }
    let may_set_up = viewer.user.as_ref().is_some_and(|u| u.can(Resource::Competitions, Action::Write));
    let years =
        if viewer.user.as_ref().is_some_and(|u| u.sees_kpi()) { promotions_by_year(&app).await? } else { Vec::new() };
    let tiers = tier_names(l);
    render(&ListPage { c: Chrome::new(l, &viewer, "competitions"), l, competitions, may_set_up, tiers, years })
}

pub struct ResultRow {
    pub place: String,
    pub bib: String,
    pub name: String,
    pub raw: String,
    pub scale: String,
    pub award: String,
    /// Cash reward, honours, admissions the result opens.
    pub opens: Vec<String>,
}

pub struct ResultGroup {
    pub name: String,
    pub entrants: u32,
    /// 人 / entrants, or 队 / teams in a team event.
    pub unit: String,
    pub rows: Vec<ResultRow>,
}

#[derive(Template)]
#[template(path = "competition_results.html")]
struct ResultsPage {
    c: Chrome,
    l: Lang,
    competition: String,
    tier: String,
    event: String,
    occupation: String,
    published: String,
    groups: Vec<ResultGroup>,
}

/// `GET /competitions/{code}/{event}`: the published results and rankings (public).
pub async fn results(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Path((code, event)): Path<(String, String)>,
) -> Result<Response, UiError> {
    let st = results::standings(&app, &code, &event)
        .await
        .map_err(|_| UiError::not_found("没有这个赛项", "no such event"))?;
    let mut groups = Vec::new();
    if let Some(on) = st.event.published_on {
        let ids: Vec<i64> = st.groups.iter().flat_map(|g| g.rows.iter().map(|r| r.person_id)).collect();
        let names = judging::names_of(&app.db, &ids).await?;
        for g in &st.groups {
            groups.push(ResultGroup {
                name: group_name(l, &g.group),
                entrants: g.entrants,
                unit: if st.event.team_size > 1 { l.t("队", "teams") } else { l.t("人", "entrants") }.to_string(),
                rows: g
                    .rows
                    .iter()
                    .map(|r| ResultRow {
                        place: format!("{}{}", r.place, if r.tied { "=" } else { "" }),
                        bib: r.bib.clone(),
                        name: {
                            let name = names.get(&r.person_id).map(|n| mask_name(n)).unwrap_or_default();
                            match &r.team {
                                Some(team) => format!("{name}（{team}）"),
                                None => name,
                            }
                        },
                        raw: show(r.total_hundredths),
                        scale: scale(r.standardised_tenths),
                        award: r.award_name.as_ref().map(|m| l.msg(m).to_string()).unwrap_or_default(),
                        opens: results::opened(&app, &st.competition, &g.group, r, g.entrants, on)
                            .into_iter()
                            .map(|o| l.msg(&results::describe(o)).to_string())
                            .collect(),
                    })
                    .collect(),
            });
        }
    }
    render(&ResultsPage {
        c: Chrome::new(l, &viewer, "competitions"),
        l,
        competition: st.competition.name.clone(),
        tier: tier_name(l, &st.competition.tier),
        event: format!("{} {}", st.event.code, st.event.name),
        occupation: st.event.occupation_code.clone(),
        published: st.event.published_on.map(iso).unwrap_or_default(),
        groups,
    })
}

/// A competition entry as a person's record shows it.
pub struct PersonEntryItem {
    pub href: String,
    pub competition: String,
    pub event: String,
    pub bib: String,
    pub group: String,
    pub eligibility: String,
    pub standing: String,
}

/// The entries of a person, for their record page (the reader already reaches the person).
pub async fn person_entries(app: &App, l: Lang, person_id: i64) -> Result<Vec<PersonEntryItem>, UiError> {
    Ok(judging::entries_with_events_of_person(&app.db, person_id)
        .await?
        .into_iter()
        .map(|x| {
            let standing = match (x.published_on, x.place) {
                (Some(on), Some(place)) => {
                    let award = x
                        .award
                        .as_deref()
                        .and_then(gongjiang_domain::policy::AwardKind::parse)
                        .map(|a| format!(" · {}", l.msg(&a.name())))
                        .unwrap_or_default();
                    format!(
                        "{} {place}{award} · {} {} · {} {}",
                        l.t("第", "place"),
                        l.t("标准分", "scale"),
                        x.standardised_tenths.map(scale).unwrap_or_default(),
                        l.t("公布于", "published"),
                        iso(on)
                    )
                }
                _ if x.signed_off_by.is_some() => {
                    l.t("评分已确认，待公布", "marks signed off, results to come").to_string()
                }
                _ => l.t("已报名", "entered").to_string(),
            };
            PersonEntryItem {
                href: format!("/competitions/{}/{}", x.competition_code, x.event_code),
                competition: format!("{}（{}）", x.competition, tier_name(l, &x.tier)),
                event: format!("{} {}", x.event_code, x.event),
                bib: x.bib,
                group: group_name(l, &x.entry_group),
                eligibility: l.t(&x.eligibility_zh, &x.eligibility_en).to_string(),
                standing,
            }
        })
        .collect())
}
