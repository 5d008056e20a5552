//! How a [`UiError`] answers: the error page in the site's layout, or the redirect to sign in.

use askama::Template;
use axum::http::header;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongjiang_domain::bilingual::Msg;

use super::error::UiError;
use super::layout::{Chrome, urlencode};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    status: u16,
    msg: Msg,
}

impl IntoResponse for UiError {
    fn into_response(self) -> Response {
        match self {
            UiError::SignIn { next } => {
                let to = format!("/login?next={}", urlencode(&next));
                Redirect::to(&to).into_response()
            }
            UiError::Page { status, msg } => {
                let page = ErrorPage { c: Chrome::bare(), status: status.as_u16(), msg };
                match page.render() {
                    Ok(html) => (status, Html(html)).into_response(),
                    Err(e) => {
                        tracing::error!(error = %e, "error page failed to render");
                        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "error").into_response()
                    }
                }
            }
        }
    }
}
