//! Promotion through competitions (以赛代评): the shipped promotion table loads with both Tianjin
//! versions and the national rows, bad rows are named, and `competition::decide` gives the level
//! the sources say, with the once-a-year limit.

use gongjiang_domain::competition::{CompetitionResult, Outcome, PastLevel, decide};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::{Policy, PolicyError, RankBand, TIANJIN_TOML};
use gongjiang_domain::registry::{CompetitionGroup, CompetitionTier, LevelSource};
use time::Date;
use time::macros::date;

const OCC: &str = "6-18-01-01";

fn level(rank: u8) -> Level {
    Level::new(rank).expect("rank within 1..=8")
}

fn result(
    tier: CompetitionTier,
    group: CompetitionGroup,
    rank: u32,
    entrants: Option<u32>,
    on: Date,
) -> CompetitionResult {
    CompetitionResult {
        competition: "海河工匠杯技能大赛".into(),
        tier,
        group,
        rank,
        entrants,
        awarded_on: on,
        occupation: OCC.into(),
    }
}

fn held(occupation: &str, rank: u8, on: Date, source: LevelSource) -> PastLevel {
    PastLevel { occupation: occupation.into(), level: level(rank), obtained_on: on, revoked_on: None, source }
}

fn errors_of(text: &str) -> Vec<PolicyError> {
    match Policy::from_toml_str(text, "broken.toml") {
        Ok(_) => panic!("the broken policy was accepted"),
        Err(e) => e,
    }
}

/// The shipped file with the `n`-th (0-based) occurrence of `from` replaced by `to`.
fn tianjin_with_nth(from: &str, n: usize, to: &str) -> String {
    let at = TIANJIN_TOML.match_indices(from).nth(n).unwrap_or_else(|| panic!("no occurrence {n} of {from:?}")).0;
    format!("{}{}{}", &TIANJIN_TOML[..at], to, &TIANJIN_TOML[at + from.len()..])
}

fn find<'a>(errors: &'a [PolicyError], key: &str) -> &'a PolicyError {
    errors.iter().find(|e| e.key == key).unwrap_or_else(|| {
        let all: String = errors.iter().map(|e| format!("\n  {e}")).collect();
        panic!("no error at {key}; errors: {all}")
    })
}

use CompetitionGroup::{Employee, Student};
use CompetitionTier::*;

#[test]
fn shipped_table_holds_both_tianjin_versions_and_the_national_rows() {
    let p = Policy::tianjin();
    let rows = &p.competition.promotions;
    let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(rows.len(), 20, "{ids:?}");
    assert_eq!(ids.iter().filter(|i| i.starts_with("tj2021-")).count(), 6);
    assert_eq!(ids.iter().filter(|i| i.starts_with("tj2024-")).count(), 10);
    // The 2021 version has no 市级综合 and no enterprise/school row; 2024 adds both.
    for r in rows.iter().filter(|r| r.id.starts_with("tj2021-")) {
        assert!(!matches!(r.tier, CityComprehensive | Enterprise), "{}", r.id);
        assert_eq!(r.effective_to, Some(date!(2024 - 10 - 24)), "{}", r.id);
    }
    let ent = rows.iter().find(|r| r.id == "tj2024-enterprise-employee").expect("enterprise row");
    assert_eq!(ent.band, RankBand::TopPercent { percent: 30 });
    assert_eq!((ent.award, ent.step_up_from), (level(3), Some(level(3))));
    assert_eq!(ent.effective_from, date!(2024 - 10 - 25));
    for r in rows {
        assert!(!r.source.trim().is_empty(), "{} has no source", r.id);
        // Every shipped row's dates (at least) are inferred, and the row says so in both languages.
        let why = r.inferred.as_ref().unwrap_or_else(|| panic!("{} is not marked inferred", r.id));
        assert!(!why.zh.is_empty() && !why.en.is_empty(), "{}", r.id);
    }
}

#[test]
fn bad_promotion_rows_are_named_with_key_and_reason() {
    // Index 2 is tj2021-city2-employee, the first row with tier city_2 and ranks [1, 6].
    let errs = errors_of(&tianjin_with_nth("tier = \"city_2\"", 0, "tier = \"city_3\""));
    let e = find(&errs, "competition.promotions[2].tier");
    assert!(e.why.zh.contains("竞赛级别无法识别：“city_3”") && e.why.en.contains("unknown competition tier"), "{e}");

    let errs = errors_of(&tianjin_with_nth("ranks = [1, 6]", 0, "ranks = [6, 1]"));
    let e = find(&errs, "competition.promotions[2].ranks");
    assert!(e.why.en.contains("1 ≤ from ≤ to"), "{e}");

    let errs = errors_of(&tianjin_with_nth("ranks = [1, 6]", 0, "ranks = [1, 6]\ntop_percent = 30"));
    let e = find(&errs, "competition.promotions[2]");
    assert!(e.why.zh.contains("只能填一个"), "{e}");

    let errs = errors_of(&tianjin_with_nth("award = \"高级工\"", 1, "award = \"大师\""));
    let e = find(&errs, "competition.promotions[2].award");
    assert!(e.why.zh.contains("等级名称无法识别：“大师”"), "{e}");

    let errs = errors_of(&tianjin_with_nth("step_up_from = \"技师\"", 0, "step_up_from = \"首席技师\""));
    find(&errs, "competition.promotions[0].step_up_from");

    let errs = errors_of(&tianjin_with_nth("id = \"tj2021-city1-student\"", 0, "id = \"tj2021-city1-employee\""));
    let e = find(&errs, "competition.promotions[1].id");
    assert!(e.why.en.contains("already at competition.promotions[0]"), "{e}");

    let errs = errors_of(&tianjin_with_nth("effective_to = 2024-10-24", 0, "effective_to = 2021-01-01"));
    find(&errs, "competition.promotions[0].effective_to");

    let errs = errors_of(&tianjin_with_nth("group = \"student\"", 0, "group = \"teacher\""));
    find(&errs, "competition.promotions[1].group");

    let errs = errors_of(&tianjin_with_nth("top_percent = 30", 0, "top_percent = 130"));
    find(&errs, "competition.promotions[14].top_percent");
}

#[test]
fn tianjin_2021_table_city_class_one_employee_and_student() {
    let p = Policy::tianjin();
    let d = decide(&p, &result(City1, Employee, 8, None, date!(2023 - 06 - 01)), &[]);
    assert_eq!(d.outcome, Outcome::Promoted, "{}", d.explanation);
    assert_eq!((d.rule_id.as_deref(), d.before, d.after), (Some("tj2021-city1-employee"), None, Some(level(5))));
    assert!(d.inferred);
    assert!(
        d.explanation.zh.contains("由无等级晋升为技师") && d.explanation.zh.contains("[推断]"),
        "{}",
        d.explanation
    );
    assert!(d.explanation.en.contains("promoted from no level to technician"), "{}", d.explanation);

    let d = decide(&p, &result(City1, Student, 10, None, date!(2023 - 06 - 01)), &[]);
    assert_eq!((d.rule_id.as_deref(), d.after), (Some("tj2021-city1-student"), Some(level(4))));
    // Place 11 is outside the top 10.
    let d = decide(&p, &result(City1, Employee, 11, None, date!(2023 - 06 - 01)), &[]);
    assert_eq!((d.outcome, d.after), (Outcome::NoRule, None));
    assert!(d.explanation.zh.contains("不在晋升范围（前10名）内"), "{}", d.explanation);
    // District, student: top 6 → 中级工.
    let d = decide(&p, &result(District, Student, 6, None, date!(2022 - 03 - 01)), &[]);
    assert_eq!(d.after, Some(level(3)));
}

#[test]
fn tianjin_2024_revision_adds_comprehensive_and_enterprise_rows_from_its_date() {
    let p = Policy::tianjin();
    // 市级综合: only in the 2024 version.
    let d = decide(&p, &result(CityComprehensive, Employee, 3, None, date!(2025 - 05 - 10)), &[]);
    assert_eq!((d.rule_id.as_deref(), d.after), (Some("tj2024-comprehensive-employee"), Some(level(5))));
    let d = decide(&p, &result(CityComprehensive, Employee, 3, None, date!(2024 - 06 - 01)), &[]);
    assert_eq!(d.outcome, Outcome::NoRule);
    assert!(d.explanation.zh.contains("2024-06-01 时没有适用于市级综合职工组的以赛代评规则"), "{}", d.explanation);

    // Enterprise top 30 %: 3rd of 10 is in, from 2024-10-25 only.
    let on = date!(2024 - 10 - 25);
    let d = decide(&p, &result(Enterprise, Employee, 3, Some(10), on), &[]);
    assert_eq!((d.rule_id.as_deref(), d.after), (Some("tj2024-enterprise-employee"), Some(level(3))));
    let d = decide(&p, &result(Enterprise, Employee, 3, Some(10), date!(2024 - 10 - 24)), &[]);
    assert_eq!((d.outcome, d.after), (Outcome::NoRule, None));
    // 4th of 10 is not; 2nd of 7 is (200 ≤ 210), 3rd of 7 is not (300 > 210).
    assert_eq!(decide(&p, &result(Enterprise, Employee, 4, Some(10), on), &[]).outcome, Outcome::NoRule);
    assert_eq!(decide(&p, &result(Enterprise, Student, 2, Some(7), on), &[]).after, Some(level(3)));
    assert_eq!(decide(&p, &result(Enterprise, Student, 3, Some(7), on), &[]).outcome, Outcome::NoRule);
    // The 2024 city class-I row replaces the 2021 one the day after.
    let d = decide(&p, &result(City1, Employee, 1, None, on), &[]);
    assert_eq!(d.rule_id.as_deref(), Some("tj2024-city1-employee"));
    // Entrants are needed where a percentage row covers the result.
    assert!(p.competition.needs_entrants("厂赛", Enterprise, Employee, on));
    assert!(!p.competition.needs_entrants("厂赛", Enterprise, Employee, date!(2024 - 10 - 24)));
    assert!(!p.competition.needs_entrants("市赛", City1, Employee, on));
}

#[test]
fn already_holding_the_level_steps_up_one_in_the_event_occupation() {
    let p = Policy::tianjin();
    let on = date!(2025 - 04 - 01);
    let technician = held(OCC, 5, date!(2020 - 01 - 01), LevelSource::Exam);
    let d = decide(&p, &result(City1, Employee, 1, None, on), std::slice::from_ref(&technician));
    assert_eq!((d.before, d.after), (Some(level(5)), Some(level(6))));
    assert!(d.explanation.zh.contains("由技师晋升为高级技师"), "{}", d.explanation);
    // 技师 in another occupation does not count: 技师 in this one.
    let elsewhere = held("6-20-01-01", 5, date!(2020 - 01 - 01), LevelSource::Exam);
    let d = decide(&p, &result(City1, Employee, 1, None, on), &[elsewhere]);
    assert_eq!((d.before, d.after), (None, Some(level(5))));
    // City class II: 高级工 → 技师; 中级工 → 高级工.
    let senior = held(OCC, 4, date!(2019 - 01 - 01), LevelSource::Exam);
    assert_eq!(decide(&p, &result(City2, Employee, 6, None, on), &[senior]).after, Some(level(5)));
    let middle = held(OCC, 3, date!(2019 - 01 - 01), LevelSource::Exam);
    assert_eq!(decide(&p, &result(City2, Employee, 6, None, on), &[middle]).after, Some(level(4)));
    // A level revoked before the award day is not held.
    let revoked = PastLevel { revoked_on: Some(date!(2024 - 01 - 01)), ..technician };
    assert_eq!(decide(&p, &result(City1, Employee, 1, None, on), &[revoked]).after, Some(level(5)));
}

#[test]
fn a_person_above_the_rule_gets_nothing_and_is_told_why() {
    let p = Policy::tianjin();
    let on = date!(2025 - 04 - 01);
    let senior_tech = held(OCC, 6, date!(2020 - 01 - 01), LevelSource::Exam);
    let d = decide(&p, &result(City1, Employee, 1, None, on), &[senior_tech]);
    assert_eq!((d.outcome, d.before, d.after), (Outcome::AlreadyHeld, Some(level(6)), None));
    assert_eq!(d.rule_id.as_deref(), Some("tj2024-city1-employee"));
    assert!(d.explanation.zh.contains("已持有该职业高级技师（不低于技师），不晋升"), "{}", d.explanation);
    assert!(d.explanation.en.contains("already holds senior technician"), "{}", d.explanation);
    // Students have no step-up: a student holding 高级工 gets nothing from a city class-I place.
    let senior = held(OCC, 4, date!(2020 - 01 - 01), LevelSource::Exam);
    assert_eq!(decide(&p, &result(City1, Student, 1, None, on), &[senior]).outcome, Outcome::AlreadyHeld);
}

#[test]
fn one_promotion_through_competitions_per_calendar_year() {
    let p = Policy::tianjin();
    let promoted = held("6-20-01-01", 4, date!(2025 - 03 - 01), LevelSource::Competition);
    let d = decide(&p, &result(City2, Employee, 2, None, date!(2025 - 09 - 01)), std::slice::from_ref(&promoted));
    assert_eq!((d.outcome, d.after), (Outcome::YearLimit, None));
    assert!(d.explanation.zh.contains("已于 2025-03-01 通过竞赛晋升高级工，同一年内只能晋升一次"), "{}", d.explanation);
    assert!(d.explanation.en.contains("only one promotion through competitions counts per calendar year"));
    // The next year promotes again.
    let d = decide(&p, &result(City2, Employee, 2, None, date!(2026 - 01 - 15)), std::slice::from_ref(&promoted));
    assert_eq!(d.after, Some(level(4)));
    // A level from an exam the same year does not use up the year.
    let exam = held("6-20-01-01", 4, date!(2025 - 03 - 01), LevelSource::Exam);
    assert_eq!(decide(&p, &result(City2, Employee, 2, None, date!(2025 - 09 - 01)), &[exam]).after, Some(level(4)));
}

#[test]
fn national_rules_and_the_national_skills_competition_excellence_award() {
    let p = Policy::tianjin();
    let on = date!(2023 - 09 - 19);
    let mut nsc = result(National1, Employee, 15, Some(40), on);
    nsc.competition = "第二届中华人民共和国职业技能大赛".into();
    // 优胜奖 (top half) beats places 6–20 of a class-I competition: 技师, not 高级工.
    let d = decide(&p, &nsc, &[]);
    assert_eq!((d.rule_id.as_deref(), d.after), (Some("nsc-excellence"), Some(level(5))));
    // A student too (the national skills competition has no groups).
    nsc.group = Student;
    assert_eq!(decide(&p, &nsc, &[]).after, Some(level(5)));
    // 21st of 40 is outside the top half.
    nsc.rank = 21;
    assert_eq!(decide(&p, &nsc, &[]).outcome, Outcome::NoRule);
    // Another class-I competition: 6–20 → 高级工, top 5 → 技师, 21 → nothing.
    let other = |rank| result(National1, Employee, rank, None, on);
    assert_eq!(decide(&p, &other(15), &[]).after, Some(level(4)));
    assert_eq!(decide(&p, &other(5), &[]).after, Some(level(5)));
    assert_eq!(decide(&p, &other(21), &[]).outcome, Outcome::NoRule);
    // No rule for WorldSkills or national class II was found [GAP].
    let d = decide(&p, &result(World, Employee, 1, None, on), &[]);
    assert!(d.explanation.zh.contains("没有适用于世界技能大赛职工组的以赛代评规则"), "{}", d.explanation);
    assert_eq!(decide(&p, &result(National2, Employee, 1, None, on), &[]).outcome, Outcome::NoRule);
}
