//! Competition pages and who may open them: an organiser sees and manages only the competitions
//! its organisation runs; the marking sheet opens to the accounts an event's judges name, shows
//! a competitor from the judge's own organisation as a conflict (回避) and refuses their marks;
//! the public results page shows nothing before publication.

use std::io::Write as _;

use gongjiang_app::Actor;
use gongjiang_app::competition::setup::{
    CompetitionInput, EventInput, JudgeInput, add_event, add_judge, create, import_entries, set_scheme_file,
};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_domain::access::{Role, Scope};
use gongjiang_store::{certificates, organisations, persons};
use serde_json::{Value, json};
use time::macros::date;

use crate::support::{Reply, Server, employer_a, employer_b, on_each_backend};
use crate::users::{Signed, sign_in, user};

#[tokio::test]
async fn organisers_manage_their_own_competitions_and_judges_mark_only_whom_they_may() {
    on_each_backend(|s| async move {
        let app = &s.app;
        let b = s.backend;
        let who = Actor::cli("test");
        let orgs = organisations::all_ids(&app.db).await.unwrap();
        let (org_a, org_b) = (orgs[&employer_a()], orgs[&employer_b()]);
        create(
            app,
            &who,
            &CompetitionInput {
                code: "C1",
                name: "和平区数控竞赛",
                tier: "district",
                organiser: "和平区人社局",
                organisation_id: Some(org_b),
                starts_on: date!(2026 - 01 - 10),
            },
        )
        .await
        .unwrap();
        let ev = EventInput {
            code: "E1",
            name: "焊工",
            occupation: "6-18-02-04",
            level_min: "1",
            level_max: "8",
            team_size: 1,
            occupation_required: false,
        };
        add_event(app, &who, "C1", &ev).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let scheme = dir.path().join("scheme.csv");
        std::fs::write(&scheme, "code,kind,description,max_mark\nM1,measurement,尺寸,10\n").unwrap();
        set_scheme_file(app, &who, "C1", "E1", &scheme).await.unwrap();
        add_judge(
            app,
            &who,
            "C1",
            "E1",
            &JudgeInput { code: "J1", name: "裁判甲", uscc: Some(&employer_a()), username: Some("judge-a") },
        )
        .await
        .unwrap();
        // Two employees of A as entrants.
        let people = persons::list(&app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        let of_a: Vec<_> =
            people.iter().filter(|p| p.employer_uscc.as_deref() == Some(employer_a().as_str())).take(2).collect();
        let entries = dir.path().join("entries.csv");
        let mut f = std::fs::File::create(&entries).unwrap();
        writeln!(f, "身份证号,组别,参赛号").unwrap();
        for (i, p) in of_a.iter().enumerate() {
            writeln!(f, "{},职工,00{}", p.id_number, i + 1).unwrap();
        }
        let sum = import_entries(app, &who, "C1", "E1", &entries, None).await.unwrap();
        assert!(sum.accepted >= 1, "[{b}] {:?}", sum.report);

        user(app, "org-a", &[Role::CompetitionOrganiser { organisation: org_a }]).await;
        user(app, "org-b", &[Role::CompetitionOrganiser { organisation: org_b }]).await;
        user(app, "judge-a", &[Role::Public]).await;
        user(app, "stranger", &[Role::Public]).await;
        let status = |r: reqwest::Response| r.status().as_u16();

        let a = sign_in(&s, "org-a").await;
        let page = a.get(&s, "/competitions/setup").send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("和平区数控竞赛"), "[{b}] another organisation's competition is not listed");
        assert_eq!(status(a.get(&s, "/competitions/C1/E1/manage").send().await.unwrap()), 404, "[{b}]");
        let ob = sign_in(&s, "org-b").await;
        let page = ob.get(&s, "/competitions/setup").send().await.unwrap().text().await.unwrap();
        assert!(page.contains("和平区数控竞赛"), "[{b}]");
        assert_eq!(status(ob.get(&s, "/competitions/C1/E1/manage").send().await.unwrap()), 200, "[{b}]");

        let stranger = sign_in(&s, "stranger").await;
        assert_eq!(status(stranger.get(&s, "/competitions/C1/E1/mark").send().await.unwrap()), 403, "[{b}]");
        let j = sign_in(&s, "judge-a").await;
        let sheet = j.get(&s, "/competitions/C1/E1/mark").send().await.unwrap().text().await.unwrap();
        assert!(sheet.contains("001 · 回避"), "[{b}] the judge's own organisation's competitor is a conflict");
        let r = j.post_form(&s, "/competitions/C1/E1/mark", &[("bib", "001"), ("s_M1", "1")]).send().await.unwrap();
        let text = r.text().await.unwrap();
        assert!(text.contains("回避：裁判与选手同属一个单位"), "[{b}] the mark is refused with its reason");

        let public = s.get_anonymous("/competitions/C1/E1").await;
        assert_eq!(public.status, 200, "[{b}]");
        assert!(public.text.contains("成绩尚未公布"), "[{b}]");
    })
    .await;
}

/// A promotion through a competition gets a certificate like any other level: issued with the
/// promotion by the institution filed for the level, signed, found by number and name with the
/// competition as its basis, its credential accepted by the verifier, its QR page and PDF
/// served; importing the result again issues no second one.
#[tokio::test(flavor = "multi_thread")]
async fn a_competition_promotion_gets_a_certificate_that_verifies_like_any_other() {
    on_each_backend(|s| async move {
        let app = &s.app;
        let b = s.backend;
        let who = Actor::cli("test");
        let filing = FileInstitution {
            category: "S",
            body_code: "0000",
            province_code: "12",
            site_serial: "000777",
            name: "天津市竞赛认定中心",
            organisation_uscc: None,
        };
        let inst = institutions::file(app, &who, &filing).await.unwrap();
        institutions::add_scope(app, &who, inst, "6-18-01-01", "技师", date!(2020 - 01 - 01), None).await.unwrap();
        // 测试人员04: a 车工 at employer A with no level.
        let people = persons::list(&app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        let p = people.iter().find(|p| p.name == "测试人员04").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("results.csv");
        std::fs::write(
            &file,
            format!(
                "竞赛名称,竞赛级别,成绩公布日期,职业代码,组别,名次,参赛人数,身份证号\n\
                 2025年海河工匠杯数控车工竞赛,市级一类,2025-06-01,6-18-01-01,职工,2,40,{}\n",
                p.id_number
            ),
        )
        .unwrap();
        let opts = ImportOptions::default();
        let sum = import::run(app, &who, Kind::CompetitionResults, &file, &opts, &|_| ()).await.unwrap();
        assert_eq!(sum.promoted, Some(1), "[{b}] {:?}", sum.rejected_rows);

        // Place 2 of a 市级一类 event (2024 table) → 技师: level code 2, the award day as issue day.
        let certs = certificates::for_person(&app.db, p.id).await.unwrap();
        assert_eq!(certs.len(), 1, "[{b}]");
        let c = &certs[0];
        assert_eq!((c.number.as_str(), c.level, c.issue_date), ("S000012000777252000001", 5, date!(2025 - 06 - 01)));
        let credential: Value =
            serde_json::from_str(c.credential.as_deref().expect("signed after the import")).unwrap();
        let narrative = credential.pointer("/credentialSubject/achievement/criteria/narrative").unwrap();
        let narrative = narrative.as_str().unwrap();
        assert!(
            narrative.starts_with("以赛代评") && narrative.contains("2025年海河工匠杯数控车工竞赛"),
            "[{b}] {narrative}"
        );

        // Public verification by number and name: valid, with its basis.
        let r = s.ok(&format!("/api/v1/certificates/verify?number={}&name={}", c.number, p.name)).await;
        assert_eq!((r["result"].as_str(), r["certificate"]["level"].as_str()), (Some("valid"), Some("二级/技师")));
        let basis = r["certificate"]["basis"].as_str().unwrap();
        assert!(basis.starts_with("以赛代评") && basis.contains("第2名（共40人）"), "[{b}] {basis}");
        // The credential verifier accepts the signed credential, status checked.
        let url = format!("{}/credentials/verify", s.base);
        let r = s.send(s.client().post(&url).json(&json!({ "verifiableCredential": credential }))).await;
        assert_eq!((r.status, &r.json["verified"]), (200, &json!(true)), "[{b}] {}", r.text);
        assert!(r.json["checks"].as_array().unwrap().contains(&json!("credentialStatus")), "[{b}] {}", r.text);
        // The Node referee (Digital Bazaar's verifier) agrees.
        if crate::verification::node_available() {
            let path = dir.path().join("credential.json");
            std::fs::write(&path, credential.to_string()).unwrap();
            let list = dir.path().join("list.json");
            std::fs::write(&list, s.ok_any("/credentials/status/revocation").await.to_string()).unwrap();
            let lines = crate::verification::referee_verify(&[&path, std::path::Path::new("--status-list"), &list]);
            assert_eq!(lines.len(), 1, "[{b}] {lines:?}");
            assert_eq!(lines[0]["valid"], true, "[{b}] {}", lines[0]);
        }
        // The QR page and the PDF.
        let page = s.get_anonymous(&format!("/v/{}", c.public_id)).await;
        assert!(page.text.contains("证书有效") && page.text.contains("认定依据"), "[{b}]");
        let pdf = s.get(&format!("/api/v1/certificates/{}/pdf", c.public_id)).await;
        assert_eq!(pdf.status, 200, "[{b}]");

        // The same file again: recorded already, no second certificate.
        let sum = import::run(app, &who, Kind::CompetitionResults, &file, &opts, &|_| ()).await.unwrap();
        assert_eq!((sum.promoted, sum.unchanged), (Some(0), 1), "[{b}]");
        assert_eq!(certificates::for_person(&app.db, p.id).await.unwrap().len(), 1, "[{b}]");
    })
    .await;
}

/// The JSON API takes an event from set-up to published results as the pages do: an organiser
/// (cookie session) creates a competition and an event, sets the scheme, a judge and two
/// entrants, reads the standings, signs off and publishes; the public lists competitions and
/// reads the results with masked names; another organisation's organiser gets 404.
#[tokio::test(flavor = "multi_thread")]
async fn the_json_api_runs_an_event_from_set_up_to_published_results() {
    on_each_backend(|s| async move {
        let app = &s.app;
        let b = s.backend;
        let orgs = organisations::all_ids(&app.db).await.unwrap();
        user(app, "org-a", &[Role::CompetitionOrganiser { organisation: orgs[&employer_a()] }]).await;
        user(app, "org-b", &[Role::CompetitionOrganiser { organisation: orgs[&employer_b()] }]).await;
        let a = sign_in(&s, "org-a").await;
        let r = post_json(&s, &a,
            "/api/v1/competitions",
            json!({"code": "API1", "name": "滨海新区车工竞赛", "tier": "区级", "organiser": "滨海精密机械有限公司", "starts_on": "2025-05-01"}),
        )
        .await;
        assert_eq!(r.status, 201, "[{b}] {}", r.text);
        assert_eq!((r.json["tier"].as_str(), r.json["tier_name"]["zh"].as_str()), (Some("district"), Some("区级")));
        let r = post_json(&s, &a,
            "/api/v1/competitions/API1/events",
            json!({"code": "T1", "name": "数控车工", "occupation": "6-18-01-01", "level_min": "1", "level_max": "8"}),
        )
        .await;
        assert_eq!((r.status, r.json["occupation_name"].is_string()), (201, true), "[{b}] {}", r.text);
        let ev = "/api/v1/competitions/API1/events/T1";
        let r = post_json(&s, &a, &format!("{ev}/scheme"), json!({"csv": "M1,measurement,尺寸,60\nM2,measurement,外观,40"})).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!(r.json["aspects"].as_array().unwrap().len(), 2, "[{b}]");
        let r = post_json(&s, &a, &format!("{ev}/judges"), json!({"code": "J1", "name": "裁判甲"})).await;
        assert_eq!(r.status, 201, "[{b}] {}", r.text);
        // Two of A's 车工 with no level (测试人员04 and 测试人员08).
        let people = persons::list(&app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        let id = |name: &str| people.iter().find(|p| p.name == name).unwrap().id_number.clone();
        let csv = format!("{},职工,001\n{},职工,002\n{},职工,003", id("测试人员04"), id("测试人员08"), "120101199001011234");
        let r = post_json(&s, &a, &format!("{ev}/entries"), json!({ "csv": csv })).await;
        assert_eq!((r.status, r.json["accepted"].as_u64(), r.json["rejected"].as_u64()), (200, Some(2), Some(1)), "[{b}] {}", r.text);
        assert_eq!(r.json["refused"][0]["line"], 4, "[{b}] {}", r.text);

        // Another organisation's organiser: the competition is not theirs.
        let other = sign_in(&s, "org-b").await;
        let r = s.send(other.get(&s, &format!("{ev}/standings"))).await;
        assert_eq!(r.status, 404, "[{b}] {}", r.text);

        // Marks (judge J1 gives 001 both aspects, 002 the first), then sign-off and standings.
        let marks = [("001", "M1", 1), ("001", "M2", 1), ("002", "M1", 1), ("002", "M2", 0)].map(|(bib, aspect, score)| {
            gongjiang_app::competition::marking::MarkInput { judge: "J1".into(), bib: bib.into(), aspect: aspect.into(), score }
        });
        gongjiang_app::competition::marking::mark(app, &Actor::cli("test"), "API1", "T1", &marks).await.unwrap();
        let r = post_json(&s, &a, &format!("{ev}/sign-off"), json!({})).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        let signed: Vec<(&str, &str)> = r.json["signed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| (x["bib"].as_str().unwrap(), x["total"].as_str().unwrap()))
            .collect();
        assert_eq!(signed, [("001", "100.00"), ("002", "60.00")], "[{b}]");
        let st = s.send(a.get(&s, &format!("{ev}/standings"))).await;
        assert_eq!(st.json["groups"][0]["rows"][0]["bib"], "001", "[{b}] {}", st.text);
        // Before publication the public sees the event and no results.
        let public = s.get_anonymous(ev).await;
        assert_eq!((public.status, public.json["groups"].as_array().map(Vec::len)), (200, Some(0)), "[{b}]");

        // Publishing: the Tianjin 2024 district row (employees, top 6) gives both 高级工, each
        // with a certificate of the institution filed for it.
        let filing = FileInstitution {
            category: "S",
            body_code: "0000",
            province_code: "12",
            site_serial: "000778",
            name: "滨海车工认定站",
            organisation_uscc: None,
        };
        let who = Actor::cli("test");
        let inst = institutions::file(app, &who, &filing).await.unwrap();
        institutions::add_scope(app, &who, inst, "6-18-01-01", "高级工", date!(2020 - 01 - 01), None).await.unwrap();
        let r = post_json(&s, &a, &format!("{ev}/publish"), json!({"on": "2025-06-01"})).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!(r.json["promoted"].as_u64(), Some(2), "[{b}] {}", r.text);
        assert_eq!(r.json["certificates"], json!(["S000012000778253000001", "S000012000778253000002"]), "[{b}]");
        assert_eq!((r.json["results"][0]["outcome"].as_str(), r.json["results"][0]["level_after"].as_u64()), (Some("promoted"), Some(4)));
        let again = post_json(&s, &a, &format!("{ev}/publish"), json!({"on": "2025-06-01"})).await;
        assert_eq!(again.status, 422, "[{b}] published already: {}", again.text);

        let list = s.get_anonymous("/api/v1/competitions").await;
        let listed = list.json["items"].as_array().unwrap().iter().find(|c| c["code"] == "API1").cloned().unwrap();
        assert_eq!(listed["events"][0]["published_on"], "2025-06-01", "[{b}]");
        let public = s.get_anonymous(ev).await;
        let rows = &public.json["groups"][0]["rows"];
        assert_eq!((rows[0]["place"].as_u64(), rows[0]["bib"].as_str()), (Some(1), Some("001")), "[{b}] {}", public.text);
        assert_eq!((rows[0]["name"].as_str(), rows[0]["total"].as_str()), (Some("测****4"), Some("100.00")), "[{b}]");
        assert!(public.json["unsigned"].as_array().unwrap().is_empty(), "[{b}]");
    })
    .await;
}

async fn post_json(s: &Server, who: &Signed, path: &str, body: Value) -> Reply {
    s.send(who.post(s, path).json(&body)).await
}
