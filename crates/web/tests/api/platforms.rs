//! Training platforms (培养平台) on every backend: `import platforms` from a real CSV file with
//! every rule hit by a bad row (each with its column and reason), a re-import changing nothing,
//! and the public list (no sign-in) by district, occupation, kind and validity — a studio shows
//! its lead master's name, never an identity number.

use gongjiang_app::Actor;
use gongjiang_app::import::{self, ImportOptions, Kind};
use serde_json::Value;

use crate::support::{Server, on_each_backend, uscc};

const MASTER: &str = "12010119900101101X";
const NOBODY: &str = "120102199505052022";

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

async fn list(s: &Server, query: &str) -> (u16, Vec<String>, String) {
    let r = s.send(s.client().get(format!("{}/api/v1/platforms{query}", s.base))).await;
    let codes = r.json["platforms"]
        .as_array()
        .map(|a| a.iter().map(|p| p["code"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default();
    (r.status, codes, r.text)
}

#[tokio::test(flavor = "multi_thread")]
async fn platforms_import_with_every_rule_and_list_publicly() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let dir = tempfile::tempdir().unwrap();
        let (a, c, unknown) = (uscc("52120000MJ0PLT001"), uscc("52120000MJ0PLT002"), uscc("52120000MJ0PLT009"));
        let orgs = write(
            dir.path(),
            "orgs.csv",
            &format!("uscc,name,kind,district\n{a},天津某机械公司,企业,河西区\n{c},天津某技师学院,技工院校,南开区\n"),
        );
        let persons = write(dir.path(), "persons.csv", &format!("id_number,name,district\n{MASTER},张一,和平区\n"));
        let opts = ImportOptions::default();
        for (kind, path) in [(Kind::Orgs, &orgs), (Kind::Persons, &persons)] {
            let sum = import::run(&s.app, &Actor::cli("test"), kind, path, &opts, &|_| ()).await.unwrap();
            assert_eq!(sum.rejected, 0, "[{b}] {:?}", sum.rejected_rows);
        }
        let file = write(
            dir.path(),
            "platforms.csv",
            &format!(
                "平台编号,依托单位信用代码,平台名称,平台类型,级别,批准日期,有效期至,资助金额（万元）,职业代码,领衔人身份证号\n\
                 TJ-DS-001,{a},张一技能大师工作室,技能大师工作室,市级,2023-05-01,2099-12-31,50,6-31-01-03,{MASTER}\n\
                 TJ-JD-001,{c},数控加工高技能人才培训基地,高技能人才培训基地,国家级,2022-03-01,,200,6-18-01-01,\n\
                 TJ-QY-001,{a},企业培训中心,企业培训中心,区级,2020-01-01,2024-12-31,10.5,6-31-01-03,\n\
                 TJ-DS-002,{a},无名工作室,技能大师工作室,市级,2023-05-01,,,,\n\
                 TJ-JD-002,{unknown},未登记单位的基地,高技能人才培训基地,市级,2023-05-01,,,,\n\
                 TJ-JD-003,{c},倒置有效期的基地,高技能人才培训基地,市级,2023-05-01,2022-01-01,,,\n\
                 TJ-XX-001,{c},某培训学校,培训学校,市级,2023-05-01,,,,\n\
                 TJ-JD-004,{c},带领衔人的基地,高技能人才培训基地,市级,2023-05-01,,,,{MASTER}\n\
                 TJ-DS-003,{a},李二技能大师工作室,技能大师工作室,市级,2023-05-01,,,,{NOBODY}\n"
            ),
        );
        let sum = import::run(&s.app, &Actor::cli("test"), Kind::Platforms, &file, &opts, &|_| ()).await.unwrap();
        assert_eq!((sum.read, sum.inserted, sum.rejected), (9, 3, 6), "[{b}] {:?}", sum.rejected_rows);
        let reasons: Vec<(u64, String, String)> = sum
            .rejected_rows
            .iter()
            .flat_map(|r| r.errors.iter().map(move |e| (r.line, e.column.clone(), e.reason.en.clone())))
            .collect();
        let expected = [
            (5, "领衔人身份证号", "a skill-master studio must name its lead master's identity number"),
            (7, "有效期至", "the platform's validity ends before its approval"),
            (8, "平台类型", "not recognised; allowed"),
            (9, "领衔人身份证号", "a high-skill training base has no lead person: leave this column empty"),
            (6, "依托单位信用代码", "organisation not registered: import it under orgs first"),
            (10, "领衔人身份证号", "person not registered: import them under persons first"),
        ];
        assert_eq!(reasons.len(), expected.len(), "[{b}] {reasons:?}");
        for (line, column, reason) in expected {
            assert!(
                reasons.iter().any(|(l, c, r)| *l == line && c == column && r.contains(reason)),
                "[{b}] line {line} {column}: {reason} not in {reasons:?}"
            );
        }
        // Again: nothing changes.
        let again = import::run(&s.app, &Actor::cli("test"), Kind::Platforms, &file, &opts, &|_| ()).await.unwrap();
        assert_eq!((again.inserted, again.updated, again.unchanged, again.rejected), (0, 0, 3, 6), "[{b}]");

        // The public list (no sign-in): in force today, national first; by district, occupation
        // (a category takes its occupations), kind; every one with `in_force_on=all`.
        let (status, codes, text) = list(&s, "").await;
        assert_eq!((status, codes), (200, vec!["TJ-JD-001".to_owned(), "TJ-DS-001".to_owned()]), "[{b}] {text}");
        assert!(!text.contains(MASTER), "[{b}] an identity number in the public list");
        let all: Value = serde_json::from_str(&text).unwrap();
        let studio = &all["platforms"][1];
        assert_eq!(
            (studio["lead_name"].as_str(), studio["kind_zh"].as_str(), studio["tier"].as_str(), studio["funding_yuan"].as_i64()),
            (Some("张一"), Some("技能大师工作室"), Some("municipal"), Some(500_000)),
            "[{b}]"
        );
        assert_eq!(list(&s, "?district=120103").await.1, ["TJ-DS-001"], "[{b}]");
        assert_eq!(list(&s, "?occupation=6-18").await.1, ["TJ-JD-001"], "[{b}]");
        assert_eq!(list(&s, "?kind=master_studio").await.1, ["TJ-DS-001"], "[{b}]");
        assert_eq!(list(&s, "?in_force_on=all&occupation=6-31-01-03").await.1, ["TJ-DS-001", "TJ-QY-001"], "[{b}]");
        assert_eq!(list(&s, "?in_force_on=2024-06-30&district=120103").await.1, ["TJ-DS-001", "TJ-QY-001"], "[{b}]");
        let (status, _, text) = list(&s, "?kind=school").await;
        assert_eq!(status, 400, "[{b}] {text}");
        assert!(text.contains("kind must be one of"), "[{b}] {text}");
    })
    .await;
}
