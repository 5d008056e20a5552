//! Embedded migrations, one folder per backend with the same numbers. Each migration runs in a
//! transaction with its bookkeeping row, so a crash leaves the schema at a whole version.

use crate::db::Db;
use crate::error::StoreError;
use crate::on_writer;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
        }
    };
}

const MIGRATIONS: &[Migration] = &[
    migration!(1, "0001_registry"),
    migration!(2, "0002_evaluation"),
    migration!(3, "0003_kpi_counts"),
    migration!(4, "0004_demand"),
    migration!(5, "0005_accounts"),
    migration!(6, "0006_organisation_chains"),
    migration!(7, "0007_certificate_credentials"),
    migration!(8, "0008_kpi_chains_and_history"),
];

const CREATE_TABLE: &str =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)";
const APPLIED: &str = "SELECT version FROM schema_migrations ORDER BY version";
const RECORD: &str = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

pub async fn run(db: &Db) -> Result<(), StoreError> {
    let applied: Vec<i64> = on_writer!(db, pool => {
        sqlx::query(CREATE_TABLE).execute(pool).await?;
        sqlx::query_scalar(APPLIED).fetch_all(pool).await?
    });
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        let fail = |source| StoreError::Migration { version: m.version, source };
        match db {
            Db::Sqlite { write: pool, .. } => {
                let mut tx = pool.begin().await?;
                sqlx::raw_sql(m.sqlite).execute(&mut *tx).await.map_err(fail)?;
                sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await?;
                tx.commit().await?;
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::raw_sql(m.postgres).execute(&mut *tx).await.map_err(fail)?;
                sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await?;
                tx.commit().await?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    /// A migration file nobody registered would silently never run; two with one number would
    /// run in an order that depends on the list.
    #[test]
    fn every_migration_file_is_registered_once_in_order() {
        let registered: Vec<String> = MIGRATIONS.iter().map(|m| format!("{}.sql", m.name)).collect();
        for backend in ["sqlite", "postgres"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend);
            let mut files: Vec<String> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect();
            files.sort();
            assert_eq!(files, registered, "{backend}: files in {} vs MIGRATIONS", dir.display());
        }
        let versions: Vec<i64> = MIGRATIONS.iter().map(|m| m.version).collect();
        assert!(versions.windows(2).all(|w| w[0] < w[1]), "versions must increase: {versions:?}");
        for m in MIGRATIONS {
            assert!(m.name.starts_with(&format!("{:04}_", m.version)), "{} is not version {}", m.name, m.version);
        }
    }
}
