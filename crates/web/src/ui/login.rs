//! Signing in and out in the browser. The form posts the user name and password here; a good
//! pair opens a server-side session (`gongjiang_app::accounts`) whose id goes into an HttpOnly
//! cookie, and the visitor returns to the page they wanted.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongjiang_app::App;
use gongjiang_app::accounts::{self, AccountError, SESSION_LIFETIME};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{CSRF_COOKIE, SESSION_COOKIE, Viewer};
use super::i18n::{Lang, local_path};
use super::layout::{Chrome, render};
use crate::extract::Query;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    l: Lang,
    next: String,
    username: String,
    problem: Option<(String, String)>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// `GET /login?next=…`.
pub async fn page(viewer: Viewer, l: Lang, Query(q): Query<NextQuery>) -> Result<Response, UiError> {
    let next = local_path(q.next.as_deref());
    if viewer.user.is_some() {
        return Ok(Redirect::to(&next).into_response());
    }
    render(&LoginPage { c: Chrome::new(l, &viewer, "login"), l, next, username: String::new(), problem: None })
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

fn cookie(name: &str, value: &str, max_age: i64, http_only: bool) -> HeaderValue {
    let http_only = if http_only { "; HttpOnly" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; Max-Age={max_age}; SameSite=Strict{http_only}"))
        .unwrap_or(HeaderValue::from_static(""))
}

/// `POST /login`.
pub async fn submit(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Form(f): Form<LoginForm>,
) -> Result<Response, UiError> {
    let next = local_path(f.next.as_deref());
    let username = f.username.trim().to_string();
    let problem = match accounts::verify_password(&app.db, &username, &f.password).await {
        Ok(user) => {
            let issued = accounts::issue_session(&app.db, &user, None).await.map_err(UiError::internal)?;
            let age = SESSION_LIFETIME.whole_seconds();
            let mut resp = Redirect::to(&next).into_response();
            let h = resp.headers_mut();
            h.append(header::SET_COOKIE, cookie(SESSION_COOKIE, &issued.session_id, age, true));
            h.append(header::SET_COOKIE, cookie(CSRF_COOKIE, &issued.csrf_token, age, false));
            return Ok(resp);
        }
        Err(AccountError::BadCredentials) => ("用户名或密码错误", "Wrong user name or password"),
        Err(AccountError::Locked { .. }) => (
            "登录失败次数过多，账户暂时锁定，请稍后再试",
            "Too many failed sign-ins: the account is locked for a while",
        ),
        Err(AccountError::Disabled) => ("账户已停用", "The account is disabled"),
        Err(e) => return Err(UiError::internal(e)),
    };
    let page = LoginPage {
        c: Chrome::new(l, &viewer, "login"),
        l,
        next,
        username,
        problem: Some((problem.0.to_string(), problem.1.to_string())),
    };
    Ok((StatusCode::UNAUTHORIZED, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct LogoutForm {
    csrf: Option<String>,
}

/// `POST /logout`: ends the session (a form with the CSRF token) and forgets the cookies.
pub async fn logout(State(app): State<App>, viewer: Viewer, Form(f): Form<LogoutForm>) -> Result<Response, UiError> {
    if let Some(u) = &viewer.user {
        if !u.csrf_ok(f.csrf.as_deref().unwrap_or_default()) {
            return Err(UiError::new(
                StatusCode::FORBIDDEN,
                "表单已过期，请刷新页面后重试",
                "the form expired; reload the page and try again",
            ));
        }
        if let Some(id) = u.session_id() {
            accounts::end_session(&app.db, id).await.map_err(UiError::internal)?;
        }
    }
    let mut resp = Redirect::to("/").into_response();
    let h = resp.headers_mut();
    h.append(header::SET_COOKIE, cookie(SESSION_COOKIE, "", 0, true));
    h.append(header::SET_COOKIE, cookie(CSRF_COOKIE, "", 0, false));
    Ok(resp)
}
