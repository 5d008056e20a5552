//! Organisations: upsert by unified social credit code, lookup and listing.

use std::collections::{HashMap, HashSet};

use gongjiang_domain::access::Scope;
use gongjiang_domain::records::NewOrganisation;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::tx::Tx;
use crate::{Db, INSERT_CHUNK, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, push_in_list};

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Columns {
    uscc: String,
    name: String,
    kind: String,
    district_code: String,
    industry: Option<String>,
}

impl Columns {
    fn merged(o: &NewOrganisation, old: Option<&Columns>) -> Columns {
        Columns {
            uscc: o.uscc.clone(),
            name: o.name.clone(),
            kind: o.kind.code().to_string(),
            district_code: o.district_code.clone(),
            industry: o.industry.clone().or_else(|| old.and_then(|c| c.industry.clone())),
        }
    }
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    #[sqlx(flatten)]
    cols: Columns,
}

/// Inserts new organisations and updates changed ones, in one transaction.
pub async fn upsert_batch(db: &Db, rows: &[NewOrganisation]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = upsert_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(r)
}

/// Inserts new organisations and updates changed ones, in one transaction.
pub async fn upsert_batch_in(tx: &mut Tx, rows: &[NewOrganisation]) -> Result<WriteCounts, StoreError> {
    if rows.is_empty() {
        return Ok(WriteCounts::default());
    }
    let now = OffsetDateTime::now_utc();
    let (counts, industry_changed) = on_tx!(tx, conn => {
        let keys: Vec<&str> = rows.iter().map(|r| r.uscc.as_str()).collect();
        let mut existing: Vec<Existing> = Vec::new();
        for part in keys.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new("SELECT id, uscc, name, kind, district_code, industry FROM organisations WHERE uscc IN ");
            push_in_list(&mut qb, part.iter().copied());
            existing.extend(qb.build_query_as::<Existing>().fetch_all(&mut *conn).await?);
        }
        let mut stored: HashMap<String, (Option<i64>, Columns)> =
            existing.into_iter().map(|e| (e.cols.uscc.clone(), (Some(e.id), e.cols))).collect();
        let mut counts = WriteCounts::default();
        let mut changed: Vec<String> = Vec::new();
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        // Organisations already stored whose industry (or chains, below) change: their
        // employees' KPI state too.
        let mut industry_changed: Vec<i64> = Vec::new();
        // The chain lists given, by credit code (the last row of a code wins), and those stored.
        let mut chains_given: HashMap<String, Vec<String>> = HashMap::new();
        let stored_ids: Vec<i64> = stored.values().filter_map(|(id, _)| *id).collect();
        let mut chains_stored: HashMap<i64, Vec<String>> = HashMap::new();
        for part in stored_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(
                "SELECT organisation_id, chain FROM organisation_chains WHERE organisation_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            qb.push(" ORDER BY organisation_id, chain");
            for (id, chain) in qb.build_query_as::<(i64, String)>().fetch_all(&mut *conn).await? {
                chains_stored.entry(id).or_default().push(chain);
            }
        }
        for o in rows {
            let chains_differ = o.chains.as_ref().is_some_and(|given| {
                let before = chains_given.get(&o.uscc).cloned().or_else(|| {
                    stored.get(&o.uscc).and_then(|(id, _)| *id).map(|id| chains_stored.get(&id).cloned().unwrap_or_default())
                });
                before.as_ref() != Some(given)
            });
            if let Some(given) = &o.chains {
                chains_given.insert(o.uscc.clone(), given.clone());
            }
            match stored.get_mut(&o.uscc) {
                Some((id, old)) => {
                    let merged = Columns::merged(o, Some(old));
                    if merged == *old && !chains_differ {
                        counts.unchanged += 1;
                    } else {
                        counts.updated += 1;
                        if merged.industry != old.industry && let Some(id) = id {
                            industry_changed.push(*id);
                        }
                        *old = merged;
                        if seen.insert(o.uscc.clone()) { changed.push(o.uscc.clone()) }
                    }
                }
                None => {
                    counts.inserted += 1;
                    stored.insert(o.uscc.clone(), (None, Columns::merged(o, None)));
                    seen.insert(o.uscc.clone());
                    changed.push(o.uscc.clone());
                }
            }
        }
        let (inserts, updates): (Vec<_>, Vec<_>) =
            changed.iter().filter_map(|k| stored.get(k)).partition(|(id, _)| id.is_none());
        for chunk in inserts.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(
                "INSERT INTO organisations (public_id, uscc, name, kind, district_code, industry, created_at, updated_at) ");
            qb.push_values(chunk, |mut b, (_, c)| {
                b.push_bind(Uuid::now_v7()).push_bind(c.uscc.clone()).push_bind(c.name.clone()).push_bind(c.kind.clone())
                    .push_bind(c.district_code.clone()).push_bind(c.industry.clone()).push_bind(now).push_bind(now);
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        for (id, c) in updates {
            sqlx::query("UPDATE organisations SET name = $1, kind = $2, district_code = $3, industry = $4, updated_at = $5 WHERE id = $6")
                .bind(&c.name).bind(&c.kind).bind(&c.district_code).bind(&c.industry).bind(now).bind(id)
                .execute(&mut *conn).await?;
        }
        // Chain lists: each given one replaces the organisation's stored list.
        if !chains_given.is_empty() {
            let usccs: Vec<&str> = chains_given.keys().map(String::as_str).collect();
            let mut ids: Vec<(i64, String)> = Vec::new();
            for part in usccs.chunks(KEY_CHUNK) {
                let mut qb = QueryBuilder::new("SELECT id, uscc FROM organisations WHERE uscc IN ");
                push_in_list(&mut qb, part.iter().copied());
                ids.extend(qb.build_query_as::<(i64, String)>().fetch_all(&mut *conn).await?);
            }
            let ids: Vec<(i64, &Vec<String>)> = ids
                .into_iter()
                .filter_map(|(id, uscc)| chains_given.get(&uscc).map(|c| (id, c)))
                .filter(|(id, c)| chains_stored.get(id).map_or(!c.is_empty(), |s| s != *c))
                .collect();
            for part in ids.chunks(KEY_CHUNK) {
                let mut qb = QueryBuilder::new("DELETE FROM organisation_chains WHERE organisation_id IN ");
                push_in_list(&mut qb, part.iter().map(|(id, _)| *id));
                qb.build().execute(&mut *conn).await?;
            }
            let pairs: Vec<(i64, &String)> = ids.iter().flat_map(|(id, c)| c.iter().map(move |x| (*id, x))).collect();
            for chunk in pairs.chunks(INSERT_CHUNK) {
                let mut qb = QueryBuilder::new("INSERT INTO organisation_chains (organisation_id, chain) ");
                qb.push_values(chunk, |mut b, (id, chain)| {
                    b.push_bind(*id).push_bind((*chain).clone());
                });
                qb.build().execute(&mut *conn).await?;
            }
            // Their employees count in other chains now.
            industry_changed.extend(ids.iter().map(|(id, _)| *id));
        }
        (counts, industry_changed)
    });
    // Their employees' KPI state changes with them.
    tx.touch_employers(industry_changed);
    Ok(counts)
}

/// Ids of the organisations with these credit codes (absent ones are missing from the map).
pub async fn ids_by_uscc(db: &Db, usccs: &[&str]) -> Result<HashMap<String, i64>, StoreError> {
    if usccs.is_empty() {
        return Ok(HashMap::new());
    }
    let mut rows: Vec<(i64, String)> = Vec::with_capacity(usccs.len());
    for part in usccs.chunks(KEY_CHUNK) {
        on_pool!(db, pool => {
            let mut qb = QueryBuilder::new("SELECT id, uscc FROM organisations WHERE uscc IN ");
            push_in_list(&mut qb, part.iter().copied());
            rows.extend(qb.build_query_as::<(i64, String)>().fetch_all(pool).await?);
        });
    }
    Ok(rows.into_iter().map(|(id, u)| (u, id)).collect())
}

/// The industrial chain ids of the organisation with this credit code, sorted (none when it is
/// in no chain or not stored).
pub async fn chains_of(db: &Db, uscc: &str) -> Result<Vec<String>, StoreError> {
    const SQL: &str = "SELECT c.chain FROM organisation_chains c JOIN organisations o ON o.id = c.organisation_id \
         WHERE o.uscc = $1 ORDER BY c.chain";
    Ok(on_pool!(db, pool => sqlx::query_scalar(SQL).bind(uscc).fetch_all(pool).await?))
}

const ALL_IDS: &str = "SELECT id, uscc FROM organisations";

/// Every organisation's id by credit code: imports resolve employers from memory.
pub async fn all_ids(db: &Db) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<(i64, String)> = on_pool!(db, pool => sqlx::query_as(ALL_IDS).fetch_all(pool).await?);
    Ok(rows.into_iter().map(|(id, u)| (u, id)).collect())
}

/// [`all_ids`] read in the caller's transaction.
pub async fn all_ids_in(tx: &mut Tx) -> Result<HashMap<String, i64>, StoreError> {
    let rows: Vec<(i64, String)> = on_tx!(tx, conn => sqlx::query_as(ALL_IDS).fetch_all(&mut *conn).await?);
    Ok(rows.into_iter().map(|(id, u)| (u, id)).collect())
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Organisation {
    #[serde(skip)]
    pub id: i64,
    pub public_id: Uuid,
    pub uscc: String,
    pub name: String,
    pub kind: String,
    pub district_code: String,
    pub industry: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub district_code: Option<String>,
    pub industry: Option<String>,
    pub kind: Option<String>,
}

const COLUMNS: &str = "SELECT id, public_id, uscc, name, kind, district_code, industry FROM organisations ";

/// One page of the organisations `scope` reaches, by id after `after`.
pub async fn list(
    db: &Db,
    scope: &Scope,
    f: &OrgFilter,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Organisation>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(COLUMNS);
        qb.push("WHERE 1 = 1");
        crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
        if let Some(a) = after { qb.push(" AND id > ").push_bind(a); }
        if let Some(d) = &f.district_code { qb.push(" AND district_code = ").push_bind(d.clone()); }
        if let Some(i) = &f.industry { qb.push(" AND industry = ").push_bind(i.clone()); }
        if let Some(k) = &f.kind { qb.push(" AND kind = ").push_bind(k.clone()); }
        qb.push(" ORDER BY id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// How many organisations `scope` reaches match `f` and, when given, a name containing `name`,
/// counted up to `cap` (bounded work; a count at the cap reads "more than").
pub async fn count_matching(
    db: &Db,
    scope: &Scope,
    f: &OrgFilter,
    name: Option<&str>,
    cap: i64,
) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM organisations WHERE 1 = 1");
        crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
        if let Some(n) = name {
            let escaped = n.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            qb.push(" AND name LIKE ").push_bind(format!("%{escaped}%")).push(" ESCAPE '\\'");
        }
        if let Some(d) = &f.district_code { qb.push(" AND district_code = ").push_bind(d.clone()); }
        if let Some(i) = &f.industry { qb.push(" AND industry = ").push_bind(i.clone()); }
        if let Some(k) = &f.kind { qb.push(" AND kind = ").push_bind(k.clone()); }
        qb.push(" LIMIT ").push_bind(cap).push(") AS found");
        qb.build_query_scalar().fetch_one(pool).await?
    }))
}

/// Which of `ids` `scope` reaches, read in the caller's transaction.
pub async fn admitted_in(tx: &mut Tx, scope: &Scope, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    if scope.is_all() {
        return Ok(ids.iter().copied().collect());
    }
    let mut out = HashSet::new();
    if scope.is_none() {
        return Ok(out);
    }
    let unique: Vec<i64> = ids.iter().copied().collect::<HashSet<_>>().into_iter().collect();
    for part in unique.chunks(KEY_CHUNK) {
        let rows: Vec<i64> = on_tx!(tx, conn => {
            let mut qb = QueryBuilder::new("SELECT id FROM organisations WHERE id IN ");
            push_in_list(&mut qb, part.iter().copied());
            crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
            qb.build_query_scalar().fetch_all(&mut *conn).await?
        });
        out.extend(rows);
    }
    Ok(out)
}

/// The organisation with this credit code, if `scope` reaches it.
pub async fn by_uscc(db: &Db, scope: &Scope, uscc: &str) -> Result<Option<Organisation>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(COLUMNS);
        qb.push("WHERE uscc = ").push_bind(uscc.to_string());
        crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// The organisation with this public id, if `scope` reaches it.
pub async fn by_public_id(db: &Db, scope: &Scope, public_id: Uuid) -> Result<Option<Organisation>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(COLUMNS);
        qb.push("WHERE public_id = ").push_bind(public_id);
        crate::scope::push(&mut qb, scope, &crate::scope::ORGANISATIONS);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}
