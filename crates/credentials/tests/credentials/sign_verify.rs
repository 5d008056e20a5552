use gongjiang_credentials::{
    Failure, Keyring, Suite, certificate_credential, did_web_document, sign, sign_as, status_entry, verify,
};
use serde_json::{Value, json};
use time::macros::datetime;

use crate::sample::{CREATED, NOW, claims, issuer, key};

const SUITES: [Suite; 2] = [Suite::EddsaJcs2022, Suite::EddsaRdfc2022];

fn signed(suite: Suite) -> (Value, Keyring) {
    let key = key(1);
    let credential = certificate_credential(&claims(), &issuer(&key.did_key()));
    let signed = sign(&credential, &key, suite, CREATED).expect("sign");
    (signed, Keyring::single(key))
}

#[test]
fn a_signed_certificate_verifies_under_both_suites() {
    for suite in SUITES {
        let (doc, ring) = signed(suite);
        let verified = verify(&doc, &ring, NOW).unwrap_or_else(|f| panic!("{suite:?}: {f:?}"));
        assert_eq!(verified.suite, suite);
        assert_eq!(verified.issuer, ring.active().expect("active").did_key());
        assert_eq!(doc["proof"]["created"], "2026-06-01T08:00:00Z");
    }
}

#[test]
fn the_credential_holds_no_form_of_the_identity_number() {
    let (doc, _) = signed(Suite::EddsaJcs2022);
    let text = doc.to_string();
    assert!(!text.contains("11010519491231002X") && !text.contains("salt") && !text.contains("sha256$"));
    let ids = doc["credentialSubject"]["identifier"].as_array().expect("identifiers");
    assert_eq!(ids.len(), 1, "the holder's name only: {ids:?}");
    assert_eq!(ids[0]["identityType"], "name");
    assert_eq!(doc["credentialSubject"]["licenseNumber"], "S000012000100263000042");
    assert_eq!(doc["credentialSubject"]["achievement"]["specialization"], "维修电工");
}

#[test]
fn a_certificate_without_a_trade_says_two_dashes() {
    let mut claims = claims();
    claims.trade = None;
    let doc = certificate_credential(&claims, &issuer("did:key:z"));
    assert_eq!(doc["credentialSubject"]["achievement"]["specialization"], "--");
}

/// Every leaf of the document, as a JSON pointer.
fn leaves(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(k, v)| leaves(v, format!("{path}/{k}"), out)),
        Value::Array(list) => list.iter().enumerate().for_each(|(i, v)| leaves(v, format!("{path}/{i}"), out)),
        _ => out.push(path),
    }
}

fn tamper(value: &Value) -> Value {
    match value {
        Value::String(s) => json!(format!("{s}x")),
        Value::Bool(b) => json!(!b),
        Value::Number(n) => json!(n.as_i64().unwrap_or(0) + 1),
        _ => json!("x"),
    }
}

#[test]
fn changing_any_field_breaks_the_signature_under_both_suites() {
    for suite in SUITES {
        let (doc, ring) = signed(suite);
        let mut paths = Vec::new();
        leaves(&doc, String::new(), &mut paths);
        let paths: Vec<_> = paths.into_iter().filter(|p| !p.starts_with("/proof")).collect();
        assert!(paths.len() > 30, "{} fields", paths.len());
        for path in paths {
            if path.starts_with("/@context") || path == "/issuer/id" {
                continue; // covered below: they fail for another reason first
            }
            let mut changed = doc.clone();
            let leaf = changed.pointer_mut(&path).expect("leaf");
            *leaf = tamper(leaf);
            let failures = verify(&changed, &ring, NOW).expect_err(&format!("{suite:?} {path} accepted"));
            assert!(
                failures.contains(&Failure::SignatureMismatch)
                    || failures.iter().any(|f| matches!(f, Failure::Malformed { .. })),
                "{suite:?} {path}: {failures:?}"
            );
        }
    }
}

#[test]
fn an_added_field_breaks_the_signature() {
    for suite in SUITES {
        let (mut doc, ring) = signed(suite);
        doc["credentialSubject"]["achievement"]["description"] = json!("四级/中级工");
        doc["description"] = json!("forged");
        assert_eq!(verify(&doc, &ring, NOW), Err(vec![Failure::SignatureMismatch]));
    }
}

#[test]
fn a_changed_issuer_is_refused() {
    let (mut doc, ring) = signed(Suite::EddsaJcs2022);
    doc["issuer"]["id"] = json!("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
    let failures = verify(&doc, &ring, NOW).expect_err("accepted");
    assert!(matches!(failures[0], Failure::IssuerMismatch { .. }), "{failures:?}");
}

#[test]
fn a_key_outside_the_keyring_is_an_unknown_issuer() {
    for suite in SUITES {
        let (doc, _) = signed(suite);
        let other = Keyring::single(key(2));
        let failures = verify(&doc, &other, NOW).expect_err("accepted");
        assert!(matches!(failures[..], [Failure::UnknownKey { .. }]), "{failures:?}");
        assert!(failures[0].message().zh.contains("签发机构未知"));
    }
}

#[test]
fn a_proof_made_with_another_key_under_our_name_does_not_match() {
    let ours = key(1);
    let thief = key(2);
    let credential = certificate_credential(&claims(), &issuer(&ours.did_key()));
    let forged = sign_as(&credential, &thief, &ours.verification_method(), Suite::EddsaJcs2022, CREATED).expect("sign");
    assert_eq!(verify(&forged, &Keyring::single(ours), NOW), Err(vec![Failure::SignatureMismatch]));
}

#[test]
fn validity_dates_are_checked() {
    let (doc, ring) = signed(Suite::EddsaJcs2022);
    let before = verify(&doc, &ring, datetime!(2026-05-19 23:59 UTC)).expect_err("accepted early");
    assert_eq!(before, vec![Failure::NotYetValid { valid_from: "2026-05-20T00:00:00Z".into() }]);
    let after = verify(&doc, &ring, datetime!(2031-05-20 00:01 UTC)).expect_err("accepted late");
    assert_eq!(after, vec![Failure::Expired { valid_until: "2031-05-20T00:00:00Z".into() }]);
    assert!(after[0].message().zh.contains("已过期"));
}

#[test]
fn missing_and_broken_proofs_are_named() {
    let (doc, ring) = signed(Suite::EddsaRdfc2022);
    let mut bare = doc.clone();
    bare.as_object_mut().expect("object").remove("proof");
    assert_eq!(verify(&bare, &ring, NOW), Err(vec![Failure::MissingProof]));
    let mut unknown_suite = doc.clone();
    unknown_suite["proof"]["cryptosuite"] = json!("ecdsa-rdfc-2019");
    assert!(matches!(verify(&unknown_suite, &ring, NOW).expect_err("accepted")[..], [Failure::BadProof { .. }]));
    let mut garbled = doc.clone();
    garbled["proof"]["proofValue"] = json!("not base58");
    assert!(matches!(verify(&garbled, &ring, NOW).expect_err("accepted")[..], [Failure::BadProof { .. }]));
    assert!(matches!(verify(&json!([1]), &ring, NOW).expect_err("accepted")[..], [Failure::Malformed { .. }]));
}

#[test]
fn an_unshipped_context_is_never_fetched() {
    let key = key(1);
    let mut credential = certificate_credential(&claims(), &issuer(&key.did_key()));
    credential["@context"].as_array_mut().expect("list").push(json!("https://example.org/evil-context.json"));
    let error = sign(&credential, &key, Suite::EddsaRdfc2022, CREATED).expect_err("signed");
    assert!(error.to_string().contains("not shipped"), "{error}");
}

#[test]
fn a_did_web_issuer_verifies_from_the_keyring_only() {
    let key = key(3);
    let public = key.public();
    let mut ring = Keyring::single(key.clone()).with_did_web("certs.example.tj.cn");
    let did = ring.issuer_did().expect("did");
    assert_eq!(did, "did:web:certs.example.tj.cn");
    let credential = certificate_credential(&claims(), &issuer(&did));
    let method = ring.active_verification_method().expect("method");
    for suite in SUITES {
        let doc = sign_as(&credential, &key, &method, suite, CREATED).expect("sign");
        assert!(verify(&doc, &ring, NOW).is_ok(), "{suite:?}");
        let stranger = Keyring::single(key.clone()).with_did_web("other.example");
        assert!(matches!(verify(&doc, &stranger, NOW).expect_err("accepted")[..], [Failure::UnknownKey { .. }]));
    }
    let document = did_web_document("certs.example.tj.cn", ring.trusted());
    assert_eq!(document["id"], "did:web:certs.example.tj.cn");
    assert_eq!(document["verificationMethod"][0]["type"], "Multikey");
    assert_eq!(document["verificationMethod"][0]["publicKeyMultibase"], public.multibase());
    assert_eq!(document["assertionMethod"][0], json!(method));
    ring.remove(&public);
    let doc = sign_as(&credential, &key, &method, Suite::EddsaJcs2022, CREATED).expect("sign");
    assert!(verify(&doc, &ring, NOW).is_err());
    assert_eq!(gongjiang_credentials::did::did_web("localhost:8443/issuers/tj"), "did:web:localhost%3A8443:issuers:tj");
}

#[test]
fn the_status_entry_is_read_back() {
    let (doc, _) = signed(Suite::EddsaJcs2022);
    let entry = status_entry(&doc).expect("entry");
    assert_eq!(entry.index, 42);
    assert_eq!(entry.purpose, "revocation");
    assert_eq!(entry.status_list_credential, "https://certs.example.tj.cn/status/1");
}
