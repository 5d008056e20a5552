//! The parsers against arbitrary input (property tests in place of cargo-fuzz, which needs a
//! nightly toolchain this project does not install): identity numbers, credit codes,
//! certificate numbers, dates and the policy loader return an answer — a value or a reasoned
//! error — for any text, never a panic. Each property runs `FUZZ_CASES` cases (default 2,000;
//! `.ci/run` keeps the default); failures found are kept in `arbitrary_input.proptest-regressions`.

use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::policy::Policy;
use gongjiang_domain::uscc::Uscc;
use proptest::prelude::*;
use time::macros::date;

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000)
}

/// Text close to what the parsers expect: digits, capitals, full-width forms, separators, and
/// now and then anything at all.
fn near_identifier() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9X]{0,20}",
        "[0-9A-Z]{0,24}",
        "[0-9０-９Ｘx -]{0,20}",
        "[SY][0-9]{0,24}",
        any::<String>(),
        prop::collection::vec(any::<char>(), 0..40).prop_map(|c| c.into_iter().collect()),
    ]
}

/// The shipped policy with a random slice cut out, a random line repeated, or random bytes
/// spliced in: TOML that is almost right is what an editor produces.
fn near_policy() -> impl Strategy<Value = String> {
    let text = include_str!("../../../../policy/tianjin.toml");
    (0..text.len(), 0usize..400, any::<String>(), 0u8..3).prop_map(move |(at, len, junk, how)| {
        let at = (0..=at).rev().find(|i| text.is_char_boundary(*i)).unwrap_or(0);
        let end = (at + len..=text.len()).find(|i| text.is_char_boundary(*i)).unwrap_or(text.len());
        match how {
            0 => format!("{}{}", &text[..at], &text[end..]),
            1 => format!("{}{}{}", &text[..at], junk, &text[at..]),
            _ => format!("{}{}{}", &text[..end], &text[at..end], &text[end..]),
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn identifiers_answer_any_text(s in near_identifier()) {
        let _ = IdNumber::parse(&s, date!(2026 - 12 - 07)).map_err(|e| e.to_string());
        let _ = Uscc::parse(&s).map_err(|e| e.to_string());
        let _ = CertificateNo::parse(&s).map_err(|e| e.to_string());
        let _ = parse_date(&s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases() / 20 + 1, ..ProptestConfig::default() })]

    #[test]
    fn the_policy_loader_answers_any_near_miss(text in near_policy()) {
        if let Err(errors) = Policy::from_toml_str(&text, "fuzz.toml") {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
