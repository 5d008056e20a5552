//! Certificates verified over HTTP: a whole evaluation session ending in signed credentials,
//! checked by number, by posting the credential, by the Node referee, then revoked; tokens on
//! the writing routes; the rate limit on the public ones.

use std::path::Path;
use std::process::Command;

use gongjiang_app::Actor;
use gongjiang_app::App;
use gongjiang_app::accounts;
use gongjiang_app::credentials::Outcome;
use gongjiang_app::evaluation::applications::{self, Apply};
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::sessions::{self, PlanSession};
use gongjiang_app::evaluation::{certificates as cert_cases, results, scores};
use gongjiang_credentials::{IssuerKey, PublicKey, StatusList, Suite};
use gongjiang_domain::access::Role;
use gongjiang_domain::evaluation::ExaminerRole;
use gongjiang_domain::records::{NewOrganisation, NewPerson};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, OrgKind};
use gongjiang_store::{applications as app_store, levels, organisations, persons};
use gongjiang_testkit::TestDb;
use serde_json::{Value, json};
use time::Date;
use time::macros::date;

use crate::support::{Server, id_number, on_each_backend, spawn_issuer, spawn_with, uscc};

const OCCUPATION: &str = "6-18-01-01";
const INSTITUTION: &str = "天津验证机械有限公司职业技能等级认定站";

pub(crate) fn story_org() -> String {
    uscc("91120116MA05WWWW1")
}

fn worker(k: u32, name: &str, work_start: Date, education: Education) -> NewPerson {
    NewPerson {
        id_type: IdType::ResidentId,
        id_number: id_number("120116", date!(1990 - 01 - 01), 500 + k),
        id_from_15: false,
        name: name.into(),
        gender: Some("M".into()),
        birth_date: Some(date!(1990 - 01 - 01)),
        district_code: Some("120116".into()),
        employer_uscc: Some(story_org()),
        occupation_code: Some(OCCUPATION.into()),
        education: Some(education),
        employment_status: Some(EmploymentStatus::Employed),
        work_start: Some(work_start),
    }
}

/// Files an institution, runs one session to the end on `app` and returns the certificates'
/// holders by name: 张三明 and 欧阳春锋 pass, 李四 fails the practical, 新人 (refused, then
/// admitted by override) passes.
pub(crate) async fn run_session(app: &mut App) -> Vec<(String, String)> {
    let org = NewOrganisation {
        uscc: story_org(),
        name: "天津验证机械有限公司".into(),
        kind: OrgKind::Enterprise,
        district_code: "120116".into(),
        industry: Some("C".into()),
        chains: None,
    };
    organisations::upsert_batch(&app.db, &[org]).await.unwrap();
    let org_id = organisations::all_ids(&app.db).await.unwrap()[&story_org()];
    let senior = date!(2010 - 07 - 01);
    let people = [
        worker(1, "张三明", senior, Education::SeniorSecondary),
        worker(2, "欧阳春锋", senior, Education::SeniorSecondary),
        worker(3, "李四", senior, Education::SeniorSecondary),
        worker(4, "新人", date!(2023 - 07 - 01), Education::JuniorSecondary),
    ];
    let writes: Vec<persons::PersonWrite> =
        people.iter().map(|p| persons::PersonWrite { person: p, employer_id: Some(org_id) }).collect();
    persons::upsert_batch(&app.db, &writes).await.unwrap();

    app.today_override = Some(date!(2026 - 03 - 02));
    let inst = institutions::file(
        app,
        &Actor::cli("test"),
        &FileInstitution {
            category: "Y",
            body_code: "0000",
            province_code: "12",
            site_serial: "000777",
            name: INSTITUTION,
            organisation_uscc: Some(&story_org()),
        },
    )
    .await
    .unwrap();
    institutions::add_scope(app, &Actor::cli("test"), inst, OCCUPATION, "高级工", date!(2025 - 01 - 01), None)
        .await
        .unwrap();
    let s = sessions::plan(
        app,
        &Actor::cli("test"),
        &PlanSession {
            institution_id: inst,
            occupation: OCCUPATION,
            trade: "",
            level: "高级工",
            // The session's standard decides the edition: these applicants qualify by 10 years of
            // work, a clause of the newer template.
            standard_edition: "2023",
            theory_on: date!(2026 - 04 - 10),
            practical_on: date!(2026 - 04 - 11),
            review_on: None,
            site: "天津市滨海新区某路 1 号",
            capacity: 10,
            theory_rooms: 1,
        },
    )
    .await
    .unwrap();
    sessions::open_applications(app, &Actor::cli("test"), s).await.unwrap();
    for p in &people {
        let a = Apply {
            session_id: s,
            id_number: &p.id_number,
            name: None,
            applied_on: date!(2026 - 03 - 02),
            submitted_by: "hr",
        };
        let decided = applications::apply(app, &Actor::cli("test"), &a).await.unwrap();
        assert_eq!(decided.admitted, p.name != "新人", "{}: {}", p.name, decided.reason);
    }
    let refused =
        app_store::for_session(&app.db, s).await.unwrap().into_iter().find(|a| a.status == "refused").unwrap();
    assert!(refused.reason_zh.contains("不符合") || refused.reason_en.contains("not"), "{}", refused.reason_zh);
    applications::admit_by_override(app, &Actor::cli("test"), refused.id, "admin", "解决重大工艺难题，破格晋升")
        .await
        .unwrap();
    sessions::assign_examiners(app, &Actor::cli("test"), s, ExaminerRole::Invigilator, &["监考甲", "监考乙"])
        .await
        .unwrap();
    sessions::assign_examiners(app, &Actor::cli("test"), s, ExaminerRole::Examiner, &["考评甲", "考评乙", "考评丙"])
        .await
        .unwrap();
    sessions::mark_examined(app, &Actor::cli("test"), s).await.unwrap();
    for (p, practical) in people.iter().zip(["90", "80", "55", "61"]) {
        scores::enter(app, &Actor::cli("test"), s, &p.id_number, ["80", practical, ""], "scorer").await.unwrap();
    }
    app.today_override = Some(date!(2026 - 04 - 15));
    results::publish(app, &Actor::cli("test"), s).await.unwrap();
    app.today_override = Some(date!(2026 - 04 - 22));
    let done = results::finalise(app, &Actor::cli("test"), s, "admin").await.unwrap();
    assert_eq!(done.issued.len(), 3, "李四 failed the practical");
    done.issued.iter().map(|c| (c.holder_name.clone(), c.number.clone())).collect()
}

async fn post_json(s: &Server, path: &str, body: &Value) -> crate::support::Reply {
    s.send(s.client().post(format!("{}{path}", s.base)).json(body)).await
}

pub(crate) fn node_available() -> bool {
    let here = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../interop/vc/node_modules");
    if here.exists() {
        return true;
    }
    assert!(std::env::var_os("CI").is_none(), "interop/vc/node_modules is missing under CI: run npm ci there");
    eprintln!(
        "NOTICE: interop/vc/node_modules is absent: the Node referee checks are skipped (run npm ci in interop/vc)"
    );
    false
}

fn referee_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../interop/vc")
}

/// Runs `node verify.mjs` on files; returns its JSON lines.
pub(crate) fn referee_verify(args: &[&Path]) -> Vec<Value> {
    let out = Command::new("node").current_dir(referee_dir()).arg("verify.mjs").args(args).output().expect("node runs");
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| serde_json::from_str(l).ok()).collect()
}

fn bit(list: &Value, index: u64) -> bool {
    let encoded = list.pointer("/credentialSubject/encodedList").and_then(Value::as_str).expect("encodedList");
    StatusList::decode(encoded).expect("a list").get(index as usize).expect("in range")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_whole_session_ends_in_certificates_anyone_can_verify_until_one_is_revoked() {
    for db in TestDb::all().await {
        let s = spawn_with(db, gongjiang_web::WebOptions::default(), &[]).await;
        let b = s.backend;
        let mut app = s.app.clone();
        let holders = run_session(&mut app).await;
        let number = |name: &str| holders.iter().find(|(n, _)| n == name).map(|(_, num)| num.clone()).unwrap();
        let zhang = number("张三明");
        let ouyang = number("欧阳春锋");
        assert!(holders.iter().any(|(n, _)| n == "新人"), "{b}: the override candidate passed");

        // Level history updated.
        let person =
            persons::by_id_number(&app.db, &worker(1, "", date!(2010 - 01 - 01), Education::SeniorSecondary).id_number)
                .await
                .unwrap()
                .unwrap();
        let history = levels::history(&app.db, &gongjiang_domain::access::Scope::all(), person.id).await.unwrap();
        assert!(history.iter().any(|l| l.certificate_no.as_deref() == Some(zhang.as_str()) && l.level == 4), "{b}");

        // By number: masked, and a wrong name answers like an unknown number.
        let r = s.ok(&format!("/api/v1/certificates/verify?number={zhang}&name=张三明")).await;
        assert_eq!(r["result"], "valid", "{b}: {r}");
        let c = &r["certificate"];
        assert_eq!((c["holder_name"].as_str(), c["level"].as_str()), (Some("张*明"), Some("三级/高级工")), "{b}");
        let id = c["id_number"].as_str().unwrap();
        assert!(id.starts_with("1201") && id.contains("**********") && id.len() == 18, "{b}: {id}");
        assert_eq!((c["institution"].as_str(), c["trade"].as_str()), (Some(INSTITUTION), Some("--")));
        assert_eq!(
            s.ok(&format!("/api/v1/certificates/verify?number={ouyang}&name=欧阳春锋")).await["certificate"]["holder_name"],
            "欧**锋"
        );
        let wrong_name = s.get(&format!("/api/v1/certificates/verify?number={zhang}&name=张三")).await;
        let unknown = s.get("/api/v1/certificates/verify?number=Y000012000777263000099&name=张三明").await;
        assert_eq!((wrong_name.status, &wrong_name.text), (unknown.status, &unknown.text), "{b}: no enumeration");
        assert_eq!(unknown.json, json!({"result": "not_found", "certificate": null}));

        // Every certificate was signed on issue; the signed credential verifies over HTTP.
        let stored = gongjiang_store::certificates::by_number(&app.db, &zhang).await.unwrap().unwrap();
        let credential: Value = serde_json::from_str(stored.credential.as_deref().expect("signed on issue")).unwrap();
        assert!(!credential.to_string().contains(&stored.id_number), "{b}: the plain identity number is not in it");
        // Nor any function of it: with the masked number a hash (salted or not) is ~25,000 guesses.
        let ids = credential["credentialSubject"]["identifier"].as_array().unwrap();
        assert_eq!(ids.len(), 1, "{b}: only the name: {ids:?}");
        assert_eq!(ids[0]["identityType"], "name");
        assert!(!credential.to_string().contains("salt"), "{b}");
        resign_legacy_credential(&app, &stored).await;
        let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": credential})).await;
        assert_eq!((r.status, &r.json["verified"]), (200, &json!(true)), "{b}: {}", r.text);
        assert!(r.json["checks"].as_array().unwrap().contains(&json!("credentialStatus")), "{b}: {}", r.text);
        let mut tampered = credential.clone();
        tampered["credentialSubject"]["achievement"]["name"] = json!("车工（一级/高级技师）");
        let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": tampered})).await;
        assert_eq!(r.status, 422, "{b}: {}", r.text);
        assert_eq!(r.json["errors"][0]["kind"], "signature_mismatch", "{b}: {}", r.text);
        let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": {"type": "x"}})).await;
        assert_eq!(r.status, 422, "{b}: {}", r.text);
        assert_eq!(r.json["outcome"], "invalid", "{b}: {}", r.text);
        let r = post_json(&s, "/credentials/verify", &json!({"credential": {}})).await;
        assert_eq!(r.status, 400, "{b}: not a verify request: {}", r.text);
        assert!(r.json["error"]["code"].is_string(), "{b}: the API's error shape: {}", r.text);

        // The QR page shows masked facts only.
        let page = s.get(&format!("/v/{}", stored.public_id)).await;
        assert!(page.content_type.starts_with("text/html") && page.text.contains("证书有效"), "{b}");
        assert!(page.text.contains("张*明") && !page.text.contains("张三明") && !page.text.contains(&stored.id_number));
        let form = s.get(&format!("/verify?number={zhang}&name=张三明")).await;
        assert!(form.text.contains("证书有效") && form.text.contains("张*明"), "{b}");

        // Revoke one: by number, by credential and the status list all say so.
        let list_before = s.ok_any("/credentials/status/revocation").await;
        assert!(!bit(&list_before, stored.status_index as u64), "{b}");
        // Offline, as `gongjiang cert verify` does it: the keyring and a downloaded status list.
        let ring = app.credentials.as_ref().expect("issuer configured").keyring().clone();
        let now = time::OffsetDateTime::now_utc();
        let offline = gongjiang_app::credentials::verify_offline(&credential, &ring, Some(&list_before), now).unwrap();
        assert!(offline.is_valid() && offline.number == zhang, "{b}: offline before revocation: {offline:?}");
        let offline = gongjiang_app::credentials::verify_offline(&tampered, &ring, None, now).unwrap();
        assert!(!offline.is_valid(), "{b}: a tampered credential fails offline too");
        cert_cases::revoke(&app, &Actor::cli("test"), &zhang, "考试作弊，经查属实", date!(2026 - 05 - 01))
            .await
            .unwrap();
        let r = s.ok(&format!("/api/v1/certificates/verify?number={zhang}&name=张三明")).await;
        assert_eq!(
            (r["result"].as_str(), r["certificate"]["status_reason"].as_str()),
            (Some("revoked"), Some("考试作弊，经查属实"))
        );
        let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": credential})).await;
        assert_eq!((r.status, r.json["errors"][0]["kind"].as_str()), (422, Some("revoked")), "{b}: {}", r.text);
        let list = s.ok_any("/credentials/status/revocation").await;
        assert!(bit(&list, stored.status_index as u64), "{b}: the revoked bit is set");
        // The list was re-signed just now: check it as of now, not as of before the revocation.
        let now = time::OffsetDateTime::now_utc();
        let offline = gongjiang_app::credentials::verify_offline(&credential, &ring, Some(&list), now).unwrap();
        assert_eq!(offline.problems.iter().map(|m| m.en.as_str()).collect::<Vec<_>>(), ["the certificate is revoked"]);
        let other = gongjiang_store::certificates::by_number(&app.db, &ouyang).await.unwrap().unwrap();
        assert!(!bit(&list, other.status_index as u64), "{b}: its neighbour is not");
        assert!(
            !bit(&list, stored.status_index as u64 + 1)
                && (stored.status_index == 0 || !bit(&list, stored.status_index as u64 - 1))
        );
        let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": serde_json::from_str::<Value>(other.credential.as_deref().unwrap()).unwrap()})).await;
        assert_eq!(r.status, 200, "{b}: the other certificate still verifies: {}", r.text);
        let page = s.get(&format!("/v/{}", stored.public_id)).await;
        assert!(page.text.contains("已撤销"), "{b}");
        // After a move to another public address the credential names a list URL the server no
        // longer serves; the server still knows its own certificate and says it is revoked.
        let moved = gongjiang_app::credentials::Issuing::new(ring.clone(), "https://rcsb.tj.gov.cn/gongjiang");
        let v = moved.verify(&app.db, &credential).await.unwrap();
        assert_eq!((v.verified, v.outcome), (false, Outcome::Revoked), "{b}: {v:?}");
        let v = moved
            .verify(&app.db, &serde_json::from_str::<Value>(other.credential.as_deref().unwrap()).unwrap())
            .await
            .unwrap();
        assert_eq!((v.verified, v.outcome), (true, Outcome::Valid), "{b}: its neighbour, checked too: {v:?}");

        // The Node referee agrees: valid before, revoked now, from the list this server serves.
        if node_available() {
            let dir = tempfile::tempdir().unwrap();
            let cred = dir.path().join("revoked.json");
            let ok = dir.path().join("ok.json");
            let list_file = dir.path().join("list.json");
            std::fs::write(&cred, credential.to_string()).unwrap();
            std::fs::write(&ok, other.credential.as_deref().unwrap()).unwrap();
            std::fs::write(&list_file, list.to_string()).unwrap();
            let lines = referee_verify(&[&ok, &cred, Path::new("--status-list"), &list_file]);
            assert_eq!(lines.len(), 2, "{b}: {lines:?}");
            assert_eq!(lines[0]["valid"], true, "{b}: {}", lines[0]);
            assert_eq!(lines[1]["valid"], false, "{b}: {}", lines[1]);
            assert!(lines[1].to_string().contains("revoked"), "{b}: {}", lines[1]);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn credentials_the_node_referee_signs_verify_here_when_trusted() {
    if !node_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for suite in ["jcs", "rdfc"] {
        let out = Command::new("node")
            .current_dir(referee_dir())
            .args(["sign.mjs", "--suite", suite, "--out"])
            .arg(dir.path())
            .output()
            .expect("node runs");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let read = |name: &str| -> Value {
        serde_json::from_str(&std::fs::read_to_string(dir.path().join(name)).unwrap()).unwrap()
    };
    let keys: Vec<PublicKey> = ["jcs", "rdfc"]
        .iter()
        .map(|s| {
            PublicKey::from_multibase(read(&format!("node-{s}-key.json"))["publicKeyMultibase"].as_str().unwrap())
                .unwrap()
        })
        .collect();
    let trusting = spawn_with(TestDb::sqlite(), gongjiang_web::WebOptions::default(), &keys).await;
    let stranger = spawn_with(TestDb::sqlite(), gongjiang_web::WebOptions::default(), &[]).await;
    for suite in ["jcs", "rdfc"] {
        let good = read(&format!("node-{suite}.json"));
        let r = post_json(&trusting, "/credentials/verify", &json!({"verifiableCredential": good})).await;
        // Its signature holds; its status is another issuer's to publish: not "verified".
        assert_eq!(r.status, 200, "{suite}: {}", r.text);
        assert_eq!(
            (&r.json["verified"], &r.json["outcome"]),
            (&json!(false), &json!("unconfirmed")),
            "{suite}: {}",
            r.text
        );
        let bad = read(&format!("node-{suite}-tampered.json"));
        let r = post_json(&trusting, "/credentials/verify", &json!({"verifiableCredential": bad})).await;
        assert_eq!(
            (r.status, r.json["errors"][0]["kind"].as_str()),
            (422, Some("signature_mismatch")),
            "{suite}: {}",
            r.text
        );
        let r = post_json(&stranger, "/credentials/verify", &json!({"verifiableCredential": good})).await;
        assert_eq!(
            (r.status, r.json["errors"][0]["kind"].as_str()),
            (422, Some("unknown_issuer")),
            "{suite}: {}",
            r.text
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn writing_routes_need_a_token_that_may_write_certificates() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let mut app = s.app.clone();
        let holders = run_session(&mut app).await;
        let number = holders[0].1.clone();
        let cert = gongjiang_store::certificates::by_number(&app.db, &number).await.unwrap().unwrap();
        let bootstrap = crate::users::admin_actor(&app).await;
        const PW: &str = "correct horse battery staple 42";
        accounts::create_user(&app.db, &bootstrap, "admin", "管理员", PW, &[Role::CityAdmin]).await.unwrap();
        let admin_id = gongjiang_store::accounts::by_username(&app.db, "admin").await.unwrap().unwrap().id;
        let admin = Actor { label: "user:admin".into(), user_id: Some(admin_id), client_addr: None };
        let hr = Role::EnterpriseHr { organisation: organisations::all_ids(&app.db).await.unwrap()[&story_org()] };
        accounts::create_user(&app.db, &admin, "hr", "人事", PW, std::slice::from_ref(&hr)).await.unwrap();
        let admin_token = accounts::create_token(&app.db, &admin, "admin", "vc", &[Role::CityAdmin], 30).await.unwrap().token;
        let hr_token = accounts::create_token(&app.db, &admin, "hr", "vc", &[hr], 30).await.unwrap().token;

        let issue = json!({"credential": {"credentialSubject": {"licenseNumber": number}}});
        let url = format!("{}/credentials/issue", s.base);
        let r = s.send(s.client().post(&url).json(&issue)).await;
        assert_eq!(r.status, 401, "{b}: {}", r.text);
        let r = s.send(s.client().post(&url).bearer_auth(&hr_token).json(&issue)).await;
        assert_eq!(r.status, 403, "{b}: {}", r.text);
        let r = s.send(s.client().post(&url).bearer_auth(&admin_token).json(&issue)).await;
        assert_eq!(r.status, 201, "{b}: {}", r.text);
        assert_eq!(r.json["verifiableCredential"]["credentialSubject"]["licenseNumber"], json!(number));

        let pdf = format!("{}/api/v1/certificates/{}/pdf", s.base, cert.public_id);
        assert_eq!(s.send(s.client().get(&pdf)).await.status, 401, "{b}");
        let r = s.client().get(&pdf).bearer_auth(&admin_token).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{b}");
        assert!(r.bytes().await.unwrap().starts_with(b"%PDF"), "{b}");

        let status = json!({"credentialId": format!("urn:uuid:{}", cert.public_id),
            "credentialStatus": [{"statusPurpose": "suspension", "status": true}], "reason": "核查中", "effectiveOn": "2026-05-01"});
        let url = format!("{}/credentials/status", s.base);
        assert_eq!(s.send(s.client().post(&url).bearer_auth(&hr_token).json(&status)).await.status, 403, "{b}");
        assert_eq!(s.send(s.client().post(&url).bearer_auth(&admin_token).json(&status)).await.status, 200, "{b}");
        let name = &holders[0].0;
        let r = s.ok(&format!("/api/v1/certificates/verify?number={number}&name={name}")).await;
        assert_eq!(r["result"], "suspended", "{b}: {r}");
        let list = s.ok_any("/credentials/status/suspension").await;
        assert!(bit(&list, cert.status_index as u64), "{b}");
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_burst_over_the_public_rate_is_refused_with_retry_after() {
    let options = gongjiang_web::WebOptions {
        public_rate: gongjiang_web::rate_limit::PublicRate { per_minute: 1, burst: 3 },
        ..Default::default()
    };
    let s = spawn_with(TestDb::sqlite(), options, &[]).await;
    let path = "/api/v1/certificates/verify?number=Y000012000777263000001&name=张三";
    for i in 0..3 {
        assert_eq!(s.get(path).await.status, 200, "request {i} of the burst");
    }
    let r = s.client().get(format!("{}{path}", s.base)).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 429);
    let wait: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait >= 1, "{wait}");
    assert_eq!(s.get("/verify").await.status, 429, "the pages share the allowance");
    assert_eq!(s.get("/api/v1/health").await.status, 200, "other routes are not limited");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_did_web_issuer_publishes_its_did_document_and_signs_under_it() {
    let plain = spawn_with(TestDb::sqlite(), gongjiang_web::WebOptions::default(), &[]).await;
    assert_eq!(plain.get("/.well-known/did.json").await.status, 404, "did:key issuers have no DID document");

    let mut s = spawn_issuer(TestDb::sqlite(), gongjiang_web::WebOptions::default(), &[], Some("hrss.tj.gov.cn")).await;
    let doc = s.ok("/.well-known/did.json").await;
    assert_eq!(doc["id"], "did:web:hrss.tj.gov.cn");
    let method = doc["assertionMethod"][0].as_str().expect("an assertion method").to_string();
    assert!(method.starts_with("did:web:hrss.tj.gov.cn#z6Mk"), "{method}");

    let holders = run_session(&mut s.app).await;
    let c = gongjiang_store::certificates::by_number(&s.app.db, &holders[0].1).await.unwrap().unwrap();
    let credential: Value = serde_json::from_str(c.credential.as_deref().unwrap()).unwrap();
    assert_eq!(credential["issuer"]["id"], "did:web:hrss.tj.gov.cn");
    assert_eq!(credential["proof"]["verificationMethod"], json!(method));
    let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": credential})).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// A credential from another issuer this server trusts, whose status list lives elsewhere (or
/// that has none): the signature holds, the status cannot be checked here — so it is never
/// "verified", and the page shows a warning, not a green tick.
#[tokio::test(flavor = "multi_thread")]
async fn a_credential_whose_status_cannot_be_checked_is_never_shown_as_valid() {
    let other = IssuerKey::generate().unwrap();
    let s = spawn_with(TestDb::sqlite(), gongjiang_web::WebOptions::default(), &[other.public()]).await;
    let unsigned = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "urn:uuid:0b7a3f4e-6f55-4c59-9c55-3d1f6a1c2b11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": other.did_key(), "type": ["Profile"], "name": "外省评价机构"},
        "validFrom": "2026-01-05T00:00:00Z",
        "credentialSubject": {"type": ["AchievementSubject"], "licenseNumber": "S000013000001263000001",
            "achievement": {"id": "urn:uuid:5d1c1f7e-1d0c-4b7e-8f3c-0c5d2f8b9a01", "type": ["Achievement"], "name": "电工（三级/高级工）",
                "criteria": {"narrative": "考核合格"}, "description": "电工三级"}},
        "credentialStatus": {"id": "https://other-province.example/status/1#94567", "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation", "statusListIndex": "94567",
            "statusListCredential": "https://other-province.example/status/1"}
    });
    let signed =
        gongjiang_credentials::sign(&unsigned, &other, Suite::EddsaJcs2022, time::OffsetDateTime::now_utc()).unwrap();
    let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": signed})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!((&r.json["verified"], &r.json["outcome"]), (&json!(false), &json!("unconfirmed")), "{}", r.text);
    assert_eq!(r.json["warnings"][0]["kind"], "status_not_checked", "{}", r.text);

    let mut bare = unsigned.clone();
    bare.as_object_mut().unwrap().remove("credentialStatus");
    let bare =
        gongjiang_credentials::sign(&bare, &other, Suite::EddsaJcs2022, time::OffsetDateTime::now_utc()).unwrap();
    let r = post_json(&s, "/credentials/verify", &json!({"verifiableCredential": bare})).await;
    assert_eq!((&r.json["verified"], &r.json["outcome"]), (&json!(false), &json!("unconfirmed")), "{}", r.text);
    assert_eq!(r.json["warnings"][0]["kind"], "no_status", "{}", r.text);

    // The page a member of the public uploads it to.
    let boundary = "gongjiang-verify-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"credential\"; filename=\"c.json\"\r\nContent-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(signed.to_string().as_bytes());
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let r = s
        .send(
            s.client()
                .post(format!("{}/verify/file", s.base))
                .header("content-type", format!("multipart/form-data; boundary={boundary}"))
                .body(body),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.text.contains("签名有效，但无法核实证书是否已撤销"), "{}", r.text);
    assert!(!r.text.contains("证书有效"), "no green tick: {}", r.text);
}

/// A credential signed by an earlier release (with the identity number's salted hash) is
/// forgotten by migration 0015 and signed again without it by the next signing pass.
async fn resign_legacy_credential(app: &App, stored: &gongjiang_store::certificates::Certificate) {
    use gongjiang_store::Db;
    let mut legacy: Value = serde_json::from_str(stored.credential.as_deref().unwrap()).unwrap();
    legacy["credentialSubject"]["identifier"].as_array_mut().unwrap().push(json!({"type": "IdentityObject",
        "identityType": "nationalIdentityNumber", "hashed": true, "identityHash": "sha256$00", "salt": "ab"}));
    let set = "UPDATE certificates SET credential = $1 WHERE id = $2";
    let (sqlite, postgres) = (
        include_str!("../../../store/migrations/sqlite/0015_credentials_without_identity_hash.sql"),
        include_str!("../../../store/migrations/postgres/0015_credentials_without_identity_hash.sql"),
    );
    match &app.db {
        Db::Sqlite { write, .. } => {
            sqlx::query(set).bind(legacy.to_string()).bind(stored.id).execute(write).await.unwrap();
            sqlx::raw_sql(sqlite).execute(write).await.unwrap();
        }
        Db::Postgres(pool, _) => {
            sqlx::query(set).bind(legacy.to_string()).bind(stored.id).execute(pool).await.unwrap();
            sqlx::raw_sql(postgres).execute(pool).await.unwrap();
        }
    }
    let again = |app: &App| {
        let db = app.db.clone();
        let number = stored.number.clone();
        async move { gongjiang_store::certificates::by_number(&db, &number).await.unwrap().unwrap() }
    };
    assert_eq!(again(app).await.credential, None, "forgotten by the migration");
    let signed = app.credentials.as_ref().unwrap().sign_missing(&app.db).await.unwrap();
    assert!(signed >= 1);
    let fresh = again(app).await.credential.unwrap();
    assert!(!fresh.contains("nationalIdentityNumber") && !fresh.contains("salt"), "{fresh}");
}
