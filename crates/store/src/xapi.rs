//! The xAPI statement store (`xapi_statements`, migration 0017): statements as received and as
//! returned, the keys queries filter on, voiding, and what each statement credited to an
//! enrolment (so voiding takes it back).

use std::collections::HashMap;

use sqlx::QueryBuilder;

use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, on_pool, on_tx, push_in_list};

/// A stored statement, as idempotence and voiding need it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Stored {
    pub id: i64,
    pub statement_id: String,
    pub provider_id: Option<i64>,
    pub verb_id: String,
    pub voided: bool,
    pub received: String,
    pub body: String,
    pub enrolment_id: Option<i64>,
    pub credited_seconds: i64,
    pub completes: bool,
}

const SELECT: &str = "SELECT id, statement_id, provider_id, verb_id, voided, received, body, enrolment_id, \
     credited_seconds, completes FROM xapi_statements ";

/// The stored statements with these ids, by id.
pub async fn by_ids_in(tx: &mut Tx, ids: &[&str]) -> Result<HashMap<String, Stored>, StoreError> {
    let mut out = HashMap::new();
    on_tx!(tx, conn => {
        for part in ids.chunks(KEY_CHUNK) {
            let mut qb = QueryBuilder::new(SELECT);
            qb.push("WHERE statement_id IN ");
            push_in_list(&mut qb, part.iter().copied());
            for s in qb.build_query_as::<Stored>().fetch_all(&mut *conn).await? {
                out.insert(s.statement_id.clone(), s);
            }
        }
        Ok::<(), StoreError>(())
    })?;
    Ok(out)
}

/// The statement with this id.
pub async fn by_id(db: &Db, statement_id: &str) -> Result<Option<Stored>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(SELECT);
        qb.push("WHERE statement_id = ").push_bind(statement_id);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// A statement to store, with its keys and what it credited.
#[derive(Debug, Clone)]
pub struct NewStatement {
    pub statement_id: String,
    pub provider_id: Option<i64>,
    pub actor_key: String,
    pub verb_id: String,
    pub activity_id: Option<String>,
    pub registration: Option<String>,
    pub voids: Option<String>,
    /// The statement its object refers to (a StatementRef).
    pub object_ref: Option<String>,
    pub stored: String,
    pub received: String,
    pub body: String,
    pub enrolment_id: Option<i64>,
    pub credited_seconds: i64,
    pub completes: bool,
    /// Why it credited nothing (zh, en), when it names a learner or programme that does not match.
    pub unmatched: Option<(String, String)>,
}

pub async fn insert_in(tx: &mut Tx, s: &NewStatement) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO xapi_statements (statement_id, provider_id, actor_key, verb_id, activity_id, registration, \
             voids, voided, stored, received, body, enrolment_id, credited_seconds, completes, unmatched_zh, unmatched_en, \
             object_ref) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(&s.statement_id).bind(s.provider_id).bind(&s.actor_key).bind(&s.verb_id).bind(&s.activity_id)
        .bind(&s.registration).bind(&s.voids).bind(false).bind(&s.stored).bind(&s.received).bind(&s.body)
        .bind(s.enrolment_id).bind(s.credited_seconds).bind(s.completes)
        .bind(s.unmatched.as_ref().map(|u| u.0.as_str())).bind(s.unmatched.as_ref().map(|u| u.1.as_str()))
        .bind(&s.object_ref)
        .execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        Ok::<(), StoreError>(())
    })
}

/// Marks a statement voided.
pub async fn void_in(tx: &mut Tx, id: i64) -> Result<(), StoreError> {
    on_tx!(tx, conn => {
        sqlx::query("UPDATE xapi_statements SET voided = $1 WHERE id = $2").bind(true).bind(id).execute(&mut *conn).await?;
        Ok::<(), StoreError>(())
    })
}

/// Adds `seconds` (negative to take back) to an enrolment's learning time, and completes it on
/// `completed_on` when given and not completed already.
pub async fn credit_enrolment_in(
    tx: &mut Tx,
    enrolment_id: i64,
    seconds: i64,
    completed_on: Option<time::Date>,
    by: &str,
) -> Result<(), StoreError> {
    let now = time::OffsetDateTime::now_utc();
    on_tx!(tx, conn => {
        sqlx::query(
            "UPDATE enrolments SET seconds = CASE WHEN seconds + $1 < 0 THEN 0 ELSE seconds + $1 END, \
             recorded_by = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(seconds).bind(by).bind(now).bind(enrolment_id).execute(&mut *conn).await?;
        if let Some(on) = completed_on {
            sqlx::query(
                "UPDATE enrolments SET status = 'completed', completed_on = $1 WHERE id = $2 AND status = 'enrolled'",
            )
            .bind(on).bind(enrolment_id).execute(&mut *conn).await?;
        }
        Ok::<(), StoreError>(())
    })
}

/// The enrolment of a programme whose learner account is `learner_id`: (id, status).
pub async fn enrolment_of_learner_in(
    tx: &mut Tx,
    programme_id: i64,
    learner_id: &str,
) -> Result<Option<(i64, String)>, StoreError> {
    on_tx!(tx, conn => {
        Ok(sqlx::query_as("SELECT id, status FROM enrolments WHERE programme_id = $1 AND learner_id = $2")
            .bind(programme_id).bind(learner_id).fetch_optional(&mut *conn).await?)
    })
}

/// What a statement query filters on (xAPI's GET parameters); `after` is the paging cursor.
#[derive(Debug, Clone, Default)]
pub struct Query {
    /// `Some(org)`: only statements stored by that organisation's tokens.
    pub provider: Option<Option<i64>>,
    pub actor_key: Option<String>,
    pub verb_id: Option<String>,
    pub activity_id: Option<String>,
    pub registration: Option<String>,
    /// Stored strictly after / at or before (RFC 3339 UTC with milliseconds, as stored).
    pub since: Option<String>,
    pub until: Option<String>,
    pub ascending: bool,
    /// Rows beyond this id (ascending) or before it (descending).
    pub cursor: Option<i64>,
    pub limit: i64,
}

/// Statements (not voided) matching `q`, newest first unless ascending: (row id, body); at most
/// `q.limit + 1` rows, so the caller knows whether there are more. With a filter (agent, verb,
/// activity, registration), the statements whose object refers to a statement that matches it
/// (a voided one included) match too (Communication 2.1.4); `since`, `until`, the cursor and
/// the limit apply to the statements returned.
pub async fn query(db: &Db, q: &Query) -> Result<Vec<(i64, String)>, StoreError> {
    fn provider<'t, DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, q: &Query)
    where
        i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    {
        match q.provider {
            Some(Some(p)) => {
                qb.push(" AND provider_id = ").push_bind(p);
            }
            Some(None) => {
                qb.push(" AND provider_id IS NULL");
            }
            None => {}
        }
    }
    fn filters<'t, DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, q: &Query, prefix: &str)
    where
        String: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    {
        let pairs = [
            ("actor_key", &q.actor_key),
            ("verb_id", &q.verb_id),
            ("activity_id", &q.activity_id),
            ("registration", &q.registration),
        ];
        for (col, v) in pairs {
            if let Some(v) = v {
                qb.push(format!(" AND {prefix}{col} = ")).push_bind(v.clone());
            }
        }
    }
    let filtered = q.actor_key.is_some() || q.verb_id.is_some() || q.activity_id.is_some() || q.registration.is_some();
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new("SELECT id, body FROM xapi_statements WHERE voided = ");
        qb.push_bind(false);
        provider(&mut qb, q);
        if filtered {
            qb.push(" AND id IN (SELECT id FROM xapi_statements WHERE 1 = 1");
            filters(&mut qb, q, "");
            qb.push(" UNION SELECT r.id FROM xapi_statements r JOIN xapi_statements t ON r.object_ref = t.statement_id \
                      WHERE 1 = 1");
            match q.provider {
                Some(Some(p)) => { qb.push(" AND t.provider_id = ").push_bind(p); }
                Some(None) => { qb.push(" AND t.provider_id IS NULL"); }
                None => {}
            }
            filters(&mut qb, q, "t.");
            qb.push(")");
        }
        if let Some(s) = &q.since { qb.push(" AND stored > ").push_bind(s.clone()); }
        if let Some(u) = &q.until { qb.push(" AND stored <= ").push_bind(u.clone()); }
        if let Some(c) = q.cursor {
            qb.push(if q.ascending { " AND id > " } else { " AND id < " }).push_bind(c);
        }
        qb.push(if q.ascending { " ORDER BY id ASC" } else { " ORDER BY id DESC" });
        qb.push(" LIMIT ").push_bind(q.limit + 1);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

/// The bodies of the latest `limit` statements (not voided) whose object is the activity `id`,
/// newest first.
pub async fn about_activity(db: &Db, id: &str, limit: i64) -> Result<Vec<String>, StoreError> {
    Ok(on_pool!(db, pool => {
        sqlx::query_scalar(
            "SELECT body FROM xapi_statements WHERE activity_id = $1 AND voided = $2 ORDER BY id DESC LIMIT $3",
        )
        .bind(id).bind(false).bind(limit).fetch_all(pool).await?
    }))
}

/// A statement that would have credited learning but matched no enrolment.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Unmatched {
    pub statement_id: String,
    pub stored: String,
    pub actor_key: String,
    pub verb_id: String,
    pub activity_id: Option<String>,
    pub unmatched_zh: String,
    pub unmatched_en: String,
}

/// The unmatched statements (not voided) stored by `provider`'s tokens (`None`: every
/// provider's), newest first, at most `limit`.
pub async fn unmatched(db: &Db, provider: Option<i64>, limit: i64) -> Result<Vec<Unmatched>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new(
            "SELECT statement_id, stored, actor_key, verb_id, activity_id, unmatched_zh, unmatched_en \
             FROM xapi_statements WHERE unmatched_zh IS NOT NULL AND unmatched_en IS NOT NULL AND voided = ",
        );
        qb.push_bind(false);
        if let Some(p) = provider {
            qb.push(" AND provider_id = ").push_bind(p);
        }
        qb.push(" ORDER BY id DESC LIMIT ").push_bind(limit);
        qb.build_query_as().fetch_all(pool).await?
    }))
}
