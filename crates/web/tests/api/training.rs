//! Training programmes in the browser: a provider creates a programme through the programmes
//! import's checks and enrols a learner through the enrolments import's; anyone finds it by
//! occupation and level; the learner's page lists it as the way to their next level.

use gongjiang_domain::access::{Role, Scope};
use gongjiang_store::{organisations, persons};

use crate::support::{on_each_backend, school};
use crate::users::{sign_in, user};

#[tokio::test]
async fn a_provider_creates_a_programme_enrols_a_learner_and_the_learner_sees_it_on_their_page() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let school_id = organisations::by_uscc(&s.app.db, &Scope::all(), &school()).await.unwrap().unwrap().id;
        user(&s.app, "school1", &[Role::TrainingProvider { organisation: school_id }]).await;
        let t = sign_in(&s, "school1").await;
        let form = t.get(&s, "/programmes/new").send().await.unwrap().text().await.unwrap();
        assert!(form.contains("天津市第一技师学院"), "[{b}] the provider picks its own organisation: {form}");

        let programme = |code: &'static str, capacity: &'static str, ends: &'static str| {
            vec![
                ("code", code),
                ("name", "车工初级工培训班"),
                ("occupation", "6-18-01-01"),
                ("level", "2"),
                ("mode", "blended"),
                ("hours", "120"),
                ("starts_on", "2025-07-01"),
                ("ends_on", ends),
                ("capacity", capacity),
            ]
        };
        let with_provider = |mut v: Vec<(&'static str, &'static str)>, uscc: &'static str| {
            v.push(("provider_uscc", uscc));
            v
        };
        let uscc: &'static str = Box::leak(school().into_boxed_str());
        // Ending before it starts: refused with the import's reason beside the field.
        let bad = with_provider(programme("CG-2025-01", "1", "2025-06-01"), uscc);
        let text = t.post_form(&s, "/programmes/new", &bad).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("role=\"alert\"") && text.contains("ends_on"), "[{b}] {text}");
        // Another organisation's programme is not the provider's to create.
        let other = with_provider(
            programme("CG-2025-01", "1", "2025-12-31"),
            Box::leak(crate::support::employer_a().into_boxed_str()),
        );
        let text = t.post_form(&s, "/programmes/new", &other).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("请选择本单位"), "[{b}] {text}");
        let good = with_provider(programme("CG-2025-01", "1", "2025-12-31"), uscc);
        let r = t.post_form(&s, "/programmes/new", &good).send().await.unwrap();
        assert_eq!(r.url().path(), "/programmes/CG-2025-01", "[{b}]");
        let page = r.text().await.unwrap();
        assert!(page.contains("id=\"enrol-form\"") && page.contains("0 / 1"), "[{b}] {page}");

        // 测试人员04 and 测试人员08: 车工 (6-18-01-01) without a level.
        let all = persons::list(&s.app.db, &Scope::all(), &Default::default(), None, 100).await.unwrap();
        let find = |name: &str| all.iter().find(|p| p.name == name).expect(name).clone();
        let (p04, p08) = (find("测试人员04"), find("测试人员08"));
        let enrol = |number: String, account: &str| {
            vec![
                ("id_number".to_string(), number),
                ("learner_id".into(), account.to_string()),
                ("enrolled_on".into(), "2025-06-30".into()),
            ]
        };
        let post = |pairs: Vec<(String, String)>| {
            let refs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            t.post_form(&s, "/programmes/CG-2025-01/enrolments", &refs)
        };
        let text = post(enrol(p04.id_number.clone(), "stu-1")).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("已报名") && text.contains("1 / 1") && text.contains(&p04.name), "[{b}] {text}");
        assert!(!text.contains(&p04.id_number), "[{b}] the number is masked");
        // The one place is taken: the next learner is refused for capacity, with the reason.
        let text = post(enrol(p08.id_number.clone(), "stu-2")).send().await.unwrap().text().await.unwrap();
        assert!(text.contains("role=\"alert\"") && text.contains("人数"), "[{b}] {text}");

        // Anyone finds it by occupation and level; a mode it is not is filtered out.
        let public =
            s.client().get(format!("{}/programmes?occupation=6-18-01-01&level=2", s.base)).send().await.unwrap();
        let public = public.text().await.unwrap();
        assert!(public.contains("data-programme=\"CG-2025-01\"") && !public.contains("enrol-form"), "[{b}] {public}");
        assert!(public.contains("<span data-total>共 1 条</span>"), "[{b}] the list's total");
        assert!(
            public.contains("/programmes?occupation=6-18-01-01&#38;level=2&#38;size=50"),
            "[{b}] sizes keep the filters"
        );
        let online =
            s.client().get(format!("{}/programmes?mode=online", s.base)).send().await.unwrap().text().await.unwrap();
        assert!(!online.contains("CG-2025-01"), "[{b}]");

        // 测试人员04 (a 车工 with no level) aims at 初级工 there: the programme is on their page;
        // 测试人员20 (a 车工 holding 技师) aims at 高级技师: it is not.
        let p20 = find("测试人员20");
        let c04 = s.get(&format!("/persons/{}/programmes", p04.public_id)).await.text;
        assert!(c04.contains("data-programme=\"CG-2025-01\"") && c04.contains("初级工"), "[{b}] {c04}");
        let c20 = s.get(&format!("/persons/{}/programmes", p20.public_id)).await.text;
        assert!(c20.contains("高级技师") && !c20.contains("CG-2025-01"), "[{b}] {c20}");
    })
    .await;
}
