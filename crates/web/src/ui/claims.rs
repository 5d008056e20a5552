//! `GET /benefits/claims`: a district officer's review queue of benefit claims (补贴审核) — every
//! claim in their districts that waits for them, with everything needed to decide it on one
//! screen (who, which certificate, how much, why the engine found it due, the deadlines) — and
//! `POST /benefits/claims/{id}`: the decision (review, approval after the public notice, the
//! payment record), through the same use cases as `gongjiang subsidy`.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::subsidy;
use gongjiang_domain::access::{Action, Resource, Scope};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::persons;
use serde::Deserialize;

use super::error::UiError;
use super::gate::Viewer;
use super::i18n::Lang;
use super::layout::{Chrome, iso, level_name, opt_iso, render};
use crate::extract::{Path, Query};

/// One claim as the queue shows it.
pub struct ClaimItem {
    pub id: i64,
    pub name: String,
    pub district: String,
    pub certificate: String,
    pub amount: String,
    pub status: String,
    pub stage: &'static str,
    pub claimed_on: String,
    pub review_due_on: String,
    pub notice_ends_on: String,
    /// The notice is over: approval may be given today.
    pub notice_over: bool,
    pub why: String,
    pub inferred: bool,
}

#[derive(Template)]
#[template(path = "claims.html")]
struct ClaimsPage {
    c: Chrome,
    l: Lang,
    today: String,
    items: Vec<ClaimItem>,
    pages: super::pager::Numbered,
    /// The reader may open the spend report (city-wide or district officers).
    spend: bool,
}

fn scope_of(u: &super::gate::SignedIn) -> Scope {
    u.scope(Resource::Persons, Action::Write)
}

/// Claims the queue reads at most per stage.
const QUEUE_CAP: usize = 2_000;

pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<super::pager::PageQuery>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Write)?;
    let scope = scope_of(u);
    let today = app.today();
    let mut queued = Vec::new();
    for status in ["in_review", "in_notice", "approved"] {
        let stage = subsidy::queue(&app, &scope, Some(status), QUEUE_CAP as i64 + 1).await?;
        queued.extend(stage.into_iter().map(|c| (status, c)));
    }
    let (queued, pages) = super::pager::numbered(queued, QUEUE_CAP * 3, "/claims", "", &q, l);
    let mut items = Vec::new();
    for (status, c) in queued {
        let name = persons::get(&app.db, &scope, c.person_id).await?.map(|p| p.name).unwrap_or_default();
        let district = c
            .district_code
            .as_deref()
            .and_then(|d| app.policy.district(d))
            .map(|d| l.t(&d.name_zh, &d.name_en).to_string())
            .unwrap_or_default();
        let certificate = format!(
            "{} {} · {}",
            c.occupation_code.as_deref().unwrap_or_default(),
            c.level.map(|r| level_name(&app, l, r)).unwrap_or_default(),
            opt_iso(c.obtained_on)
        );
        let (stage, label) = match status {
            "in_review" => ("review", l.t("待区级审核", "awaiting district review")),
            "in_notice" => ("notice", l.t("公示中", "in public notice")),
            _ => ("approved", l.t("已批准，待发放", "approved, to be paid")),
        };
        items.push(ClaimItem {
            id: c.id,
            name,
            district,
            certificate,
            amount: format!("¥{}", c.amount_fen / 100),
            status: label.to_string(),
            stage,
            claimed_on: iso(c.claimed_on),
            review_due_on: opt_iso(c.review_due_on),
            notice_ends_on: opt_iso(c.notice_ends_on),
            notice_over: c.notice_ends_on.is_some_and(|e| today > e),
            why: l.t(&c.explanation_zh, &c.explanation_en).to_string(),
            inferred: c.inferred,
        });
    }
    let spend = scope.is_all() || !scope.district_codes().is_empty();
    render(&ClaimsPage { c: Chrome::new(l, &viewer, "claims"), l, today: iso(today), items, pages, spend })
}

#[derive(Deserialize)]
pub struct DecisionForm {
    /// `review-approve`, `review-reject`, `approve` or `pay`.
    action: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reference: String,
}

pub async fn decide(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Write)?;
    let scope = scope_of(u);
    let actor = u.actor();
    let today = app.today();
    match f.action.as_str() {
        "review-approve" => subsidy::review(&app, &actor, &scope, id, true, today, f.note.trim()).await?,
        "review-reject" => {
            if f.note.trim().is_empty() {
                return Err(UiError::bad(Msg::new("不通过须填写理由", "a rejection needs a reason")));
            }
            subsidy::review(&app, &actor, &scope, id, false, today, f.note.trim()).await?
        }
        "approve" => subsidy::approve(&app, &actor, &scope, id, today, f.note.trim()).await?,
        "pay" => {
            if f.reference.trim().is_empty() {
                return Err(UiError::bad(Msg::new("请填写付款凭证号", "give the payment's reference")));
            }
            subsidy::pay(&app, &actor, &scope, id, today, f.reference.trim()).await?
        }
        _ => return Err(UiError::bad(Msg::new("未知的操作", "unknown action"))),
    }
    Ok(super::layout::go_to(&headers, "/benefits/claims"))
}
