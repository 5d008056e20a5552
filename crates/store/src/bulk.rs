//! Bulk loads: the secondary indexes of the big tables can be dropped for a load that brings
//! in a large share of a table and rebuilt afterwards — sorting once is far cheaper than
//! maintaining four B-trees row by row (docs/BENCHMARKS.md). Unique indexes stay: they keep
//! natural keys unique during the load.
//!
//! If a process dies while they are dropped, `Db::connect` rebuilds them at the next start.

use crate::{Db, StoreError, on_writer};

struct Deferrable {
    table: &'static str,
    drop: &'static str,
    /// Exactly as the migrations create it.
    create: &'static str,
}

const fn index(table: &'static str, drop: &'static str, create: &'static str) -> Deferrable {
    Deferrable { table, drop, create }
}

const DEFERRABLE: &[Deferrable] = &[
    index(
        "persons",
        "DROP INDEX IF EXISTS persons_district",
        "CREATE INDEX IF NOT EXISTS persons_district ON persons (district_code)",
    ),
    index(
        "persons",
        "DROP INDEX IF EXISTS persons_employer",
        "CREATE INDEX IF NOT EXISTS persons_employer ON persons (employer_id)",
    ),
    index(
        "persons",
        "DROP INDEX IF EXISTS persons_occupation",
        "CREATE INDEX IF NOT EXISTS persons_occupation ON persons (occupation_code)",
    ),
    index("persons", "DROP INDEX IF EXISTS persons_name", "CREATE INDEX IF NOT EXISTS persons_name ON persons (name)"),
    index(
        "persons",
        "DROP INDEX IF EXISTS persons_id_tail",
        "CREATE INDEX IF NOT EXISTS persons_id_tail ON persons (id_tail)",
    ),
    index(
        "persons",
        "DROP INDEX IF EXISTS persons_id_tail_pending",
        "CREATE INDEX IF NOT EXISTS persons_id_tail_pending ON persons (id) WHERE id_tail IS NULL AND id_cipher IS NOT NULL",
    ),
    index(
        "skill_levels",
        "DROP INDEX IF EXISTS skill_levels_certificate",
        "CREATE INDEX IF NOT EXISTS skill_levels_certificate ON skill_levels (certificate_no)",
    ),
    index(
        "skill_levels",
        "DROP INDEX IF EXISTS skill_levels_level",
        "CREATE INDEX IF NOT EXISTS skill_levels_level ON skill_levels (level, occupation_code)",
    ),
    index(
        "skill_levels",
        "DROP INDEX IF EXISTS skill_levels_obtained",
        "CREATE INDEX IF NOT EXISTS skill_levels_obtained ON skill_levels (obtained_on)",
    ),
    index(
        "skill_levels",
        "DROP INDEX IF EXISTS skill_levels_revoked",
        "CREATE INDEX IF NOT EXISTS skill_levels_revoked ON skill_levels (revoked_on) WHERE revoked_on IS NOT NULL",
    ),
];

/// Drops the deferrable indexes of `table` until `restore_indexes`.
pub async fn suspend_indexes(db: &Db, table: &str) -> Result<(), StoreError> {
    for d in DEFERRABLE.iter().filter(|d| d.table == table) {
        on_writer!(db, pool => sqlx::query(d.drop).execute(pool).await.map(|_| ())?);
    }
    Ok(())
}

/// Creates any deferrable index that is missing; a no-op when all are there.
pub async fn restore_indexes(db: &Db) -> Result<(), StoreError> {
    for d in DEFERRABLE {
        on_writer!(db, pool => sqlx::query(d.create).execute(pool).await.map(|_| ())?);
    }
    Ok(())
}

/// Rows in a table the bulk path knows (persons or skill_levels).
pub async fn row_count(db: &Db, table: &str) -> Result<i64, StoreError> {
    let sql = if table == "persons" { "SELECT COUNT(*) FROM persons" } else { "SELECT COUNT(*) FROM skill_levels" };
    Ok(crate::on_pool!(db, pool => sqlx::query_scalar(sql).fetch_one(pool).await?))
}
