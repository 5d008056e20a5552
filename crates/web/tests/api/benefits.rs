//! The district officer's review queue (/benefits/claims) on every backend: claims made by
//! 免申即享 appear to the officer of their district and to no other; the officer passes one
//! through review (its public notice starts), cannot approve it before the notice is over,
//! approves another whose notice has ended, and records its payment in the ledger.

use gongjiang_app::{Actor, subsidy};
use gongjiang_domain::access::{Role, Scope};
use gongjiang_domain::level::Level;
use gongjiang_domain::records::{NewInsuranceSpell, NewLevel};
use gongjiang_domain::registry::{InsuranceScheme, LevelSource};
use gongjiang_store::benefits as claims;
use gongjiang_store::insurance::{self, SpellWrite};
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::{persons, tx};
use time::macros::date;

use crate::support::{TODAY, on_each_backend};
use crate::users::{form, sign_in, user};

#[tokio::test]
async fn a_district_officer_reviews_approves_and_pays_a_claim() {
    on_each_backend(|s| async move {
        let b = s.backend;
        assert_eq!(TODAY, date!(2025 - 06 - 30), "a Monday: the notice below ends on Friday 2025-07-04");
        let all = Scope::all();
        let people = persons::list(&s.app.db, &all, &Default::default(), None, 100).await.unwrap();
        let mut in_heping = people.iter().filter(|p| p.district_code.as_deref() == Some("120101"));
        let (p1, p2) = (in_heping.next().unwrap().clone(), in_heping.next().unwrap().clone());
        // Both: unemployment insurance since 2023, a 三级 铣工 certificate of 2025-03-01.
        let spells: Vec<NewInsuranceSpell> = [&p1, &p2]
            .iter()
            .map(|p| NewInsuranceSpell {
                id_number: p.id_number.clone(),
                scheme: InsuranceScheme::Unemployment,
                starts_on: date!(2023 - 01 - 01),
                ends_on: None,
                district_code: None,
            })
            .collect();
        let certs: Vec<NewLevel> = [&p1, &p2]
            .iter()
            .map(|p| NewLevel {
                id_number: p.id_number.clone(),
                occupation_code: "6-18-01-02".into(),
                trade: String::new(),
                level: Level::new(4).unwrap(),
                obtained_on: date!(2025 - 03 - 01),
                source: LevelSource::Exam,
                certificate_no: None,
                issuer_uscc: None,
            })
            .collect();
        let ids = [p1.id, p2.id];
        let mut t = tx::begin(&s.app.db).await.unwrap();
        let writes: Vec<SpellWrite<'_>> =
            spells.iter().zip(ids).map(|(sp, id)| SpellWrite { spell: sp, person_id: id }).collect();
        insurance::upsert_batch_in(&mut t, &writes, "test").await.unwrap();
        t.commit().await.unwrap();
        let lw: Vec<LevelWrite<'_>> = certs
            .iter()
            .zip(ids)
            .map(|(l, id)| LevelWrite { revoked: None, level: l, person_id: id, issuer_id: None, recorded_by: "test" })
            .collect();
        levels::record_batch(&s.app.db, &lw).await.unwrap();
        let actor = Actor::cli("test");
        subsidy::claim(&s.app, &actor, "skill-upgrade", TODAY).await.unwrap();
        let claim_of = |person: i64| {
            let app = s.app.clone();
            async move {
                claims::claims_of(&app.db, person)
                    .await
                    .unwrap()
                    .into_iter()
                    .find(|c| c.occupation_code.as_deref() == Some("6-18-01-02"))
                    .expect("a claim")
            }
        };
        let (c1, c2) = (claim_of(p1.id).await, claim_of(p2.id).await);
        // p2's claim was reviewed on Friday 2025-06-20: its notice ended on Thursday 2025-06-26.
        subsidy::review(&s.app, &actor, &all, c2.id, true, date!(2025 - 06 - 20), "").await.unwrap();

        user(&s.app, "clerk", &[Role::DistrictAdmin { districts: ["120101".to_string()].into() }]).await;
        user(&s.app, "binhai", &[Role::DistrictAdmin { districts: ["120116".to_string()].into() }]).await;
        let clerk = sign_in(&s, "clerk").await;
        let other = sign_in(&s, "binhai").await;
        let page = s.send(clerk.get(&s, "/benefits/claims")).await;
        assert_eq!(page.status, 200, "[{b}] {}", page.text);
        for c in [&c1, &c2] {
            assert!(page.text.contains(&format!("data-claim=\"{}\"", c.id)), "[{b}] claim {} listed", c.id);
        }
        assert!(page.text.contains(&p1.name) && page.text.contains("¥2000"), "[{b}]");
        assert!(page.text.contains(&format!("data-claim=\"{}\" data-stage=\"notice\"", c2.id)), "[{b}]");
        let elsewhere = s.send(other.get(&s, "/benefits/claims")).await;
        assert!(!elsewhere.text.contains(&format!("data-claim=\"{}\"", c1.id)), "[{b}] not another district's");
        assert!(page.text.contains("<a href=\"/benefits/claims\""), "[{b}] the district's navigation offers the queue");
        // An employer's HR reviews no claims: the queue is not in their navigation.
        let a = gongjiang_store::organisations::by_uscc(&s.app.db, &all, &crate::support::employer_a()).await.unwrap();
        user(&s.app, "hr-a", &[Role::EnterpriseHr { organisation: a.unwrap().id }]).await;
        let hr = sign_in(&s, "hr-a").await;
        let home = s.send(hr.get(&s, "/")).await;
        assert!(!home.text.contains("href=\"/benefits/claims\""), "[{b}] {}", home.text);

        let post = |who: &crate::users::Signed, id: i64, pairs: &[(&str, &str)]| {
            who.post(&s, &format!("/benefits/claims/{id}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form(pairs))
        };
        let status = |id: i64| {
            let app = s.app.clone();
            async move { claims::claim(&app.db, id).await.unwrap().unwrap() }
        };
        // Another district's officer cannot touch it.
        let r = s.send(post(&other, c2.id, &[("action", "approve")])).await;
        assert!(r.status == 404 || r.status == 403, "[{b}] {} {}", r.status, r.text);
        assert_eq!(status(c2.id).await.status, "in_notice", "[{b}]");

        // p1: review passed today → notice to Friday 2025-07-04; approval must wait for it.
        s.send(post(&clerk, c1.id, &[("action", "review-approve"), ("note", "材料齐全")])).await;
        let now = status(c1.id).await;
        assert_eq!((now.status.as_str(), now.notice_ends_on), ("in_notice", Some(date!(2025 - 07 - 04))), "[{b}]");
        let r = s.send(post(&clerk, c1.id, &[("action", "approve")])).await;
        assert!(r.status >= 400, "[{b}] {} {}", r.status, r.text);
        assert!(r.text.contains("2025-07-04"), "[{b}] says until when: {}", r.text);

        // p2: approved, then paid with the payer's reference.
        s.send(post(&clerk, c2.id, &[("action", "approve"), ("note", "公示无异议")])).await;
        assert_eq!(status(c2.id).await.status, "approved", "[{b}]");
        let r = s.send(post(&clerk, c2.id, &[("action", "pay"), ("reference", "")])).await;
        assert!(r.status >= 400, "[{b}] a payment needs its reference");
        s.send(post(&clerk, c2.id, &[("action", "pay"), ("reference", "TJ-2025-0001")])).await;
        assert_eq!(status(c2.id).await.status, "paid", "[{b}]");
        let ledger: Vec<(String, String)> =
            claims::ledger(&s.app.db, c2.id).await.unwrap().into_iter().map(|e| (e.entry, e.reference)).collect();
        assert_eq!(
            ledger,
            [("due".to_string(), String::new()), ("paid".to_string(), "TJ-2025-0001".to_string())],
            "[{b}]"
        );

        // The spend report: the district's line shows the payment and what is still owed; no
        // budget is set in Tianjin's policy, and the page says so. Another district's officer
        // does not see this district's line; an employer's HR is refused.
        let spend = s.send(clerk.get(&s, "/benefits/spend?scheme=skill-upgrade&year=2025")).await;
        assert_eq!(spend.status, 200, "[{b}] {}", spend.text);
        let heping = spend.text.split("<th scope=\"row\" data-label=\"区\">和平区</th>").nth(1).expect("和平区's line");
        let cells: Vec<&str> = heping
            .split("</tr>")
            .next()
            .unwrap()
            .split("<td class=\"num\"")
            .skip(1)
            .map(|c| c.split('>').nth(1).unwrap().split('<').next().unwrap())
            .collect();
        assert_eq!(cells, ["1", "¥2,000", "—", "—", "1", "¥2,000"], "[{b}] paid 1, owed 1 (in notice)");
        assert!(spend.text.contains("data-no-budget"), "[{b}]");
        assert!(!spend.text.contains("data-recovery"), "[{b}] recovery is the city's view");
        let theirs = s.send(other.get(&s, "/benefits/spend?year=2025")).await;
        assert!(!theirs.text.contains("和平区</th>"), "[{b}] {}", theirs.text);
        assert_eq!(s.send(hr.get(&s, "/benefits/spend")).await.status, 403, "[{b}]");
        let bad = s.send(clerk.get(&s, "/benefits/spend?year=20x5")).await;
        assert!(bad.status == 400 && bad.text.contains("年份应为 2000–2100"), "[{b}] {} {}", bad.status, bad.text);
    })
    .await;
}
