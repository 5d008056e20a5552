//! Evaluation institutions and sessions as the API shows them.

use gongjiang_app::Actor;
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::sessions::{self, PlanSession};
use gongjiang_domain::evaluation::ExaminerRole;
use time::macros::date;

use crate::support::{employer_a, on_each_backend};

#[tokio::test]
async fn an_institution_with_its_scope_and_a_session_with_its_staffing() {
    on_each_backend(|s| async move {
        let app = &s.app;
        let a = employer_a();
        let filing = FileInstitution {
            category: "Y",
            body_code: "0000",
            province_code: "12",
            site_serial: "000123",
            name: "滨海精密机械有限公司职业技能等级认定站",
            organisation_uscc: Some(&a),
        };
        let inst = institutions::file(app, &Actor::cli("test"), &filing).await.unwrap();
        institutions::add_scope(app, &Actor::cli("test"), inst, "6-18-01-01", "高级工", date!(2025 - 01 - 01), None)
            .await
            .unwrap();
        let session = sessions::plan(
            app,
            &Actor::cli("test"),
            &PlanSession {
                institution_id: inst,
                occupation: "6-18-01-01",
                trade: "",
                level: "高级工",
                standard_edition: "2018",
                theory_on: date!(2025 - 09 - 10),
                practical_on: date!(2025 - 09 - 11),
                review_on: None,
                site: "滨海新区",
                capacity: 30,
                theory_rooms: 2,
            },
        )
        .await
        .unwrap();
        sessions::assign_examiners(app, &Actor::cli("test"), session, ExaminerRole::Invigilator, &["甲", "乙"])
            .await
            .unwrap();

        let list = s.ok("/api/v1/institutions").await;
        let item = &list.as_array().expect("array")[0];
        assert_eq!((item["category"].as_str(), item["site_serial"].as_str()), (Some("Y"), Some("000123")));
        let one = s.ok(&format!("/api/v1/institutions/{}", item["public_id"].as_str().unwrap())).await;
        assert_eq!(one["name"], "滨海精密机械有限公司职业技能等级认定站");
        assert_eq!(one["scope"][0]["level"]["name_zh"], "高级工");
        assert_eq!(one["scope"][0]["valid_from"], "2025-01-01");
        assert!(one["scope"][0]["valid_to"].is_null());

        let stored = gongjiang_store::sessions::get(&app.db, session).await.unwrap().unwrap();
        let v = s.ok(&format!("/api/v1/sessions/{}", stored.public_id)).await;
        assert_eq!((v["status"].as_str(), v["status_name"]["zh"].as_str()), (Some("planned"), Some("计划中")));
        assert_eq!(v["institution"]["site_serial"], "000123");
        assert_eq!(v["theory_on"], "2025-09-10");
        assert_eq!(v["counts"]["applied"], 0);
        // No candidates yet: 2 rooms need 4 invigilators, and the skill test its minimum of 3.
        assert_eq!(v["staffing"]["required"]["invigilators"], 4);
        assert_eq!(v["staffing"]["assigned"]["invigilators"], 2);
        let missing = v["staffing"]["missing"].as_array().expect("array");
        assert_eq!(missing.len(), 2, "{missing:?}");
        assert!(missing[0]["zh"].as_str().unwrap().starts_with("理论考试需监考人员至少 4 名"));

        let r = s.get("/api/v1/sessions/not-a-uuid").await;
        assert_eq!(r.status, 400);
        let r = s.get("/api/v1/sessions/01890a5d-ac96-774b-bcce-b302099a8057").await;
        assert_eq!(r.status, 404, "{}", r.text);
    })
    .await;
}
