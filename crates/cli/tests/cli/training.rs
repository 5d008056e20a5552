//! `gongjiang import programmes|enrolments|apprenticeships` and `gongjiang training enrolments`:
//! the contract's command names and columns, the JSON listing with each enrolment's learner
//! account, decimal hours, status and masked holder, CSV output, and an unknown programme.

use gongjiang_testkit::TestDb;

use super::{gongjiang, json, stdout};

const A: &str = "12010119900101101X";
const B: &str = "120102199505052022";
const PROVIDER: &str = "52120000MJ0000001A";
const ENTERPRISE: &str = "91120116MA05K1A2XW";

fn import(db: &str, kind: &str, path: &std::path::Path) -> serde_json::Value {
    let o = gongjiang(db, &["import", kind, path.to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
    json(&o)
}

#[test]
fn training_enrolments_lists_hours_status_and_masked_holders() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    };
    let orgs = write(
        "orgs.csv",
        format!(
            "uscc,name,kind,district\n{PROVIDER},天津市某职业培训学校,培训机构,河西区\n{ENTERPRISE},天津滨海精工机械有限公司,企业,滨海新区\n"
        ),
    );
    let persons = write(
        "persons.csv",
        format!(
            "身份证号,姓名,所在区,单位统一社会信用代码,职业代码,就业状态\n\
             {A},张三明,和平区,{ENTERPRISE},6-18-01-01,在职\n{B},李四,河东区,{ENTERPRISE},6-18-01-01,在职\n"
        ),
    );
    let programmes = write(
        "programmes.csv",
        format!(
            "code,provider_uscc,name,occupation,level,mode,hours,starts_on,ends_on,capacity,platform_url\n\
             TJ-001,{PROVIDER},数控车工高级工线上班,6-18-01-01,高级工,online,72,2025-09-01,2026-06-30,30,https://learn.example.cn\n"
        ),
    );
    let enrolments = write(
        "enrolments.csv",
        format!(
            "programme_code,id_number,learner_id,enrolled_on,hours,completed_on\n\
             TJ-001,{A},stu0001,2025-08-20,3.5,\n\
             TJ-001,{B},stu0002,2025-08-21,72.25,2026-01-15\n"
        ),
    );
    let apprenticeships = write(
        "apprenticeships.csv",
        format!(
            "enterprise_uscc,id_number,institution_uscc,contract_ends_on,starts_on,ends_on,occupation,level,enterprise_mentor,school_mentor\n\
             {ENTERPRISE},{A},{PROVIDER},无固定期限,2025-09-01,2027-08-31,6-18-01-01,技师,王师傅,李老师\n\
             {ENTERPRISE},{B},{PROVIDER},2026-03-01,2025-09-01,2027-08-31,6-18-01-01,技师,王师傅,李老师\n"
        ),
    );
    for (kind, path) in [("orgs", &orgs), ("persons", &persons)] {
        assert_eq!(import(&t.url, kind, path)["rejected"], 0, "{kind}");
    }
    for (kind, path, inserted, rejected) in [
        ("programmes", &programmes, 1, 0),
        ("enrolments", &enrolments, 2, 0),
        ("apprenticeships", &apprenticeships, 1, 1),
    ] {
        let s = import(&t.url, kind, path);
        assert_eq!((s["inserted"].as_u64(), s["rejected"].as_u64()), (Some(inserted), Some(rejected)), "{kind}: {s}");
    }

    let o = gongjiang(&t.url, &["training", "enrolments", "--programme", "TJ-001", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    assert_eq!(r["programme"], "TJ-001");
    assert_eq!(r["required_hours"].as_f64(), Some(72.0));
    let rows = r["enrolments"].as_array().unwrap();
    let got: Vec<(&str, f64, &str, &str, &str)> = rows
        .iter()
        .map(|e| {
            (
                e["learner_id"].as_str().unwrap(),
                e["hours"].as_f64().unwrap(),
                e["status"].as_str().unwrap(),
                e["holder"].as_str().unwrap(),
                e["holder_name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("stu0001", 3.5, "enrolled", "1201**********101X", "张*明"),
            ("stu0002", 72.25, "completed", "1201**********2022", "李*"),
        ]
    );
    assert!(!stdout(&o).contains(A) && !stdout(&o).contains(B), "no whole identity number is printed");

    let o = gongjiang(&t.url, &["training", "enrolments", "--programme", "TJ-001", "--format", "csv"]);
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "learner_id,hours,status,enrolled_on,completed_on,holder,holder_name");
    assert_eq!(lines[2], "stu0002,72.25,completed,2025-08-21,2026-01-15,1201**********2022,李*");

    let o = gongjiang(&t.url, &["training", "enrolments", "--programme", "TJ-404"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no programme TJ-404"));
}
