//! A consistent copy of a SQLite database while it is in use, and putting one back.
//!
//! `VACUUM INTO` writes the database as one transaction sees it (readers and the writer go on)
//! into a new file, compacted; the file is created owner-only first, so the copy is never
//! readable by others, not even for a moment. A restore checks the copy (`PRAGMA
//! integrity_check`, and that it is a gongjiang database), writes it beside the target and renames
//! it over, so the target is either the old database or the whole copy. PostgreSQL is backed up
//! with `pg_dump` (docs/OPERATIONS.md); the key files live outside the database either way and
//! must be backed up with it.

use std::path::{Path, PathBuf};

use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};

use crate::{Db, StoreError, on_writer};

fn file_error(path: &Path, e: impl std::fmt::Display) -> StoreError {
    StoreError::File(format!("{}: {e}", path.display()))
}

/// Creates `path` empty and owner-only; refuses to overwrite.
fn create_owner_only(path: &Path) -> Result<(), StoreError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(|_| ()).map_err(|e| file_error(path, e))
}

/// Writes a consistent copy of the SQLite database `db` to `to` (a new file).
pub async fn backup(db: &Db, to: &Path) -> Result<u64, StoreError> {
    if !matches!(db, Db::Sqlite { .. }) {
        return Err(StoreError::Invalid(
            "PostgreSQL 请用 pg_dump 备份（见 docs/OPERATIONS.md）/ back PostgreSQL up with pg_dump (docs/OPERATIONS.md)"
                .into(),
        ));
    }
    create_owner_only(to)?;
    let target = to.to_string_lossy().into_owned();
    let done = on_writer!(db, pool => sqlx::query("VACUUM INTO $1").bind(&target).execute(pool).await.map(|_| ()));
    if let Err(e) = done {
        let _ = std::fs::remove_file(to);
        return Err(e.into());
    }
    Ok(std::fs::metadata(to).map_err(|e| file_error(to, e))?.len())
}

/// Puts the copy `from` in place of the SQLite file `target` (no process may have it open).
pub async fn restore(from: &Path, target: &Path) -> Result<(), StoreError> {
    let check = SqliteConnectOptions::new().filename(from).read_only(true);
    let mut conn = SqliteConnection::connect_with(&check).await?;
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&mut conn).await?;
    let is_ours: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_migrations', 'audit_log', 'persons')",
    )
    .fetch_one(&mut conn)
    .await?;
    conn.close().await?;
    if verdict != "ok" {
        return Err(StoreError::Invalid(format!("备份文件已损坏 / the backup is damaged: {verdict}")));
    }
    if is_ours != 3 {
        return Err(StoreError::Invalid("不是工匠数据库的备份 / not a backup of a gongjiang database".into()));
    }
    let partial: PathBuf = PathBuf::from(format!("{}.restoring", target.display()));
    let _ = std::fs::remove_file(&partial);
    create_owner_only(&partial)?;
    std::fs::copy(from, &partial).map_err(|e| file_error(&partial, e))?;
    std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(|e| file_error(&partial, e))?;
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
    }
    std::fs::rename(&partial, target).map_err(|e| file_error(target, e))
}
