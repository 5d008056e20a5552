//! Competition pages and who may open them: an organiser sees and manages only the competitions
//! its organisation runs; the marking sheet opens to the accounts an event's judges name, shows
//! a competitor from the judge's own organisation as a conflict (回避) and refuses their marks;
//! the public results page shows nothing before publication.

use std::io::Write as _;

use gongjiang_app::Actor;
use gongjiang_app::competition::setup::{
    CompetitionInput, EventInput, JudgeInput, add_event, add_judge, create, import_entries, set_scheme_file,
};
use gongjiang_domain::access::{Role, Scope};
use gongjiang_store::{organisations, persons};
use time::macros::date;

use crate::support::{employer_a, employer_b, on_each_backend};
use crate::users::{sign_in, user};

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
