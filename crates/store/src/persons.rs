//! Persons: upsert by identity number, lookup, and filtered keyset-paged listing.

use std::collections::{HashMap, HashSet};

use gongjiang_domain::access::Scope;
use gongjiang_domain::records::NewPerson;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::dialect::{self, Json, PerBackend, json_param, json_rows};
use crate::pii::Pii;
use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, on_writer, push_in_list};
use gongjiang_domain::debug_without_id_number;

/// A person with the employer resolved to its id.
pub struct PersonWrite<'a> {
    pub person: &'a NewPerson,
    pub employer_id: Option<i64>,
}

/// The stored columns that an import may change, compared to decide updated vs unchanged.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Columns {
    id_type: String,
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
    id_lookup: String,
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

const SELECT_EXISTING: &str = "SELECT id, id_lookup, id_type, id_from_15, name, gender, birth_date, district_code, \
     employer_id, occupation_code, education, employment_status, work_start FROM persons WHERE id_lookup IN ";
// New persons go in as one JSON array per statement: one bound parameter instead of fifteen per
// row, and one statement journal per chunk (docs/BENCHMARKS.md has the measurements).
static INSERT_JSON: PerBackend<String> = PerBackend::new(|b| {
    use Json::*;
    let cols = [Uuid, Text, Text, Text, BigInt, Bool, Text, Text, Date, Text, BigInt, Text, Text, Text, Date];
    format!(
        "INSERT INTO persons (public_id, id_type, id_cipher, id_lookup, id_tail, id_from_15, name, gender, birth_date, \
         district_code, employer_id, occupation_code, education, employment_status, work_start, created_at, \
         updated_at) {} RETURNING id",
        json_rows(b, &cols).select_in_order("$2, $2")
    )
});

/// A new row: its columns and its sealed identity number.
struct NewRow {
    cols: Columns,
    cipher: String,
    lookup: String,
    tail: i64,
}

/// The rows as a JSON array of arrays, in the column order of the insert statements.
fn insert_json(rows: &[NewRow]) -> Result<String, StoreError> {
    let iso = |d: &Option<Date>| d.map(gongjiang_domain::dates::iso);
    let tuples: Vec<_> = rows
        .iter()
        .map(|NewRow { cols: c, cipher, lookup, tail }| {
            (
                Uuid::now_v7().simple().to_string(),
                &c.id_type,
                cipher,
                lookup,
                tail,
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
    json_param(&tuples)
}
const UPDATE: &str = "UPDATE persons SET id_type = $1, id_from_15 = $2, name = $3, gender = $4, birth_date = $5, \
     district_code = $6, employer_id = $7, occupation_code = $8, education = $9, employment_status = $10, \
     work_start = $11, updated_at = $12 WHERE id = $13";

/// The lookup hashes of a batch's numbers: for each row the hash under the current key (the
/// batch's key for the person), and every hash under any key mapped to that current one, so
/// rows stored under an older key are found too.
struct Lookups {
    current: Vec<String>,
    to_current: HashMap<String, String>,
}

fn lookups<'a>(pii: &Pii, numbers: impl Iterator<Item = &'a str>) -> Result<Lookups, StoreError> {
    let mut l = Lookups { current: Vec::new(), to_current: HashMap::new() };
    for n in numbers {
        let all = pii.lookups(n)?;
        let current = all[0].clone();
        for h in all {
            l.to_current.insert(h, current.clone());
        }
        l.current.push(current);
    }
    Ok(l)
}

const UNSEALED: &str = "SELECT EXISTS (SELECT 1 FROM persons_plaintext_ids)";

/// Inserts new persons and updates changed ones, in one transaction of its own (unaudited:
/// fixtures and tools; use cases write with [`upsert_batch_in`] and their audit entry).
pub async fn upsert_batch(db: &Db, rows: &[PersonWrite<'_>]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let counts = upsert_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(counts)
}

/// Inserts new persons and updates changed ones in the caller's transaction. A person given
/// twice in the batch is merged in order (the later row wins).
pub async fn upsert_batch_in(tx: &mut Tx, rows: &[PersonWrite<'_>]) -> Result<WriteCounts, StoreError> {
    if rows.is_empty() {
        return Ok(WriteCounts::default());
    }
    let now = OffsetDateTime::now_utc();
    let insert_sql = INSERT_JSON.sql(tx.backend());
    let pii = tx.pii.clone();
    let keys = lookups(&pii, rows.iter().map(|r| r.person.id_number.as_str()))?;
    let (counts, kpi_affected) = on_tx!(tx, conn => {
        // A person of a migrated database not sealed yet has no lookup hash: writing now would
        // register them twice.
        let unsealed: bool = sqlx::query_scalar(UNSEALED).fetch_one(&mut *conn).await?;
        if unsealed {
            return Err(StoreError::Unsealed);
        }
        let all: Vec<&str> = keys.to_current.keys().map(String::as_str).collect();
        let mut existing: Vec<Existing> = Vec::new();
        for part in all.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(SELECT_EXISTING);
            push_in_list(&mut qb, part.iter().copied());
            existing.extend(qb.build_query_as::<Existing>().fetch_all(&mut *conn).await?);
        }
        let mut stored: HashMap<&str, (i64, Columns)> = existing
            .into_iter()
            .filter_map(|e| keys.to_current.get(&e.id_lookup).map(|k| (k.as_str(), (e.id, e.cols))))
            .collect();

        let mut counts = WriteCounts::default();
        let mut inserts: Vec<NewRow> = Vec::new();
        let mut insert_index: HashMap<&str, usize> = HashMap::new();
        let mut updates: HashMap<i64, Columns> = HashMap::new();
        // Persons whose KPI state may change: the new ones and those whose KPI fields change.
        let mut kpi_affected: Vec<i64> = Vec::new();
        for (w, key) in rows.iter().zip(&keys.current) {
            let key = key.as_str();
            if let Some(&i) = insert_index.get(key) {
                let merged = Columns::merged(w, Some(&inserts[i].cols));
                if merged == inserts[i].cols { counts.unchanged += 1 } else { counts.updated += 1; inserts[i].cols = merged }
                continue;
            }
            match stored.get_mut(key) {
                Some((id, old)) => {
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
                None => {
                    counts.inserted += 1;
                    insert_index.insert(key, inserts.len());
                    let cipher = pii.encrypt(&w.person.id_number)?;
                    let tail = pii.tail(&w.person.id_number)?;
                    inserts.push(NewRow { cols: Columns::merged(w, None), cipher, lookup: key.to_string(), tail });
                }
            }
        }
        stored.clear();

        for chunk in inserts.chunks(crate::JSON_CHUNK) {
            let ids: Vec<i64> = sqlx::query_scalar(insert_sql).bind(insert_json(chunk)?).bind(now).fetch_all(&mut *conn).await
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
                .execute(&mut *conn)
                .await?;
        }
        (counts, kpi_affected)
    });
    tx.touch_persons(kpi_affected);
    Ok(counts)
}

/// Every key's lookup hash of each number → the number as given.
fn hashes_of<'a>(pii: &Pii, id_numbers: &[&'a str]) -> Result<HashMap<String, &'a str>, StoreError> {
    let mut number_of = HashMap::new();
    for n in id_numbers {
        for h in pii.lookups(n)? {
            number_of.insert(h, *n);
        }
    }
    Ok(number_of)
}

const IDS_BY_LOOKUP: &str = "SELECT id, id_lookup FROM persons WHERE id_lookup IN ";

/// Ids of the persons with these identity numbers (absent ones are simply missing), keyed by
/// the numbers as given.
pub async fn ids_by_id_number(db: &Db, id_numbers: &[&str]) -> Result<HashMap<String, i64>, StoreError> {
    let number_of = hashes_of(db.pii(), id_numbers)?;
    let hashes: Vec<&str> = number_of.keys().map(String::as_str).collect();
    let mut out = HashMap::with_capacity(id_numbers.len());
    for part in hashes.chunks(KEY_CHUNK) {
        let rows: Vec<(i64, String)> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new(IDS_BY_LOOKUP);
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as::<(i64, String)>().fetch_all(pool).await?
        });
        out.extend(rows.into_iter().filter_map(|(id, h)| number_of.get(&h).map(|n| (n.to_string(), id))));
    }
    Ok(out)
}

/// [`ids_by_id_number`] inside the caller's transaction (it sees the persons written in it).
pub async fn ids_by_id_number_in(tx: &mut Tx, id_numbers: &[&str]) -> Result<HashMap<String, i64>, StoreError> {
    let pii = tx.pii.clone();
    let number_of = hashes_of(&pii, id_numbers)?;
    let hashes: Vec<&str> = number_of.keys().map(String::as_str).collect();
    let mut out = HashMap::with_capacity(id_numbers.len());
    for part in hashes.chunks(KEY_CHUNK) {
        let rows: Vec<(i64, String)> = on_tx!(tx, conn => {
            let mut qb = QueryBuilder::new(IDS_BY_LOOKUP);
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as::<(i64, String)>().fetch_all(&mut *conn).await?
        });
        out.extend(rows.into_iter().filter_map(|(id, h)| number_of.get(&h).map(|n| (n.to_string(), id))));
    }
    Ok(out)
}

/// A person as the API and exports show it. `Debug` leaves the identity number out, so a
/// person in a log line or an error never carries it.
#[derive(Clone, Serialize, sqlx::FromRow)]
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

debug_without_id_number!(Person {
    id,
    public_id,
    id_type,
    name,
    gender,
    birth_date,
    district_code,
    employer_uscc,
    employer_name,
    occupation_code,
    education,
    employment_status,
    work_start,
    current_level,
});

/// Decrypts the identity numbers of persons read with [`select_person`].
pub(crate) fn open_persons(pii: &Pii, rows: &mut [Person]) -> Result<(), StoreError> {
    pii.open_all(rows, |p| &mut p.id_number)
}

fn open_one(pii: &Pii, row: Option<Person>) -> Result<Option<Person>, StoreError> {
    let mut rows: Vec<Person> = row.into_iter().collect();
    open_persons(pii, &mut rows)?;
    Ok(rows.pop())
}

/// The person query with a tail (WHERE …) appended at compile time. `id_number` comes out
/// encrypted: pass the rows through [`open_persons`].
macro_rules! select_person {
    ($tail:literal) => {
        concat!(
            "SELECT p.id, p.public_id, p.id_type, COALESCE(p.id_cipher, '') AS id_number, p.name, p.gender, p.birth_date, ",
            "p.district_code, o.uscc AS employer_uscc, o.name AS employer_name, p.occupation_code, p.education, ",
            "p.employment_status, p.work_start, ",
            "(SELECT MAX(s.level) FROM skill_levels s WHERE s.person_id = p.id \
             AND (s.revoked_on IS NULL OR s.revoked_on > CURRENT_DATE)) AS current_level ",
            "FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id ",
            $tail
        )
    };
}
pub(crate) use select_person;

pub async fn by_id_number(db: &Db, id_number: &str) -> Result<Option<Person>, StoreError> {
    let hashes = db.pii().lookups(id_number)?;
    let row: Option<Person> = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(select_person!("WHERE p.id_lookup IN "));
        push_in_list(&mut qb, hashes.iter().map(String::as_str));
        qb.build_query_as().fetch_optional(pool).await?
    });
    open_one(db.pii(), row)
}

/// The person with this public id, if `scope` reaches them (`None` either way otherwise, so a
/// caller cannot tell "absent" from "not yours").
pub async fn by_public_id(db: &Db, scope: &Scope, public_id: Uuid) -> Result<Option<Person>, StoreError> {
    let row = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(select_person!("WHERE p.public_id = "));
        qb.push_bind(public_id);
        crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
        qb.build_query_as().fetch_optional(pool).await?
    });
    open_one(db.pii(), row)
}

/// The person with this internal id, if `scope` reaches them.
pub async fn get(db: &Db, scope: &Scope, id: i64) -> Result<Option<Person>, StoreError> {
    let row = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(select_person!("WHERE p.id = "));
        qb.push_bind(id);
        crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
        qb.build_query_as().fetch_optional(pool).await?
    });
    open_one(db.pii(), row)
}

/// The person with this internal id, inside the caller's transaction (every person: the
/// caller has decided who may act on them).
pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Option<Person>, StoreError> {
    let row: Option<Person> = on_tx!(tx, conn => {
        let mut qb = QueryBuilder::new(select_person!("WHERE p.id = "));
        qb.push_bind(id);
        qb.build_query_as().fetch_optional(&mut *conn).await?
    });
    let pii = tx.pii.clone();
    open_one(&pii, row)
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
    /// A name, or the beginning of one.
    pub name: Option<String>,
    /// The last four characters of the identity number (尾号; check letter in upper case).
    pub id_tail: Option<String>,
}

/// The WHERE conditions of a person search (after `WHERE 1 = 1`), for the listing and its count.
macro_rules! push_filter {
    ($qb:ident, $scope:expr, $f:expr, $after:expr, $by_range:expr, $tails:expr) => {{
        let f: &PersonFilter = $f;
        if let Some(t) = $tails {
            $qb.push(" AND p.id_tail IN ");
            push_in_list(&mut $qb, t.iter().copied());
        }
        crate::scope::push(&mut $qb, $scope, &crate::scope::PERSONS);
        if let Some(a) = $after {
            $qb.push(" AND p.id > ").push_bind(a);
        }
        if let Some(d) = &f.district_code {
            $qb.push(" AND p.district_code = ").push_bind(d.clone());
        }
        if let Some(u) = &f.employer_uscc {
            $qb.push(" AND o.uscc = ").push_bind(u.clone());
        }
        if let Some(o) = &f.occupation {
            if o.len() == 10 {
                $qb.push(" AND p.occupation_code = ").push_bind(o.clone());
            } else {
                $qb.push(" AND p.occupation_code >= ").push_bind(format!("{o}-"));
                $qb.push(" AND p.occupation_code < ").push_bind(format!("{o}."));
            }
        }
        if let Some(i) = &f.industry {
            $qb.push(" AND o.industry = ").push_bind(i.clone());
        }
        if let Some(l) = f.level {
            // Through the KPI state's (top_level, person_id) index: a rare level no longer
            // walks every person in id order (docs/BENCHMARKS.md).
            $qb.push(" AND p.id IN (SELECT person_id FROM kpi_person_state WHERE top_level = ").push_bind(l);
            if let Some(a) = $after {
                $qb.push(" AND person_id > ").push_bind(a);
            }
            $qb.push(")");
        }
        if let Some(n) = &f.name {
            // A name or its beginning (赵 finds every 赵…). Where text sorts by its bytes the
            // range uses the name index; the substring test is exact under any collation.
            if $by_range {
                $qb.push(" AND p.name >= ").push_bind(n.clone());
                $qb.push(" AND p.name < ").push_bind(format!("{n}\u{10FFFF}"));
            }
            $qb.push(" AND substr(p.name, 1, ").push_bind(n.chars().count() as i32).push(") = ").push_bind(n.clone());
        }
    }};
}

/// The tail hashes a search by 尾号 matches, under every key (rows not yet re-hashed after a
/// rotation are found too).
fn tail_hashes(db: &Db, f: &PersonFilter) -> Result<Option<Vec<i64>>, StoreError> {
    f.id_tail.as_deref().map(|t| db.pii().tails(t)).transpose()
}

/// How many persons a search finds in `scope`, counted up to `cap` (a count beyond it reads
/// "more than"): bounded work whatever the registry's size.
pub async fn count_matching(db: &Db, scope: &Scope, f: &PersonFilter, cap: i64) -> Result<i64, StoreError> {
    let by_range = crate::dialect::bytewise_text_order(db.backend());
    let tails = tail_hashes(db, f)?;
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT COUNT(*) FROM (SELECT 1 FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id WHERE 1 = 1",
        );
        push_filter!(qb, scope, f, None::<i64>, by_range, &tails);
        qb.push(" LIMIT ").push_bind(cap).push(") AS found");
        qb.build_query_scalar().fetch_one(pool).await?
    }))
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
    let by_range = crate::dialect::bytewise_text_order(db.backend());
    let tails = tail_hashes(db, f)?;
    let mut rows: Vec<Person> = on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(select_person!("WHERE 1 = 1"));
        push_filter!(qb, scope, f, after, by_range, &tails);
        qb.push(" ORDER BY p.id LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    });
    open_persons(db.pii(), &mut rows)?;
    Ok(rows)
}

pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM persons").fetch_one(pool).await?))
}

/// One field of a person set to a corrected value (an accepted correction request); `None`
/// clears an optional field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Name(String),
    /// The number (canonical), with the birth date and gender it encodes when it is a resident
    /// identity number.
    IdNumber {
        number: String,
        birth_date: Option<Date>,
        gender: Option<String>,
    },
    Gender(Option<String>),
    BirthDate(Option<Date>),
    District(Option<String>),
    Employer(Option<i64>),
    Occupation(Option<String>),
    Education(Option<String>),
    EmploymentStatus(Option<String>),
    WorkStart(Option<Date>),
}

/// Sets one field of a person in the caller's transaction, keeping the KPI counts in step.
/// `Conflict` when a corrected identity number belongs to another person already.
pub async fn correct_in(tx: &mut Tx, person_id: i64, value: &FieldValue) -> Result<(), StoreError> {
    let now = OffsetDateTime::now_utc();
    let sealed = match value {
        FieldValue::IdNumber { number, .. } => Some(tx.pii.seal(number)?),
        _ => None,
    };
    macro_rules! set {
        ($conn:expr, $col:literal, $v:expr) => {
            sqlx::query(concat!("UPDATE persons SET ", $col, " = $1, updated_at = $2 WHERE id = $3"))
                .bind($v)
                .bind(now)
                .bind(person_id)
                .execute(&mut *$conn)
                .await
                .map(|_| ())
                .map_err(StoreError::from_sqlx)?
        };
    }
    on_tx!(tx, conn => {
        match value {
            FieldValue::Name(v) => set!(conn, "name", v),
            FieldValue::IdNumber { birth_date, gender, .. } => {
                let s = sealed.as_ref().expect("sealed above");
                sqlx::query("UPDATE persons SET id_cipher = $1, id_lookup = $2, id_tail = $3, \
                     birth_date = COALESCE($4, birth_date), gender = COALESCE($5, gender), updated_at = $6 WHERE id = $7")
                    .bind(&s.cipher).bind(&s.lookup).bind(s.tail).bind(*birth_date).bind(gender).bind(now).bind(person_id)
                    .execute(&mut *conn).await.map(|_| ()).map_err(StoreError::from_sqlx)?
            }
            FieldValue::Gender(v) => set!(conn, "gender", v),
            FieldValue::BirthDate(v) => set!(conn, "birth_date", *v),
            FieldValue::District(v) => set!(conn, "district_code", v),
            FieldValue::Employer(v) => set!(conn, "employer_id", *v),
            FieldValue::Occupation(v) => set!(conn, "occupation_code", v),
            FieldValue::Education(v) => set!(conn, "education", v),
            FieldValue::EmploymentStatus(v) => set!(conn, "employment_status", v),
            FieldValue::WorkStart(v) => set!(conn, "work_start", *v),
        }
    });
    tx.touch_persons([person_id]);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Sealing a migrated database, and re-encryption after a key rotation
// ---------------------------------------------------------------------------------------------

/// `(id, ciphertext, lookup hash)` rewritten by one statement per batch.
static RESEAL: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "UPDATE persons SET id_cipher = j.cipher, id_lookup = j.lookup, id_tail = j.tail FROM {} AS j \
         WHERE persons.id = j.id",
        json_rows(b, &[Json::BigInt, Json::Text, Json::Text, Json::BigInt]).table(&["id", "cipher", "lookup", "tail"])
    )
});

fn reseal_sql(db: &Db) -> &'static str {
    RESEAL.sql(db.backend())
}

/// How many identity numbers of a migrated database are still waiting to be encrypted.
pub async fn unsealed_count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM persons_plaintext_ids").fetch_one(pool).await?))
}

/// Encrypts up to `batch` identity numbers still held in plaintext by a database migrated from
/// before encryption (`persons_plaintext_ids`, filled by migration 0010) and deletes them from
/// there, in one transaction. Returns how many; 0 when none is left. Run it until 0: each
/// batch commits on its own, so an interrupted run loses nothing.
pub async fn seal_plaintext(db: &Db, batch: i64) -> Result<u64, StoreError> {
    const PENDING: &str = "SELECT person_id, id_number FROM persons_plaintext_ids ORDER BY person_id LIMIT $1";
    const DONE: &str = "DELETE FROM persons_plaintext_ids WHERE person_id <= $1";
    let pii = db.pii();
    pii.ring()?;
    let reseal = reseal_sql(db);
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        let rows: Vec<(i64, String)> = sqlx::query_as(PENDING).bind(batch).fetch_all(&mut *tx).await?;
        let Some(last) = rows.last().map(|r| r.0) else { return Ok(0) };
        let mut sealed = Vec::with_capacity(rows.len());
        for (id, number) in &rows {
            let s = pii.seal(number)?;
            sealed.push((id, s.cipher, s.lookup, s.tail));
        }
        let json = json_param(&sealed)?;
        sqlx::query(reseal).bind(json).execute(&mut *tx).await.map_err(StoreError::from_sqlx)?;
        sqlx::query(DONE).bind(last).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows.len() as u64)
    })
}

/// `(id, tail hash)` set by one statement per batch.
static SET_TAILS: PerBackend<String> = PerBackend::new(|b| {
    format!(
        "UPDATE persons SET id_tail = j.tail FROM {} AS j WHERE persons.id = j.id",
        json_rows(b, &[Json::BigInt, Json::BigInt]).table(&["id", "tail"])
    )
});

/// Gives up to `batch` persons stored before the tail hash existed (migration 0027) their
/// hash, in one transaction; returns how many, 0 when none is left. Found through a partial
/// index, so asking costs nothing once every row has one.
pub async fn backfill_tails(db: &Db, batch: i64) -> Result<u64, StoreError> {
    const PENDING: &str =
        "SELECT id, id_cipher FROM persons WHERE id_tail IS NULL AND id_cipher IS NOT NULL ORDER BY id LIMIT $1";
    let pii = db.pii();
    pii.ring()?;
    let sql = SET_TAILS.sql(db.backend());
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        let rows: Vec<(i64, String)> = sqlx::query_as(PENDING).bind(batch).fetch_all(&mut *tx).await?;
        if rows.is_empty() {
            return Ok(0);
        }
        let mut tails = Vec::with_capacity(rows.len());
        for (id, cipher) in &rows {
            tails.push((id, pii.tail(&pii.open(cipher)?)?));
        }
        sqlx::query(sql).bind(json_param(&tails)?).execute(&mut *tx).await.map_err(StoreError::from_sqlx)?;
        tx.commit().await?;
        Ok(rows.len() as u64)
    })
}

/// One batch of re-encryption: the persons with `id > after`, up to `batch` of them; those
/// whose ciphertext or lookup hash was made with an older key are decrypted, encrypted and
/// hashed again under the current key, in one transaction. Returns the last id looked at
/// (`None` when there was none: the walk is over) and how many were rewritten. Idempotent:
/// a row under the current key is left alone, so a rerun after an interruption only does what
/// is left.
pub async fn reseal_batch(db: &Db, after: i64, batch: i64) -> Result<Option<(i64, u64)>, StoreError> {
    const PAGE: &str = "SELECT id, COALESCE(id_cipher, ''), COALESCE(id_lookup, ''), id_tail IS NULL FROM persons \
         WHERE id > $1 ORDER BY id LIMIT $2";
    let pii = db.pii();
    pii.ring()?;
    let reseal = reseal_sql(db);
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        let rows: Vec<(i64, String, String, bool)> = sqlx::query_as(PAGE).bind(after).bind(batch).fetch_all(&mut *tx).await?;
        let Some(last) = rows.last().map(|r| r.0) else { return Ok(None) };
        let mut sealed = Vec::new();
        for (id, cipher, lookup, no_tail) in &rows {
            if pii.is_stale(cipher)? || pii.is_stale(lookup)? || (*no_tail && !cipher.is_empty()) {
                let s = pii.seal(&pii.open(cipher)?)?;
                sealed.push((id, s.cipher, s.lookup, s.tail));
            }
        }
        if !sealed.is_empty() {
            let json = json_param(&sealed)?;
            sqlx::query(reseal).bind(json).execute(&mut *tx).await.map_err(StoreError::from_sqlx)?;
        }
        tx.commit().await?;
        Ok(Some((last, sealed.len() as u64)))
    })
}

/// Stored values per key id (`k1` → n), ciphertexts (identity numbers and correction requests'
/// proposed values) and lookup hashes counted apart: what
/// `keys reencrypt` reports, and what tells when an old key may be deleted from the file.
pub async fn values_per_key(db: &Db) -> Result<Vec<(String, i64, i64)>, StoreError> {
    let sql = dialect::values_per_key(db.backend());
    Ok(on_pool!(db, pool => sqlx::query_as(sql).fetch_all(pool).await?))
}

/// Whether the key ring opens the database's identity numbers: the first sealed row must
/// decrypt. `Ok(false)` for a database without sealed rows (nothing to check).
pub async fn keys_open_data(db: &Db) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT id_cipher FROM persons WHERE id_cipher IS NOT NULL ORDER BY id LIMIT 1";
    let sample: Option<String> = on_pool!(db, pool => sqlx::query_scalar(SQL).fetch_optional(pool).await?);
    match sample {
        None => Ok(false),
        Some(c) => db.pii().open(&c).map(|_| true),
    }
}
