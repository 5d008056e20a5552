//! The LRS's documents (`xapi_documents`): State, Activity Profile and Agent Profile bodies by
//! their key, with content type, ETag and time changed.

use sqlx::QueryBuilder;

use crate::{Db, StoreError, on_pool, on_writer};

/// Where a document lives; empty strings where a resource has no such part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocKey {
    /// The token's organisation, 0 for a city-wide token.
    pub provider_key: i64,
    /// `state`, `activity_profile` or `agent_profile`.
    pub kind: &'static str,
    pub activity_id: String,
    pub agent_key: String,
    pub registration: String,
    pub doc_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Doc {
    pub content_type: String,
    pub body: Vec<u8>,
    pub etag: String,
    pub updated: String,
}

fn push_key<DB: sqlx::Database>(qb: &mut QueryBuilder<DB>, k: &DocKey, with_doc: bool)
where
    for<'a> i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    for<'a> String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    qb.push(" WHERE provider_key = ").push_bind(k.provider_key);
    qb.push(" AND kind = ").push_bind(k.kind.to_owned());
    qb.push(" AND activity_id = ").push_bind(k.activity_id.clone());
    qb.push(" AND agent_key = ").push_bind(k.agent_key.clone());
    qb.push(" AND registration = ").push_bind(k.registration.clone());
    if with_doc {
        qb.push(" AND doc_id = ").push_bind(k.doc_id.clone());
    }
}

pub async fn get(db: &Db, k: &DocKey) -> Result<Option<Doc>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new("SELECT content_type, body, etag, updated FROM xapi_documents");
        push_key(&mut qb, k, true);
        qb.build_query_as().fetch_optional(pool).await?
    }))
}

/// The ids of the documents under `k` (its `doc_id` ignored), changed after `since` if given.
pub async fn ids(db: &Db, k: &DocKey, since: Option<&str>) -> Result<Vec<String>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new("SELECT doc_id FROM xapi_documents");
        push_key(&mut qb, k, false);
        if let Some(s) = since {
            qb.push(" AND updated > ").push_bind(s.to_owned());
        }
        qb.push(" ORDER BY doc_id");
        qb.build_query_scalar().fetch_all(pool).await?
    }))
}

/// Stores (inserts or replaces) the document at `k`.
pub async fn put(db: &Db, k: &DocKey, d: &Doc) -> Result<(), StoreError> {
    on_writer!(db, pool => {
        let mut qb = QueryBuilder::new("DELETE FROM xapi_documents");
        push_key(&mut qb, k, true);
        let mut tx = pool.begin().await?;
        qb.build().execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO xapi_documents (provider_key, kind, activity_id, agent_key, registration, doc_id, content_type, \
             body, etag, updated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(k.provider_key).bind(k.kind).bind(&k.activity_id).bind(&k.agent_key).bind(&k.registration)
        .bind(&k.doc_id).bind(&d.content_type).bind(&d.body).bind(&d.etag).bind(&d.updated)
        .execute(&mut *tx).await.map_err(StoreError::from_sqlx)?;
        tx.commit().await?;
    });
    Ok(())
}

/// Deletes the document at `k`, or with `all` every document under it.
pub async fn delete(db: &Db, k: &DocKey, all: bool) -> Result<(), StoreError> {
    on_writer!(db, pool => {
        let mut qb = QueryBuilder::new("DELETE FROM xapi_documents");
        push_key(&mut qb, k, !all);
        qb.build().execute(pool).await?;
    });
    Ok(())
}
