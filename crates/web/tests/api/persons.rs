//! One person: masking, history, employment and the eligibility decision.

use gongjiang_domain::access::Scope;
use gongjiang_store::audit::{self, AuditFilter};
use serde_json::Value;

use crate::support::{Server, employer_a, employer_b, error_of, on_each_backend, school};

/// The public id of seeded person `k` (named 测试人员kk).
async fn public_id_of(s: &Server, k: usize) -> String {
    let name = format!("测试人员{k:02}");
    let page = s.ok(&format!("/api/v1/persons?name={name}")).await;
    page["items"][0]["public_id"].as_str().expect("public_id").to_string()
}

fn assert_masked(v: &Value) {
    let shown = v["id_number"].as_str().expect("id_number");
    assert_eq!(shown.chars().count(), 18);
    assert!(shown[4..14].chars().all(|c| c == '*'), "{shown}");
    assert!(!shown[..4].contains('*') && !shown[14..].contains('*'), "{shown}");
}

#[tokio::test]
async fn listings_never_show_whole_identity_numbers_or_internal_ids() {
    on_each_backend(|s| async move {
        let all = s.walk("/api/v1/persons?limit=500").await;
        for p in &all {
            assert_masked(p);
            assert!(p.get("id").is_none(), "internal id leaked: {p}");
            assert!(p.get("birth_date").is_none(), "the full birth date would undo the mask: {p}");
        }
        let raw = s.get("/api/v1/persons?limit=500").await.text;
        let stored = gongjiang_store::persons::list(
            &s.app.db,
            &gongjiang_domain::access::Scope::all(),
            &Default::default(),
            None,
            500,
        )
        .await
        .expect("list");
        for p in stored {
            assert!(!raw.contains(&p.id_number), "whole identity number in a response");
        }
    })
    .await;
}

#[tokio::test]
async fn a_person_with_history_and_employment() {
    on_each_backend(|s| async move {
        let id = public_id_of(&s, 0).await;
        let p = s.ok(&format!("/api/v1/persons/{id}")).await;
        // The city administrator may read personal data: the whole number, and the read audited.
        let uuid = id.parse().expect("a UUID");
        let stored = gongjiang_store::persons::by_public_id(&s.app.db, &Scope::all(), uuid).await.unwrap().unwrap();
        assert_eq!(p["id_number"], stored.id_number.as_str());
        let filter = AuditFilter {
            action: Some("person.read_personal_data".into()),
            record_id: Some(id.clone()),
            ..AuditFilter::default()
        };
        let entries = audit::search(&s.app.db, &filter, None, 10).await.unwrap();
        assert_eq!(entries.len(), 1, "one entry for one read");
        assert!(entries[0].actor.starts_with("token:") && entries[0].client_addr.as_deref() == Some("127.0.0.1"));
        assert_eq!(p["public_id"], id.as_str());
        assert_eq!(p["name"], "测试人员00");
        assert_eq!(p["district"]["name_zh"], "滨海新区");
        assert_eq!(p["occupation"]["code"], "6-18-01-01");
        assert_eq!(p["occupation"]["name_zh"], "车工");
        assert_eq!(p["employer"]["uscc"], employer_a());
        assert_eq!(p["current_level"]["rank"], 5);
        assert_eq!(p["current_level"]["name_zh"], "技师");
        assert_eq!(p["work_start"], "2005-09-01");

        let levels = p["levels"].as_array().expect("levels");
        assert_eq!(levels.len(), 2);
        assert_eq!(levels[0]["level"]["rank"], 4);
        assert_eq!(levels[0]["obtained_on"], "2015-07-01");
        assert_eq!(levels[0]["source"]["code"], "exam");
        assert_eq!(levels[0]["issuer_uscc"], school());
        assert_eq!(levels[1]["level"]["name_zh"], "技师");
        assert!(levels[1]["recorded_at"].as_str().is_some_and(|t| t.contains('T')), "RFC 3339: {}", levels[1]);

        let spells = p["employment"].as_array().expect("employment");
        assert_eq!(spells.len(), 2);
        assert_eq!(spells[0]["employer"]["uscc"], employer_a());
        assert_eq!(spells[0]["end_on"], "2016-12-31");
        assert_eq!(spells[1]["employer"]["uscc"], employer_b());
        assert_eq!(spells[1]["end_on"], Value::Null);

        // A person without levels has none, and no current level.
        let other = public_id_of(&s, 1).await;
        let q = s.ok(&format!("/api/v1/persons/{other}")).await;
        assert_eq!(q["levels"], Value::Array(vec![]));
        assert_eq!(q["current_level"], Value::Null);
    })
    .await;
}

#[tokio::test]
async fn eligibility_returns_the_engines_decision_with_reasons() {
    on_each_backend(|s| async move {
        // Person 5 has held 高级工 since 2015 in 4-04-05-01 and worked since 2005.
        let id = public_id_of(&s, 5).await;
        let d = s.ok(&format!("/api/v1/persons/{id}/eligibility?level=5&on=2025-06-30")).await;
        assert!(d["eligible"].is_boolean(), "{d}");
        assert_eq!(d["person"], id.as_str());
        assert_eq!(d["target"], 5);
        assert!(d["target_name"]["zh"].as_str().is_some_and(|n| n.contains("技师")), "{d}");
        assert_eq!(d["occupation"], "4-04-05-01");
        assert_eq!(d["occupation_name"], "计算机程序设计员");
        assert_eq!(d["on"], "2025-06-30");
        assert!(d["summary"]["zh"].is_string() && d["summary"]["en"].is_string(), "{d}");
        assert!(d.get("rule").is_some(), "{d}");
        let rules = d["rules"].as_array().expect("rules");
        assert!(!rules.is_empty(), "{d}");
        let keys = |v: &Value| {
            let mut k: Vec<&str> = v.as_object().expect("an object").keys().map(String::as_str).collect();
            k.sort_unstable();
            k.into_iter().map(str::to_string).collect::<Vec<_>>()
        };
        let is_date_or_null =
            |v: &Value| v.is_null() || v.as_str().is_some_and(|s| s.len() == 10 && &s[4..5] == "-" && &s[7..8] == "-");
        for r in rules {
            assert!(r["rule"].is_string() && r["met"].is_boolean(), "{r}");
            // The members are a contract (the engine's outcomes, serialised as they are).
            assert_eq!(
                keys(r),
                ["conditions", "met", "met_on", "needs_review", "review", "rule", "source", "text_en", "text_zh"]
            );
            assert!(is_date_or_null(&r["met_on"]), "{r}");
            for c in r["conditions"].as_array().expect("conditions") {
                assert!(
                    c["reason"]["zh"].is_string() && c["reason"]["en"].is_string(),
                    "every condition explains itself: {c}"
                );
                assert_eq!(keys(c), ["kind", "met", "met_on", "needs_review", "reason"]);
                assert!(c["kind"].is_string() && is_date_or_null(&c["met_on"]), "{c}");
            }
        }
        assert_eq!(d["eligible"], d["rule"].is_string(), "eligible exactly when a rule is met: {d}");
        // The CLI's JSON members: the edition and why, whether it rests on an inference, and the
        // reasons flat (the summary first, then the edition's).
        assert_eq!((d["edition"].as_str(), d["edition_basis"].as_str()), (Some("2023"), Some("default")), "{d}");
        assert_eq!(d["inferred"], true, "no standard on file: the default edition is an inference");
        let reasons = d["reasons"].as_array().expect("reasons");
        assert_eq!(reasons[0], d["summary"]);
        assert_eq!(reasons[1], d["edition_reason"]);
        let asked = s.ok(&format!("/api/v1/persons/{id}/eligibility?level=5&on=2025-06-30&edition=2018")).await;
        assert_eq!((asked["eligible"].as_bool(), asked["rule"].as_str()), (Some(true), Some("2018-L5-1")), "{asked}");
        assert_eq!((asked["edition_basis"].as_str(), asked["inferred"].as_bool()), (Some("requested"), Some(false)));

        // By level name, for another occupation, and on the server's today when `on` is left out.
        let named =
            s.ok(&format!("/api/v1/persons/{id}/eligibility?level=%E6%8A%80%E5%B8%88&occupation=6-18-01-01")).await;
        assert_eq!(named["target"], 5);
        assert_eq!(named["occupation"], "6-18-01-01");
        assert_eq!(named["on"], "2025-06-30");

        // 首席技师 is out of reach for a person with no levels at all.
        let none = public_id_of(&s, 1).await;
        let d = s.ok(&format!("/api/v1/persons/{none}/eligibility?level=8")).await;
        assert_eq!(d["eligible"], false, "{d}");
    })
    .await;
}

#[tokio::test]
async fn eligibility_for_a_title_bridges_from_the_levels_held() {
    on_each_backend(|s| async move {
        // Person 10: 高级工 since 2015-07-01, 技师 since 2021-07-01 → 工程师 from 2024-07-01.
        let id = public_id_of(&s, 10).await;
        let title = "%E5%B7%A5%E7%A8%8B%E5%B8%88"; // 工程师
        let d = s.ok(&format!("/api/v1/persons/{id}/eligibility?title={title}&on=2024-06-30")).await;
        assert_eq!(d["eligible"], false, "{d}");
        assert_eq!(d["earliest_eligible_on"], "2024-07-01", "{d}");
        assert_eq!(
            (d["title"].as_str(), d["series"].as_str(), d["grade"].as_str()),
            (Some("工程师"), Some("engineering"), Some("intermediate"))
        );
        assert_eq!(
            (d["edition"].as_str(), d["edition_basis"].as_str()),
            (Some("津人社局发〔2022〕26号"), Some("default"))
        );
        assert!(d["rule"].is_null(), "{d}");
        assert_eq!(d["reasons"][0], d["summary"]);
        assert_eq!(d["inferred"], false);
        let d = s.ok(&format!("/api/v1/persons/{id}/eligibility?title={title}&series=engineering&on=2024-07-01")).await;
        assert_eq!(
            (d["eligible"].as_bool(), d["rule"].as_str()),
            (Some(true), Some("bridge-engineering-intermediate")),
            "{d}"
        );
        // An unknown title or series, or a title beside a level, is a bad parameter.
        let r = s.get(&format!("/api/v1/persons/{id}/eligibility?title=%E6%80%BB%E5%B7%A5")).await;
        assert_eq!((r.status, error_of(&r)), (400, ("invalid_title".into(), Some("title".into()))));
        let r = s.get(&format!("/api/v1/persons/{id}/eligibility?title={title}&series=alchemy")).await;
        assert_eq!((r.status, error_of(&r)), (400, ("invalid_series".into(), Some("series".into()))));
        let r = s.get(&format!("/api/v1/persons/{id}/eligibility?title={title}&level=5")).await;
        assert_eq!(r.status, 400);
    })
    .await;
}

#[tokio::test]
async fn eligibility_needs_a_level_and_a_known_person() {
    on_each_backend(|s| async move {
        let id = public_id_of(&s, 5).await;
        let r = s.get(&format!("/api/v1/persons/{id}/eligibility")).await;
        assert_eq!(r.status, 400);
        assert_eq!(error_of(&r), ("invalid_level".into(), Some("level".into())));
        let r = s.get(&format!("/api/v1/persons/{id}/eligibility?level=5&edition=1999")).await;
        assert_eq!(r.status, 400);
        assert_eq!(error_of(&r), ("invalid_edition".into(), Some("edition".into())));
        let r = s.get("/api/v1/persons/0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a/eligibility?level=5").await;
        assert_eq!(r.status, 404);
        assert_eq!(error_of(&r).0, "not_found");
    })
    .await;
}

#[tokio::test]
async fn the_person_page_lists_schooling_and_titles_and_a_pathway_per_occupation() {
    on_each_backend(|s| async move {
        // Person 10: 计算机程序设计员 4-04-05-01, 高级工 since 2015-07-01, 技师 since 2021-07-01.
        let id = public_id_of(&s, 10).await;
        let person = gongjiang_store::persons::by_public_id(
            &s.app.db,
            &gongjiang_domain::access::Scope::all(),
            id.parse().unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
        let education = gongjiang_domain::records::NewEducation {
            id_number: person.id_number.clone(),
            education: gongjiang_domain::registry::Education::TechSchoolPreTechnician,
            major: "软件与信息服务".into(),
            graduated_on: Some(time::macros::date!(2008 - 07 - 01)),
            expected_graduation_on: None,
        };
        let title = gongjiang_domain::records::NewTitle {
            id_number: person.id_number.clone(),
            series: gongjiang_domain::registry::TitleSeries::Engineering,
            grade: gongjiang_domain::eligibility::TitleGrade::Intermediate,
            title: "软件工程师".into(),
            obtained_on: time::macros::date!(2018 - 05 - 01),
        };
        let mut t = gongjiang_store::tx::begin(&s.app.db).await.unwrap();
        gongjiang_store::schooling::upsert_education_in(&mut t, &[(person.id, &education)], "test").await.unwrap();
        gongjiang_store::schooling::upsert_titles_in(&mut t, &[(person.id, &title)], "test").await.unwrap();
        t.commit().await.unwrap();

        let page = s.get(&format!("/persons/{id}")).await;
        assert_eq!(page.status, 200);
        let html = page.text;
        assert!(html.contains("技师学院预备技师班 · 软件与信息服务 · 2008-07-01 毕业"), "{html}");
        assert!(html.contains("软件工程师 · 工程技术 · 中级 · 取得 2018-05-01"), "{html}");
        // The pathway in the registered occupation: 高级技师 is open (2023-L6-1, an inferred
        // rule), shown as needing review rather than a plain yes.
        assert!(html.contains("data-occupation=\"4-04-05-01"), "{html}");
        assert!(html.contains("现在可申报"), "{html}");
        assert!(html.contains("待人工核实"), "{html}");
    })
    .await;
}

/// Seeded person 7's number and two more persons with the same last four characters: one
/// registered with a Beijing number (1101…), one with another Tianjin number; both live in
/// 滨海新区, outside a 和平区 officer's reach.
async fn same_tail_as_seven(s: &Server) -> String {
    use crate::support::{date, id_number, person};
    use gongjiang_store::persons::{self, PersonWrite};
    let seven = person(7).id_number;
    let tail = seven[14..].to_string();
    let twin = |region: &str, name: &str| {
        let mut p = person(7);
        let birth = (0..400)
            .map(|d| date(1975, 1, 1) + time::Duration::days(d))
            .find(|b| id_number(region, *b, 107).ends_with(&tail))
            .expect("a birth date giving the same check character");
        p.id_number = id_number(region, birth, 107);
        p.birth_date = Some(birth);
        p.name = name.to_string();
        p.district_code = Some("120116".into());
        p.employer_uscc = None;
        p
    };
    let extra = [twin("110105", "同尾号甲"), twin("120116", "同尾号乙")];
    let writes: Vec<PersonWrite<'_>> = extra.iter().map(|p| PersonWrite { person: p, employer_id: None }).collect();
    persons::upsert_batch(&s.app.db, &writes).await.expect("persons");
    tail
}

fn names_on(page: &str) -> Vec<&str> {
    let mut names: Vec<&str> =
        ["测试人员07", "同尾号甲", "同尾号乙"].into_iter().filter(|n| page.contains(n)).collect();
    names.sort();
    names
}

/// An officer finds a person from the masked number a list shows or from the 尾号 a caller
/// gives, with the count, within their reach only; a malformed fragment is explained.
#[tokio::test(flavor = "multi_thread")]
async fn a_masked_number_or_its_last_four_finds_the_person() {
    use crate::users::{sign_in, user};
    use gongjiang_domain::access::Role;
    on_each_backend(|s| async move {
        let b = s.backend;
        let tail = same_tail_as_seven(&s).await;
        let by_tail = s.get(&format!("/persons?id_number={tail}")).await.text;
        assert_eq!(names_on(&by_tail), ["同尾号乙", "同尾号甲", "测试人员07"], "{b}");
        assert!(by_tail.contains("<span data-total>共 3 人</span>"), "{b}: {by_tail}");
        let masked = s.get(&format!("/persons?id_number=1201**********{tail}")).await.text;
        assert_eq!(names_on(&masked), ["同尾号乙", "测试人员07"], "{b}: the Beijing number begins 1101");
        assert!(masked.contains("<span data-total>共 2 人</span>"), "{b}");
        let beijing = s.get(&format!("/persons?id_number=1101%E2%80%A6{}", tail.to_lowercase())).await.text; // 1101…
        assert_eq!(names_on(&beijing), ["同尾号甲"], "{b}");
        assert!(!by_tail.contains(&person_seven_number()), "{b}: never the whole number");

        user(&s.app, "heping", &[Role::DistrictAdmin { districts: ["120101".to_string()].into() }]).await;
        let heping = sign_in(&s, "heping").await;
        let theirs = s.send(heping.get(&s, &format!("/persons?id_number={tail}"))).await.text;
        assert_eq!(names_on(&theirs), ["测试人员07"], "{b}: the twins live in 滨海新区");

        let bad = s.get("/persons?id_number=12ab").await.text;
        assert!(bad.contains("身份证号请填完整号码、前4位和后4位"), "{b}: {bad}");

        let api = s.ok(&format!("/api/v1/persons?id_tail={tail}")).await;
        assert_eq!(api["items"].as_array().expect("items").len(), 3, "{b}");
        let r = s.get("/api/v1/persons?id_tail=12").await;
        assert_eq!((r.status, error_of(&r).0), (400, "invalid_id_tail".to_string()), "{b}");
    })
    .await;
}

fn person_seven_number() -> String {
    crate::support::person(7).id_number
}
