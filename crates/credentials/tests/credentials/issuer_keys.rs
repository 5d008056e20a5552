use gongjiang_credentials::issuer_keys::{ACTIVE_FILE, save_public};
use gongjiang_credentials::{IssuerKey, Keyring, Suite, certificate_credential, sign, verify};

use crate::sample::{CREATED, NOW, claims, issuer};

#[test]
fn a_key_file_round_trips_and_is_private() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("issuer.json");
    let key = IssuerKey::generate().expect("key");
    key.save(&path).expect("save");
    let loaded = IssuerKey::load(&path).expect("load");
    assert_eq!(loaded.public(), key.public());
    assert_eq!(loaded.secret_multibase(), key.secret_multibase());
    assert!(key.did_key().starts_with("did:key:z6Mk"));
    assert_eq!(key.verification_method(), format!("{}#{}", key.did_key(), key.public().multibase()));
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.contains("\"publicKeyMultibase\": \"z6Mk"));
    assert!(text.contains("\"secretKeyMultibase\": \"z3u2"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(key.save(&path).is_err(), "an existing key file must not be overwritten");
}

#[test]
fn a_public_only_file_cannot_sign_and_a_mismatched_file_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let key = IssuerKey::generate().expect("key");
    let path = dir.path().join("public.json");
    save_public(&key.public(), &path).expect("save");
    let error = IssuerKey::load(&path).expect_err("loaded");
    assert!(error.message().zh.contains("密钥文件"));
    let other = IssuerKey::generate().expect("key");
    let text = std::fs::read_to_string(&path).expect("read").replace(
        "\"controller\"",
        &format!("\"secretKeyMultibase\": \"{}\", \"controller\"", other.secret_multibase()),
    );
    std::fs::write(&path, text).expect("write");
    assert!(IssuerKey::load(&path).expect_err("loaded").to_string().contains("does not match"));
}

#[test]
fn after_rotation_new_credentials_use_the_new_key_and_old_ones_still_verify() {
    let dir = tempfile::tempdir().expect("dir");
    let first = IssuerKey::generate().expect("key");
    Keyring::rotate_dir(dir.path(), &first).expect("first");
    let ring = Keyring::load_dir(dir.path()).expect("load");
    let old_credential = certificate_credential(&claims(), &issuer(&first.did_key()));
    let old_signed = sign(&old_credential, ring.active().expect("active"), Suite::EddsaJcs2022, CREATED).expect("sign");

    let second = IssuerKey::generate().expect("key");
    Keyring::rotate_dir(dir.path(), &second).expect("rotate");
    let ring = Keyring::load_dir(dir.path()).expect("load");
    assert_eq!(ring.active().expect("active").public(), second.public());
    assert_eq!(ring.trusted().len(), 2);
    let new_credential = certificate_credential(&claims(), &issuer(&ring.issuer_did().expect("did")));
    let new_signed = sign(&new_credential, ring.active().expect("active"), Suite::EddsaJcs2022, CREATED).expect("sign");
    assert!(new_signed["proof"]["verificationMethod"].as_str().expect("vm").contains(&second.public().multibase()));
    assert!(verify(&old_signed, &ring, NOW).is_ok());
    assert!(verify(&new_signed, &ring, NOW).is_ok());

    // Retire the old key: keep its public half only; it still verifies what it signed.
    let old_file = dir.path().join(format!("{}.json", first.public().multibase()));
    std::fs::remove_file(&old_file).expect("remove");
    save_public(&first.public(), &old_file).expect("public");
    let ring = Keyring::load_dir(dir.path()).expect("load");
    assert!(verify(&old_signed, &ring, NOW).is_ok());

    // Delist it: what it signed no longer verifies.
    std::fs::remove_file(&old_file).expect("remove");
    let ring = Keyring::load_dir(dir.path()).expect("load");
    assert!(verify(&old_signed, &ring, NOW).is_err());
    assert!(verify(&new_signed, &ring, NOW).is_ok());
}

#[test]
fn a_keyring_with_two_secret_keys_needs_an_active_file() {
    let dir = tempfile::tempdir().expect("dir");
    let a = IssuerKey::generate().expect("key");
    let b = IssuerKey::generate().expect("key");
    a.save(&dir.path().join("a.json")).expect("a");
    b.save(&dir.path().join("b.json")).expect("b");
    let error = Keyring::load_dir(dir.path()).expect_err("loaded");
    assert!(error.to_string().contains(ACTIVE_FILE));
    std::fs::write(dir.path().join(ACTIVE_FILE), a.public().multibase()).expect("write");
    let ring = Keyring::load_dir(dir.path()).expect("load");
    assert_eq!(ring.active().expect("active").public(), a.public());
}
