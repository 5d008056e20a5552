//! `gongjiang person …` through the binary: a person's copy as JSON and XLSX, and a correction
//! request filed, listed and accepted — each in the audit trail under the operator.

use gongjiang_testkit::TestDb;

use super::{fixture, gongjiang, json, stdout};

const ID: &str = "120116198503123011";

#[test]
fn a_copy_of_a_persons_data_and_a_correction_through_the_binary() {
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv")] {
        let o = gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("copy.json");
    let o = gongjiang(&t.url, &["person", "export", ID, "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let copy: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(copy["person"]["id_number"], ID);
    assert_eq!(copy["person"]["name"], "王建国");
    let xlsx = dir.path().join("copy.xlsx");
    assert!(gongjiang(&t.url, &["person", "export", ID, "--out", xlsx.to_str().unwrap()]).status.success());
    assert!(std::fs::metadata(&xlsx).unwrap().len() > 1000);
    let o = gongjiang(&t.url, &["person", "export", "110105194912310021"]);
    assert!(!o.status.success() && String::from_utf8_lossy(&o.stderr).contains("no person"));

    let o = gongjiang(
        &t.url,
        &["person", "correction", "request", ID, "--field", "name", "--value", "王建民", "--reason", "更名"],
    );
    assert!(o.status.success() && stdout(&o).contains("recorded"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = gongjiang(&t.url, &["person", "correction", "request", ID, "--field", "education", "--value", "博士后"]);
    assert!(!o.status.success(), "checked with the import's rules");
    let list = json(&gongjiang(&t.url, &["person", "correction", "list", "--status", "open", "--format", "json"]));
    assert_eq!((list[0]["field"].as_str(), list[0]["proposed"].as_str()), (Some("name"), Some("王建民")));
    let id = list[0]["id"].to_string();
    let o = gongjiang(&t.url, &["person", "correction", "decide", &id, "--accept", "--note", "核实"]);
    assert!(o.status.success() && stdout(&o).contains("corrected"), "{}", String::from_utf8_lossy(&o.stderr));
    let o = gongjiang(&t.url, &["person", "correction", "decide", &id, "--reject", "--note", "again"]);
    assert!(!o.status.success());

    let trail = json(&gongjiang(&t.url, &["audit", "search", "--resource", "persons", "--format", "json"]));
    let actions: Vec<&str> = trail.as_array().unwrap().iter().filter_map(|e| e["action"].as_str()).collect();
    assert_eq!(actions, ["person.correct", "person.export", "person.export", "import.batch"], "newest first");
    assert!(trail[0]["actor"].as_str().unwrap().starts_with("cli:"));
    assert_eq!(trail[0]["client_addr"], "cli");
    let o = gongjiang(&t.url, &["audit", "verify"]);
    assert!(o.status.success(), "{}", stdout(&o));
}
