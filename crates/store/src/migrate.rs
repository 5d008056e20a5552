//! Embedded migrations, one folder per backend with the same numbers. Each migration runs in a
//! transaction with its bookkeeping row, so a crash leaves the schema at a whole version.

use crate::db::Db;
use crate::error::StoreError;
use crate::on_writer;
use sqlx::Connection;

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
    /// SQLite only, after the file: `(table, column)` to drop where `ALTER TABLE … DROP COLUMN`
    /// cannot (a UNIQUE column) — the table is rebuilt without it, foreign keys off.
    sqlite_drop: &'static [(&'static str, &'static str)],
}

macro_rules! migration {
    ($version:literal, $name:literal) => {
        migration!($version, $name, &[])
    };
    ($version:literal, $name:literal, $drop:expr) => {
        Migration {
            version: $version,
            name: $name,
            sqlite: include_str!(concat!("../migrations/sqlite/", $name, ".sql")),
            postgres: include_str!(concat!("../migrations/postgres/", $name, ".sql")),
            sqlite_drop: $drop,
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
    migration!(10, "0010_personal_data", &[("persons", "id_number")]),
    migration!(11, "0011_occupation_standards"),
    migration!(12, "0012_competition_results"),
    migration!(13, "0013_training"),
    migration!(14, "0014_insurance_and_benefits"),
    migration!(15, "0015_credentials_without_identity_hash"),
    migration!(16, "0016_import_runs_owner"),
    migration!(17, "0017_xapi_statements"),
    migration!(20, "0020_self_service_accounts"),
    migration!(21, "0021_education_and_titles"),
    migration!(22, "0022_competition_judging"),
    migration!(23, "0023_official_skill_counts"),
    migration!(24, "0024_competition_certificates"),
    migration!(25, "0025_xapi_attachments"),
    migration!(26, "0026_platforms"),
    migration!(27, "0027_id_tail"),
    migration!(28, "0028_appointment_terms_end"),
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
                let mut conn = pool.acquire().await?;
                // Takes effect outside a transaction only; restored whatever happens below.
                if !m.sqlite_drop.is_empty() {
                    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
                }
                let result = async {
                    let mut tx = conn.begin().await?;
                    sqlx::raw_sql(m.sqlite).execute(&mut *tx).await.map_err(fail)?;
                    for (table, column) in m.sqlite_drop {
                        sqlite_drop_column(&mut tx, table, column).await.map_err(fail)?;
                    }
                    sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok::<(), StoreError>(())
                }
                .await;
                if !m.sqlite_drop.is_empty() {
                    sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await?;
                }
                result?;
            }
            Db::Postgres(pool, _) => {
                let mut tx = pool.begin().await?;
                sqlx::raw_sql(m.postgres).execute(&mut *tx).await.map_err(fail)?;
                sqlx::query(RECORD).bind(m.version).bind(m.name).execute(&mut *tx).await?;
                tx.commit().await?;
            }
        }
    }
    Ok(())
}

/// Drops `column` from `table` by rebuilding the table from its own stored definition minus
/// that column (SQLite's documented procedure): every other column, constraint, index and
/// trigger stays, whatever earlier migrations added. The caller has turned foreign keys off;
/// references into the table must still hold afterwards (`foreign_key_check`).
async fn sqlite_drop_column(conn: &mut sqlx::SqliteConnection, table: &str, column: &str) -> Result<(), sqlx::Error> {
    let bad = |why: String| sqlx::Error::Protocol(format!("rebuilding {table} without {column}: {why}"));
    let create: String = sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = $1")
        .bind(table)
        .fetch_one(&mut *conn)
        .await?;
    let open = create.find('(').ok_or_else(|| bad("no column list".into()))?;
    let close = create.rfind(')').ok_or_else(|| bad("no column list".into()))?;
    let parts = split_top_level(&create[open + 1..close]);
    let kept: Vec<&str> = parts.iter().map(|p| p.trim()).filter(|p| first_word(p) != column).collect();
    if kept.len() + 1 != parts.len() || kept.iter().any(|p| p.contains(column)) {
        return Err(bad("the column must be defined once, and no table constraint may name it".into()));
    }
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info($1) ORDER BY cid")
        .bind(table)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .filter(|c: &String| c != column)
        .collect();
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = $1 AND sql IS NOT NULL",
    )
    .bind(table)
    .fetch_all(&mut *conn)
    .await?;
    if let Some(s) = others.iter().find(|s| s.contains(column)) {
        return Err(bad(format!("an index or trigger uses the column: {s}")));
    }
    let quoted = |n: &str| format!("\"{}\"", n.replace('"', "\"\""));
    let new = format!("{table}_rebuilt");
    let cols = columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ");
    let statements = [
        format!("CREATE TABLE {} (\n    {}\n)", quoted(&new), kept.join(",\n    ")),
        format!("INSERT INTO {} ({cols}) SELECT {cols} FROM {}", quoted(&new), quoted(table)),
        format!("DROP TABLE {}", quoted(table)),
        format!("ALTER TABLE {} RENAME TO {}", quoted(&new), quoted(table)),
    ];
    for sql in statements.iter().chain(&others) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone())).execute(&mut *conn).await?;
    }
    let broken: Vec<(String,)> =
        sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut *conn).await?;
    if let Some((t,)) = broken.first() {
        return Err(bad(format!("rows of {t} would lose the row they refer to")));
    }
    Ok(())
}

/// The comma-separated items of a column list, commas inside parentheses or quotes kept.
fn split_top_level(list: &str) -> Vec<String> {
    let (mut out, mut cur, mut depth, mut quote) = (Vec::new(), String::new(), 0i32, None::<char>);
    for ch in list.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"' | '`') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(ch);
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

fn first_word(item: &str) -> &str {
    item.split_whitespace().next().unwrap_or("").trim_matches(['"', '`', '[', ']'])
}

#[cfg(test)]
mod tests {
    use super::{MIGRATIONS, split_top_level};

    #[test]
    fn a_column_list_splits_at_top_level_commas_only() {
        let parts = split_top_level(
            "id INTEGER PRIMARY KEY, a TEXT CHECK (a IN ('x,y', 'z')), b INTEGER REFERENCES t (id), UNIQUE (a, b)",
        );
        let parts: Vec<&str> = parts.iter().map(|p| p.trim()).collect();
        assert_eq!(
            parts,
            [
                "id INTEGER PRIMARY KEY",
                "a TEXT CHECK (a IN ('x,y', 'z'))",
                "b INTEGER REFERENCES t (id)",
                "UNIQUE (a, b)"
            ]
        );
    }

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
