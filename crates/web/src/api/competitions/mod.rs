//! `/api/v1/competitions`: competitions and their events (anyone), an event's published results
//! (anyone), and what an organiser does on the pages — create a competition, add an event, set
//! its marking scheme, add judges and entrants, read the standings, sign off and publish — behind
//! the pages' authorization: competitions write, for every competition (the city) or for those
//! its organisation created (a competition organiser, 竞赛组织方). A competition the caller does
//! not run answers 404, as the pages do. The rules are the app's (`gongjiang_app::competition`).
//!
//! Files: `list.rs` and `event.rs` (public), `standings.rs`, `create.rs`, `setup.rs` (event,
//! scheme, judges, entrants) and `run.rs` (sign-off, publishing).

pub mod create;
pub mod event;
pub mod list;
pub mod run;
pub mod setup;
pub mod standings;

use std::io::Write as _;

use axum::body::Bytes;
use gongjiang_app::App;
use gongjiang_app::competition::results::{self, Standings};
use gongjiang_domain::access::{Action, Resource, Target};
use gongjiang_domain::marking::show;
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_domain::registry::{CompetitionGroup, CompetitionTier};
use gongjiang_store::judging::{self, CompetitionRow, EventRow};
use serde::Serialize;
use serde::de::DeserializeOwned;
use time::Date;
use utoipa::ToSchema;

use crate::auth::CurrentUser;
use crate::error::ApiError;
use crate::views::{Bilingual, mask_name};
use gongjiang_domain::dates::serde_iso;

/// A competition and its events.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompetitionView {
    #[schema(example = "HHGJ2026")]
    pub code: String,
    pub name: String,
    /// `world`, `national_1`, `national_2`, `city_comprehensive`, `city_1`, `city_2`,
    /// `district` or `enterprise`.
    #[schema(example = "city_1")]
    pub tier: String,
    pub tier_name: Bilingual,
    /// 主办单位, as the organiser names itself.
    pub organiser: String,
    #[serde(with = "serde_iso")]
    pub starts_on: Date,
    pub events: Vec<EventView>,
}

/// One event (赛项) of a competition.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventView {
    #[schema(example = "W1")]
    pub code: String,
    pub name: String,
    #[schema(example = "6-18-02-04")]
    pub occupation: String,
    pub occupation_name: Option<String>,
    /// Ladder ranks (1 学徒工 … 8 首席技师) the event is for.
    pub level_min: i32,
    pub level_max: i32,
    /// Persons per entry (a team when more than one).
    pub team_size: i32,
    /// 国赛精选: only practitioners of the occupation may enter.
    pub practitioners_only: bool,
    /// The day its results were published; null before.
    #[serde(with = "serde_iso::option")]
    pub published_on: Option<Date>,
}

impl EventView {
    fn new(app: &App, e: &EventRow) -> EventView {
        EventView {
            code: e.code.clone(),
            name: e.name.clone(),
            occupation: e.occupation_code.clone(),
            occupation_name: OccupationCode::parse(&e.occupation_code)
                .ok()
                .and_then(|c| app.catalogue.name_of(&c).map(str::to_string)),
            level_min: e.level_min,
            level_max: e.level_max,
            team_size: e.team_size,
            practitioners_only: e.occupation_required,
            published_on: e.published_on,
        }
    }
}

fn tier_name(code: &str) -> Bilingual {
    CompetitionTier::parse(code)
        .map(|t| Bilingual { zh: t.zh().to_string(), en: t.en().to_string() })
        .unwrap_or_else(|| Bilingual { zh: code.to_string(), en: code.to_string() })
}

fn competition_view(c: &CompetitionRow, events: Vec<EventView>) -> CompetitionView {
    CompetitionView {
        code: c.code.clone(),
        name: c.name.clone(),
        tier: c.tier.clone(),
        tier_name: tier_name(&c.tier),
        organiser: c.organiser.clone(),
        starts_on: c.starts_on,
        events,
    }
}

/// An event's standings: per group (职工 / 学生), ranked on its own.
#[derive(Debug, Serialize, ToSchema)]
pub struct StandingsView {
    pub competition: CompetitionView,
    pub event: EventView,
    pub groups: Vec<GroupView>,
    /// Competitor numbers whose marks are not signed off yet (not ranked).
    pub unsigned: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    /// `employee` or `student`.
    #[schema(example = "employee")]
    pub group: String,
    pub group_name: Bilingual,
    pub entrants: u32,
    pub rows: Vec<StandingView>,
}

/// One entrant's standing.
#[derive(Debug, Serialize, ToSchema)]
pub struct StandingView {
    pub place: u32,
    /// Sharing the place with another entrant (equal totals and measurement marks).
    pub tied: bool,
    #[schema(example = "001")]
    pub bib: String,
    /// Masked: 张*明.
    pub name: String,
    /// The team, in a team event: its members share the row's totals, place and award.
    pub team: Option<String>,
    /// Raw total, marks to two decimals.
    #[schema(example = "93.33")]
    pub total: String,
    /// On the WorldSkills 700-point scale, to one decimal.
    #[schema(example = "767.9")]
    pub standardised: String,
    /// `gold`, `silver`, `bronze`, `excellence` by the policy's award rows.
    pub award: Option<String>,
    pub award_name: Option<Bilingual>,
    /// Cash reward, honours and admissions the result opens (once published).
    pub opens: Vec<Bilingual>,
}

fn scale(tenths: i64) -> String {
    format!("{}.{}", tenths.div_euclid(10), tenths.rem_euclid(10))
}

/// The standings as the API shows them; `opens` only once published.
async fn standings_view(app: &App, st: &Standings) -> Result<StandingsView, ApiError> {
    let ids: Vec<i64> = st.groups.iter().flat_map(|g| g.rows.iter().map(|r| r.person_id)).collect();
    let names = judging::names_of(&app.db, &ids).await?;
    let groups = st
        .groups
        .iter()
        .map(|g| GroupView {
            group: g.group.clone(),
            group_name: CompetitionGroup::parse(&g.group)
                .map(|x| Bilingual { zh: x.zh().to_string(), en: x.en().to_string() })
                .unwrap_or_else(|| Bilingual { zh: g.group.clone(), en: g.group.clone() }),
            entrants: g.entrants,
            rows: g
                .rows
                .iter()
                .map(|r| StandingView {
                    place: r.place,
                    tied: r.tied,
                    bib: r.bib.clone(),
                    name: names.get(&r.person_id).map(|n| mask_name(n)).unwrap_or_default(),
                    team: r.team.clone(),
                    total: show(r.total_hundredths),
                    standardised: scale(r.standardised_tenths),
                    award: r.award.clone(),
                    award_name: r.award_name.clone().map(Bilingual::from),
                    opens: match st.event.published_on {
                        Some(on) => results::opened(app, &st.competition, &g.group, r, g.entrants, on)
                            .into_iter()
                            .map(|o| Bilingual::from(results::describe(o)))
                            .collect(),
                        None => Vec::new(),
                    },
                })
                .collect(),
        })
        .collect();
    Ok(StandingsView {
        competition: competition_view(&st.competition, Vec::new()),
        event: EventView::new(app, &st.event),
        groups,
        unsigned: st.unsigned.clone(),
    })
}

fn no_competition() -> ApiError {
    ApiError::not_found("没有这个竞赛", "no such competition")
}

fn no_event() -> ApiError {
    ApiError::not_found("没有这个赛项", "no such event")
}

/// The competition `code`, if the caller runs it: 403 without competitions write, 404 for a
/// competition that is not theirs (or does not exist), as the pages answer.
async fn run_by(app: &App, caller: &CurrentUser, code: &str) -> Result<CompetitionRow, ApiError> {
    let scope = caller.require_some(Resource::Competitions, Action::Write)?;
    let c = judging::competition_by_code(&app.db, code.trim()).await?.ok_or_else(no_competition)?;
    let runs = scope.is_all()
        || c.organisation_id.is_some_and(|o| {
            scope.admits(&Target { districts: Default::default(), organisations: [o].into(), person: None })
        });
    if !runs {
        return Err(no_competition());
    }
    Ok(c)
}

/// [`run_by`] and the event `event` of it.
async fn event_run_by(
    app: &App,
    caller: &CurrentUser,
    code: &str,
    event: &str,
) -> Result<(CompetitionRow, EventRow), ApiError> {
    let c = run_by(app, caller, code).await?;
    let e = judging::event_by_code(&app.db, c.id, event.trim()).await?.ok_or_else(no_event)?;
    Ok((c, e))
}

/// The JSON body, read after the caller is authorised (so a refusal does not depend on it).
fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::BadRequest(gongjiang_domain::bilingual::Msg::new(
            format!("请求体不是有效的 JSON 或缺少字段：{e}"),
            format!("the body is not valid JSON or lacks a field: {e}"),
        ))
    })
}

/// Rows of CSV text as a temporary file for the app's file readers, with `header` in front when
/// the text has none.
fn as_csv(header: &str, text: &str) -> Result<tempfile::NamedTempFile, ApiError> {
    let internal = |e: std::io::Error| ApiError::Internal(e.to_string());
    let mut f = tempfile::Builder::new().suffix(".csv").tempfile().map_err(internal)?;
    let text = text.trim();
    let full = if text.starts_with(header.split(',').next().unwrap_or("")) {
        format!("{text}\n")
    } else {
        format!("{header}\n{text}\n")
    };
    f.write_all(full.as_bytes()).map_err(internal)?;
    Ok(f)
}
