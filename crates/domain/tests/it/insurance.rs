//! Contribution months from insurance spells: properties that hold for any spells, checked
//! against a brute-force count of covered calendar months.

use std::collections::BTreeSet;

use gongjiang_domain::insurance::{Spell, months_covered, reaches};
use proptest::prelude::*;
use time::{Date, Duration};

fn base() -> Date {
    time::macros::date!(2020 - 01 - 01)
}

/// Spells within 2020–2027: start day offset, length in days or open.
fn arb_spell() -> impl Strategy<Value = Spell> {
    (0i64..2500, prop_oneof![(0i64..900).prop_map(Some), Just(None)]).prop_map(|(start, len)| Spell {
        starts_on: base() + Duration::days(start),
        ends_on: len.map(|l| base() + Duration::days(start + l)),
    })
}

/// Every day on or before `on` covered by a spell, reduced to its (year, month): the definition.
fn brute_force(spells: &[Spell], on: Date) -> u32 {
    let mut months = BTreeSet::new();
    for s in spells {
        let mut d = s.starts_on;
        let end = s.ends_on.map_or(on, |e| e.min(on));
        while d <= end {
            months.insert((d.year(), d.month() as u8));
            d += Duration::days(1);
        }
    }
    months.len() as u32
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn months_are_the_distinct_calendar_months_covered(
        spells in prop::collection::vec(arb_spell(), 0..5), on in 0i64..2900,
    ) {
        let on = base() + Duration::days(on);
        prop_assert_eq!(months_covered(&spells, on), brute_force(&spells, on));
    }

    /// Overlaps are not double-counted: the union is at least the largest spell and at most the
    /// sum; repeating a spell or reordering changes nothing.
    #[test]
    fn overlaps_count_once_and_order_does_not_matter(
        spells in prop::collection::vec(arb_spell(), 1..5), on in 0i64..2900,
    ) {
        let on = base() + Duration::days(on);
        let all = months_covered(&spells, on);
        let each: Vec<u32> = spells.iter().map(|s| months_covered(std::slice::from_ref(s), on)).collect();
        prop_assert!(all >= *each.iter().max().unwrap());
        prop_assert!(all <= each.iter().sum::<u32>());
        let mut twice = spells.clone();
        twice.extend(spells.iter().copied());
        prop_assert_eq!(months_covered(&twice, on), all);
        let mut reversed = spells.clone();
        reversed.reverse();
        prop_assert_eq!(months_covered(&reversed, on), all);
    }

    /// A spell split into two adjacent spells counts the same months.
    #[test]
    fn splitting_a_spell_changes_nothing(spell in arb_spell(), cut in 0i64..900, on in 0i64..2900) {
        let on = base() + Duration::days(on);
        let end = spell.ends_on.unwrap_or(base() + Duration::days(3000));
        let mid = spell.starts_on + Duration::days(cut);
        prop_assume!(mid < end);
        let parts = [
            Spell { starts_on: spell.starts_on, ends_on: Some(mid) },
            Spell { starts_on: mid + Duration::days(1), ends_on: spell.ends_on },
        ];
        prop_assert_eq!(months_covered(&parts, on), months_covered(&[spell], on));
    }

    /// More time never means fewer months.
    #[test]
    fn months_never_fall_as_time_passes(spells in prop::collection::vec(arb_spell(), 0..5), on in 0i64..2900, later in 0i64..400) {
        let on = base() + Duration::days(on);
        prop_assert!(months_covered(&spells, on + Duration::days(later)) >= months_covered(&spells, on));
    }

    /// `reaches` names the first day the count is met: met on it, not met the day before (unless
    /// it is `on`), and `None` only when no later day within the spells' reach meets it.
    #[test]
    fn reaches_is_the_first_day_the_count_is_met(
        spells in prop::collection::vec(arb_spell(), 0..4), on in 0i64..2900, needed in 1u32..40,
    ) {
        let on = base() + Duration::days(on);
        match reaches(&spells, on, needed) {
            Some(d) => {
                prop_assert!(d >= on);
                prop_assert!(months_covered(&spells, d) >= needed);
                if d > on {
                    prop_assert!(months_covered(&spells, d - Duration::days(1)) < needed);
                }
            }
            None => {
                let far = base() + Duration::days(6000);
                prop_assert!(spells.iter().all(|s| s.ends_on.is_some()), "an open spell always gets there");
                prop_assert!(months_covered(&spells, far) < needed);
            }
        }
    }
}
