//! A database as it was before identity numbers were encrypted (schema version 7): made by
//! running the migration files up to 0007 directly, with plaintext numbers in `persons` and in
//! `certificates`.

use std::str::FromStr;

use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_store::Db;
use gongjiang_store::pii::Pii;
use gongjiang_testkit::TestDb;
use time::OffsetDateTime;
use time::macros::date;
use uuid::Uuid;

/// The number of the legacy database's one certificate.
pub fn certificate() -> String {
    CertificateNo::national('S', "0000", "12", "000321", 26, 3, 1).unwrap().as_str().to_string()
}

const LEGACY_IDS: [&str; 3] = ["120101199001011234", "12010419850612002X", "120110197707070031"];

/// The database without migrations run on connect.
pub async fn raw_db(t: &TestDb) -> Db {
    if t.backend == "sqlite" {
        let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&t.url).unwrap().create_if_missing(true);
        let pool = sqlx::sqlite::SqlitePoolOptions::new().max_connections(1).connect_with(opts).await.unwrap();
        Db::Sqlite { read: pool.clone(), write: pool, pii: Pii::default() }
    } else {
        Db::Postgres(sqlx::PgPool::connect(&t.url).await.unwrap(), Pii::default())
    }
}

/// Creates the legacy database; returns its persons' identity numbers.
pub async fn create(t: &TestDb) -> Vec<String> {
    let db = raw_db(t).await;
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations").join(t.backend);
    let mut files: Vec<_> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    gongjiang_store::on_writer!(&db, pool => {
        sqlx::raw_sql("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)")
            .execute(pool).await.unwrap();
        for f in files {
            let name = f.file_stem().unwrap().to_string_lossy().into_owned();
            let version: i64 = name[..4].parse().unwrap();
            if version > 7 {
                continue;
            }
            let sql = std::fs::read_to_string(&f).unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(pool).await.unwrap();
            sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
                .bind(version).bind(&name).execute(pool).await.unwrap();
        }
        let now = OffsetDateTime::now_utc();
        let org: i64 = sqlx::query_scalar(
            "INSERT INTO organisations (public_id, uscc, name, kind, district_code, industry, created_at, updated_at) \
             VALUES ($1, '91120116MA05JXXX1A', '天津旧数据有限公司', 'enterprise', '120116', 'C', $2, $2) RETURNING id")
            .bind(Uuid::now_v7()).bind(now).fetch_one(pool).await.unwrap();
        let mut persons = Vec::new();
        for (i, id) in LEGACY_IDS.iter().enumerate() {
            let p: i64 = sqlx::query_scalar(
                "INSERT INTO persons (public_id, id_type, id_number, name, district_code, employer_id, \
                 occupation_code, employment_status, created_at, updated_at) \
                 VALUES ($1, 'resident_id', $2, $3, '120116', $4, '6-18-01-01', 'employed', $5, $5) RETURNING id")
                .bind(Uuid::now_v7()).bind(id).bind(format!("旧{i}")).bind(org).bind(now)
                .fetch_one(pool).await.unwrap();
            persons.push(p);
        }
        let level: i64 = sqlx::query_scalar(
            "INSERT INTO skill_levels (person_id, occupation_code, trade, level, obtained_on, source, certificate_no, \
             issuer_id, recorded_by, recorded_at) VALUES ($1, '6-18-01-01', '', 4, $2, 'exam', $3, $4, 'legacy', $5) \
             RETURNING id")
            .bind(persons[0]).bind(date!(2026 - 05 - 20)).bind(certificate()).bind(org).bind(now)
            .fetch_one(pool).await.unwrap();
        let institution: i64 = sqlx::query_scalar(
            "INSERT INTO evaluation_institutions (public_id, category, body_code, province_code, site_serial, name, \
             created_at) VALUES ($1, 'S', '0000', '12', '000321', '天津市某职业技能等级认定中心', $2) RETURNING id")
            .bind(Uuid::now_v7()).bind(now).fetch_one(pool).await.unwrap();
        sqlx::query(
            "INSERT INTO certificates (public_id, number, institution_id, person_id, year, level_code, serial, title, \
             holder_name, id_type, id_number, occupation_code, occupation_name, trade, level, level_text, \
             institution_name, issue_date, status_index, status, skill_level_id, created_at) VALUES ($1, $2, $3, $4, \
             2026, 3, 1, '职业技能等级证书', '旧0', '居民身份证', $5, '6-18-01-01', '车工', '--', 4, '三级/高级工', \
             '天津市某职业技能等级认定中心', $6, 0, 'valid', $7, $8)")
            .bind(Uuid::now_v7()).bind(certificate()).bind(institution).bind(persons[0]).bind(LEGACY_IDS[0])
            .bind(date!(2026 - 05 - 20)).bind(level).bind(now)
            .execute(pool).await.unwrap();
    });
    db.close().await;
    LEGACY_IDS.iter().map(|s| s.to_string()).collect()
}
