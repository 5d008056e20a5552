//! xAPI attachments at rest (`xapi_attachments`, migration 0025): one row per content, found by
//! its SHA-256 (the `sha2` statements name), the content encrypted under the personal-data key
//! like an identity number (an attachment may be a scan or transcript that carries one).

use std::collections::HashMap;

use sqlx::QueryBuilder;

use crate::tx::Tx;
use crate::{Db, KEY_CHUNK, StoreError, on_pool, on_tx, on_writer, push_in_list};

const COLUMN: &[u8] = b"gongjiang:xapi_attachments.content";

/// An attachment's content and media type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Stores an attachment unless its content (by hash) is stored already.
pub async fn put_in(tx: &mut Tx, sha2: &str, content_type: &str, bytes: &[u8], stored: &str) -> Result<(), StoreError> {
    let cipher = tx.pii.seal_bytes(COLUMN, bytes)?;
    let length = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    on_tx!(tx, conn => {
        sqlx::query(
            "INSERT INTO xapi_attachments (sha2, content_type, length, content_cipher, stored) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (sha2) DO NOTHING",
        )
        .bind(sha2).bind(content_type).bind(length).bind(cipher).bind(stored)
        .execute(&mut *conn).await.map_err(StoreError::from_sqlx)?;
        Ok::<(), StoreError>(())
    })
}

/// The stored attachments with these hashes, decrypted, by hash.
pub async fn by_sha2(db: &Db, hashes: &[&str]) -> Result<HashMap<String, Content>, StoreError> {
    let pii = db.pii();
    let mut out = HashMap::new();
    for part in hashes.chunks(KEY_CHUNK) {
        let rows: Vec<(String, String, String)> = on_pool!(db, pool => {
            let mut qb = QueryBuilder::new("SELECT sha2, content_type, content_cipher FROM xapi_attachments WHERE sha2 IN ");
            push_in_list(&mut qb, part.iter().copied());
            qb.build_query_as().fetch_all(pool).await?
        });
        for (sha2, content_type, cipher) in rows {
            out.insert(sha2, Content { content_type, bytes: pii.open_bytes(COLUMN, &cipher)? });
        }
    }
    Ok(out)
}

/// Re-encrypts, under the current key, every attachment stored under an older one (after a key
/// rotation; `keys reencrypt`). Returns how many were rewritten.
pub async fn reseal(db: &Db) -> Result<u64, StoreError> {
    let pii = db.pii();
    pii.ring()?;
    let rows: Vec<(String, String)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT sha2, content_cipher FROM xapi_attachments ORDER BY sha2").fetch_all(pool).await?);
    let mut n = 0;
    for (sha2, cipher) in rows {
        if !pii.is_stale(&cipher)? {
            continue;
        }
        let sealed = pii.seal_bytes(COLUMN, &pii.open_bytes(COLUMN, &cipher)?)?;
        on_writer!(db, pool => sqlx::query("UPDATE xapi_attachments SET content_cipher = $1 WHERE sha2 = $2")
            .bind(sealed).bind(sha2).execute(pool).await.map(|_| ())?);
        n += 1;
    }
    Ok(n)
}
