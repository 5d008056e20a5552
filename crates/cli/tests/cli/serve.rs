//! `gongjiang serve` as a new user starts it: a bare file path for `--db`, and without
//! `--public-url` the credentials it signs point at the address it listens on, so a demo's QR
//! codes and status lists work as printed.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::{gongjiang, stdout};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn healthy(port: u16) -> bool {
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return false };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let request = format!("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if s.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

#[test]
fn serve_without_a_public_url_signs_for_the_address_it_listens_on() {
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_gongjiang"))
        .current_dir(dir.path())
        .args(["--db", "city.db", "serve", "--demo", "--demo-persons", "1500", "--addr", &addr])
        .env_remove("GONGJIANG_PUBLIC_URL")
        .env_remove("GONGJIANG_DB")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !healthy(port) {
        assert!(started.elapsed() < Duration::from_secs(300), "the server did not come up");
        assert!(child.try_wait().unwrap().is_none(), "the server exited");
        std::thread::sleep(Duration::from_millis(200));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(dir.path().join("city.db").exists(), "a bare --db path is a SQLite file in the working folder");

    let db = format!("sqlite://{}", dir.path().join("city.db").display());
    let list = gongjiang(&db, &["cert", "list", "--format", "json", "--limit", "1"]);
    let listed: serde_json::Value =
        serde_json::from_slice(&list.stdout).unwrap_or_else(|_| panic!("{}", stdout(&list)));
    let number = listed[0]["number"].as_str().unwrap_or_else(|| panic!("a certificate: {listed}"));
    let out = dir.path().join("credential.json");
    let export = gongjiang(&db, &["cert", "export", number, "--out", out.to_str().unwrap()]);
    assert_eq!(export.status.code(), Some(0), "{}", stdout(&export));
    let credential = std::fs::read_to_string(&out).unwrap();
    assert!(credential.contains(&format!("http://{addr}/")), "{credential}");
    assert!(!credential.contains("127.0.0.1:8080") || port == 8080, "{credential}");
}
