//! Who is looking at a page, and what they may see: the one place where pages learn about
//! sign-in. A page asks [`Viewer::require`] for the permission it needs; someone not signed in
//! is sent to the sign-in page (303, coming back afterwards), someone signed in without the
//! permission gets a 403 page that says so.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use gongjiang_app::{Actor, App};
use gongjiang_domain::access::{Action, Permissions, Resource, Role, RoleKind, Scope};

use super::error::UiError;
use crate::auth::CurrentUser;

/// A signed-in user as the pages need them: the API's [`CurrentUser`] (session cookie, or a
/// bearer token for a script), read per request so a revoked role stops working at once.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub username: String,
    pub roles: Vec<Role>,
    pub permissions: Permissions,
    /// The CSRF token forms carry (empty for a token caller).
    pub csrf: String,
    /// Who they are in the audit trail, with the client address.
    actor: Actor,
    /// Signed in with a password an administrator set.
    pub must_change_password: bool,
}

impl SignedIn {
    /// The user as the audit trail records their writes (`user:NAME` or `token:ID`, address).
    pub fn actor(&self) -> Actor {
        self.actor.clone()
    }

    pub fn scope(&self, resource: Resource, action: Action) -> Scope {
        self.permissions.scope(resource, action)
    }

    pub fn can(&self, resource: Resource, action: Action) -> bool {
        !self.scope(resource, action).is_none()
    }

    /// Whether the dashboard has figures for this user: KPIs are computed for the city and its
    /// districts, not for one organisation or person.
    pub fn sees_kpi(&self) -> bool {
        let s = self.scope(Resource::Kpi, Action::Read);
        s.is_all() || !s.district_codes().is_empty()
    }

    pub fn has_role(&self, kind: RoleKind) -> bool {
        self.roles.iter().any(|r| r.kind() == kind)
    }
}

impl From<CurrentUser> for SignedIn {
    fn from(u: CurrentUser) -> SignedIn {
        SignedIn {
            csrf: u.csrf_token().unwrap_or_default().to_string(),
            must_change_password: u.must_change_password,
            actor: u.actor(),
            user_id: u.user_id,
            username: u.username,
            roles: u.roles,
            permissions: u.permissions,
        }
    }
}

/// Whether the city publishes its skills statistics page (`/public/kpi`) to visitors; a request
/// extension every page can read.
#[derive(Debug, Clone, Copy)]
pub struct Publish(pub bool);

/// The visitor: signed in or not, and where they are (to come back after signing in).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: Option<SignedIn>,
    /// Path and query of this request.
    pub here: String,
    /// Whether the city publishes its skills statistics to visitors (the navigation shows them).
    pub public_kpi: bool,
}

impl Viewer {
    /// The signed-in user if they hold `action` on `resource` in some scope; otherwise a
    /// redirect to the sign-in page, or a 403 page.
    pub fn require(&self, resource: Resource, action: Action) -> Result<&SignedIn, UiError> {
        match &self.user {
            None => Err(UiError::SignIn { next: self.here.clone() }),
            Some(u) if u.can(resource, action) => Ok(u),
            Some(_) => Err(UiError::forbidden()),
        }
    }

    /// Signed in at all.
    pub fn signed_in(&self) -> Result<&SignedIn, UiError> {
        self.user.as_ref().ok_or_else(|| UiError::SignIn { next: self.here.clone() })
    }
}

impl FromRequestParts<App> for Viewer {
    type Rejection = UiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, UiError> {
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let user = <CurrentUser as OptionalFromRequestParts<App>>::from_request_parts(parts, app).await?;
        if user.as_ref().is_some_and(|u| u.must_change_password)
            && !matches!(parts.uri.path(), "/me/password" | "/logout")
        {
            return Err(UiError::ChangePassword);
        }
        let public_kpi = parts.extensions.get::<Publish>().is_none_or(|p| p.0);
        Ok(Viewer { user: user.map(SignedIn::from), here, public_kpi })
    }
}
