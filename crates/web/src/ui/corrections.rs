//! Correction requests (记录更正请求) on a person's page: the requests filed about the person,
//! and, for a reader who may change the person's record, a form to accept or reject each open
//! one. Accepting applies the proposed value in the same transaction
//! (`gongjiang_app::personal_data::decide_correction`, audited).

use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::App;
use gongjiang_app::personal_data;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::corrections;
use gongjiang_store::persons::{self, Person};
use serde::Deserialize;

use super::error::UiError;
use super::gate::{SignedIn, Viewer};
use super::i18n::Lang;
use super::layout::iso;
use crate::extract::Path;
use crate::params;
use crate::views::mask_id_number;

/// One request as the page shows it.
pub struct CorrectionItem {
    pub id: i64,
    pub field: String,
    pub proposed: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_on: String,
    pub open: bool,
    pub status: String,
    pub status_class: &'static str,
    pub decision: String,
}

/// What the person's page shows of their correction requests.
pub struct CorrectionsView {
    pub items: Vec<CorrectionItem>,
    /// The reader may decide the open ones (they may change this person's record).
    pub may_decide: bool,
}

/// A field's name, as the page says it.
pub fn field_label(l: Lang, field: &str) -> String {
    let (zh, en) = match field {
        "name" => ("姓名", "name"),
        "id_number" => ("证件号码", "identity number"),
        "gender" => ("性别", "gender"),
        "birth_date" => ("出生日期", "birth date"),
        "work_start" => ("参加工作日期", "working since"),
        "district" => ("所在区", "district"),
        "employer" => ("用人单位", "employer"),
        "occupation" => ("职业", "occupation"),
        "education" => ("学历", "education"),
        "employment_status" => ("就业状态", "employment status"),
        _ => ("其他", "other"),
    };
    l.t(zh, en).to_string()
}

/// The person as the reader may change them, or `None`.
async fn writable(app: &App, u: &SignedIn, p: &Person) -> Result<Option<Person>, UiError> {
    Ok(persons::by_public_id(&app.db, &u.scope(Resource::Persons, Action::Write), p.public_id).await?)
}

/// The requests about `p`, newest first, for a reader who sees `p`'s page.
pub async fn for_person(app: &App, u: &SignedIn, l: Lang, p: &Person) -> Result<CorrectionsView, UiError> {
    let requests = corrections::list(&app.db, Some(p.id), None).await?;
    if requests.is_empty() {
        return Ok(CorrectionsView { items: Vec::new(), may_decide: false });
    }
    let may_decide = writable(app, u, p).await?.is_some();
    let full_numbers =
        persons::by_public_id(&app.db, &u.scope(Resource::Persons, Action::ReadPersonalData), p.public_id)
            .await?
            .is_some();
    let items = requests
        .into_iter()
        .rev()
        .map(|c| {
            let proposed =
                if c.field == "id_number" && !full_numbers { mask_id_number(&c.proposed) } else { c.proposed };
            let (status, status_class) = match c.status.as_str() {
                "open" => (l.t("待处理", "open"), "warn"),
                "accepted" => (l.t("已采纳", "accepted"), "ok"),
                _ => (l.t("未采纳", "rejected"), "bad"),
            };
            let decision = match (&c.decided_by, c.decided_at) {
                (Some(by), Some(at)) => {
                    format!("{} {} · {}", iso(at.date()), by, c.decision_note.as_deref().unwrap_or_default())
                }
                _ => String::new(),
            };
            CorrectionItem {
                id: c.id,
                field: field_label(l, &c.field),
                proposed,
                reason: c.reason,
                requested_by: c.requested_by,
                requested_on: iso(c.requested_at.date()),
                open: c.status == "open",
                status: status.to_string(),
                status_class,
                decision,
            }
        })
        .collect();
    Ok(CorrectionsView { items, may_decide })
}

#[derive(Deserialize)]
pub struct DecisionForm {
    /// `accept` or `reject`.
    decision: String,
    #[serde(default)]
    note: String,
}

/// `POST /persons/{public_id}/corrections/{id}`: accepts or rejects one open request, with a
/// note. 404 when the person is outside what the reader may change, or the request is not
/// theirs.
pub async fn decide(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Path((key, id)): Path<(String, i64)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, UiError> {
    let u = viewer.require(Resource::Persons, Action::Write)?;
    let public_id = params::uuid("public_id", &key)?;
    let not_found = || UiError::not_found("无此更正请求", "no such correction request");
    let p = persons::by_public_id(&app.db, &u.scope(Resource::Persons, Action::Write), public_id)
        .await?
        .ok_or_else(not_found)?;
    let c = corrections::get(&app.db, id).await?.filter(|c| c.person_id == p.id).ok_or_else(not_found)?;
    let accept = match f.decision.as_str() {
        "accept" => true,
        "reject" => false,
        _ => {
            return Err(UiError::bad(gongjiang_domain::bilingual::Msg::new(
                "请选择采纳或不采纳",
                "choose whether to accept or reject the request",
            )));
        }
    };
    personal_data::decide_correction(&app, &u.actor(), c.id, accept, &f.note).await?;
    Ok(super::layout::go_to(&headers, &format!("/persons/{key}#corrections")))
}

#[derive(Deserialize)]
pub struct RequestForm {
    field: String,
    value: String,
    reason: String,
}

/// `POST /me/corrections`: the signed-in worker asks for their own record to be corrected (the
/// same rules as the API's `POST /api/v1/me/corrections`); back to their page, where the
/// request is listed with its status.
pub async fn request(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(f): Form<RequestForm>,
) -> Result<Response, UiError> {
    let u = viewer.signed_in()?;
    let Some(person) = u.roles.iter().find_map(|r| match r {
        gongjiang_domain::access::Role::Worker { person } => Some(*person),
        _ => None,
    }) else {
        return Err(UiError::not_found(
            "您的账户未关联劳动者本人档案",
            "your account is not linked to a worker's record",
        ));
    };
    let by = format!("本人 / the person ({})", u.actor().label);
    let r = personal_data::Request {
        person_id: person,
        field: &f.field,
        proposed: &f.value,
        reason: &f.reason,
        requested_by: &by,
    };
    personal_data::request_correction(&app, &u.actor(), &u.scope(Resource::Persons, Action::Read), &r).await?;
    let p = persons::get(&app.db, &u.scope(Resource::Persons, Action::Read), person)
        .await?
        .ok_or_else(|| UiError::not_found("档案不存在", "no such record"))?;
    Ok(super::layout::go_to(&headers, &format!("/persons/{}#corrections", p.public_id)))
}
