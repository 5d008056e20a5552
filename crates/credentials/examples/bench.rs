//! Credentials signed and verified per second, in-process, for each cryptosuite:
//! `cargo run --release -p gongjiang-credentials --example bench -- [SECONDS] [OUTDIR]`.
//! With OUTDIR, writes the benchmarked credentials (`bench-jcs.json`, `bench-rdfc.json`) for
//! `interop/vc/bench.mjs` to verify the same documents.

use std::time::{Duration, Instant};

use gongjiang_credentials::{
    CertificateClaims, Issuer, IssuerKey, Keyring, StatusListEntry, Suite, certificate_credential, sign, verify,
};
use time::macros::{date, datetime};
use uuid::Uuid;

fn main() {
    let mut args = std::env::args().skip(1);
    let seconds: f64 = args.next().and_then(|s| s.parse().ok()).unwrap_or(3.0);
    let out = args.next().map(std::path::PathBuf::from);
    let key = IssuerKey::from_seed([7; 32], datetime!(2026-01-01 00:00 UTC));
    let ring = Keyring::single(key.clone());
    let issuer = Issuer { id: key.did_key(), name: "天津市职业技能等级认定示范机构".into(), url: None };
    let claims = CertificateClaims {
        credential_id: Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0001),
        certificate_no: "S000012000100263000001".into(),
        occupation_code: "6-31-01-03".into(),
        occupation_name: "电工".into(),
        trade: None,
        level_name: "三级/高级工".into(),
        institution_name: "天津市职业技能等级认定示范机构".into(),
        issued_on: date!(2026 - 05 - 20),
        holder_name: "张三".into(),
        valid_from: datetime!(2026-05-20 00:00 UTC),
        valid_until: None,
        status: Some(StatusListEntry {
            status_list_credential: "https://certs.example.tj.cn/status/1".into(),
            index: 5,
        }),
        verification_url: "https://certs.example.tj.cn/verify/1".into(),
        basis: None,
    };
    let credential = certificate_credential(&claims, &issuer);
    let created = datetime!(2026-06-01 08:00 UTC);
    let now = datetime!(2026-07-01 00:00 UTC);
    println!("| suite | signed per second | verified per second |");
    println!("|---|---:|---:|");
    for (suite, tag) in [(Suite::EddsaJcs2022, "jcs"), (Suite::EddsaRdfc2022, "rdfc")] {
        let signs = rate(seconds, || {
            sign(&credential, &key, suite, created).expect("sign");
        });
        let signed = sign(&credential, &key, suite, created).expect("sign");
        let verifies = rate(seconds, || {
            verify(&signed, &ring, now).expect("verify");
        });
        println!("| {} (gongjiang, Rust, 1 thread) | {signs:.0} | {verifies:.0} |", suite.name());
        if let Some(dir) = &out {
            std::fs::create_dir_all(dir).expect("dir");
            std::fs::write(dir.join(format!("bench-{tag}.json")), serde_json::to_string_pretty(&signed).expect("json"))
                .expect("write");
        }
    }
}

/// Operations per second over about `seconds` of wall time.
fn rate(seconds: f64, mut op: impl FnMut()) -> f64 {
    let budget = Duration::from_secs_f64(seconds);
    let start = Instant::now();
    let mut count = 0u64;
    while start.elapsed() < budget {
        op();
        count += 1;
    }
    count as f64 / start.elapsed().as_secs_f64()
}
