//! `GET /me/benefits`: the worker's "what I am entitled to, and why" — every scheme of the policy
//! decided from their record (`app::benefits`, the same report as `GET /api/v1/me/benefits`),
//! one card per scheme, phone-first.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::benefits::{self, BenefitsReport};
use gongjiang_domain::access::{Action, Resource, Role};
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, iso, render};

#[derive(Template)]
#[template(path = "my_benefits.html")]
struct BenefitsPage {
    c: Chrome,
    l: Lang,
    r: BenefitsReport,
    on: String,
}

#[derive(Debug, Deserialize)]
pub struct BenefitsQuery {
    pub on: Option<String>,
}

/// Yuan with thousands separators (`¥2,000`).
pub fn yuan(n: &u32) -> String {
    format!("¥{}", super::layout::int(i64::from(*n)))
}

pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<BenefitsQuery>,
) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    let Some(person) = u.roles.iter().find_map(|r| match r {
        Role::Worker { person } => Some(*person),
        _ => None,
    }) else {
        return Err(UiError::not_found(
            "您的账户未关联劳动者本人档案",
            "your account is not linked to a worker's record",
        ));
    };
    let on = match q.on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => gongjiang_domain::dates::parse_date(s).ok_or_else(|| {
            UiError::bad(gongjiang_domain::bilingual::Msg::new(
                "日期无效（YYYY-MM-DD）",
                "not a valid date (YYYY-MM-DD)",
            ))
        })?,
        None => app.today(),
    };
    let scope = u.scope(Resource::Persons, Action::Read);
    let r = benefits::for_person(&app, &scope, person, on).await?;
    render(&BenefitsPage { c: Chrome::new(l, &viewer, "benefits"), l, r, on: iso(on) })
}
