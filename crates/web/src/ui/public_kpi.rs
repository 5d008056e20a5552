//! Pages for everyone, without sign-in: the landing page (`/` for a visitor) and the published
//! statistics (`/public/kpi`) — the city's two shares against their targets and each district's,
//! as shares and counts only: no names, no lists. A city that does not publish them turns the
//! page off (`WebOptions::public_kpi`).

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::kpi::{self, TOTAL};
use gongjiang_domain::kpi::{Grouping, KpiRow};
use gongjiang_domain::policy::KpiKind;

use super::dashboard::Chart;
use super::error::UiError;
use super::gate::{Publish, Viewer};
use super::i18n::Lang;
use super::kpi_view::{self, Headline, RowView};
use super::layout::{Chrome, iso, render};

#[derive(Template)]
#[template(path = "landing.html")]
struct Landing {
    c: Chrome,
    l: Lang,
    city: String,
    publish: bool,
}

/// `/` for a visitor who is not signed in.
pub async fn landing(app: &App, viewer: &Viewer, l: Lang, publish: bool) -> Result<Response, UiError> {
    let city = l.t(&app.policy.meta.jurisdiction_name_zh, &app.policy.meta.jurisdiction_name_en).to_string();
    render(&Landing { c: Chrome::new(l, viewer, "home"), l, city, publish })
}

#[derive(Template)]
#[template(path = "public_kpi.html")]
struct PublicKpi {
    c: Chrome,
    l: Lang,
    city: String,
    as_of: String,
    headlines: Vec<Headline>,
    bullet: Chart,
    district_chart: Chart,
    districts: Vec<RowView>,
}

/// `GET /public/kpi`.
pub async fn page(
    State(app): State<App>,
    Extension(publish): Extension<Publish>,
    viewer: Viewer,
    l: Lang,
) -> Result<Response, UiError> {
    if !publish.0 {
        return Err(UiError::not_found("本市未公开发布技能人才统计", "the city does not publish these statistics"));
    }
    let as_of = app.today();
    let report = kpi::compute(&app, Grouping::District, as_of).await?;
    let total = report.rows.iter().find(|r| r.group == TOTAL).ok_or_else(|| UiError::internal("no total row"))?;
    let districts: Vec<&KpiRow> = report.rows.iter().filter(|r| r.group != TOTAL && r.registry_employed > 0).collect();
    let bullet = kpi_view::bullet_chart(l, total, Grouping::City, as_of, false);
    let chart = kpi_view::share_bars(l, &districts, KpiKind::SkilledShare, Grouping::District, as_of, false);
    let mut rows: Vec<RowView> =
        districts.iter().map(|r| kpi_view::row_view(l, Grouping::District, r, as_of, false)).collect();
    rows.push(kpi_view::row_view(l, Grouping::District, total, as_of, false));
    render(&PublicKpi {
        c: Chrome::new(l, &viewer, "public-kpi"),
        l,
        city: l.name(total.name_zh.as_deref(), total.name_en.as_deref(), TOTAL).to_string(),
        as_of: iso(as_of),
        headlines: kpi_view::headlines(l, &app.policy.ladder, total, Grouping::City, as_of, false),
        bullet: Chart::new(
            "chart-public-headline",
            l.t("两项占比与目标", "Both shares against their targets"),
            &bullet,
        ),
        district_chart: Chart::new(
            "chart-public-districts",
            l.t("各区技能人才占比", "Skilled share by district"),
            &chart,
        ),
        districts: rows,
    })
}
