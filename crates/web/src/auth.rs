//! Bearer API tokens (`Authorization: Bearer gjt_…`, made with `gongjiang token create`) for
//! the routes that write or show full personal data. No token, or a dead one: 401; a live
//! token whose roles do not allow the action: 403.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use gongjiang_app::App;
use gongjiang_app::accounts::{self, TokenAuth};
use gongjiang_domain::access::{Action, Resource, Target};
use gongjiang_domain::bilingual::Msg;

use crate::error::ApiError;

/// The caller's token, checked live (not revoked, not expired, owner still entitled).
pub struct Bearer(pub TokenAuth);

impl FromRequestParts<App> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or_default();
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(ApiError::Unauthorized);
        };
        match accounts::lookup_token(&app.db, token).await {
            Ok(Some(auth)) => Ok(Bearer(auth)),
            Ok(None) => Err(ApiError::Unauthorized),
            Err(e) => Err(ApiError::Internal(e.to_string())),
        }
    }
}

impl Bearer {
    /// 403 unless the token allows `action` on certificates of this holder and institution.
    pub fn require(&self, action: Action, target: &Target) -> Result<(), ApiError> {
        if self.0.permissions.allows(Resource::Certificates, action, target) {
            return Ok(());
        }
        Err(ApiError::Forbidden(Msg::new(
            format!("该令牌无权对此证书执行“{}”", action.code()),
            format!("this token may not {} this certificate", action.code()),
        )))
    }
}

/// Who a certificate concerns, for the permission check: its holder and the organisation of
/// the institution that issued it.
pub fn certificate_target(person_id: i64, institution_organisation: Option<i64>) -> Target {
    Target {
        districts: Default::default(),
        organisations: institution_organisation.into_iter().collect(),
        person: Some(person_id),
    }
}
