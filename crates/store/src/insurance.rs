//! Social-insurance contribution spells, keyed by person, scheme and start. Re-recording a
//! spell may close it (an end where there was none) or correct its end; an empty cell never
//! erases what is stored.

use std::collections::{HashMap, HashSet};

use gongjiang_domain::records::NewInsuranceSpell;
use sqlx::QueryBuilder;
use time::Date;

use crate::tx::Tx;
use crate::{Db, INSERT_CHUNK, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, push_in_list};

pub struct SpellWrite<'a> {
    pub spell: &'a NewInsuranceSpell,
    pub person_id: i64,
}

/// A stored spell.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct StoredSpell {
    #[serde(skip)]
    pub id: i64,
    #[serde(skip)]
    pub person_id: i64,
    pub scheme: String,
    #[serde(with = "gongjiang_domain::dates::serde_iso")]
    pub starts_on: Date,
    #[serde(with = "gongjiang_domain::dates::serde_iso::option")]
    pub ends_on: Option<Date>,
    pub district_code: Option<String>,
}

type Key = (i64, String, Date);

const OF_PERSONS: &str =
    "SELECT id, person_id, scheme, starts_on, ends_on, district_code FROM insurance_spells WHERE person_id IN ";

/// Upserts spells in `tx` by (person, scheme, start); `recorded_by` names the file.
pub async fn upsert_batch_in(
    tx: &mut Tx,
    rows: &[SpellWrite<'_>],
    recorded_by: &str,
) -> Result<WriteCounts, StoreError> {
    if rows.is_empty() {
        return Ok(WriteCounts::default());
    }
    let mut ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let existing = of_persons_in(tx, &ids).await?;
    let mut stored: HashMap<Key, StoredSpell> =
        existing.into_iter().map(|s| ((s.person_id, s.scheme.clone(), s.starts_on), s)).collect();
    let mut counts = WriteCounts::default();
    let mut inserts: Vec<StoredSpell> = Vec::new();
    let mut pending: HashMap<Key, usize> = HashMap::new();
    let mut updates: HashSet<i64> = HashSet::new();
    for w in rows {
        let key = (w.person_id, w.spell.scheme.code().to_owned(), w.spell.starts_on);
        let apply = |old: &StoredSpell| StoredSpell {
            ends_on: w.spell.ends_on.or(old.ends_on),
            district_code: w.spell.district_code.clone().or(old.district_code.clone()),
            ..old.clone()
        };
        if let Some(old) = stored.get_mut(&key) {
            let new = apply(old);
            if new == *old {
                counts.unchanged += 1;
            } else {
                counts.updated += 1;
                *old = new;
                updates.insert(old.id);
            }
        } else if let Some(&i) = pending.get(&key) {
            let new = apply(&inserts[i]);
            if new == inserts[i] {
                counts.unchanged += 1;
            } else {
                counts.updated += 1;
                inserts[i] = new;
            }
        } else {
            counts.inserted += 1;
            pending.insert(key.clone(), inserts.len());
            inserts.push(StoredSpell {
                id: 0,
                person_id: w.person_id,
                scheme: key.1,
                starts_on: w.spell.starts_on,
                ends_on: w.spell.ends_on,
                district_code: w.spell.district_code.clone(),
            });
        }
    }
    on_tx!(tx, conn => {
        for chunk in inserts.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new(
                "INSERT INTO insurance_spells (person_id, scheme, starts_on, ends_on, district_code, recorded_by) ",
            );
            qb.push_values(chunk, |mut b, s| {
                b.push_bind(s.person_id).push_bind(s.scheme.clone()).push_bind(s.starts_on).push_bind(s.ends_on)
                    .push_bind(s.district_code.clone()).push_bind(recorded_by);
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        for s in stored.values().filter(|s| updates.contains(&s.id)) {
            sqlx::query("UPDATE insurance_spells SET ends_on = $1, district_code = $2, recorded_by = $3 WHERE id = $4")
                .bind(s.ends_on).bind(&s.district_code).bind(recorded_by).bind(s.id).execute(&mut *conn).await?;
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(counts)
}

/// The spells of these persons, in `tx`.
pub async fn of_persons_in(tx: &mut Tx, person_ids: &[i64]) -> Result<Vec<StoredSpell>, StoreError> {
    let mut out = Vec::new();
    on_tx!(tx, conn => {
        for part in person_ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(OF_PERSONS);
            push_in_list(&mut qb, part.iter().copied());
            out.extend(qb.build_query_as::<StoredSpell>().fetch_all(&mut *conn).await?);
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// The spells of `scheme` of these persons.
pub async fn of_persons(db: &Db, scheme: &str, person_ids: &[i64]) -> Result<Vec<StoredSpell>, StoreError> {
    let mut out = Vec::new();
    for part in person_ids.chunks(KEY_CHUNK) {
        let rows: Vec<StoredSpell> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new(OF_PERSONS);
            push_in_list(&mut qb, part.iter().copied());
            qb.push(" AND scheme = ").push_bind(scheme);
            qb.build_query_as().fetch_all(pool).await?
        });
        out.extend(rows);
    }
    Ok(out)
}

/// A person's spells, earliest first.
pub async fn of_person(db: &Db, person_id: i64) -> Result<Vec<StoredSpell>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(OF_PERSONS);
        push_in_list(&mut qb, [person_id]);
        qb.push(" ORDER BY scheme, starts_on");
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// How many spells are stored.
pub async fn count(db: &Db) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM insurance_spells").fetch_one(pool).await?))
}
