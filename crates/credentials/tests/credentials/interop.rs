//! Credentials signed by the Node referee (Digital Bazaar's libraries, `interop/vc/sign.mjs`)
//! verified by our verifier. Skipped, with a notice, when `interop/vc/node_modules` is absent.

use std::path::PathBuf;
use std::process::Command;

use gongjiang_credentials::{Failure, Keyring, PublicKey, verify};
use serde_json::Value;
use time::macros::datetime;

fn referee_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../interop/vc");
    if dir.join("node_modules").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "NOTICE: interop/vc/node_modules is absent (run `npm ci` there); Node-signed credentials not checked"
        );
        None
    }
}

fn read(path: PathBuf) -> Value {
    serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json")
}

#[test]
fn credentials_signed_by_the_node_referee_verify_here() {
    let Some(dir) = referee_dir() else { return };
    let out = tempfile::tempdir().expect("dir");
    for suite in ["jcs", "rdfc"] {
        let status = Command::new("node")
            .current_dir(&dir)
            .args(["sign.mjs", "--suite", suite, "--out"])
            .arg(out.path())
            .status()
            .expect("run node");
        assert!(status.success(), "sign.mjs --suite {suite}");
        let key = read(out.path().join(format!("node-{suite}-key.json")));
        let public = PublicKey::from_multibase(key["publicKeyMultibase"].as_str().expect("key")).expect("multikey");
        let mut ring = Keyring::new();
        ring.trust(public);
        let now = datetime!(2030-01-01 0:00 UTC);
        let good = read(out.path().join(format!("node-{suite}.json")));
        let verified = verify(&good, &ring, now).unwrap_or_else(|f| panic!("{suite}: {f:?}"));
        assert_eq!(verified.suite.name(), format!("eddsa-{suite}-2022"));
        let tampered = read(out.path().join(format!("node-{suite}-tampered.json")));
        assert_eq!(verify(&tampered, &ring, now), Err(vec![Failure::SignatureMismatch]), "{suite}");
        assert!(verify(&good, &Keyring::new(), now).is_err(), "{suite}: an untrusted key verified");
    }
}
