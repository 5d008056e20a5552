//! How a [`UiError`] answers: the error page in the site's layout, or the redirect to sign in.

use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use gongjiang_app::App;
use gongjiang_domain::bilingual::Msg;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, urlencode};

/// A page that failed, carried on its response so [`with_chrome`] can show it in the visitor's
/// own layout (signed-in header, language) — the error itself does not know who asked.
#[derive(Debug, Clone)]
struct Failed {
    status: axum::http::StatusCode,
    msg: Msg,
}

fn render(c: Chrome, status: axum::http::StatusCode, msg: Msg) -> Response {
    let page = ErrorPage { c, status: status.as_u16(), msg: msg.clone() };
    match page.render() {
        Ok(html) => {
            let mut resp = (status, Html(html)).into_response();
            resp.extensions_mut().insert(Failed { status, msg });
            resp
        }
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], "error").into_response()
        }
    }
}

/// Shows a failed page again in the visitor's layout: their navigation and name, their
/// language, the switch back to the same address. Runs inside the sign-in layer, so the
/// visitor is known from the request as the page saw it.
pub async fn with_chrome(State(app): State<App>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let mut kept = Request::new(());
    *kept.method_mut() = parts.method.clone();
    *kept.uri_mut() = parts.uri.clone();
    *kept.headers_mut() = parts.headers.clone();
    *kept.extensions_mut() = parts.extensions.clone();
    let resp = next.run(Request::from_parts(parts, body)).await;
    let Some(failed) = resp.extensions().get::<Failed>().cloned() else { return resp };
    let (mut kept, ()) = kept.into_parts();
    let l = Lang::from_request_parts(&mut kept, &app).await.unwrap_or(Lang::Zh);
    match Viewer::from_request_parts(&mut kept, &app).await {
        Ok(viewer) => render(Chrome::new(l, &viewer, ""), failed.status, failed.msg),
        Err(_) => resp,
    }
}

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
            UiError::ChangePassword => Redirect::to("/me/password").into_response(),
            UiError::Page { status, msg } => render(Chrome::bare(), status, msg),
        }
    }
}
