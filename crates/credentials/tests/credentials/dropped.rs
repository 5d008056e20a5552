//! Under `eddsa-rdfc-2022` what is signed is the RDF, so a member that JSON-LD expansion drops
//! would travel unsigned. Such documents are refused, as the referee's "safe mode" refuses them.

use gongjiang_credentials::{Failure, Keyring, Suite, certificate_credential, sign, verify};
use serde_json::{Value, json};

use crate::sample::{CREATED, NOW, claims, issuer, key};

/// A named change to a credential.
type Addition = (&'static str, fn(&mut Value));

fn additions() -> Vec<Addition> {
    vec![
        ("an undefined term", |d| d["credentialSubject"]["skillLevel"] = json!("一级/高级技师")),
        ("an unknown keyword", |d| d["credentialSubject"]["@foo"] = json!("x")),
        ("a relative id", |d| d["evidence"] = json!([{ "id": "relative", "name": "fake" }])),
        ("a null value", |d| d["credentialSubject"]["name"] = Value::Null),
        ("an empty object in a list", |d| d["evidence"] = json!([{}])),
    ]
}

#[test]
fn members_that_would_go_unsigned_are_refused_under_rdfc() {
    let key = key(1);
    let ring = Keyring::single(key.clone());
    let credential = certificate_credential(&claims(), &issuer(&key.did_key()));
    let signed = sign(&credential, &key, Suite::EddsaRdfc2022, CREATED).expect("sign");
    for (what, add) in additions() {
        let mut changed = signed.clone();
        add(&mut changed);
        let failures = verify(&changed, &ring, NOW).expect_err(what);
        assert!(
            matches!(&failures[..], [Failure::Malformed { reason }] if reason.contains("unsigned")),
            "{what}: {failures:?}"
        );
        let mut unsigned = credential.clone();
        add(&mut unsigned);
        assert!(sign(&unsigned, &key, Suite::EddsaRdfc2022, CREATED).is_err(), "{what} signed");
    }
}

#[test]
fn under_jcs_every_member_is_signed_so_additions_break_the_signature() {
    let key = key(1);
    let ring = Keyring::single(key.clone());
    let credential = certificate_credential(&claims(), &issuer(&key.did_key()));
    let signed = sign(&credential, &key, Suite::EddsaJcs2022, CREATED).expect("sign");
    for (what, add) in additions() {
        let mut changed = signed.clone();
        add(&mut changed);
        assert_eq!(verify(&changed, &ring, NOW), Err(vec![Failure::SignatureMismatch]), "{what}");
    }
}
