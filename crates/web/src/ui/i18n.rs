//! The page language: Chinese unless the visitor chose English, by `?lang=en` on any page or
//! by the switch in the header (which stores the choice in a cookie). Both languages are
//! written side by side in the templates (`{{ l.t("中文", "English") }}`), so a page cannot show
//! one language's text without the other existing.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use gongjiang_domain::bilingual::Msg;
use serde::Deserialize;

/// The cookie that remembers the choice.
pub const COOKIE: &str = "gj_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim() {
            "zh" | "zh-CN" | "zh-cn" | "cn" => Some(Lang::Zh),
            "en" | "en-US" | "en-GB" => Some(Lang::En),
            _ => None,
        }
    }

    /// One of two texts.
    pub fn t<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// A bilingual message in this language.
    pub fn msg<'a>(&self, m: &'a Msg) -> &'a str {
        self.t(&m.zh, &m.en)
    }

    /// The text of an optional pair of names, falling back to the other language, then to `code`.
    pub fn name<'a>(&self, zh: Option<&'a str>, en: Option<&'a str>, code: &'a str) -> &'a str {
        let (first, second) = match self {
            Lang::Zh => (zh, en),
            Lang::En => (en, zh),
        };
        first.or(second).filter(|s| !s.is_empty()).unwrap_or(code)
    }

    pub fn code(&self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of `<html>`.
    pub fn html(&self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn other(&self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The switch's label: the other language, named in itself.
    pub fn other_label(&self) -> &'static str {
        match self {
            Lang::Zh => "English",
            Lang::En => "中文",
        }
    }
}

/// The value of cookie `name` in a `Cookie` header.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

#[derive(Deserialize)]
struct LangQuery {
    lang: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let from_query = Query::<LangQuery>::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|Query(q)| q.lang)
            .and_then(|l| Lang::parse(&l));
        Ok(from_query.or_else(|| cookie(parts, COOKIE).and_then(Lang::parse)).unwrap_or_default())
    }
}

#[derive(Deserialize)]
pub struct SwitchQuery {
    next: Option<String>,
}

/// A path of this site to go back to: absolute, not protocol-relative, no scheme.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.contains('\\') => p.to_string(),
        _ => "/".to_string(),
    }
}

/// `GET /lang/{code}?next=/path`: remembers the language for a year and goes back.
pub async fn switch(axum::extract::Path(code): axum::extract::Path<String>, Query(q): Query<SwitchQuery>) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let mut resp = Redirect::to(&local_path(q.next.as_deref())).into_response();
    let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path(Some("/persons?name=张三")), "/persons?name=张三");
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn names_fall_back() {
        assert_eq!(Lang::En.name(Some("和平区"), None, "120101"), "和平区");
        assert_eq!(Lang::Zh.name(None, None, "120101"), "120101");
        assert_eq!(Lang::En.name(Some("和平区"), Some("Heping"), "120101"), "Heping");
    }
}
