//! The eligibility engine against the shipped Tianjin rules: every rule met and not met by a
//! hand-built person, the exact explanations, as-of dates, and properties over random records.

use std::sync::OnceLock;

use gongjiang_domain::dates::parse_date;
use gongjiang_domain::eligibility::{
    Candidate, ConditionOutcome, Decision, HeldLevel, HeldTitle, RuleOutcome, TitleGrade, WorkSpell, evaluate,
    evaluate_with_edition, is_eligible,
};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::{Policy, TIANJIN_TOML};
use gongjiang_domain::registry::{Education, TitleSeries};
use proptest::prelude::*;
use time::Date;

/// 车工, and 铣工 in the same minor group (a related occupation), and 电工 (unrelated).
const OCC: &str = "6-18-01-01";
const RELATED: &str = "6-18-01-02";
const OTHER: &str = "6-31-01-03";
const ON: &str = "2025-06-01";

fn policy() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(Policy::tianjin)
}

fn d(s: &str) -> Date {
    parse_date(s).unwrap_or_else(|| panic!("bad test date {s}"))
}

fn lv(name: &str) -> Level {
    policy().ladder.parse_level(name).unwrap_or_else(|| panic!("bad level {name}"))
}

/// A person born on 1990-01-01 with an empty record.
fn person() -> Candidate {
    born("1990-01-01")
}

fn born(birth: &str) -> Candidate {
    Candidate {
        birth_date: d(birth),
        education: None,
        graduated_on: None,
        schooling: Vec::new(),
        levels: Vec::new(),
        work: Vec::new(),
        titles: Vec::new(),
        registered_occupation: None,
    }
}

/// Builder steps for a candidate.
trait Record: Sized {
    fn level_in(self, occupation: &str, name: &str, obtained: &str) -> Self;
    fn level(self, name: &str, obtained: &str) -> Self {
        self.level_in(OCC, name, obtained)
    }
    fn revoked_level(self, name: &str, obtained: &str, revoked: &str) -> Self;
    fn work_in(self, occupation: Option<&str>, start: &str, end: Option<&str>) -> Self;
    fn work(self, start: &str) -> Self {
        self.work_in(Some(OCC), start, None)
    }
    fn edu(self, e: Education, graduated: &str) -> Self;
    fn title(self, grade: TitleGrade, obtained: &str) -> Self;
}

impl Record for Candidate {
    fn level_in(mut self, occupation: &str, name: &str, obtained: &str) -> Self {
        self.levels.push(HeldLevel {
            occupation: occupation.to_owned(),
            level: lv(name),
            obtained_on: d(obtained),
            revoked_on: None,
        });
        self
    }
    fn revoked_level(mut self, name: &str, obtained: &str, revoked: &str) -> Self {
        self.levels.push(HeldLevel {
            occupation: OCC.to_owned(),
            level: lv(name),
            obtained_on: d(obtained),
            revoked_on: Some(d(revoked)),
        });
        self
    }
    fn work_in(mut self, occupation: Option<&str>, start: &str, end: Option<&str>) -> Self {
        self.work.push(WorkSpell { occupation: occupation.map(str::to_owned), start: d(start), end: end.map(d) });
        self
    }
    fn edu(mut self, e: Education, graduated: &str) -> Self {
        self.education = Some(e);
        self.graduated_on = Some(d(graduated));
        self
    }
    fn title(mut self, grade: TitleGrade, obtained: &str) -> Self {
        let name = ["助理工程师", "工程师", "高级工程师", "正高级工程师"][grade as usize];
        self.titles.push(HeldTitle {
            series: TitleSeries::Engineering,
            name: name.into(),
            grade,
            obtained_on: d(obtained),
        });
        self
    }
}

fn judge(edition: &str, c: &Candidate, target: &str, on: &str) -> Decision {
    evaluate_with_edition(policy(), c, OCC, lv(target), d(on), edition)
}

fn outcome<'a>(decision: &'a Decision, rule: &str) -> &'a RuleOutcome {
    decision.rules.iter().find(|r| r.rule == rule).unwrap_or_else(|| panic!("{rule} not judged: {decision:#?}"))
}

fn rule_of(decision: Decision, rule: &str) -> RuleOutcome {
    outcome(&decision, rule).clone()
}

fn condition(decision: Decision, rule: &str, i: usize) -> ConditionOutcome {
    outcome(&decision, rule).conditions[i].clone()
}

// --- every rule, met and not met -------------------------------------------------------------

/// One rule: a person who meets it, one who does not, and whether the one who meets it
/// qualifies through this rule first (no earlier rule of the level is met too).
struct Case {
    rule: &'static str,
    target: &'static str,
    meets: Candidate,
    fails: Candidate,
    first: bool,
}

fn case(rule: &'static str, target: &'static str, meets: Candidate, fails: Candidate) -> Case {
    Case { rule, target, meets, fails, first: true }
}

fn cases() -> Vec<Case> {
    use Education::*;
    use TitleGrade::*;
    let p = person;
    vec![
        // 2018 template
        case("2018-L2-1", "初级工", p().work("2024-01-01"), p().work("2025-01-01")),
        case("2018-L2-2", "初级工", p().level("学徒工", "2025-03-01"), p()),
        case("2018-L3-1", "中级工", p().level("初级工", "2021-05-01"), p().level("初级工", "2022-06-01")),
        case("2018-L3-2", "中级工", p().work("2019-01-01"), p().work("2020-01-01")),
        case(
            "2018-L3-3",
            "中级工",
            p().edu(TechSchoolIntermediate, "2024-07-01"),
            p().edu(SeniorSecondary, "2010-07-01"),
        ),
        case("2018-L4-1", "高级工", p().level("中级工", "2020-01-01"), p().level("中级工", "2021-01-01")),
        case(
            "2018-L4-2",
            "高级工",
            p().level("中级工", "2024-01-01").edu(TechSchoolAdvanced, "2023-07-01"),
            p().level("中级工", "2024-01-01").edu(SecondaryVocational, "2023-07-01"),
        ),
        case(
            "2018-L4-3",
            "高级工",
            p().level("中级工", "2023-01-01").edu(Bachelor, "2015-07-01"),
            p().level("中级工", "2024-01-01").edu(Bachelor, "2015-07-01"),
        ),
        case("2018-L5-1", "技师", p().level("高级工", "2021-01-01"), p().level("高级工", "2022-01-01")),
        case(
            "2018-L5-2a",
            "技师",
            p().level("高级工", "2024-01-01").edu(TechSchoolAdvanced, "2021-07-01").work("2022-01-01"),
            p().level("高级工", "2024-01-01").edu(TechSchoolAdvanced, "2021-07-01").work("2023-01-01"),
        ),
        case(
            "2018-L5-2b",
            "技师",
            p().edu(TechSchoolPreTechnician, "2022-07-01").work("2023-01-01"),
            p().edu(TechSchoolPreTechnician, "2022-07-01").work("2024-01-01"),
        ),
        case("2018-L6-1", "高级技师", p().level("技师", "2021-01-01"), p().level("技师", "2022-01-01")),
        case("2018-L7-1", "特级技师", p().level("高级技师", "2020-01-01"), p().level("技师", "2010-01-01")),
        case("2018-L8-1", "首席技师", p().level("特级技师", "2024-01-01"), p().level("高级技师", "2010-01-01")),
        // Newer template
        case("2023-L2-1", "初级工", born("2009-01-01"), born("2009-12-01")),
        Case { first: false, ..case("2023-L2-2", "初级工", born("2009-06-01"), born("2009-06-02")) },
        case("2023-L3-1", "中级工", p().work("2020-01-01"), p().work("2021-01-01")),
        case("2023-L3-2", "中级工", p().level("初级工", "2022-05-01"), p().level("初级工", "2023-01-01")),
        case("2023-L3-3", "中级工", p().edu(Bachelor, "2020-07-01"), p().edu(SeniorSecondary, "2008-07-01")),
        case("2023-L4-1", "高级工", p().work("2015-01-01"), p().work("2016-01-01")),
        case("2023-L4-2", "高级工", p().level("中级工", "2021-01-01"), p().level("中级工", "2022-01-01")),
        case("2023-L4-3", "高级工", p().title(Junior, "2024-01-01"), p().title(Junior, "2025-01-01")),
        case(
            "2023-L4-4",
            "高级工",
            p().edu(TechSchoolAdvanced, "2024-07-01"),
            p().edu(TechSchoolIntermediate, "2024-07-01"),
        ),
        // The person failing 2023-L4-5 is still eligible through 2023-L4-6 (graduates only).
        case(
            "2023-L4-5",
            "高级工",
            p().level("中级工", "2024-01-01").edu(HigherVocational, "2023-07-01"),
            p().edu(HigherVocational, "2023-07-01"),
        ),
        case(
            "2023-L4-6",
            "高级工",
            p().edu(HigherVocational, "2020-07-01"),
            p().edu(SecondaryVocational, "2020-07-01"),
        ),
        case("2023-L5-1", "技师", p().level("高级工", "2020-01-01"), p().level("高级工", "2021-01-01")),
        case(
            "2023-L5-2",
            "技师",
            p().title(Junior, "2020-01-01").level("高级工", "2023-01-01").work("2018-01-01"),
            p().title(Junior, "2020-01-01").level("高级工", "2024-09-01").work("2018-01-01"),
        ),
        case("2023-L5-3", "技师", p().title(Intermediate, "2024-01-01"), p().title(Intermediate, "2025-01-01")),
        case("2023-L6-1", "高级技师", p().level("技师", "2020-01-01"), p().level("技师", "2021-01-01")),
        case(
            "2023-L6-2",
            "高级技师",
            p().title(Intermediate, "2019-01-01").level("技师", "2023-01-01").work("2015-01-01"),
            p().title(Intermediate, "2019-01-01").level("技师", "2024-09-01").work("2015-01-01"),
        ),
        case("2023-L6-3", "高级技师", p().title(Senior, "2024-01-01"), p().title(Senior, "2025-01-01")),
        case("2023-L7-1", "特级技师", p().level("高级技师", "2025-01-01"), p()),
        case("2023-L8-1", "首席技师", p().level("特级技师", "2025-01-01"), p().level("特级技师", "2025-06-02")),
    ]
}

#[test]
fn every_rule_is_met_by_one_person_and_not_by_another() {
    for c in cases() {
        let edition = &c.rule[..4];
        let yes = judge(edition, &c.meets, c.target, ON);
        assert!(outcome(&yes, c.rule).met, "{}: not met by the qualifying person: {:#?}", c.rule, yes);
        assert!(yes.eligible, "{}", c.rule);
        assert_eq!(yes.earliest_eligible_on, Some(d(ON)), "{}", c.rule);
        if c.first {
            assert_eq!(yes.rule.as_deref(), Some(c.rule), "{}: another rule matched first", c.rule);
        }
        assert!(outcome(&yes, c.rule).conditions.iter().all(|k| k.met && k.met_on == Some(d(ON))), "{}", c.rule);

        let no = judge(edition, &c.fails, c.target, ON);
        let r = outcome(&no, c.rule);
        assert!(!r.met, "{}: met by the person who should fail: {:#?}", c.rule, no);
        assert!(
            r.conditions.iter().any(|k| !k.met && !k.reason.zh.is_empty() && !k.reason.en.is_empty()),
            "{}",
            c.rule
        );
        if c.rule != "2023-L4-5" {
            assert!(!no.eligible, "{}: {:?}", c.rule, no.rule);
        }
    }
}

#[test]
fn every_shipped_rule_has_a_case() {
    let covered: Vec<&str> = cases().iter().map(|c| c.rule).collect();
    for e in &policy().eligibility.editions {
        for r in &e.rules {
            if r.all.is_empty() {
                continue; // unconditional: see apprentice_rules_have_no_conditions
            }
            assert!(covered.contains(&r.id.as_str()), "rule {} has no test case", r.id);
        }
    }
}

#[test]
fn apprentice_rules_have_no_conditions() {
    for (edition, rule) in [("2018", "2018-L1-1"), ("2023", "2023-L1-1")] {
        let yes = judge(edition, &person(), "学徒工", ON);
        assert!(yes.eligible && outcome(&yes, rule).conditions.is_empty());
        assert_eq!(yes.rule.as_deref(), Some(rule));
        // Before the edition is in force nobody qualifies under it.
        let no = judge(edition, &person(), "学徒工", "2017-06-01");
        assert!(!no.eligible && no.rules.is_empty());
        assert_eq!(no.notes[0].en, format!("edition {edition} is not in force on 2017-06-01"));
    }
}

// --- exact explanations ------------------------------------------------------------------------

#[test]
fn needs_more_years_is_said_exactly() {
    let c = person().level("高级工", "2022-03-01");
    let decision = evaluate(policy(), &c, OCC, lv("技师"), d("2025-03-01"));
    assert_eq!(decision.edition, "2023");
    assert!(!decision.eligible);
    let r = outcome(&decision, "2023-L5-1");
    let cond = &r.conditions[0];
    assert_eq!(cond.kind, "holds");
    assert_eq!(cond.reason.zh, "需再任高级工 2 年：2022-03-01 起持有，规则要求 5 年（2027-03-01 满足）");
    assert_eq!(
        cond.reason.en,
        "needs 2 more years as 高级工: holds it since 2022-03-01, rule requires 5 years (met on 2027-03-01)"
    );
    assert_eq!(cond.met_on, Some(d("2027-03-01")));
    assert_eq!(r.met_on, Some(d("2027-03-01")));
    assert_eq!(decision.earliest_eligible_on, Some(d("2027-03-01")));
    let summary = decision.summary();
    assert_eq!(
        summary.zh,
        "暂不符合申报二级/技师条件：需再任高级工 2 年：2022-03-01 起持有，规则要求 5 年（2027-03-01 满足）；最早可于 2027-03-01 申报（规则 2023-L5-1）"
    );
    assert!(
        summary.en.starts_with("not yet eligible for technician (二级/技师): needs 2 more years as 高级工"),
        "{}",
        summary.en
    );
    // The day before it is still not met; on the day it is.
    assert!(!evaluate(policy(), &c, OCC, lv("技师"), d("2027-02-28")).eligible);
    let then = evaluate(policy(), &c, OCC, lv("技师"), d("2027-03-01"));
    assert_eq!((then.eligible, then.rule.as_deref()), (true, Some("2023-L5-1")));
    assert_eq!(then.summary().zh, "符合申报二级/技师条件（2023 版，规则 2023-L5-1）");
}

#[test]
fn met_conditions_say_why() {
    let c = person().level("中级工", "2019-01-01");
    let decision = judge("2023", &c, "高级工", ON);
    let cond = &outcome(&decision, "2023-L4-2").conditions[0];
    assert_eq!(cond.reason.zh, "持有中级工已 6 年（2019-01-01 起），规则要求 4 年");
    assert_eq!(cond.reason.en, "has held 中级工 for 6 years (since 2019-01-01); rule requires 4 years");

    // A higher level counts for a lower one, and says so.
    let c = person().level("高级工", "2019-01-01");
    let cond = &condition(judge("2023", &c, "技师", "2023-01-01"), "2023-L5-1", 0);
    assert_eq!(cond.reason.zh, "需再任高级工 1 年：2019-01-01 起持有，规则要求 5 年（2024-01-01 满足）");
    let cond = &condition(judge("2023", &c, "高级工", ON), "2023-L4-2", 0);
    assert_eq!(cond.reason.zh, "持有高级工（不低于中级工）已 6 年（2019-01-01 起），规则要求 4 年");
    assert!(cond.met);
    let c = person().level("技师", "2024-01-01");
    let cond = &condition(judge("2023", &c, "技师", ON), "2023-L5-1", 0);
    assert_eq!(
        cond.reason.zh,
        "需再任高级工 3 年 7 个月：2024-01-01 起持有技师（不低于高级工），规则要求 5 年（2029-01-01 满足）"
    );
    assert_eq!(
        cond.reason.en,
        "needs 3 years 7 months more as 高级工: holds 技师 (高级工 or higher) since 2024-01-01, rule requires 5 years (met on 2029-01-01)"
    );

    // No years required: holding the level is enough.
    let c = person().level("中级工", "2024-01-01").edu(Education::TechSchoolAdvanced, "2023-07-01");
    let cond = &condition(judge("2018", &c, "高级工", ON), "2018-L4-2", 0);
    assert_eq!(
        (cond.reason.zh.as_str(), cond.reason.en.as_str()),
        ("2024-01-01 起持有中级工", "holds 中级工 since 2024-01-01")
    );
}

#[test]
fn partial_years_are_given_in_months_and_days() {
    // 初级工 since 2022-03-01; on 2025-06-01 the 2018 rule (4 years) is 9 months away.
    let c = person().level("初级工", "2022-03-01");
    let cond = &condition(judge("2018", &c, "中级工", ON), "2018-L3-1", 0);
    assert_eq!(cond.reason.zh, "需再任初级工 9 个月：2022-03-01 起持有，规则要求 4 年（2026-03-01 满足）");
    assert_eq!(
        cond.reason.en,
        "needs 9 months more as 初级工: holds it since 2022-03-01, rule requires 4 years (met on 2026-03-01)"
    );
    let c = person().level("初级工", "2022-03-17");
    let cond = &condition(judge("2018", &c, "中级工", ON), "2018-L3-1", 0);
    assert!(cond.reason.zh.starts_with("需再任初级工 9 个月 16 天："), "{}", cond.reason.zh);
    assert!(cond.reason.en.starts_with("needs 9 months 16 days more as 初级工"), "{}", cond.reason.en);
}

#[test]
fn other_conditions_explain_themselves() {
    // Age.
    let young = judge("2023", &born("2009-12-01"), "初级工", ON);
    let cond = &outcome(&young, "2023-L2-1").conditions[0];
    assert_eq!(cond.reason.zh, "未满 16 周岁：现 15 岁（2025-12-01 年满 16 周岁）");
    assert_eq!(cond.reason.en, "under 16: aged 15 (turns 16 on 2025-12-01)");
    assert_eq!(young.earliest_eligible_on, Some(d("2025-12-01")));
    let cond = &condition(judge("2023", &person(), "初级工", ON), "2023-L2-1", 0);
    assert_eq!(
        (cond.reason.zh.as_str(), cond.reason.en.as_str()),
        ("年满 16 周岁（现 35 岁）", "aged 35, at least 16 as required")
    );

    // Work, ongoing: 5 years are reached on 2026-03-01.
    let c = person().work("2021-03-01");
    let cond = &condition(judge("2023", &c, "中级工", ON), "2023-L3-1", 0);
    assert_eq!(
        cond.reason.zh,
        "需再累计工作 9 个月：本职业（含相关职业）累计工作 4 年 3 个月，规则要求 5 年（2026-03-01 满足）"
    );
    assert_eq!(
        cond.reason.en,
        "needs 9 months more work: has worked 4 years 3 months in this or a related occupation, rule requires 5 years (met on 2026-03-01)"
    );
    assert!(!judge("2023", &c, "中级工", "2026-02-28").eligible);
    assert!(judge("2023", &c, "中级工", "2026-03-01").eligible);

    // Education not accepted; no education at all.
    let c = person().edu(Education::SeniorSecondary, "2008-07-01");
    let cond = &condition(judge("2023", &c, "中级工", ON), "2023-L3-3", 0);
    assert!(
        cond.reason.zh.starts_with("登记的学历（普通高中）不在规则所列范围：技工院校中级工班、"),
        "{}",
        cond.reason.zh
    );
    assert_eq!(cond.met_on, None);
    let cond = &condition(judge("2023", &person(), "中级工", ON), "2023-L3-3", 0);
    assert_eq!((cond.reason.zh.as_str(), cond.reason.en.as_str()), ("未登记学历", "no education recorded"));
    let c = person().edu(Education::Bachelor, "2015-07-01");
    let cond = &condition(judge("2023", &c, "中级工", ON), "2023-L3-3", 0);
    assert_eq!(cond.reason.zh, "登记的最高学历为本科（2015-07-01 毕业），属于规则所列学历（专业是否对口未核验）");

    // Titles.
    let cond = &condition(judge("2023", &person(), "高级工", ON), "2023-L4-3", 0);
    assert_eq!(cond.reason.zh, "未取得初级职称或更高职称");
    let c = person().title(TitleGrade::Junior, "2025-01-01");
    let cond = &condition(judge("2023", &c, "高级工", ON), "2023-L4-3", 0);
    // No row of the correspondence table covers 助理工程师 without a specialty: review.
    assert_eq!(
        cond.reason.zh,
        "需再持有初级职称 7 个月：2025-01-01 取得助理工程师（初级职称），规则要求 1 年（2026-01-01 满足）；职称专业对应表未涵盖该职称，是否对应待人工核实"
    );
    assert_eq!(
        cond.reason.en,
        "needs 7 months more with a junior professional title: obtained 助理工程师 (junior professional title) on 2025-01-01, rule requires 1 year (met on 2026-01-01); the correspondence table does not cover this title: whether it corresponds needs review (待人工核实)"
    );
    assert!(cond.needs_review);
    assert_eq!(cond.met_on, Some(d("2026-01-01")));
    let c = person().title(TitleGrade::Intermediate, "2020-01-01");
    let cond = &condition(judge("2023", &c, "技师", ON), "2023-L5-3", 0);
    assert!(
        cond.reason.en.starts_with("has held 工程师 (intermediate professional title) for 5 years"),
        "{}",
        cond.reason.en
    );

    // Work after a level that is not held.
    let c = person().title(TitleGrade::Junior, "2015-01-01").work("2010-01-01");
    let r = &rule_of(judge("2023", &c, "技师", ON), "2023-L5-2");
    assert!(r.conditions[0].met);
    assert_eq!(r.conditions[1].reason.zh, "未持有本职业或相关职业的高级工或更高等级，无法计算取得高级工后的工作年限");
    assert_eq!(r.met_on, None);
}

#[test]
fn rules_carry_their_text_source_and_review_note() {
    let decision = judge("2023", &person().edu(Education::HigherVocational, "2020-07-01"), "高级工", ON);
    let r = outcome(&decision, "2023-L4-6");
    assert!(r.text_zh.starts_with("取得经评估论证的高等职业学校"));
    assert!(r.source.contains("sxqnjycy"));
    assert_eq!(r.review.as_ref().map(|m| m.zh.as_str()), Some("核验所学专业是否经评估论证，且专业对口"));
    assert_eq!(decision.target_name.zh, "三级/高级工");
    assert_eq!(decision.target_name.en, "senior worker");
}

// --- editions ----------------------------------------------------------------------------------

#[test]
fn same_person_differs_between_2018_and_2023() {
    // 四级/中级工 after 3 years of 五级/初级工: the 2018 template needs 4 years, the newer one 3.
    let c = person().level("初级工", "2022-05-01");
    let old = judge("2018", &c, "中级工", ON);
    let new = judge("2023", &c, "中级工", ON);
    assert!(!old.eligible);
    assert_eq!(outcome(&old, "2018-L3-1").met_on, Some(d("2026-05-01")));
    assert!(new.eligible);
    assert_eq!(new.rule.as_deref(), Some("2023-L3-2"));
    // Without naming an edition, the one in force applies.
    assert_eq!(evaluate(policy(), &c, OCC, lv("中级工"), d(ON)).rule.as_deref(), Some("2023-L3-2"));
    assert_eq!(evaluate(policy(), &c, OCC, lv("中级工"), d("2022-12-31")).edition, "2018");
}

#[test]
fn projection_stops_where_another_edition_applies() {
    // On 2022-06-01 the 2018 edition applies; its 4 years would be met on 2024-01-01, after
    // the newer edition has taken over on 2023-01-01.
    let c = person().level("初级工", "2020-01-01");
    let decision = evaluate(policy(), &c, OCC, lv("中级工"), d("2022-06-01"));
    assert_eq!(decision.edition, "2018");
    assert_eq!(decision.earliest_eligible_on, None);
    assert!(decision.notes.iter().any(|n| n.zh == "2023-01-01 起适用的申报条件版本将变更，届时请重新判断"));
    // Under the 2018 edition alone the date is known.
    let fixed = judge("2018", &c, "中级工", "2022-06-01");
    assert_eq!(fixed.earliest_eligible_on, Some(d("2024-01-01")));
}

#[test]
fn no_edition_in_force_is_a_decision_not_an_error() {
    let decision = evaluate(policy(), &person().work("2000-01-01"), OCC, lv("初级工"), d("2017-06-01"));
    assert!(!decision.eligible && decision.rules.is_empty() && decision.edition.is_empty());
    assert_eq!(decision.notes[0].zh, "2017-06-01 没有适用于职业 6-18-01-01 的申报条件版本");
    assert_eq!(
        decision.summary().en,
        "not eligible for junior worker (五级/初级工): no edition of the application conditions applies to occupation 6-18-01-01 on 2017-06-01"
    );
    let unknown = evaluate_with_edition(policy(), &person(), OCC, lv("初级工"), d(ON), "1999");
    assert_eq!(unknown.notes[0].en, "the policy has no edition 1999");
}

// --- as-of dates, revocation, overlap, relatedness -------------------------------------------

#[test]
fn a_level_obtained_after_the_decision_date_does_not_count() {
    let c = person().level("初级工", "2025-07-01");
    let decision = judge("2023", &c, "中级工", ON);
    let cond = &outcome(&decision, "2023-L3-2").conditions[0];
    assert!(!cond.met);
    assert_eq!(cond.reason.zh, "未持有本职业或相关职业的初级工或更高等级");
    assert_eq!(cond.met_on, None);
    assert!(judge("2023", &c, "中级工", "2028-07-01").eligible);
}

#[test]
fn a_revoked_level_does_not_count_from_revocation() {
    let c = person().revoked_level("初级工", "2020-01-01", "2024-01-01");
    let after = judge("2023", &c, "中级工", ON);
    let cond = &outcome(&after, "2023-L3-2").conditions[0];
    assert!(!cond.met);
    assert_eq!(cond.reason.zh, "未持有本职业或相关职业的初级工或更高等级（初级工已于 2024-01-01 撤销）");
    assert_eq!(
        cond.reason.en,
        "holds no 初级工 or higher in this or a related occupation (初级工 was revoked on 2024-01-01)"
    );
    // Before the revocation it counted.
    assert!(judge("2023", &c, "中级工", "2023-12-31").eligible);
    assert!(!judge("2023", &c, "中级工", "2024-01-01").eligible);

    // A revocation due before the years are complete means waiting does not help.
    let c = person().revoked_level("中级工", "2023-01-01", "2026-06-01");
    let cond = &condition(judge("2023", &c, "高级工", ON), "2023-L4-2", 0);
    assert_eq!(cond.met_on, None);
    assert!(cond.reason.zh.contains("但将于 2026-06-01 撤销"), "{}", cond.reason.zh);
}

#[test]
fn a_rule_is_not_promised_for_a_date_after_one_of_its_conditions_lapses() {
    // 2018-L5-2a: holds 高级工 (met now, but revoked on 2025-12-01) and 3 years of work
    // (met on 2026-01-01). Both never hold on the same day.
    let c = person()
        .revoked_level("高级工", "2024-01-01", "2025-12-01")
        .edu(Education::TechSchoolAdvanced, "2021-07-01")
        .work("2023-01-01");
    let decision = judge("2018", &c, "技师", ON);
    let r = outcome(&decision, "2018-L5-2a");
    assert!(r.conditions[0].met && r.conditions[1].met);
    assert_eq!(r.conditions[2].met_on, Some(d("2026-01-01")));
    assert_eq!(r.met_on, None);
    assert_eq!(decision.earliest_eligible_on, None);
    // Without the revocation the rule is met on 2026-01-01.
    let mut kept = c.clone();
    kept.levels[0].revoked_on = None;
    assert_eq!(outcome(&judge("2018", &kept, "技师", ON), "2018-L5-2a").met_on, Some(d("2026-01-01")));
}

#[test]
fn overlapping_work_counts_once() {
    // 2019-01-01..2021-12-31 and 2021-01-01..2022-12-31 overlap by a year: 4 years, not 5.
    let c = person().work_in(Some(OCC), "2019-01-01", Some("2021-12-31")).work_in(
        Some(RELATED),
        "2021-01-01",
        Some("2022-12-31"),
    );
    let decision = judge("2023", &c, "中级工", ON);
    let cond = &outcome(&decision, "2023-L3-1").conditions[0];
    assert!(!cond.met);
    assert_eq!(
        cond.reason.zh,
        "本职业（含相关职业）累计工作 4 年，规则要求 5 年；目前没有持续中的相关工作，仅靠等待无法满足"
    );
    assert_eq!(cond.met_on, None);
    // A third spell that fills one more year makes 5.
    let c = c.work_in(Some(OCC), "2023-06-01", Some("2024-05-31"));
    assert!(judge("2023", &c, "中级工", ON).eligible);
}

#[test]
fn related_occupations_count_and_unrelated_do_not() {
    let related = person().level_in(RELATED, "初级工", "2021-01-01");
    assert!(judge("2023", &related, "中级工", ON).eligible);
    let unrelated = person().level_in(OTHER, "初级工", "2021-01-01");
    assert!(!judge("2023", &unrelated, "中级工", ON).eligible);
    assert!(judge("2023", &person().work_in(Some(RELATED), "2019-01-01", None), "中级工", ON).eligible);
    assert!(!judge("2023", &person().work_in(Some(OTHER), "2019-01-01", None), "中级工", ON).eligible);
    // Work with no occupation is work, but not in the occupation.
    assert!(!judge("2023", &person().work_in(None, "2000-01-01", None), "中级工", ON).eligible);

    let strict = Policy::from_toml_str(
        &TIANJIN_TOML.replacen(
            "related_occupation = \"same_minor_group\"",
            "related_occupation = \"same_occupation\"",
            1,
        ),
        "strict.toml",
    )
    .expect("strict policy");
    let decision = evaluate_with_edition(&strict, &related, OCC, lv("中级工"), d(ON), "2023");
    assert!(!decision.eligible);
}

#[test]
fn graduating_students_count_where_the_rule_says_so() {
    // Graduating on 2026-05-01, within a year of the decision date.
    let c = person().edu(Education::Bachelor, "2026-05-01");
    let decision = judge("2023", &c, "中级工", ON);
    assert_eq!(decision.rule.as_deref(), Some("2023-L3-3"));
    let cond = &outcome(&decision, "2023-L3-3").conditions[0];
    assert!(
        cond.reason.zh
            == "登记的最高学历为本科（在读，预计 2026-05-01 毕业）：毕业年度内的在读应届毕业生，规则包括应届毕业生（专业是否对口未核验）",
        "{}",
        cond.reason.zh
    );
    // More than a year away: not yet.
    let c = person().edu(Education::Bachelor, "2026-07-01");
    let decision = judge("2023", &c, "中级工", ON);
    assert!(!decision.eligible);
    assert_eq!(decision.earliest_eligible_on, Some(d("2025-07-01")));
    // 2018-L4-3 (大专 or higher) does not include graduating students.
    let c = person().edu(Education::Bachelor, "2025-07-01").level("中级工", "2020-01-01");
    let cond = &condition(judge("2018", &c, "高级工", ON), "2018-L4-3", 0);
    assert_eq!(cond.reason.zh, "尚未毕业：登记的最高学历为本科（在读，预计 2025-07-01 毕业）；规则不包括在读学生");
}

#[test]
fn target_at_or_below_current_level_is_judged_with_a_note() {
    let c = person().level("高级工", "2020-01-01").work("2010-01-01");
    let decision = judge("2023", &c, "中级工", ON);
    assert!(decision.eligible);
    assert_eq!(decision.notes[0].zh, "已持有本职业高级工，不低于申报等级中级工；仍按规则判断");
}

#[test]
fn bulk_answer_matches_the_explained_one() {
    for c in cases() {
        for person in [&c.meets, &c.fails] {
            for on in ["2019-06-01", ON] {
                let full = evaluate(policy(), person, OCC, lv(c.target), d(on));
                assert_eq!(is_eligible(policy(), person, OCC, lv(c.target), d(on)), full.eligible, "{}", c.rule);
            }
        }
    }
}

// --- properties --------------------------------------------------------------------------------

/// Weighted towards the occupation judged, so that rules are often nearly met.
const OCCUPATIONS: [&str; 6] = [OCC, OCC, OCC, RELATED, OTHER, "4-12-01-01"];

fn day(offset: u16) -> Date {
    d("2000-01-01") + time::Duration::days(i64::from(offset))
}

fn arb_date() -> impl Strategy<Value = Date> {
    (0u16..11_500).prop_map(day)
}

type Dates = BoxedStrategy<Date>;

/// Dates within about seven years before (and one after) `on`, where rules are nearly met.
fn near(on: Date) -> Dates {
    (-2600i64..400).prop_map(move |o| on + time::Duration::days(o)).boxed()
}

fn arb_level_in(dates: Dates, revocable: bool) -> impl Strategy<Value = HeldLevel> {
    (0..OCCUPATIONS.len(), 1u8..=8, dates, proptest::option::weighted(0.3, 0u16..4000)).prop_map(
        move |(o, rank, obtained, revoked)| HeldLevel {
            occupation: OCCUPATIONS[o].to_owned(),
            level: Level::new(rank).expect("rank"),
            obtained_on: obtained,
            revoked_on: if revocable { revoked.map(|r| obtained + time::Duration::days(i64::from(r))) } else { None },
        },
    )
}

fn arb_level(revocable: bool) -> impl Strategy<Value = HeldLevel> {
    arb_level_in(arb_date().boxed(), revocable)
}

fn arb_spell(dates: Dates) -> impl Strategy<Value = WorkSpell> {
    let occupation = proptest::option::weighted(0.9, 0..OCCUPATIONS.len());
    let length = proptest::option::weighted(0.5, 0u16..5000);
    (occupation, dates, length).prop_map(|(o, start, len)| WorkSpell {
        occupation: o.map(|o| OCCUPATIONS[o].to_owned()),
        start,
        end: len.map(|l| start + time::Duration::days(i64::from(l))),
    })
}

fn arb_candidate_in(dates: Dates, revocable: bool) -> impl Strategy<Value = Candidate> {
    let title = (0usize..4, dates.clone()).prop_map(|(g, on)| HeldTitle {
        series: TitleSeries::Engineering,
        name: "工程师".into(),
        grade: TitleGrade::ALL[g],
        obtained_on: on,
    });
    (
        (0u16..4000).prop_map(|o| d("1975-01-01") + time::Duration::days(i64::from(o) * 3)),
        proptest::option::of(0..Education::ALL.len()),
        proptest::option::of(dates.clone()),
        proptest::collection::vec(arb_level_in(dates.clone(), revocable), 0..4),
        proptest::collection::vec(arb_spell(dates), 0..4),
        proptest::collection::vec(title, 0..2),
    )
        .prop_map(|(birth_date, e, graduated_on, levels, work, titles)| Candidate {
            birth_date,
            education: e.map(|i| Education::ALL[i]),
            graduated_on,
            schooling: Vec::new(),
            levels,
            work,
            titles,
            registered_occupation: None,
        })
}

fn arb_candidate(revocable: bool) -> impl Strategy<Value = Candidate> {
    arb_candidate_in(arb_date().boxed(), revocable)
}

/// A decision date and a candidate whose records lie around it.
fn arb_case_near(revocable: bool) -> impl Strategy<Value = (Date, Candidate)> {
    arb_date().prop_flat_map(move |on| (Just(on), arb_candidate_in(near(on), revocable)))
}

fn arb_target() -> impl Strategy<Value = Level> {
    (1u8..=8).prop_map(|r| Level::new(r).expect("rank"))
}

proptest! {
    // About one case in five is eligible and one in twenty is "not yet" with a date, so the
    // properties below are exercised a few hundred and a few dozen times per run.
    #![proptest_config(ProptestConfig::with_cases(2048))]

    /// (a) Once eligible, eligible on every later date when nothing else changes (one edition,
    /// no revocations, no effective_to cut-off).
    #[test]
    fn eligibility_is_monotonic_in_time(
        (on, c) in arb_case_near(false), target in arb_target(), later in 0u16..4000,
        edition in prop_oneof![Just("2018"), Just("2023")],
    ) {
        let first = evaluate_with_edition(policy(), &c, OCC, target, on, edition);
        if first.eligible {
            let then = on + time::Duration::days(i64::from(later));
            let second = evaluate_with_edition(policy(), &c, OCC, target, then, edition);
            prop_assert!(second.eligible, "eligible on {on} but not on {then}: {second:#?}");
        }
    }

    /// (b) When the engine names the earliest date, the person is eligible on that date.
    #[test]
    fn earliest_eligible_date_is_eligible(
        (on, c) in arb_case_near(true), target in arb_target(),
        edition in prop_oneof![Just("2018"), Just("2023")],
    ) {
        let fixed = evaluate_with_edition(policy(), &c, OCC, target, on, edition);
        if let Some(when) = fixed.earliest_eligible_on {
            prop_assert!(when >= on);
            let then = evaluate_with_edition(policy(), &c, OCC, target, when, edition);
            prop_assert!(then.eligible, "promised {when} from {on}: {then:#?}");
        }
        let default = evaluate(policy(), &c, OCC, target, on);
        if let Some(when) = default.earliest_eligible_on {
            let then = evaluate(policy(), &c, OCC, target, when);
            prop_assert!(then.eligible, "promised {when} from {on}: {then:#?}");
            prop_assert_eq!(then.edition, default.edition);
        }
        prop_assert_eq!(default.eligible, is_eligible(policy(), &c, OCC, target, on));
    }

    /// (c) Adding a held level (counting on the decision date) never takes eligibility away.
    #[test]
    fn another_level_never_hurts(
        c in arb_candidate(true), extra in arb_level(false), target in arb_target(), on in arb_date(),
    ) {
        let before = evaluate(policy(), &c, OCC, target, on);
        if before.eligible {
            let mut more = c.clone();
            more.levels.push(HeldLevel { obtained_on: extra.obtained_on.min(on), ..extra });
            let after = evaluate(policy(), &more, OCC, target, on);
            prop_assert!(after.eligible, "{after:#?}");
        }
    }
}

#[test]
#[ignore = "prints a sample of explanations for reading"]
fn print_sample_explanations() {
    for c in cases() {
        for (who, p) in [("meets", &c.meets), ("fails", &c.fails)] {
            let dd = judge(&c.rule[..4], p, c.target, ON);
            let r = outcome(&dd, c.rule);
            println!("{} {who}: {}", c.rule, dd.summary());
            for k in &r.conditions {
                println!("    [{}] {} | {}", k.kind, k.reason.zh, k.reason.en);
            }
        }
    }
}
