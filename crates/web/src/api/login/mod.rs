//! `/api/v1/session`: signing in and out of the web UI, and who is signed in.

pub mod create;
pub mod delete;
pub mod show;

use std::sync::Arc;

use gongjiang_domain::access::{Action, Resource, Role};
use gongjiang_store::accounts::User;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::auth::{CookiePolicy, CurrentUser, Via};
use crate::rate_limit::RateLimiter;
use crate::views::rfc3339;

/// The per-address limit on sign-in attempts and how the cookie is written, given to the
/// handlers as an extension.
#[derive(Clone)]
pub struct SignIn {
    pub limiter: Arc<RateLimiter>,
    pub cookies: CookiePolicy,
}

// Kept as a view: the web layer's own signed-in user (auth), not an app report.
/// The signed-in user, their roles and what they may do.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionView {
    pub user: UserView,
    /// `session` (cookie) or `token` (bearer API token).
    #[schema(example = "session")]
    pub via: &'static str,
    /// The session's CSRF token: send it as `X-CSRF-Token` (or the form field `csrf`) with every
    /// request that changes something. `null` for a token caller, who needs none.
    pub csrf_token: Option<String>,
    /// When the session ends at the latest (it also ends after 30 minutes without a request).
    #[serde(with = "rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// The roles held (for a token: the roles it carries), e.g. `{"kind": "district-admin",
    /// "districts": ["120101"]}`.
    #[schema(value_type = Vec<Object>)]
    pub roles: Vec<Role>,
    /// Every (resource, action) allowed, with the records it reaches.
    pub permissions: Vec<PermissionView>,
}

// Kept as a view: the web layer's own signed-in user (auth), not an app report.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    #[schema(example = "wang.fang")]
    pub username: String,
    #[schema(example = "王芳")]
    pub display_name: String,
}

// Kept as a view (presentation work): a permission of the access algebra spelled out as codes.
/// One permission: an action on a resource within a scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionView {
    #[schema(value_type = String, example = "persons")]
    pub resource: Resource,
    #[schema(value_type = String, example = "read")]
    pub action: Action,
    /// `{"all": true}`, or the districts, organisations and persons reached.
    pub scope: ScopeView,
}

// Kept as a view (presentation work): a scope of the access algebra spelled out as codes and lists.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScopeView {
    pub all: bool,
    #[schema(example = json!(["120101"]))]
    pub districts: Vec<String>,
    pub organisations: Vec<i64>,
    pub persons: Vec<i64>,
}

impl SessionView {
    pub fn new(user: &User, caller: &CurrentUser) -> SessionView {
        let (via, csrf_token, expires_at) = match &caller.via {
            Via::Session { csrf_token, expires_at } => ("session", Some(csrf_token.clone()), Some(*expires_at)),
            Via::Token { .. } => ("token", None, None),
        };
        SessionView {
            user: UserView { id: user.id, username: user.username.clone(), display_name: user.display_name.clone() },
            via,
            csrf_token,
            expires_at,
            roles: caller.roles.clone(),
            permissions: caller
                .permissions
                .entries()
                .map(|(resource, action, s)| PermissionView {
                    resource,
                    action,
                    scope: ScopeView {
                        all: s.is_all(),
                        districts: s.district_codes().iter().cloned().collect(),
                        organisations: s.organisation_ids().iter().copied().collect(),
                        persons: s.person_ids().iter().copied().collect(),
                    },
                })
                .collect(),
        }
    }
}
