//! Test support: every story runs on a fresh SQLite file, and also on a fresh PostgreSQL
//! database when `TEST_PG_URL` names a server (`.ci/run` sets it).

use std::sync::Arc;

use gongjiang_crypto::pii_keys::KeyRing;
use sqlx::Connection;

/// A fresh, empty database; dropped (PostgreSQL) or deleted (SQLite) with the value. Each has
/// a personal-data key ring of its own (in memory; nothing written beside the database).
pub struct TestDb {
    pub url: String,
    pub backend: &'static str,
    keys: Arc<KeyRing>,
    _dir: Option<tempfile::TempDir>,
    pg: Option<(String, String)>,
}

fn new_ring() -> Arc<KeyRing> {
    Arc::new(KeyRing::generate().expect("the operating system's random source"))
}

impl TestDb {
    /// A new SQLite file in a temporary folder.
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("test.db").display());
        TestDb { url, backend: "sqlite", keys: new_ring(), _dir: Some(dir), pg: None }
    }

    /// The key ring that seals this database's identity numbers: give it to
    /// `App::open_with(…, &Keys::Ring(t.keys()))` or `Db::with_keys`.
    pub fn keys(&self) -> Arc<KeyRing> {
        self.keys.clone()
    }

    /// The folder the SQLite file is in (`None` for PostgreSQL).
    pub fn dir(&self) -> Option<&std::path::Path> {
        self._dir.as_ref().map(|d| d.path())
    }

    /// A new PostgreSQL database on the server `TEST_PG_URL` names, or `None` without it.
    pub async fn postgres() -> Option<TestDb> {
        let admin = std::env::var("TEST_PG_URL").ok().filter(|s| !s.is_empty())?;
        let name = format!("gj_test_{}", uuid::Uuid::now_v7().simple());
        let mut conn = sqlx::PgConnection::connect(&admin).await.expect("TEST_PG_URL must reach a server");
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut conn)
            .await
            .expect("create database");
        let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
        Some(TestDb {
            url: format!("{base}/{name}"),
            backend: "postgres",
            keys: new_ring(),
            _dir: None,
            pg: Some((admin, name)),
        })
    }

    /// SQLite always, PostgreSQL too when configured.
    pub async fn all() -> Vec<TestDb> {
        let mut v = vec![TestDb::sqlite()];
        v.extend(TestDb::postgres().await);
        v
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg.take() {
            // A runtime of its own on another thread: drop may run inside a test's runtime.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                rt.block_on(async move {
                    if let Ok(mut c) = sqlx::PgConnection::connect(&admin).await {
                        let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(&mut c).await;
                    }
                });
            })
            .join();
        }
    }
}
