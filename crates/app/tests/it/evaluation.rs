//! Skill-level evaluation end to end, on SQLite and (with TEST_PG_URL) PostgreSQL: a whole
//! session from filing the institution to revoking a certificate, concurrent issuance, and the
//! two ends of the ladder that are not certified by evaluation.

use std::collections::HashSet;
use std::path::Path;

use gongjiang_app::Actor;
use gongjiang_app::AppError;
use gongjiang_app::evaluation::applications::{self, Apply};
use gongjiang_app::evaluation::certificates::{self as cert_cases, Appoint};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::results;
use gongjiang_app::evaluation::scores;
use gongjiang_app::evaluation::sessions::{self, PlanSession};
use gongjiang_app::{candidate, kpi};
use gongjiang_domain::access::Scope;
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::evaluation::{ExaminerRole, Resolution};
use gongjiang_domain::kpi::Grouping;
use gongjiang_domain::level::Level;
use gongjiang_domain::records::{NewLevel, NewOrganisation, NewPerson};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_domain::standards::Asked;
use gongjiang_store::certificates::{self, IssueBatch, NewCertificate};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::persons::{self, PersonWrite};
use gongjiang_store::{Db, applications as app_store, organisations};
use gongjiang_testkit::TestDb;
use time::Date;
use time::macros::date;

const ORG_A: &str = "91120116MA05JXXX1A";
const ORG_B: &str = "91120104MA05JXXX2B";
const OCCUPATION: &str = "6-18-01-01";

fn id(n: u32) -> String {
    format!("12010119900101{n:04}")
}

fn person(n: u32, name: &str, work_start: Date, education: Education) -> NewPerson {
    NewPerson {
        id_type: IdType::ResidentId,
        id_number: id(n),
        id_from_15: false,
        name: name.into(),
        gender: Some("M".into()),
        birth_date: Some(date!(1990 - 01 - 01)),
        district_code: Some("120116".into()),
        employer_uscc: None,
        occupation_code: Some(OCCUPATION.into()),
        education: Some(education),
        employment_status: Some(EmploymentStatus::Employed),
        work_start: Some(work_start),
    }
}

async fn register(db: &Db, people: &[(NewPerson, &str)]) {
    let orgs = [ORG_A, ORG_B].map(|u| NewOrganisation {
        uscc: u.into(),
        name: format!("天津{}机械有限公司", &u[16..]),
        kind: OrgKind::Enterprise,
        district_code: "120116".into(),
        industry: Some("C".into()),
        chains: None,
    });
    organisations::upsert_batch(db, &orgs).await.unwrap();
    let ids = organisations::all_ids(db).await.unwrap();
    let writes: Vec<PersonWrite> =
        people.iter().map(|(p, employer)| PersonWrite { person: p, employer_id: Some(ids[*employer]) }).collect();
    persons::upsert_batch(db, &writes).await.unwrap();
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn invalid(e: AppError) -> gongjiang_domain::bilingual::Msg {
    match e {
        AppError::Invalid(m) | AppError::NotFound(m) => m,
        other => panic!("expected a refusal, got {other}"),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_session_from_filing_to_revocation() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = crate::support::open(&t).await;
        app.today_override = Some(date!(2026 - 03 - 02));
        let dir = tempfile::tempdir().unwrap();
        let senior = date!(2010 - 07 - 01);
        let mut people: Vec<(NewPerson, &str)> =
            (1..=5).map(|n| (person(n, &format!("职工{n}"), senior, Education::SeniorSecondary), ORG_A)).collect();
        people.push((person(6, "新人六", date!(2023 - 07 - 01), Education::JuniorSecondary), ORG_A));
        people.push((person(7, "派遣七", senior, Education::SeniorSecondary), ORG_B));
        people.push((person(8, "外单位八", senior, Education::SeniorSecondary), ORG_B));
        register(&app.db, &people).await;

        // Institution filed as data, with its scope; an employer-type one needs its organisation.
        let mut filing = FileInstitution {
            category: "Y",
            body_code: "0000",
            province_code: "12",
            site_serial: "000123",
            name: "天津A机械有限公司职业技能等级认定站",
            organisation_uscc: None,
        };
        let e = invalid(institutions::file(&app, &Actor::cli("test"), &filing).await.unwrap_err());
        assert!(e.zh.contains("须关联"), "{b}: {e}");
        filing.organisation_uscc = Some(ORG_A);
        let inst = institutions::file(&app, &Actor::cli("test"), &filing).await.unwrap();
        institutions::add_scope(
            &app,
            &Actor::cli("test"),
            inst,
            OCCUPATION,
            "高级工",
            date!(2025 - 01 - 01),
            Some(date!(2027 - 12 - 31)),
        )
        .await
        .unwrap();
        institutions::list_staff(&app, &Actor::cli("test"), inst, &id(7), "派遣", date!(2026 - 01 - 01), None)
            .await
            .unwrap();

        // Sessions only inside the filed scope.
        let mut plan = PlanSession {
            institution_id: inst,
            occupation: OCCUPATION,
            trade: "",
            level: "技师",
            // The session's standard decides the edition its applicants are judged under; these
            // applicants qualify by 10 years of work, a clause of the newer template.
            standard_edition: "2023",
            theory_on: date!(2026 - 04 - 10),
            practical_on: date!(2026 - 04 - 11),
            review_on: Some(date!(2026 - 04 - 12)),
            site: "天津市滨海新区某路 1 号",
            capacity: 10,
            theory_rooms: 1,
        };
        let e = invalid(sessions::plan(&app, &Actor::cli("test"), &plan).await.unwrap_err());
        assert!(e.zh.contains("备案范围不含") && e.en.contains("filed scope"), "{b}: {e}");
        plan.level = "高级工";
        plan.review_on = None;
        let s = sessions::plan(&app, &Actor::cli("test"), &plan).await.unwrap();

        // Applications: not before the session opens; then one by one and from a file.
        let one = |n: u32| Apply {
            session_id: s,
            id_number: Box::leak(id(n).into_boxed_str()),
            name: None,
            applied_on: date!(2026 - 03 - 02),
            submitted_by: "worker",
        };
        let e = invalid(applications::apply(&app, &Actor::cli("test"), &one(1)).await.unwrap_err());
        assert!(e.zh.contains("计划中"), "{b}: {e}");
        sessions::open_applications(&app, &Actor::cli("test"), s).await.unwrap();
        let first = applications::apply(&app, &Actor::cli("test"), &one(1)).await.unwrap();
        assert!(first.admitted, "{b}: {}", first.reason);
        assert_eq!(first.decision.on, date!(2026 - 03 - 02), "{b}: judged as of the application date");
        let e = invalid(applications::apply(&app, &Actor::cli("test"), &one(1)).await.unwrap_err());
        assert!(e.zh.contains("已报名"), "{b}: duplicate refused: {e}");

        let file = write(
            dir.path(),
            "apply.csv",
            &format!(
                "身份证号,姓名,职业代码,申报等级,申报日期\n\
                 {},职工2,{OCCUPATION},高级工,2026-03-03\n\
                 {},职工3,{OCCUPATION},三级,2026-03-03\n\
                 {},职工4,{OCCUPATION},高级工,2026-03-03\n\
                 {},职工5,{OCCUPATION},高级工,2026-03-03\n\
                 {},新人六,{OCCUPATION},高级工,2026-03-03\n\
                 {},派遣七,{OCCUPATION},高级工,2026-03-03\n\
                 {},外单位八,{OCCUPATION},高级工,2026-03-03\n\
                 120101199001019999,无此人,{OCCUPATION},高级工,2026-03-03\n\
                 {},职工2,{OCCUPATION},高级工,2026-13-03\n",
                id(2),
                id(3),
                id(4),
                id(5),
                id(6),
                id(7),
                id(8),
                id(2)
            ),
        );
        let report = dir.path().join("apply-errors.csv");
        let sum =
            applications::apply_file(&app, &Actor::cli("test"), inst, &file, "hr@A", Some(&report)).await.unwrap();
        assert_eq!((sum.read, sum.accepted, sum.refused, sum.rejected), (9, 5, 1, 3), "{b}: {:?}", sum.report);
        let lines: Vec<u64> = sum.report.iter().map(|r| r.line).collect();
        assert_eq!(lines, [6, 8, 9, 10], "{b}");
        let refused = &sum.report[0].errors[0];
        assert!(refused.reason.zh.contains("不符合申报"), "{b}: {}", refused.reason);
        assert!(sum.report[1].errors[0].reason.zh.contains("企业自主评价"), "{b}: {}", sum.report[1].errors[0].reason);
        assert!(sum.report[2].errors[0].reason.zh.contains("人员未登记"), "{b}");
        assert_eq!(sum.report[3].errors[0].column, "申报日期", "{b}");
        let text = std::fs::read_to_string(&report).unwrap();
        assert!(text.contains("reason_zh") && text.contains("企业自主评价"), "{b}: {text}");

        // The refused application keeps the engine's decision and may be admitted by override.
        let apps = app_store::for_session(&app.db, s).await.unwrap();
        let six = apps.iter().find(|a| a.id_number == id(6)).unwrap();
        assert_eq!(six.status, "refused");
        assert!(six.decision.contains("\"eligible\":false") && six.reason_en.contains("not"), "{b}: {}", six.decision);
        let e = invalid(
            applications::admit_by_override(&app, &Actor::cli("test"), six.id, "admin", "  ").await.unwrap_err(),
        );
        assert!(e.zh.contains("破格理由"), "{b}: {e}");
        applications::admit_by_override(&app, &Actor::cli("test"), six.id, "admin", "解决重大工艺难题，破格晋升")
            .await
            .unwrap();
        let six = app_store::get(&app.db, six.id).await.unwrap().unwrap();
        assert_eq!((six.status.as_str(), six.override_by.as_deref()), ("admitted", Some("admin")), "{b}");
        assert!(
            six.override_at.is_some() && six.override_justification.as_deref() == Some("解决重大工艺难题，破格晋升")
        );

        // Examiners against the policy's ratios: 7 candidates in 1 room need 2 invigilators, 3 examiners.
        sessions::assign_examiners(&app, &Actor::cli("test"), s, ExaminerRole::Invigilator, &["监考甲"]).await.unwrap();
        sessions::assign_examiners(
            &app,
            &Actor::cli("test"),
            s,
            ExaminerRole::Examiner,
            &["考评甲", "考评乙", "考评丙"],
        )
        .await
        .unwrap();
        let check = sessions::staffing(&app, s).await.unwrap();
        assert_eq!(check.missing.len(), 1, "{b}: {:?}", check.missing);
        assert!(check.missing[0].zh.starts_with("理论考试需监考人员至少 2 名"), "{b}: {}", check.missing[0]);
        let e = invalid(sessions::mark_examined(&app, &Actor::cli("test"), s).await.unwrap_err());
        assert!(e.zh.contains("监考人员"), "{b}: {e}");
        sessions::assign_examiners(&app, &Actor::cli("test"), s, ExaminerRole::Invigilator, &["监考乙"]).await.unwrap();
        assert!(sessions::staffing(&app, s).await.unwrap().is_ok());
        sessions::mark_examined(&app, &Actor::cli("test"), s).await.unwrap();

        // Scores in bulk; bad rows reported, good neighbours kept; 职工2 fails the skill test.
        let file = write(
            dir.path(),
            "scores.csv",
            &format!(
                "id_number,name,theory,practical\n{},职工1,85.5,90\n{},职工2,70,55\n{},职工3,101,80\n{},职工4,75,80\n\
                 {},职工5,80,\n{},新人六,61,60\n{},派遣七,90,90.5\n{},外单位八,90,90\n",
                id(1),
                id(2),
                id(3),
                id(4),
                id(5),
                id(6),
                id(7),
                id(8)
            ),
        );
        let sum = scores::enter_file(&app, &Actor::cli("test"), s, &file, "scorer", None).await.unwrap();
        assert_eq!((sum.read, sum.accepted, sum.rejected), (8, 5, 3), "{b}: {:?}", sum.report);
        let bad: Vec<(u64, &str)> = sum.report.iter().map(|r| (r.line, r.errors[0].column.as_str())).collect();
        assert_eq!(bad, [(4, "theory"), (6, "practical"), (9, "id_number")], "{b}");
        assert!(sum.report[0].errors[0].reason.zh.contains("超出范围"), "{b}");
        assert!(sum.report[1].errors[0].reason.zh.contains("缺少技能考核成绩"), "{b}");
        assert!(sum.report[2].errors[0].reason.zh.contains("未报名"), "{b}");
        let e = invalid(results::publish(&app, &Actor::cli("test"), s).await.unwrap_err());
        assert!(e.zh.contains("没有成绩"), "{b}: {e}");
        scores::enter(&app, &Actor::cli("test"), s, &id(3), ["88", "79.5", ""], "scorer").await.unwrap();
        scores::enter(&app, &Actor::cli("test"), s, &id(5), ["66", "60.0", ""], "scorer").await.unwrap();
        let apps = app_store::for_session(&app.db, s).await.unwrap();
        let one_row = apps.iter().find(|a| a.id_number == id(1)).unwrap();
        assert_eq!((one_row.theory_tenths, one_row.practical_tenths), (Some(855), Some(900)), "{b}");
        let two = apps.iter().find(|a| a.id_number == id(2)).unwrap();
        assert_eq!(two.result.as_deref(), Some("fail"), "{b}");

        // Publicity: 5 working days from Wednesday 2026-04-15 end on Tuesday 2026-04-21.
        app.today_override = Some(date!(2026 - 04 - 15));
        assert_eq!(results::publish(&app, &Actor::cli("test"), s).await.unwrap(), date!(2026 - 04 - 21), "{b}");
        let four = apps.iter().find(|a| a.id_number == id(4)).unwrap().id;
        let objection =
            results::lodge_objection(&app, &Actor::cli("test"), four, "王五", "实操考核时间不足").await.unwrap();
        let e = invalid(results::finalise(&app, &Actor::cli("test"), s, "admin").await.unwrap_err());
        assert!(e.zh.contains("公示期至 2026-04-21"), "{b}: {e}");
        app.today_override = Some(date!(2026 - 04 - 22));
        let e = invalid(results::finalise(&app, &Actor::cli("test"), s, "admin").await.unwrap_err());
        assert!(e.zh.contains("异议"), "{b}: {e}");
        assert!(
            results::lodge_objection(&app, &Actor::cli("test"), four, "赵六", "迟到的异议").await.is_err(),
            "{b}: period over"
        );
        results::resolve_objection(
            &app,
            &Actor::cli("test"),
            objection,
            Resolution::Dismissed,
            "admin",
            "经核查考核时长符合标准",
        )
        .await
        .unwrap();

        // Finalise: six certificates (职工2 failed), numbers gap-free, history updated.
        let done = results::finalise(&app, &Actor::cli("test"), s, "admin").await.unwrap();
        assert_eq!(done.issued.len(), 6, "{b}");
        let mut indexes = HashSet::new();
        for (i, c) in done.issued.iter().enumerate() {
            let CertificateNo::National22(n) = CertificateNo::parse(&c.number).unwrap() else {
                panic!("national form")
            };
            assert_eq!(
                (n.category(), n.body_code(), n.province_code(), n.site_serial(), n.issue_year(), n.level_code()),
                ("Y", "0000", "12", "000123", 2026, 3),
                "{b}: {}",
                c.number
            );
            assert_eq!(n.serial() as usize, i + 1, "{b}: serials gap-free from 1");
            assert_eq!(c.title, "职业技能等级证书");
            assert_eq!((c.trade.as_str(), c.level_text.as_str()), ("--", "三级/高级工"), "{b}");
            assert_eq!(c.institution_name, "天津A机械有限公司职业技能等级认定站");
            assert_eq!((c.id_type.as_str(), c.issue_date), ("居民身份证", date!(2026 - 04 - 22)));
            assert!(!c.occupation_name.is_empty() && c.occupation_name != OCCUPATION, "{b}: {}", c.occupation_name);
            assert_eq!((c.status.as_str(), c.credential.as_deref()), ("valid", None));
            assert!(indexes.insert(c.status_index), "{b}: status index reused");
        }
        let holders: Vec<&str> = done.issued.iter().map(|c| c.holder_name.as_str()).collect();
        assert!(!holders.contains(&"职工2") && holders.contains(&"新人六"), "{b}: {holders:?}");
        let p1 = persons::by_id_number(&app.db, &id(1)).await.unwrap().unwrap();
        assert_eq!(p1.current_level, Some(4), "{b}");
        let cert1 = done.issued.iter().find(|c| c.holder_name == "职工1").unwrap();
        let history = levels::history(&app.db, &Scope::all(), p1.id).await.unwrap();
        let row = history.iter().find(|l| l.certificate_no.as_deref() == Some(cert1.number.as_str())).unwrap();
        assert_eq!((row.level, row.source.as_str(), row.issuer_uscc.as_deref()), (4, "exam", Some(ORG_A)), "{b}");
        let found = certificates::by_public_id(&app.db, cert1.public_id).await.unwrap().unwrap();
        assert_eq!(found.number, cert1.number);
        assert_eq!(certificates::by_number(&app.db, &cert1.number).await.unwrap().unwrap().holder_name, "职工1");

        // Finalising again creates nothing new.
        let again = results::finalise(&app, &Actor::cli("test"), s, "admin").await.unwrap();
        assert!(again.already_final && again.issued.is_empty(), "{b}");
        assert_eq!(certificates::for_session(&app.db, s).await.unwrap().len(), 6, "{b}");

        // Revocation: the certificate and its level; suspension can be lifted.
        let e = invalid(
            cert_cases::revoke(&app, &Actor::cli("test"), &cert1.number, "", date!(2026 - 05 - 01)).await.unwrap_err(),
        );
        assert!(e.zh.contains("原因"), "{b}: {e}");
        cert_cases::revoke(&app, &Actor::cli("test"), &cert1.number, "以欺骗手段取得", date!(2026 - 05 - 01))
            .await
            .unwrap();
        assert!(
            cert_cases::revoke(&app, &Actor::cli("test"), &cert1.number, "again", date!(2026 - 05 - 02)).await.is_err(),
            "{b}"
        );
        let p1 = persons::by_id_number(&app.db, &id(1)).await.unwrap().unwrap();
        assert_eq!(p1.current_level, None, "{b}: the revoked level no longer counts");
        let row =
            levels::history(&app.db, &Scope::all(), p1.id).await.unwrap().into_iter().find(|l| l.level == 4).unwrap();
        assert_eq!(row.revoked_on, Some(date!(2026 - 05 - 01)), "{b}");
        let cert3 = done.issued.iter().find(|c| c.holder_name == "职工3").unwrap();
        cert_cases::suspend(&app, &Actor::cli("test"), &cert3.number, "核查中", date!(2026 - 05 - 01)).await.unwrap();
        let listed: Vec<i64> = certificates::status_list_entries(&app.db).await.unwrap().iter().map(|e| e.0).collect();
        let mut expected = vec![cert1.status_index, cert3.status_index];
        expected.sort();
        assert_eq!(listed, expected, "{b}");
        cert_cases::reinstate(&app, &Actor::cli("test"), &cert3.number, "核查无误", date!(2026 - 05 - 10))
            .await
            .unwrap();
        let listed = certificates::status_list_entries(&app.db).await.unwrap();
        assert_eq!(listed, [(cert1.status_index, "revoked".to_string())], "{b}");
        let p3 = persons::by_id_number(&app.db, &id(3)).await.unwrap().unwrap();
        assert_eq!(p3.current_level, Some(4), "{b}: suspension leaves the level");

        // Issuance, appointment and revocation kept today's KPI counts in step with the records.
        let check = gongjiang_store::kpi_counts::check(&app.db).await.unwrap();
        assert!(check.differences.is_empty() && check.stale_persons == 0, "{b}: counts drifted: {check:?}");

        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_issuance_is_gap_free() {
    const TASKS: u32 = 8;
    const EACH: u32 = 25;
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        let people: Vec<(NewPerson, &str)> = (1..=TASKS * EACH)
            .map(|n| (person(n, &format!("考生{n}"), date!(2010 - 01 - 01), Education::SeniorSecondary), ORG_A))
            .collect();
        register(&app.db, &people).await;
        let inst = institutions::file(
            &app,
            &Actor::cli("test"),
            &FileInstitution {
                category: "S",
                body_code: "0000",
                province_code: "12",
                site_serial: "000456",
                name: "天津某职业技能培训评价中心",
                organisation_uscc: None,
            },
        )
        .await
        .unwrap();
        let ids =
            persons::ids_by_id_number(&app.db, &people.iter().map(|(p, _)| p.id_number.as_str()).collect::<Vec<_>>())
                .await
                .unwrap();
        let mut tasks = Vec::new();
        for task in 0..TASKS {
            let db = app.db.clone();
            let mine: Vec<i64> = (1..=EACH).map(|k| ids[&id(task * EACH + k)]).collect();
            tasks.push(tokio::spawn(async move {
                for person_id in mine {
                    let c = NewCertificate {
                        application_id: None,
                        person_id,
                        title: "职业技能等级证书".into(),
                        holder_name: "考生".into(),
                        id_type: "居民身份证".into(),
                        occupation_code: OCCUPATION.into(),
                        occupation_name: "车工".into(),
                        trade: "--".into(),
                        history_trade: String::new(),
                        level: 4,
                        level_text: "三级/高级工".into(),
                    };
                    let batch = IssueBatch {
                        institution_id: inst,
                        session_id: None,
                        issue_date: date!(2026 - 06 - 01),
                        level_code: 3,
                        certificates: std::slice::from_ref(&c),
                        recorded_by: "test",
                    };
                    assert_eq!(certificates::issue(&db, &batch).await.unwrap().len(), 1);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let all = certificates::for_series(&app.db, inst, 2026, 3).await.unwrap();
        let serials: Vec<i32> = all.iter().map(|c| c.serial).collect();
        assert_eq!(serials, (1..=(TASKS * EACH) as i32).collect::<Vec<_>>(), "{b}: unique and gap-free");
        let numbers: HashSet<&str> = all.iter().map(|c| c.number.as_str()).collect();
        assert_eq!(numbers.len(), all.len(), "{b}");
        let mut indexes: Vec<i64> = all.iter().map(|c| c.status_index).collect();
        indexes.sort();
        assert_eq!(indexes, (0..i64::from(TASKS * EACH)).collect::<Vec<_>>(), "{b}: status indexes sequential");
        for c in &all {
            let n = CertificateNo::parse(&c.number).unwrap();
            assert_eq!(n.level_code(), Some(3));
        }
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn apprentices_are_graded_and_grand_masters_appointed() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        let people = vec![
            (person(1, "学徒一", date!(2025 - 07 - 01), Education::SeniorSecondary), ORG_A),
            (person(2, "高级技师二", date!(1995 - 07 - 01), Education::SeniorSecondary), ORG_A),
            (person(3, "技师三", date!(1995 - 07 - 01), Education::SeniorSecondary), ORG_A),
        ];
        register(&app.db, &people).await;
        cert_cases::grade_apprentice(
            &app,
            &Actor::cli("test"),
            &id(1),
            ORG_A,
            OCCUPATION,
            date!(2026 - 01 - 10),
            "hr@A",
        )
        .await
        .unwrap();
        let p1 = persons::by_id_number(&app.db, &id(1)).await.unwrap().unwrap();
        let h = levels::history(&app.db, &Scope::all(), p1.id).await.unwrap();
        assert_eq!(
            (h[0].level, h[0].source.as_str(), h[0].certificate_no.as_deref(), h[0].issuer_uscc.as_deref()),
            (1, "enterprise_evaluation", None, Some(ORG_A)),
            "{b}"
        );

        // Holders of 高级技师 may be appointed 特级技师; a 技师 may not.
        let ids = persons::ids_by_id_number(&app.db, &[id(2).as_str(), id(3).as_str()]).await.unwrap();
        let held = |n: u32, rank: u8| NewLevel {
            id_number: id(n),
            occupation_code: OCCUPATION.into(),
            trade: String::new(),
            level: Level::new(rank).unwrap(),
            obtained_on: date!(2020 - 06 - 01),
            source: LevelSource::Exam,
            certificate_no: None,
            issuer_uscc: None,
        };
        let (l2, l3) = (held(2, 6), held(3, 5));
        levels::record_batch(
            &app.db,
            &[
                LevelWrite { revoked: None, level: &l2, person_id: ids[&id(2)], issuer_id: None, recorded_by: "test" },
                LevelWrite { revoked: None, level: &l3, person_id: ids[&id(3)], issuer_id: None, recorded_by: "test" },
            ],
        )
        .await
        .unwrap();
        let appoint = |n: u32, evidence: &'static str| Appoint {
            id_number: Box::leak(id(n).into_boxed_str()),
            employer_uscc: ORG_A,
            occupation: OCCUPATION,
            level: "特级技师",
            appointed_on: date!(2026 - 03 - 01),
            term_from: date!(2026 - 03 - 01),
            term_to: date!(2029 - 02 - 28),
            evidence,
            by: "hr@A",
        };
        let e =
            invalid(cert_cases::appoint(&app, &Actor::cli("test"), &appoint(3, "津A聘〔2026〕3号")).await.unwrap_err());
        assert!(e.zh.contains("不符合"), "{b}: {e}");
        assert!(
            cert_cases::appoint(&app, &Actor::cli("test"), &appoint(2, " ")).await.is_err(),
            "{b}: evidence required"
        );
        let e = invalid(
            cert_cases::appoint(&app, &Actor::cli("test"), &Appoint { level: "高级技师", ..appoint(2, "x") })
                .await
                .unwrap_err(),
        );
        assert!(e.zh.contains("评聘"), "{b}: {e}");
        cert_cases::appoint(&app, &Actor::cli("test"), &appoint(2, "津A聘〔2026〕2号")).await.unwrap();
        let p2 = persons::by_id_number(&app.db, &id(2)).await.unwrap().unwrap();
        assert_eq!(p2.current_level, Some(7), "{b}");
        let ap = certificates::appointments_of(&app.db, p2.id).await.unwrap();
        assert_eq!(
            (ap[0].level, ap[0].term_to, ap[0].evidence.as_str()),
            (7, date!(2029 - 02 - 28), "津A聘〔2026〕2号")
        );
        let h = levels::history(&app.db, &Scope::all(), p2.id).await.unwrap();
        let top = h.iter().find(|l| l.level == 7).unwrap();
        assert_eq!((top.source.as_str(), top.certificate_no.as_deref()), ("appointment", None), "{b}");

        // The term ends on 2029-02-28 (issue 13): from 2029-03-01 the appointment no longer
        // counts, and the person counts at the examined 高级技师 again — in eligibility, the
        // pathway and the KPIs. The history keeps the row with its term.
        assert_eq!(top.revoked_on, Some(date!(2029 - 03 - 01)), "{b}");
        assert!(top.revoked_reason.as_deref().unwrap().starts_with("聘期届满（聘期 2026-03-01 至 2029-02-28）"), "{b}");
        let chief = app.policy.ladder.parse_level("首席技师").unwrap();
        let last_day =
            candidate::decide_for(&app, &p2, chief, None, date!(2029 - 02 - 28), Asked::Nothing).await.unwrap();
        assert!(last_day.eligible, "{b}: still 特级技师 on the term's last day");
        let after = candidate::decide_for(&app, &p2, chief, None, date!(2029 - 03 - 01), Asked::Nothing).await.unwrap();
        assert!(!after.eligible, "{b}: {:?}", after.reasons);
        let path = candidate::pathway_for(&app, &p2, date!(2029 - 03 - 01)).await.unwrap();
        let mine = path.iter().find(|o| o.occupation == OCCUPATION).unwrap();
        assert_eq!(mine.current.map(|l| l.rank()), Some(6), "{b}");
        let during = candidate::pathway_for(&app, &p2, date!(2027 - 01 - 01)).await.unwrap();
        assert_eq!(during.iter().find(|o| o.occupation == OCCUPATION).unwrap().current.map(|l| l.rank()), Some(7));
        let ranks = |r: &gongjiang_app::kpi::KpiReport| {
            r.rows
                .iter()
                .filter(|x| x.group == "7" || x.group == "6")
                .map(|x| (x.group.clone(), x.registry_employed))
                .collect::<Vec<_>>()
        };
        let in_term = kpi::compute(&app, Grouping::Level, date!(2027 - 01 - 01)).await.unwrap();
        let ended = kpi::compute(&app, Grouping::Level, date!(2029 - 03 - 01)).await.unwrap();
        assert_eq!(ranks(&in_term), [("7".to_string(), 1)], "{b}");
        assert_eq!(ranks(&ended), [("6".to_string(), 1)], "{b}");
        // Today (before the term ends) the registry still shows 特级技师.
        assert_eq!(p2.current_level, Some(7), "{b}");
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn technician_sessions_need_a_review_fill_up_and_objections_can_withdraw_a_result() {
    for t in TestDb::all().await {
        let b = t.backend;
        let mut app = crate::support::open(&t).await;
        app.today_override = Some(date!(2026 - 03 - 02));
        let dir = tempfile::tempdir().unwrap();
        let people: Vec<(NewPerson, &str)> = (1..=3)
            .map(|n| (person(n, &format!("技工{n}"), date!(2008 - 07 - 01), Education::SeniorSecondary), ORG_B))
            .collect();
        register(&app.db, &people).await;
        let ids = persons::ids_by_id_number(&app.db, &[id(1).as_str(), id(2).as_str(), id(3).as_str()]).await.unwrap();
        let held: Vec<NewLevel> = (1..=3)
            .map(|n| NewLevel {
                id_number: id(n),
                occupation_code: OCCUPATION.into(),
                trade: String::new(),
                level: Level::new(4).unwrap(),
                obtained_on: date!(2015 - 06 - 01),
                source: LevelSource::Exam,
                certificate_no: None,
                issuer_uscc: None,
            })
            .collect();
        let writes: Vec<LevelWrite> = held
            .iter()
            .map(|l| LevelWrite {
                revoked: None,
                level: l,
                person_id: ids[&l.id_number],
                issuer_id: None,
                recorded_by: "test",
            })
            .collect();
        levels::record_batch(&app.db, &writes).await.unwrap();

        let inst = institutions::file(
            &app,
            &Actor::cli("test"),
            &FileInstitution {
                category: "S",
                body_code: "0000",
                province_code: "12",
                site_serial: "000456",
                name: "天津某职业技能培训评价中心",
                organisation_uscc: None,
            },
        )
        .await
        .unwrap();
        institutions::add_scope(&app, &Actor::cli("test"), inst, OCCUPATION, "二级", date!(2025 - 01 - 01), None)
            .await
            .unwrap();
        let mut plan = PlanSession {
            institution_id: inst,
            occupation: OCCUPATION,
            trade: "数控车",
            level: "技师",
            standard_edition: "2018",
            theory_on: date!(2026 - 04 - 10),
            practical_on: date!(2026 - 04 - 11),
            review_on: None,
            site: "天津市河西区某路 2 号",
            capacity: 2,
            theory_rooms: 1,
        };
        let e = invalid(sessions::plan(&app, &Actor::cli("test"), &plan).await.unwrap_err());
        assert!(e.zh.contains("综合评审日期"), "{b}: {e}");
        plan.review_on = Some(date!(2026 - 04 - 12));
        let s = sessions::plan(&app, &Actor::cli("test"), &plan).await.unwrap();
        sessions::open_applications(&app, &Actor::cli("test"), s).await.unwrap();
        let apply = |n: u32| Apply {
            session_id: s,
            id_number: Box::leak(id(n).into_boxed_str()),
            name: Some(Box::leak(format!("技工{n}").into_boxed_str())),
            applied_on: date!(2026 - 03 - 02),
            submitted_by: "worker",
        };
        assert!(applications::apply(&app, &Actor::cli("test"), &apply(1)).await.unwrap().admitted, "{b}");
        assert!(applications::apply(&app, &Actor::cli("test"), &apply(2)).await.unwrap().admitted, "{b}");
        let e = invalid(applications::apply(&app, &Actor::cli("test"), &apply(3)).await.unwrap_err());
        assert!(e.zh.contains("已满") && e.en.contains("full"), "{b}: capacity enforced: {e}");

        sessions::assign_examiners(&app, &Actor::cli("test"), s, ExaminerRole::Invigilator, &["甲", "乙"])
            .await
            .unwrap();
        sessions::assign_examiners(&app, &Actor::cli("test"), s, ExaminerRole::Examiner, &["丙", "丁", "戊"])
            .await
            .unwrap();
        sessions::assign_examiners(&app, &Actor::cli("test"), s, ExaminerRole::Reviewer, &["己", "庚"]).await.unwrap();
        let check = sessions::staffing(&app, s).await.unwrap();
        assert_eq!(check.required.reviewers, 3, "{b}");
        assert!(check.missing.len() == 1 && check.missing[0].zh.contains("综合评审"), "{b}: {:?}", check.missing);
        sessions::assign_examiners(&app, &Actor::cli("test"), s, ExaminerRole::Reviewer, &["辛"]).await.unwrap();
        sessions::mark_examined(&app, &Actor::cli("test"), s).await.unwrap();

        // Scores from XLSX: the review is required at this level.
        let xlsx = dir.path().join("scores.xlsx");
        let mut w =
            gongjiang_tabular::TableWriter::create(&xlsx, &["身份证号", "理论成绩", "技能成绩", "综合评审"]).unwrap();
        w.write_row(&[id(1).as_str(), "80", "80", ""]).unwrap();
        w.write_row(&[id(2).as_str(), "80", "80", "75"]).unwrap();
        w.finish().unwrap();
        let sum = scores::enter_file(&app, &Actor::cli("test"), s, &xlsx, "scorer", None).await.unwrap();
        assert_eq!((sum.accepted, sum.rejected), (1, 1), "{b}: {:?}", sum.report);
        assert_eq!(sum.report[0].errors[0].column, "综合评审", "{b}");
        assert!(sum.report[0].errors[0].reason.zh.contains("缺少综合评审成绩"), "{b}");
        scores::enter(&app, &Actor::cli("test"), s, &id(1), ["80", "80", "90"], "scorer").await.unwrap();

        // Friday 2026-04-17 + 5 working days → Thursday 2026-04-23. An upheld objection withdraws.
        app.today_override = Some(date!(2026 - 04 - 17));
        assert_eq!(results::publish(&app, &Actor::cli("test"), s).await.unwrap(), date!(2026 - 04 - 23), "{b}");
        let apps = app_store::for_session(&app.db, s).await.unwrap();
        let two = apps.iter().find(|a| a.id_number == id(2)).unwrap().id;
        let o =
            results::lodge_objection(&app, &Actor::cli("test"), two, "匿名", "综合评审材料系他人代写").await.unwrap();
        let upheld = Resolution::Upheld { new_result: gongjiang_domain::evaluation::ResultStatus::Withdrawn };
        assert!(
            results::resolve_objection(&app, &Actor::cli("test"), o, upheld, "admin", "").await.is_err(),
            "{b}: note required"
        );
        results::resolve_objection(&app, &Actor::cli("test"), o, upheld, "admin", "经查属实，取消成绩").await.unwrap();
        assert!(
            results::resolve_objection(&app, &Actor::cli("test"), o, Resolution::Dismissed, "admin", "再次")
                .await
                .is_err(),
            "{b}"
        );
        let two = app_store::get(&app.db, two).await.unwrap().unwrap();
        assert_eq!(two.result.as_deref(), Some("withdrawn"), "{b}");

        app.today_override = Some(date!(2026 - 04 - 24));
        let done = results::finalise(&app, &Actor::cli("test"), s, "admin").await.unwrap();
        assert_eq!(done.issued.len(), 1, "{b}");
        let c = &done.issued[0];
        assert!(c.number.starts_with("S000012000456262"), "{b}: {}", c.number);
        assert_eq!((c.level_text.as_str(), c.trade.as_str(), c.holder_name.as_str()), ("二级/技师", "数控车", "技工1"));
        let p1 = persons::by_id_number(&app.db, &id(1)).await.unwrap().unwrap();
        assert_eq!(p1.current_level, Some(5), "{b}");
        app.db.close().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_failed_issue_leaves_no_certificate_and_no_gap() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        register(&app.db, &[(person(1, "考生1", date!(2010 - 01 - 01), Education::SeniorSecondary), ORG_A)]).await;
        let person_id = persons::by_id_number(&app.db, &id(1)).await.unwrap().unwrap().id;
        let inst = institutions::file(
            &app,
            &Actor::cli("test"),
            &FileInstitution {
                category: "S",
                body_code: "0000",
                province_code: "12",
                site_serial: "000789",
                name: "天津某评价中心",
                organisation_uscc: None,
            },
        )
        .await
        .unwrap();
        let cert = |person_id: i64| NewCertificate {
            application_id: None,
            person_id,
            title: "职业技能等级证书".into(),
            holder_name: "考生1".into(),
            id_type: "居民身份证".into(),
            occupation_code: OCCUPATION.into(),
            occupation_name: "车工".into(),
            trade: "--".into(),
            history_trade: String::new(),
            level: 4,
            level_text: "三级/高级工".into(),
        };
        let batch = |certs: &'static [NewCertificate]| IssueBatch {
            institution_id: inst,
            session_id: None,
            issue_date: date!(2026 - 06 - 01),
            level_code: 3,
            certificates: certs,
            recorded_by: "test",
        };
        // The second certificate names no registered person: the whole batch rolls back.
        let broken: &'static [NewCertificate] =
            Box::leak(vec![cert(person_id), cert(person_id + 1000)].into_boxed_slice());
        assert!(certificates::issue(&app.db, &batch(broken)).await.is_err(), "{b}");
        assert!(certificates::for_series(&app.db, inst, 2026, 3).await.unwrap().is_empty(), "{b}: nothing kept");
        assert!(levels::history(&app.db, &Scope::all(), person_id).await.unwrap().is_empty(), "{b}: no level kept");
        let good: &'static [NewCertificate] = Box::leak(vec![cert(person_id)].into_boxed_slice());
        let issued = certificates::issue(&app.db, &batch(good)).await.unwrap();
        assert_eq!((issued[0].serial, issued[0].status_index), (1, 0), "{b}: the rolled-back numbers are reused");
        assert_eq!(issued[0].number, "S000012000789263000001", "{b}");
        app.db.close().await;
    }
}

/// Issuance throughput against the level-history bulk path on the same rows (docs/BENCHMARKS.md).
/// `cargo test --release -p gongjiang-app --test evaluation -- --ignored --nocapture bench_`
#[tokio::test(flavor = "multi_thread")]
#[ignore]
async fn bench_issuance_against_the_level_bulk_path() {
    const N: u32 = 20_000;
    const BATCH: usize = 500;
    for t in TestDb::all().await {
        let app = crate::support::open(&t).await;
        let people: Vec<(NewPerson, &str)> = (1..=N)
            .map(|n| (person(n, &format!("考生{n}"), date!(2010 - 01 - 01), Education::SeniorSecondary), ORG_A))
            .collect();
        register(&app.db, &people).await;
        let keys: Vec<&str> = people.iter().map(|(p, _)| p.id_number.as_str()).collect();
        let ids = persons::ids_by_id_number(&app.db, &keys).await.unwrap();

        let levels: Vec<NewLevel> = people
            .iter()
            .map(|(p, _)| NewLevel {
                id_number: p.id_number.clone(),
                occupation_code: OCCUPATION.into(),
                trade: String::new(),
                level: Level::new(3).unwrap(),
                obtained_on: date!(2020 - 06 - 01),
                source: LevelSource::Exam,
                certificate_no: None,
                issuer_uscc: None,
            })
            .collect();
        let started = std::time::Instant::now();
        for chunk in levels.chunks(BATCH) {
            let writes: Vec<LevelWrite> = chunk
                .iter()
                .map(|l| LevelWrite {
                    revoked: None,
                    level: l,
                    person_id: ids[&l.id_number],
                    issuer_id: None,
                    recorded_by: "bench",
                })
                .collect();
            levels::record_batch(&app.db, &writes).await.unwrap();
        }
        let baseline = started.elapsed().as_secs_f64();

        let inst = institutions::file(
            &app,
            &Actor::cli("test"),
            &FileInstitution {
                category: "S",
                body_code: "0000",
                province_code: "12",
                site_serial: "000999",
                name: "天津某评价中心",
                organisation_uscc: None,
            },
        )
        .await
        .unwrap();
        let certs: Vec<NewCertificate> = people
            .iter()
            .map(|(p, _)| NewCertificate {
                application_id: None,
                person_id: ids[&p.id_number],
                title: "职业技能等级证书".into(),
                holder_name: p.name.clone(),
                id_type: "居民身份证".into(),
                occupation_code: OCCUPATION.into(),
                occupation_name: "车工".into(),
                trade: "--".into(),
                history_trade: String::new(),
                level: 4,
                level_text: "三级/高级工".into(),
            })
            .collect();
        let started = std::time::Instant::now();
        for chunk in certs.chunks(BATCH) {
            let batch = IssueBatch {
                institution_id: inst,
                session_id: None,
                issue_date: date!(2026 - 06 - 01),
                level_code: 3,
                certificates: chunk,
                recorded_by: "bench",
            };
            certificates::issue(&app.db, &batch).await.unwrap();
        }
        let issue = started.elapsed().as_secs_f64();
        println!(
            "{}: {N} rows in batches of {BATCH}: levels::record_batch {baseline:.2} s ({:.0} rows/s); \
             certificates::issue {issue:.2} s ({:.0} certificates/s)",
            t.backend,
            f64::from(N) / baseline,
            f64::from(N) / issue
        );
        app.db.close().await;
    }
}

/// Runs one statement of test set-up on either backend.
async fn exec(db: &Db, sql: &'static str) {
    match db {
        Db::Sqlite { write, .. } => sqlx::query(sql).execute(write).await.map(|_| ()),
        Db::Postgres(pool, _) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap();
}

/// An appointment recorded before terms were made to end (the level kept counting forever)
/// ends when the database is upgraded (migration 0028): the history gets the term's end and
/// reason, the person counts at the examined level again in the rebuilt KPI state, and the
/// recount check agrees.
#[tokio::test(flavor = "multi_thread")]
async fn appointments_recorded_before_terms_ended_end_on_upgrade() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open(&t).await;
        register(&app.db, &[(person(2, "高级技师二", date!(1995 - 07 - 01), Education::SeniorSecondary), ORG_A)]).await;
        let pid = persons::ids_by_id_number(&app.db, &[id(2).as_str()]).await.unwrap()[&id(2)];
        let held = NewLevel {
            id_number: id(2),
            occupation_code: OCCUPATION.into(),
            trade: String::new(),
            level: Level::new(6).unwrap(),
            obtained_on: date!(2015 - 06 - 01),
            source: LevelSource::Exam,
            certificate_no: None,
            issuer_uscc: None,
        };
        let w = LevelWrite { revoked: None, level: &held, person_id: pid, issuer_id: None, recorded_by: "test" };
        levels::record_batch(&app.db, &[w]).await.unwrap();
        let appoint = Appoint {
            id_number: Box::leak(id(2).into_boxed_str()),
            employer_uscc: ORG_A,
            occupation: OCCUPATION,
            level: "特级技师",
            appointed_on: date!(2020 - 03 - 01),
            term_from: date!(2020 - 03 - 01),
            term_to: date!(2023 - 02 - 28),
            evidence: "津A聘〔2020〕1号",
            by: "hr@A",
        };
        cert_cases::appoint(&app, &Actor::cli("test"), &appoint).await.unwrap();
        // As the code before the change left it: no end on the history row, the KPI state
        // counting the appointment today, made by state version 3.
        exec(&app.db, "UPDATE skill_levels SET revoked_on = NULL, revoked_reason = NULL WHERE source = 'appointment'")
            .await;
        kpi::recount(&app).await.unwrap();
        assert_eq!(persons::by_id_number(&app.db, &id(2)).await.unwrap().unwrap().current_level, Some(7), "{b}");
        exec(&app.db, "DELETE FROM schema_migrations WHERE version = 28").await;
        exec(&app.db, "UPDATE kpi_clock SET state_version = 3").await;
        app.db.close().await;

        let app = crate::support::open(&t).await;
        let p = persons::by_id_number(&app.db, &id(2)).await.unwrap().unwrap();
        assert_eq!(p.current_level, Some(6), "{b}: counts at the examined 高级技师 again");
        let h = levels::history(&app.db, &Scope::all(), p.id).await.unwrap();
        let top = h.iter().find(|l| l.level == 7).unwrap();
        assert_eq!(top.revoked_on, Some(date!(2023 - 03 - 01)), "{b}");
        assert_eq!(
            top.revoked_reason.as_deref(),
            Some("聘期届满（聘期 2020-03-01 至 2023-02-28）/ term ended (2020-03-01 – 2023-02-28)"),
            "{b}: the same words as an appointment recorded today"
        );
        let c = kpi::recount_check(&app, &[]).await.unwrap();
        assert!(c.differences.is_empty() && c.stale_persons == 0, "{b}: {:?}", c.differences);
        app.db.close().await;
    }
}
