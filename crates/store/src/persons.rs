//! Persons: upsert by identity number, lookup, and filtered keyset-paged listing.

use std::collections::{HashMap, HashSet};

use gongjiang_domain::access::Scope;
use gongjiang_domain::records::NewPerson;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::kpi_counts::AsConn;
use crate::{Backend, Db, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_writer, push_in_list};

/// A person with the employer resolved to its id.
pub struct PersonWrite<'a> {
    pub person: &'a NewPerson,
    pub employer_id: Option<i64>,
}

/// The stored columns that an import may change, compared to decide updated vs unchanged.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Columns {
    id_type: String,
    id_number: String,
    id_from_15: bool,
    name: String,
    gender: Option<String>,
    birth_date: Option<Date>,
    district_code: Option<String>,
    employer_id: Option<i64>,
    occupation_code: Option<String>,
    education: Option<String>,
    employment_status: Option<String>,
    work_start: Option<Date>,
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: i64,
    #[sqlx(flatten)]
    cols: Columns,
}

impl Columns {
    /// What the KPI state is computed from (kpi_counts.rs).
    fn kpi_fields(&self) -> (&Option<String>, Option<i64>, &Option<String>, &Option<String>) {
        (&self.district_code, self.employer_id, &self.occupation_code, &self.employment_status)
    }

    /// The row as stored after applying `w` over `old`: given values win, missing ones keep.
    fn merged(w: &PersonWrite<'_>, old: Option<&Columns>) -> Columns {
        let p = w.person;
        let keep = |new: Option<String>, old: Option<&Option<String>>| new.or_else(|| old.cloned().flatten());
        Columns {
            id_type: p.id_type.code().to_string(),
            id_number: p.id_number.clone(),
            id_from_15: p.id_from_15 || old.is_some_and(|o| o.id_from_15),
            name: p.name.clone(),
            gender: keep(p.gender.clone(), old.map(|o| &o.gender)),
            birth_date: p.birth_date.or(old.and_then(|o| o.birth_date)),
            district_code: keep(p.district_code.clone(), old.map(|o| &o.district_code)),
            employer_id: w.employer_id.or(old.and_then(|o| o.employer_id)),
            occupation_code: keep(p.occupation_code.clone(), old.map(|o| &o.occupation_code)),
            education: keep(p.education.map(|e| e.code().to_string()), old.map(|o| &o.education)),
            employment_status: keep(
                p.employment_status.map(|e| e.code().to_string()),
                old.map(|o| &o.employment_status),
            ),
            work_start: p.work_start.or(old.and_then(|o| o.work_start)),
        }
    }
}

const SELECT_EXISTING: &str = "SELECT id, id_type, id_number, id_from_15, name, gender, birth_date, district_code, \
     employer_id, occupation_code, education, employment_status, work_start FROM persons WHERE id_number IN ";
// New persons go in as one JSON array per statement: one bound parameter instead of fifteen per
// row, and one statement journal per chunk (docs/BENCHMARKS.md has the measurements).
const INSERT_JSON_SQLITE: &str = "INSERT INTO persons (public_id, id_type, id_number, id_from_15, name, gender, \
     birth_date, district_code, employer_id, occupation_code, education, employment_status, work_start, created_at, \
     updated_at) SELECT unhex(value ->> 0), value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, \
     value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11, value ->> 12, $2, $2 \
     FROM json_each($1) ORDER BY key RETURNING id";
const INSERT_JSON_POSTGRES: &str = "INSERT INTO persons (public_id, id_type, id_number, id_from_15, name, gender, \
     birth_date, district_code, employer_id, occupation_code, education, employment_status, work_start, created_at, \
     updated_at) SELECT (r ->> 0)::uuid, r ->> 1, r ->> 2, (r ->> 3)::boolean, r ->> 4, r ->> 5, (r ->> 6)::date, \
     r ->> 7, (r ->> 8)::bigint, r ->> 9, r ->> 10, r ->> 11, (r ->> 12)::date, $2, $2 \
     FROM jsonb_array_elements($1::text::jsonb) WITH ORDINALITY AS t(r, n) ORDER BY n RETURNING id";

/// The rows as a JSON array of arrays, in the column order of the insert statements.
fn insert_json(rows: &[Columns]) -> String {
    let iso = |d: &Option<Date>| d.map(gongjiang_domain::dates::iso);
    let tuples: Vec<_> = rows
        .iter()
        .map(|c| {
            (
                Uuid::now_v7().simple().to_string(),
                &c.id_type,
                &c.id_number,
                c.id_from_15,
                &c.name,
                &c.gender,
                iso(&c.birth_date),
                &c.district_code,
                c.employer_id,
                &c.occupation_code,
                &c.education,
                &c.employment_status,
                iso(&c.work_start),
            )
        })
        .collect();
    serde_json::to_string(&tuples).unwrap_or_default()
}
const UPDATE: &str = "UPDATE persons SET id_type = $1, id_from_15 = $2, name = $3, gender = $4, birth_date = $5, \
     district_code = $6, employer_id = $7, occupation_code = $8, education = $9, employment_status = $10, \
     work_start = $11, updated_at = $12 WHERE id = $13";

/// Inserts new persons and updates changed ones, in one transaction. A person given twice in
/// the batch is merged in order (the later row wins).
pub async fn upsert_batch(db: &Db, rows: &[PersonWrite<'_>]) -> Result<WriteCounts, StoreError> {
    if rows.is_empty() {
        return Ok(WriteCounts::default());
    }
    let now = OffsetDateTime::now_utc();
    let insert_sql = match db.backend() {
        Backend::Sqlite => INSERT_JSON_SQLITE,
        Backend::Postgres => INSERT_JSON_POSTGRES,
    };
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        let keys: Vec<&str> = rows.iter().map(|r| r.person.id_number.as_str()).collect();
        let mut existing: Vec<Existing> = Vec::new();
        for part in keys.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(SELECT_EXISTING);
            push_in_list(&mut qb, part.iter().copied());
            existing.extend(qb.build_query_as::<Existing>().fetch_all(&mut *tx).await?);
        }
        let mut stored: HashMap<String, (Option<i64>, Columns)> =
            existing.into_iter().map(|e| (e.cols.id_number.clone(), (Some(e.id), e.cols))).collect();

        let mut counts = WriteCounts::default();
        let mut inserts: Vec<Columns> = Vec::new();
        let mut insert_index: HashMap<String, usize> = HashMap::new();
        let mut updates: HashMap<i64, Columns> = HashMap::new();
        // Persons whose KPI state may change: the new ones and those whose KPI fields change.
        let mut kpi_affected: Vec<i64> = Vec::new();
        for w in rows {
            let key = &w.person.id_number;
            if let Some(&i) = insert_index.get(key) {
                let merged = Columns::merged(w, Some(&inserts[i]));
                if merged == inserts[i] { counts.unchanged += 1 } else { counts.updated += 1; inserts[i] = merged }
                continue;
            }
            match stored.get_mut(key) {
                Some((Some(id), old)) => {
                    let merged = Columns::merged(w, Some(old));
                    if merged == *old {
                        counts.unchanged += 1;
                    } else {
                        counts.updated += 1;
                        if merged.kpi_fields() != old.kpi_fields() {
                            kpi_affected.push(*id);
                        }
                        *old = merged.clone();
                        updates.insert(*id, merged);
                    }
                }
                _ => {
                    counts.inserted += 1;
                    insert_index.insert(key.clone(), inserts.len());
                    inserts.push(Columns::merged(w, None));
                }
            }
        }
        stored.clear();

        for chunk in inserts.chunks(crate::JSON_CHUNK) {
            let ids: Vec<i64> = sqlx::query_scalar(insert_sql).bind(insert_json(chunk)).bind(now).fetch_all(&mut *tx).await
                .map_err(StoreError::from_sqlx)?;
            kpi_affected.extend(ids);
        }
        for (id, c) in &updates {
            sqlx::query(UPDATE)
                .bind(&c.id_type)
                .bind(c.id_from_15)
                .bind(&c.name)
                .bind(&c.gender)
                .bind(c.birth_date)
                .bind(&c.district_code)
                .bind(c.employer_id)
                .bind(&c.occupation_code)
                .bind(&c.education)
                .bind(&c.employment_status)
                .bind(c.work_start)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        crate::kpi_counts::refresh_persons(tx.conn(), &kpi_affected).await?;
        tx.commit().await?;
        Ok(counts)
    })
}

/// Ids of the persons with these identity numbers (absent ones are simply missing).
pub async fn ids_by_id_number(db: &Db, id_numbers: &[&str]) -> Result<HashMap<String, i64>, StoreError> {
    if id_numbers.is_empty() {
        return Ok(HashMap::new());
    }
    let mut rows: Vec<(i64, String)> = Vec::with_capacity(id_numbers.len());
    for part in id_numbers.chunks(KEY_CHUNK) {
        on_pool!(db, pool => {
            let mut qb = QueryBuilder::new("SELECT id, id_number FROM persons WHERE id_number IN ");
            push_in_list(&mut qb, part.iter().copied());
            rows.extend(qb.build_query_as::<(i64, String)>().fetch_all(pool).await?);
        });
    }
    Ok(rows.into_iter().map(|(id, n)| (n, id)).collect())
}

/// A person as the API and exports show it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Person {
    #[serde(skip)]
    pub id: i64,
    pub public_id: Uuid,
    pub id_type: String,
    pub id_number: String,
    pub name: String,
    pub gender: Option<String>,
    pub birth_date: Option<Date>,
    pub district_code: Option<String>,
    pub employer_uscc: Option<String>,
    pub employer_name: Option<String>,
    pub occupation_code: Option<String>,
    pub education: Option<String>,
    pub employment_status: Option<String>,
    pub work_start: Option<Date>,
    /// Highest unrevoked level held in any occupation (derived from the level history).
    pub current_level: Option<i16>,
}

/// The person query with a tail (WHERE …) appended at compile time.
macro_rules! select_person {
    ($tail:literal) => {
        concat!(
            "SELECT p.id, p.public_id, p.id_type, p.id_number, p.name, p.gender, p.birth_date, ",
            "p.district_code, o.uscc AS employer_uscc, o.name AS employer_name, p.occupation_code, p.education, ",
            "p.employment_status, p.work_start, ",
            "(SELECT MAX(s.level) FROM skill_levels s WHERE s.person_id = p.id AND s.revoked_on IS NULL) AS current_level ",
            "FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id ",
            $tail
        )
    };
}
pub(crate) use select_person;

pub async fn by_id_number(db: &Db, id_number: &str) -> Result<Option<Person>, StoreError> {
    const SQL: &str = select_person!("WHERE p.id_number = $1");
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(id_number).fetch_optional(pool).await?))
}

/// The person with this public id, if `scope` reaches them (`None` either way otherwise, so a
/// caller cannot tell "absent" from "not yours").
pub async fn by_public_id(db: &Db, scope: &Scope, public_id: Uuid) -> Result<Option<Person>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(select_person!("WHERE p.public_id = "));
        qb.push_bind(public_id);
        crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// Which of `ids` `scope` reaches: e.g. whose full identity number a caller may read.
pub async fn admitted(db: &Db, scope: &Scope, ids: &[i64]) -> Result<HashSet<i64>, StoreError> {
    if ids.is_empty() || scope.is_none() {
        return Ok(HashSet::new());
    }
    let mut out = HashSet::new();
    for part in ids.chunks(KEY_CHUNK) {
        let rows: Vec<i64> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new(
                "SELECT p.id FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id WHERE p.id IN ");
            push_in_list(&mut qb, part.iter().copied());
            crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
            qb.build_query_scalar().fetch_all(pool).await?
        });
        out.extend(rows);
    }
    Ok(out)
}

/// Filters for listing persons; all optional and combined with AND.
#[derive(Debug, Clone, Default)]
pub struct PersonFilter {
    pub district_code: Option<String>,
    pub employer_uscc: Option<String>,
    /// An occupation code or a category prefix (`6-18` matches every 6-18-… occupation).
    pub occupation: Option<String>,
    /// GB/T 4754 section letter of the employer.
    pub industry: Option<String>,
    /// Current level rank: the highest level valid on the KPI clock's date (today once the
    /// day's KPIs have been read; see `kpi_counts`).
    pub level: Option<i16>,
    /// Exact name.
    pub name: Option<String>,
}

/// One page of the persons `scope` reaches, ordered by internal id, starting after `after`
/// (keyset paging, which stays fast at any depth).
pub async fn list(
    db: &Db,
    scope: &Scope,
    f: &PersonFilter,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<Person>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(select_person!("WHERE 1 = 1"));
        crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
        if let Some(a) = after {
            qb.push(" AND p.id > ").push_bind(a);
        }
        if let Some(d) = &f.district_code {
            qb.push(" AND p.district_code = ").push_bind(d.clone());
        }
        if let Some(u) = &f.employer_uscc {
            qb.push(" AND o.uscc = ").push_bind(u.clone());
        }
        if let Some(o) = &f.occupation {
            if o.len() == 10 {
                qb.push(" AND p.occupation_code = ").push_bind(o.clone());
            } else {
                qb.push(" AND p.occupation_code >= ").push_bind(format!("{o}-"));
                qb.push(" AND p.occupation_code < ").push_bind(format!("{o}."));
            }
        }
        if let Some(i) = &f.industry {
            qb.push(" AND o.industry = ").push_bind(i.clone());
        }
        if let Some(l) = f.level {
            // Through the KPI state's (top_level, person_id) index: a rare level no longer
            // walks every person in id order (docs/BENCHMARKS.md).
            qb.push(" AND p.id IN (SELECT person_id FROM kpi_person_state WHERE top_level = ").push_bind(l);
            if let Some(a) = after {
                qb.push(" AND person_id > ").push_bind(a);
            }
            qb.push(")");
        }
        if let Some(n) = &f.name {
            qb.push(" AND p.name = ").push_bind(n.clone());
        }
        qb.push(" ORDER BY p.id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM persons").fetch_one(pool).await?))
}
