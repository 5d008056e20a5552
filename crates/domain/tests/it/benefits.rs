//! The benefit engine on hand-built records, every expectation derived by hand from the shipped
//! policy: skill-upgrade's insurance months, claim window, yearly limit, occupation-and-level
//! rules and revoked certificates; haihe-talent's age caps, education types and missing facts;
//! and the policy section's bad entries named by key.

use gongjiang_domain::benefits::{BenefitDecision, LevelRecord, PastClaim, Record, decide, decide_all};
use gongjiang_domain::insurance::Spell;
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::{Policy, PolicyError, TIANJIN_TOML};
use gongjiang_domain::registry::{ClaimStatus, Education, InsuranceScheme, LevelSource};
use time::Date;
use time::macros::date;

const OCC: &str = "6-18-01-01";
const OCC2: &str = "6-31-01-03";
const ON: Date = date!(2026 - 03 - 02);

fn policy() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(Policy::tianjin)
}

fn cert(id: i64, occupation: &str, rank: u8, on: Date) -> LevelRecord {
    LevelRecord {
        id,
        occupation: occupation.into(),
        level: Level::new(rank).unwrap(),
        obtained_on: on,
        revoked_on: None,
        source: LevelSource::Exam,
    }
}

fn unemployment(from: Date, to: Option<Date>) -> (InsuranceScheme, Spell) {
    (InsuranceScheme::Unemployment, Spell { starts_on: from, ends_on: to })
}

fn skill(record: &Record, on: Date) -> BenefitDecision {
    decide(policy(), "skill-upgrade", record, on).expect("the shipped policy has skill-upgrade")
}

fn talent(record: &Record, on: Date) -> BenefitDecision {
    decide(policy(), "haihe-talent", record, on).expect("the shipped policy has haihe-talent")
}

fn unmet(d: &BenefitDecision) -> Vec<&'static str> {
    d.certificates
        .iter()
        .flat_map(|c| c.conditions.iter())
        .chain(&d.conditions)
        .filter(|c| !c.met)
        .map(|c| c.kind)
        .collect()
}

/// 12 months of unemployment insurance in 2025, a 高级工 (三级) certificate on 2025-06-01.
fn worker() -> Record {
    Record {
        insurance: vec![unemployment(date!(2025 - 01 - 01), Some(date!(2025 - 12 - 31)))],
        levels: vec![cert(1, OCC, 4, date!(2025 - 06 - 01))],
        ..Record::default()
    }
}

#[test]
fn skill_upgrade_pays_by_level_with_twelve_months_of_insurance() {
    let d = skill(&worker(), ON);
    assert!(d.eligible, "{:?}", d.reasons);
    assert_eq!(d.amount, Some(2000), "三级 = ¥2000");
    assert!(d.reasons[0].zh.contains("2000") && d.reasons[0].en.contains("2000"), "{:?}", d.reasons[0]);
    // From 2025 on the scheme's continuation is an inference of ours: said so.
    assert!(d.inferred && !d.inferred_notes.is_empty());
    // 五级 ¥1000, 四级 ¥1500; 二级 (技师) gets nothing.
    for (rank, amount) in [(2, Some(1000)), (3, Some(1500)), (5, None)] {
        let mut r = worker();
        r.levels = vec![cert(1, OCC, rank, date!(2025 - 06 - 01))];
        assert_eq!(skill(&r, ON).amount, amount, "rank {rank}");
    }
}

#[test]
fn eleven_months_of_insurance_is_not_enough_and_says_when_twelve_will_be() {
    let mut r = worker();
    // Feb–Dec 2025 = 11 months, closed: waiting alone will not do.
    r.insurance = vec![unemployment(date!(2025 - 02 - 01), Some(date!(2025 - 12 - 31)))];
    let d = skill(&r, ON);
    assert!(!d.eligible);
    assert_eq!(d.amount, None);
    assert_eq!(unmet(&d), ["insurance_months"]);
    assert_eq!(d.earliest_on, None);
    assert!(d.conditions[1].reason.zh.contains("11 个月"), "{:?}", d.conditions[1].reason);
    // Still paying since April 2025: 12 months in March 2026 — on 2026-02-27 11 (Apr–Feb), met on
    // 2026-03-01, inside the certificate's window (to 2026-06-01).
    r.insurance = vec![unemployment(date!(2025 - 04 - 01), None)];
    let d = skill(&r, date!(2026 - 02 - 27));
    assert!(!d.eligible);
    assert_eq!(d.earliest_on, Some(date!(2026 - 03 - 01)));
    assert!(skill(&r, date!(2026 - 03 - 01)).eligible);
    // No insurance on record at all: missing, not guessed.
    r.insurance.clear();
    let d = skill(&r, ON);
    assert_eq!(d.missing, ["insurance"]);
    assert!(d.conditions[1].missing);
}

#[test]
fn a_certificate_counts_twelve_months_and_not_thirteen() {
    let mut r = worker();
    r.levels = vec![cert(1, OCC, 4, date!(2025 - 03 - 02))];
    assert!(skill(&r, ON).eligible, "12 months ago to the day: still inside");
    r.levels = vec![cert(1, OCC, 4, date!(2025 - 02 - 02))];
    let d = skill(&r, ON);
    assert!(!d.eligible, "13 months ago");
    assert_eq!(unmet(&d), ["claim_window"]);
    assert_eq!(d.certificates[0].claim_by, date!(2026 - 02 - 02));
    assert_eq!(d.earliest_on, None);
}

#[test]
fn at_most_three_a_year_earliest_certificates_first() {
    let mut r = worker();
    // Four certificates in four occupations, given latest first.
    r.levels = vec![
        cert(4, "6-31-01-09", 2, date!(2026 - 02 - 01)),
        cert(3, OCC2, 3, date!(2025 - 12 - 01)),
        cert(2, "6-18-01-02", 2, date!(2025 - 09 - 01)),
        cert(1, OCC, 4, date!(2025 - 06 - 01)),
    ];
    let d = skill(&r, ON);
    let eligible: Vec<i64> = d.certificates.iter().filter(|c| c.eligible).map(|c| c.level_id).collect();
    assert_eq!(eligible, [1, 2, 3], "the three earliest");
    assert_eq!(d.amount, Some(2000 + 1000 + 1500));
    let fourth = &d.certificates[3];
    assert_eq!(fourth.level_id, 4);
    let limit = fourth.conditions.iter().find(|c| c.kind == "per_year").expect("the limit is judged");
    // Its window runs to 2027-02-01: it can be claimed from 1 January 2027.
    assert_eq!((limit.met, limit.met_on), (false, Some(date!(2027 - 01 - 01))));
    // Two claims made earlier this year leave room for one.
    r.claims = [1, 2]
        .iter()
        .map(|&i| PastClaim {
            scheme: "skill-upgrade".into(),
            level_id: Some(i),
            occupation: Some(if i == 1 { OCC.into() } else { "6-18-01-02".into() }),
            level: Level::new(if i == 1 { 4 } else { 2 }),
            claimed_on: date!(2026 - 01 - 10),
            status: ClaimStatus::Paid,
        })
        .collect();
    let d = skill(&r, ON);
    let eligible: Vec<i64> = d.certificates.iter().filter(|c| c.eligible).map(|c| c.level_id).collect();
    assert_eq!(eligible, [3]);
    assert_eq!(d.certificates[0].claim_status.as_deref(), Some("paid"));
    // A claim of last year does not count against this year.
    for c in &mut r.claims {
        c.claimed_on = date!(2025 - 12 - 20);
    }
    let eligible = skill(&r, ON).certificates.iter().filter(|c| c.eligible).count();
    assert_eq!(eligible, 2, "certificates 3 and 4");
}

#[test]
fn the_same_occupation_and_level_once_and_never_below_a_higher_one() {
    let mut r = worker();
    // The same occupation and level twice (another trade): the earlier only.
    r.levels = vec![cert(1, OCC, 4, date!(2025 - 06 - 01)), cert(2, OCC, 4, date!(2025 - 10 - 01))];
    let d = skill(&r, ON);
    assert_eq!(d.certificates.iter().map(|c| c.eligible).collect::<Vec<_>>(), [true, false]);
    assert_eq!(unmet(&d), ["same_occupation_level"]);
    // Paid for 三级 before: a later 四级 certificate of the same occupation gets nothing.
    r.levels = vec![cert(2, OCC, 3, date!(2025 - 10 - 01))];
    r.claims = vec![PastClaim {
        scheme: "skill-upgrade".into(),
        level_id: Some(1),
        occupation: Some(OCC.into()),
        level: Level::new(4),
        claimed_on: date!(2025 - 07 - 01),
        status: ClaimStatus::Paid,
    }];
    assert_eq!(unmet(&skill(&r, ON)), ["higher_level_claimed"]);
    // A rejected claim uses up nothing.
    r.claims[0].status = ClaimStatus::Rejected;
    assert!(skill(&r, ON).eligible);
}

#[test]
fn revoked_certificates_never_count_and_appointments_are_not_certificates() {
    let mut r = worker();
    r.levels[0].revoked_on = Some(date!(2026 - 01 - 05));
    let d = skill(&r, ON);
    assert!(!d.eligible);
    assert_eq!(unmet(&d), ["not_revoked"]);
    assert!(skill(&r, date!(2026 - 01 - 04)).eligible, "valid the day before the revocation");
    let mut r = worker();
    r.levels[0].source = LevelSource::Appointment;
    assert!(skill(&r, ON).certificates.is_empty());
    // A certificate whose window closed before the scheme began (2023-01-01) is not listed.
    let mut r = worker();
    r.levels.push(cert(2, OCC2, 3, date!(2021 - 12 - 31)));
    r.levels.push(cert(3, OCC2, 4, date!(2022 - 01 - 01)));
    let ids: Vec<i64> = skill(&r, ON).certificates.iter().map(|c| c.level_id).collect();
    assert_eq!(ids, [3, 1], "2022-01-01 + 12 months = 2023-01-01, the first day of the scheme");
}

/// A 高职 graduate born on 2 March `year`, holding `rank` since 2020, working since 2015, with a
/// year of pension insurance.
fn graduate(birth_year: i32, rank: Option<u8>, education: Option<Education>) -> Record {
    Record {
        birth_date: Date::from_calendar_date(birth_year, time::Month::March, 2).ok(),
        education,
        work_start: Some(date!(2015 - 07 - 01)),
        levels: rank.map(|r| cert(1, OCC, r, date!(2020 - 01 - 01))).into_iter().collect(),
        insurance: vec![(InsuranceScheme::Pension, Spell { starts_on: date!(2024 - 01 - 01), ends_on: None })],
        claims: Vec::new(),
    }
}

#[test]
fn haihe_talent_age_caps_at_the_limit_and_one_year_over() {
    let hv = Some(Education::HigherVocational);
    // On 2026-03-02 someone born 2 March 1991 is 35; born 1990, 36.
    for (rank, cap, route) in [
        (None, 30, "2020-higher-vocational-young"),
        (Some(4), 35, "2020-higher-vocational-senior"),
        (Some(5), 40, "2020-higher-vocational-technician"),
        (Some(6), 50, "2020-higher-vocational-senior-technician"),
    ] {
        let at = talent(&graduate(2026 - cap, rank, hv), ON);
        assert!(at.eligible, "{route} at {cap}: {:?}", at.reasons);
        assert!(at.reasons[0].en.contains(route), "{route}: {:?}", at.reasons[0]);
        let over = talent(&graduate(2025 - cap, rank, hv), ON);
        assert!(!over.eligible, "{route} at {}: {:?}", cap + 1, over.reasons);
        assert!(over.inferred, "rules from third-party summaries are marked inferred");
        assert_eq!(over.earliest_on, None, "growing older never helps");
    }
    // 中职 graduates: the same caps, with 12 months of pension insurance.
    let sv = Some(Education::SecondaryVocational);
    for (rank, cap) in [(4, 35), (5, 40), (6, 50)] {
        assert!(talent(&graduate(2026 - cap, Some(rank), sv), ON).eligible, "中职 rank {rank} at {cap}");
        assert!(!talent(&graduate(2025 - cap, Some(rank), sv), ON).eligible, "中职 rank {rank} at {}", cap + 1);
    }
}

#[test]
fn haihe_talent_education_types_and_missing_facts() {
    // A 35-year-old 高级工: each education type of the table, and one outside it.
    for (e, eligible) in [
        (Education::HigherVocational, true),
        (Education::SecondaryVocational, true),
        (Education::TechSchoolIntermediate, true),
        (Education::TechSchoolAdvanced, true),
        (Education::TechSchoolPreTechnician, true),
        (Education::SeniorSecondary, false),
        (Education::Bachelor, false),
    ] {
        let d = talent(&graduate(1991, Some(4), Some(e)), ON);
        assert_eq!(d.eligible, eligible, "{e:?}: {:?}", d.reasons);
        assert!(d.missing.is_empty());
    }
    // 中职 without a year of pension insurance: not yet, and the day it will be.
    let mut r = graduate(1991, Some(4), Some(Education::SecondaryVocational));
    r.insurance = vec![(InsuranceScheme::Pension, Spell { starts_on: date!(2025 - 06 - 01), ends_on: None })];
    let d = talent(&r, ON);
    assert!(!d.eligible);
    assert_eq!(d.earliest_on, Some(date!(2026 - 05 - 01)), "Jun 2025 … May 2026 = 12 months");
    // Education not on record: missing, and no guess either way.
    let d = talent(&graduate(1991, Some(4), None), ON);
    assert!(!d.eligible);
    assert_eq!(d.missing, ["education"]);
    assert!(d.reasons[0].zh.contains("无法判断") && d.reasons[0].en.contains("cannot decide"), "{:?}", d.reasons[0]);
    // … but where every route fails on a known fact (36, holding no level), the answer stands.
    let d = talent(&graduate(1990, None, None), ON);
    assert!(!d.eligible);
    assert!(d.missing.is_empty(), "{:?}", d.missing);
    assert!(d.reasons[0].zh.starts_with("不符合"), "{:?}", d.reasons[0]);
    // The 2018 version on a day in 2019: 高职 needs a year of work.
    let mut r = graduate(1985, Some(4), Some(Education::HigherVocational));
    r.levels[0].obtained_on = date!(2018 - 06 - 01);
    r.work_start = Some(date!(2018 - 09 - 01));
    let d = talent(&r, date!(2019 - 06 - 01));
    assert!(!d.eligible);
    assert_eq!(d.earliest_on, Some(date!(2019 - 09 - 01)), "a year after starting work");
    assert!(d.routes.iter().all(|r| r.version == "2018"));
    // … but not after the version ends (2019-12-31): starting work in March 2019 is too late.
    r.work_start = Some(date!(2019 - 03 - 01));
    assert_eq!(talent(&r, date!(2019 - 06 - 01)).earliest_on, None);
}

#[test]
fn every_scheme_is_decided() {
    let all = decide_all(policy(), &worker(), ON);
    let ids: Vec<&str> = all.iter().map(|d| d.scheme.as_str()).collect();
    assert_eq!(ids, ["skill-upgrade", "haihe-talent", "skill-allowance"]);
}

#[test]
fn skill_allowance_structure_without_a_schedule_and_with_one() {
    // Tianjin's schedule is a [GAP]: not computed, and said so.
    let d = decide(policy(), "skill-allowance", &worker(), ON).unwrap();
    assert!(!d.eligible && d.amount.is_none());
    assert_eq!(d.missing, ["schedule"]);
    assert!(d.inferred && d.inferred_notes[0].zh.contains("GAP"));
    // A city that sets one: 技师 ¥300, 高级技师 ¥500 a month; the highest row at or below the level.
    let text = TIANJIN_TOML.replacen(
        "monthly = []",
        "monthly = [{ level = \"技师\", yuan = 300 }, { level = \"高级技师\", yuan = 500 }]",
        1,
    );
    let p = Policy::from_toml_str(&text, "with-schedule.toml").unwrap();
    for (rank, amount) in [(4, None), (5, Some(300)), (6, Some(500)), (8, Some(500))] {
        let mut r = worker();
        r.levels = vec![cert(1, OCC, rank, date!(2020 - 01 - 01))];
        let d = decide(&p, "skill-allowance", &r, ON).unwrap();
        assert_eq!((d.eligible, d.amount), (amount.is_some(), amount), "rank {rank}");
    }
    // A revoked 技师 counts for nothing.
    let mut r = worker();
    r.levels = vec![cert(1, OCC, 5, date!(2020 - 01 - 01))];
    r.levels[0].revoked_on = Some(date!(2025 - 01 - 01));
    assert_eq!(decide(&p, "skill-allowance", &r, ON).unwrap().amount, None);
}

fn errors_of(text: &str) -> Vec<PolicyError> {
    match Policy::from_toml_str(text, "broken.toml") {
        Ok(_) => panic!("the broken policy was accepted"),
        Err(e) => e,
    }
}

#[test]
fn bad_benefit_entries_are_named_by_key() {
    let text = TIANJIN_TOML
        .replacen("insurance_scheme = \"unemployment\"", "insurance_scheme = \"lottery\"", 1)
        .replacen("{ level = \"中级工\", yuan = 1500 }", "{ level = \"中中工\", yuan = 1500 }", 1)
        .replacen("max_age = 30", "max_age = 0", 1)
        .replacen("education = [\"higher_vocational\"]", "education = [\"kindergarten\"]", 1);
    let errors = errors_of(&text);
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    for key in [
        "benefits.skill_upgrade.insurance_scheme",
        "benefits.skill_upgrade.amounts[1].level",
        "benefits.haihe_talent.routes[6].max_age",
        "benefits.haihe_talent.routes[0].education[0]",
    ] {
        assert!(keys.contains(&key), "no error at {key}: {keys:?}");
    }
    let e = errors.iter().find(|e| e.key == "benefits.skill_upgrade.insurance_scheme").unwrap();
    assert!(e.why.zh.contains("lottery") && e.why.en.contains("unemployment"), "{e}");
}

/// A budget row per scheme, year and district (or the whole city); a budget for a scheme the
/// policy does not have, in a district it does not know, or twice, is refused by key.
#[test]
fn budgets_are_read_and_bad_ones_named_by_key() {
    let rows = |extra: &str| TIANJIN_TOML.to_string() + extra;
    let good = rows(
        "\n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\nyuan = 5000000\nsource = \"测试预算\"\n\
         \n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\ndistrict = \"120116\"\nyuan = 800000\nsource = \"测试预算\"\n",
    );
    let p = Policy::from_toml_str(&good, "budgets.toml").unwrap();
    assert_eq!(p.benefits.budget("skill-upgrade", 2026, None), Some(5_000_000));
    assert_eq!(p.benefits.budget("skill-upgrade", 2026, Some("120116")), Some(800_000));
    assert_eq!(p.benefits.budget("skill-upgrade", 2025, None), None);
    assert!(policy().benefits.budgets.is_empty(), "Tianjin's budgets are not public: none shipped");
    let bad = rows(
        "\n[[benefits.budgets]]\nscheme = \"lottery\"\nyear = 2026\nyuan = 1\nsource = \"x\"\n\
         \n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\ndistrict = \"999999\"\nyuan = 1\nsource = \"x\"\n\
         \n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\nyuan = 1\nsource = \"x\"\n\
         \n[[benefits.budgets]]\nscheme = \"skill-upgrade\"\nyear = 2026\nyuan = 2\nsource = \"x\"\n",
    );
    let errors = errors_of(&bad);
    let keys: Vec<&str> = errors.iter().map(|e| e.key.as_str()).collect();
    assert_eq!(keys, ["benefits.budgets[0].scheme", "benefits.budgets[1].district", "benefits.budgets[3]"]);
}

mod properties {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashSet;

    const OCCS: [&str; 6] = ["6-18-01-01", "6-18-01-02", "6-18-01-03", "6-18-01-04", "6-18-01-05", "6-18-01-06"];

    fn arb_record() -> impl Strategy<Value = (Record, Date)> {
        // Certificates from 14 months before the day to the day, in six occupations: often four
        // or more in the claim window at once.
        let cert = (0usize..6, 2u8..=6, 0i64..420, prop::option::of(0i64..900), 0usize..5);
        let claim = (0usize..6, 0i64..500, 0usize..6);
        (
            prop::collection::vec(cert, 0..9),
            prop::collection::vec(claim, 0..3),
            (0i64..900, prop::option::of(0i64..1500)),
            0i64..400,
        )
            .prop_map(|(certs, claims, (ins_from, ins_len), on)| {
                let base = date!(2024 - 01 - 01);
                let on = base + time::Duration::days(500 + on);
                let sources = [
                    LevelSource::Exam,
                    LevelSource::EnterpriseEvaluation,
                    LevelSource::Competition,
                    LevelSource::Legacy,
                    LevelSource::Appointment,
                ];
                let levels: Vec<LevelRecord> = certs
                    .iter()
                    .enumerate()
                    .map(|(i, (o, rank, d, r, src))| LevelRecord {
                        id: i as i64 + 1,
                        occupation: OCCS[*o].into(),
                        level: Level::new(*rank).unwrap(),
                        obtained_on: on - time::Duration::days(*d),
                        revoked_on: r.map(|x| on - time::Duration::days(*d) + time::Duration::days(x)),
                        source: sources[*src],
                    })
                    .collect();
                let statuses = [
                    ClaimStatus::InReview,
                    ClaimStatus::InNotice,
                    ClaimStatus::Approved,
                    ClaimStatus::Paid,
                    ClaimStatus::Rejected,
                    ClaimStatus::Withdrawn,
                ];
                let claims = claims
                    .iter()
                    .filter_map(|(i, d, st)| {
                        let l = levels.get(*i)?;
                        Some(PastClaim {
                            scheme: "skill-upgrade".into(),
                            level_id: Some(l.id),
                            occupation: Some(l.occupation.clone()),
                            level: Some(l.level),
                            claimed_on: (l.obtained_on + time::Duration::days(*d)).min(on),
                            status: statuses[*st],
                        })
                    })
                    .collect();
                let start = on - time::Duration::days(ins_from);
                let insurance = vec![unemployment(start, ins_len.map(|l| start + time::Duration::days(l)))];
                (Record { levels, claims, insurance, ..Record::default() }, on)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        /// Whatever the record: an entitled certificate has every condition met; the amount is
        /// the sum of the entitled certificates' amounts; no occupation and level twice; with
        /// the claims of the year, never more than three; never a revoked, appointed or
        /// already-claimed certificate.
        #[test]
        fn entitlements_keep_every_rule(case in arb_record()) {
            let (record, on) = case;
            let d = skill(&record, on);
            let entitled: Vec<_> = d.certificates.iter().filter(|c| c.eligible).collect();
            prop_assert_eq!(d.eligible, !entitled.is_empty());
            prop_assert_eq!(d.amount, (!entitled.is_empty()).then(|| entitled.iter().map(|c| c.amount).sum::<u32>()));
            let mut seen = HashSet::new();
            for c in &entitled {
                prop_assert!(c.conditions.iter().all(|x| x.met));
                prop_assert!(d.conditions.iter().all(|x| x.met));
                prop_assert!(seen.insert((c.occupation.clone(), c.level)), "occupation and level twice");
                let l = record.levels.iter().find(|l| l.id == c.level_id).unwrap();
                prop_assert!(l.valid_on(on) && l.source != LevelSource::Appointment);
                prop_assert!(!record.claims.iter().any(|p| p.level_id == Some(l.id)));
                prop_assert!(on <= gongjiang_domain::dates::add_months(l.obtained_on, 12));
                let applied = record.claims.iter().any(|p| {
                    p.status != ClaimStatus::Withdrawn && p.occupation.as_deref() == Some(&c.occupation) && p.level == Some(c.level)
                });
                prop_assert!(!applied, "applied for that occupation and level before");
            }
            let this_year = record.claims.iter().filter(|p| p.status.stands() && p.claimed_on.year() == on.year()).count();
            prop_assert!(this_year >= 3 || entitled.len() + this_year <= 3, "{} + {} over the yearly limit", entitled.len(), this_year);
            if this_year >= 3 {
                prop_assert!(entitled.is_empty());
            }
            // Entitled certificates are the earliest of those that pass everything else.
            if let Some(last) = entitled.last() {
                let later_first = d.certificates.iter().any(|c| {
                    !c.eligible && c.obtained_on < last.obtained_on
                        && c.conditions.iter().filter(|x| !x.met).all(|x| x.kind == "per_year")
                        && c.conditions.iter().any(|x| x.kind == "per_year")
                });
                prop_assert!(!later_first, "a later certificate took an earlier one's place in the year");
            }
        }
    }
}
