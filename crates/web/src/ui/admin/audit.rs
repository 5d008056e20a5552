//! `/admin/audit`: the audit trail searched by actor, action, target and date, newest first,
//! each entry with its before and after; and the chain's state: the last check (when, by whom,
//! what it found) with a button to check it now. A check is itself an entry (`audit.verify`),
//! so its date survives restarts and nobody can claim a check that did not happen. City-wide
//! readers only: entries carry no district.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use gongjiang_app::{Actor, App, accounts, audit as app_audit};
use gongjiang_domain::access::{Action, Resource};
use gongjiang_store::audit::{self, AuditFilter, Entry};
use serde::Deserialize;
use time::OffsetDateTime;

use crate::extract::Query;
use crate::params::{self, given};
use crate::ui::error::UiError;
use crate::ui::gate::{SignedIn, Viewer};
use crate::ui::i18n::Lang;
use crate::ui::layout::{Chrome, go_to, local_time, render, urlencode};

/// Entries counted at most (a count beyond reads "more than").
const COUNT_CAP: i64 = 100_000;

pub struct EntryRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub client: String,
    pub before: String,
    pub after: String,
}

fn row(e: Entry) -> EntryRow {
    let pretty = |j: Option<String>| {
        j.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .map(|v| serde_json::to_string_pretty(&v).unwrap_or_default())
            .unwrap_or_default()
    };
    EntryRow {
        seq: e.seq,
        at: local_time(e.at),
        target: match &e.record_id {
            Some(id) => format!("{} #{id}", e.resource),
            None => e.resource.clone(),
        },
        actor: e.actor,
        action: e.action,
        client: e.client_addr.unwrap_or_default(),
        before: pretty(e.before_json),
        after: pretty(e.after_json),
    }
}

/// The last recorded check of the chain, in words.
pub struct LastCheck {
    pub when: String,
    pub by: String,
    pub intact: bool,
    pub text: String,
}

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    record: Option<String>,
    from: Option<String>,
    to: Option<String>,
    before: Option<i64>,
    /// Rows a page: 20, 50 or 100.
    size: Option<usize>,
    /// The page's number, carried by the "older" link.
    page: Option<usize>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    c: Chrome,
    l: Lang,
    actor: String,
    action: String,
    record: String,
    from: String,
    to: String,
    rows: Vec<EntryRow>,
    older_href: Option<String>,
    /// Matching entries ("超过 100,000" past the count's cap).
    total: String,
    pager: crate::ui::pager::Pager,
    last_check: Option<LastCheck>,
}

fn city_wide(viewer: &Viewer) -> Result<&SignedIn, UiError> {
    let u = viewer.require(Resource::Audit, Action::Read)?;
    if !u.scope(Resource::Audit, Action::Read).is_all() {
        return Err(UiError::forbidden());
    }
    Ok(u)
}

/// A date typed in the form (Beijing midnight), or an error naming the field.
fn day(param: &'static str, s: &str, next: bool) -> Result<OffsetDateTime, UiError> {
    let d = params::date(param, s)?;
    let d = if next { d.next_day().unwrap_or(d) } else { d };
    Ok(d.midnight().assume_offset(time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC)))
}

async fn last_check(app: &App, l: Lang) -> Result<Option<LastCheck>, UiError> {
    let f = AuditFilter { action: Some("audit.verify".into()), ..AuditFilter::default() };
    let Some(e) = audit::search(&app.db, &f, None, 1).await?.into_iter().next() else { return Ok(None) };
    let after: serde_json::Value =
        e.after_json.as_deref().and_then(|t| serde_json::from_str(t).ok()).unwrap_or_default();
    let intact = after["intact"].as_bool().unwrap_or(false);
    let checked = after["checked"].as_i64().unwrap_or(0);
    let text = if intact {
        format!("{} {checked} {}", l.t("完整：已核对", "intact: checked"), l.t("条", "entries"))
    } else {
        format!(
            "{} {}：{}",
            l.t("链断裂于序号", "broken at entry"),
            after["broken_at"].as_i64().unwrap_or(0),
            after[if l == Lang::Zh { "reason_zh" } else { "reason_en" }].as_str().unwrap_or_default()
        )
    };
    Ok(Some(LastCheck { when: local_time(e.at), by: e.actor, intact, text }))
}

/// `GET /admin/audit`.
pub async fn page(
    State(app): State<App>,
    viewer: Viewer,
    l: Lang,
    Query(q): Query<AuditQuery>,
) -> Result<Response, UiError> {
    let u = city_wide(&viewer)?;
    let text = |v: &Option<String>| given(v).map(|s| s.trim().to_string());
    let filter = AuditFilter {
        actor: text(&q.actor),
        action: text(&q.action),
        resource: None,
        record_id: text(&q.record),
        from: given(&q.from).map(|s| day("from", s, false)).transpose()?,
        to: given(&q.to).map(|s| day("to", s, true)).transpose()?,
    };
    let size = crate::ui::pager::size(q.size);
    let entries = audit::search(&app.db, &filter, q.before, size + 1).await?;
    let total = audit::count(&app.db, &filter, COUNT_CAP).await?;
    let searched = [&filter.actor, &filter.action, &filter.record_id].iter().any(|v| v.is_some())
        || filter.from.is_some()
        || filter.to.is_some();
    if searched {
        let asked = serde_json::json!({
            "actor": filter.actor, "action": filter.action, "record": filter.record_id, "from": q.from, "to": q.to,
        });
        accounts::record_search(&app.db, &u.actor(), &asked).await.map_err(UiError::internal)?;
    }
    let more = entries.len() as i64 > size;
    let rows: Vec<EntryRow> = entries.into_iter().take(size as usize).map(row).collect();
    let keep = |k: &str, v: &Option<String>| given(v).map(|v| format!("{k}={}&", urlencode(v))).unwrap_or_default();
    let filters = format!(
        "{}{}{}{}{}",
        keep("actor", &q.actor),
        keep("action", &q.action),
        keep("record", &q.record),
        keep("from", &q.from),
        keep("to", &q.to)
    );
    let filters = filters.trim_end_matches('&').to_string();
    let sep = if filters.is_empty() { "" } else { "&" };
    let older_href = (more && !rows.is_empty()).then(|| {
        format!(
            "/admin/audit?{filters}{sep}size={size}&page={}&before={}",
            q.page.unwrap_or(1) + 1,
            rows.last().map(|r| r.seq).unwrap_or_default()
        )
    });
    let pager = crate::ui::pager::pager("/admin/audit", &filters, size, q.page, Some(total), COUNT_CAP);
    let total = if total >= COUNT_CAP {
        format!("{} {}", l.t("超过", "more than"), crate::ui::layout::int(COUNT_CAP))
    } else {
        crate::ui::layout::int(total)
    };
    render(&AuditPage {
        c: Chrome::new(l, &viewer, "admin"),
        l,
        actor: q.actor.clone().unwrap_or_default(),
        action: q.action.clone().unwrap_or_default(),
        record: q.record.clone().unwrap_or_default(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        rows,
        older_href,
        total,
        pager,
        last_check: last_check(&app, l).await?,
    })
}

#[derive(Debug, Deserialize)]
pub struct Empty {}

/// `POST /admin/audit/verify`: walks the whole chain now and records what it found.
pub async fn verify(
    State(app): State<App>,
    viewer: Viewer,
    headers: HeaderMap,
    Form(_): Form<Empty>,
) -> Result<Response, UiError> {
    let u = city_wide(&viewer)?;
    let v = audit::verify(&app.db).await?;
    let after = serde_json::json!({
        "intact": v.broken.is_none(),
        "checked": v.checked,
        "head_seq": v.head_seq,
        "broken_at": v.broken.as_ref().map(|b| b.seq),
        "reason_zh": v.broken.as_ref().map(|b| b.reason.explain().zh),
        "reason_en": v.broken.as_ref().map(|b| b.reason.explain().en),
    });
    record(&app, &u.actor(), &after).await?;
    Ok(go_to(&headers, "/admin/audit"))
}

async fn record(app: &App, actor: &Actor, after: &serde_json::Value) -> Result<(), UiError> {
    let mut t = gongjiang_store::tx::begin(&app.db).await?;
    app_audit::record(&mut t, actor, "audit.verify", "audit", None, None, Some(after)).await?;
    t.commit().await?;
    Ok(())
}
