//! `gongjiang user|token|audit|keys` as an operator runs them: the password on standard input,
//! the first administrator, grants under the grant rule, and `audit verify` failing after the
//! database was edited behind its back.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use gongjiang_store::{Db, on_writer};
use gongjiang_testkit::TestDb;

const PW: &str = "lantern-ferry-31-harbour";

fn run(db: &str, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongjiang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GONGJIANG_KEYS")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

async fn tamper(url: &str, sql: &'static str) {
    let db = Db::connect(url).await.unwrap();
    on_writer!(&db, pool => sqlx::query(sql).execute(pool).await.map(|_| ()).unwrap());
    db.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn first_administrator_grants_tokens_and_a_tampered_audit_trail() {
    for t in TestDb::all().await {
        let db = t.url.as_str();
        let line = format!("{PW}\n");
        // No password argument exists at all.
        let o = run(
            db,
            &["user", "add", "admin", "--display-name", "管理员", "--role", "city-admin", "--password", PW],
            None,
        );
        assert!(!o.status.success(), "{}", t.backend);

        let o = run(
            db,
            &["user", "add", "admin", "--display-name", "管理员", "--role", "city-admin", "--password-stdin"],
            Some(&line),
        );
        assert!(o.status.success(), "{}: {}", t.backend, text(&o));
        let o = run(
            db,
            &["user", "add", "admin2", "--display-name", "二", "--role", "city-admin", "--password-stdin"],
            Some(&line),
        );
        assert!(!o.status.success() && text(&o).contains("--by"), "{}: {}", t.backend, text(&o));
        let o = run(
            db,
            &["user", "add", "weak", "--display-name", "弱", "--by", "admin", "--password-stdin"],
            Some("123456\n"),
        );
        assert!(!o.status.success() && text(&o).contains("12"), "{}: {}", t.backend, text(&o));

        let args = [
            "user",
            "add",
            "heping",
            "--display-name",
            "和平区",
            "--role",
            "district-admin:120101",
            "--by",
            "admin",
            "--password-stdin",
        ];
        assert!(run(db, &args, Some(&line)).status.success(), "{}", t.backend);
        // The district administrator cannot hand out a wider district.
        let args = [
            "user",
            "add",
            "wide",
            "--display-name",
            "宽",
            "--role",
            "district-admin:120101,120102",
            "--by",
            "heping",
            "--password-stdin",
        ];
        let o = run(db, &args, Some(&line));
        assert!(!o.status.success() && text(&o).contains("grant refused"), "{}: {}", t.backend, text(&o));
        assert!(
            run(db, &["user", "grant", "heping", "--role", "district-admin:120102", "--by", "admin"], None)
                .status
                .success()
        );
        assert!(
            run(db, &["user", "revoke", "heping", "--role", "district-admin:120102", "--by", "admin"], None)
                .status
                .success()
        );

        let o = run(db, &["user", "list", "--format", "json"], None);
        let users: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(users[1]["username"], "heping", "{}", t.backend);
        assert_eq!(users[1]["roles"], serde_json::json!(["district-admin:120101"]), "{}", t.backend);
        assert!(!String::from_utf8_lossy(&o.stdout).contains("argon2"), "no hashes in listings");

        let o = run(
            db,
            &[
                "token",
                "create",
                "--user",
                "heping",
                "--name",
                "区系统",
                "--role",
                "district-admin:120101",
                "--days",
                "30",
            ],
            None,
        );
        assert!(o.status.success(), "{}: {}", t.backend, text(&o));
        let token = String::from_utf8_lossy(&o.stdout).trim().to_string();
        assert!(token.starts_with("gjt_") && token.len() == 68, "{token}");
        assert!(!text(&run(db, &["token", "list"], None)).contains(&token[4..]), "the secret is never listed");
        assert!(run(db, &["token", "revoke", "1"], None).status.success());

        let o = run(db, &["audit", "verify"], None);
        assert_eq!(o.status.code(), Some(0), "{}: {}", t.backend, text(&o));
        assert!(text(&o).contains("审计链完整") && text(&o).contains("intact"));
        let o = run(db, &["audit", "search", "--action", "role.grant", "--format", "json"], None);
        let found: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(found.as_array().unwrap().len(), 3, "{}: admin, heping, heping again", t.backend);
        assert_eq!(found[0]["actor"], "user:admin");

        tamper(db, "UPDATE audit_log SET actor = 'user:nobody' WHERE seq = 2").await;
        let o = run(db, &["audit", "verify"], None);
        assert_eq!(o.status.code(), Some(1), "{}: {}", t.backend, text(&o));
        assert!(
            text(&o).contains("第 2 条") && text(&o).contains("entry 2") && text(&o).contains("edited"),
            "{}",
            text(&o)
        );
    }
}

#[test]
fn keys_init_writes_an_owner_only_file_once_and_rotate_adds_a_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gongjiang.keys");
    let p = path.to_str().unwrap();
    let o = run("sqlite::memory:", &["keys", "init", "--keys", p], None);
    assert!(o.status.success(), "{}", text(&o));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let first = std::fs::read_to_string(&path).unwrap();
    let o = run("sqlite::memory:", &["keys", "init", "--keys", p], None);
    assert!(!o.status.success(), "a second init must not overwrite the keys");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    let o = run("sqlite::memory:", &["keys", "rotate", "--keys", p], None);
    assert!(o.status.success(), "{}", text(&o));
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(after.contains("current = \"k2\"") && after.contains("id = \"k1\""), "{after}");
}

/// The key file beside a SQLite database is made on first use; after `keys rotate`,
/// `keys reencrypt` moves every stored number to the new key (a second run finds nothing to do)
/// and the export still reads them. PostgreSQL without `--keys` is refused with the reason.
#[test]
fn the_default_key_file_is_rotated_and_reencrypt_moves_every_number_to_the_new_key() {
    let t = TestDb::sqlite();
    let fixture = |name: &str| format!("{}/../../fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv")] {
        let o = run(&t.url, &["import", kind, &fixture(file), "--format", "json"], None);
        assert!(o.status.success(), "{}", text(&o));
    }
    let key_file = t.dir().unwrap().join("pii-keys.toml");
    assert!(key_file.exists(), "made beside the database on first use");
    let o = run(&t.url, &["keys", "rotate"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("keys reencrypt"), "{}", text(&o));

    let o = run(&t.url, &["keys", "reencrypt", "--format", "json"], None);
    assert!(o.status.success(), "{}", text(&o));
    let r: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let persons = r["per_key"][0][1].as_i64().unwrap();
    assert!(persons > 0 && r["rewritten"].as_i64() == Some(persons), "{r}");
    assert_eq!(r["per_key"][0][0], "k2", "{r}");
    assert_eq!(r["per_key"].as_array().unwrap().len(), 1, "nothing left under k1: {r}");
    let o = run(&t.url, &["keys", "reencrypt"], None);
    assert!(text(&o).contains("k1") && text(&o).contains("no longer used"), "{}", text(&o));

    let out = t.dir().unwrap().join("persons.csv");
    let o = run(&t.url, &["export", "persons", out.to_str().unwrap(), "--headers", "en"], None);
    assert!(o.status.success(), "{}", text(&o));
    assert!(std::fs::read_to_string(&out).unwrap().contains("120116198503123011"), "decrypted on export");

    let o = run("postgres://nobody@127.0.0.1:1/none", &["kpi"], None);
    assert!(!o.status.success());
    assert!(text(&o).contains("GONGJIANG_KEYS") && text(&o).contains("PostgreSQL"), "{}", text(&o));
}

/// Entries cut off the end with the head moved back make a shorter chain that is consistent:
/// a signed checkpoint kept outside the database catches it. An emptied trail on a database
/// with users, and a missing head row, are breaks too — said in both languages.
#[tokio::test(flavor = "multi_thread")]
async fn a_truncated_emptied_or_headless_audit_trail_is_caught() {
    for t in TestDb::all().await {
        let db = t.url.as_str();
        let b = t.backend;
        let keys = tempfile::tempdir().unwrap();
        let k = keys.path().join("issuer-keys");
        let k = k.to_str().unwrap();
        let line = format!("{PW}\n");
        let add = |name: &str| {
            run(
                db,
                &["user", "add", name, "--display-name", name, "--role", "city-admin", "--password-stdin"],
                Some(&line),
            )
        };
        assert!(add("admin").status.success(), "{b}");
        assert!(run(db, &["--issuer-keys", k, "cert", "keys", "init"], None).status.success(), "{b}");
        let cp = keys.path().join("head.json");
        let o = run(db, &["--issuer-keys", k, "audit", "checkpoint", "--out", cp.to_str().unwrap()], None);
        assert!(o.status.success(), "{b}: {}", text(&o));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&cp).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let with_cp = ["--issuer-keys", k, "audit", "verify", "--checkpoint", cp.to_str().unwrap()];
        assert_eq!(run(db, &with_cp, None).status.code(), Some(0), "{b}");

        // Cut the chain back to its first entry and move the head there.
        tamper(db, "DELETE FROM audit_log WHERE seq > 1").await;
        tamper(db, "UPDATE audit_head SET seq = 1, hash = (SELECT hash FROM audit_log WHERE seq = 1)").await;
        assert_eq!(run(db, &["audit", "verify"], None).status.code(), Some(0), "{b}: consistent on its own");
        let o = run(db, &with_cp, None);
        assert_eq!(o.status.code(), Some(1), "{b}: {}", text(&o));
        assert!(text(&o).contains("末尾条目被截去") && text(&o).contains("cut off"), "{b}: {}", text(&o));

        // Emptied, the head reset to the start: the users say there was a trail.
        tamper(db, "DELETE FROM audit_log").await;
        tamper(
            db,
            "UPDATE audit_head SET seq = 0, hash = '0000000000000000000000000000000000000000000000000000000000000000'",
        )
        .await;
        let o = run(db, &["audit", "verify"], None);
        assert_eq!(o.status.code(), Some(1), "{b}: {}", text(&o));
        assert!(text(&o).contains("日志被清空") && text(&o).contains("emptied"), "{b}: {}", text(&o));

        tamper(db, "DELETE FROM audit_head").await;
        let o = run(db, &["audit", "verify"], None);
        assert_eq!(o.status.code(), Some(1), "{b}: {}", text(&o));
        assert!(text(&o).contains("链头记录") && text(&o).contains("head row"), "{b}: {}", text(&o));
    }
}
