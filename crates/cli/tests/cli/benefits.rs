//! `gongjiang import insurance`, `gongjiang benefits` and `gongjiang subsidy` as a user runs
//! them: the JSON keys the issue names, the streamed list of who is entitled, claims made once
//! however often `subsidy claim` runs, and the payment workflow to the ledger.

use gongjiang_testkit::TestDb;

use super::{gongjiang, json, stdout};

const A: &str = "12010119900101101X";
const B: &str = "120102199505052022";

fn ok(o: &std::process::Output) {
    assert!(o.status.success(), "{}{}", stdout(o), String::from_utf8_lossy(&o.stderr));
}

#[test]
fn benefits_and_subsidies_from_the_command_line() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_owned()
    };
    let persons = file("persons.csv", format!("身份证号,姓名,所在区,学历\n{A},张一,和平区,大专\n{B},李二,河东区,\n"));
    ok(&gongjiang(&t.url, &["import", "persons", &persons]));
    // A: 12 months of unemployment insurance; B: 11.
    let ins = file(
        "参保.csv",
        format!("身份证号,险种,起始日期,截止日期\n{A},失业保险,2025-01,2025-12\n{B},失业保险,2025-02,2025-12\n"),
    );
    let o = gongjiang(&t.url, &["import", "insurance", &ins, "--format", "json"]);
    ok(&o);
    assert_eq!(json(&o)["inserted"].as_u64(), Some(2));
    let lv = file(
        "levels.csv",
        format!(
            "身份证号,职业代码,技能等级,取得日期\n{A},6-18-01-01,三级,2025-06-01\n{B},6-18-01-01,四级,2025-06-01\n"
        ),
    );
    ok(&gongjiang(&t.url, &["import", "levels", &lv]));

    let o = gongjiang(&t.url, &["benefits", A, "--on", "2026-03-02", "--format", "json"]);
    ok(&o);
    let schemes = json(&o);
    let su = &schemes[0];
    for key in ["scheme", "eligible", "amount", "reasons", "inferred"] {
        assert!(su.get(key).is_some(), "{key} in {su}");
    }
    assert_eq!(
        (su["scheme"].as_str(), su["eligible"].as_bool(), su["amount"].as_u64()),
        (Some("skill-upgrade"), Some(true), Some(2000))
    );
    assert!(su["reasons"][0]["zh"].is_string() && su["reasons"][0]["en"].is_string());
    // Haihe talent: 大专 (高职) and 高级工, but born 1 January 1990: 36, over the cap of 35.
    assert_eq!(schemes[1]["eligible"].as_bool(), Some(false), "{}", schemes[1]);
    assert!(schemes[1]["reasons"][0]["zh"].as_str().unwrap().contains("36 周岁"), "{}", schemes[1]["reasons"][0]);
    let text = gongjiang(&t.url, &["benefits", B, "--on", "2026-03-02"]);
    ok(&text);
    assert!(stdout(&text).contains("11 个月") && stdout(&text).contains("11 months"), "{}", stdout(&text));

    let o = gongjiang(
        &t.url,
        &["subsidy", "eligible", "--scheme", "skill-upgrade", "--on", "2026-03-02", "--format", "json"],
    );
    ok(&o);
    let list = json(&o);
    let list = list.as_array().expect("a JSON array");
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["id_number"].as_str(), Some(A));
    for (k, v) in [("occupation", "6-18-01-01"), ("obtained_on", "2025-06-01")] {
        assert_eq!(list[0][k].as_str(), Some(v), "{k}");
    }
    assert_eq!((list[0]["level"].as_u64(), list[0]["amount"].as_u64()), (Some(4), Some(2000)));

    // A asks first (route application); the city-wide run then finds nothing new to claim.
    let one =
        ["subsidy", "claim", "--scheme", "skill-upgrade", "--id-number", A, "--on", "2026-03-02", "--format", "json"];
    let o = gongjiang(&t.url, &one);
    ok(&o);
    assert_eq!(json(&o)["claims_created"].as_u64(), Some(1));
    let claim = ["subsidy", "claim", "--scheme", "skill-upgrade", "--on", "2026-03-02", "--format", "json"];
    let o = gongjiang(&t.url, &claim);
    ok(&o);
    assert_eq!(json(&o)["claims_created"].as_u64(), Some(0));
    let o = gongjiang(&t.url, &claim);
    assert_eq!(json(&o)["claims_created"].as_u64(), Some(0), "a second run makes no claim");

    let o = gongjiang(&t.url, &["subsidy", "claims", "--status", "in_review"]);
    ok(&o);
    let line: serde_json::Value = serde_json::from_str(stdout(&o).lines().next().expect("one claim")).unwrap();
    let id = line["claim"].as_i64().unwrap().to_string();
    assert_eq!(line["route"].as_str(), Some("application"));
    assert_eq!(line["amount_fen"].as_i64(), Some(200_000));
    ok(&gongjiang(&t.url, &["subsidy", "review", &id, "--approve", "--on", "2026-03-02"]));
    let early = gongjiang(&t.url, &["subsidy", "approve", &id, "--on", "2026-03-06"]);
    assert!(!early.status.success(), "the notice runs to Friday 2026-03-06");
    ok(&gongjiang(&t.url, &["subsidy", "approve", &id, "--on", "2026-03-09"]));
    ok(&gongjiang(&t.url, &["subsidy", "pay", &id, "--reference", "TJ-0001", "--on", "2026-03-10"]));
    let o = gongjiang(&t.url, &["subsidy", "claims", "--status", "paid"]);
    assert_eq!(stdout(&o).lines().count(), 1, "{}", stdout(&o));
    let o = gongjiang(&t.url, &["subsidy", "spend", "--scheme", "skill-upgrade", "--format", "json"]);
    ok(&o);
    let spend = json(&o);
    assert_eq!(
        spend["paid"],
        serde_json::json!([{"district": "120101", "district_name": "和平区", "month": "2026-03", "claims": 1, "paid": 2000}])
    );
    assert_eq!((spend["owed"].as_u64(), spend["recovery"].as_u64()), (Some(0), Some(0)));
    let o = gongjiang(
        &t.url,
        &["subsidy", "eligible", "--scheme", "skill-upgrade", "--on", "2026-03-10", "--format", "json"],
    );
    assert_eq!(json(&o).as_array().map(Vec::len), Some(0), "paid: no longer listed");
}
