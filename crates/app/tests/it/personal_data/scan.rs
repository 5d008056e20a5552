//! Looking for identity numbers in what a database stores: the SQLite files byte by byte (the
//! main file, the WAL and its index), or every PostgreSQL table as text.

use std::collections::HashMap;

use gongjiang_store::Db;
use gongjiang_testkit::TestDb;

/// What a scan found: the identity numbers some form of which appeared (with the form), and
/// how many of the other strings it was given (to show it reads the data at all).
pub struct Found {
    pub needles_found: Vec<(String, String)>,
    pub others_found: usize,
}

/// The forms of a number that must not appear: the number (and with a lower-case check
/// letter), without its check character, its 15-digit legacy form, its region-and-birth part
/// (14), its birth-sequence-check part (12) and its masked form (`1201**********123X`).
fn needles(id: &str) -> Vec<String> {
    let mut v = vec![id.to_string(), id.to_ascii_lowercase()];
    if id.len() == 18 {
        v.extend([
            id[..17].to_string(),
            format!("{}{}", &id[..6], &id[8..17]),
            id[..14].to_string(),
            id[6..].to_string(),
            format!("{}{}{}", &id[..4], "*".repeat(10), &id[14..]),
        ]);
    }
    v
}

/// Runs of characters a number or its mask is made of, at least 12 long.
fn runs(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes.split(|b| !(b.is_ascii_digit() || matches!(b, b'X' | b'x' | b'*'))).filter(|r| r.len() >= 12)
}

fn search(texts: &[Vec<u8>], ids: &[String], others: &[String]) -> Found {
    let mut forms: HashMap<Vec<u8>, (String, String)> = HashMap::new();
    for id in ids {
        for n in needles(id) {
            forms.insert(n.clone().into_bytes(), (id.clone(), n));
        }
    }
    let mut lengths: Vec<usize> = forms.keys().map(Vec::len).collect();
    lengths.sort_unstable();
    lengths.dedup();
    let mut found = Found { needles_found: Vec::new(), others_found: 0 };
    for text in texts {
        for run in runs(text) {
            for &len in lengths.iter().filter(|&&l| l <= run.len()) {
                for w in run.windows(len) {
                    if let Some(hit) = forms.get(w) {
                        found.needles_found.push(hit.clone());
                    }
                }
            }
            let run = String::from_utf8_lossy(run);
            found.others_found += others.iter().filter(|o| run.contains(o.as_str())).count();
        }
    }
    found.needles_found.sort();
    found.needles_found.dedup();
    found
}

/// Every byte the database holds: SQLite's files, or each PostgreSQL table's rows as text.
pub async fn scan_database(t: &TestDb, db: &Db, ids: &[String], others: &[String]) -> Found {
    let mut texts = Vec::new();
    match db {
        Db::Sqlite { .. } => {
            let dir = t.dir().expect("a SQLite test database has a folder");
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.file_name().is_some_and(|n| n.to_string_lossy().starts_with("test.db")) {
                    texts.push(std::fs::read(&path).unwrap());
                }
            }
            assert!(!texts.is_empty());
        }
        Db::Postgres(pool, _) => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
            )
            .fetch_all(pool)
            .await
            .unwrap();
            assert!(tables.contains(&"persons".to_string()));
            for table in tables {
                let sql = format!("SELECT COALESCE(string_agg(t::text, E'\\n'), '') FROM \"{table}\" t");
                let text: String = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(pool).await.unwrap();
                texts.push(text.into_bytes());
            }
        }
    }
    search(&texts, ids, others)
}

#[test]
fn the_search_finds_every_form_and_nothing_else() {
    let id = "12010119900101123X".to_string();
    let texts = vec![
        b"..v1:k1:9f0a.. 120101199001011 ..".to_vec(),
        b"name=1201**********123X;".to_vec(),
        b"199001011234 is not it, 19900101123X is".to_vec(),
    ];
    let f = search(&texts, std::slice::from_ref(&id), &["1201**".into()]);
    let forms: Vec<&str> = f.needles_found.iter().map(|(_, n)| n.as_str()).collect();
    assert_eq!(forms, ["1201**********123X", "12010119900101", "19900101123X"]);
    assert_eq!(f.others_found, 1);
}
