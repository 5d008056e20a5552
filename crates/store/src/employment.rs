//! Employment history: spells of work at an employer, keyed by person, employer and start.

use std::collections::HashMap;

use gongjiang_domain::access::Scope;
use gongjiang_domain::records::NewEmployment;
use serde::Serialize;
use sqlx::QueryBuilder;
use time::Date;

use crate::tx::Tx;
use crate::{Db, INSERT_CHUNK, KEY_CHUNK, StoreError, WriteCounts, on_pool, on_tx, push_in_list};

pub struct EmploymentWrite<'a> {
    pub spell: &'a NewEmployment,
    pub person_id: i64,
    pub employer_id: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
struct Existing {
    id: i64,
    person_id: i64,
    employer_id: i64,
    start_on: Date,
    end_on: Option<Date>,
    occupation_code: Option<String>,
}

type Key = (i64, i64, Date);

pub async fn upsert_batch(db: &Db, rows: &[EmploymentWrite<'_>]) -> Result<WriteCounts, StoreError> {
    let mut tx = crate::tx::begin(db).await?;
    let r = upsert_batch_in(&mut tx, rows).await?;
    tx.commit().await?;
    Ok(r)
}

pub async fn upsert_batch_in(tx: &mut Tx, rows: &[EmploymentWrite<'_>]) -> Result<WriteCounts, StoreError> {
    if rows.is_empty() {
        return Ok(WriteCounts::default());
    }
    on_tx!(tx, conn => {
        let mut ids: Vec<i64> = rows.iter().map(|r| r.person_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut existing: Vec<Existing> = Vec::new();
        for part in ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(
                "SELECT id, person_id, employer_id, start_on, end_on, occupation_code FROM employment WHERE person_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            existing.extend(qb.build_query_as::<Existing>().fetch_all(&mut *conn).await?);
        }
        let mut stored: HashMap<Key, Existing> =
            existing.into_iter().map(|e| ((e.person_id, e.employer_id, e.start_on), e)).collect();
        let mut counts = WriteCounts::default();
        let mut inserts: Vec<Existing> = Vec::new();
        let mut pending: HashMap<Key, usize> = HashMap::new();
        let mut updates: std::collections::HashSet<i64> = std::collections::HashSet::new();
        for w in rows {
            let key = (w.person_id, w.employer_id, w.spell.start);
            let apply = |old: &Existing| Existing {
                end_on: w.spell.end.or(old.end_on),
                occupation_code: w.spell.occupation_code.clone().or(old.occupation_code.clone()),
                ..old.clone()
            };
            if let Some(old) = stored.get_mut(&key) {
                let new = apply(old);
                if new == *old { counts.unchanged += 1 } else {
                    counts.updated += 1;
                    *old = new;
                    updates.insert(old.id);
                }
            } else if let Some(&i) = pending.get(&key) {
                let new = apply(&inserts[i]);
                if new == inserts[i] { counts.unchanged += 1 } else { counts.updated += 1; inserts[i] = new }
            } else {
                counts.inserted += 1;
                pending.insert(key, inserts.len());
                inserts.push(Existing {
                    id: 0, person_id: w.person_id, employer_id: w.employer_id, start_on: w.spell.start,
                    end_on: w.spell.end, occupation_code: w.spell.occupation_code.clone(),
                });
            }
        }
        for chunk in inserts.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new("INSERT INTO employment (person_id, employer_id, start_on, end_on, occupation_code) ");
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(e.person_id).push_bind(e.employer_id).push_bind(e.start_on).push_bind(e.end_on)
                    .push_bind(e.occupation_code.clone());
            });
            qb.build().execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        }
        for e in stored.values().filter(|e| updates.contains(&e.id)) {
            sqlx::query("UPDATE employment SET end_on = $1, occupation_code = $2 WHERE id = $3")
                .bind(e.end_on).bind(&e.occupation_code).bind(e.id).execute(&mut *conn).await?;
        }
        Ok(counts)
    })
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Spell {
    pub employer_uscc: String,
    pub employer_name: String,
    pub start_on: Date,
    pub end_on: Option<Date>,
    pub occupation_code: Option<String>,
}

/// A person's employment spells, earliest first; none unless `scope` (a persons scope) reaches
/// the person: the spells are part of the person's record.
pub async fn for_person(db: &Db, scope: &Scope, person_id: i64) -> Result<Vec<Spell>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT eo.uscc AS employer_uscc, eo.name AS employer_name, e.start_on, e.end_on, e.occupation_code \
             FROM employment e JOIN organisations eo ON eo.id = e.employer_id WHERE e.person_id = ",
        );
        qb.push_bind(person_id);
        if !scope.is_all() {
            qb.push(" AND EXISTS (SELECT 1 FROM persons p LEFT JOIN organisations o ON o.id = p.employer_id \
                     WHERE p.id = e.person_id");
            crate::scope::push(&mut qb, scope, &crate::scope::PERSONS);
            qb.push(")");
        }
        qb.push(" ORDER BY e.start_on");
        qb.build_query_as().fetch_all(pool).await?
    }))
}
