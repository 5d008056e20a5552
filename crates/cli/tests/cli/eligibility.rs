//! `gongjiang import standards` and `gongjiang eligibility --edition`: the edition a decision
//! uses, why, and the JSON members a caller reads.

use crate::{fixture, gongjiang, json, stdout};
use gongjiang_testkit::TestDb;

/// 李秀英: 高级工 in 6-25-04-01 since 2019-12-01.
const LI: &str = "120104199207054022";

fn registry(url: &str) {
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        assert!(gongjiang(url, &["import", kind, fixture(file).to_str().unwrap()]).status.success());
    }
}

#[test]
fn an_imported_2018_standard_admits_a_technician_the_2023_edition_keeps_waiting() {
    let t = TestDb::sqlite();
    registry(&t.url);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("standards.csv");
    std::fs::write(
        &file,
        "职业代码,标准版本,施行日期,标准名称\n6-25-04-01,2018,2019-01-01,国家职业技能标准 测试工（2018年版）\n6-25-04-01,2030,2019-01-01,\n",
    )
    .unwrap();
    let o = gongjiang(&t.url, &["import", "standards", file.to_str().unwrap(), "--format", "json"]);
    let s = json(&o);
    assert_eq!(
        (s["read"].as_u64(), s["inserted"].as_u64(), s["rejected"].as_u64()),
        (Some(2), Some(1), Some(1)),
        "{s}"
    );

    // 4 years as 高级工 on 2023-12-01: the 2018 standard's 技师 clause is met.
    let args = ["eligibility", LI, "--level", "技师", "--on", "2024-01-01", "--format", "json"];
    let o = gongjiang(&t.url, &args);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let d = json(&o);
    assert_eq!(d["eligible"], true);
    assert_eq!(d["edition"], "2018");
    assert_eq!(d["edition_basis"], "standard");
    assert_eq!(d["rule"], "2018-L5-1");
    assert_eq!(d["inferred"], false);
    assert!(d["edition_reason"]["zh"].as_str().unwrap().contains("国家职业技能标准 测试工（2018年版）"), "{d}");
    let reasons = d["reasons"].as_array().unwrap();
    assert_eq!(reasons[0]["zh"], "符合申报二级/技师条件（2018 版，规则 2018-L5-1）");
    assert_eq!(reasons[1], d["edition_reason"]);
    assert!(reasons.iter().any(|r| r["zh"] == "持有高级工已 4 年（2019-12-01 起），规则要求 4 年"), "{d}");
    assert!(!d["rules"].as_array().unwrap().is_empty(), "the per-rule detail stays");

    // --edition 2023 overrides the standard: 5 years, met on 2024-12-01.
    let mut asked = args.to_vec();
    asked.extend(["--edition", "2023"]);
    let o = gongjiang(&t.url, &asked);
    assert_eq!(o.status.code(), Some(1));
    let d = json(&o);
    assert_eq!(
        (d["eligible"].as_bool(), d["edition"].as_str(), d["edition_basis"].as_str()),
        (Some(false), Some("2023"), Some("requested"))
    );
    assert!(d["rule"].is_null());
    assert_eq!(d["earliest_eligible_on"], "2024-12-01");

    // The text output prints the same reasons.
    let o = gongjiang(&t.url, &["eligibility", LI, "--level", "技师", "--on", "2024-01-01"]);
    let text = stdout(&o);
    assert!(text.contains("其申报条件为 2018 版") && text.contains("持有高级工已 4 年"), "{text}");

    // An edition the policy does not have is refused, naming the ones it has.
    let o = gongjiang(&t.url, &["eligibility", LI, "--level", "技师", "--edition", "1999"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("2018、2023"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn without_a_standard_the_default_edition_is_marked_inferred() {
    let t = TestDb::sqlite();
    registry(&t.url);
    let o = gongjiang(&t.url, &["eligibility", LI, "--level", "技师", "--on", "2024-01-01", "--format", "json"]);
    let d = json(&o);
    assert_eq!(
        (d["edition"].as_str(), d["edition_basis"].as_str(), d["inferred"].as_bool()),
        (Some("2023"), Some("default"), Some(true))
    );
    assert!(d["edition_reason"]["zh"].as_str().unwrap().starts_with("[推断]"), "{d}");
}

#[test]
fn the_shipped_standards_import_cleanly_and_their_inference_shows_in_decisions() {
    let t = TestDb::sqlite();
    registry(&t.url);
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/standards.csv");
    let o = gongjiang(&t.url, &["import", "standards", shipped.to_str().unwrap(), "--format", "json"]);
    let s = json(&o);
    assert_eq!(
        (s["read"].as_u64(), s["inserted"].as_u64(), s["rejected"].as_u64()),
        (Some(2), Some(2), Some(0)),
        "{s}"
    );
    let o = gongjiang(&t.url, &["import", "standards", shipped.to_str().unwrap(), "--format", "json"]);
    assert_eq!(json(&o)["unchanged"].as_u64(), Some(2), "re-import changes nothing");

    // 赵老旧 (电工, working since 1985-03): in 2023 the 2018 standard governs, from 2024 the 2024 one;
    // both rows are marked [I], so both decisions say they rest on an inference.
    let zhao = "130503196704010016";
    for (on, edition, rule) in [("2023-06-01", "2018", "2018-L3-2"), ("2024-06-01", "2023", "2023-L3-1")] {
        let o = gongjiang(&t.url, &["eligibility", zhao, "--level", "中级工", "--on", on, "--format", "json"]);
        let d = json(&o);
        assert_eq!(
            (d["edition"].as_str(), d["edition_basis"].as_str()),
            (Some(edition), Some("standard")),
            "{on}: {d}"
        );
        assert_eq!((d["rule"].as_str(), d["inferred"].as_bool()), (Some(rule), Some(true)), "{on}: {d}");
        assert!(d["edition_reason"]["zh"].as_str().unwrap().contains("[推断]"), "{d}");
    }
}

#[test]
fn bridging_to_a_title_answers_with_the_same_keys_and_the_earliest_date() {
    let t = TestDb::sqlite();
    registry(&t.url);
    // 高级工 since 2019-12-01: 助理工程师 after 2 years, on 2021-12-01.
    let args = ["eligibility", LI, "--title", "助理工程师", "--on", "2021-11-30", "--format", "json"];
    let o = gongjiang(&t.url, &args);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let d = json(&o);
    assert_eq!(d["eligible"], false);
    assert_eq!(d["earliest_eligible_on"], "2021-12-01");
    assert_eq!(d["edition"], "津人社局发〔2022〕26号");
    assert_eq!(d["edition_basis"], "default");
    assert!(d["rule"].is_null());
    assert_eq!(d["inferred"], false);
    assert_eq!((d["series"].as_str(), d["grade"].as_str()), (Some("engineering"), Some("junior")));
    assert_eq!(
        d["reasons"][0]["zh"],
        "暂不符合申报助理工程师（工程技术系列，初级职称）条件：需再任高级工 1 天：2019-12-01 起持有，规则要求 2 年（2021-12-01 满足）；最早可于 2021-12-01 申报（规则 bridge-engineering-junior）"
    );
    let o = gongjiang(&t.url, &["eligibility", LI, "--title", "助理工程师", "--on", "2021-12-01", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let d = json(&o);
    assert_eq!((d["eligible"].as_bool(), d["rule"].as_str()), (Some(true), Some("bridge-engineering-junior")));
    // A grade within a named series: 工艺美术 mirrors the national years [I].
    let o = gongjiang(
        &t.url,
        &["eligibility", LI, "--title", "初级", "--series", "工艺美术", "--on", "2021-12-01", "--format", "json"],
    );
    let d = json(&o);
    assert_eq!((d["eligible"].as_bool(), d["inferred"].as_bool()), (Some(true), Some(true)), "{d}");
    // An unknown title names the ones the policy knows.
    let o = gongjiang(&t.url, &["eligibility", LI, "--title", "总工程师"]);
    assert_ne!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("助理工程师"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn education_and_title_files_import_by_their_documented_columns() {
    let t = TestDb::sqlite();
    registry(&t.url);
    let dir = tempfile::tempdir().unwrap();
    let education = dir.path().join("education.csv");
    std::fs::write(
        &education,
        "id_number,education,major,graduated_on,expected_graduation_on\n\
         120104199207054022,tech_school_pre_technician,数控加工,2012-07-01,\n\
         120104199207054022,技师学院,,2012-07-01,\n",
    )
    .unwrap();
    let s = json(&gongjiang(&t.url, &["import", "education", education.to_str().unwrap(), "--format", "json"]));
    assert_eq!((s["inserted"].as_u64(), s["rejected"].as_u64()), (Some(1), Some(1)), "{s}");
    let titles = dir.path().join("titles.csv");
    std::fs::write(
        &titles,
        "id_number,series,grade,title,obtained_on\n120104199207054022,engineering,deputy_senior,高级工程师,2020-01-01\n",
    )
    .unwrap();
    let s = json(&gongjiang(&t.url, &["import", "titles", titles.to_str().unwrap(), "--format", "json"]));
    assert_eq!((s["inserted"].as_u64(), s["rejected"].as_u64()), (Some(1), Some(0)), "{s}");
}
