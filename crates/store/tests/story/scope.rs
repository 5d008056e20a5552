//! Scopes in the storage queries themselves, below any handler: each read returns exactly the
//! records the scope admits, with the table of docs/SECURITY.md §5 (a person belongs to their
//! district, their employer's district, their employer and themselves).

use std::collections::BTreeSet;

use gongjiang_domain::access::Scope;
use gongjiang_domain::level::Level;
use gongjiang_domain::records::{NewDemand, NewLevel};
use gongjiang_domain::registry::LevelSource;
use gongjiang_domain::supply::Period;
use gongjiang_store::demand::{self, DemandWrite};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::{StoreError, organisations};
use gongjiang_testkit::TestDb;
use time::macros::date;

use crate::{org, person};

#[tokio::test]
async fn each_read_returns_exactly_what_the_scope_admits() {
    for t in TestDb::all().await {
        let db = gongjiang_store::Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let b = t.backend;
        // 甲 in 滨海新区 (120116), 乙 in 河北区 (120105).
        let (a, e) = (org("91120116MA05SCOP1A", "甲", "120116"), org("91120105MA05SCOP2B", "乙", "120105"));
        organisations::upsert_batch(&db, &[a.clone(), e.clone()]).await.unwrap();
        let ids = organisations::all_ids(&db).await.unwrap();
        let (ida, ide) = (ids[&a.uscc], ids[&e.uscc]);
        // p1 lives in 120116 and works at 甲; p2 lives in 120101 and works at 乙; p3 lives in
        // 120101 and works at 甲 (so 滨海新区 reaches them through the employer).
        let people = [
            person("120116199001011234", "一", "120116", Some(&a.uscc)),
            person("120101199001011235", "二", "120101", Some(&e.uscc)),
            person("120101199001011236", "三", "120101", Some(&a.uscc)),
        ];
        let employers = [ida, ide, ida];
        let writes: Vec<PersonWrite> =
            people.iter().zip(employers).map(|(p, e)| PersonWrite { person: p, employer_id: Some(e) }).collect();
        persons::upsert_batch(&db, &writes).await.unwrap();
        let numbers: Vec<&str> = people.iter().map(|p| p.id_number.as_str()).collect();
        let pid = persons::ids_by_id_number(&db, &numbers).await.unwrap();
        let (p1, p2, p3) = (pid[numbers[0]], pid[numbers[1]], pid[numbers[2]]);

        let listed = |scope: Scope| {
            let db = db.clone();
            async move {
                let rows = persons::list(&db, &scope, &Default::default(), None, 100).await.unwrap();
                rows.into_iter().map(|p| p.id).collect::<BTreeSet<i64>>()
            }
        };
        assert_eq!(listed(Scope::all()).await, [p1, p2, p3].into(), "{b}");
        assert_eq!(listed(Scope::none()).await, BTreeSet::new(), "{b}: none is FALSE");
        assert_eq!(listed(Scope::districts(["120116"])).await, [p1, p3].into(), "{b}: own or employer's district");
        assert_eq!(listed(Scope::districts(["120101"])).await, [p2, p3].into(), "{b}");
        assert_eq!(listed(Scope::organisation(ide)).await, [p2].into(), "{b}");
        assert_eq!(listed(Scope::person(p3)).await, [p3].into(), "{b}");
        assert_eq!(listed(Scope::person(p1).union(&Scope::organisation(ide))).await, [p1, p2].into(), "{b}");

        // One record: absent outside the scope, whether it exists or not.
        let p2_public =
            persons::list(&db, &Scope::person(p2), &Default::default(), None, 1).await.unwrap()[0].public_id;
        assert!(persons::by_public_id(&db, &Scope::organisation(ide), p2_public).await.unwrap().is_some(), "{b}");
        assert!(persons::by_public_id(&db, &Scope::organisation(ida), p2_public).await.unwrap().is_none(), "{b}");
        assert_eq!(
            persons::admitted(&db, &Scope::districts(["120116"]), &[p1, p2, p3]).await.unwrap(),
            [p1, p3].into()
        );

        // Organisations: by district or id; a person scope reaches none.
        let orgs = |scope: Scope| {
            let db = db.clone();
            async move {
                let rows = organisations::list(&db, &scope, &Default::default(), None, 100).await.unwrap();
                rows.into_iter().map(|o| o.id).collect::<BTreeSet<i64>>()
            }
        };
        assert_eq!(orgs(Scope::districts(["120105"])).await, [ide].into(), "{b}");
        assert_eq!(orgs(Scope::organisation(ida)).await, [ida].into(), "{b}");
        assert_eq!(orgs(Scope::person(p1)).await, BTreeSet::new(), "{b}");
        assert!(organisations::by_uscc(&db, &Scope::districts(["120116"]), &e.uscc).await.unwrap().is_none());

        // Levels: p2's level issued by 甲 is reached by 甲's scope (the issuer), p2's others not.
        let lv = |rank: u8, issuer: &str| NewLevel {
            id_number: numbers[1].to_string(),
            occupation_code: "6-18-01-01".into(),
            trade: String::new(),
            level: Level::new(rank).unwrap(),
            obtained_on: date!(2020 - 07 - 01),
            source: LevelSource::Exam,
            certificate_no: None,
            issuer_uscc: Some(issuer.to_string()),
        };
        let (l4, l5) = (lv(4, &a.uscc), lv(5, &e.uscc));
        let lw = [
            LevelWrite { revoked: None, level: &l4, person_id: p2, issuer_id: Some(ida), recorded_by: "test" },
            LevelWrite { revoked: None, level: &l5, person_id: p2, issuer_id: Some(ide), recorded_by: "test" },
        ];
        levels::record_batch(&db, &lw).await.unwrap();
        let ranks = |scope: Scope| {
            let db = db.clone();
            async move { levels::history(&db, &scope, p2).await.unwrap().into_iter().map(|l| l.level).collect::<Vec<_>>() }
        };
        assert_eq!(ranks(Scope::all()).await, [4, 5], "{b}");
        assert_eq!(ranks(Scope::organisation(ida)).await, [4], "{b}: issued by 甲");
        assert_eq!(ranks(Scope::organisation(ide)).await, [4, 5], "{b}: 乙 employs the holder");
        assert_eq!(ranks(Scope::districts(["120116"])).await, [4], "{b}: the issuer's district");
        assert_eq!(ranks(Scope::person(p1)).await, Vec::<i16>::new(), "{b}");

        // A demand write reaching outside the writer's scope writes nothing.
        let d = |reporter: &str| NewDemand {
            reporter_uscc: reporter.into(),
            occupation_code: "6-18-01-01".into(),
            level: Level::new(4).unwrap(),
            people: 2,
            period: Period { year: 2026, quarter: None },
            district_code: "120116".into(),
            chain: String::new(),
            note: String::new(),
        };
        let (da, de) = (d(&a.uscc), d(&e.uscc));
        let rows = [DemandWrite { demand: &da, reporter_id: ida }, DemandWrite { demand: &de, reporter_id: ide }];
        let refused = demand::upsert_batch(&db, &Scope::organisation(ida), &rows).await;
        assert!(matches!(refused, Err(StoreError::OutOfScope)), "{b}: {refused:?}");
        assert!(demand::list(&db, &Scope::all(), &Default::default(), None, 10).await.unwrap().is_empty(), "{b}");
        demand::upsert_batch(&db, &Scope::districts(["120116", "120105"]), &rows).await.unwrap();
        let seen = demand::list(&db, &Scope::organisation(ide), &Default::default(), None, 10).await.unwrap();
        assert_eq!(seen.len(), 1, "{b}");
        assert_eq!(seen[0].reporter_uscc, e.uscc);
        let seen = demand::list(&db, &Scope::districts(["120116"]), &Default::default(), None, 10).await.unwrap();
        assert_eq!(seen.len(), 2, "{b}: both demands are in 滨海新区");
        db.close().await;
    }
}
