//! `/api/v1/kpi/series` and `/api/v1/kpi/projection` over the seeded registry (see
//! `support::seed`): 61 employed persons, every fifth holding 高级工 since 2015-07-01, every
//! tenth 技师 since 2021-07-01; no official statistics; today is 2025-06-30.

use crate::support::{error_of, on_each_backend};

#[tokio::test]
async fn kpi_series_year_by_year() {
    on_each_backend(|s| async move {
        // Every year-end from 2015 on: 13 of 61 skilled, all 13 high-skilled; 2014: nobody.
        let r = s.ok("/api/v1/kpi/series?from=2014&to=2016").await;
        assert_eq!((r["by"].as_str(), r["from"].as_i64(), r["to"].as_i64()), (Some("city"), Some(2014), Some(2016)));
        let groups = r["groups"].as_array().expect("groups");
        assert_eq!(groups.len(), 1);
        let values = groups[0]["values"].as_array().expect("values");
        let got: Vec<(i64, &str, i64, i64)> = values
            .iter()
            .map(|v| {
                (
                    v["year"].as_i64().unwrap(),
                    v["as_of"].as_str().unwrap(),
                    v["skilled"].as_i64().unwrap(),
                    v["employed_persons"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(got, [(2014, "2014-12-31", 0, 61), (2015, "2015-12-31", 13, 61), (2016, "2016-12-31", 13, 61)]);
        assert!(values[0]["high_skilled_share"].is_null(), "no skilled, no share");
        assert!((values[1]["skilled_share"].as_f64().unwrap() - 13.0 / 61.0).abs() < 1e-9);
        assert_eq!(values[1]["high_skilled_share"].as_f64(), Some(1.0));
        assert_eq!(values[1]["denominator_source"], "registry");

        // Default range: five years back to today; the current year as of today.
        let r = s.ok("/api/v1/kpi/series?by=district").await;
        assert_eq!((r["from"].as_i64(), r["to"].as_i64()), (Some(2020), Some(2025)));
        let groups = r["groups"].as_array().expect("groups");
        assert_eq!(groups.last().unwrap()["group"], "total");
        let binhai = groups.iter().find(|g| g["group"] == "120116").expect("滨海新区");
        let last = binhai["values"].as_array().unwrap().last().unwrap().clone();
        assert_eq!((last["as_of"].as_str(), last["complete"].as_bool()), (Some("2025-06-30"), Some(false)));
        assert_eq!((last["skilled"].as_i64(), last["employed_persons"].as_i64()), (Some(5), Some(21)));
        assert!(r["definitions"]["skilled_from_rank"].is_number());

        // By quarter: the 高级工 of 2015-07-01 counts from 2015-Q3, not at 2015-06-30.
        let r = s.ok("/api/v1/kpi/series?from=2015&to=2015&step=quarter").await;
        assert_eq!(r["step"], "quarter");
        let got: Vec<(String, String, Option<i64>, i64)> = r["groups"][0]["values"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                (
                    v["period"].as_str().unwrap().to_string(),
                    v["as_of"].as_str().unwrap().to_string(),
                    v["quarter"].as_i64(),
                    v["skilled"].as_i64().unwrap(),
                )
            })
            .collect();
        let want = [("2015-Q1", "2015-03-31", 1, 0), ("2015-Q2", "2015-06-30", 2, 0), ("2015-Q3", "2015-09-30", 3, 13)];
        let mut want: Vec<(String, String, Option<i64>, i64)> =
            want.iter().map(|&(p, d, q, n)| (p.to_string(), d.to_string(), Some(q), n)).collect();
        want.push(("2015-Q4".into(), "2015-12-31".into(), Some(4), 13));
        assert_eq!(got, want);
        // The year-ends say which step they are.
        let r = s.ok("/api/v1/kpi/series?from=2015&to=2015").await;
        assert_eq!((r["step"].as_str(), r["groups"][0]["values"][0]["period"].as_str()), (Some("year"), Some("2015")));
        assert!(r["groups"][0]["values"][0]["quarter"].is_null());
        // By chain: 高端装备 (employer A, even persons) at the 2015 year-end: 31 employed, the
        // multiples of 10 skilled (7); the overlap note is carried.
        let r = s.ok("/api/v1/kpi/series?by=chain&from=2015&to=2015").await;
        let hee = r["groups"].as_array().unwrap().iter().find(|g| g["group"] == "high_end_equipment").expect("chain");
        assert_eq!(
            (hee["values"][0]["registry_employed"].as_i64(), hee["values"][0]["skilled"].as_i64()),
            (Some(31), Some(7))
        );
        assert!(r["notes"].as_array().is_some_and(|n| !n.is_empty()));

        for (q, code, param) in [
            ("step=month", "invalid_step", Some("step")),
            ("step=quarter&from=2015", "invalid_year", Some("from")),
            ("by=chains", "invalid_grouping", Some("by")),
            ("from=20x4", "invalid_year", Some("from")),
            ("from=24", "invalid_year", Some("from")),
            ("to=2026", "invalid_year", Some("to")),
            ("from=2025&to=2024", "invalid_year", Some("from")),
            ("from=1990&to=2025", "invalid_year", Some("from")),
            ("as_of=2025-01-01", "bad_request", None),
        ] {
            let reply = s.get(&format!("/api/v1/kpi/series?{q}")).await;
            assert_eq!(reply.status, 400, "{q}: {}", reply.text);
            assert_eq!(error_of(&reply), (code.to_string(), param.map(str::to_string)), "{q}");
        }
    })
    .await;
}

#[tokio::test]
async fn kpi_projection_to_each_target() {
    on_each_backend(|s| async move {
        // Fitted on 2020–2024 (2025 is not over): the skilled share is flat at 13/61 ≈ 0.213,
        // never above the 0.40 target; the high-skilled share is 1.0, already above 0.35.
        let r = s.ok("/api/v1/kpi/projection?from=2020").await;
        assert_eq!(
            (r["from"].as_i64(), r["today"].as_str(), r["horizon_years"].as_i64()),
            (Some(2020), Some("2025-06-30"), Some(15))
        );
        assert!(r["method_en"].as_str().unwrap().contains("Holt"));
        let total = &r["groups"][0];
        assert_eq!(total["group"], "total");
        let kpis = total["kpis"].as_array().expect("kpis");
        assert_eq!(kpis.len(), 2);

        let skilled = &kpis[0];
        assert_eq!(skilled["kpi"], "skilled_share");
        assert_eq!(skilled["values"].as_array().unwrap().len(), 6);
        let fit = &skilled["fit"];
        assert_eq!(
            (fit["method"].as_str(), fit["first_year"].as_i64(), fit["last_year"].as_i64()),
            (Some("holt"), Some(2020), Some(2024))
        );
        assert!(fit["trend"].as_f64().unwrap().abs() < 1e-12 && fit["rmse"].as_f64().unwrap() < 1e-12);
        let projected = skilled["projected"].as_array().unwrap();
        assert_eq!(projected.first().unwrap()["year"].as_i64(), Some(2025));
        assert_eq!(projected.len(), 15);
        let t = &skilled["targets"][0];
        assert_eq!((t["id"].as_str(), t["due"].as_str()), (Some("tj-14fyp-skilled-share"), Some("2025-12-31")));
        assert_eq!((t["outlook"].as_str(), t["met_at_due"].as_bool()), (Some("not_reached"), Some(false)));
        assert!(t["reached_year"].is_null());
        assert!((t["gap_at_due"].as_f64().unwrap() - (0.40 - 13.0 / 61.0)).abs() < 1e-9);
        assert!(t["message_en"].as_str().unwrap().contains("not reached by the target date"), "{t}");
        assert!(t["message_zh"].as_str().unwrap().contains("前不能达到"), "{t}");

        let high = &kpis[1];
        assert_eq!(high["kpi"], "high_skilled_share");
        let t = &high["targets"][0];
        assert_eq!(
            (t["outlook"].as_str(), t["reached_year"].as_i64(), t["reached_observed"].as_bool()),
            (Some("met"), Some(2024), Some(true))
        );
        assert_eq!(t["reached_on"], "2024-12-31");
        // Met by the last year-end: its fourth quarter.
        assert_eq!(
            (t["reached_quarter"].as_str(), t["reached_quarter_end"].as_str()),
            (Some("2024-Q4"), Some("2024-12-31"))
        );

        // By quarter: fitted on 2024-Q1 … 2025-Q2 (30 June is a quarter-end, so today's quarter
        // is complete), projected sixty quarters on.
        let r = s.ok("/api/v1/kpi/projection?from=2024&step=quarter").await;
        assert_eq!(r["step"], "quarter");
        assert!(r["method_en"].as_str().unwrap().contains("quarter-end"));
        let skilled = &r["groups"][0]["kpis"][0];
        let fit = &skilled["fit"];
        assert_eq!(
            (fit["step"].as_str(), fit["first_period"].as_str(), fit["last_period"].as_str()),
            (Some("quarter"), Some("2024-Q1"), Some("2025-Q2"))
        );
        let projected = skilled["projected"].as_array().unwrap();
        assert_eq!((projected.len(), projected[0]["period"].as_str()), (60, Some("2025-Q3")));
        assert_eq!(projected[0]["quarter"].as_i64(), Some(3));
        // Flat at 13/61: the due date 2025-12-31 is 2025-Q4, projected, short of 0.40.
        let t = &skilled["targets"][0];
        assert_eq!((t["outlook"].as_str(), t["observed_at_due"].as_bool()), (Some("not_reached"), Some(false)));
        assert!((t["value_at_due"].as_f64().unwrap() - 13.0 / 61.0).abs() < 1e-9);
        let t = &r["groups"][0]["kpis"][1]["targets"][0];
        assert_eq!(
            (t["outlook"].as_str(), t["reached_quarter"].as_str(), t["reached_observed"].as_bool()),
            (Some("met"), Some("2025-Q2"), Some(true))
        );

        // By district, every district of the policy with its own projection; by level, only the
        // city row has targets.
        let r = s.ok("/api/v1/kpi/projection?by=district&from=2022").await;
        let binhai = r["groups"].as_array().unwrap().iter().find(|g| g["group"] == "120116").expect("滨海新区").clone();
        assert_eq!(binhai["kpis"][0]["values"][0]["denominator"].as_i64(), Some(21));
        let r = s.ok("/api/v1/kpi/projection?by=level").await;
        for g in r["groups"].as_array().unwrap() {
            assert_eq!(g["kpis"].as_array().unwrap().is_empty(), g["group"] != "total", "{g}");
        }

        // By chain: each chain projected against the city's targets.
        let r = s.ok("/api/v1/kpi/projection?by=chain&from=2022").await;
        let xc = r["groups"].as_array().unwrap().iter().find(|g| g["group"] == "xinchuang").expect("信创").clone();
        assert_eq!(xc["kpis"][0]["values"][0]["denominator"].as_i64(), Some(30));
        assert_eq!(r["by"], "chain");

        for (q, code, param) in [
            ("by=chains", "invalid_grouping", Some("by")),
            ("from=next", "invalid_year", Some("from")),
            ("from=2026", "invalid_year", Some("from")),
            ("to=2025", "bad_request", None),
            ("step=week", "invalid_step", Some("step")),
        ] {
            let reply = s.get(&format!("/api/v1/kpi/projection?{q}")).await;
            assert_eq!(reply.status, 400, "{q}: {}", reply.text);
            assert_eq!(error_of(&reply), (code.to_string(), param.map(str::to_string)), "{q}");
        }
    })
    .await;
}
