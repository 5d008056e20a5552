//! Writes a deterministic set of signed sample credentials for the Node referee
//! (`interop/vc`): `cargo run -p gongjiang-credentials --example issue_sample -- OUTDIR`.
//!
//! Files: `issuer.json` (DID, verification method), `status-list.json` (signed, index 7 set),
//! `ok-jcs.json`, `ok-rdfc.json` (valid, index 5), `revoked-jcs.json`, `revoked-rdfc.json`
//! (index 7), `tampered-jcs.json`, `tampered-rdfc.json` (level changed after signing),
//! `did-web.json` (the did:web document of `certs.example.tj.cn`) and `didweb-rdfc.json`
//! (issued as that did:web, no status).

use std::path::PathBuf;

use gongjiang_credentials::{
    CertificateClaims, IssuerKey, Keyring, StatusList, StatusListEntry, Suite, certificate_credential,
    did_web_document, sign, sign_as, status_list_credential,
};
use serde_json::{Value, json};
use time::macros::{date, datetime};
use uuid::Uuid;

const STATUS_LIST_URL: &str = "https://certs.example.tj.cn/status/1";
const DID_WEB_DOMAIN: &str = "certs.example.tj.cn";

fn main() {
    let Some(out) = std::env::args().nth(1).map(PathBuf::from) else {
        eprintln!("usage: issue_sample OUTDIR");
        std::process::exit(2);
    };
    std::fs::create_dir_all(&out).expect("create OUTDIR");
    let key = IssuerKey::from_seed([7; 32], datetime!(2026-01-01 00:00 UTC));
    let issuer =
        gongjiang_credentials::Issuer {
            id: key.did_key(), name: "天津市职业技能等级认定示范机构".into(), url: None
        };
    let created = datetime!(2026-06-01 08:00 UTC);
    let write = |name: &str, value: &Value| {
        let text = serde_json::to_string_pretty(value).expect("json");
        std::fs::write(out.join(name), text + "\n").expect("write");
    };
    write("issuer.json", &json!({ "did": key.did_key(), "verificationMethod": key.verification_method() }));

    let mut list = StatusList::new(131_072);
    list.set(7, true);
    let list_credential = status_list_credential(STATUS_LIST_URL, "revocation", &issuer.id, &list, created);
    write("status-list.json", &sign(&list_credential, &key, Suite::EddsaJcs2022, created).expect("sign list"));

    for (suite, tag) in [(Suite::EddsaJcs2022, "jcs"), (Suite::EddsaRdfc2022, "rdfc")] {
        let ok = certificate_credential(&claims(1, 5), &issuer);
        let signed = sign(&ok, &key, suite, created).expect("sign");
        write(&format!("ok-{tag}.json"), &signed);
        let mut tampered = signed.clone();
        tampered["credentialSubject"]["achievement"]["tag"][1] = json!("二级/技师");
        write(&format!("tampered-{tag}.json"), &tampered);
        let revoked = certificate_credential(&claims(2, 7), &issuer);
        write(&format!("revoked-{tag}.json"), &sign(&revoked, &key, suite, created).expect("sign"));
    }

    let ring = Keyring::single(key.clone()).with_did_web(DID_WEB_DOMAIN);
    write("did-web.json", &did_web_document(DID_WEB_DOMAIN, ring.trusted()));
    let web_issuer = gongjiang_credentials::Issuer { id: ring.issuer_did().expect("did"), ..issuer.clone() };
    let mut web_claims = claims(3, 9);
    web_claims.status = None;
    let method = ring.active_verification_method().expect("method");
    let web = certificate_credential(&web_claims, &web_issuer);
    write("didweb-rdfc.json", &sign_as(&web, &key, &method, Suite::EddsaRdfc2022, created).expect("sign"));
}

fn claims(serial: u128, index: usize) -> CertificateClaims {
    CertificateClaims {
        credential_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0000 + serial),
        certificate_no: format!("S000012{:06}26300{:04}", 100, serial),
        occupation_code: "6-31-01-03".into(),
        occupation_name: "电工".into(),
        trade: None,
        level_name: "三级/高级工".into(),
        institution_name: "天津市职业技能等级认定示范机构".into(),
        issued_on: date!(2026 - 05 - 20),
        holder_name: "张三".into(),
        valid_from: datetime!(2026-05-20 00:00 UTC),
        valid_until: None,
        status: Some(StatusListEntry { status_list_credential: STATUS_LIST_URL.into(), index }),
        verification_url: format!("https://certs.example.tj.cn/verify/{serial}"),
        basis: None,
    }
}
