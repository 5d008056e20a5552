//! The OpenAPI document (served, and committed without drift) and the browsable page.

use std::path::PathBuf;

use crate::support::on_each_backend;

const ROUTES: &[&str] = &[
    "/api/v1/organisations",
    "/api/v1/organisations/{key}",
    "/api/v1/persons",
    "/api/v1/persons/{public_id}",
    "/api/v1/persons/{public_id}/eligibility",
    "/api/v1/occupations",
    "/api/v1/occupations/{code}",
    "/api/v1/platforms",
    "/api/v1/policy",
    "/api/v1/policy/districts",
    "/api/v1/kpi",
    "/api/v1/kpi/series",
    "/api/v1/kpi/projection",
    "/api/v1/kpi/persons",
    "/api/v1/demand",
    "/api/v1/supply-gap",
    "/api/v1/supply-gap/forecast",
    "/api/v1/institutions",
    "/api/v1/institutions/{public_id}",
    "/api/v1/sessions/{public_id}",
    "/api/v1/health",
    "/api/v1/audit",
    "/api/v1/me/data",
    "/api/v1/me/benefits",
    "/api/v1/session",
    "/api/v1/certificates/verify",
    "/api/v1/certificates/{public_id}/pdf",
    "/credentials/status/{purpose}",
    "/.well-known/did.json",
    "/api/v1/competitions",
    "/api/v1/competitions/{code}/events/{event}",
    "/api/v1/competitions/{code}/events/{event}/standings",
];

/// The POST-only routes (the VC API's, corrections, a competition's set-up and running;
/// `POST /api/v1/competitions` shares its path with the listing).
const POST_ROUTES: &[&str] = &[
    "/credentials/verify",
    "/credentials/issue",
    "/credentials/status",
    "/api/v1/me/corrections",
    "/api/v1/competitions/{code}/events",
    "/api/v1/competitions/{code}/events/{event}/scheme",
    "/api/v1/competitions/{code}/events/{event}/judges",
    "/api/v1/competitions/{code}/events/{event}/entries",
    "/api/v1/competitions/{code}/events/{event}/sign-off",
    "/api/v1/competitions/{code}/events/{event}/publish",
];

#[tokio::test]
async fn the_served_document_is_openapi_3_1_with_every_route() {
    on_each_backend(|s| async move {
        let spec = s.ok("/api/openapi.json").await;
        assert!(spec["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", spec["openapi"]);
        let paths = spec["paths"].as_object().expect("paths");
        for route in ROUTES {
            assert!(paths.get(*route).is_some_and(|p| p.get("get").is_some()), "GET {route} is not documented");
        }
        for route in POST_ROUTES {
            assert!(paths.get(*route).is_some_and(|p| p.get("post").is_some()), "POST {route} is not documented");
        }
        assert_eq!(paths.len(), ROUTES.len() + POST_ROUTES.len(), "documented: {:?}", paths.keys().collect::<Vec<_>>());
        // Every documented route answers (with made-up parameters: anything but 5xx and 405).
        for route in ROUTES {
            let path = route
                .replace("{key}", "0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a")
                .replace("{public_id}", "0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a")
                .replace("{code}", "6-18-01-01")
                .replace("{event}", "E1")
                .replace("{purpose}", "revocation");
            let r = s.get(&path).await;
            assert_ne!(r.status, 405, "{path}");
        }
        let served: serde_json::Value = s.get("/api/openapi.json").await.json;
        let generated: serde_json::Value = serde_json::from_str(&gongjiang_web::openapi_json()).expect("JSON");
        assert_eq!(served, generated);
    })
    .await;
}

#[tokio::test]
async fn the_docs_page_is_served_self_contained() {
    on_each_backend(|s| async move {
        let r = s.get("/api/docs").await;
        assert_eq!(r.status, 200);
        assert!(r.content_type.starts_with("text/html"), "{}", r.content_type);
        assert!(r.text.contains("/api/openapi.json"));
        assert!(r.text.contains("接口文档"));
        assert!(!r.text.contains("http://") && !r.text.contains("https://"), "the page loads nothing from elsewhere");
    })
    .await;
}

/// Fails when the generated document differs from the committed `crates/web/openapi.json`.
/// `UPDATE_OPENAPI=1 cargo test -p gongjiang-web --test api openapi` rewrites it.
#[test]
fn the_committed_openapi_document_is_current() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = gongjiang_web::openapi_json();
    if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| v == "1") {
        std::fs::write(&path, &generated).expect("write openapi.json");
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed == generated {
        return;
    }
    let first_difference = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| committed.lines().count().min(generated.lines().count()));
    panic!(
        "crates/web/openapi.json is out of date with the code (first difference at line {}):\n  committed: {}\n  generated: {}\n\
         Review the change and run `UPDATE_OPENAPI=1 cargo test -p gongjiang-web --test api openapi` to rewrite it.",
        first_difference + 1,
        committed.lines().nth(first_difference).unwrap_or("(end of file)"),
        generated.lines().nth(first_difference).unwrap_or("(end of file)"),
    );
}
