//! Opening a database: the pools for the backend the URL names, then the schema brought up to
//! date (migrations), indexes a crashed bulk load left dropped rebuilt, and the KPI state
//! brought to the code's format. Kept apart from `db`, the handle every repository uses, so
//! that the handle depends on nothing else in the store.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::db::{Backend, Db};
use crate::error::StoreError;
use crate::pii::Pii;

/// The SQLite file holds sealed identity numbers and plain names: only its owner may read it.
/// Created owner-only before SQLite opens it (its `-wal` and `-shm` files take the same mode);
/// an existing file is narrowed.
fn owner_only(path: &std::path::Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let io = |e: std::io::Error| StoreError::File(format!("{}: {e}", path.display()));
        if !path.exists() {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(io)?;
            }
            std::fs::OpenOptions::new().write(true).create(true).truncate(false).mode(0o600).open(path).map_err(io)?;
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            if let Ok(meta) = std::fs::metadata(&file)
                && meta.permissions().mode() & 0o077 != 0
            {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).map_err(io)?;
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Db {
    /// Opens (and for SQLite creates) the database and brings its schema up to date.
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        let db = match Backend::of_url(url)? {
            Backend::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|_| StoreError::BadUrl(url.to_string()))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(30))
                    .pragma("temp_store", "memory")
                    .pragma("mmap_size", "2147483648");
                if !(url.contains(":memory:") || url.contains("mode=memory")) {
                    owner_only(opts.get_filename())?;
                }
                // Page caches in KiB (negative = KiB): the writer's is large, readers' moderate.
                // secure_delete: deleted content (rows, dropped tables, rewritten cells) is
                // overwritten with zeros, so personal data does not linger in free pages.
                let write_opts = opts
                    .clone()
                    .pragma("cache_size", "-524288")
                    .pragma("wal_autocheckpoint", "10000")
                    .pragma("secure_delete", "ON");
                let read_opts = opts.pragma("cache_size", "-65536");
                let write = SqlitePoolOptions::new().max_connections(1).connect_with(write_opts).await?;
                // An in-memory database exists once per connection: read through the writer.
                let read = if url.contains(":memory:") || url.contains("mode=memory") {
                    write.clone()
                } else {
                    SqlitePoolOptions::new().max_connections(8).connect_with(read_opts).await?
                };
                Db::Sqlite { read, write, pii: Pii::default() }
            }
            Backend::Postgres => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(30))
                    .connect(url)
                    .await?;
                Db::Postgres(pool, Pii::default())
            }
        };
        crate::migrate::run(&db).await?;
        // Rebuilds indexes a bulk load dropped if that process died before it could.
        crate::bulk::restore_indexes(&db).await?;
        // Brings the KPI state up to the code's format after a migration that changed it.
        crate::kpi_counts::rebuild_if_outdated(&db).await?;
        Ok(db)
    }
}
