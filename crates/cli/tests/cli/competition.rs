//! `gongjiang import competition-results`: the JSON summary with `promoted`, the per-row report,
//! re-import idempotence and a clean KPI recount check.

use gongjiang_testkit::TestDb;

use super::{gongjiang, json, stdout};

const A: &str = "12010119900101101X";

#[test]
fn competition_results_import_prints_promoted_and_writes_the_report() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let persons = dir.path().join("persons.csv");
    std::fs::write(&persons, format!("身份证号,姓名,所在区,职业代码,就业状态\n{A},张一,和平区,6-18-01-01,在职\n"))
        .unwrap();
    let o = gongjiang(&t.url, &["import", "persons", persons.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // The institution that issues the promotion's certificate (id 1).
    let o = gongjiang(
        &t.url,
        &["evaluation", "institution-file", "--category", "S", "--body-code", "0000", "--province", "12"]
            .into_iter()
            .chain(["--site-serial", "000321", "--name", "天津市竞赛认定中心"])
            .collect::<Vec<_>>(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let scope = ["evaluation", "institution-scope", "--institution", "1", "--occupation", "6-18-01-01"];
    let o = gongjiang(&t.url, &[&scope[..], &["--levels", "高级工,技师", "--from", "2020-01-01"]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // A city class-II 1st place in January 2025 gives 高级工; a city class-I 1st place in June
    // of the same year is recorded but does not promote (one promotion a year).
    let results = dir.path().join("results.csv");
    std::fs::write(
        &results,
        format!(
            "competition,tier,awarded_on,occupation,group,rank,entrants,id_number\n\
             2025年和平区数控车工竞赛,市级二类,2025-01-10,6-18-01-01,职工,1,12,{A}\n\
             2025年海河工匠杯数控车工竞赛,city_1,2025-06-01,6-18-01-01,employee,1,30,{A}\n"
        ),
    )
    .unwrap();
    let report = dir.path().join("report.csv");
    let args = ["import", "competition-results", results.to_str().unwrap(), "--format", "json"];
    let o = gongjiang(&t.url, &[&args[..], &["--report", report.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = json(&o);
    for (k, v) in [("read", 2), ("inserted", 2), ("unchanged", 0), ("rejected", 0), ("promoted", 1)] {
        assert_eq!(s[k].as_u64(), Some(v), "{k} in {s}");
    }
    let text = std::fs::read_to_string(&report).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[1].contains("promoted,tj2024-city2-employee,,高级工,"), "{text}");
    assert!(lines[2].contains("year_limit,tj2024-city1-employee,高级工,,"), "{text}");
    assert!(lines[2].contains("同一年内只能晋升一次"), "{text}");

    // Again: nothing changes, nothing promoted.
    let o = gongjiang(&t.url, &args);
    let s = json(&o);
    for (k, v) in [("read", 2), ("inserted", 0), ("unchanged", 2), ("promoted", 0)] {
        assert_eq!(s[k].as_u64(), Some(v), "{k} in {s}");
    }
    let o = gongjiang(&t.url, &["kpi", "recount", "--check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));

    // The person's copy of their data: the promotion in the level history (高级工 by competition
    // on the award day) and both results with their decisions.
    let copy = dir.path().join("copy.json");
    let o = gongjiang(&t.url, &["person", "export", A, "--out", copy.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let copy = std::fs::read_to_string(&copy).unwrap();
    assert!(copy.contains("\"competition\"") && copy.contains("2025-01-10"), "{copy}");
    let copy: serde_json::Value = serde_json::from_str(&copy).unwrap();
    let results = copy["competition_results"].as_array().expect("the copy lists the results");
    let outcomes: Vec<&str> = results.iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["promoted", "year_limit"], "the person's copy holds both results");

    // --report belongs to competition results only.
    let o = gongjiang(&t.url, &["import", "persons", persons.to_str().unwrap(), "--report", report.to_str().unwrap()]);
    assert!(!o.status.success());
}
