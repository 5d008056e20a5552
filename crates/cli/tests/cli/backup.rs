//! `gongjiang backup` / `restore`: a copy taken while the database is in use comes back whole
//! (rows, KPI state and an unbroken audit chain), owner-only; a damaged file or one that is not
//! a gongjiang database is refused and the database left as it was.

use gongjiang_testkit::TestDb;

use super::{fixture, gongjiang};

fn persons(url: &str) -> i64 {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let db = gongjiang_store::Db::connect(url).await.unwrap();
        let n = gongjiang_store::persons::count(&db).await.unwrap();
        db.close().await;
        n
    })
}

#[test]
fn a_backup_taken_in_use_restores_whole_and_owner_only() {
    let t = TestDb::sqlite();
    let url = t.url.as_str();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv")] {
        assert!(gongjiang(url, &["import", kind, fixture(file).to_str().unwrap()]).status.success());
    }
    let before = persons(url);
    assert!(before > 0);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("备份.db");
    let o = gongjiang(url, &["backup", copy.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(!gongjiang(url, &["backup", copy.to_str().unwrap()]).status.success(), "never overwrites");

    // Later work, then the restore brings the database back to the copy.
    assert!(gongjiang(url, &["import", "levels", fixture("levels_mixed.csv").to_str().unwrap()]).status.success());
    let o = gongjiang(url, &["restore", copy.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "asks for --yes");
    let o = gongjiang(url, &["restore", copy.to_str().unwrap(), "--yes"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(persons(url), before);
    let o = gongjiang(url, &["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stdout));

    // A cut-off copy and a database that is not ours are refused; nothing changes.
    let bytes = std::fs::read(&copy).unwrap();
    let cut = dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 3]).unwrap();
    assert!(!gongjiang(url, &["restore", cut.to_str().unwrap(), "--yes"]).status.success());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let stranger = dir.path().join("stranger.db");
    rt.block_on(async {
        use sqlx::Connection;
        let opts = sqlx::sqlite::SqliteConnectOptions::new().filename(&stranger).create_if_missing(true);
        let mut c = sqlx::SqliteConnection::connect_with(&opts).await.unwrap();
        sqlx::query("CREATE TABLE t (x)").execute(&mut c).await.unwrap();
        c.close().await.unwrap();
    });
    let o = gongjiang(url, &["restore", stranger.to_str().unwrap(), "--yes"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a backup of a gongjiang database"));
    assert_eq!(persons(url), before, "the database is as it was");
}
