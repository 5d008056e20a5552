//! `gongjiang cert …`: a certificate signed on issue verifies offline with the keyring beside
//! the database, a tampered copy and a revoked one do not, the PDF is written, and a key
//! rotation leaves old credentials verifying.

use std::process::Command;
use std::sync::Arc;

use gongjiang_app::Actor;
use gongjiang_app::App;
use gongjiang_app::credentials::{Issuing, ListPurpose};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_domain::records::NewPerson;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use gongjiang_store::certificates::{self, IssueBatch, NewCertificate};
use gongjiang_store::persons::{self, PersonWrite};
use serde_json::Value;
use time::macros::date;

use super::{gongjiang, stdout};

const ID: &str = "12010119900101123X";

/// A SQLite file with one signed certificate for 张三明; returns (db url, number).
async fn one_signed_certificate(dir: &std::path::Path) -> (String, String) {
    let url = format!("sqlite://{}", dir.join("g.db").display());
    let mut app = App::open(&url, None).await.unwrap();
    let keys = gongjiang_app::credentials::default_keys_dir(&url).unwrap();
    assert_eq!(keys, dir.join("issuer-keys"));
    app.credentials = Some(Arc::new(Issuing::open_dir(&keys, true, None, "http://127.0.0.1:8080").unwrap()));
    let p = NewPerson {
        id_type: IdType::ResidentId,
        id_number: ID.into(),
        id_from_15: false,
        name: "张三明".into(),
        gender: Some("M".into()),
        birth_date: Some(date!(1990 - 01 - 01)),
        district_code: Some("120101".into()),
        employer_uscc: None,
        occupation_code: Some("6-18-01-01".into()),
        education: Some(Education::SeniorSecondary),
        employment_status: Some(EmploymentStatus::Employed),
        work_start: Some(date!(2010 - 07 - 01)),
    };
    persons::upsert_batch(&app.db, &[PersonWrite { person: &p, employer_id: None }]).await.unwrap();
    let person_id = persons::by_id_number(&app.db, ID).await.unwrap().unwrap().id;
    let filing = FileInstitution {
        category: "S",
        body_code: "0000",
        province_code: "12",
        site_serial: "000321",
        name: "天津市某职业技能等级认定中心",
        organisation_uscc: None,
    };
    let inst = institutions::file(&app, &Actor::cli("test"), &filing).await.unwrap();
    let issued = certificates::issue(
        &app.db,
        &IssueBatch {
            institution_id: inst,
            session_id: None,
            issue_date: date!(2026 - 04 - 22),
            level_code: 3,
            certificates: &[NewCertificate {
                application_id: None,
                person_id,
                title: "职业技能等级证书".into(),
                holder_name: "张三明".into(),
                id_type: "居民身份证".into(),
                occupation_code: "6-18-01-01".into(),
                occupation_name: "车工".into(),
                trade: "--".into(),
                history_trade: String::new(),
                level: 4,
                level_text: "三级/高级工".into(),
            }],
            recorded_by: "test",
        },
    )
    .await
    .unwrap();
    let issuing = app.credentials.clone().unwrap();
    assert_eq!(issuing.sign_missing(&app.db).await.unwrap(), 1);
    assert_eq!(issuing.sign_missing(&app.db).await.unwrap(), 0, "a rerun signs nothing twice");
    app.db.close().await;
    (url, issued[0].number.clone())
}

async fn credential_of(url: &str, number: &str) -> Value {
    let app = App::open(url, None).await.unwrap();
    let c = certificates::by_number(&app.db, number).await.unwrap().unwrap();
    app.db.close().await;
    serde_json::from_str(c.credential.as_deref().unwrap()).unwrap()
}

async fn revocation_list(url: &str, dir: &std::path::Path) -> Value {
    let app = App::open(url, None).await.unwrap();
    let issuing = Issuing::open_dir(&dir.join("issuer-keys"), false, None, "http://127.0.0.1:8080").unwrap();
    let list = issuing.status_list(&app.db, ListPurpose::Revocation).await.unwrap();
    app.db.close().await;
    (*list).clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn cert_verify_checks_signed_certificates_offline_until_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let (url, number) = one_signed_certificate(dir.path()).await;
    let credential = credential_of(&url, &number).await;
    let file = dir.path().join("cert.json");
    std::fs::write(&file, credential.to_string()).unwrap();
    let path = file.to_str().unwrap();

    // Without the status list the signature holds, but "valid" would be a guess: exit 3.
    let o = gongjiang(&url, &["cert", "verify", path]);
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("未核实 / unconfirmed") && stdout(&o).contains(&number), "{}", stdout(&o));
    assert!(!stdout(&o).contains("有效 / valid"), "{}", stdout(&o));
    let fresh = revocation_list(&url, dir.path()).await;
    let fresh_file = dir.path().join("fresh-list.json");
    std::fs::write(&fresh_file, fresh.to_string()).unwrap();
    let o = gongjiang(&url, &["cert", "verify", path, "--status-list", fresh_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    assert!(stdout(&o).contains("有效 / valid") && stdout(&o).contains(&number), "{}", stdout(&o));

    // The number the issuer generated reads back through `validate cert`, segment by segment.
    let o = gongjiang(&url, &["validate", "cert", &number]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let out = stdout(&o);
    assert_eq!(number, "S000012000321263000001", "the first level-3 certificate of 2026 of site 000321");
    for segment in ["社会培训评价组织", "天津市", "000321", "2026 年", "三级/高级工", "000001"] {
        assert!(out.contains(segment), "validate cert names {segment}: {out}");
    }

    let mut tampered = credential.clone();
    tampered["credentialSubject"]["achievement"]["name"] = "车工（一级/高级技师）".into();
    let bad = dir.path().join("tampered.json");
    std::fs::write(&bad, tampered.to_string()).unwrap();
    let o = gongjiang(&url, &["cert", "verify", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名不符") && stdout(&o).contains("signature does not match"), "{}", stdout(&o));

    // Another keyring does not know the issuer.
    let other = dir.path().join("other-keys");
    assert_eq!(
        gongjiang(&url, &["--issuer-keys", other.to_str().unwrap(), "cert", "keys", "init"]).status.code(),
        Some(0)
    );
    let o = gongjiang(&url, &["--issuer-keys", other.to_str().unwrap(), "cert", "verify", path]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("签发机构未知") && stdout(&o).contains("unknown issuer"), "{}", stdout(&o));

    // Revoked: the credential alone is never "valid"; with the published list it is not valid.
    let o = gongjiang(&url, &["cert", "revoke", &number, "--reason", "考试作弊", "--on", "2026-05-01"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", stdout(&o), String::from_utf8_lossy(&o.stderr));
    let o = gongjiang(&url, &["cert", "reinstate", &number, "--reason", "撤销是最终的"]);
    assert_eq!(o.status.code(), Some(1), "revocation is final: {}", String::from_utf8_lossy(&o.stderr));
    let list = revocation_list(&url, dir.path()).await;
    let list_file = dir.path().join("list.json");
    std::fs::write(&list_file, list.to_string()).unwrap();
    let o = gongjiang(&url, &["cert", "verify", path, "--status-list", list_file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(stdout(&o).contains("已被撤销") && stdout(&o).contains("revoked"), "{}", stdout(&o));
    let o = gongjiang(&url, &["cert", "verify", path]);
    assert_eq!(o.status.code(), Some(3), "a revoked certificate without its list: {}", stdout(&o));

    // A rotation keeps the old credential's signature verifying.
    assert_eq!(gongjiang(&url, &["cert", "keys", "rotate"]).status.code(), Some(0));
    let o = gongjiang(&url, &["cert", "verify", path]);
    assert_eq!(o.status.code(), Some(3), "{}", stdout(&o));
    assert!(stdout(&o).contains("签名有效"), "{}", stdout(&o));

    // From a shell: list (the holder masked) and export the signed credential, owner-only.
    let o = gongjiang(&url, &["cert", "list", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let listed: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mine = listed.as_array().unwrap().iter().find(|c| c["number"] == number.as_str()).expect("listed");
    let masked = mine["id_number"].as_str().unwrap();
    assert!(masked.contains("**********") && masked.len() == 18, "{mine}");
    assert_eq!(mine["status"], "revoked");
    let exported = dir.path().join("exported.json");
    let o = gongjiang(&url, &["cert", "export", &number, "--out", exported.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let back: Value = serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(back, credential, "the stored credential, byte for byte as JSON");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&exported).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let o = gongjiang(&url, &["cert", "export", "Y000012000777263000099", "--out", exported.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));

    // The PDF.
    let pdf = dir.path().join("cert.pdf");
    let o = gongjiang(&url, &["cert", "pdf", &number, "--out", pdf.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    // Revoked, and it says so on its face; its QR code opens the address signed in the credential.
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text: String = String::from_utf8_lossy(&text.stdout).split_whitespace().collect();
    assert!(text.contains("本证书已于2026年5月1日撤销") && text.contains("REVOKED"), "{text}");
    let png = dir.path().join("cert");
    let o = Command::new("pdftoppm").args(["-png", "-r", "150", "-singlefile"]).arg(&pdf).arg(&png).output().unwrap();
    assert!(o.status.success());
    if let Ok(o) = Command::new("zbarimg").args(["--raw", "-q"]).arg(png.with_extension("png")).output() {
        assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), credential["url"].as_str().unwrap());
    }
}
