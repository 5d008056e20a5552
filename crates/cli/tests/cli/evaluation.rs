//! `gongjiang evaluation …`: a whole session walked through the binary alone on a fresh SQLite
//! file, from filing the institution to the publicity period, with each refusal a user would
//! meet (ineligible applicant, too few examiners, finalising during publicity) exiting 1 with
//! its reason in both languages.

use std::process::Output;

use gongjiang_testkit::TestDb;

use super::{fixture, gongjiang, json, stdout};

const WANG: &str = "120116198503123011";
const LI: &str = "120104199207054022";

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `gongjiang evaluation ARGS` and asserts its exit code.
fn evaluation(db: &str, args: &[&str], code: i32) -> Output {
    let mut all = vec!["evaluation"];
    all.extend_from_slice(args);
    let o = gongjiang(db, &all);
    assert_eq!(o.status.code(), Some(code), "evaluation {args:?}\nstdout: {}\nstderr: {}", stdout(&o), stderr(&o));
    o
}

fn id_of(o: &Output, key: &str) -> String {
    json(o)[key].as_i64().unwrap_or_else(|| panic!("no {key} in {}", stdout(o))).to_string()
}

#[test]
fn a_session_is_run_from_the_shell_up_to_its_publicity_period() {
    let t = TestDb::sqlite();
    let db = t.url.as_str();
    for (kind, file) in [("orgs", "orgs_mixed.csv"), ("persons", "persons_mixed.csv"), ("levels", "levels_mixed.csv")] {
        let o = gongjiang(db, &["import", kind, fixture(file).to_str().unwrap()]);
        assert!(o.status.success(), "{kind}: {}", stderr(&o));
    }

    // An employer-type institution needs its organisation: refused without, with the reason.
    let filing = ["institution-file", "--body-code", "0000", "--province", "12", "--site-serial", "000321"];
    let o = evaluation(db, &[&filing[..], &["--category", "Y", "--name", "天津滨海精工认定站"]].concat(), 1);
    assert!(stderr(&o).contains("须关联") && stderr(&o).contains("must be linked"), "{}", stderr(&o));
    let o = evaluation(
        db,
        &[&filing[..], &["--category", "S", "--name", "天津市某职业技能等级认定中心", "--format", "json"]].concat(),
        0,
    );
    let inst = id_of(&o, "institution_id");
    let o = evaluation(
        db,
        &["institution-scope", "--institution", &inst, "--occupation", "6-18-01-01", "--levels", "高级工,技师"]
            .iter()
            .copied()
            .chain(["--from", "2026-01-01"])
            .collect::<Vec<_>>(),
        0,
    );
    assert!(stdout(&o).contains("技师") && stdout(&o).contains("scope filed"), "{}", stdout(&o));

    // A 技师 session: it needs a review date, and the scope covers it.
    let plan = |level: &str, review: &[&'static str]| {
        let mut args = vec![
            "session-plan",
            "--institution",
            &inst,
            "--occupation",
            "6-18-01-01",
            "--level",
            level,
            "--standard",
            "2018版",
            "--theory-on",
            "2026-12-10",
            "--practical-on",
            "2026-12-11",
            "--site",
            "天津市滨海新区某路1号",
            "--capacity",
            "10",
            "--rooms",
            "1",
            "--format",
            "json",
        ];
        args.extend_from_slice(review);
        args.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let args = plan("技师", &[]);
    let o = evaluation(db, &args.iter().map(String::as_str).collect::<Vec<_>>(), 1);
    assert!(stderr(&o).contains("综合评审日期") && stderr(&o).contains("review date"), "{}", stderr(&o));
    let args = plan("技师", &["--review-on", "2026-12-12"]);
    let session = id_of(&evaluation(db, &args.iter().map(String::as_str).collect::<Vec<_>>(), 0), "session_id");
    let s = session.as_str();

    // Applications wait for the session to open.
    let apply_wang = ["apply", "--session", s, "--id-number", WANG, "--on", "2026-06-01", "--format", "json"];
    let o = evaluation(db, &apply_wang, 1);
    assert!(stderr(&o).contains("计划中"), "{}", stderr(&o));
    evaluation(db, &["session-open", s], 0);

    // 王建国 has held 高级工 in this occupation since 2016: admitted, with the rule met — of the
    // 2018 edition, the one the session's standard (2018版) names.
    let o = evaluation(db, &apply_wang, 0);
    let wang = json(&o);
    assert_eq!(wang["admitted"], true, "{wang}");
    assert_eq!(wang["decision"]["rule"], "2018-L5-1", "{wang}");
    assert_eq!(wang["decision"]["edition_basis"], "session", "{wang}");
    // 李秀英 holds 高级工 in another occupation only: refused and stored, the reason printed.
    let o = evaluation(db, &["apply", "--session", s, "--id-number", LI, "--on", "2026-06-01", "--by", "李秀英"], 1);
    let out = stdout(&o);
    assert!(out.contains("不予受理") && out.contains("refused"), "{out}");
    assert!(out.contains("未持有本职业或相关职业的高级工") && out.contains("holds no 高级工"), "{out}");
    // "报名 2 不予受理 …": the id to admit by override.
    let li_app = out.split_whitespace().nth(1).filter(|w| w.parse::<i64>().is_ok()).expect(&out).to_string();
    // Applying twice stores nothing and says why.
    let o = evaluation(db, &apply_wang, 1);
    assert!(stderr(&o).contains("已报名"), "{}", stderr(&o));

    // 破格: refused without a justification, admitted with one.
    let o = evaluation(db, &["admit", &li_app, "--by", "管理员", "--justification", " "], 1);
    assert!(stderr(&o).contains("破格理由"), "{}", stderr(&o));
    let o = evaluation(db, &["admit", &li_app, "--by", "管理员", "--justification", "解决重大工艺难题"], 0);
    assert!(stdout(&o).contains("admitted by override"), "{}", stdout(&o));

    // Two candidates, one room, a review level: 2 invigilators, 3 examiners, a panel of 3.
    let o = evaluation(db, &["session-examiners", s, "--role", "invigilator", "--names", "张三,李四"], 0);
    assert!(stdout(&o).contains("至少 3 名") && stdout(&o).contains("still missing"), "{}", stdout(&o));
    evaluation(db, &["session-examiners", s, "--role", "examiner", "--names", "王五,赵六"], 0);
    let o = evaluation(
        db,
        &["session-examiners", s, "--role", "panel", "--names", "评一，评二，评三", "--format", "json"],
        0,
    );
    let check = json(&o);
    assert_eq!(check["staffing"]["required"]["examiners"], 3, "{check}");
    assert_eq!(check["staffing"]["missing"].as_array().map(Vec::len), Some(1), "only the examiners are short: {check}");
    let o = evaluation(db, &["session-examined", s], 1);
    assert!(stderr(&o).contains("考评人员不足") && stderr(&o).contains("2 assigned"), "{}", stderr(&o));
    let o = evaluation(db, &["session-examiners", s, "--role", "examiner", "--names", "钱七"], 0);
    assert!(stdout(&o).contains("fully staffed"), "{}", stdout(&o));
    evaluation(db, &["session-examined", s], 0);

    // Scores: a review score is needed at 技师; 李秀英 fails the practical.
    let o = evaluation(db, &["score", "--session", s, "--id-number", WANG, "--theory", "85.5", "--practical", "70"], 1);
    assert!(stderr(&o).contains("综合评审"), "{}", stderr(&o));
    let score = ["score", "--session", s, "--id-number"];
    let o = evaluation(
        db,
        &[&score[..], &[WANG, "--theory", "85.5", "--practical", "70", "--review", "80", "--format", "json"]].concat(),
        0,
    );
    assert_eq!(json(&o)["result"], "pass");
    let o = evaluation(db, &[&score[..], &[LI, "--theory", "75", "--practical", "55", "--review", "70"]].concat(), 0);
    assert!(stdout(&o).contains("不合格") && stdout(&o).contains("fail"), "{}", stdout(&o));

    // Publicity, an objection lodged and dismissed.
    let o = evaluation(db, &["publish", "--session", s, "--format", "json"], 0);
    let period = json(&o);
    let ends = period["publicity_ends_on"].as_str().unwrap().to_string();
    assert!(ends.as_str() > period["published_on"].as_str().unwrap(), "{period}");
    let o = evaluation(
        db,
        &["objection", "--application", &li_app, "--by", "李秀英", "--text", "技能考核评分有误", "--format", "json"],
        0,
    );
    let objection = id_of(&o, "objection_id");
    let o =
        evaluation(db, &["objection-resolve", &objection, "--dismissed", "--by", "管理员", "--note", "复核无误"], 0);
    assert!(stdout(&o).contains("dismissed"), "{}", stdout(&o));
    let o =
        evaluation(db, &["objection-resolve", &objection, "--dismissed", "--by", "管理员", "--note", "复核无误"], 1);
    assert!(stderr(&o).contains("已处理"), "resolved once only: {}", stderr(&o));

    // Finalising waits for the end of the publicity period (the app-level and HTTP tests, which
    // can move the clock, cover issuing).
    let o = evaluation(db, &["finalise", "--session", s], 1);
    assert!(
        stderr(&o).contains(&format!("公示期至 {ends} 结束")) && stderr(&o).contains("runs until"),
        "{}",
        stderr(&o)
    );
}
