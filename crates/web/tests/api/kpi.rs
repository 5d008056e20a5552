//! `/api/v1/kpi` over the seeded registry (see `support::seed`): 61 employed persons, every
//! fifth holding 高级工 since 2015-07-01; no official statistics, so the registry is the
//! denominator.

use crate::support::{error_of, on_each_backend};

#[tokio::test]
async fn kpi_by_district_with_the_total_and_bad_parameters() {
    on_each_backend(|s| async move {
        // Persons 0, 5, …, 60 are skilled and high-skilled: 13 of 61.
        let r = s.ok("/api/v1/kpi?as_of=2025-06-30").await;
        let rows = r["rows"].as_array().expect("rows");
        assert_eq!(rows.len(), 1);
        let total = &rows[0];
        assert_eq!(total["group"], "total");
        assert_eq!((total["employed_persons"].as_i64(), total["skilled"].as_i64()), (Some(61), Some(13)));
        assert_eq!(total["denominator_source"], "registry");
        assert!((total["skilled_share"].as_f64().unwrap() - 13.0 / 61.0).abs() < 1e-9);
        assert_eq!(total["target_skilled_share"]["value"].as_f64(), Some(0.4));

        // 滨海新区 = persons 0, 3, …, 60 (21); skilled among them 0, 15, 30, 45, 60.
        let r = s.ok("/api/v1/kpi?by=district&as_of=2025-06-30").await;
        let rows = r["rows"].as_array().expect("rows");
        let binhai = rows.iter().find(|x| x["group"] == "120116").expect("滨海新区");
        assert_eq!((binhai["employed_persons"].as_i64(), binhai["skilled"].as_i64()), (Some(21), Some(5)));
        assert_eq!(rows.last().unwrap()["group"], "total");

        // Before anyone held a level.
        let r = s.ok("/api/v1/kpi?as_of=2015-06-30").await;
        assert_eq!(r["rows"][0]["skilled"].as_i64(), Some(0));

        for (q, code, param) in [
            ("by=chain", "invalid_grouping", Some("by")),
            ("as_of=2025-13-01", "invalid_date", Some("as_of")),
            ("asof=2025-01-01", "bad_request", None),
        ] {
            let reply = s.get(&format!("/api/v1/kpi?{q}")).await;
            assert_eq!(reply.status, 400, "{q}: {}", reply.text);
            assert_eq!(error_of(&reply), (code.to_string(), param.map(str::to_string)), "{q}");
        }
    })
    .await;
}
