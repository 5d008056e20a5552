//! `/dashboard`: the two headline shares against their targets, the trend with its projection,
//! and the breakdowns by district, industrial chain and level — each figure a link to the
//! persons behind it (`/kpi/persons`). A city administrator sees the city; a district
//! administrator their districts. The trend needs a registry scan per year-end, so it loads
//! after the page (htmx) and is kept for a few minutes.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::kpi::{self, DrillDown, Group, Measure, TOTAL};
use gongjiang_app::kpi_series::{self, ProjectionReport};
use gongjiang_domain::access::{Action, Resource, Scope};
use gongjiang_domain::forecast::Step;
use gongjiang_domain::kpi::{Grouping, KpiRow};
use gongjiang_domain::policy::KpiKind;
use serde::Deserialize;
use time::Date;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::kpi_view::{self, Headline, RowView};
use super::layout::{Chrome, iso, render};
use super::person_row::{PersonRow, person_rows};
use crate::extract::Query;
use crate::paging::{self, Listing};
use crate::params;

/// The grouping of the "industrial chain" breakdown: the chains of each person's employer (a
/// person counts in every chain of their employer, so the rows overlap).
pub const CHAIN_GROUPING: Grouping = Grouping::Chain;

/// How long a computed trend is reused.
const TREND_TTL: Duration = Duration::from_secs(300);

/// Which part of the city a KPI reader sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KpiReach {
    City,
    Districts(Vec<String>),
}

impl KpiReach {
    fn of(scope: &Scope) -> Option<KpiReach> {
        if scope.is_all() {
            Some(KpiReach::City)
        } else if !scope.district_codes().is_empty() {
            Some(KpiReach::Districts(scope.district_codes().iter().cloned().collect()))
        } else {
            None
        }
    }

    /// Whether one drill-down is within reach.
    fn admits(&self, by: Grouping, group: &Group) -> bool {
        match self {
            KpiReach::City => true,
            KpiReach::Districts(ds) => by == Grouping::District && matches!(group, Group::Code(c) if ds.contains(c)),
        }
    }
}

fn kpi_reach(viewer: &Viewer) -> Result<KpiReach, UiError> {
    let u = viewer.require(Resource::Kpi, Action::Read)?;
    KpiReach::of(&u.scope(Resource::Kpi, Action::Read)).ok_or_else(|| {
        UiError::new(
            StatusCode::FORBIDDEN,
            "指标按全市和各区统计；您的角色限于本单位或本人，请在人员查询中查看本单位人员",
            "KPIs are computed for the city and its districts; your roles reach one organisation or person — see the persons list",
        )
    })
}

#[derive(Deserialize)]
pub struct DashboardQuery {
    as_of: Option<String>,
}

/// A named chart: the id of its JSON block and the JSON.
pub struct Chart {
    pub id: &'static str,
    pub json: String,
    pub label: String,
}

impl Chart {
    pub fn new(id: &'static str, label: &str, v: &serde_json::Value) -> Chart {
        Chart { id, json: v.to_string(), label: label.to_string() }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    l: Lang,
    as_of: String,
    today: bool,
    scope_name: String,
    headlines: Vec<Headline>,
    bullet: Chart,
    districts: Vec<RowView>,
    district_chart: Chart,
    district_high_chart: Chart,
    chains: Vec<RowView>,
    chain_chart: Option<Chart>,
    levels: Vec<RowView>,
    level_chart: Option<Chart>,
    city_wide: bool,
    trend_group: String,
    chain_is_industry: bool,
    /// 以赛代评 promotions by year and competition tier (city-wide readers).
    tiers: Vec<String>,
    years: Vec<super::competitions::YearRow>,
}

/// `GET /dashboard[?as_of=YYYY-MM-DD]`.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, UiError> {
    let reach = kpi_reach(&viewer)?;
    let as_of = match params::given(&q.as_of) {
        Some(s) => params::date("as_of", s)?,
        None => app.today(),
    };
    let by_district = kpi::compute(&app, Grouping::District, as_of).await?;
    let in_reach = |r: &&KpiRow| match &reach {
        KpiReach::City => r.group != TOTAL,
        KpiReach::Districts(ds) => ds.contains(&r.group),
    };
    let district_rows: Vec<&KpiRow> = by_district.rows.iter().filter(in_reach).collect();
    // The headline: the city, or a district administrator's one district.
    let (headline_row, headline_by, scope_name, trend_group) = match &reach {
        KpiReach::City => {
            let total =
                by_district.rows.iter().find(|r| r.group == TOTAL).ok_or_else(|| UiError::internal("no total row"))?;
            (
                total,
                Grouping::City,
                l.name(total.name_zh.as_deref(), total.name_en.as_deref(), TOTAL).to_string(),
                TOTAL.to_string(),
            )
        }
        KpiReach::Districts(_) => {
            let first = district_rows
                .first()
                .copied()
                .ok_or_else(|| UiError::not_found("没有可显示的区", "no district to show"))?;
            let names: Vec<&str> =
                district_rows.iter().map(|r| l.name(r.name_zh.as_deref(), r.name_en.as_deref(), &r.group)).collect();
            (first, Grouping::District, names.join("、"), first.group.clone())
        }
    };
    let headlines = kpi_view::headlines(l, &app.policy.ladder, headline_row, headline_by, as_of, true);
    let bullet = kpi_view::bullet_chart(l, headline_row, headline_by, as_of, true);
    let district_chart =
        kpi_view::share_bars(l, &district_rows, KpiKind::SkilledShare, Grouping::District, as_of, true);
    let district_high =
        kpi_view::share_bars(l, &district_rows, KpiKind::HighSkilledShare, Grouping::District, as_of, true);
    let mut districts: Vec<RowView> =
        district_rows.iter().map(|r| kpi_view::row_view(l, Grouping::District, r, as_of, true)).collect();
    if reach == KpiReach::City
        && let Some(total) = by_district.rows.iter().find(|r| r.group == TOTAL)
    {
        districts.push(kpi_view::row_view(l, Grouping::District, total, as_of, true));
    }

    // Breakdowns that are city-wide counts: only for a city-wide reader.
    let city_wide = reach == KpiReach::City;
    let (chains, chain_chart, levels, level_chart) = if city_wide {
        let by_chain = kpi::compute(&app, CHAIN_GROUPING, as_of).await?;
        let chain_rows: Vec<&KpiRow> =
            by_chain.rows.iter().filter(|r| r.group != TOTAL && r.registry_employed > 0).collect();
        let chain_chart = kpi_view::share_bars(l, &chain_rows, KpiKind::SkilledShare, CHAIN_GROUPING, as_of, true);
        // The chains overlap (an employer may be in several): no total row under them.
        let chains = chain_rows.iter().map(|r| kpi_view::row_view(l, CHAIN_GROUPING, r, as_of, true)).collect();
        let by_level = kpi::compute(&app, Grouping::Level, as_of).await?;
        let level_rows: Vec<&KpiRow> = by_level.rows.iter().filter(|r| r.group != TOTAL).collect();
        let level_chart = kpi_view::level_bars(l, &level_rows, as_of, true);
        let levels = level_rows.iter().map(|r| kpi_view::row_view(l, Grouping::Level, r, as_of, true)).collect();
        (
            chains,
            Some(Chart::new(
                "chart-chains",
                l.t("各产业链技能人才占比", "Skilled share by industrial chain"),
                &chain_chart,
            )),
            levels,
            Some(Chart::new(
                "chart-levels",
                l.t("按最高等级的就业人员", "Employed persons by highest level"),
                &level_chart,
            )),
        )
    } else {
        (Vec::new(), None, Vec::new(), None)
    };
    render(&DashboardPage {
        c: Chrome::new(l, &viewer, "dashboard"),
        l,
        as_of: iso(as_of),
        today: as_of == app.today(),
        scope_name,
        headlines,
        bullet: Chart::new("chart-headline", l.t("两项占比与目标", "Both shares against their targets"), &bullet),
        districts,
        district_chart: Chart::new(
            "chart-districts",
            l.t("各区技能人才占比", "Skilled share by district"),
            &district_chart,
        ),
        district_high_chart: Chart::new(
            "chart-districts-high",
            l.t("各区高技能人才占比", "High-skilled share by district"),
            &district_high,
        ),
        chains,
        chain_chart,
        levels,
        level_chart,
        city_wide,
        trend_group,
        chain_is_industry: CHAIN_GROUPING == Grouping::Industry,
        tiers: super::competitions::tier_names(l),
        years: if city_wide { super::competitions::promotions_by_year(&app).await? } else { Vec::new() },
    })
}

type TrendKey = (Grouping, Date);

static TRENDS: Mutex<Vec<(TrendKey, Instant, ProjectionReport)>> = Mutex::new(Vec::new());

/// The projection report, from the cache when it is fresh.
async fn projection(app: &App, by: Grouping) -> Result<ProjectionReport, UiError> {
    let key = (by, app.today());
    {
        let cache = TRENDS.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, at, r)) = cache.iter().find(|(k, at, _)| *k == key && at.elapsed() < TREND_TTL) {
            let _ = at;
            return Ok(r.clone());
        }
    }
    let report = kpi_series::projection(app, by, kpi_series::default_from(app), Step::Year).await?;
    let mut cache = TRENDS.lock().unwrap_or_else(|e| e.into_inner());
    cache.retain(|(k, at, _)| *k != key && at.elapsed() < TREND_TTL);
    cache.push((key, Instant::now(), report.clone()));
    Ok(report)
}

/// Forgets computed trends (after an import changed the registry).
pub fn forget_trends() {
    TRENDS.lock().unwrap_or_else(|e| e.into_inner()).clear();
}

#[derive(Template)]
#[template(path = "dashboard_trend.html")]
struct TrendFragment {
    l: Lang,
    charts: Vec<(Chart, String)>,
    method: String,
}

#[derive(Deserialize)]
pub struct TrendQuery {
    group: Option<String>,
}

/// `GET /dashboard/trend?group=…`: the trend charts, as a fragment the dashboard loads.
pub async fn trend(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<TrendQuery>,
) -> Result<Response, UiError> {
    let reach = kpi_reach(&viewer)?;
    let group = params::given(&q.group).unwrap_or(TOTAL).to_string();
    let by = if group == TOTAL { Grouping::City } else { Grouping::District };
    if !reach.admits(by, &if group == TOTAL { Group::All } else { Group::Code(group.clone()) }) {
        return Err(UiError::forbidden());
    }
    let mut report = projection(&app, by).await?;
    report.groups.retain(|g| g.group == group || (by == Grouping::City && g.group == TOTAL));
    let charts = [KpiKind::SkilledShare, KpiKind::HighSkilledShare]
        .into_iter()
        .filter_map(|k| {
            kpi_view::trend_chart(l, &report, k).map(|(chart, outlook)| {
                let id = match k {
                    KpiKind::SkilledShare => "chart-trend-skilled",
                    KpiKind::HighSkilledShare => "chart-trend-high",
                };
                (Chart::new(id, kpi_view::kpi_name(l, k), &chart), outlook)
            })
        })
        .collect();
    render(&TrendFragment { l, charts, method: l.msg(&report.method).to_string() })
}

#[derive(Deserialize)]
pub struct DrillQuery {
    by: Option<String>,
    group: Option<String>,
    measure: Option<String>,
    as_of: Option<String>,
    after: Option<String>,
    /// Rows a page: 20, 50 or 100 (50 unless asked).
    size: Option<usize>,
    /// The page's number, carried by the "next" link.
    page: Option<usize>,
}

#[derive(Template)]
#[template(path = "kpi_persons.html")]
struct DrillPage {
    c: Chrome,
    l: Lang,
    title: String,
    as_of: String,
    rows: Vec<PersonRow>,
    next_href: Option<String>,
    export_href: String,
    first_page: bool,
    /// How many persons the figure has within the reader's reach.
    total: String,
    pager: super::pager::Pager,
}

/// The drill-down a query names, within the reader's KPI reach, and the persons-read scope that
/// decides whose records come back (as for the API's drill-down).
fn drill_request(app: &App, viewer: &Viewer, q: &DrillQuery) -> Result<(DrillDown, Scope), UiError> {
    let d = drill_of(app, &kpi_reach(viewer)?, q)?;
    let scope = viewer.require(Resource::Persons, Action::Read)?.scope(Resource::Persons, Action::Read);
    Ok((d, scope))
}

/// The drill-down a query names, checked against the reader's reach.
fn drill_of(app: &App, reach: &KpiReach, q: &DrillQuery) -> Result<DrillDown, UiError> {
    let by = match params::given(&q.by) {
        None => Grouping::City,
        Some(s) => Grouping::parse(s).ok_or_else(|| UiError::bad(gongjiang_domain::kpi::unknown_grouping(s)))?,
    };
    let group = Group::parse(app, by, params::given(&q.group)).map_err(UiError::bad)?;
    let measure = Measure::parse(params::given(&q.measure).unwrap_or("employed")).map_err(UiError::bad)?;
    let as_of = match params::given(&q.as_of) {
        Some(s) => params::date("as_of", s)?,
        None => app.today(),
    };
    if !reach.admits(by, &group) {
        return Err(UiError::forbidden());
    }
    Ok(DrillDown { by, group, measure, as_of })
}

fn drill_title(app: &App, l: Lang, d: &DrillDown) -> String {
    let measure = match d.measure {
        Measure::Employed => l.t("就业人员", "Employed persons"),
        Measure::Skilled => l.t("技能人才", "Skilled talent"),
        Measure::HighSkilled => l.t("高技能人才", "High-skilled talent"),
    };
    let group = match &d.group {
        Group::All => l.t(&app.policy.meta.jurisdiction_name_zh, &app.policy.meta.jurisdiction_name_en).to_string(),
        Group::Missing => l.t("未登记", "not recorded").to_string(),
        Group::Code(c) => match d.by {
            Grouping::District => {
                app.policy.district(c).map(|x| l.t(&x.name_zh, &x.name_en).to_string()).unwrap_or_else(|| c.clone())
            }
            Grouping::Industry => {
                app.policy.industry(c).map(|x| l.t(&x.name_zh, &x.name_en).to_string()).unwrap_or_else(|| c.clone())
            }
            Grouping::Level => {
                c.parse::<i16>().map(|r| super::layout::level_name(app, l, r)).unwrap_or_else(|_| c.clone())
            }
            Grouping::Chain => app
                .policy
                .industrial_chain(c)
                .map(|x| l.t(&x.name_zh, &x.name_en).to_string())
                .unwrap_or_else(|| c.clone()),
            _ => c.clone(),
        },
    };
    format!("{group} · {measure}")
}

/// `GET /kpi/persons?by=&group=&measure=&as_of=`: the persons behind one figure, 50 a page.
pub async fn persons(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<DrillQuery>,
) -> Result<Response, UiError> {
    let (d, scope) = drill_request(&app, &viewer, &q)?;
    let after = super::layout::cursor(Listing::KpiPersons, &q.after)?;
    let size = super::pager::size(q.size.or(Some(50)));
    let mut found = kpi::persons_behind(&app, &scope, &d, after, size + 1).await?;
    let more = found.len() as i64 > size;
    found.truncate(size as usize);
    let query = drill_query(&d);
    let number = q.page.unwrap_or(1);
    let next_href = more
        .then(|| {
            found.last().map(|p| {
                let cursor = paging::encode(Listing::KpiPersons, p.id);
                format!("/kpi/persons?{query}&size={size}&page={}&after={cursor}", number + 1)
            })
        })
        .flatten();
    let count = kpi::count_behind(&app, &scope, &d).await?;
    let total = if count >= kpi::DRILL_COUNT_CAP {
        format!("{} {}", l.t("超过", "more than"), super::layout::int(kpi::DRILL_COUNT_CAP))
    } else {
        super::layout::int(count)
    };
    let pager = super::pager::pager("/kpi/persons", &query, size, q.page, Some(count), kpi::DRILL_COUNT_CAP);
    render(&DrillPage {
        c: Chrome::new(l, &viewer, "dashboard"),
        l,
        title: drill_title(&app, l, &d),
        as_of: iso(d.as_of),
        rows: person_rows(&app, l, found),
        next_href,
        export_href: format!("/kpi/persons/export.xlsx?{query}"),
        first_page: after.is_none(),
        total,
        pager,
    })
}

fn drill_query(d: &DrillDown) -> String {
    let group = match &d.group {
        Group::All => TOTAL.to_string(),
        Group::Missing => missing_code(d.by).to_string(),
        Group::Code(c) => c.clone(),
    };
    format!(
        "by={}&group={}&measure={}&as_of={}",
        d.by.code(),
        super::layout::urlencode(&group),
        d.measure.code(),
        iso(d.as_of)
    )
}

/// How a row of persons without the attribute is named (as the KPI rows name it).
fn missing_code(by: Grouping) -> &'static str {
    match by {
        Grouping::Level | Grouping::Chain => "none",
        _ => "unknown",
    }
}

/// `GET /kpi/persons/export.xlsx?…`: every person behind the figure, as a workbook.
pub async fn persons_export(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<DrillQuery>,
) -> Result<Response, UiError> {
    let (d, scope) = drill_request(&app, &viewer, &q)?;
    let title = drill_title(&app, l, &d);
    super::exports::persons_workbook(&app, l, &title, |after, limit| {
        let app = app.clone();
        let d = d.clone();
        let scope = scope.clone();
        async move { Ok(kpi::persons_behind(&app, &scope, &d, after, limit).await?) }
    })
    .await
}
