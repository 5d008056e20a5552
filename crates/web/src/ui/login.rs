//! Signing in and out in the browser. The sign-in form posts to the session API
//! (`POST /api/v1/session`, see `api/login`): `static/app.js` sends the user name and
//! password as JSON and, once the session cookie is set, goes on to the page the visitor wanted.
//! One implementation of passwords, lockout, rate limit and audit serves the API and the pages.

use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use gongjiang_app::App;
use gongjiang_app::accounts;
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::{Lang, local_path};
use super::layout::{Chrome, render};
use crate::api::login::SignIn;
use crate::auth::CookieSession;
use crate::extract::Query;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    l: Lang,
    next: String,
    /// Workers may make their own accounts.
    signup: bool,
    /// Just signed up.
    signed_up: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    signed_up: Option<String>,
}

/// `GET /login?next=…`.
pub async fn page(
    viewer: Viewer,
    l: Lang,
    Extension(signup): Extension<super::account::Signup>,
    Query(q): Query<NextQuery>,
) -> Result<Response, UiError> {
    let next = local_path(q.next.as_deref());
    if viewer.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    render(&LoginPage {
        c: Chrome::new(l, &viewer, "login"),
        l,
        next,
        signup: signup != super::account::Signup::Off,
        signed_up: q.signed_up.is_some(),
    })
}

/// `POST /logout` (a form carrying the session's CSRF token): ends the session and forgets the
/// cookie. The [`Viewer`] is taken first: it refuses the session's authority to a request whose
/// token is missing or wrong, so no other site can sign anyone out.
pub async fn logout(
    State(app): State<App>,
    Extension(sign_in): Extension<SignIn>,
    viewer: Viewer,
    session: Option<Extension<CookieSession>>,
) -> Result<Response, UiError> {
    if let Some(user) = &viewer.user
        && let Some(Extension(s)) = session
    {
        accounts::end_login(&app.db, &user.actor(), &s.session_id).await.map_err(UiError::internal)?;
    }
    let mut resp = Redirect::to("/").into_response();
    resp.headers_mut().append(header::SET_COOKIE, sign_in.cookies.clear());
    Ok(resp)
}
