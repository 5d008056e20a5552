//! Which edition of the application conditions decides: the one asked for, the occupation's
//! standard in force, then the policy's default — with the reason, and whether it is inferred.
//! Also work spells without an occupation.

use std::sync::OnceLock;

use gongjiang_domain::dates::parse_date;
use gongjiang_domain::eligibility::{Candidate, HeldLevel, WorkSpell, decide};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::standards::{Asked, Basis, Standard};
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

/// 高级工 in 电工 since 2020-06-01.
fn senior_worker() -> Candidate {
    Candidate {
        birth_date: d("1990-01-01"),
        education: None,
        graduated_on: None,
        schooling: Vec::new(),
        levels: vec![HeldLevel {
            occupation: OCC.into(),
            level: lv("高级工"),
            obtained_on: d("2020-06-01"),
            revoked_on: None,
        }],
        work: vec![WorkSpell { occupation: Some(OCC.into()), start: d("2012-01-01"), end: None }],
        titles: Vec::new(),
        registered_occupation: Some(OCC.into()),
    }
}

fn electrician_2018(source: &str) -> Standard {
    Standard {
        occupation: OCC.into(),
        edition: "2018".into(),
        effective_from: d("2019-01-01"),
        name: Some("《国家职业技能标准 电工（2018年版）》".into()),
        source: Some(source.into()),
    }
}

#[test]
fn a_2018_standard_admits_a_technician_after_4_years_where_the_default_2023_edition_makes_them_wait() {
    let c = senior_worker();
    let on = d("2024-06-01"); // exactly 4 years as 高级工
    let standards = [electrician_2018("人社部 2018 年颁布")];
    let by_standard = decide(policy(), &standards, &c, OCC, lv("技师"), on, Asked::Nothing);
    assert!(by_standard.eligible);
    assert_eq!(by_standard.edition, "2018");
    assert_eq!(by_standard.edition_basis, Basis::Standard);
    assert_eq!(by_standard.rule.as_deref(), Some("2018-L5-1"));
    assert!(
        by_standard.edition_reason.zh.contains("《国家职业技能标准 电工（2018年版）》"),
        "{}",
        by_standard.edition_reason
    );
    assert!(by_standard.edition_reason.en.contains("2019-01-01"), "{}", by_standard.edition_reason);
    assert!(!by_standard.inferred, "a sourced standard and a sourced rule: nothing inferred");

    // No standard on file: the policy's default on 2024-06-01 is the newer template, 5 years.
    let by_default = decide(policy(), &[], &c, OCC, lv("技师"), on, Asked::Nothing);
    assert!(!by_default.eligible);
    assert_eq!(by_default.edition, "2023");
    assert_eq!(by_default.edition_basis, Basis::Default);
    assert_eq!(by_default.earliest_eligible_on, Some(d("2025-06-01")));
    assert!(by_default.inferred, "the default edition is a guess at the occupation's standard");
    assert!(by_default.edition_reason.zh.starts_with("[推断]"), "{}", by_default.edition_reason);

    // Asking for 2023 overrides the standard.
    let asked = decide(policy(), &standards, &c, OCC, lv("技师"), on, Asked::Edition("2023"));
    assert!(!asked.eligible);
    assert_eq!((asked.edition.as_str(), asked.edition_basis), ("2023", Basis::Requested));
    assert!(!asked.inferred);

    // The summary, the edition's reason and every condition's reason, flat.
    assert_eq!(by_standard.reasons[0], by_standard.summary());
    assert_eq!(by_standard.reasons[1], by_standard.edition_reason);
    assert!(by_standard.reasons.iter().any(|r| r.zh == "持有高级工已 4 年（2020-06-01 起），规则要求 4 年"));
}

#[test]
fn the_standard_in_force_on_the_date_decides_and_a_later_one_takes_over() {
    let c = senior_worker();
    let mut newer = electrician_2018("x");
    newer.edition = "2023".into();
    newer.effective_from = d("2024-09-01");
    newer.name = Some("《国家职业技能标准 电工（2024年版）》".into());
    let standards = [electrician_2018("x"), newer];
    let before = decide(policy(), &standards, &c, OCC, lv("技师"), d("2024-08-31"), Asked::Nothing);
    assert_eq!((before.edition.as_str(), before.eligible), ("2018", true));
    let after = decide(policy(), &standards, &c, OCC, lv("技师"), d("2024-09-01"), Asked::Nothing);
    assert_eq!((after.edition.as_str(), after.eligible), ("2023", false));
    assert!(after.edition_reason.zh.contains("2024年版"), "{}", after.edition_reason);
    // Before 2019 the standard is not in force yet: the policy's default (2018 template) applies.
    let early = decide(policy(), &standards, &c, OCC, lv("初级工"), d("2018-06-01"), Asked::Nothing);
    assert_eq!((early.edition.as_str(), early.edition_basis), ("2018", Basis::Default));
}

#[test]
fn a_session_standard_names_the_edition_and_an_unknown_one_is_set_aside_with_a_reason() {
    let c = senior_worker();
    let on = d("2024-06-01");
    let s = decide(policy(), &[], &c, OCC, lv("技师"), on, Asked::Session("2018版"));
    assert_eq!((s.edition.as_str(), s.edition_basis, s.eligible), ("2018", Basis::Session, true));
    assert!(s.edition_reason.zh.contains("评价计划") && s.edition_reason.zh.contains("2018版"), "{}", s.edition_reason);
    let unknown = decide(policy(), &[], &c, OCC, lv("技师"), on, Asked::Session("1999版"));
    assert_eq!((unknown.edition.as_str(), unknown.edition_basis), ("2023", Basis::Default));
    assert!(unknown.edition_reason.zh.starts_with("评价计划写明的标准“1999版”不对应"), "{}", unknown.edition_reason);
}

#[test]
fn an_inferred_standard_or_rule_marks_the_decision_inferred() {
    let c = senior_worker();
    let on = d("2024-06-01");
    let guessed = [electrician_2018("[I] 施行日期未找到")];
    let d1 = decide(policy(), &guessed, &c, OCC, lv("技师"), on, Asked::Nothing);
    assert!(d1.eligible && d1.inferred);
    assert!(d1.edition_reason.en.contains("[inferred]"), "{}", d1.edition_reason);
    // 2023-L6-*: every 高级技师 rule of the newer template is [I].
    let d2 = decide(policy(), &[], &c, OCC, lv("高级技师"), on, Asked::Edition("2023"));
    assert!(!d2.eligible && d2.inferred);
    assert!(d2.notes.iter().any(|n| n.zh.starts_with("[推断]")));
}

fn worker(work: Vec<WorkSpell>, registered: Option<&str>) -> Candidate {
    Candidate {
        birth_date: d("1990-01-01"),
        education: None,
        graduated_on: None,
        schooling: Vec::new(),
        levels: Vec::new(),
        work,
        titles: Vec::new(),
        registered_occupation: registered.map(str::to_owned),
    }
}

#[test]
fn work_without_an_occupation_counts_in_the_registered_occupation_and_says_so() {
    // 2017-01-01 … 2019-12-31 without occupation, then 电工 from 2020-01-01: 6 years on 2023-01-01.
    let spells = vec![
        WorkSpell { occupation: None, start: d("2017-01-01"), end: Some(d("2019-12-31")) },
        WorkSpell { occupation: Some(OCC.into()), start: d("2020-01-01"), end: None },
    ];
    let c = worker(spells.clone(), Some(OCC));
    let dec = decide(policy(), &[], &c, OCC, lv("中级工"), d("2023-01-01"), Asked::Edition("2018"));
    assert_eq!(dec.rule.as_deref(), Some("2018-L3-2"), "6 years of work: {:?}", dec.reasons);
    let reason = &dec.rules.iter().find(|r| r.rule == "2018-L3-2").unwrap().conditions[0].reason;
    assert_eq!(
        reason.zh,
        "本职业（含相关职业）累计工作 6 年，规则要求 6 年（其中 1 段工作未登记职业，按登记职业 6-31-01-03 计）"
    );
    // With no registered occupation the spell counts nowhere: 3 years of 电工 only.
    let none = decide(policy(), &[], &worker(spells, None), OCC, lv("中级工"), d("2023-01-01"), Asked::Edition("2018"));
    assert!(!none.eligible);
}

#[test]
fn only_a_person_with_no_work_at_all_is_told_so() {
    let nothing = decide(
        policy(),
        &[],
        &worker(Vec::new(), Some(OCC)),
        OCC,
        lv("中级工"),
        d("2023-01-01"),
        Asked::Edition("2018"),
    );
    let r = &nothing.rules.iter().find(|r| r.rule == "2018-L3-2").unwrap().conditions[0].reason;
    assert_eq!(r.zh, "没有工作经历，规则要求 6 年");
    let elsewhere =
        worker(vec![WorkSpell { occupation: Some("6-18-01-01".into()), start: d("2010-01-01"), end: None }], Some(OCC));
    let other = decide(policy(), &[], &elsewhere, OCC, lv("中级工"), d("2023-01-01"), Asked::Edition("2018"));
    let r = &other.rules.iter().find(|r| r.rule == "2018-L3-2").unwrap().conditions[0].reason;
    assert!(r.zh.starts_with("本职业（含相关职业）没有工作经历（"), "{r}");
}
