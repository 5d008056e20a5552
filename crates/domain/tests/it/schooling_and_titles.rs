//! Issue 13's routes through schooling and titles: every education record with its date (the
//! class attended decides, 应届 only in the graduating year, a student is not a graduate), titles
//! through the correspondence table (silent = needs review), and bridging from skill levels to
//! titles. Expectations are derived by hand from the shipped Tianjin policy.

use std::sync::OnceLock;

use gongjiang_domain::dates::parse_date;
use gongjiang_domain::eligibility::{
    Candidate, HeldLevel, HeldTitle, Schooling, TitleGrade, WorkSpell, decide, decide_title, resolve_title,
};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::{Policy, TIANJIN_TOML};
use gongjiang_domain::registry::{Education, TitleSeries};
use gongjiang_domain::standards::Asked;
use time::Date;

/// 电工.
const OCC: &str = "6-31-01-03";

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::tianjin)
}

fn d(s: &str) -> Date {
    parse_date(s).unwrap()
}

fn lv(name: &str) -> Level {
    policy().ladder.parse_level(name).unwrap()
}

fn person() -> Candidate {
    Candidate {
        birth_date: d("2000-03-01"),
        education: None,
        graduated_on: None,
        schooling: Vec::new(),
        levels: Vec::new(),
        work: Vec::new(),
        titles: Vec::new(),
        registered_occupation: Some(OCC.into()),
    }
}

fn graduate(e: Education, on: &str) -> Schooling {
    Schooling { education: e, major: None, graduated_on: Some(d(on)), expected_on: None }
}

fn student(e: Education, expected: &str) -> Schooling {
    Schooling {
        education: e, major: Some("电气自动化".into()), graduated_on: None, expected_on: Some(d(expected))
    }
}

fn working_since(mut c: Candidate, start: &str) -> Candidate {
    c.work.push(WorkSpell { occupation: Some(OCC.into()), start: d(start), end: None });
    c
}

fn judge(c: &Candidate, edition: &str, level: &str, on: &str) -> gongjiang_domain::eligibility::Decision {
    decide(policy(), &[], c, OCC, lv(level), d(on), Asked::Edition(edition))
}

#[test]
fn a_pre_technician_class_graduate_with_2_years_work_may_apply_for_technician_under_2018_without_a_level() {
    let mut c = working_since(person(), "2021-08-01");
    c.schooling.push(graduate(Education::TechSchoolPreTechnician, "2021-07-01"));
    // Two years of work are reached on 2023-08-01, not a day before.
    let before = judge(&c, "2018", "技师", "2023-07-31");
    assert!(!before.eligible);
    assert_eq!(before.earliest_eligible_on, Some(d("2023-08-01")));
    let on_time = judge(&c, "2018", "技师", "2023-08-01");
    assert!(on_time.eligible);
    assert_eq!(on_time.rule.as_deref(), Some("2018-L5-2b"));
    // The 预备技师 certificate is stood in for by the class attended [I]: the answer says so.
    assert!(on_time.inferred);
    assert!(c.levels.is_empty());
    // The newer template has no such route (its clause (4) is a [GAP]): 5 years after 高级工.
    assert!(!judge(&c, "2023", "技师", "2023-08-01").eligible);
}

#[test]
fn the_class_attended_decides_not_the_school() {
    // The same 技师学院, its 高级工班: not the pre-technician route.
    let mut c = working_since(person(), "2021-08-01");
    c.schooling.push(graduate(Education::TechSchoolAdvanced, "2021-07-01"));
    let decision = judge(&c, "2018", "技师", "2023-08-01");
    assert!(!decision.eligible);
    let r = decision.rules.iter().find(|r| r.rule == "2018-L5-2b").unwrap();
    assert_eq!(r.conditions[0].reason.zh, "登记的学历（技工院校高级工班）不在规则所列范围：技师学院预备技师班");
    // The school's name alone is not a class: files must say which.
    assert!(Education::ambiguous_school("技师学院"));
    assert_eq!(Education::parse("技师学院"), None);
    assert_eq!(Education::parse("预备技师班"), Some(Education::TechSchoolPreTechnician));
}

#[test]
fn a_technician_college_graduate_who_later_earned_an_associate_degree_keeps_the_technician_school_routes() {
    let base = working_since(person(), "2021-08-01");
    let mut c = base.clone();
    c.schooling.push(graduate(Education::TechSchoolPreTechnician, "2021-07-01"));
    c.schooling.push(graduate(Education::HigherVocational, "2024-01-10"));
    let decision = judge(&c, "2018", "技师", "2024-06-01");
    assert!(decision.eligible);
    assert_eq!(decision.rule.as_deref(), Some("2018-L5-2b"));
    let cond = &decision.rules.iter().find(|r| r.rule == "2018-L5-2b").unwrap().conditions[0];
    assert_eq!(cond.reason.zh, "技师学院预备技师班（2021-07-01 毕业），属于规则所列学历（专业是否对口未核验）");
    // With only the registry's one "highest education" (大专) the route was lost.
    let mut highest_only = base;
    highest_only.education = Some(Education::HigherVocational);
    assert!(!judge(&highest_only, "2018", "技师", "2024-06-01").eligible);
}

#[test]
fn a_graduating_student_counts_only_in_the_graduating_year() {
    // A 中级工班 student who started in 2023-09 and expects to graduate on 2026-07-01.
    let mut c = person();
    c.schooling.push(student(Education::TechSchoolIntermediate, "2026-07-01"));
    // First year: not a graduate, not yet graduating.
    let first_year = judge(&c, "2023", "中级工", "2023-10-01");
    assert!(!first_year.eligible);
    assert_eq!(first_year.earliest_eligible_on, Some(d("2025-07-01")));
    let cond = &first_year.rules.iter().find(|r| r.rule == "2023-L3-3").unwrap().conditions[0];
    assert_eq!(
        cond.reason.zh,
        "尚未进入毕业年度：技工院校中级工班（电气自动化，在读，预计 2026-07-01 毕业）（2025-07-01 起可按应届毕业生申报）"
    );
    assert!(!judge(&c, "2023", "中级工", "2025-06-30").eligible);
    // The graduating year: 2023-L3-3 includes graduating students.
    let graduating = judge(&c, "2023", "中级工", "2025-07-01");
    assert!(graduating.eligible);
    assert_eq!(graduating.rule.as_deref(), Some("2023-L3-3"));
    assert!(!graduating.inferred);
    // A rule without 应届 does not take a student: 2018-L5-2b needs a graduate.
    let mut pre = working_since(person(), "2020-01-01");
    pre.schooling.push(student(Education::TechSchoolPreTechnician, "2026-07-01"));
    let r = judge(&pre, "2018", "技师", "2025-07-01");
    assert!(!r.eligible);
    let cond = &r.rules.iter().find(|r| r.rule == "2018-L5-2b").unwrap().conditions[0];
    assert!(cond.reason.zh.starts_with("尚未毕业："), "{}", cond.reason.zh);
    // Past the expected date with no graduation on record: counts only provisionally.
    let late = judge(&c, "2023", "中级工", "2026-08-01");
    assert!(late.eligible);
    assert!(late.inferred);
    let cond = &late.rules.iter().find(|r| r.rule == "2023-L3-3").unwrap().conditions[0];
    assert!(cond.needs_review);
    assert!(cond.reason.zh.starts_with("待人工核实："), "{}", cond.reason.zh);
}

fn titled(name: &str, grade: TitleGrade, obtained: &str) -> Candidate {
    let mut c = person();
    c.titles.push(HeldTitle { series: TitleSeries::Engineering, name: name.into(), grade, obtained_on: d(obtained) });
    c
}

#[test]
fn a_title_route_is_met_through_the_correspondence_table_and_says_what_needs_review() {
    // 2023-L4-3: a junior title with a matching specialty, held 1 year → 高级工.
    let c = titled("助理工程师（电气）", TitleGrade::Junior, "2024-01-01");
    assert!(!judge(&c, "2023", "高级工", "2024-12-31").eligible);
    let met = judge(&c, "2023", "高级工", "2025-01-01");
    assert!(met.eligible);
    assert_eq!(met.rule.as_deref(), Some("2023-L4-3"));
    let cond = &met.rules.iter().find(|r| r.rule == "2023-L4-3").unwrap().conditions[0];
    // The 电气 ↔ 电工 row is our reading of the names [I]: met, and said to need review.
    assert!(cond.met && cond.needs_review);
    assert!(cond.reason.zh.contains("推断的对应关系"), "{}", cond.reason.zh);
    assert!(met.inferred);
    assert!(met.notes.iter().any(|n| n.zh.starts_with("待人工核实")));
    // A title the table maps to other occupations does not count: 机械 → 6-18, 6-20, 6-31-01-02.
    let other = titled("机械工程师", TitleGrade::Intermediate, "2020-01-01");
    let r = judge(&other, "2023", "技师", "2025-01-01");
    let cond = &r.rules.iter().find(|r| r.rule == "2023-L5-3").unwrap().conditions[0];
    assert!(!cond.met);
    assert!(cond.reason.zh.contains("与本职业不对应"), "{}", cond.reason.zh);
    // Where the table is silent (a title with no specialty in its name): needs review, not unmet.
    let silent = titled("工程师", TitleGrade::Intermediate, "2020-01-01");
    let r = judge(&silent, "2023", "技师", "2025-01-01");
    assert!(r.eligible);
    assert_eq!(r.rule.as_deref(), Some("2023-L5-3"));
    assert!(r.inferred);
    // 副高级 stands for "高级职称" in 2023-L6-3 and 正高级 is higher still.
    let senior = titled("正高级工程师", TitleGrade::Senior, "2020-01-01");
    assert!(judge(&senior, "2023", "高级技师", "2025-01-01").eligible);
}

fn senior_worker_since(obtained: &str, occupation: &str) -> Candidate {
    let mut c = person();
    c.levels.push(HeldLevel {
        occupation: occupation.into(),
        level: lv("高级工"),
        obtained_on: d(obtained),
        revoked_on: None,
    });
    c
}

#[test]
fn bridging_to_a_title_is_decided_with_the_earliest_date() {
    // 高级工 since 2022-03-01 (in 焊工, another occupation: levels count in any occupation).
    let c = senior_worker_since("2022-03-01", "6-18-02-04");
    let (series, grade) = resolve_title(policy(), "助理工程师", None).unwrap();
    assert_eq!((series, grade), (TitleSeries::Engineering, TitleGrade::Junior));
    let not_yet = decide_title(policy(), &c, "助理工程师", series, grade, d("2024-02-29"));
    assert!(!not_yet.eligible);
    assert_eq!(not_yet.earliest_eligible_on, Some(d("2024-03-01")));
    assert_eq!(
        not_yet.summary().zh,
        "暂不符合申报助理工程师（工程技术系列，初级职称）条件：需再任高级工 1 天：2022-03-01 起持有，规则要求 2 年（2024-03-01 满足）；最早可于 2024-03-01 申报（规则 bridge-engineering-junior）"
    );
    assert_eq!(not_yet.reasons[0], not_yet.summary());
    let yes = decide_title(policy(), &c, "助理工程师", series, grade, d("2024-03-01"));
    assert!(yes.eligible);
    assert_eq!(yes.rule.as_deref(), Some("bridge-engineering-junior"));
    assert_eq!(yes.edition, "津人社局发〔2022〕26号");
    assert!(!yes.inferred, "the national engineering rule is sourced");
    // 工程师 needs 技师: waiting alone will not do.
    let (s, g) = resolve_title(policy(), "工程师", None).unwrap();
    let engineer = decide_title(policy(), &c, "工程师", s, g, d("2030-01-01"));
    assert!(!engineer.eligible);
    assert_eq!(engineer.earliest_eligible_on, None);
    // Another Tianjin series mirrors the national years [I]: 高级工 2 years → 助理农艺师.
    let (s, g) = resolve_title(policy(), "初级", Some(TitleSeries::Agriculture)).unwrap();
    let agri = decide_title(policy(), &c, "初级", s, g, d("2024-03-01"));
    assert!(agri.eligible);
    assert!(agri.inferred);
    // An unknown title is refused with the ones the policy knows.
    let err = resolve_title(policy(), "总工程师", None).unwrap_err();
    assert!(err.zh.contains("助理工程师"), "{}", err.zh);
}

#[test]
fn every_title_row_of_the_policy_carries_its_source() {
    let t = &policy().titles;
    assert!(!t.correspondence.is_empty() && t.bridging.len() == 24);
    let sourced = |s: &str| ["[C]", "[C3]", "[I]", "[GAP]"].iter().any(|m| s.contains(m));
    for r in &t.correspondence {
        assert!(sourced(&r.source), "{:?}", r);
    }
    for r in &t.bridging {
        assert!(sourced(&r.source), "{}", r.id);
    }
    // The 8 Tianjin series each have a route for every grade up to 副高级.
    for s in [
        TitleSeries::Engineering,
        TitleSeries::Agriculture,
        TitleSeries::ArtsAndCrafts,
        TitleSeries::CulturalHeritage,
        TitleSeries::Laboratory,
        TitleSeries::Art,
        TitleSeries::Sports,
        TitleSeries::TechnicianSchoolTeacher,
    ] {
        for g in [TitleGrade::Junior, TitleGrade::Intermediate, TitleGrade::DeputySenior] {
            assert_eq!(t.routes(s, g).count(), 1, "{s:?} {g:?}");
        }
    }
}

#[test]
fn a_bad_title_row_is_named_by_its_key() {
    let text = TIANJIN_TOML.replacen(
        "series = \"工程技术\"\nspecialty = \"电气\"",
        "series = \"炼金术\"\nspecialty = \"电气\"",
        1,
    );
    let errors = Policy::from_toml_str(&text, "bad.toml").unwrap_err();
    assert!(
        errors.iter().any(|e| e.key == "titles.correspondence[0].series" && e.why.zh.contains("未知的职称系列")),
        "{errors:?}"
    );
}

#[test]
fn the_pathway_is_per_occupation_skips_revoked_levels_and_never_offers_apprentice() {
    use gongjiang_domain::eligibility::pathway;
    // 电工 (registered): 中级工 since 2015, work since 2010. 焊工: 高级工 revoked in 2020. 车工:
    // work since 2024 only.
    let mut c = working_since(person(), "2010-01-01");
    c.birth_date = d("1990-01-01");
    c.levels.push(HeldLevel {
        occupation: OCC.into(),
        level: lv("中级工"),
        obtained_on: d("2015-01-01"),
        revoked_on: None,
    });
    c.levels.push(HeldLevel {
        occupation: "6-18-02-04".into(),
        level: lv("高级工"),
        obtained_on: d("2016-01-01"),
        revoked_on: Some(d("2020-01-01")),
    });
    c.work.push(WorkSpell { occupation: Some("6-18-01-01".into()), start: d("2024-01-01"), end: None });
    let p = pathway(policy(), &[], &c, d("2025-06-01"));
    assert_eq!(p.iter().map(|x| x.occupation.as_str()).collect::<Vec<_>>(), [OCC, "6-18-01-01"], "no revoked 焊工");
    let names = |ds: &[gongjiang_domain::eligibility::Decision]| {
        ds.iter().map(|d| policy().ladder.name_zh(d.target).to_owned()).collect::<Vec<_>>()
    };
    // 电工: 高级工 now (2023-L4-1, 10 years' work, and 2023-L4-2); 技师 needs 高级工 first.
    assert_eq!(p[0].current, Some(lv("中级工")));
    assert_eq!(names(&p[0].may_apply), ["高级工"]);
    let next = p[0].next.as_ref().unwrap();
    assert_eq!((next.target, next.earliest_eligible_on), (lv("技师"), None));
    // 车工: no level; 初级工 now (aged 16), 中级工 after 5 years' work there, on 2029-01-01.
    assert_eq!(p[1].current, None);
    assert_eq!(names(&p[1].may_apply), ["初级工"], "not 学徒工, which employers grade");
    let next = p[1].next.as_ref().unwrap();
    assert_eq!((next.target, next.earliest_eligible_on), (lv("中级工"), Some(d("2029-01-01"))));
}
