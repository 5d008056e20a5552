//! `did:key` and `did:web` for issuers. The verifier resolves either one only from the keyring it
//! is given, never from the network.

use serde_json::{Value, json};

use crate::contexts::{DID_V1, MULTIKEY_V1};
use crate::public_key::PublicKey;

/// `did:web:<domain>`: a port's colon is written `%3A`, path slashes become colons.
pub fn did_web(domain: &str) -> String {
    let (host, path) = domain.split_once('/').unwrap_or((domain, ""));
    let mut did = format!("did:web:{}", host.replace(':', "%3A"));
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        did.push(':');
        did.push_str(segment);
    }
    did
}

/// `did:web:<domain>#z6Mk…`: a key's verification method in the did:web document.
pub fn did_web_verification_method(did: &str, key: &PublicKey) -> String {
    format!("{did}#{}", key.multibase())
}

/// The DID document to publish at `https://<domain>/.well-known/did.json` (or `/<path>/did.json`):
/// one Multikey verification method per key, each usable for assertions (issuing credentials).
pub fn did_web_document(domain: &str, keys: &[PublicKey]) -> Value {
    let did = did_web(domain);
    let methods: Vec<Value> = keys
        .iter()
        .map(|key| {
            json!({
                "id": did_web_verification_method(&did, key),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.multibase(),
            })
        })
        .collect();
    let ids: Vec<Value> = keys.iter().map(|k| Value::String(did_web_verification_method(&did, k))).collect();
    json!({
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
        "authentication": ids,
    })
}

/// The controller DID of a verification method (`did:…#fragment` → `did:…`).
pub(crate) fn controller_of(verification_method: &str) -> &str {
    verification_method.split_once('#').map_or(verification_method, |(did, _)| did)
}
