//! The `gongjiang` binary as a user runs it: exit codes, JSON outputs, files in and out.

mod backup;
mod benefits;
mod cert;
mod competition;
mod eligibility;
mod evaluation;
mod judging;
mod person;
mod security;
mod serve;
mod training;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use gongjiang_testkit::TestDb;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures").join(name)
}

fn gongjiang(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjiang"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("GONGJIANG_POLICY")
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(o)))
}

#[test]
fn validate_exits_zero_for_valid_and_one_for_invalid_values() {
    let db = "sqlite::memory:";
    for (what, value, code, says) in [
        ("id", "11010519491231002X", 0, "1949-12-31"),
        ("id", "11010519491231002x", 0, "11010519491231002X"),
        ("id", "110105194912310021", 1, "X"),
        ("id", "130503670401001", 0, "130503196704010016"),
        ("uscc", "91350100M000100Y43", 0, "91350100M000100Y43"),
        ("uscc", "91350100M000100Y44", 1, "3"),
        ("cert", "Y000123000001195000001", 0, "2019"),
        ("cert", "0112034010100001", 0, "0112034010100001"),
        ("cert", "S00032420250001", 1, "22"),
    ] {
        let o = gongjiang(db, &["validate", what, value]);
        assert_eq!(o.status.code(), Some(code), "validate {what} {value}: {}", stdout(&o));
        assert!(stdout(&o).contains(says), "validate {what} {value} should mention {says}: {}", stdout(&o));
    }
}

#[test]
fn import_prints_the_json_summary_and_export_round_trips() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let errors = dir.path().join("errors.csv");
    let o = gongjiang(&t.url, &["import", "orgs", fixture("orgs_mixed.csv").to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = json(&o);
    assert_eq!((s["read"].as_u64(), s["inserted"].as_u64(), s["rejected"].as_u64()), (Some(7), Some(3), Some(4)));
    let p = fixture("persons_mixed.csv");
    let o = gongjiang(
        &t.url,
        &["import", "persons", p.to_str().unwrap(), "--errors", errors.to_str().unwrap(), "--format", "json"],
    );
    let s = json(&o);
    for (k, v) in [("read", 8), ("inserted", 3), ("updated", 0), ("unchanged", 0), ("rejected", 5)] {
        assert_eq!(s[k].as_u64(), Some(v), "{k} in {s}");
    }
    let report = std::fs::read_to_string(&errors).unwrap();
    assert!(report.contains("line,column,value,reason_zh,reason_en"));
    assert_eq!(report.lines().count(), 1 + 7, "{report}");

    // Export with Chinese headers and import the export back: nothing changes.
    for (kind, file) in [("orgs", "orgs.xlsx"), ("persons", "persons.csv")] {
        let out = dir.path().join(file);
        let o = gongjiang(&t.url, &["export", kind, out.to_str().unwrap()]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = gongjiang(&t.url, &["import", kind, out.to_str().unwrap(), "--format", "json"]);
        let s = json(&o);
        assert_eq!(s["rejected"].as_u64(), Some(0), "{kind}: {s}");
        assert_eq!(s["inserted"].as_u64(), Some(0), "{kind}: {s}");
        assert_eq!(s["updated"].as_u64(), Some(0), "{kind}: {s}");
        assert_eq!(s["unchanged"].as_u64(), s["read"].as_u64(), "{kind}: {s}");
    }
    let persons = std::fs::read_to_string(dir.path().join("persons.csv")).unwrap();
    assert!(persons.starts_with("\u{feff}身份证号,姓名"), "Chinese headers by default: {persons}");
}

#[test]
fn eligibility_answers_in_json_with_the_rule_and_reasons() {
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        let o = gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]);
        assert!(o.status.success());
    }
    // 李秀英 holds 高级工 since 2019-12-01 (a 大专 graduate): the 2023 template asks 5 years.
    let o = gongjiang(
        &t.url,
        &["eligibility", "120104199207054022", "--level", "技师", "--on", "2024-01-01", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(1), "not yet eligible in 2024");
    let d = json(&o);
    assert_eq!(d["eligible"], false);
    assert_eq!(d["edition"], "2023");
    assert!(d["rule"].is_null());
    assert!(!d["rules"].as_array().unwrap().is_empty());
    assert_eq!(d["earliest_eligible_on"], "2024-12-01", "{d}");

    let o = gongjiang(
        &t.url,
        &["eligibility", "120116198503123011", "--level", "二级", "--on", "2026-06-01", "--format", "json"],
    );
    assert_eq!(o.status.code(), Some(0));
    let d = json(&o);
    assert_eq!(d["eligible"], true);
    assert!(d["rule"].as_str().unwrap().contains("L5"), "{d}");

    let o = gongjiang(&t.url, &["eligibility", "120116198503123011", "--level", "九级"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("九级"));
}

#[test]
fn policy_check_lists_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policy/tianjin.toml");
    let o = gongjiang("sqlite::memory:", &["policy", "check", good.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let text = std::fs::read_to_string(&good).unwrap();
    let broken = text.replacen("skilled_from_rank = 2", "skilled_from_rank = 9", 1).replacen(
        "[meta]",
        "[meta]\ncolour = \"red\"",
        1,
    );
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, broken).unwrap();
    let o = gongjiang("sqlite::memory:", &["policy", "check", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("colour"), "{out}");
    assert!(out.contains("skilled_from_rank"), "{out}");
}

/// A killed import leaves whole batches only, and running it again finishes the job.
#[test]
fn an_import_killed_midway_is_finished_by_running_it_again() {
    use gongjiang_domain::id_number::check_char;
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("persons.csv");
    let total = 100_000u64;
    let mut csv = String::from("id_number,name,district\n");
    for i in 0..total {
        // Distinct birth dates and sequence numbers give distinct valid identity numbers.
        let body = format!("120116{}{:02}{:02}{:03}", 1960 + (i / 1000) % 40, 1 + (i / 28) % 12, 1 + i % 28, i % 1000);
        csv.push_str(&format!("{body}{},工人{i},滨海新区\n", check_char(&body).unwrap()));
    }
    std::fs::write(&file, csv).unwrap();
    let batch = 500u64;

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let count = || {
        rt.block_on(async {
            let db = gongjiang_store::Db::connect(&t.url).await.unwrap();
            let n = gongjiang_store::persons::count(&db).await.unwrap() as u64;
            db.close().await;
            n
        })
    };
    // Create the schema first so the poll below can read while the import writes.
    let o = gongjiang(&t.url, &["validate", "id", "11010519491231002X"]);
    assert!(o.status.success());
    count();

    let mut child = Command::new(env!("CARGO_BIN_EXE_gongjiang"))
        .args(["--db", &t.url, "import", "persons", file.to_str().unwrap(), "--batch", &batch.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    let mut seen = 0;
    while seen == 0 && started.elapsed() < std::time::Duration::from_secs(60) {
        std::thread::sleep(std::time::Duration::from_millis(5));
        seen = count();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = count();
    assert!(after_kill > 0, "the import had started");
    assert_eq!(after_kill % batch, 0, "only whole batches are committed");
    if after_kill == total {
        eprintln!("the import finished before it could be killed: the resume path was not exercised");
    }

    let o = gongjiang(&t.url, &["import", "persons", file.to_str().unwrap(), "--format", "json"]);
    let s = json(&o);
    // The killed run is marked interrupted by the next process, with what its batches wrote.
    let runs = rt.block_on(async {
        let db = gongjiang_store::Db::connect(&t.url).await.unwrap();
        let runs = gongjiang_store::worklist::import_runs(&db, false, 10).await.unwrap();
        db.close().await;
        runs
    });
    let killed = runs.last().unwrap();
    if after_kill < total {
        assert!(killed.finished_at.is_none() && killed.interrupted_at.is_some(), "{killed:?}");
        assert_eq!(killed.inserted as u64, after_kill, "{killed:?}");
        assert!(runs[0].finished_at.is_some() && runs[0].interrupted_at.is_none(), "the rerun finished");
    }
    assert_eq!(s["read"].as_u64(), Some(total));
    assert_eq!(s["inserted"].as_u64(), Some(total - after_kill), "{s}");
    assert_eq!(s["unchanged"].as_u64(), Some(after_kill), "{s}");
    assert_eq!(s["rejected"].as_u64(), Some(0), "{s}");
    assert_eq!(count(), total);
}

#[test]
fn eligibility_for_the_whole_city_counts_by_district() {
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        assert!(gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]).status.success());
    }
    // 王建国 (高级工 since 2016) and 李秀英 (高级工 since 2019-12, 5 years met 2024-12) may apply
    // for 技师 in mid-2026; 赵老旧 holds no level.
    let o = gongjiang(&t.url, &["eligibility", "--all", "--level", "技师", "--on", "2026-06-01", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    assert_eq!((r["evaluated"].as_u64(), r["eligible"].as_u64(), r["skipped"].as_u64()), (Some(3), Some(2), Some(0)));
    let by: Vec<(String, u64, u64)> = r["by_district"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["district"].as_str().unwrap().to_string(),
                d["eligible"].as_u64().unwrap(),
                d["evaluated"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by, [("120104".to_string(), 1, 1), ("120105".to_string(), 0, 1), ("120116".to_string(), 1, 1)]);
    // A year earlier, under the same rules, 李秀英 was still short of her five years.
    let o = gongjiang(&t.url, &["eligibility", "--all", "--level", "技师", "--on", "2024-06-01", "--format", "json"]);
    assert_eq!(json(&o)["eligible"].as_u64(), Some(1));
}

#[test]
fn another_edition_of_the_classification_loads_beside_2022() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("occupations-1999.csv");
    // The 1999 edition coded 数控车工 as 6-04-01-01; a bureau may hold it as a two-column list.
    std::fs::write(&file, "代码,名称\n6,生产、运输设备操作人员及有关人员\n6-04,机械制造加工人员\n6-04-01,机械冷加工人员\n6-04-01-01,车工\n").unwrap();
    let o = gongjiang(&t.url, &["occupations", file.to_str().unwrap(), "--edition", "1999"]);
    assert!(o.status.success(), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("4"), "{}", stdout(&o));
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let db = gongjiang_store::Db::connect(&t.url).await.unwrap();
        let old = gongjiang_store::occupations::get(&db, "1999", "6-04-01-01").await.unwrap().unwrap();
        assert_eq!((old.name.as_str(), old.depth, old.parent_code.as_deref()), ("车工", 4, Some("6-04-01")));
        assert_eq!(gongjiang_store::occupations::count(&db, "2022").await.unwrap(), 2176, "2022 untouched");
        db.close().await;
    });
    // A broken file is refused with the row named, and nothing is loaded.
    std::fs::write(&file, "代码,名称\n6,生产\n6-04-01-01,车工\n").unwrap();
    let o = gongjiang(&t.url, &["occupations", file.to_str().unwrap(), "--edition", "2015"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains('3'), "{err}");
}

#[test]
fn kpi_by_district_as_csv() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let stats = dir.path().join("statistics.csv");
    std::fs::write(&stats, "year,district,industry,employed_persons\n2025,120116,,4\n2025,天津市,,50\n").unwrap();
    for (kind, file) in [("orgs", fixture("orgs_mixed.csv")), ("persons", fixture("persons_mixed.csv"))]
        .into_iter()
        .chain([("levels", fixture("levels_mixed.csv")), ("statistics", stats)])
    {
        let o = gongjiang(&t.url, &["import", kind, file.to_str().unwrap()]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let o = gongjiang(&t.url, &["kpi", "--by", "district", "--as-of", "2025-12-31", "--format", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with(
            "group,employed_persons,skilled,high_skilled,skilled_share,high_skilled_share,denominator_source"
        ),
        "{out}"
    );
    // 滨海新区: 王建国 is employed there; his highest valid level is 高级工 (2016; the 技师 rows
    // were refused), so skilled 1 and high-skilled 1, over the official figure 4: 0.25 and 1.
    assert!(lines.iter().any(|l| l.starts_with("120116,4,1,1,0.2500,1.0000,official_statistics,")), "{out}");
    // 南开区 (李秀英, 高级工 2019-12) has no official figure: the registry's 1 is the denominator.
    assert!(lines.iter().any(|l| l.starts_with("120104,1,1,1,1.0000,1.0000,registry,")), "{out}");
    // The city: 2 skilled of the official 50; 赵老旧 is retired and not counted.
    assert!(lines.last().unwrap().starts_with("total,50,2,2,0.0400,1.0000,official_statistics,"), "{out}");
}

/// By chain: the employer's chains from the organisations file, an official figure for one
/// chain from the statistics file, and the overlap said in the CSV's `note` and under the table.
#[test]
fn kpi_by_chain_as_csv_and_table() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let orgs = dir.path().join("orgs.csv");
    std::fs::write(
        &orgs,
        "统一社会信用代码,单位名称,单位类型,所在区,行业门类,产业链\n\
         91120116MA05K1A2XW,天津滨海精工机械有限公司,企业,滨海新区,C,高端装备;新材料\n\
         91120104MA05K3B4YR,天津南开电子科技有限公司,企业,南开区,C,信创\n\
         52120101MJ0000001X,天津市职业技能培训中心,职业培训机构,和平区,P,\n",
    )
    .unwrap();
    let stats = dir.path().join("statistics.csv");
    std::fs::write(&stats, "年份,区,行业门类,就业人员数,产业链\n2025,天津市,,50,\n2025,全市,,8,高端装备\n").unwrap();
    for (kind, file) in [("orgs", orgs), ("persons", fixture("persons_mixed.csv"))]
        .into_iter()
        .chain([("levels", fixture("levels_mixed.csv")), ("statistics", stats)])
    {
        let o = gongjiang(&t.url, &["import", kind, file.to_str().unwrap()]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let o = gongjiang(&t.url, &["kpi", "--by", "chain", "--as-of", "2025-12-31", "--format", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].ends_with(",note"), "{out}");
    // 王建国 (滨海精工: 高端装备 and 新材料) counts in both; 李秀英 (南开电子) in 信创; 赵老旧 is
    // retired. 高端装备 has the official figure 8: 1/8.
    assert!(
        lines.iter().any(|l| l.starts_with("high_end_equipment,8,1,1,0.1250,1.0000,official_statistics,高端装备,")),
        "{out}"
    );
    assert!(lines.iter().any(|l| l.starts_with("new_materials,1,1,1,1.0000,1.0000,registry,新材料,")), "{out}");
    assert!(lines.iter().any(|l| l.starts_with("xinchuang,1,1,1,1.0000,1.0000,registry,信创,")), "{out}");
    assert!(lines.iter().any(|l| l.starts_with("none,0,0,0,,,registry,")), "{out}");
    let total = lines.last().unwrap();
    assert!(total.starts_with("total,50,2,2,0.0400,1.0000,official_statistics,"), "{out}");
    assert!(total.contains("不等于全市合计") && total.contains("do not add up"), "{total}");

    let o = gongjiang(&t.url, &["kpi", "--by", "chain", "--as-of", "2025-12-31"]);
    let out = stdout(&o);
    assert!(out.contains("注 / note:") && out.contains("do not add up to the city total"), "{out}");
}

#[test]
fn kpi_series_and_projection_from_the_command_line() {
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        assert!(gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]).status.success());
    }
    // Employed: 王建国 (高级工 since 2016) and 李秀英 (高级工 since 2019-12); 赵老旧 is retired.
    let o = gongjiang(&t.url, &["kpi", "--series", "--from", "2018", "--to", "2020", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = json(&o);
    let total = s["groups"].as_array().unwrap().iter().find(|g| g["group"] == "total").unwrap();
    let by_year: Vec<(i64, i64, i64)> = total["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["year"].as_i64().unwrap(), v["skilled"].as_i64().unwrap(), v["high_skilled"].as_i64().unwrap()))
        .collect();
    assert_eq!(by_year, [(2018, 1, 1), (2019, 2, 2), (2020, 2, 2)], "{total}");

    let o = gongjiang(&t.url, &["kpi", "--projection", "--from", "2018"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    assert!(out.contains("Holt") && out.contains("tj-14fyp-skilled-share"), "{out}");

    // By quarter: 李秀英's 高级工 of 2019-12 counts from 2019-Q4 only; `period` is the last column.
    let o = gongjiang(
        &t.url,
        &["kpi", "--series", "--step", "quarter", "--from", "2019", "--to", "2019", "--format", "csv"],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = stdout(&o);
    let total: Vec<(String, String)> = out
        .lines()
        .filter(|l| l.starts_with("total,"))
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[4].to_string(), cells.last().unwrap().to_string())
        })
        .collect();
    let want = [("1", "2019-Q1"), ("1", "2019-Q2"), ("1", "2019-Q3"), ("2", "2019-Q4")];
    assert_eq!(total, want.map(|(a, b)| (a.to_string(), b.to_string())), "{out}");
    let o = gongjiang(&t.url, &["kpi", "--projection", "--step", "quarter", "--from", "2018", "--format", "csv"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).lines().next().unwrap().ends_with(",reached_quarter"), "{}", stdout(&o));
    assert!(
        !gongjiang(&t.url, &["kpi", "--step", "quarter"]).status.success(),
        "--step needs --series or --projection"
    );
}

#[test]
fn output_closed_early_ends_the_command_quietly() {
    use std::io::Read;
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        assert!(gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]).status.success());
    }
    // Thirty-one year-ends by district in JSON: far more than a pipe holds, so the command is
    // still writing when the reader (`| head -c 100`) goes away.
    let args = ["kpi", "--series", "--from", "1996", "--by", "district", "--format", "json"];
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongjiang"))
        .arg("--db")
        .arg(&t.url)
        .args(args)
        .env_remove("GONGJIANG_POLICY")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = [0u8; 100];
    child.stdout.take().unwrap().read_exact(&mut first).expect("the first bytes");
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert!(!out.status.success(), "the output was cut short, so the command did not finish");
}

#[test]
fn demand_import_supply_gap_and_shortage_list() {
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        assert!(gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]).status.success());
    }
    let o = gongjiang(&t.url, &["import", "demand", fixture("demand_mixed.csv").to_str().unwrap(), "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let s = json(&o);
    assert_eq!((s["read"].as_u64(), s["inserted"].as_u64(), s["rejected"].as_u64()), (Some(3), Some(2), Some(1)));

    // 车工 高级工 in 滨海: 6 asked, 王建国 holds 高级工 or above → gap 5; 南开 技师 (2026Q3 counts in
    // 2026): 3 asked, 李秀英 holds 高级工 only → gap 3.
    let args = ["supply-gap", "--period", "2026", "--as-of", "2026-11-01", "--format", "json"];
    let o = gongjiang(&t.url, &args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json(&o);
    let gaps: Vec<(String, i64, i64)> = r["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["group"].as_str().unwrap().to_string(), x["supply"].as_i64().unwrap(), x["gap"].as_i64().unwrap()))
        .collect();
    assert_eq!(gaps, [("120116".to_string(), 1, 5), ("120104".to_string(), 0, 3)]);
    assert_eq!(r["pipeline_source"]["code"], "training+apprenticeship+application");
    assert_eq!(r["pipeline_source"]["counted"]["persons"], 0);

    let o = gongjiang(&t.url, &["supply-gap", "--period", "2026", "--as-of", "2026-11-01", "--format", "csv"]);
    let text = stdout(&o);
    assert!(text.starts_with("rank,occupation_code,"), "{text}");
    assert_eq!(text.lines().count(), 3, "{text}");

    let o =
        gongjiang(&t.url, &["supply-gap", "--period", "2026", "--forecast", "--target", "2029", "--format", "json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(json(&o)["target_year"], 2029);

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shortage.xlsx");
    let o = gongjiang(
        &t.url,
        &["shortage-list", "--period", "2026", "--as-of", "2026-11-01", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut reader = gongjiang_tabular::RowReader::open(&out).unwrap();
    assert_eq!(reader.headers()[..3], ["序号", "职业（工种）名称", "职业代码"]);
    let rows: Vec<Vec<String>> = reader.by_ref().map(|r| r.unwrap().cells).collect();
    let firsts: Vec<(&str, &str, &str, &str)> =
        rows.iter().map(|r| (r[0].as_str(), r[2].as_str(), r[3].as_str(), r[4].as_str())).collect();
    assert_eq!(firsts, [("1", "6-18-01-01", "高端装备", "较紧缺"), ("2", "6-25-04-01", "集成电路", "较紧缺")]);

    let o = gongjiang(&t.url, &["supply-gap", "--format", "xlsx"]);
    assert!(!o.status.success(), "xlsx needs --out");
}

#[test]
fn evaluation_commands_refuse_unknown_sessions_with_exit_one() {
    let t = TestDb::sqlite();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scores.csv");
    std::fs::write(&file, "身份证号,理论成绩,技能成绩\n120101199001010001,80,80\n").unwrap();
    let o = gongjiang(&t.url, &["evaluation", "scores-file", "--session", "999", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("没有编号为 999 的评价计划") && err.contains("no session 999"), "{err}");
    let o = gongjiang(&t.url, &["evaluation", "finalise", "--session", "999"]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
}

#[test]
fn kpi_recount_checks_and_rebuilds_the_maintained_counts() {
    let t = TestDb::sqlite();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        let o = gongjiang(&t.url, &["import", kind, fixture(file).to_str().unwrap()]);
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
    }
    let o = gongjiang(&t.url, &["kpi", "recount", "--check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("KPI counts match a recount"), "{}", stdout(&o));
    let o = gongjiang(&t.url, &["kpi", "recount"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("KPI counts rebuilt"), "{}", stdout(&o));
}
