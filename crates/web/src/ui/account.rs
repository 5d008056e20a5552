//! A person's own account: signing up with real-name binding (`/signup`) and setting one's own
//! password (`/me/password`, where a password an administrator set sends its user first). The
//! rules are the app's (`gongjiang_app::self_service`); sign-up attempts share the sign-in
//! rate limit per client address.

use std::time::Instant;

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use gongjiang_app::App;
use gongjiang_app::accounts::AccountError;
use gongjiang_app::self_service::{self, SignUp, SignedUp};
use serde::Deserialize;

use super::admin::account_message;
use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, render};
use crate::api::login::SignIn;
use crate::auth::ClientIp;

/// Whether workers may sign up themselves, and whether their accounts wait for approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Signup {
    /// No self sign-up: accounts are opened by administrators.
    Off,
    /// Accounts work as soon as the name and number match a record.
    #[default]
    Open,
    /// Accounts wait for an administrator of the worker's district to enable them.
    Approval,
}

impl Signup {
    pub fn parse(s: &str) -> Option<Signup> {
        match s {
            "off" => Some(Signup::Off),
            "open" => Some(Signup::Open),
            "approval" => Some(Signup::Approval),
            _ => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_again: String,
    #[serde(default)]
    contact: String,
}

#[derive(Template)]
#[template(path = "signup.html")]
struct SignupPage {
    c: Chrome,
    l: Lang,
    approval: bool,
    name: String,
    username: String,
    contact: String,
    error: String,
    /// After a sign-up that waits for approval.
    waiting: bool,
}

fn page(
    l: Lang,
    viewer: &Viewer,
    mode: Signup,
    f: &SignupForm,
    error: String,
    waiting: bool,
) -> Result<Response, UiError> {
    render(&SignupPage {
        c: Chrome::new(l, viewer, "signup"),
        l,
        approval: mode == Signup::Approval,
        name: f.name.clone(),
        username: f.username.clone(),
        contact: f.contact.clone(),
        error,
        waiting,
    })
}

fn closed() -> UiError {
    UiError::not_found(
        "本市未开放自助注册，请联系单位或所在区人社部门开设账户",
        "self sign-up is not open here; ask your employer or district bureau for an account",
    )
}

/// `GET /signup`.
pub async fn signup_page(viewer: Viewer, l: Lang, Extension(mode): Extension<Signup>) -> Result<Response, UiError> {
    if mode == Signup::Off {
        return Err(closed());
    }
    page(l, &viewer, mode, &SignupForm::default(), String::new(), false)
}

/// `POST /signup`: the account, bound to the record the name and number match; the same
/// answer for a wrong name as for an unknown number.
pub async fn signup(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Extension(mode): Extension<Signup>,
    Extension(limit): Extension<SignIn>,
    client: Option<Extension<ClientIp>>,
    Form(f): Form<SignupForm>,
) -> Result<Response, UiError> {
    if mode == Signup::Off {
        return Err(closed());
    }
    let ip = client.map(|Extension(ClientIp(ip))| ip);
    if let Some(ip) = ip
        && let Err(wait) = limit.limiter.check(ip, Instant::now())
    {
        let msg = format!(
            "{} {} s",
            l.t("尝试过于频繁，请稍后再试：", "too many attempts; try again in"),
            wait.as_secs().max(1)
        );
        return page(l, &viewer, mode, &f, msg, false);
    }
    if f.password != f.password_again {
        return page(l, &viewer, mode, &f, l.t("两次输入的密码不一致", "the two passwords differ").to_string(), false);
    }
    let s = SignUp {
        name: &f.name,
        id_number: &f.id_number,
        username: f.username.trim(),
        password: &f.password,
        contact: &f.contact,
    };
    let addr = ip.map(|i| i.to_string());
    match self_service::sign_up(&app.db, &s, app.today(), mode == Signup::Approval, addr.as_deref()).await {
        Ok(SignedUp::Active) => Ok(Redirect::to("/login?next=/me&signed_up=1").into_response()),
        Ok(SignedUp::AwaitingApproval) => page(l, &viewer, mode, &f, String::new(), true),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(e) => page(l, &viewer, mode, &f, account_message(l, &e), false),
    }
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    l: Lang,
    must: bool,
    error: String,
    done: bool,
}

/// `GET /me/password`.
pub async fn password_page(viewer: Viewer, l: Lang) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    let must = u.must_change_password;
    render(&PasswordPage { c: Chrome::new(l, &viewer, "me"), l, must, error: String::new(), done: false })
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    new_again: String,
}

/// `POST /me/password`: the current password, then the new one twice.
pub async fn change_password(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Form(f): Form<PasswordForm>,
) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    let must = u.must_change_password;
    let answer = |error: String, done: bool| {
        render(&PasswordPage { c: Chrome::new(l, &viewer, "me"), l, must: must && !done, error, done })
    };
    if f.new != f.new_again {
        return answer(l.t("两次输入的新密码不一致", "the two new passwords differ").to_string(), false);
    }
    match self_service::change_password(&app.db, &u.actor(), &u.username, &f.current, &f.new).await {
        Ok(()) => answer(String::new(), true),
        Err(AccountError::Store(e)) => Err(e.into()),
        Err(AccountError::BadCredentials) => {
            answer(l.t("当前密码不正确", "the current password is wrong").to_string(), false)
        }
        Err(e) => answer(account_message(l, &e), false),
    }
}
