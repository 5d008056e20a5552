//! One file per action (`<resource>/<action>.rs`); this module is the route table.

pub mod audit;
pub mod certificates;
pub mod competitions;
pub mod credentials;
pub mod demand;
pub mod evaluation;
pub mod health;
pub mod kpi;
pub mod login;
pub mod me;
pub mod occupations;
pub mod organisations;
pub mod persons;
pub mod platforms;
pub mod policy;
pub mod supply_gap;

use std::sync::Arc;

use gongjiang_app::App;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::rate_limit::RateLimiter;

/// Every `/api/v1` route with its OpenAPI description, collected from the handlers' attributes
/// so the document cannot describe a route that does not exist (or miss one that does). The
/// public verification routes go through `limiter`, per client.
pub fn router(limiter: Arc<RateLimiter>) -> OpenApiRouter<App> {
    let public = OpenApiRouter::new()
        .routes(routes!(certificates::verify::verify))
        .routes(routes!(credentials::verify::verify))
        .routes(routes!(credentials::status_list::status_list))
        .routes(routes!(credentials::did::did))
        .route_layer(axum::middleware::from_fn_with_state(limiter, crate::rate_limit::limit));
    OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .merge(public)
        .routes(routes!(certificates::pdf::pdf))
        .routes(routes!(credentials::issue::issue))
        .routes(routes!(credentials::status::status))
        .routes(routes!(organisations::list::list))
        .routes(routes!(organisations::show::show))
        .routes(routes!(persons::list::list))
        .routes(routes!(persons::show::show))
        .routes(routes!(persons::eligibility::eligibility))
        .routes(routes!(occupations::list::list))
        .routes(routes!(occupations::show::show))
        .routes(routes!(platforms::list::list))
        .routes(routes!(policy::show::show))
        .routes(routes!(policy::districts::districts))
        .routes(routes!(kpi::show::show))
        .routes(routes!(kpi::series::series))
        .routes(routes!(kpi::projection::projection))
        .routes(routes!(kpi::persons::persons))
        .routes(routes!(demand::list::list, demand::create::create))
        .routes(routes!(supply_gap::show::show))
        .routes(routes!(supply_gap::forecast::forecast))
        .routes(routes!(evaluation::institutions::list))
        .routes(routes!(evaluation::institution::show))
        .routes(routes!(evaluation::session::show))
        .routes(routes!(login::create::create, login::show::show, login::delete::delete))
        .routes(routes!(audit::list::list))
        .routes(routes!(me::data::data))
        .routes(routes!(me::benefits::benefits))
        .routes(routes!(me::corrections::create))
        .routes(routes!(competitions::list::list, competitions::create::create))
        .routes(routes!(competitions::event::show))
        .routes(routes!(competitions::standings::show))
        .routes(routes!(competitions::setup::add_event))
        .routes(routes!(competitions::setup::scheme))
        .routes(routes!(competitions::setup::judges))
        .routes(routes!(competitions::setup::entries))
        .routes(routes!(competitions::run::sign_off))
        .routes(routes!(competitions::run::publish))
        .routes(routes!(health::health))
}
