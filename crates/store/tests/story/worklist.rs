//! The lists the web pages read across the evaluation tables and the import runs, on every
//! backend: each within exactly the scope it is given — through the candidate (district,
//! employer, themself) or through the session's institution (organisation, its district).

use gongjiang_domain::access::Scope;
use gongjiang_domain::evaluation::SessionStatus;
use gongjiang_store::applications::{self, NewApplication};
use gongjiang_store::institutions::{self, NewInstitution};
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::sessions::{self, NewSession};
use gongjiang_store::{WriteCounts, imports, organisations, worklist};
use gongjiang_testkit::TestDb;
use time::macros::date;

use crate::{org, person};

#[tokio::test]
async fn work_lists_and_sessions_are_read_within_the_scope_given() {
    for t in TestDb::all().await {
        let db = gongjiang_store::Db::connect(&t.url).await.unwrap().with_keys(t.keys());
        let b = t.backend;
        // The institution's organisation in 和平区 (120101); the candidates' employer in 滨海新区.
        let (inst_org, employer) =
            (org("52120101MJ05WORK1A", "和平鉴定站", "120101"), org("91120116MA05WORK2B", "滨海精密制造", "120116"));
        organisations::upsert_batch(&db, &[inst_org.clone(), employer.clone()]).await.unwrap();
        let ids = organisations::all_ids(&db).await.unwrap();
        let (inst_org_id, employer_id) = (ids[&inst_org.uscc], ids[&employer.uscc]);
        let refused = person("120116199001011237", "被拒者", "120116", Some(&employer.uscc));
        let admitted = person("120102199001011230", "准考者", "120102", None);
        let writes = [
            PersonWrite { person: &refused, employer_id: Some(employer_id) },
            PersonWrite { person: &admitted, employer_id: None },
        ];
        persons::upsert_batch(&db, &writes).await.unwrap();
        let people = persons::ids_by_id_number(&db, &[&refused.id_number, &admitted.id_number]).await.unwrap();
        let (p_refused, p_admitted) = (people[&refused.id_number], people[&admitted.id_number]);

        let institution = institutions::file(
            &db,
            &NewInstitution {
                category: 'S',
                body_code: "0000",
                province_code: "12",
                site_serial: "000999",
                name: "和平鉴定站",
                organisation_id: Some(inst_org_id),
            },
        )
        .await
        .unwrap();
        let session = sessions::create(
            &db,
            &NewSession {
                institution_id: institution,
                occupation_code: "6-18-01-01",
                trade: "",
                level: 4,
                standard_edition: "2018",
                theory_on: date!(2026 - 05 - 10),
                practical_on: date!(2026 - 05 - 11),
                review_on: None,
                site: "考点",
                capacity: 10,
                theory_rooms: 1,
            },
        )
        .await
        .unwrap();
        assert!(sessions::set_status(&db, session, SessionStatus::Planned, SessionStatus::Open).await.unwrap());
        for (person_id, ok) in [(p_refused, false), (p_admitted, true)] {
            applications::submit(
                &db,
                &NewApplication {
                    session_id: session,
                    person_id,
                    applied_on: date!(2026 - 04 - 01),
                    admitted: ok,
                    decision: "{}",
                    reason_zh: if ok { "符合" } else { "不符合" },
                    reason_en: if ok { "eligible" } else { "not eligible" },
                    submitted_by: "test",
                },
            )
            .await
            .unwrap();
        }

        // Refused applications to review: by the candidate's district, employer or self, or by
        // the institution's organisation or its district — nothing else.
        let refused_for = |s: Scope| {
            let db = db.clone();
            async move {
                worklist::refused_to_review(&db, &s, 10).await.unwrap().into_iter().map(|a| a.name).collect::<Vec<_>>()
            }
        };
        assert_eq!(refused_for(Scope::all()).await, ["被拒者"], "{b}");
        assert_eq!(refused_for(Scope::districts(["120116"])).await, ["被拒者"], "{b}: the candidate's district");
        assert_eq!(refused_for(Scope::districts(["120101"])).await, ["被拒者"], "{b}: the institution's district");
        assert_eq!(refused_for(Scope::organisation(employer_id)).await, ["被拒者"], "{b}: the employer");
        assert_eq!(refused_for(Scope::organisation(inst_org_id)).await, ["被拒者"], "{b}: the institution");
        assert_eq!(refused_for(Scope::person(p_refused)).await, ["被拒者"], "{b}: themself");
        assert!(refused_for(Scope::person(p_admitted)).await.is_empty(), "{b}: not another candidate");
        assert!(refused_for(Scope::districts(["120105"])).await.is_empty(), "{b}: not another district");
        assert!(refused_for(Scope::none()).await.is_empty(), "{b}");

        // Sessions: through the institution or through any applicant.
        for (scope, seen) in [
            (Scope::all(), true),
            (Scope::districts(["120101"]), true),
            (Scope::districts(["120102"]), true),
            (Scope::organisation(employer_id), true),
            (Scope::person(p_admitted), true),
            (Scope::districts(["120105"]), false),
            (Scope::organisation(999_999), false),
            (Scope::none(), false),
        ] {
            let listed = worklist::sessions(&db, &scope, 10).await.unwrap();
            assert_eq!(listed.len(), usize::from(seen), "{b}: {scope:?}");
            assert_eq!(worklist::session_in_reach(&db, &scope, session).await.unwrap(), seen, "{b}: {scope:?}");
            if let Some(s) = listed.first() {
                assert_eq!((s.applications, s.admitted, s.certificates), (2, 1, 0), "{b}");
            }
        }

        // An objection during publicity: the candidate's, not the other's.
        assert!(sessions::set_status(&db, session, SessionStatus::Open, SessionStatus::Examined).await.unwrap());
        assert!(sessions::start_publicity(&db, session, date!(2026 - 06 - 01), date!(2026 - 06 - 05)).await.unwrap());
        let application = applications::for_session(&db, session)
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.person_id == p_admitted)
            .unwrap();
        applications::lodge_objection(&db, application.id, "准考者", "成绩有误").await.unwrap();
        let objections = |s: Scope| {
            let db = db.clone();
            async move { worklist::open_objections(&db, &s, 10).await.unwrap().len() }
        };
        assert_eq!(objections(Scope::person(p_admitted)).await, 1, "{b}");
        assert_eq!(objections(Scope::organisation(inst_org_id)).await, 1, "{b}");
        assert_eq!(objections(Scope::person(p_refused)).await, 0, "{b}");
        let of_session = worklist::objections_of_session(&db, session).await.unwrap();
        assert_eq!(
            (of_session.len(), of_session[0].name.as_str(), of_session[0].status.as_str()),
            (1, "准考者", "open"),
            "{b}"
        );

        // Import runs with rejected rows; organisations by part of their name, within scope.
        let runner = imports::Runner { host: "test-host".into(), pid: 1 };
        let run = imports::start(&db, "persons", "人员.csv", &runner).await.unwrap();
        imports::finish(&db, run, 3, WriteCounts { inserted: 1, ..WriteCounts::default() }, 2).await.unwrap();
        let clean = imports::start(&db, "orgs", "单位.csv", &runner).await.unwrap();
        imports::finish(&db, clean, 1, WriteCounts { inserted: 1, ..WriteCounts::default() }, 0).await.unwrap();
        let rejected = worklist::import_runs(&db, true, 10).await.unwrap();
        assert_eq!(
            rejected.iter().map(|r| (r.file_name.as_str(), r.rejected)).collect::<Vec<_>>(),
            [("人员.csv", 2)],
            "{b}"
        );
        assert_eq!(worklist::import_runs(&db, false, 10).await.unwrap().len(), 2, "{b}");
        let named = |s: Scope, q: &'static str| {
            let db = db.clone();
            async move { worklist::organisations_named(&db, &s, q, None, None, 10).await.unwrap().len() }
        };
        assert_eq!(named(Scope::all(), "精密").await, 1, "{b}");
        assert_eq!(named(Scope::districts(["120101"]), "精密").await, 0, "{b}: outside the scope");
        assert_eq!(named(Scope::all(), "%").await, 0, "{b}: a wildcard is a character");
        assert!(worklist::person_public_id(&db, p_admitted).await.unwrap().is_some(), "{b}");
    }
}
