use axum::Json;
use axum::extract::State;
use gongjiang_app::App;
use gongjiang_app::accounts;
use gongjiang_domain::access::{Action, Resource};
use gongjiang_domain::bilingual::Msg;
use gongjiang_store::audit::{self, AuditFilter, Entry};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use utoipa::{IntoParams, ToSchema};

use crate::auth::CurrentUser;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Query;
use crate::paging::{Listing, Page, PageRequest};
use crate::params::{self, given};
use crate::views::rfc3339;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// 操作者 · who: `user:NAME`, `token:ID`, `cli:OSUSER`.
    #[param(example = "user:wang.fang")]
    actor: Option<String>,
    /// 操作 · what: `person.read_personal_data`, `role.grant`, `session.create` …
    #[param(example = "person.read_personal_data")]
    action: Option<String>,
    /// 资源 · resource: `persons`, `users`, `certificates` …
    resource: Option<String>,
    /// 记录 · the record's id as the entry names it (a person's public id, a user id …).
    record: Option<String>,
    /// 起始时间（含），RFC 3339 或 YYYY-MM-DD（北京时间当日零点）· from (inclusive): RFC 3339, or a date (midnight Asia/Shanghai).
    #[param(example = "2026-05-01")]
    from: Option<String>,
    /// 截止时间（不含）· to (exclusive), same forms.
    to: Option<String>,
    /// 每页条数 1–500，默认 50 · page size, 1–500, default 50.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// 上一页返回的 next 游标（更早的条目）· the `next` cursor of the previous page (older entries).
    after: Option<String>,
}

// Kept as a view: the store's `Entry` with the API's names (`before`/`after` for
// `before_json`/`after_json`); the store carries no OpenAPI schema.
/// One audit entry, with the chain link that `gongjiang audit verify` checks.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub seq: i64,
    #[serde(with = "rfc3339")]
    pub at: OffsetDateTime,
    #[schema(example = "user:wang.fang")]
    pub actor: String,
    #[schema(example = "person.read_personal_data")]
    pub action: String,
    #[schema(example = "persons")]
    pub resource: String,
    pub record_id: Option<String>,
    #[schema(example = "10.1.2.3")]
    pub client_addr: Option<String>,
    /// The record before the change (JSON text), for changes.
    pub before: Option<String>,
    /// The record after the change (JSON text), for changes.
    pub after: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

impl From<Entry> for AuditEntryView {
    fn from(e: Entry) -> AuditEntryView {
        AuditEntryView {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            resource: e.resource,
            record_id: e.record_id,
            client_addr: e.client_addr,
            before: e.before_json,
            after: e.after_json,
            prev_hash: e.prev_hash,
            hash: e.hash,
        }
    }
}

fn instant(param: &'static str, s: &str) -> Result<OffsetDateTime, ApiError> {
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return Ok(t);
    }
    let d = params::date(param, s)?;
    Ok(d.midnight().assume_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)))
}

/// 审计日志查询 · Search the audit trail
///
/// Newest first, every filter narrowing. Only for callers who may read the whole audit trail
/// (city administrators); the search itself is recorded as `audit.search`.
#[utoipa::path(
    get,
    operation_id = "search_audit",
    path = "/api/v1/audit",
    tag = "audit",
    params(AuditQuery),
    responses(
        (status = 200, description = "一页审计条目，新者在前 / one page of entries, newest first", body = Page<AuditEntryView>),
        (status = 400, description = "参数有误 / bad parameter", body = ErrorBody),
        (status = 401, description = "未登录 / not signed in", body = ErrorBody),
        (status = 403, description = "仅市级管理员 / city administrators only", body = ErrorBody),
    ),
    security(("session" = []), ("bearer" = []))
)]
pub async fn list(
    State(app): State<App>,
    caller: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Json<Page<AuditEntryView>>, ApiError> {
    // Entries carry no district or organisation, so only a city-wide scope may read them.
    if !caller.scope(Resource::Audit, Action::Read).is_all() {
        return Err(ApiError::Forbidden(Msg::new(
            "只有市级管理员可以查询审计日志",
            "only city administrators may search the audit trail",
        )));
    }
    let page = PageRequest::parse(Listing::Audit, given(&q.limit), given(&q.after))?;
    let text = |v: &Option<String>| given(v).map(str::to_string);
    let filter = AuditFilter {
        actor: text(&q.actor),
        action: text(&q.action),
        resource: text(&q.resource),
        record_id: text(&q.record),
        from: given(&q.from).map(|s| instant("from", s)).transpose()?,
        to: given(&q.to).map(|s| instant("to", s)).transpose()?,
    };
    let rows = audit::search(&app.db, &filter, page.after, page.fetch()).await?;
    let asked = serde_json::json!({
        "actor": filter.actor, "action": filter.action, "resource": filter.resource, "record": filter.record_id,
        "from": q.from, "to": q.to,
    });
    accounts::record_search(&app.db, &caller.actor(), &asked).await?;
    Ok(Json(page.finish(rows, |e| e.seq, AuditEntryView::from)))
}
