//! `/api/v1/health`: for load balancers and monitoring.

use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_store::Backend;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: &'static str,
    /// `sqlite` or `postgres`.
    pub database: &'static str,
    /// Version of the server.
    pub version: &'static str,
}

/// 健康检查 · Liveness and database reachability
#[utoipa::path(
    get,
    operation_id = "health",
    path = "/api/v1/health",
    tag = "meta",
    responses(
        (status = 200, description = "服务与数据库正常 / the service and its database answer", body = Health),
        (status = 503, description = "数据库不可用 / the database does not answer", body = ErrorBody),
    )
)]
pub async fn health(State(app): State<App>) -> Result<Json<Health>, ApiError> {
    app.db.ping().await.map_err(|e| ApiError::Unavailable(e.to_string()))?;
    Ok(Json(Health {
        status: "ok",
        database: match app.db.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        },
        version: env!("CARGO_PKG_VERSION"),
    }))
}
