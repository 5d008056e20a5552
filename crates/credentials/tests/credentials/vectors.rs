//! Known answers from the W3C vc-di-eddsa specification (its eddsa-jcs-2022 test vector:
//! key pair, credential, proof options and the expected proofValue).

use gongjiang_credentials::multikey;
use gongjiang_credentials::{Failure, IssuerKey, Keyring, Suite, sign, verify};
use serde_json::json;
use time::macros::datetime;

const SECRET: &str = "z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq";
const PUBLIC: &str = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
const PROOF_VALUE: &str = "z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX";

fn alumni_credential() -> serde_json::Value {
    json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"],
        "id": "urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33",
        "type": ["VerifiableCredential", "AlumniCredential"],
        "name": "Alumni Credential",
        "description": "A minimum viable example of an Alumni Credential.",
        "issuer": "https://vc.example/issuers/5678",
        "validFrom": "2023-01-01T00:00:00Z",
        "credentialSubject": { "id": "did:example:abcdefgh", "alumniOf": "The School of Examples" }
    })
}

#[test]
fn the_spec_key_pair_decodes() {
    let key = IssuerKey::from_multibase(SECRET, datetime!(2023-02-24 0:00 UTC)).expect("secret");
    assert_eq!(key.public().multibase(), PUBLIC);
    assert_eq!(key.secret_multibase(), SECRET);
    assert!(multikey::decode_public(PUBLIC).is_some());
}

#[test]
fn eddsa_jcs_2022_gives_the_spec_proof_value() {
    let key = IssuerKey::from_multibase(SECRET, datetime!(2023-02-24 0:00 UTC)).expect("secret");
    let signed =
        sign(&alumni_credential(), &key, Suite::EddsaJcs2022, datetime!(2023-02-24 23:36:38 UTC)).expect("sign");
    assert_eq!(signed["proof"]["proofValue"], PROOF_VALUE);
    assert_eq!(signed["proof"]["@context"], alumni_credential()["@context"]);

    // The vector's issuer is an https URL, not the key's DID: the signature holds, but our
    // verifier refuses a key that does not belong to the issuer.
    let failures = verify(&signed, &Keyring::single(key), datetime!(2024-01-01 0:00 UTC)).expect_err("accepted");
    assert!(matches!(failures[..], [Failure::IssuerMismatch { .. }]), "{failures:?}");
}
