//! A database made by the previous release (`fixtures/previous-release/`, made by the release
//! binary of `295a6ca`) opens with the current code: the migrations since then apply, every
//! record is still there and found by its number, rows stored before the tail hash are found
//! by their last four, and the maintained KPI counts agree with a recount.

use std::path::Path;

use gongjiang_app::pii_keys::Keys;
use gongjiang_app::{App, kpi};
use gongjiang_domain::access::Scope;
use gongjiang_store::persons::{self, PersonFilter};
use gongjiang_store::{Db, levels};

/// A person of the fixture, from the previous release's own export.
const NUMBER: &str = "371402197509141756";
const NAME: &str = "田鑫瑞";
/// 高级技师 since 2014, appointed 特级技师 in 2020.
const MASTER: &str = "120104197404245056";

async fn count(db: &Db, sql: &'static str) -> i64 {
    match db {
        Db::Sqlite { read, .. } => sqlx::query_scalar(sql).fetch_one(read).await.unwrap(),
        Db::Postgres(pool, _) => sqlx::query_scalar(sql).fetch_one(pool).await.unwrap(),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_of_the_previous_release_opens_with_everything_in_it() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/previous-release");
    let dir = tempfile::tempdir().unwrap();
    for f in ["gongjiang.db", "pii-keys.toml"] {
        std::fs::copy(fixture.join(f), dir.path().join(f)).unwrap();
        // Owner-only, as the release left them (git keeps no such mode).
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path().join(f), std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let url = format!("sqlite://{}", dir.path().join("gongjiang.db").display());
    let before: i64 = {
        // Read with plain SQLite: opening through the store would migrate it.
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let n = sqlx::query_scalar("SELECT MAX(version) FROM schema_migrations").fetch_one(&pool).await.unwrap();
        pool.close().await;
        n
    };
    assert!(before < 24, "the fixture predates migration 0024 (it is at {before})");

    let app = App::open_with(&url, None, &Keys::Default).await.unwrap();
    assert_eq!(count(&app.db, "SELECT MAX(version) FROM schema_migrations").await, 28);
    assert_eq!(persons::count(&app.db).await.unwrap(), 200);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM skill_levels").await, 135);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM employment").await, 304);
    let p = persons::by_id_number(&app.db, NUMBER).await.unwrap().expect("found by number");
    assert_eq!(p.name, NAME);
    let tail = PersonFilter { id_tail: Some(NUMBER[14..].to_string()), ..PersonFilter::default() };
    let found = persons::list(&app.db, &Scope::all(), &tail, None, 100).await.unwrap();
    assert!(found.iter().any(|x| x.id == p.id), "found by its last four after the upgrade");
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM persons WHERE id_tail IS NULL").await, 0);
    // A master of the fixture: five examined levels and an appointment, all still there.
    let master = persons::by_id_number(&app.db, MASTER).await.unwrap().expect("the master");
    let h = levels::history(&app.db, &Scope::all(), master.id).await.unwrap();
    assert_eq!(h.iter().map(|l| l.level).collect::<Vec<_>>(), [2, 3, 4, 5, 6, 7]);
    assert_eq!(master.current_level, Some(7));
    let c = kpi::recount_check(&app, &[]).await.unwrap();
    assert!(c.differences.is_empty() && c.stale_persons == 0, "{:?}", c.differences);
    app.db.close().await;
}
