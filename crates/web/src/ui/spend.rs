//! `GET /benefits/spend`: the bureau's view of a scheme's money (补贴支出) — per district, what
//! was paid in a year against the year's budget (where the policy sets one), what is owed now
//! (claims in review, in notice or approved: the people entitled but not yet paid), and what
//! was paid by month; city-wide, what is to be recovered. A district officer sees their
//! districts' lines only.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::subsidy::{self, DistrictSpend, SpendRow};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::bilingual::Msg;
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, int, render};
use crate::extract::Query;

#[derive(Debug, Default, Deserialize)]
pub struct SpendQuery {
    scheme: Option<String>,
    year: Option<String>,
}

/// One district's line as shown.
pub struct Line {
    pub name: String,
    pub paid_claims: String,
    pub paid: String,
    pub budget: String,
    /// Share of the budget paid, `37.5%`; empty without a budget.
    pub used: String,
    pub over: bool,
    pub owed_claims: String,
    pub owed: String,
}

#[derive(Template)]
#[template(path = "spend.html")]
struct SpendPage {
    c: Chrome,
    l: Lang,
    schemes: Vec<(String, String, bool)>,
    year: i32,
    city_wide: bool,
    lines: Vec<Line>,
    total: Line,
    months: Vec<(String, String, String)>,
    recovery_claims: String,
    recovery: String,
    no_budget: bool,
}

fn yuan(v: u64) -> String {
    format!("¥{}", int(v as i64))
}

fn line(name: String, paid_claims: u64, paid: u64, owed_claims: u64, owed: u64, budget: Option<u64>) -> Line {
    let used = budget.filter(|b| *b > 0).map(|b| paid as f64 * 100.0 / b as f64);
    Line {
        name,
        paid_claims: int(paid_claims as i64),
        paid: yuan(paid),
        budget: budget.map(yuan).unwrap_or_default(),
        used: used.map(|u| format!("{u:.1}%")).unwrap_or_default(),
        over: used.is_some_and(|u| u > 100.0),
        owed_claims: int(owed_claims as i64),
        owed: yuan(owed),
    }
}

/// `GET /benefits/spend`.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<SpendQuery>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Write)?;
    let scope = u.scope(Resource::Persons, Action::Write);
    let city_wide = scope.is_all();
    if !city_wide && scope.district_codes().is_empty() {
        return Err(UiError::forbidden());
    }
    let ids = app.policy.benefits.ids();
    let scheme = q.scheme.as_deref().filter(|s| !s.trim().is_empty()).unwrap_or("skill-upgrade").to_string();
    if !ids.contains(&scheme.as_str()) {
        return Err(UiError::bad(Msg::new(format!("没有补贴项目 “{scheme}”"), format!("no scheme \"{scheme}\""))));
    }
    let year = match q.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => app.today().year(),
        Some(y) => y.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y)).ok_or_else(|| {
            UiError::bad(Msg::new(
                format!("年份应为 2000–2100，收到“{y}”"),
                format!("the year must be 2000–2100, got \"{y}\""),
            ))
        })?,
    };
    let report = subsidy::spend(&app, &scheme, Some(year)).await?;
    let reached = |code: &str| city_wide || scope.district_codes().contains(code);
    let unnamed = l.t("（未登记区）", "(no district)").to_string();
    let mine: Vec<&DistrictSpend> = report.districts.iter().filter(|d| reached(&d.district)).collect();
    let lines = mine
        .iter()
        .map(|d| {
            let name = if d.district.is_empty() { unnamed.clone() } else { d.district_name.clone() };
            line(name, d.paid_claims, d.paid, d.owed_claims, d.owed, d.budget)
        })
        .collect();
    let sum = |f: fn(&DistrictSpend) -> u64| mine.iter().map(|d| f(d)).sum::<u64>();
    let total = line(
        l.t("合计", "Total").to_string(),
        sum(|d| d.paid_claims),
        sum(|d| d.paid),
        sum(|d| d.owed_claims),
        sum(|d| d.owed),
        if city_wide { report.budget } else { None },
    );
    let prefix = format!("{year:04}-");
    let mut months: std::collections::BTreeMap<String, (u64, u64)> = std::collections::BTreeMap::new();
    for SpendRow { district, month, claims, paid, .. } in &report.paid {
        if month.starts_with(&prefix) && reached(district) {
            let m = months.entry(month.clone()).or_default();
            m.0 += claims;
            m.1 += paid;
        }
    }
    let no_budget = !app.policy.benefits.budgets.iter().any(|b| b.scheme == scheme && b.year == year);
    render(&SpendPage {
        c: Chrome::new(l, &viewer, "claims"),
        l,
        schemes: ids.iter().map(|id| (id.to_string(), scheme_name(&app, l, id), *id == scheme)).collect(),
        year,
        city_wide,
        lines,
        total,
        months: months.into_iter().map(|(m, (claims, paid))| (m, int(claims as i64), yuan(paid))).collect(),
        recovery_claims: int(report.recovery_claims as i64),
        recovery: yuan(report.recovery),
        no_budget,
    })
}

fn scheme_name(app: &App, l: Lang, id: &str) -> String {
    app.policy
        .benefits
        .heads()
        .into_iter()
        .find(|h| h.id == id)
        .map(|h| l.t(&h.name_zh, &h.name_en).to_string())
        .unwrap_or_else(|| id.to_string())
}
