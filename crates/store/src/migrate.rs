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
