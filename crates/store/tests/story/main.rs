//! One story of the registry, told on every backend the environment offers: SQLite always,
//! PostgreSQL when TEST_PG_URL is set.

mod accounts;
mod scope;
mod worklist;

use gongjiang_domain::access::Scope;
use gongjiang_domain::level::Level;
use gongjiang_domain::records::{NewEmployment, NewLevel, NewOrganisation, NewPerson, NewStatistic};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_store::employment::{self, EmploymentWrite};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::persons::{self, PersonFilter, PersonWrite};
use gongjiang_store::{Db, WriteCounts, organisations, statistics};
use gongjiang_testkit::TestDb;
use time::macros::date;

fn org(uscc: &str, name: &str, district: &str) -> NewOrganisation {
    NewOrganisation {
        uscc: uscc.into(),
        name: name.into(),
        kind: OrgKind::Enterprise,
        district_code: district.into(),
        industry: Some("C".into()),
        chains: None,
    }
}

fn person(id: &str, name: &str, district: &str, employer: Option<&str>) -> NewPerson {
    NewPerson {
        id_type: IdType::ResidentId,
        id_number: id.into(),
        id_from_15: false,
        name: name.into(),
        gender: Some("M".into()),
        birth_date: Some(date!(1990 - 01 - 01)),
        district_code: Some(district.into()),
        employer_uscc: employer.map(str::to_string),
        occupation_code: Some("6-18-01-01".into()),
        education: Some(Education::TechSchoolAdvanced),
        employment_status: Some(EmploymentStatus::Employed),
        work_start: Some(date!(2010 - 07 - 01)),
    }
}

fn counts(inserted: u64, updated: u64, unchanged: u64) -> WriteCounts {
    WriteCounts { inserted, updated, unchanged }
}

async fn story(db: &Db, backend: &str) {
    // Organisations: insert, re-run unchanged, change one.
    let a = org("91120116MA05JXXX1A", "天津甲机械有限公司", "120116");
    let b = org("91120104MA05JXXX2B", "天津乙电子有限公司", "120104");
    assert_eq!(organisations::upsert_batch(db, &[a.clone(), b.clone()]).await.unwrap(), counts(2, 0, 0), "{backend}");
    assert_eq!(organisations::upsert_batch(db, &[a.clone(), b.clone()]).await.unwrap(), counts(0, 0, 2), "{backend}");
    let b2 = NewOrganisation { name: "天津乙电子股份有限公司".into(), ..b.clone() };
    assert_eq!(organisations::upsert_batch(db, &[a.clone(), b2]).await.unwrap(), counts(0, 1, 1), "{backend}");
    let orgs = organisations::all_ids(db).await.unwrap();
    let (ida, idb) = (orgs[&a.uscc], orgs[&b.uscc]);

    // Persons: a batch with a duplicate merges in order; an empty cell never erases a value.
    let p1 = person("120101199001011234", "张三", "120101", Some(&a.uscc));
    let p2 = person("120104199001015678", "李四", "120104", Some(&b.uscc));
    let p1_again = NewPerson { education: None, ..p1.clone() };
    let writes = [
        PersonWrite { person: &p1, employer_id: Some(ida) },
        PersonWrite { person: &p2, employer_id: Some(idb) },
        PersonWrite { person: &p1_again, employer_id: Some(ida) },
    ];
    assert_eq!(persons::upsert_batch(db, &writes).await.unwrap(), counts(2, 0, 1), "{backend}");
    let stored = persons::by_id_number(db, &p1.id_number).await.unwrap().unwrap();
    assert_eq!(stored.education.as_deref(), Some("tech_school_advanced"), "{backend}: empty cell kept the value");
    assert_eq!(stored.employer_uscc.as_deref(), Some(a.uscc.as_str()));
    assert_eq!(stored.birth_date, Some(date!(1990 - 01 - 01)));
    let moved = NewPerson { district_code: Some("120110".into()), ..p2.clone() };
    assert_eq!(
        persons::upsert_batch(db, &[PersonWrite { person: &moved, employer_id: None }]).await.unwrap(),
        counts(0, 1, 0),
        "{backend}"
    );
    let by_uuid = persons::by_public_id(db, &Scope::all(), stored.public_id).await.unwrap().unwrap();
    assert_eq!(by_uuid.name, "张三");

    // Levels: append-only history, current level derived, re-recording changes nothing.
    let ids = persons::ids_by_id_number(db, &[p1.id_number.as_str(), p2.id_number.as_str()]).await.unwrap();
    let (pid1, pid2) = (ids[&p1.id_number], ids[&p2.id_number]);
    let l = |rank: u8, on: time::Date, cert: Option<&str>| NewLevel {
        id_number: p1.id_number.clone(),
        occupation_code: "6-18-01-01".into(),
        trade: String::new(),
        level: Level::new(rank).unwrap(),
        obtained_on: on,
        source: LevelSource::Exam,
        certificate_no: cert.map(str::to_string),
        issuer_uscc: None,
    };
    let l3 = l(3, date!(2014 - 06 - 01), None);
    let l4 = l(4, date!(2019 - 06 - 01), None);
    let w = |lv| LevelWrite { revoked: None, level: lv, person_id: pid1, issuer_id: None, recorded_by: "test" };
    assert_eq!(levels::record_batch(db, &[w(&l3), w(&l4)]).await.unwrap(), counts(2, 0, 0), "{backend}");
    assert_eq!(levels::record_batch(db, &[w(&l3), w(&l4)]).await.unwrap(), counts(0, 0, 2), "{backend}");
    let l4_cert = l(4, date!(2019 - 06 - 01), Some("S000012000001193000001"));
    assert_eq!(levels::record_batch(db, &[w(&l4_cert)]).await.unwrap(), counts(0, 1, 0), "{backend}");
    let history = levels::history(db, &Scope::all(), pid1).await.unwrap();
    assert_eq!(history.iter().map(|h| h.level).collect::<Vec<_>>(), [3, 4], "{backend}");
    assert_eq!(history[1].certificate_no.as_deref(), Some("S000012000001193000001"));
    assert_eq!(persons::by_id_number(db, &p1.id_number).await.unwrap().unwrap().current_level, Some(4));
    assert_eq!(persons::by_id_number(db, &p2.id_number).await.unwrap().unwrap().current_level, None);

    // Listing: filters and keyset paging that visits every person exactly once.
    let f = PersonFilter { level: Some(4), ..Default::default() };
    let found = persons::list(db, &Scope::all(), &f, None, 10).await.unwrap();
    assert_eq!(found.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["张三"], "{backend}");
    let f =
        PersonFilter { occupation: Some("6-18".into()), district_code: Some("120110".into()), ..Default::default() };
    assert_eq!(persons::list(db, &Scope::all(), &f, None, 10).await.unwrap().len(), 1, "{backend}");
    let first = persons::list(db, &Scope::all(), &PersonFilter::default(), None, 1).await.unwrap();
    let second = persons::list(db, &Scope::all(), &PersonFilter::default(), Some(first[0].id), 1).await.unwrap();
    let third = persons::list(db, &Scope::all(), &PersonFilter::default(), Some(second[0].id), 1).await.unwrap();
    assert_ne!(first[0].id, second[0].id);
    assert!(third.is_empty());

    // Employment spells and official statistics.
    let e = NewEmployment {
        id_number: p2.id_number.clone(),
        employer_uscc: b.uscc.clone(),
        start: date!(2015 - 03 - 01),
        end: None,
        occupation_code: Some("6-18-01-01".into()),
    };
    let ew = EmploymentWrite { spell: &e, person_id: pid2, employer_id: idb };
    assert_eq!(employment::upsert_batch(db, &[ew]).await.unwrap(), counts(1, 0, 0), "{backend}");
    let closed = NewEmployment { end: Some(date!(2020 - 01 - 01)), ..e.clone() };
    let ew = EmploymentWrite { spell: &closed, person_id: pid2, employer_id: idb };
    assert_eq!(employment::upsert_batch(db, &[ew]).await.unwrap(), counts(0, 1, 0), "{backend}");
    assert_eq!(employment::for_person(db, &Scope::all(), pid2).await.unwrap()[0].end_on, Some(date!(2020 - 01 - 01)));

    let s = NewStatistic {
        year: 2025,
        district_code: "120116".into(),
        industry: String::new(),
        chain: String::new(),
        employed_persons: 1_500_000,
    };
    assert_eq!(statistics::upsert_batch(db, std::slice::from_ref(&s)).await.unwrap(), counts(1, 0, 0), "{backend}");
    assert_eq!(statistics::upsert_batch(db, std::slice::from_ref(&s)).await.unwrap(), counts(0, 0, 1), "{backend}");
    assert_eq!(statistics::list(db, Some(2025)).await.unwrap().len(), 1);
    assert!(statistics::list(db, Some(2024)).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn registry_story_on_every_backend() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        story(&db, t.backend).await;
        // Connecting again finds the schema current and migrates nothing.
        db.close().await;
        let again = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        assert_eq!(persons::count(&again).await.unwrap(), 2, "{}", t.backend);
        again.close().await;
    }
}

async fn index_names(db: &Db) -> Vec<String> {
    let mut names: Vec<String> = match db {
        Db::Sqlite { read, .. } => sqlx::query_scalar(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE '%UNIQUE%'",
        )
        .fetch_all(read)
        .await
        .unwrap(),
        Db::Postgres(p, _) => sqlx::query_scalar(
            "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' AND indexdef NOT LIKE '%UNIQUE%'",
        )
        .fetch_all(p)
        .await
        .unwrap(),
    };
    names.sort();
    names
}

/// A bulk load drops the secondary indexes; restoring (or reconnecting after a crash) brings
/// back exactly the ones the migrations made.
#[tokio::test(flavor = "multi_thread")]
async fn suspended_indexes_come_back_as_the_migrations_made_them() {
    for t in TestDb::all().await {
        let db = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let fresh = index_names(&db).await;
        assert!(fresh.contains(&"persons_name".to_string()), "{}: {fresh:?}", t.backend);
        gongjiang_store::bulk::suspend_indexes(&db, "persons").await.unwrap();
        gongjiang_store::bulk::suspend_indexes(&db, "skill_levels").await.unwrap();
        let suspended = index_names(&db).await;
        assert!(
            !suspended.iter().any(|n| n.starts_with("persons_") || n.starts_with("skill_levels_")),
            "{}: {suspended:?}",
            t.backend
        );
        db.close().await;
        // As after a crash mid-load: the next start rebuilds them.
        let again = Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        assert_eq!(index_names(&again).await, fresh, "{}", t.backend);
        again.close().await;
    }
}

/// The two migration folders must describe the same tables and columns.
#[tokio::test(flavor = "multi_thread")]
async fn schemas_match_across_backends() {
    let Some(pg) = TestDb::postgres().await else {
        eprintln!("TEST_PG_URL not set: schema parity checked on CI only");
        return;
    };
    let lite = TestDb::sqlite();
    let (Db::Sqlite { read: s, .. }, Db::Postgres(p, _)) =
        (Db::connect(&lite.url).await.unwrap(), Db::connect(&pg.url).await.unwrap())
    else {
        panic!("backends chosen from URLs")
    };
    let mut sqlite_cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
    )
    .fetch_all(&s)
    .await
    .unwrap();
    let mut pg_cols: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns WHERE table_schema = 'public'",
    )
    .fetch_all(&p)
    .await
    .unwrap();
    sqlite_cols.sort();
    pg_cols.sort();
    assert_eq!(sqlite_cols, pg_cols);
}

/// The SQLite file and its journal hold personal data: owner-only, whatever the umask, and an
/// existing file left readable by others is narrowed when opened.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread")]
async fn the_sqlite_file_is_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("city.db");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let db = Db::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    assert_eq!(mode(&path), 0o600);
    let wal = dir.path().join("city.db-wal");
    assert!(wal.exists(), "WAL journal in use");
    assert_eq!(mode(&wal), 0o600);
    drop(db);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let _db = Db::connect(&format!("sqlite://{}", path.display())).await.unwrap();
    assert_eq!(mode(&path), 0o600, "narrowed on open");
}
