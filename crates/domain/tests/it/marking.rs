//! Judging (issue 15): aspect marks from judges' scores, the reconciliation rule, standardisation
//! onto the WorldSkills scale, places with the tie rule, awards and entry conditions — every
//! expectation computed by hand in the comments.

use gongjiang_domain::marking::{
    Aspect, AspectKind, AspectMark, Scheme, aspect_mark, award_for, check_entrant, check_score, entry_total,
    medal_places, rank, standardise, tie_margin,
};
use gongjiang_domain::policy::{AwardKind, Policy, TIANJIN_TOML};
use gongjiang_domain::registry::CompetitionTier;
use time::macros::date;

fn judged(code: &str, max_tenths: u32) -> Aspect {
    Aspect {
        code: code.into(),
        description: "焊缝外观 weld appearance".into(),
        kind: AspectKind::Judgement,
        max_tenths,
        descriptors: vec!["差".into(), "合格".into(), "良好".into(), "优秀".into()],
    }
}

fn measured(code: &str, max_tenths: u32) -> Aspect {
    Aspect {
        code: code.into(),
        description: "尺寸 ±0.5 mm".into(),
        kind: AspectKind::Measurement,
        max_tenths,
        descriptors: vec![],
    }
}

#[test]
fn a_judgement_mark_is_the_average_score_over_three_times_the_maximum() {
    // Max 2.0 marks; scores 2, 3, 2 → (7 / 3) / 3 × 2.00 = 14/9 = 1.5555… → 1.56.
    assert_eq!(aspect_mark(&judged("A1", 20), &[2, 3, 2]), AspectMark::Complete { hundredths: 156 });
    // Max 1.5; scores 3, 3, 3 → 1.50; scores 0, 1, 1 → (2/3)/3 × 1.5 = 1/3 = 0.333… → 0.33.
    assert_eq!(aspect_mark(&judged("A2", 15), &[3, 3, 3]), AspectMark::Complete { hundredths: 150 });
    assert_eq!(aspect_mark(&judged("A2", 15), &[0, 1, 1]), AspectMark::Complete { hundredths: 33 });
    // Four judges 1, 2, 2, 2 → 7/12 × 3.0 = 1.75.
    assert_eq!(aspect_mark(&judged("A3", 30), &[1, 2, 2, 2]), AspectMark::Complete { hundredths: 175 });
}

#[test]
fn judges_two_points_apart_must_reconcile_and_too_few_judges_wait() {
    assert_eq!(aspect_mark(&judged("A1", 20), &[1, 3, 2]), AspectMark::Disagree { low: 1, high: 3 });
    assert_eq!(aspect_mark(&judged("A1", 20), &[3, 2]), AspectMark::Missing { have: 2, need: 3 });
    // After reconciling, 2, 3, 2 stands.
    assert!(matches!(aspect_mark(&judged("A1", 20), &[2, 3, 2]), AspectMark::Complete { .. }));
}

#[test]
fn a_measurement_is_all_or_nothing_and_needs_agreement() {
    assert_eq!(aspect_mark(&measured("B1", 15), &[1, 1]), AspectMark::Complete { hundredths: 150 });
    assert_eq!(aspect_mark(&measured("B1", 15), &[0]), AspectMark::Complete { hundredths: 0 });
    assert_eq!(aspect_mark(&measured("B1", 15), &[1, 0]), AspectMark::Disagree { low: 0, high: 1 });
    assert_eq!(aspect_mark(&measured("B1", 15), &[]), AspectMark::Missing { have: 0, need: 1 });
    assert!(check_score(&measured("B1", 15), 2).is_err());
    assert!(check_score(&judged("A1", 15), 4).is_err());
    assert!(check_score(&judged("A1", 15), -1).is_err());
    assert_eq!(check_score(&judged("A1", 15), 3), Ok(3));
}

#[test]
fn an_entry_signs_off_only_when_every_aspect_stands() {
    let scheme = Scheme::new(vec![judged("A1", 20), measured("B1", 15)]).expect("valid scheme");
    assert_eq!(scheme.total_tenths(), 35);
    // A1 2,3,2 → 1.56; B1 awarded → 1.50; total 3.06.
    let ok = entry_total(&scheme, |c| if c == "A1" { &[2, 3, 2] } else { &[1, 1, 1] });
    assert_eq!(ok.total_hundredths, Some(306));
    let blocked = entry_total(&scheme, |c| if c == "A1" { &[1, 3, 2] } else { &[1] });
    assert_eq!(blocked.total_hundredths, None);
    assert_eq!(blocked.blockers.len(), 1);
    assert!(blocked.blockers[0].zh.contains("相差超过 1 分"), "{:?}", blocked.blockers);
    assert!(blocked.blockers[0].en.contains("A1"), "{:?}", blocked.blockers);
}

#[test]
fn a_scheme_names_each_bad_aspect() {
    let mut bad = judged("A1", 0);
    bad.descriptors.pop();
    let errs = Scheme::new(vec![bad, measured("A1", 10)]).expect_err("two faults");
    let fields: Vec<(usize, &str)> = errs.iter().map(|e| (e.aspect, e.field)).collect();
    assert_eq!(fields, vec![(1, "max_mark"), (1, "descriptors"), (2, "code")]);
}

#[test]
fn standardised_scores_match_the_worked_example() {
    // Totals 60, 70, 80, 90, 50 marks: median 70, mean 70, population variance
    // (100 + 0 + 100 + 400 + 400) / 5 = 200, sd = √200 = 14.1421.
    // 90 → 700 + 20 / 14.1421 × 100 = 841.42 → 841.4; 50 → 558.58 → 558.6;
    // 60 → 629.29 → 629.3; 80 → 770.71 → 770.7; 70 → 700.0.
    assert_eq!(standardise(&[6000, 7000, 8000, 9000, 5000]), vec![6293, 7000, 7707, 8414, 5586]);
    // Even count, median ≠ mean: 50, 60, 70, 100: median 65, mean 70, variance
    // (400 + 100 + 0 + 900) / 4 = 350, sd = 18.7083. 100 → 700 + 35/18.7083 × 100 = 887.08;
    // 50 → 700 − 15/18.7083 × 100 = 619.82; 60 → 673.27; 70 → 726.73.
    assert_eq!(standardise(&[5000, 6000, 7000, 10000]), vec![6198, 6733, 7267, 8871]);
    // No spread: everyone at 700.
    assert_eq!(standardise(&[4200, 4200]), vec![7000, 7000]);
    assert_eq!(standardise(&[4200]), vec![7000]);
}

#[test]
fn places_follow_total_then_measurement_and_equal_entries_share() {
    // D 90 first; A, B, C on 80: B has more measurement marks (35 against 30) → 2nd; A and C
    // equal on both → share 3rd; E → 5th (4th skipped).
    let entries = vec![("A", 8000, 3000), ("B", 8000, 3500), ("C", 8000, 3000), ("D", 9000, 0), ("E", 7000, 0)];
    let placed: Vec<(&str, u32, bool)> = rank(&entries).into_iter().map(|p| (p.key, p.place, p.tied)).collect();
    assert_eq!(placed, vec![("D", 1, false), ("B", 2, false), ("A", 3, true), ("C", 3, true), ("E", 5, false)]);
}

#[test]
fn awards_follow_the_policy_rows() {
    let policy = Policy::from_toml_str(TIANJIN_TOML, "tianjin.toml").expect("shipped policy loads");
    let awards = &policy.competition.awards;
    let nsc = "第三届全国技能大赛";
    let kind = |tier, name, place, n, score| award_for(awards, tier, name, place, place, n, score).map(|r| r.award);
    assert_eq!(kind(CompetitionTier::National1, nsc, 1, 10, 7000), Some(AwardKind::Gold));
    assert_eq!(kind(CompetitionTier::National1, nsc, 3, 10, 7000), Some(AwardKind::Bronze));
    // 4th of 10: 4 × 2 ≤ 10 → 优胜奖; 6th of 10: 12 > 10 → nothing.
    assert_eq!(kind(CompetitionTier::National1, nsc, 4, 10, 7000), Some(AwardKind::Excellence));
    assert_eq!(kind(CompetitionTier::National1, nsc, 6, 10, 7000), None);
    // Another class-I competition has no medal rows.
    assert_eq!(kind(CompetitionTier::National1, "全国职工职业技能大赛", 1, 10, 7000), None);
    // WorldSkills: Medallion for Excellence from 700 on the scale.
    assert_eq!(kind(CompetitionTier::World, "世界技能大赛", 5, 30, 7000), Some(AwardKind::Excellence));
    assert_eq!(kind(CompetitionTier::World, "世界技能大赛", 5, 30, 6999), None);
    assert_eq!(kind(CompetitionTier::City1, "海河工匠杯", 1, 30, 8000), None);
}

#[test]
fn entrants_are_16_to_the_statutory_retirement_age() {
    let policy = Policy::from_toml_str(TIANJIN_TOML, "tianjin.toml").expect("shipped policy loads");
    let cond = &policy.competition.entry;
    assert_eq!(cond.min_age, 16);
    // Born 2010-06-15: 16 on 2026-06-15.
    let young = check_entrant(cond, "海河工匠杯", date!(2010 - 06 - 15), true, date!(2026 - 06 - 14), false, false);
    assert!(!young.eligible);
    assert!(young.reasons[0].zh.contains("未满 16 周岁"), "{:?}", young.reasons);
    assert!(
        check_entrant(cond, "海河工匠杯", date!(2010 - 06 - 15), true, date!(2026 - 06 - 15), false, false).eligible
    );
    // A man born 1965-01-10: first cohort of the raise, 60 years 1 month → retires 2025-02-10.
    assert!(
        check_entrant(cond, "海河工匠杯", date!(1965 - 01 - 10), true, date!(2025 - 02 - 09), false, false).eligible
    );
    let retired = check_entrant(cond, "海河工匠杯", date!(1965 - 01 - 10), true, date!(2025 - 02 - 10), false, false);
    assert!(!retired.eligible);
    assert!(retired.reasons[0].zh.contains("2025-02-10"), "{:?}", retired.reasons);
    // A woman born 1980-03-01: 62 months after 1975-01 → 62/2 + 1 = 32 extra months:
    // 52 years 8 months → 2032-11-01.
    let woman = check_entrant(cond, "海河工匠杯", date!(1980 - 03 - 01), false, date!(2032 - 10 - 31), false, false);
    assert!(woman.eligible && woman.reasons[1].zh.contains("2032-11-01"), "{:?}", woman.reasons);
    assert!(
        !check_entrant(cond, "海河工匠杯", date!(1980 - 03 - 01), false, date!(2032 - 11 - 01), false, false).eligible
    );
    // A man born 1980-01: the raise is capped at 36 months → 63 → 2043-01-05.
    let late = check_entrant(cond, "海河工匠杯", date!(1980 - 01 - 05), true, date!(2030 - 01 - 01), false, false);
    assert!(late.reasons[1].zh.contains("2043-01-05"), "{:?}", late.reasons);
    // An occupation-only event refuses a non-practitioner, and lists every reason.
    let both = check_entrant(cond, "海河工匠杯", date!(2012 - 01 - 01), true, date!(2026 - 01 - 01), true, false);
    assert_eq!(both.reasons.len(), 2);
    // WorldSkills selection: at most 22 in the competition's year — born 2004 is 22 in 2026,
    // born 2003 is 23.
    let sel = "第48届世界技能大赛选拔赛";
    assert!(check_entrant(cond, sel, date!(2004 - 12 - 31), true, date!(2026 - 03 - 01), false, false).eligible);
    let old = check_entrant(cond, sel, date!(2003 - 12 - 31), true, date!(2026 - 03 - 01), false, false);
    assert!(!old.eligible && old.reasons[0].zh.contains("2004 年及以后出生"), "{:?}", old.reasons);
}

#[test]
fn a_result_opens_cash_honours_and_admissions_by_the_policy() {
    use gongjiang_domain::marking::opens;
    use gongjiang_domain::registry::CompetitionGroup::{Employee, Student};
    let policy = Policy::from_toml_str(TIANJIN_TOML, "tianjin.toml").expect("shipped policy loads");
    let rules = &policy.competition.rewards;
    let ids = |tier, group, place, n, award, on| -> Vec<String> {
        opens(rules, tier, group, "海河工匠杯", place, n, award, on).iter().map(|r| r.id.clone()).collect()
    };
    let on = date!(2025 - 06 - 01);
    // 市级一类 1st, employee: ¥20,000 (top 3), 天津市技术能手 and the 五一 medal.
    assert_eq!(
        ids(CompetitionTier::City1, Employee, 1, 30, None, on),
        ["cash-c1-top3", "honour-tj-nengshou-city1", "honour-tj-wuyi"]
    );
    // 5th: ¥10,000 only; a student 1st: the cash, no honour.
    assert_eq!(ids(CompetitionTier::City1, Employee, 5, 30, None, on), ["cash-c1-4to10"]);
    assert_eq!(ids(CompetitionTier::City1, Student, 1, 30, None, on), ["cash-c1-top3"]);
    // 市级综合 from the 2024 version on: the 本市一类 amounts [I] — 1st: ¥20,000 and the honour;
    // a student 7th: ¥10,000; nothing the day before the 2024 table.
    assert_eq!(
        ids(CompetitionTier::CityComprehensive, Employee, 1, 30, None, on),
        ["cash-cc-top3", "honour-tj-nengshou-comprehensive"]
    );
    assert_eq!(ids(CompetitionTier::CityComprehensive, Student, 7, 30, None, on), ["cash-cc-4to10"]);
    assert_eq!(ids(CompetitionTier::CityComprehensive, Employee, 11, 30, None, on), Vec::<String>::new());
    assert!(ids(CompetitionTier::CityComprehensive, Employee, 1, 30, None, date!(2024 - 10 - 24)).is_empty());
    let cc = rules.iter().find(|r| r.id == "cash-cc-top3").unwrap();
    assert_eq!((cc.amount_yuan, cc.inferred.is_some()), (Some(20_000), true));
    // WorldSkills gold, student: ¥500,000 with the employer's match, and 保送.
    let ws = opens(rules, CompetitionTier::World, Student, "世界技能大赛", 1, 30, Some(AwardKind::Gold), on);
    assert_eq!(ws.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), ["cash-ws-gold", "admission-ws-gold"]);
    assert_eq!((ws[0].amount_yuan, ws[0].employer_matches), (Some(500_000), true));
    // National class I 4th: ¥50,000 and 全国技术能手.
    assert_eq!(
        ids(CompetitionTier::National1, Employee, 4, 40, None, on),
        ["cash-n1-top5", "honour-national-nengshou"]
    );
}

#[test]
fn worldskills_medals_tie_within_two_points_on_the_scale() {
    // Hand-worked: scores 735.0, 733.5 (1.5 below the first: tied gold), 731.0 (4.0 below the
    // first: not tied with it) → medal places 1, 1, 3: two golds, no silver, a bronze.
    assert_eq!(medal_places(&[7350, 7335, 7310, 7000], 2), [1, 1, 3, 4]);
    // 750.0, then 740.0 and 738.0 (2.0 apart: tied silver), 737.9 (2.1 below 740.0) → 1, 2, 2, 4:
    // two silvers, no bronze.
    assert_eq!(medal_places(&[7500, 7400, 7380, 7379], 2), [1, 2, 2, 4]);
    // The margin counts from the first of a tied group, not link by link: 720, 719, 718, 717 →
    // 717 is 3 below 720 → 1, 1, 1, 4.
    assert_eq!(medal_places(&[7200, 7190, 7180, 7170], 2), [1, 1, 1, 4]);

    let policy = Policy::from_toml_str(TIANJIN_TOML, "tianjin.toml").expect("shipped policy loads");
    let awards = &policy.competition.awards;
    assert_eq!(tie_margin(awards, CompetitionTier::World, "世界技能大赛"), Some(2));
    assert_eq!(tie_margin(awards, CompetitionTier::National1, "第三届全国技能大赛"), None, "no margin in China");
    // The second of the first example: raw place 2, medal place 1 → gold; the third (medal place
    // 3) → bronze; the rows say they are inferred.
    let medal = |place, medal_place, score| {
        award_for(awards, CompetitionTier::World, "世界技能大赛", place, medal_place, 30, score).map(|r| r.award)
    };
    assert_eq!(medal(2, 1, 7335), Some(AwardKind::Gold));
    assert_eq!(medal(3, 3, 7310), Some(AwardKind::Bronze));
    assert_eq!(medal(2, 2, 7335), Some(AwardKind::Silver));
    assert!(awards.iter().filter(|r| r.tie_margin.is_some()).all(|r| r.inferred.is_some()));
}
