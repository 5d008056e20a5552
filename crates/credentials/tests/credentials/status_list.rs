use gongjiang_credentials::status_list::MIN_BITS;
use gongjiang_credentials::{
    Keyring, StatusList, StatusListError, Suite, list_of, sign, status_list_credential, verify,
};

use crate::sample::{CREATED, NOW, key};

#[test]
fn bit_zero_is_the_most_significant_bit_of_the_first_byte() {
    let mut list = StatusList::new(MIN_BITS);
    assert_eq!(list.len(), MIN_BITS);
    list.set(0, true);
    list.set(13, true);
    let decoded = StatusList::decode(&list.encode()).expect("decode");
    assert_eq!(decoded.get(0), Some(true));
    assert_eq!(decoded.get(1), Some(false));
    assert_eq!(decoded.get(12), Some(false));
    assert_eq!(decoded.get(13), Some(true));
    assert_eq!(decoded.get(14), Some(false));
    assert_eq!(decoded.get(MIN_BITS), None);
    // Bytes as the specification lays them out: 0b1000_0000, 0b0000_0100.
    let mut expected = vec![0u8; MIN_BITS / 8];
    expected[0] = 0x80;
    expected[1] = 0x04;
    assert_eq!(decoded, StatusList::decode(&encode_raw(&expected)).expect("raw"));
}

fn encode_raw(bytes: &[u8]) -> String {
    use base64::Engine;
    use std::io::Write;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(bytes).expect("gzip");
    format!("u{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(gz.finish().expect("gzip")))
}

#[test]
fn lists_are_never_shorter_than_the_minimum_and_set_past_the_end_changes_nothing() {
    let mut list = StatusList::new(10);
    assert_eq!(list.len(), MIN_BITS);
    assert!(!list.set(MIN_BITS, true));
    assert!(list.set(MIN_BITS - 1, true));
    assert!(list.set(MIN_BITS - 1, false));
    assert_eq!(list.get(MIN_BITS - 1), Some(false));
    let encoded = list.encode();
    assert!(encoded.starts_with('u'));
    assert!(!encoded.contains('=') && !encoded.contains('+') && !encoded.contains('/'));
    assert_eq!(StatusList::decode(&encode_raw(&[0; 16])), Err(StatusListError::TooShort(128)));
    assert_eq!(StatusList::decode("u!!"), Err(StatusListError::NotBase64Url));
    assert_eq!(StatusList::decode("uAAAA"), Err(StatusListError::NotGzip));
}

#[test]
fn a_status_list_credential_is_signed_and_read_back() {
    let key = key(1);
    let mut list = StatusList::new(MIN_BITS);
    list.set(42, true);
    let doc =
        status_list_credential("https://certs.example.tj.cn/status/1", "revocation", &key.did_key(), &list, CREATED);
    assert_eq!(doc["type"][1], "BitstringStatusListCredential");
    for suite in [Suite::EddsaJcs2022, Suite::EddsaRdfc2022] {
        let signed = sign(&doc, &key, suite, CREATED).expect("sign");
        assert!(verify(&signed, &Keyring::single(key.clone()), NOW).is_ok(), "{suite:?}");
        let read = list_of(&signed).expect("list");
        assert_eq!((read.get(41), read.get(42), read.get(43)), (Some(false), Some(true), Some(false)));
    }
}
