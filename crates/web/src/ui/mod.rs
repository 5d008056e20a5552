//! The web application people use in a browser: server-rendered pages (askama templates in
//! `crates/web/templates/`), htmx for the parts that update in place, ECharts for charts, all
//! served from this binary (`assets.rs`). Chinese first with an English switch on every page
//! (`i18n.rs`); what a visitor may open is decided in one place (`gate.rs`). One file per page.

pub mod account;
pub mod admin;
pub mod assets;
pub mod benefits;
pub mod claims;
pub mod competition_marking;
pub mod competition_setup;
pub mod competitions;
pub mod corrections;
pub mod dashboard;
pub mod error;
pub mod error_page;
pub mod evaluation;
pub mod evaluation_setup;
pub mod exports;
pub mod gate;
pub mod home;
pub mod i18n;
pub mod imports;
pub mod kpi_view;
pub mod layout;
pub mod login;
pub mod my_sessions;
pub mod organisation_form;
pub mod organisations;
pub mod pager;
pub mod person_new;
pub mod person_row;
pub mod persons;
pub mod public_kpi;
pub mod registry_form;
pub mod spend;
pub mod training;
pub mod verify;

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use gongjiang_app::App;

use crate::rate_limit::{RateLimiter, limit};

/// Request bodies of ordinary forms.
pub const FORM_LIMIT_BYTES: usize = 64 * 1024;

/// The content security policy of every page: scripts only from this site (no inline script),
/// no frames, forms post only here. Inline style attributes are allowed because ECharts writes
/// them into its tooltips.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The public verification pages (GET), which the API's authorization matrix also checks.
pub const PUBLIC_VERIFICATION_PAGES: [&str; 2] = ["/verify", "/v/{public_id}"];

/// Every page route. Public verification shares the API's per-client rate limit.
pub fn router(limiter: Arc<RateLimiter>, publish_kpi: bool, signup: account::Signup) -> Router<App> {
    let public = Router::new()
        .route("/verify", get(verify::page))
        .route(
            "/verify/file",
            post(verify::file).layer(DefaultBodyLimit::max(verify::MAX_CREDENTIAL_BYTES + 16 * 1024)),
        )
        .route("/v/{public_id}", get(verify::certificate))
        .route_layer(axum::middleware::from_fn_with_state(limiter, limit));
    Router::new()
        .route("/static/{*name}", get(assets::serve))
        .route("/lang/{code}", get(i18n::switch))
        .route("/", get(home::page))
        .route("/me", get(home::me))
        .route("/me/benefits", get(benefits::page))
        .route("/benefits/claims", get(claims::page))
        .route("/benefits/spend", get(spend::page))
        .route("/benefits/claims/{id}", post(claims::decide))
        .route("/login", get(login::page))
        .route("/signup", get(account::signup_page).post(account::signup))
        .route("/me/corrections", post(corrections::request))
        .route("/me/sessions", get(my_sessions::list))
        .route("/me/applications", post(my_sessions::apply))
        .route("/me/password", get(account::password_page).post(account::change_password))
        .route("/admin/users/{username}/password", post(admin::users::reset_password))
        .route("/logout", post(login::logout))
        .route("/public/kpi", get(public_kpi::page))
        .route("/dashboard", get(dashboard::page))
        .route("/dashboard/trend", get(dashboard::trend))
        .route("/kpi/persons", get(dashboard::persons))
        .route("/kpi/persons/export.xlsx", get(dashboard::persons_export))
        .route("/persons", get(persons::search))
        .route("/persons/export.xlsx", get(persons::export))
        .route("/persons/new", get(person_new::form).post(person_new::add))
        .route("/persons/{public_id}", get(persons::show))
        .route("/persons/{public_id}/edit", get(person_new::edit_form).post(person_new::edit))
        .route("/persons/{public_id}/programmes", get(training::for_person))
        .route("/programmes", get(training::list))
        .route("/programmes/new", get(training::new_form).post(training::create))
        .route("/programmes/{code}", get(training::show))
        .route("/programmes/{code}/enrolments", post(training::enrol))
        .route("/persons/{public_id}/corrections/{id}", post(corrections::decide))
        .route("/organisations", get(organisations::list))
        .route("/organisations/new", get(organisation_form::form).post(organisation_form::add))
        .route("/organisations/{public_id}", get(organisations::show))
        .route("/organisations/{public_id}/edit", get(organisation_form::edit_form).post(organisation_form::edit))
        .route("/certificates/{public_id}/pdf", get(persons::pdf))
        .route("/certificates/{public_id}/credential.json", get(persons::credential))
        .route(
            "/imports",
            get(imports::page)
                .post(imports::upload)
                .layer(DefaultBodyLimit::max(imports::MAX_UPLOAD_BYTES + 64 * 1024)),
        )
        .route("/imports/template/{kind}", get(imports::template))
        .route("/imports/jobs/{id}", get(imports::job))
        .route("/imports/jobs/{id}/progress", get(imports::progress))
        .route("/imports/jobs/{id}/report.xlsx", get(imports::report))
        .route("/admin", get(admin::index))
        .route("/admin/users", get(admin::users::list).post(admin::users::create))
        .route("/admin/users/{username}", get(admin::users::show))
        .route("/admin/users/{username}/roles", post(admin::users::grant))
        .route("/admin/users/{username}/roles/revoke", post(admin::users::revoke))
        .route("/admin/users/{username}/status", post(admin::users::set_status))
        .route("/admin/tokens", get(admin::tokens::list).post(admin::tokens::create))
        .route("/admin/tokens/revoke", post(admin::tokens::revoke))
        .route("/admin/audit", get(admin::audit::page))
        .route("/admin/audit/verify", post(admin::audit::verify))
        .route("/admin/institutions", get(evaluation_setup::page))
        .route("/competitions", get(competitions::list).post(competition_setup::create))
        .route("/competitions/setup", get(competition_setup::page))
        .route("/competitions/{code}/events", post(competition_setup::add_event))
        .route("/competitions/{code}/{event}", get(competitions::results))
        .route("/competitions/{code}/{event}/manage", get(competition_setup::manage))
        .route("/competitions/{code}/{event}/scheme", post(competition_setup::scheme))
        .route("/competitions/{code}/{event}/judges", post(competition_setup::judge))
        .route("/competitions/{code}/{event}/entries", post(competition_setup::entries))
        .route("/competitions/{code}/{event}/sign-off", post(competition_setup::sign_off))
        .route("/competitions/{code}/{event}/publish", post(competition_setup::publish))
        .route("/competitions/{code}/{event}/mark", get(competition_marking::page).post(competition_marking::save))
        .route("/evaluation", get(evaluation::list))
        .route("/evaluation/setup", get(evaluation_setup::page))
        .route("/evaluation/institutions", post(evaluation_setup::file))
        .route("/evaluation/institutions/{public_id}/scope", post(evaluation_setup::add_scope))
        .route("/evaluation/sessions", post(evaluation_setup::plan))
        .route("/evaluation/sessions/{public_id}/staffing", get(evaluation_setup::staffing))
        .route("/evaluation/sessions/{public_id}/examiners", post(evaluation_setup::examiners))
        .route("/evaluation/sessions/{public_id}/open", post(evaluation_setup::open))
        .route("/evaluation/sessions/{public_id}", get(evaluation::show))
        .route("/evaluation/sessions/{public_id}/override", post(evaluation::admit_override))
        .route("/evaluation/sessions/{public_id}/scores", post(evaluation::score))
        .route("/evaluation/sessions/{public_id}/objections", post(evaluation::object))
        .route("/evaluation/sessions/{public_id}/objections/resolve", post(evaluation::resolve))
        .route("/evaluation/sessions/{public_id}/publish", post(evaluation::publish))
        .route("/evaluation/sessions/{public_id}/finalise", post(evaluation::finalise))
        .merge(public)
        .layer(axum::Extension(gate::Publish(publish_kpi)))
        .layer(axum::Extension(signup))
        .layer(axum::Extension(Arc::new(imports::Jobs::default())))
        .layer(DefaultBodyLimit::max(FORM_LIMIT_BYTES))
        .layer(axum::middleware::map_response(page_headers))
}

/// Security headers on every HTML page.
async fn page_headers(mut resp: Response) -> Response {
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if is_html {
        let h = resp.headers_mut();
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        h.insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static("no-store"));
    }
    resp
}

/// Paths no route matches: a page for a browser (which asks for HTML), the API's JSON 404 for
/// everyone else and for anything under `/api/`.
pub async fn fallback(req: Request) -> Response {
    let wants_page = !req.uri().path().starts_with("/api/")
        && req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    if wants_page {
        return error::UiError::not_found("没有这个页面", "no such page").into_response();
    }
    crate::layers::no_route().await.into_response()
}
