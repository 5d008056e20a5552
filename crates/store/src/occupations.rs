//! The occupational classification, one edition at a time (codes changed between editions).

use serde::Serialize;
use sqlx::QueryBuilder;

use crate::{Db, INSERT_CHUNK, StoreError, on_pool, on_writer};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OccupationRow {
    pub edition: String,
    pub code: String,
    pub name: String,
    pub depth: i32,
    pub parent_code: Option<String>,
    pub gbm: Option<String>,
}

/// Replaces one edition's entries as a whole, in one transaction.
pub async fn replace_edition(db: &Db, edition: &str, rows: &[OccupationRow]) -> Result<u64, StoreError> {
    on_writer!(db, pool => {
        let mut tx = pool.begin().await?;
        sqlx::query("DELETE FROM occupations WHERE edition = $1").bind(edition).execute(&mut *tx).await?;
        for chunk in rows.chunks(INSERT_CHUNK) {
            let mut qb = QueryBuilder::new("INSERT INTO occupations (edition, code, name, depth, parent_code, gbm) ");
            qb.push_values(chunk, |mut b, r| {
                b.push_bind(edition).push_bind(r.code.clone()).push_bind(r.name.clone()).push_bind(r.depth)
                    .push_bind(r.parent_code.clone()).push_bind(r.gbm.clone());
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(rows.len() as u64)
    })
}

pub async fn count(db: &Db, edition: &str) -> Result<i64, StoreError> {
    Ok(on_pool!(db, pool => sqlx::query_scalar("SELECT COUNT(*) FROM occupations WHERE edition = $1")
        .bind(edition).fetch_one(pool).await?))
}

/// Entries of an edition, optionally only the children of `parent` or names containing `q`.
pub async fn list(
    db: &Db,
    edition: &str,
    parent: Option<&str>,
    q: Option<&str>,
    limit: i64,
    offset: i64,
) -> Result<Vec<OccupationRow>, StoreError> {
    Ok(on_pool!(db, pool => {
        let mut qb = QueryBuilder::new("SELECT edition, code, name, depth, parent_code, gbm FROM occupations WHERE edition = ");
        qb.push_bind(edition.to_string());
        if let Some(p) = parent { qb.push(" AND parent_code = ").push_bind(p.to_string()); }
        if let Some(q) = q { qb.push(" AND name LIKE ").push_bind(format!("%{q}%")); }
        qb.push(" ORDER BY code LIMIT ").push_bind(limit).push(" OFFSET ").push_bind(offset);
        qb.build_query_as().fetch_all(pool).await?
    }))
}

pub async fn get(db: &Db, edition: &str, code: &str) -> Result<Option<OccupationRow>, StoreError> {
    const SQL: &str =
        "SELECT edition, code, name, depth, parent_code, gbm FROM occupations WHERE edition = $1 AND code = $2";
    Ok(on_pool!(db, pool => sqlx::query_as(SQL).bind(edition).bind(code).fetch_optional(pool).await?))
}
