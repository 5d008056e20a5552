//! Benefits from the record on every backend, expectations derived by hand from the shipped
//! policy on 2026-03-02: a person's skill-upgrade and haihe-talent decisions; the city-wide
//! list of who is entitled (insurance 11 vs 12 months, a certificate 12 months old vs 13, the
//! fourth certificate of a year, the same occupation and level twice); claims made once however
//! often the run is repeated, each with its ledger entry or neither; the workflow (review,
//! public notice with an objection, approval, payment); a paid certificate no longer listed;
//! a revocation after payment flagging the claim for recovery.

use std::path::Path;

use gongjiang_app::import::{self, ImportOptions, Kind};
use gongjiang_app::subsidy::{self, Entitled};
use gongjiang_app::{Actor, App, benefits};
use gongjiang_domain::access::Scope;
use gongjiang_store::benefits::{self as store, ClaimFilter, NewClaim};
use gongjiang_store::{levels, persons, tx};
use gongjiang_testkit::TestDb;
use time::macros::date;

use crate::insurance::{A, B, C, D, registry};

/// Two occupations' 高级工 in one year (E), on top of A–D.
const E: &str = "120105198803155016";
const ON: time::Date = date!(2026 - 03 - 02);

async fn run(app: &App, kind: Kind, path: &Path) {
    let s = import::run(app, &Actor::cli("test"), kind, path, &ImportOptions::default(), &|_| ()).await.unwrap();
    assert_eq!(s.rejected, 0, "{kind:?}: {:?}", s.rejected_rows.first());
}

async fn city(app: &App, dir: &Path) {
    registry(app, dir).await;
    let more = dir.join("more.csv");
    std::fs::write(&more, format!("身份证号,姓名,所在区,就业状态\n{E},钱五,南开区,在职\n")).unwrap();
    run(app, Kind::Persons, &more).await;
    let ins = dir.join("insurance.csv");
    std::fs::write(
        &ins,
        format!(
            "身份证号,险种,起始日期,截止日期\n\
             {A},失业保险,2025-01-01,2025-12-31\n\
             {B},失业保险,2025-02-01,2025-12-31\n\
             {C},失业保险,2024-01-01,\n\
             {D},失业保险,2023-01,\n\
             {E},失业保险,2020-07-01,\n"
        ),
    )
    .unwrap();
    run(app, Kind::Insurance, &ins).await;
    let lv = dir.join("levels.csv");
    std::fs::write(
        &lv,
        format!(
            "身份证号,职业代码,技能等级,取得日期,工种\n\
             {A},6-18-01-01,三级,2025-03-02,\n\
             {B},6-18-01-01,四级,2025-06-01,\n\
             {C},6-18-01-01,三级,2025-02-02,\n\
             {D},6-18-01-01,五级,2025-06-01,\n\
             {D},6-18-01-02,五级,2025-09-01,\n\
             {D},6-18-01-03,四级,2025-12-01,\n\
             {D},6-18-01-04,五级,2026-02-01,\n\
             {E},6-18-01-01,三级,2025-06-01,\n\
             {E},6-18-01-01,三级,2025-10-01,数控车\n"
        ),
    )
    .unwrap();
    run(app, Kind::Levels, &lv).await;
}

async fn entitled(app: &App) -> Vec<(String, String, u8, time::Date, u32)> {
    let mut all: Vec<Entitled> = Vec::new();
    let s = subsidy::eligible(app, "skill-upgrade", ON, &mut |page| {
        all.extend_from_slice(page);
        Ok(())
    })
    .await
    .unwrap();
    assert_eq!(s.entitled as usize, all.len());
    let mut v: Vec<_> =
        all.into_iter().map(|e| (e.id_number, e.occupation, e.level, e.obtained_on, e.amount)).collect();
    v.sort();
    v
}

async fn claim_of(app: &App, id: &str, occupation: &str) -> store::ClaimRow {
    let p = persons::by_id_number(&app.db, id).await.unwrap().unwrap();
    let claims = store::claims_of(&app.db, p.id).await.unwrap();
    claims.into_iter().find(|c| c.occupation_code.as_deref() == Some(occupation)).expect("a claim")
}

#[tokio::test(flavor = "multi_thread")]
async fn skill_upgrade_found_claimed_once_reviewed_paid_and_recovered() {
    for t in TestDb::all().await {
        let b = t.backend;
        let app = crate::support::open_on(&t, ON).await;
        let dir = tempfile::tempdir().unwrap();
        city(&app, dir.path()).await;
        let actor = Actor::cli("test");
        let all = Scope::all();

        // One person's view: A is entitled to ¥2000 for the 三级 certificate of 12 months ago;
        // haihe-talent: at 36 A is over every age cap A's level allows — no, whatever A's
        // education.
        let r = benefits::for_id_number(&app, A, ON).await.unwrap();
        let json = serde_json::to_value(&r).unwrap();
        let su = &json["schemes"][0];
        assert_eq!(
            (su["scheme"].as_str(), su["eligible"].as_bool(), su["amount"].as_u64()),
            (Some("skill-upgrade"), Some(true), Some(2000)),
            "{b}: {su}"
        );
        assert_eq!(su["inferred"], true, "{b}: the scheme's continuation after 2024 is inferred");
        assert!(su["reasons"][0]["zh"].as_str().unwrap().contains("2000"), "{b}");
        let ht = &json["schemes"][1];
        assert_eq!((ht["scheme"].as_str(), ht["eligible"].as_bool()), (Some("haihe-talent"), Some(false)), "{b}");
        assert_eq!(ht["missing"], serde_json::json!([]), "{b}");
        // B, 30, holding 四级: the 高职 route for those up to 30 turns on B's education, which is
        // not on record — said so, not guessed.
        let bt = &benefits::for_id_number(&app, B, ON).await.unwrap().schemes[1];
        assert_eq!((bt.eligible, bt.missing.as_slice()), (false, &["education".to_string()][..]), "{b}");
        assert_eq!(r.person.id_number, A, "{b}");

        // B: 11 months of insurance. C: certificate 13 months old. D: the three earliest of
        // four certificates (¥1000 + ¥1000 + ¥1500). E: 三级 车工 twice — the earlier only.
        let want = {
            let mut v = vec![
                (A.to_string(), "6-18-01-01".to_string(), 4, date!(2025 - 03 - 02), 2000),
                (D.to_string(), "6-18-01-01".to_string(), 2, date!(2025 - 06 - 01), 1000),
                (D.to_string(), "6-18-01-02".to_string(), 2, date!(2025 - 09 - 01), 1000),
                (D.to_string(), "6-18-01-03".to_string(), 3, date!(2025 - 12 - 01), 1500),
                (E.to_string(), "6-18-01-01".to_string(), 4, date!(2025 - 06 - 01), 2000),
            ];
            v.sort();
            v
        };
        assert_eq!(entitled(&app).await, want, "{b}");
        let bd = benefits::for_id_number(&app, B, ON).await.unwrap();
        assert!(bd.schemes[0].reasons[0].zh.contains("11 个月"), "{b}: {:?}", bd.schemes[0].reasons[0]);

        // A crash between the claim and its ledger entry: the transaction leaves neither.
        let a = persons::by_id_number(&app.db, A).await.unwrap().unwrap();
        let a_level = store::levels_of(&app.db, a.id).await.unwrap()[0].id;
        let mut t0 = tx::begin(&app.db).await.unwrap();
        let c = NewClaim {
            person_id: a.id,
            scheme: "skill-upgrade",
            skill_level_id: Some(a_level),
            occupation_code: Some("6-18-01-01"),
            level: Some(4),
            obtained_on: Some(date!(2025 - 03 - 02)),
            amount_fen: 200_000,
            claimed_on: ON,
            route: "automatic",
            district_code: None,
            review_due_on: None,
            policy_version: "test",
            inferred: true,
            explanation_zh: "x",
            explanation_en: "x",
        };
        assert!(store::insert_claim_in(&mut t0, &c, "test").await.unwrap().is_some());
        drop(t0);
        assert_eq!(store::totals(&app.db, "skill-upgrade").await.unwrap(), (0, 0), "{b}: rolled back, both");

        // 免申即享: five claims, each with its `due` entry; the same run again makes none.
        let s = subsidy::claim(&app, &actor, "skill-upgrade", ON).await.unwrap();
        assert_eq!((s.entitled, s.claims_created, s.amount), (5, 5, 7500), "{b}");
        let again = subsidy::claim(&app, &actor, "skill-upgrade", ON).await.unwrap();
        assert_eq!((again.entitled, again.claims_created), (0, 0), "{b}: claimed already");
        assert_eq!(store::totals(&app.db, "skill-upgrade").await.unwrap(), (5, 5), "{b}");
        assert!(entitled(&app).await.is_empty(), "{b}: a claimed certificate is not listed again");

        // A's claim: review (Monday 2026-03-02) → notice to Friday 2026-03-06; an objection.
        let ca = claim_of(&app, A, "6-18-01-01").await;
        assert_eq!(
            (ca.status.as_str(), ca.amount_fen, ca.review_due_on),
            ("in_review", 200_000, Some(date!(2026 - 03 - 10))),
            "{b}: 7 working days"
        );
        subsidy::review(&app, &actor, &all, ca.id, true, ON, "材料齐全").await.unwrap();
        let ca = store::claim(&app.db, ca.id).await.unwrap().unwrap();
        assert_eq!((ca.status.as_str(), ca.notice_ends_on), ("in_notice", Some(date!(2026 - 03 - 06))), "{b}");
        let objection =
            subsidy::object(&app, &actor, &all, ca.id, date!(2026 - 03 - 04), "李某", "证书存疑").await.unwrap();
        assert!(
            subsidy::approve(&app, &actor, &all, ca.id, date!(2026 - 03 - 09), "").await.is_err(),
            "{b}: objection open"
        );
        subsidy::resolve_objection(&app, &actor, &all, objection, false, date!(2026 - 03 - 05), "证书经核验真实")
            .await
            .unwrap();
        assert!(
            subsidy::approve(&app, &actor, &all, ca.id, date!(2026 - 03 - 06), "").await.is_err(),
            "{b}: notice not over"
        );
        assert!(
            subsidy::pay(&app, &actor, &all, ca.id, date!(2026 - 03 - 09), "X").await.is_err(),
            "{b}: not approved"
        );
        subsidy::approve(&app, &actor, &all, ca.id, date!(2026 - 03 - 09), "公示无异议").await.unwrap();
        subsidy::pay(&app, &actor, &all, ca.id, date!(2026 - 03 - 10), "TJ-PAY-0001").await.unwrap();
        let entries: Vec<(String, i64)> =
            store::ledger(&app.db, ca.id).await.unwrap().into_iter().map(|l| (l.entry, l.amount_fen)).collect();
        assert_eq!(entries, [("due".to_string(), 200_000), ("paid".to_string(), 200_000)], "{b}");
        assert!(
            subsidy::pay(&app, &actor, &all, ca.id, date!(2026 - 03 - 11), "again").await.is_err(),
            "{b}: paid once"
        );
        let after = benefits::for_id_number(&app, A, date!(2026 - 03 - 10)).await.unwrap();
        assert!(!after.schemes[0].eligible, "{b}: paid, so not entitled again");
        assert_eq!(after.schemes[0].certificates[0].claim_status.as_deref(), Some("paid"), "{b}");

        // E's claim: an objection upheld rejects it; the certificate is not listed again.
        let ce = claim_of(&app, E, "6-18-01-01").await;
        subsidy::review(&app, &actor, &all, ce.id, true, ON, "").await.unwrap();
        let o =
            subsidy::object(&app, &actor, &all, ce.id, date!(2026 - 03 - 03), "单位", "已在外省领取").await.unwrap();
        subsidy::resolve_objection(&app, &actor, &all, o, true, date!(2026 - 03 - 05), "核实属实").await.unwrap();
        assert_eq!(store::claim(&app.db, ce.id).await.unwrap().unwrap().status, "rejected", "{b}");
        assert!(entitled(&app).await.is_empty(), "{b}");

        // A's certificate revoked after payment: the claim is flagged for recovery; D's claim
        // in review on a revoked certificate is withdrawn.
        levels::revoke(&app.db, a_level, date!(2026 - 04 - 01), "证书造假").await.unwrap();
        let ca = store::claim(&app.db, ca.id).await.unwrap().unwrap();
        assert_eq!(
            (ca.recovery_due_on, ca.recovery_reason.as_deref()),
            (Some(date!(2026 - 04 - 01)), Some("证书造假")),
            "{b}"
        );
        let due =
            store::list(&app.db, &ClaimFilter { recovery_due: true, ..ClaimFilter::default() }, 10).await.unwrap();
        assert_eq!(due.iter().map(|c| c.id).collect::<Vec<_>>(), [ca.id], "{b}");
        let d = persons::by_id_number(&app.db, D).await.unwrap().unwrap();
        let d_first = store::levels_of(&app.db, d.id).await.unwrap()[0].id;
        levels::revoke(&app.db, d_first, date!(2026 - 04 - 01), "撤销").await.unwrap();
        assert_eq!(claim_of(&app, D, "6-18-01-01").await.status, "withdrawn", "{b}");
        let revoked = benefits::for_id_number(&app, A, date!(2026 - 04 - 02)).await.unwrap();
        let kinds: Vec<&str> =
            revoked.schemes[0].certificates[0].conditions.iter().filter(|c| !c.met).map(|c| c.kind).collect();
        assert_eq!(kinds, ["not_revoked", "claim_window", "not_claimed"], "{b}");

        // The bureau's view: ¥2000 paid in 和平区 in March 2026, to be recovered; D's other two
        // claims (¥1000 + ¥1500) owed; D's first withdrawn and E's rejected count nowhere.
        let spend = subsidy::spend(&app, "skill-upgrade", None).await.unwrap();
        let paid: Vec<(&str, &str, u64, u64)> =
            spend.paid.iter().map(|r| (r.district.as_str(), r.month.as_str(), r.claims, r.paid)).collect();
        assert_eq!(paid, [("120101", "2026-03", 1, 2000)], "{b}");
        assert_eq!(spend.paid[0].district_name, "和平区", "{b}");
        assert_eq!((spend.owed_claims, spend.owed, spend.recovery_claims, spend.recovery), (2, 2500, 1, 2000), "{b}");

        // Against budgets (a policy that sets them): 和平区 paid ¥2000 of its ¥8000 in 2026; D's
        // ¥2500 owed is in D's district; the city's budget is the total; in 2025 nothing was paid.
        let with_budgets = gongjiang_domain::policy::TIANJIN_TOML.to_string()
            + "\n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\nyuan = 100000\nsource = \"测试\"\n\
               \n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\ndistrict = \"120101\"\nyuan = 8000\nsource = \"测试\"\n";
        let mut budgeted = app.clone();
        budgeted.policy = std::sync::Arc::new(
            gongjiang_domain::policy::Policy::from_toml_str(&with_budgets, "budgets.toml").unwrap(),
        );
        let y = subsidy::spend(&budgeted, "skill-upgrade", Some(2026)).await.unwrap();
        let heping = y.districts.iter().find(|d| d.district == "120101").unwrap();
        assert_eq!(
            (heping.paid_claims, heping.paid, heping.owed_claims, heping.owed, heping.budget),
            (1, 2000, 0, 0, Some(8000)),
            "{b}"
        );
        let owed: Vec<(u64, u64)> =
            y.districts.iter().filter(|d| d.owed > 0).map(|d| (d.owed_claims, d.owed)).collect();
        assert_eq!(owed, [(2, 2500)], "{b}: D's two claims, in one district");
        assert_eq!(y.budget, Some(100_000), "{b}");
        let earlier = subsidy::spend(&budgeted, "skill-upgrade", Some(2025)).await.unwrap();
        assert!(
            earlier.districts.iter().all(|d| d.paid == 0 && d.budget.is_none()),
            "{b}: nothing paid or set in 2025"
        );

        // A's copy of their data holds the spell and the claim, with its recovery flag.
        let copy = gongjiang_app::personal_data::export(&app, &actor, &Scope::all(), a.id).await.unwrap();
        assert_eq!(copy.insurance.len(), 1, "{b}");
        let claims: Vec<(&str, Option<time::Date>)> =
            copy.benefit_claims.iter().map(|c| (c.status.as_str(), c.recovery_due_on)).collect();
        assert_eq!(claims, [("paid", Some(date!(2026 - 04 - 01)))], "{b}");
    }
}
