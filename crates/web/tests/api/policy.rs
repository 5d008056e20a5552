//! The policy in force and the service's health.

use crate::support::on_each_backend;

#[tokio::test]
async fn the_policy_and_its_districts() {
    on_each_backend(|s| async move {
        let p = s.ok("/api/v1/policy").await;
        for key in ["meta", "ladder", "districts", "industries", "industrial_chains", "kpi_targets", "eligibility"] {
            assert!(!p[key].is_null(), "policy has no {key}");
        }
        assert_eq!(p["meta"]["jurisdiction"], "120000");

        // The OpenAPI schema documents every member the response has.
        let spec = s.ok("/api/openapi.json").await;
        let documented = &spec["components"]["schemas"]["PolicyDocument"]["properties"];
        for key in p.as_object().expect("object").keys() {
            assert!(!documented[key].is_null(), "PolicyDocument does not document `{key}`");
        }

        let districts = s.ok("/api/v1/policy/districts").await;
        let list = districts.as_array().expect("array");
        assert_eq!(list.len(), p["districts"].as_array().map_or(0, Vec::len));
        assert!(list.iter().any(|d| d["code"] == "120116" && d["name_zh"] == "滨海新区"));
    })
    .await;
}

#[tokio::test]
async fn health_names_the_backend() {
    on_each_backend(|s| async move {
        let h = s.ok("/api/v1/health").await;
        assert_eq!(h["status"], "ok");
        assert_eq!(h["database"], s.backend);
    })
    .await;
}
