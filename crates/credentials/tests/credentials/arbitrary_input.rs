//! Verification against arbitrary input (property tests in place of cargo-fuzz): a signed
//! credential with bytes of its JSON flipped, cut or spliced either fails to parse, reads back
//! as the same document, or does not verify — never a panic, never a changed document that
//! verifies. And any JSON at all gets an answer.

use gongjiang_credentials::{Keyring, Suite, certificate_credential, sign, status_entry, verify};
use proptest::prelude::*;
use serde_json::Value;

use crate::sample::{CREATED, NOW, claims, issuer, key};

fn cases() -> u32 {
    std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(2_000) / 2 + 1
}

fn signed() -> (String, Value, Keyring) {
    let key = key(3);
    let credential = certificate_credential(&claims(), &issuer(&key.did_key()));
    let doc = sign(&credential, &key, Suite::EddsaJcs2022, CREATED).expect("sign");
    (serde_json::to_string(&doc).unwrap(), doc, Keyring::single(key))
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z@]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn a_changed_credential_never_verifies(flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
                                           how in 0u8..3, cut in any::<prop::sample::Index>()) {
        let (text, original, ring) = signed();
        let mut bytes = text.into_bytes();
        match how {
            0 => for (at, b) in flips { let i = at.index(bytes.len()); bytes[i] = b; },
            1 => bytes.truncate(cut.index(bytes.len())),
            _ => { let i = cut.index(bytes.len()); bytes.splice(i..i, flips.into_iter().map(|(_, b)| b)); }
        }
        let Ok(doc) = serde_json::from_slice::<Value>(&bytes) else { return Ok(()) };
        let verdict = verify(&doc, &ring, NOW);
        let _ = status_entry(&doc);
        if doc != original {
            prop_assert!(verdict.is_err(), "a changed document verified: {}", doc);
        } else {
            prop_assert!(verdict.is_ok());
        }
    }

    #[test]
    fn any_json_gets_an_answer(doc in any_json()) {
        let (_, _, ring) = signed();
        prop_assert!(verify(&doc, &ring, NOW).is_err());
        let _ = status_entry(&doc);
    }
}
