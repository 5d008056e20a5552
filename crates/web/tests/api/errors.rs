//! Every client mistake is a 4xx in the one error shape, naming the parameter; never a 500.

use crate::support::{error_of, on_each_backend};

#[tokio::test]
async fn bad_parameters_are_400_and_name_the_parameter() {
    on_each_backend(|s| async move {
        let cases = [
            ("/api/v1/persons?level=9", "invalid_level", "level"),
            ("/api/v1/persons?level=%E4%B9%9D%E7%BA%A7", "invalid_level", "level"), // 九级
            ("/api/v1/persons?limit=0", "invalid_limit", "limit"),
            ("/api/v1/persons?limit=501", "invalid_limit", "limit"),
            ("/api/v1/persons?limit=ten", "invalid_limit", "limit"),
            ("/api/v1/persons?limit=-5", "invalid_limit", "limit"),
            ("/api/v1/persons?after=42", "invalid_cursor", "after"),
            ("/api/v1/persons?district=999999", "unknown_district", "district"),
            ("/api/v1/persons?employer=91120116MA05AAAA10", "invalid_uscc", "employer"),
            ("/api/v1/persons?occupation=6-1", "invalid_occupation", "occupation"),
            ("/api/v1/persons?industry=%3F", "unknown_industry", "industry"),
            ("/api/v1/persons/not-a-uuid", "invalid_id", "public_id"),
            (
                "/api/v1/persons/0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a/eligibility?level=5&on=2025-13-01",
                "invalid_date",
                "on",
            ),
            (
                "/api/v1/persons/0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a/eligibility?level=5&on=30.06.2025",
                "invalid_date",
                "on",
            ),
            ("/api/v1/persons/0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a/eligibility?level=zero", "invalid_level", "level"),
            ("/api/v1/organisations?kind=bank", "invalid_kind", "kind"),
            ("/api/v1/organisations/12345", "invalid_uscc", "key"),
            ("/api/v1/organisations/0190a6b4-zzzz", "invalid_id", "key"),
            ("/api/v1/occupations?edition=2020", "invalid_edition", "edition"),
            ("/api/v1/occupations/x-y", "invalid_occupation", "code"),
        ];
        for (path, code, param) in cases {
            let r = s.get(path).await;
            assert_eq!(r.status, 400, "[{}] {path}: {}", s.backend, r.text);
            assert_eq!(error_of(&r), (code.to_string(), Some(param.to_string())), "{path}");
        }
        // A cursor of one listing is refused by another.
        let page = s.ok("/api/v1/organisations?limit=1").await;
        let cursor = page["next"].as_str().expect("a next page");
        let r = s.get(&format!("/api/v1/persons?after={cursor}")).await;
        assert_eq!(error_of(&r).0, "invalid_cursor");
    })
    .await;
}

#[tokio::test]
async fn malformed_query_strings_get_the_json_shape_too() {
    on_each_backend(|s| async move {
        for path in ["/api/v1/persons?levle=5", "/api/v1/persons?level=5&level=6", "/api/v1/occupations/6-18?page=2"] {
            let r = s.get(path).await;
            assert_eq!(r.status, 400, "{path}: {}", r.text);
            assert!(r.content_type.starts_with("application/json"), "{path}");
            assert_eq!(error_of(&r).0, "bad_request", "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn unknown_things_are_404_in_the_json_shape() {
    on_each_backend(|s| async move {
        for path in [
            "/api/v1/persons/0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a",
            "/api/v1/organisations/0190a6b4-7c1e-7a3b-9f00-3f5c2d1e4b6a",
            &format!("/api/v1/organisations/{}", crate::support::uscc("91120000MA05YYYY9")),
            "/api/v1/occupations/8-99-99-99",
            "/api/v1/occupations/6-18-01-01?edition=1999",
            "/api/v1/nothing-here",
            "/favicon.ico",
        ] {
            let r = s.get(path).await;
            assert_eq!(r.status, 404, "[{}] {path}: {}", s.backend, r.text);
            assert!(r.content_type.starts_with("application/json"), "{path}");
            assert_eq!(error_of(&r), ("not_found".to_string(), None), "{path}");
        }
    })
    .await;
}

#[tokio::test]
async fn wrong_method_and_large_body_get_the_json_shape() {
    on_each_backend(|s| async move {
        let r = s.send(s.client().post(format!("{}/api/v1/persons", s.base))).await;
        assert_eq!(r.status, 405);
        assert_eq!(error_of(&r).0, "method_not_allowed");
        let r = s.send(s.client().post(format!("{}/api/v1/persons", s.base)).body(vec![b'x'; 1 << 20])).await;
        assert_eq!(r.status, 413);
        assert_eq!(error_of(&r).0, "payload_too_large");
        assert!(r.content_type.starts_with("application/json"));
    })
    .await;
}
