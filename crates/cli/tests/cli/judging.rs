//! `gongjiang competition …`: an event set up, marked from a file, refused marks with their
//! reasons, sign-off blocked then done, standings on the WorldSkills scale, publishing that
//! promotes the winner (以赛代评) with a clean KPI recount, and the ledger verified.

use gongjiang_testkit::TestDb;

use super::{gongjiang, json, stdout};

const P1: &str = "12010119900101101X";
const P2: &str = "120102199505052022";
const P3: &str = "120103199808083033";
const ORG_A: &str = "91120116MA05K1A2XW";

fn ok(db: &str, args: &[&str]) -> String {
    let o = gongjiang(db, args);
    assert!(o.status.success(), "{args:?}: {}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    stdout(&o)
}

#[test]
fn competition_commands_take_an_event_from_set_up_to_promotion() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    std::fs::write(
        path("orgs.csv"),
        format!("统一社会信用代码,单位名称,单位类型,所在区\n{ORG_A},天津滨海精工机械有限公司,企业,滨海新区\n"),
    )
    .unwrap();
    std::fs::write(
        path("persons.csv"),
        format!(
            "身份证号,姓名,所在区,单位统一社会信用代码,职业代码,就业状态\n{P1},张一,和平区,{ORG_A},6-18-02-04,在职\n\
             {P2},李二,河东区,,6-18-02-04,在职\n{P3},王三,河西区,,6-18-02-04,在职\n"
        ),
    )
    .unwrap();
    ok(&t.url, &["import", "orgs", &path("orgs.csv")]);
    ok(&t.url, &["import", "persons", &path("persons.csv")]);
    ok(
        &t.url,
        &["evaluation", "institution-file", "--category", "S", "--body-code", "0000", "--province", "12"]
            .into_iter()
            .chain(["--site-serial", "000501", "--name", "天津市焊接技能认定中心"])
            .collect::<Vec<_>>(),
    );
    let scope = ["evaluation", "institution-scope", "--institution", "1", "--occupation", "6-18-02-04"];
    ok(&t.url, &[&scope[..], &["--levels", "技师", "--from", "2020-01-01"]].concat());

    let c = ["--competition", "HHGJ2025"];
    let ce = ["--competition", "HHGJ2025", "--event", "W1"];
    ok(
        &t.url,
        &[
            "competition",
            "create",
            "--code",
            "HHGJ2025",
            "--name",
            "第六届海河工匠杯技能大赛",
            "--tier",
            "city_1",
            "--organiser",
            "天津市人社局",
            "--starts-on",
            "2025-05-10",
        ],
    );
    ok(
        &t.url,
        &[
            &["competition", "event"][..],
            &c,
            &["--code", "W1", "--name", "焊工", "--occupation", "6-18-02-04", "--levels", "高级工,技师"],
        ]
        .concat(),
    );
    std::fs::write(path("scheme.csv"), "code,kind,description,max_mark,descriptor_0,descriptor_1,descriptor_2,descriptor_3\nA1,judgement,焊缝外观,6,差,合格,良好,优秀\nB1,measurement,尺寸,4,,,,\n").unwrap();
    let out = ok(&t.url, &[&["competition", "scheme"][..], &ce, &[&path("scheme.csv")]].concat());
    assert!(out.contains("满分 10.00"), "{out}");
    for (code, org) in [("J1", ""), ("J2", ""), ("J3", ORG_A), ("J4", "")] {
        let mut args =
            vec!["competition", "judge", "--competition", "HHGJ2025", "--event", "W1", "--code", code, "--name", code];
        if !org.is_empty() {
            args.extend(["--organisation", org]);
        }
        ok(&t.url, &args);
    }
    std::fs::write(path("entries.csv"), format!("身份证号,组别,参赛号\n{P1},职工,001\n{P2},职工,002\n{P3},职工,003\n"))
        .unwrap();
    let o = gongjiang(
        &t.url,
        &[&["competition", "entries"][..], &ce, &[&path("entries.csv"), "--format", "json"]].concat(),
    );
    let s = json(&o);
    assert_eq!((s["read"].as_u64(), s["accepted"].as_u64()), (Some(3), Some(3)), "{s}");

    // J3 from 001's organisation: the whole file is refused, naming the row.
    std::fs::write(path("bad_marks.csv"), "judge,bib,aspect,score\nJ1,001,A1,3\nJ3,001,A1,3\n").unwrap();
    let o = gongjiang(&t.url, &[&["competition", "mark"][..], &ce, &["--file", &path("bad_marks.csv")]].concat());
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("第 2 条") && err.contains("回避"), "{err}");

    // 001: 3,3,2 → 5.33 + 4 = 9.33; 002: 2,2,2 → 4.00 + 4 = 8.00; 003: 1,3,2 → blocked.
    std::fs::write(
        path("marks.csv"),
        "裁判,参赛号,评分项,评分\nJ1,001,A1,3\nJ2,001,A1,3\nJ4,001,A1,2\nJ1,001,B1,1\n\
         J1,002,A1,2\nJ2,002,A1,2\nJ3,002,A1,2\nJ1,002,B1,1\nJ1,003,A1,1\nJ2,003,A1,3\nJ4,003,A1,2\nJ1,003,B1,0\n",
    )
    .unwrap();
    let out = ok(&t.url, &[&["competition", "mark"][..], &ce, &["--file", &path("marks.csv")]].concat());
    assert!(out.contains("已记录 12 条评分"), "{out}");
    let o = gongjiang(&t.url, &[&["competition", "sign-off"][..], &ce].concat());
    assert_eq!(o.status.code(), Some(1), "003 is blocked");
    assert!(
        stdout(&o).contains("003：不能签字确认") && stdout(&o).contains("001：已签字确认，总分 9.33"),
        "{}",
        stdout(&o)
    );
    let o = gongjiang(
        &t.url,
        &[&["competition", "mark"][..], &ce, &["--judge", "J1", "--entrant", "001", "--aspect", "A1", "--score", "2"]]
            .concat(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("锁定"));
    ok(
        &t.url,
        &[&["competition", "mark"][..], &ce, &["--judge", "J1", "--entrant", "003", "--aspect", "A1", "--score", "2"]]
            .concat(),
    );
    ok(&t.url, &[&["competition", "sign-off"][..], &ce, &["--entrant", "003"]].concat());

    let o = gongjiang(&t.url, &[&["competition", "standings"][..], &ce, &["--format", "json"]].concat());
    let s = json(&o);
    let rows = &s["groups"][0]["rows"];
    let got: Vec<(String, u64, i64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["bib"].as_str().unwrap().to_owned(),
                r["place"].as_u64().unwrap(),
                r["standardised_tenths"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, [("001".into(), 1, 7679), ("002".into(), 2, 7000), ("003".into(), 3, 5301)]);

    let o = gongjiang(
        &t.url,
        &[&["competition", "publish"][..], &ce, &["--on", "2025-06-01", "--format", "json"]].concat(),
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let p = json(&o);
    assert_eq!(p["promoted"], 3, "{p}");
    assert_eq!(p["results"][0]["level_after"], 5, "{p}");
    assert_eq!(p["certificates"][0], "S000012000501252000001", "{p}: the winner's certificate");
    ok(&t.url, &["kpi", "recount", "--check"]);
    let out = ok(&t.url, &[&["competition", "verify"][..], &ce].concat());
    assert!(out.contains("评分账本完整：13 条"), "{out}");
}
