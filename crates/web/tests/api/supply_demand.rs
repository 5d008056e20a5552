//! `/api/v1/demand` and `/api/v1/supply-gap` over the seeded registry (see `support::seed`),
//! today = 2025-06-30. Supply figures worked out by hand from the seed:
//! - 车工 (6-18-01-01) in 滨海新区 = persons k with k % 12 = 0 (0, 12, …, 60); of them 0 and 60
//!   hold 技师 (k % 10 = 0), none holds only 高级工 → 高级工 or above: 2;
//! - 计算机程序设计员 (4-04-05-01) in 和平区 with 技师 = k % 10 = 0, k % 4 ≠ 0, k % 3 ≠ 0 → 10, 50: 2.

use serde_json::{Value, json};

use crate::support::{Server, employer_a, employer_b, error_of, on_each_backend};

async fn post(s: &Server, body: &Value) -> crate::support::Reply {
    s.send(s.client().post(format!("{}/api/v1/demand", s.base)).bearer_auth(&s.admin_token).json(body)).await
}

fn rows_of(r: &Value) -> Vec<(String, i64, String, i64, i64, i64, Value)> {
    r["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|x| {
            (
                x["occupation_code"].as_str().unwrap().to_string(),
                x["level"].as_i64().unwrap(),
                x["group"].as_str().unwrap().to_string(),
                x["demand"].as_i64().unwrap(),
                x["supply"].as_i64().unwrap(),
                x["gap"].as_i64().unwrap(),
                x["severity"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn report_demand_then_read_the_ranked_gap() {
    on_each_backend(|s| async move {
        let b = s.backend;
        let body = json!([
            {"reporter_uscc": employer_a(), "occupation": "6-18-01-01", "level": "高级工", "people": 10,
             "period": "2025", "district": "滨海新区", "chain": "高端装备", "note": "扩产"},
            {"统一社会信用代码": employer_b(), "职业代码": "4-04-05-01", "技能等级": "技师", "需求人数": "5",
             "需求期间": "2025", "所在区": "和平区", "所属产业链": "xinchuang"},
            {"reporter_uscc": employer_a(), "occupation": "6-18-01-01", "level": "4", "people": "many",
             "period": "2025", "district": "浦东新区"},
            {"reporter_uscc": employer_a(), "occupation": "6-18-01-01", "level": "4", "people": 1,
             "period": "2025", "district": "滨海新区", "colour": "red"},
            "not an object"
        ]);
        let r = post(&s, &body).await;
        assert_eq!(r.status, 422, "[{b}] {}", r.text);
        assert_eq!(error_of(&r).0, "invalid_rows");
        let j = &r.json;
        assert_eq!((j["received"].as_i64(), j["inserted"].as_i64()), (Some(5), Some(2)), "[{b}] {}", r.text);
        let rejected: Vec<(i64, Vec<String>)> = j["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| {
                let params = x["errors"].as_array().unwrap().iter().map(|e| e["param"].as_str().unwrap().to_string());
                (x["index"].as_i64().unwrap(), params.collect())
            })
            .collect();
        assert_eq!(
            rejected,
            [
                (2, vec!["people".to_string(), "district".to_string()]),
                (3, vec!["colour".to_string()]),
                (4, vec![String::new()])
            ],
            "[{b}]"
        );
        let people_error = &j["rejected"][0]["errors"][0];
        assert_eq!(
            (people_error["code"].as_str(), people_error["value"].as_str()),
            (Some("invalid_field"), Some("many"))
        );
        assert!(people_error["message_en"].as_str().unwrap().contains("number of people"));

        // The same row again with another number updates it: no duplicate.
        let again = json!([{"reporter_uscc": employer_a(), "occupation": "6-18-01-01", "level": "高级工",
            "people": 10, "period": "2025", "district": "120116", "chain": "high_end_equipment", "note": "扩产"}]);
        let r = post(&s, &again).await;
        assert_eq!(r.status, 200, "[{b}] {}", r.text);
        assert_eq!((r.json["unchanged"].as_i64(), r.json["inserted"].as_i64()), (Some(1), Some(0)));

        // Listing: two rows over pages of one, filters.
        let all = s.walk("/api/v1/demand?period=2025&limit=1").await;
        assert_eq!(all.len(), 2, "[{b}]");
        assert_eq!(all[0]["chain"]["name_zh"], "高端装备");
        assert_eq!(all[0]["level"]["name_zh"], "高级工");
        assert_eq!(all[1]["reporter"]["uscc"].as_str(), Some(employer_b().as_str()));
        let xc = s.ok("/api/v1/demand?chain=信创").await;
        assert_eq!(xc["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(s.ok("/api/v1/demand?period=2026").await["items"].as_array().map(Vec::len), Some(0));

        // By district: 车工 高级工 滨海 10 − 2 = 8 (ratio 5: moderate, the gap is under 10);
        // 程序设计员 技师 和平 5 − 2 = 3 (ratio 2.5: moderate).
        let gap = s.ok("/api/v1/supply-gap?by=district&period=2025").await;
        let m = json!("moderate");
        assert_eq!(
            rows_of(&gap),
            [
                ("6-18-01-01".to_string(), 4, "120116".to_string(), 10, 2, 8, m.clone()),
                ("4-04-05-01".to_string(), 5, "120101".to_string(), 5, 2, 3, m.clone()),
            ],
            "[{b}]"
        );
        assert_eq!(gap["pipeline_source"]["code"], "training+apprenticeship+application");
        assert_eq!(gap["pipeline_source"]["counted"]["persons"], 0);
        assert_eq!(gap["as_of"], "2025-06-30");
        assert!(gap["supply_rule"]["en"].as_str().unwrap().contains("or above"));

        // By chain: supply = holders employed by the chain's reporters. 高端装备 ← A (even k):
        // 车工 with 高级工 or above = k % 20 = 0 → 0, 20, 40, 60: 10 − 4 = 6. 信创 ← B (odd k):
        // nobody odd holds 技师 → 5 − 0 = 5, no ratio.
        let gap = s.ok("/api/v1/supply-gap?by=chain&period=2025").await;
        assert_eq!(
            rows_of(&gap),
            [
                ("6-18-01-01".to_string(), 4, "high_end_equipment".to_string(), 10, 4, 6, m.clone()),
                ("4-04-05-01".to_string(), 5, "xinchuang".to_string(), 5, 0, 5, m.clone()),
            ],
            "[{b}]"
        );
        assert_eq!(gap["rows"][1]["ratio"], Value::Null);

        // One year of demand: the gap stays constant; closing 8 by 2028 takes ⌈8 / 3⌉ = 3 a year.
        let f = s.ok("/api/v1/supply-gap/forecast?period=2025&occupation=6-18").await;
        assert_eq!(f["target_year"], 2028);
        let row = &f["rows"][0];
        assert_eq!((row["method"].as_str(), row["training_per_year"].as_i64()), (Some("constant"), Some(3)), "[{b}]");
        assert_eq!(row["observed"], json!([{"year": 2025, "demand": 10, "supply": 2, "gap": 8}]));

        // The members are a contract (the responses are the app's reports as they are).
        let keys = |v: &Value| {
            let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
            k.sort();
            k
        };
        let sorted = |k: &[&str]| {
            let mut k: Vec<String> = k.iter().map(|s| s.to_string()).collect();
            k.sort();
            k
        };
        assert_eq!(
            keys(&gap),
            sorted(&["by", "period", "as_of", "supply_rule", "pipeline_source", "grouping_note", "rows"])
        );
        assert_eq!(gap["by"], "chain");
        assert_eq!(keys(&gap["pipeline_source"]), sorted(&["code", "counted", "note"]));
        assert_eq!(
            keys(&gap["pipeline_source"]["counted"]),
            sorted(&["training", "apprenticeship", "application", "persons"])
        );
        assert_eq!(keys(&gap["pipeline_source"]["note"]), sorted(&["zh", "en"]));
        assert_eq!(
            keys(&gap["rows"][0]),
            sorted(&[
                "rank",
                "occupation_code",
                "occupation_name",
                "level",
                "level_name_zh",
                "level_name_en",
                "group",
                "group_name_zh",
                "group_name_en",
                "demand",
                "holders",
                "pipeline",
                "pipeline_parts",
                "supply",
                "gap",
                "ratio",
                "severity",
                "severity_zh",
            ])
        );
        assert_eq!(
            keys(&f),
            sorted(&[
                "by",
                "period",
                "as_of",
                "target_year",
                "method",
                "supply_rule",
                "pipeline_source",
                "grouping_note",
                "rows"
            ])
        );
        assert_eq!(
            keys(row),
            sorted(&[
                "rank",
                "occupation_code",
                "occupation_name",
                "level",
                "level_name_zh",
                "group",
                "group_name_zh",
                "observed",
                "method",
                "projected",
                "gap_at_target",
                "gap_at_target_high",
                "pipeline",
                "training_per_year",
                "training_per_year_high",
            ])
        );
        assert_eq!(keys(&row["projected"][0]), sorted(&["year", "gap", "low", "high"]));
    })
    .await;
}

#[tokio::test]
async fn bad_requests_name_the_parameter() {
    on_each_backend(|s| async move {
        for (path, code, param) in [
            ("/api/v1/supply-gap?by=industry", "invalid_grouping", Some("by")),
            ("/api/v1/supply-gap?period=2025Q7", "invalid_period", Some("period")),
            ("/api/v1/supply-gap?as_of=2025-02-30", "invalid_date", Some("as_of")),
            ("/api/v1/supply-gap/forecast?target=soon", "invalid_year", Some("target")),
            ("/api/v1/demand?chain=钢铁", "unknown_chain", Some("chain")),
            ("/api/v1/demand?limit=0", "invalid_limit", Some("limit")),
            ("/api/v1/demand?after=zzzz", "invalid_cursor", Some("after")),
        ] {
            let r = s.get(path).await;
            assert_eq!(r.status, 400, "{path}: {}", r.text);
            assert_eq!(error_of(&r), (code.to_string(), param.map(str::to_string)), "{path}");
        }
        let r = post(&s, &json!({"people": 1})).await;
        assert_eq!((r.status, error_of(&r).0), (400, "bad_request".to_string()), "{}", r.text);
        // The target must be after the last year with demand (none: this year, 2025).
        let r = s.get("/api/v1/supply-gap/forecast?target=2025").await;
        assert_eq!((r.status, error_of(&r).0), (422, "unprocessable".to_string()), "{}", r.text);
    })
    .await;
}
