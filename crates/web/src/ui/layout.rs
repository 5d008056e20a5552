//! The frame every page shares (`templates/base.html`): header with the navigation the
//! visitor's roles open, the language switch, who is signed in; plus the small formatting
//! helpers templates use for numbers, shares and dates.

use askama::Template;
use axum::http::HeaderValue;
use axum::response::{Html, IntoResponse, Response};
use gongjiang_app::App;
use gongjiang_domain::access::{Action, Resource, RoleKind};
use time::Date;

use super::assets;
use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;

/// One entry of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub key: &'static str,
    pub href: String,
    pub zh: &'static str,
    pub en: &'static str,
}

/// What the layout needs to know about the request.
#[derive(Debug, Clone)]
pub struct Chrome {
    pub l: Lang,
    /// Path and query of this page (the language switch comes back to it).
    pub here: String,
    /// Display: user name and role names.
    pub user: Option<(String, Vec<String>)>,
    pub nav: Vec<NavItem>,
    /// The navigation entry this page belongs to.
    pub section: &'static str,
    pub csrf: String,
    /// Whether the skills statistics page is published.
    pub public_kpi: bool,
}

impl Chrome {
    pub fn new(l: Lang, viewer: &Viewer, section: &'static str) -> Chrome {
        Chrome {
            l,
            here: viewer.here.clone(),
            user: viewer.user.as_ref().map(|u| {
                let mut roles: Vec<String> = u.roles.iter().map(|r| l.msg(&r.kind().name()).to_string()).collect();
                roles.dedup();
                (u.username.clone(), roles)
            }),
            nav: nav(viewer.user.as_ref(), viewer.public_kpi),
            section,
            csrf: viewer.user.as_ref().map(|u| u.csrf.clone()).unwrap_or_default(),
            public_kpi: viewer.public_kpi,
        }
    }

    /// For error pages, where the request is not at hand.
    pub fn bare() -> Chrome {
        Chrome {
            l: Lang::Zh,
            here: "/".into(),
            user: None,
            nav: nav(None, false),
            section: "",
            csrf: String::new(),
            public_kpi: false,
        }
    }

    pub fn asset(&self, name: &str) -> String {
        assets::url(name)
    }

    pub fn htmx(&self) -> String {
        assets::url(assets::HTMX)
    }

    pub fn echarts(&self) -> String {
        assets::url(assets::ECHARTS)
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        // Drop a `lang=` already in the query, or it would win over the new cookie.
        let (path, query) = self.here.split_once('?').unwrap_or((&self.here, ""));
        let kept: Vec<&str> = query.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("lang=")).collect();
        let back = if kept.is_empty() { path.to_string() } else { format!("{path}?{}", kept.join("&")) };
        format!("/lang/{}?next={}", self.l.other().code(), urlencode(&back))
    }

    pub fn is(&self, key: &str) -> bool {
        self.section == key
    }
}

/// The navigation for a visitor: what their roles open, nothing more.
pub fn nav(user: Option<&SignedIn>, public_kpi: bool) -> Vec<NavItem> {
    let item = |key, href: &str, zh, en| NavItem { key, href: href.to_string(), zh, en };
    let Some(u) = user else {
        let mut v = vec![
            item("verify", "/verify", "证书查验", "Verify a certificate"),
            item("programmes", "/programmes", "培训项目", "Training"),
            item("competitions", "/competitions", "职业技能竞赛", "Competitions"),
        ];
        if public_kpi {
            v.push(item("public-kpi", "/public/kpi", "技能人才统计", "Skills statistics"));
        }
        v.push(item("login", "/login", "登录", "Sign in"));
        return v;
    };
    let mut v = vec![item("home", "/", "首页", "Home")];
    if u.sees_kpi() {
        v.push(item("dashboard", "/dashboard", "指标看板", "KPI dashboard"));
    }
    if u.has_role(RoleKind::Worker) && !u.can(Resource::Organisations, Action::Read) {
        v.push(item("me", "/me", "我的档案", "My record"));
        v.push(item("benefits", "/me/benefits", "我的待遇", "My benefits"));
    } else if u.can(Resource::Persons, Action::Read) {
        v.push(item("persons", "/persons", "人员", "Persons"));
    }
    if u.can(Resource::Organisations, Action::Read) {
        v.push(item("organisations", "/organisations", "单位", "Organisations"));
    }
    // Claims are reviewed by the districts and the city; an employer's HR has none to review.
    let writes = u.scope(Resource::Persons, Action::Write);
    if writes.is_all() || !writes.district_codes().is_empty() {
        v.push(item("claims", "/benefits/claims", "补贴审核", "Subsidy review"));
    }
    if u.can(Resource::Imports, Action::Write) {
        v.push(item("imports", "/imports", "导入导出", "Import & export"));
    }
    if u.can(Resource::EvaluationSessions, Action::Read) || u.can(Resource::EvaluationApplications, Action::Write) {
        v.push(item("evaluation", "/evaluation", "评价认定", "Evaluation"));
    }
    v.push(item("programmes", "/programmes", "培训项目", "Training"));
    v.push(item("competitions", "/competitions", "职业技能竞赛", "Competitions"));
    if u.can(Resource::Users, Action::Write) || u.scope(Resource::Audit, Action::Read).is_all() {
        v.push(item("admin", "/admin", "系统管理", "Administration"));
    }
    v.push(item("verify", "/verify", "证书查验", "Verify"));
    v
}

/// Renders a page template as an HTML response.
pub fn render(t: &impl Template) -> Result<Response, UiError> {
    Ok(Html(t.render()?).into_response())
}

/// Percent-encodes a query value (everything but unreserved ASCII).
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(char::from(b)),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A share as a percentage with one decimal (`31.2%`), or a dash.
pub fn pct(v: Option<f64>) -> String {
    v.map(|x| format!("{:.1}%", x * 100.0)).unwrap_or_else(|| "—".into())
}

/// A share in percentage points with two decimals, for charts (`31.24`).
pub fn pct_value(v: Option<f64>) -> Option<f64> {
    v.map(|x| (x * 10000.0).round() / 100.0)
}

/// An integer with thousands separators (`1,234,567`).
pub fn int(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A date as `YYYY-MM-DD`.
pub use gongjiang_domain::dates::iso;

pub fn opt_iso(d: Option<Date>) -> String {
    d.map(iso).unwrap_or_default()
}

/// A level rank with the policy's name in the page's language (`技师`, `technician`).
pub fn level_name(app: &App, l: Lang, rank: i16) -> String {
    match u8::try_from(rank).ok().and_then(gongjiang_domain::level::Level::new) {
        Some(level) => l.t(app.policy.ladder.name_zh(level), app.policy.ladder.name_en(level)).to_string(),
        None => rank.to_string(),
    }
}

/// An instant as Beijing time, to the minute.
pub fn local_time(t: time::OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!("{} {:02}:{:02}", gongjiang_domain::dates::iso(t.date()), t.hour(), t.minute())
}

/// After a form: a redirect, or for an htmx request the `HX-Redirect` header (htmx would follow a
/// 303 itself and swap the next page into the form).
pub fn go_to(headers: &axum::http::HeaderMap, to: &str) -> Response {
    if headers.contains_key("hx-request") {
        let mut resp = axum::http::StatusCode::NO_CONTENT.into_response();
        if let Ok(v) = HeaderValue::from_str(to) {
            resp.headers_mut().insert("hx-redirect", v);
        }
        return resp;
    }
    axum::response::Redirect::to(to).into_response()
}

/// The position a page's `after` cursor names in `listing`; a cursor of another listing, or
/// none at all that parses, is a 400 page.
pub fn cursor(listing: crate::paging::Listing, after: &Option<String>) -> Result<Option<i64>, UiError> {
    match crate::params::given(after) {
        None => Ok(None),
        Some(c) => crate::paging::decode(listing, c).map(Some).ok_or_else(|| {
            UiError::bad(gongjiang_domain::bilingual::Msg::new(
                "翻页参数无效，请从第一页重新开始",
                "bad page cursor: start again from the first page",
            ))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(int(1234567), "1,234,567");
        assert_eq!(int(999), "999");
        assert_eq!(int(-1000), "-1,000");
        assert_eq!(pct(Some(0.31234)), "31.2%");
        assert_eq!(pct(None), "—");
        assert_eq!(pct_value(Some(0.312345)), Some(31.23));
    }

    #[test]
    fn the_switch_comes_back_without_the_old_choice() {
        let mut c = Chrome::bare();
        c.here = "/persons?lang=zh&name=%E5%BC%A0".into();
        assert_eq!(c.switch_href(), "/lang/en?next=/persons%3Fname%3D%25E5%25BC%25A0");
    }
}
