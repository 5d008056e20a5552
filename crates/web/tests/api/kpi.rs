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

        // By chain: employer A (even persons, 31) is in 高端装备, B (odd, 30) in 信创. Skilled:
        // multiples of 10 at A (7), odd multiples of 5 at B (6). The report carries the overlap note.
        let r = s.ok("/api/v1/kpi?by=chain&as_of=2025-06-30").await;
        let rows = r["rows"].as_array().expect("rows");
        let of = |g: &str| {
            let x = rows.iter().find(|x| x["group"] == g).unwrap_or_else(|| panic!("no row {g}"));
            (x["registry_employed"].as_i64(), x["skilled"].as_i64(), x["denominator_source"].as_str())
        };
        assert_eq!(of("high_end_equipment"), (Some(31), Some(7), Some("registry")));
        assert_eq!(of("xinchuang"), (Some(30), Some(6), Some("registry")));
        assert!(rows.iter().all(|x| x["group"] != "none"), "everyone's employer is in a chain");
        assert_eq!(of("total"), (Some(61), Some(13), Some("registry")));
        assert_eq!(r["by"], "chain");
        let notes = r["notes"].as_array().expect("notes");
        assert!(notes.iter().any(|n| n["en"].as_str().unwrap_or_default().contains("do not add up")), "{notes:?}");

        for (q, code, param) in [
            ("by=chains", "invalid_grouping", Some("by")),
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

#[tokio::test]
async fn kpi_drill_down_to_the_persons_behind_a_figure() {
    on_each_backend(|s| async move {
        let names = |items: &[serde_json::Value]| {
            items.iter().map(|p| p["name"].as_str().expect("name").to_string()).collect::<Vec<_>>()
        };
        // 滨海新区's skilled on 2025-06-30: persons 0, 15, 30, 45, 60 — the row's figure, over
        // pages of two, identity numbers masked.
        let kpi = s.ok("/api/v1/kpi?by=district&as_of=2025-06-30").await;
        let rows = kpi["rows"].as_array().expect("rows");
        let binhai = rows.iter().find(|x| x["group"] == "120116").expect("滨海新区");
        let path = "/api/v1/kpi/persons?by=district&group=120116&measure=skilled&as_of=2025-06-30&limit=2";
        let first = s.ok(path).await;
        assert_eq!(first["items"].as_array().map(Vec::len), Some(2));
        let skilled = s.walk(path).await;
        assert_eq!(names(&skilled), ["测试人员00", "测试人员15", "测试人员30", "测试人员45", "测试人员60"]);
        assert_eq!(Some(skilled.len() as i64), binhai["skilled"].as_i64());
        for p in &skilled {
            let shown = p["id_number"].as_str().expect("id_number");
            assert!(shown[4..14].chars().all(|c| c == '*'), "masked: {shown}");
            assert!(p.get("id").is_none() && p.get("birth_date").is_none(), "{p}");
            assert_eq!(p["district"]["code"], "120116");
        }
        // Every figure of every district row, and of the total row.
        for row in rows {
            let group = row["group"].as_str().expect("group");
            for (measure, figure) in
                [("employed", "registry_employed"), ("skilled", "skilled"), ("high_skilled", "high_skilled")]
            {
                let got = s
                    .walk(&format!(
                        "/api/v1/kpi/persons?by=district&group={group}&measure={measure}&as_of=2025-06-30&limit=500"
                    ))
                    .await;
                assert_eq!(Some(got.len() as i64), row[figure].as_i64(), "{group} {measure}");
            }
        }
        // The district by name; the city without a group.
        assert_eq!(
            s.walk("/api/v1/kpi/persons?by=district&group=滨海新区&measure=employed&as_of=2025-06-30").await.len(),
            21
        );
        assert_eq!(s.walk("/api/v1/kpi/persons?measure=high_skilled&as_of=2025-06-30").await.len(), 13);
        // By chain, by the chain's name: 信创's skilled are B's odd multiples of 5.
        let xc = s.walk("/api/v1/kpi/persons?by=chain&group=信创&measure=skilled&as_of=2025-06-30").await;
        assert_eq!(names(&xc), ["测试人员05", "测试人员15", "测试人员25", "测试人员35", "测试人员45", "测试人员55"]);
        // By level: 技师 (5) since 2021-07-01 — persons 0, 10, …, 60 — counts from that day.
        let level5 = "/api/v1/kpi/persons?by=level&group=5&measure=employed&as_of=";
        assert!(s.walk(&format!("{level5}2021-06-30")).await.is_empty());
        assert_eq!(s.walk(&format!("{level5}2021-07-01")).await.len(), 7);

        let persons_cursor = s.ok("/api/v1/persons?limit=1").await["next"].as_str().expect("next").to_string();
        for (q, code, param) in [
            ("by=district&group=120116", "invalid_measure", Some("measure")),
            ("measure=share", "invalid_measure", Some("measure")),
            ("by=district&measure=skilled", "invalid_group", Some("group")),
            ("group=120116&measure=skilled", "invalid_group", Some("group")),
            ("by=level&group=9&measure=skilled", "invalid_group", Some("group")),
            ("by=chain&group=x&measure=skilled", "invalid_group", Some("group")),
            ("by=chains&group=x&measure=skilled", "invalid_grouping", Some("by")),
            ("measure=skilled&as_of=2025-02-30", "invalid_date", Some("as_of")),
            ("measure=skilled&limit=0", "invalid_limit", Some("limit")),
            (&format!("measure=skilled&after={persons_cursor}"), "invalid_cursor", Some("after")),
            ("measure=skilled&district=120116", "bad_request", None),
        ] {
            let reply = s.get(&format!("/api/v1/kpi/persons?{q}")).await;
            assert_eq!(reply.status, 400, "{q}: {}", reply.text);
            assert_eq!(error_of(&reply), (code.to_string(), param.map(str::to_string)), "{q}");
        }
    })
    .await;
}

/// The members of the KPI responses are a contract: exactly these keys, dates as `YYYY-MM-DD`,
/// codes as strings (the responses are the app's reports serialised as they are).
#[tokio::test]
async fn kpi_responses_keep_their_members_and_formats() {
    fn keys(v: &serde_json::Value) -> Vec<String> {
        let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
        k.sort();
        k
    }
    fn sorted(k: &[&str]) -> Vec<String> {
        let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
        k.sort();
        k
    }
    let is_date = |v: &serde_json::Value| {
        let s = v.as_str().unwrap_or_default();
        s.len() == 10 && time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).is_ok()
    };
    let definitions =
        sorted(&["employed_statuses", "skilled_from_rank", "high_skilled_from_rank", "denominator", "statistics_year"]);
    on_each_backend(move |s| {
        let definitions = definitions.clone();
        async move {
            let r = s.ok("/api/v1/kpi?as_of=2025-06-30").await;
            assert_eq!(keys(&r), sorted(&["as_of", "by", "definitions", "rows", "notes"]));
            assert_eq!(r["as_of"], "2025-06-30");
            assert_eq!(r["by"], "city");
            assert_eq!(keys(&r["definitions"]), definitions);
            assert!(r["definitions"]["denominator"].is_string(), "{}", r["definitions"]);
            let row = &r["rows"][0];
            assert_eq!(
                keys(row),
                sorted(&[
                    "group",
                    "name_zh",
                    "name_en",
                    "employed_persons",
                    "denominator_source",
                    "registry_employed",
                    "skilled",
                    "high_skilled",
                    "skilled_share",
                    "high_skilled_share",
                    "target_skilled_share",
                    "gap_skilled_share",
                    "target_high_skilled_share",
                    "gap_high_skilled_share",
                    "official_skilled",
                    "official_high_skilled",
                    "official_high_skilled_share",
                    "skilled_coverage",
                    "high_skilled_coverage",
                ])
            );
            let target = &row["target_skilled_share"];
            assert_eq!(keys(target), sorted(&["id", "value", "comparison", "due", "district", "met"]));
            assert!(is_date(&target["due"]), "{target}");
            assert!(target["comparison"].is_string(), "{target}");

            let r = s.ok("/api/v1/kpi/series?from=2023&to=2025").await;
            assert_eq!(keys(&r), sorted(&["by", "step", "from", "to", "definitions", "groups", "notes"]));
            assert_eq!(
                (r["by"].as_str(), r["step"].as_str(), r["from"].as_i64()),
                (Some("city"), Some("year"), Some(2023))
            );
            assert_eq!(keys(&r["definitions"]), definitions);
            let group = &r["groups"][0];
            assert_eq!(keys(group), sorted(&["group", "name_zh", "name_en", "values"]));
            let value = &group["values"][0];
            assert_eq!(
                keys(value),
                sorted(&[
                    "year",
                    "quarter",
                    "period",
                    "as_of",
                    "complete",
                    "employed_persons",
                    "denominator_source",
                    "registry_employed",
                    "skilled",
                    "high_skilled",
                    "skilled_share",
                    "high_skilled_share",
                    "gap_skilled_share",
                    "gap_high_skilled_share",
                ])
            );
            assert_eq!((value["period"].as_str(), value["as_of"].as_str()), (Some("2023"), Some("2023-12-31")));
            assert!(value["denominator_source"].is_string());

            let r = s.ok("/api/v1/kpi/projection?from=2020").await;
            let observed = &r["groups"][0]["kpis"][0]["values"][0];
            assert_eq!(
                keys(observed),
                sorted(&[
                    "year",
                    "quarter",
                    "period",
                    "as_of",
                    "complete",
                    "value",
                    "numerator",
                    "denominator",
                    "denominator_source",
                ])
            );
            assert!(is_date(&observed["as_of"]) && observed["period"].is_string(), "{observed}");
        }
    })
    .await;
}
