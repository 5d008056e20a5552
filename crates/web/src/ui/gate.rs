//! Who is looking at a page, and what they may see: the one place where pages learn about
//! sign-in. A page asks [`Viewer::require`] for the permission it needs; someone not signed in
//! is sent to the sign-in page (303, coming back afterwards), someone signed in without the
//! permission gets a 403 page that says so.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use gongjiang_app::App;
use gongjiang_app::accounts;
use gongjiang_domain::access::{Action, Permissions, Resource, Role, RoleKind, Scope};

use super::error::UiError;
use super::i18n::cookie;

/// The session cookie (HttpOnly) and the cookie carrying the CSRF token forms echo back.
pub const SESSION_COOKIE: &str = "gj_session";
pub const CSRF_COOKIE: &str = "gj_csrf";

/// A signed-in user as the pages need them.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user_id: i64,
    pub username: String,
    pub roles: Vec<Role>,
    pub permissions: Permissions,
    /// The CSRF token to put in forms.
    pub csrf: String,
    session: accounts::SessionInfo,
    session_id: String,
}

impl SignedIn {
    pub fn scope(&self, resource: Resource, action: Action) -> Scope {
        self.permissions.scope(resource, action)
    }

    pub fn can(&self, resource: Resource, action: Action) -> bool {
        !self.scope(resource, action).is_none()
    }

    pub fn has_role(&self, kind: RoleKind) -> bool {
        self.roles.iter().any(|r| r.kind() == kind)
    }

    /// The session cookie's value (to end the session).
    pub fn session_id(&self) -> Option<&str> {
        Some(self.session_id.as_str())
    }

    /// Whether a submitted form's token is this session's.
    pub fn csrf_ok(&self, token: &str) -> bool {
        self.session.csrf_ok(token)
    }
}

/// The visitor: signed in or not, and where they are (to come back after signing in).
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: Option<SignedIn>,
    /// Path and query of this request.
    pub here: String,
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
        let Some(session_id) = cookie(parts, SESSION_COOKIE).filter(|s| !s.is_empty()) else {
            return Ok(Viewer { user: None, here });
        };
        let Some(session) = accounts::lookup_session(&app.db, session_id).await.map_err(UiError::internal)? else {
            return Ok(Viewer { user: None, here });
        };
        let roles = accounts::roles(&app.db, session.user_id).await.map_err(UiError::internal)?;
        let csrf = cookie(parts, CSRF_COOKIE).unwrap_or_default().to_string();
        let user = SignedIn {
            user_id: session.user_id,
            username: session.username.clone(),
            permissions: Permissions::of_roles(&roles),
            roles,
            csrf,
            session,
            session_id: session_id.to_string(),
        };
        Ok(Viewer { user: Some(user), here })
    }
}

/// A permission's scope as the store's reach filter.
pub fn reach(scope: &Scope) -> gongjiang_store::worklist::Reach {
    gongjiang_store::worklist::Reach {
        all: scope.is_all(),
        districts: scope.district_codes().iter().cloned().collect(),
        organisations: scope.organisation_ids().iter().copied().collect(),
        persons: scope.person_ids().iter().copied().collect(),
    }
}
