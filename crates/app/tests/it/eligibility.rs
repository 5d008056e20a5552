//! The city-wide eligibility run and the one-person decision read the registry differently
//! (pages of raw facts vs. one person's record); they must agree person by person.

use gongjiang_app::candidate;
use gongjiang_domain::access::Scope;
use gongjiang_store::persons::{self, PersonFilter};
use gongjiang_testkit::TestDb;
use time::macros::date;

#[tokio::test(flavor = "multi_thread")]
async fn city_wide_counts_equal_the_sum_of_individual_decisions() {
    for t in TestDb::all().await {
        let mut app = crate::support::open(&t).await;
        app.today_override = Some(date!(2026 - 11 - 25));
        gongjiang_demo::load(&app, 600, 11, &|_| ()).await.unwrap();
        let on = date!(2026 - 11 - 25);
        for rank in [3u8, 4, 5] {
            let target = gongjiang_domain::level::Level::new(rank).unwrap();
            let city = candidate::city_wide(&app, target, on, &|_| ()).await.unwrap();
            let (mut evaluated, mut eligible) = (0u64, 0u64);
            let mut after = None;
            loop {
                let page = persons::list(&app.db, &Scope::all(), &PersonFilter::default(), after, 200).await.unwrap();
                let Some(last) = page.last() else { break };
                after = Some(last.id);
                for p in &page {
                    if p.birth_date.is_none() || p.occupation_code.is_none() {
                        continue;
                    }
                    let history = gongjiang_store::levels::history(&app.db, &Scope::all(), p.id).await.unwrap();
                    let occupation = p.occupation_code.as_deref().unwrap();
                    if history
                        .iter()
                        .any(|l| l.occupation_code == occupation && l.level >= i16::from(rank) && l.obtained_on <= on)
                    {
                        continue;
                    }
                    evaluated += 1;
                    let d =
                        candidate::decide_for(&app, p, target, None, on, gongjiang_domain::standards::Asked::Nothing)
                            .await
                            .unwrap();
                    eligible += u64::from(d.eligible);
                }
            }
            assert_eq!((city.evaluated, city.eligible), (evaluated, eligible), "{} rank {rank}", t.backend);
            assert!(eligible > 0 && eligible < evaluated, "{} rank {rank}: a test that can tell", t.backend);
            assert_eq!(city.by_district.iter().map(|d| d.eligible).sum::<u64>(), city.eligible);
        }
        app.db.close().await;
    }
}
