//! gongjiang-web: the HTTP API — JSON under `/api/v1`, its OpenAPI 3.1 document at
//! `/api/openapi.json` and a browsable page at `/api/docs` — and the web application's pages
//! (`ui`). The JSON handlers (`api`) and the pages call the store and the
//! app crate; they hold no SQL and no rules.

mod api;
pub mod auth;
pub mod error;
mod extract;
mod layers;
pub mod openapi;
mod paging;
mod params;
pub mod rate_limit;
mod ui;

pub use ui::account::Signup;
mod views;
mod xapi;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{MethodRouter, get};
use gongjiang_app::App;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::ApiError;

/// The OpenAPI document as served at `/api/openapi.json`: the base of `openapi::ApiDoc` with
/// every route of `api::router`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let limiter = std::sync::Arc::new(rate_limit::RateLimiter::new(Default::default()));
    api::router(limiter).into_openapi()
}

/// The document as pretty JSON, as committed in `crates/web/openapi.json`.
pub fn openapi_json() -> String {
    openapi::to_json(&openapi())
}

/// The browsable API page: self-contained (no CDN), it reads `/api/openapi.json`.
const DOCS_PAGE: &str = include_str!("../static/api-docs.html");

/// How the service is run: what the defaults do not decide.
#[derive(Debug, Clone)]
pub struct WebOptions {
    pub public_rate: rate_limit::PublicRate,
    /// Sign-in attempts per client address (on top of each account's lockout).
    pub sign_in_rate: rate_limit::PublicRate,
    /// Whether browsers reach the service over HTTPS (directly or through a TLS proxy): the
    /// session cookie is then `Secure` and named with the `__Host-` prefix.
    pub https: bool,
    /// Reverse proxies whose `X-Forwarded-For` names the client (for the audit trail and the
    /// per-client limits); without any, the connection's peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Publish the skills statistics page (`/public/kpi`) to visitors without sign-in.
    pub public_kpi: bool,
    /// Whether workers may make their own accounts at `/signup`, and whether those wait for an
    /// administrator's approval.
    pub signup: Signup,
}

impl Default for WebOptions {
    fn default() -> Self {
        WebOptions {
            public_rate: Default::default(),
            sign_in_rate: rate_limit::PublicRate::SIGN_IN,
            https: false,
            trusted_proxies: Vec::new(),
            public_kpi: true,
            signup: Signup::Open,
        }
    }
}

/// The whole HTTP service for `app`, with the default options.
pub fn router(app: App) -> Router {
    router_with(app, &WebOptions::default())
}

/// The whole HTTP service for `app`.
pub fn router_with(app: App, options: &WebOptions) -> Router {
    let limiter = std::sync::Arc::new(rate_limit::RateLimiter::new(options.public_rate));
    let (api, doc) = api::router(limiter.clone()).split_for_parts();
    let spec = Bytes::from(openapi::to_json(&doc));
    let pages =
        other_routes(limiter.clone(), spec).into_iter().fold(Router::new(), |r, (path, route)| r.route(path, route));
    let cookies = auth::CookiePolicy { secure: options.https };
    let sign_in = api::login::SignIn {
        limiter: std::sync::Arc::new(rate_limit::RateLimiter::new(options.sign_in_rate)),
        cookies,
    };
    let sessions = auth::SessionLayer { app: app.clone(), cookies };
    // The pages (crates/web/src/ui) set their own body limits: uploads are larger than API bodies.
    // The LRS has its own, larger limit: statements come with their attachments.
    api.merge(pages)
        .layer(RequestBodyLimitLayer::new(layers::BODY_LIMIT_BYTES))
        .route_service("/xapi/{*resource}", xapi::service(app.clone()))
        .merge(ui::router(limiter, options.public_kpi, options.signup))
        .fallback(ui::fallback)
        .with_state(app.clone())
        .layer(axum::middleware::from_fn_with_state(app, ui::error_page::with_chrome))
        .layer(axum::middleware::from_fn_with_state(sessions, auth::sessions))
        .layer(axum::Extension(sign_in))
        .layer(axum::middleware::from_fn_with_state(
            auth::TrustedProxies(std::sync::Arc::new(options.trusted_proxies.clone())),
            auth::client_addresses,
        ))
        .layer(TimeoutLayer::with_status_code(error::TIMEOUT_STATUS, layers::REQUEST_TIMEOUT))
        .layer(axum::middleware::map_response(layers::json_errors))
        .layer(axum::middleware::map_response(layers::no_store_unless_set))
        .layer(CatchPanicLayer::custom(layers::panic_response))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(layers::request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
}

/// The routes outside the OpenAPI document that belong to the API: the document itself and its
/// page (GET). The web application's pages are `ui::router`.
fn other_routes(
    limiter: std::sync::Arc<rate_limit::RateLimiter>,
    spec: Bytes,
) -> Vec<(&'static str, MethodRouter<App>)> {
    let _ = limiter;
    let spec_json = move || async move { ([(header::CONTENT_TYPE, "application/json")], spec) };
    vec![("/api/openapi.json", get(spec_json)), ("/api/docs", get(docs_page))]
}

/// The GET routes outside the OpenAPI document that the authorization matrix
/// (crates/web/tests/api/matrix.rs) checks: the API's document and page, and the public
/// verification pages. The signed-in pages of `ui` answer in HTML (303 to sign in, a 403 or 404
/// page) and are checked role by role in the browser tests (e2e/); their gate is `ui::gate`.
pub fn page_routes() -> Vec<&'static str> {
    let limiter = std::sync::Arc::new(rate_limit::RateLimiter::new(Default::default()));
    let mut paths: Vec<&'static str> = other_routes(limiter, Bytes::new()).into_iter().map(|(path, _)| path).collect();
    paths.extend(ui::PUBLIC_VERIFICATION_PAGES);
    paths
}

async fn docs_page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], DOCS_PAGE)
}

/// Serves `app` on `addr` until Ctrl-C (or SIGTERM), letting requests in flight finish.
pub async fn serve(app: App, addr: SocketAddr, options: &WebOptions) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    serve_on(listener, app, options, shutdown_signal()).await
}

/// Serves `app` on an already bound listener until `shutdown` completes; for callers that bind
/// port 0 (tests) or bring their own shutdown signal. Closes the database pool afterwards.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    app: App,
    options: &WebOptions,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    tracing::info!(addr = %listener.local_addr()?, "serving the API");
    let db = app.db.clone();
    let service = router_with(app, options).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, service).with_graceful_shutdown(shutdown).await?;
    db.close().await;
    tracing::info!("API server stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
    tracing::info!("shutting down: finishing requests in flight");
}
