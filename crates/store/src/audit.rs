//! The audit trail: append-only entries, each hash-chained to the one before, written in the
//! same transaction as the change they record. `verify` walks the chain and names the first
//! entry that was edited, deleted, reordered or inserted.
//!
//! Chain: `hash(n) = SHA-256(canonical(entry n) ‖ hash(n-1))`, `hash(0)` = 64 zeros. The one-row
//! `audit_head` holds the last seq and hash; `append` locks it (PostgreSQL `SELECT … FOR UPDATE`;
//! SQLite's single writer with `BEGIN IMMEDIATE`), so concurrent appends queue instead of
//! forking the chain, and `seq` being the primary key makes a fork impossible anyway. A deleted
//! tail shows as a head no entry matches. Someone who can rewrite the whole table *and* the head
//! can forge a consistent chain: `audit verify` prints the head hash so operators can record it
//! elsewhere (see docs/SECURITY.md).

use gongjiang_crypto::digest::{GENESIS, sha256_hex};
use gongjiang_domain::bilingual::Msg;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::OffsetDateTime;

use crate::dialect::{PerBackend, for_update};
use crate::tx::{Tx, TxConn};
use crate::{Db, StoreError, on_pool, on_tx};

/// What is being recorded. `before`/`after` are the record's state around the change (`None`
/// for a read, or for a create's `before`); never put a password or secret in them.
#[derive(Debug, Clone, Default)]
pub struct NewEntry<'a> {
    /// Who: `user:NAME`, `token:ID`, `cli:OSUSER`, `system`.
    pub actor: &'a str,
    /// What, as `noun.verb`: `user.create`, `role.grant`, `person.read_personal_data`, …
    pub action: &'a str,
    pub resource: &'a str,
    pub record_id: Option<&'a str>,
    /// From where: the client's address, when there is one.
    pub client_addr: Option<&'a str>,
    pub before: Option<&'a serde_json::Value>,
    pub after: Option<&'a serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub seq: i64,
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub resource: String,
    pub record_id: Option<String>,
    pub client_addr: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

const COLUMNS: &str =
    "seq, at, actor, action, resource, record_id, client_addr, before_json, after_json, prev_hash, hash";

/// The bytes an entry's hash covers: a version tag, then every field length-prefixed (so no two
/// different entries encode alike), the time as microseconds since the epoch, and `prev_hash`.
pub fn canonical(e: &Entry) -> Vec<u8> {
    fn field(out: &mut Vec<u8>, v: Option<&str>) {
        match v {
            None => out.push(0),
            Some(s) => {
                out.push(1);
                out.extend_from_slice(&(s.len() as u64).to_be_bytes());
                out.extend_from_slice(s.as_bytes());
            }
        }
    }
    let mut out = b"gongjiang-audit-v1\n".to_vec();
    out.extend_from_slice(&e.seq.to_be_bytes());
    out.extend_from_slice(&micros(e.at).to_be_bytes());
    for v in [
        Some(e.actor.as_str()),
        Some(e.action.as_str()),
        Some(e.resource.as_str()),
        e.record_id.as_deref(),
        e.client_addr.as_deref(),
        e.before_json.as_deref(),
        e.after_json.as_deref(),
        Some(e.prev_hash.as_str()),
    ] {
        field(&mut out, v);
    }
    out
}

pub fn entry_hash(e: &Entry) -> String {
    sha256_hex(&canonical(e))
}

fn micros(t: OffsetDateTime) -> i64 {
    (t.unix_timestamp_nanos() / 1000) as i64
}

/// Now, in UTC, cut to microseconds: what both backends store exactly.
fn now_micros() -> OffsetDateTime {
    let t = OffsetDateTime::now_utc();
    t.replace_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// SQLite keeps times as text; a fixed width (always six fractional digits, `Z`) makes text
/// order time order, which time-range searches rely on.
fn sqlite_time(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.microsecond()
    )
}

/// Appends an entry inside the caller's transaction and returns it; it commits or rolls back
/// with the caller's change.
pub async fn append(tx: &mut Tx, new: &NewEntry<'_>) -> Result<Entry, StoreError> {
    static HEAD: PerBackend<String> =
        PerBackend::new(|b| format!("SELECT seq, hash FROM audit_head WHERE id = 1{}", for_update(b)));
    const INSERT: &str = "INSERT INTO audit_log (seq, at, actor, action, resource, record_id, client_addr, \
         before_json, after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    const MOVE_HEAD: &str = "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1";
    let head_sql = HEAD.sql(tx.backend());
    let head: (i64, String) = on_tx!(tx, conn => sqlx::query_as(head_sql).fetch_one(&mut *conn).await?);
    let mut e = Entry {
        seq: head.0 + 1,
        // Taken under the head lock, so times never go backwards along the chain (unless the
        // clock does).
        at: now_micros(),
        actor: new.actor.to_string(),
        action: new.action.to_string(),
        resource: new.resource.to_string(),
        record_id: new.record_id.map(str::to_string),
        client_addr: new.client_addr.map(str::to_string),
        before_json: new.before.map(|v| v.to_string()),
        after_json: new.after.map(|v| v.to_string()),
        prev_hash: head.1,
        hash: String::new(),
    };
    e.hash = entry_hash(&e);
    macro_rules! insert {
        ($at:expr) => {
            sqlx::query(INSERT)
                .bind(e.seq)
                .bind($at)
                .bind(&e.actor)
                .bind(&e.action)
                .bind(&e.resource)
                .bind(&e.record_id)
                .bind(&e.client_addr)
                .bind(&e.before_json)
                .bind(&e.after_json)
                .bind(&e.prev_hash)
                .bind(&e.hash)
        };
    }
    match &mut tx.inner {
        TxConn::Sqlite(t) => {
            insert!(sqlite_time(e.at)).execute(&mut **t).await.map(|_| ()).map_err(StoreError::from_sqlx)?
        }
        TxConn::Postgres(t) => insert!(e.at).execute(&mut **t).await.map(|_| ()).map_err(StoreError::from_sqlx)?,
    };
    on_tx!(tx, conn => sqlx::query(MOVE_HEAD).bind(e.seq).bind(&e.hash).execute(conn).await.map(|_| ())?);
    Ok(e)
}

/// Why the chain is broken at an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Break {
    /// The entry's content does not match its hash: a field was edited (or its seq changed).
    Altered,
    /// The entry does not point at the hash of the one before: an entry was inserted, replaced
    /// or the order changed.
    Relinked,
    /// This seq is missing: an entry was deleted.
    Missing,
    /// The last entry is not the recorded head: entries at the end were deleted or appended
    /// outside `append`, or the head row itself was changed.
    HeadMismatch,
    /// The head row is gone: the table that anchors the chain was tampered with.
    HeadMissing,
    /// No entry at all, yet the database has user accounts (whose creation is audited): the
    /// trail was emptied.
    EmptyWithUsers,
    /// A signed checkpoint names an entry the chain no longer has, or has with another hash:
    /// entries at the end were cut off and the head moved back.
    BeforeCheckpoint,
}

impl Break {
    pub fn explain(self) -> Msg {
        match self {
            Break::Altered => Msg::new("条目内容与其哈希不符（被修改）", "the entry does not match its hash (edited)"),
            Break::Relinked => Msg::new(
                "条目未链接到前一条目的哈希（被插入、替换或调换顺序）",
                "the entry does not link to the previous entry's hash (inserted, replaced or reordered)",
            ),
            Break::Missing => Msg::new("该序号的条目缺失（被删除）", "no entry has this sequence number (deleted)"),
            Break::HeadMismatch => Msg::new(
                "最后一条与记录的链头不符（末尾条目被删除或链头被改）",
                "the last entry does not match the recorded head (entries at the end deleted, or the head changed)",
            ),
            Break::HeadMissing => Msg::new(
                "链头记录（audit_head）缺失：审计表被篡改",
                "the head row (audit_head) is missing: the audit tables were tampered with",
            ),
            Break::EmptyWithUsers => Msg::new(
                "审计日志为空，但数据库中有用户账户（账户的创建都有记录）：日志被清空",
                "the audit trail is empty although the database has user accounts (whose creation is recorded): it was emptied",
            ),
            Break::BeforeCheckpoint => Msg::new(
                "签名检查点记录的条目已不在链中（末尾条目被截去）",
                "an entry a signed checkpoint recorded is no longer in the chain (entries at the end were cut off)",
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenAt {
    pub seq: i64,
    pub reason: Break,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// Entries read.
    pub checked: i64,
    pub head_seq: i64,
    pub head_hash: String,
    /// The first break, or `None` when the chain is intact.
    pub broken: Option<BrokenAt>,
}

/// Rows per page when walking the chain.
const VERIFY_PAGE: i64 = 10_000;

/// Walks the whole chain in order and reports the first break.
pub async fn verify(db: &Db) -> Result<Verification, StoreError> {
    let page_sql = format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2");
    let head: Option<(i64, String)> = on_pool!(db, pool => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_optional(pool).await?);
    let Some((head_seq, head_hash)) = head else {
        return Ok(Verification {
            checked: 0,
            head_seq: 0,
            head_hash: String::new(),
            broken: Some(BrokenAt { seq: 0, reason: Break::HeadMissing }),
        });
    };
    let mut v = Verification { checked: 0, head_seq, head_hash, broken: None };
    let mut last_seq = 0i64;
    let mut prev_hash = GENESIS.to_string();
    loop {
        let sql = sqlx::AssertSqlSafe(page_sql.clone());
        let page: Vec<Entry> =
            on_pool!(db, pool => sqlx::query_as(sql).bind(last_seq).bind(VERIFY_PAGE).fetch_all(pool).await?);
        let Some(end) = page.last().map(|e| e.seq) else { break };
        for e in &page {
            v.checked += 1;
            let broken = if e.seq != last_seq + 1 {
                Some(BrokenAt { seq: last_seq + 1, reason: Break::Missing })
            } else if entry_hash(e) != e.hash {
                Some(BrokenAt { seq: e.seq, reason: Break::Altered })
            } else if e.prev_hash != prev_hash {
                Some(BrokenAt { seq: e.seq, reason: Break::Relinked })
            } else {
                None
            };
            if broken.is_some() {
                v.broken = broken;
                return Ok(v);
            }
            last_seq = e.seq;
            prev_hash = e.hash.clone();
        }
        if end == last_seq && page.len() < VERIFY_PAGE as usize {
            break;
        }
    }
    if last_seq != v.head_seq || prev_hash != v.head_hash {
        v.broken = Some(BrokenAt { seq: last_seq.max(v.head_seq), reason: Break::HeadMismatch });
    } else if v.checked == 0 {
        let users: i64 = on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?);
        if users > 0 {
            v.broken = Some(BrokenAt { seq: 0, reason: Break::EmptyWithUsers });
        }
    }
    Ok(v)
}

/// The hash of entry `seq`, if the chain has it.
pub async fn hash_at(db: &Db, seq: i64) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT hash FROM audit_log WHERE seq = $1";
    Ok(on_pool!(db, pool => sqlx::query_scalar(SQL).bind(seq).fetch_optional(pool).await?))
}

/// What to look for; every field narrows.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub resource: Option<String>,
    pub record_id: Option<String>,
    pub from: Option<OffsetDateTime>,
    /// Exclusive.
    pub to: Option<OffsetDateTime>,
}

/// The WHERE conditions of an audit search (after `WHERE 1 = 1`), for the listing and its count.
macro_rules! push_audit_filter {
    ($qb:ident, $f:expr, $time:expr) => {{
        let f: &AuditFilter = $f;
        for (col, v) in
            [("actor", &f.actor), ("action", &f.action), ("resource", &f.resource), ("record_id", &f.record_id)]
        {
            if let Some(v) = v {
                $qb.push(format!(" AND {col} = ")).push_bind(v.clone());
            }
        }
        if let Some(t) = f.from {
            $qb.push(" AND at >= ").push_bind($time(t));
        }
        if let Some(t) = f.to {
            $qb.push(" AND at < ").push_bind($time(t));
        }
    }};
}

/// How many entries match, counted up to `cap` (a count beyond it reads "more than").
pub async fn count(db: &Db, f: &AuditFilter, cap: i64) -> Result<i64, StoreError> {
    const HEAD: &str = "SELECT COUNT(*) FROM (SELECT 1 FROM audit_log WHERE 1 = 1";
    Ok(match db {
        Db::Sqlite { read, .. } => {
            let mut qb = QueryBuilder::new(HEAD);
            push_audit_filter!(qb, f, sqlite_time);
            qb.push(" LIMIT ").push_bind(cap).push(") AS found");
            qb.build_query_scalar().fetch_one(read).await?
        }
        Db::Postgres(pool, _) => {
            let mut qb = QueryBuilder::new(HEAD);
            push_audit_filter!(qb, f, |t: OffsetDateTime| t);
            qb.push(" LIMIT ").push_bind(cap).push(") AS found");
            qb.build_query_scalar().fetch_one(pool).await?
        }
    })
}

/// Matching entries, newest first; page with `before` = the last seq of the previous page.
pub async fn search(db: &Db, f: &AuditFilter, before: Option<i64>, limit: i64) -> Result<Vec<Entry>, StoreError> {
    macro_rules! build {
        ($qb:ident, $time:expr) => {{
            let mut $qb = QueryBuilder::new(format!("SELECT {COLUMNS} FROM audit_log WHERE 1 = 1"));
            push_audit_filter!($qb, f, $time);
            if let Some(b) = before {
                $qb.push(" AND seq < ").push_bind(b);
            }
            $qb.push(" ORDER BY seq DESC LIMIT ").push_bind(limit);
            $qb
        }};
    }
    Ok(match db {
        Db::Sqlite { read, .. } => {
            let mut qb = build!(qb, sqlite_time);
            qb.build_query_as().fetch_all(read).await?
        }
        Db::Postgres(pool, _) => {
            let mut qb = build!(qb, |t: OffsetDateTime| t);
            qb.build_query_as().fetch_all(pool).await?
        }
    })
}
