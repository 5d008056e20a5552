//! The apprenticeship rules (企业新型学徒制) as policy data: the shipped rule sets, with sources
//! and every inferred part marked, and bad rule sets named by key with a reason.

use gongjiang_domain::level::Level;
use gongjiang_domain::policy::{Policy, PolicyError, TIANJIN_TOML};
use time::macros::date;

fn errors_of(text: &str) -> Vec<PolicyError> {
    match Policy::from_toml_str(text, "broken.toml") {
        Ok(_) => panic!("the broken policy was accepted"),
        Err(e) => e,
    }
}

fn replaced(from: &str, to: &str) -> String {
    assert_eq!(TIANJIN_TOML.matches(from).count(), 1, "{from:?} occurs once");
    TIANJIN_TOML.replace(from, to)
}

fn find<'a>(errors: &'a [PolicyError], key: &str) -> &'a PolicyError {
    errors.iter().find(|e| e.key == key).unwrap_or_else(|| {
        let all: String = errors.iter().map(|e| format!("\n  {e}")).collect();
        panic!("no error at {key}; errors: {all}")
    })
}

#[test]
fn shipped_rules_hold_the_2021_numbers_with_their_sources() {
    let p = Policy::tianjin();
    let a = &p.apprenticeship;
    assert!(a.source.contains("§7.1"));
    let r = a.in_force(date!(2026 - 03 - 01)).expect("a rule set in force in 2026");
    assert_eq!(r.id, "national-2021");
    assert_eq!(
        (r.min_contract_months, r.min_months, r.max_months, r.max_months_with_reason),
        (Some(12), Some(12), Some(24), Some(36))
    );
    assert_eq!((r.lowest_target, r.highest_target), (Level::new(3).unwrap(), Level::new(6).unwrap()));
    assert_eq!(a.in_force(date!(2020 - 01 - 01)).map(|r| r.id.as_str()), Some("national-2018"));
    assert_eq!(a.in_force(date!(2017 - 12 - 31)), None);
    for r in &a.rules {
        assert!(r.source.contains("[C3]"), "{}", r.id);
        let why = r.inferred.as_ref().unwrap_or_else(|| panic!("{} is not marked inferred", r.id));
        assert!(!why.zh.is_empty() && !why.en.is_empty(), "{}", r.id);
    }
}

#[test]
fn bad_rule_sets_are_named_with_key_and_reason() {
    let errs = errors_of(&replaced(
        "target_levels = [\"中级工\", \"高级技师\"]",
        "target_levels = [\"高级技师\", \"中级工\"]",
    ));
    let e = find(&errs, "apprenticeship.rules[1].target_levels");
    assert!(e.why.en.contains("[lowest, highest]"), "{e}");

    let errs = errors_of(&replaced("max_months = 24", "max_months = 48"));
    let e = find(&errs, "apprenticeship.rules[1]");
    assert!(e.why.en.contains("max_months ≤ max_months_with_reason"), "{e}");

    let errs = errors_of(&replaced("min_contract_months = 12", "min_contract_months = 0"));
    find(&errs, "apprenticeship.rules[1].min_contract_months");

    let errs = errors_of(&replaced("effective_from = 2021-06-22", "effective_from = 2021-01-01"));
    let e = find(&errs, "apprenticeship.rules[1].effective_from");
    assert!(e.why.en.contains("apprenticeship.rules[0] also covers"), "{e}");

    let errs = errors_of(&replaced("max_months_with_reason = 36", "max_months_with_reason = 36\nmax_years = 3"));
    assert!(
        errs.iter().any(|e| e.key.starts_with("apprenticeship.rules[1]") && e.why.en.contains("max_years")),
        "{errs:?}"
    );
}
