//! Paging and filters of the three listings.

use std::collections::HashSet;

use serde_json::Value;

use crate::support::{PERSONS, employer_a, employer_b, on_each_backend};

fn ids(items: &[Value], key: &str) -> Vec<String> {
    items.iter().map(|i| i[key].as_str().expect("id").to_string()).collect()
}

#[tokio::test]
async fn the_person_cursor_walks_every_item_exactly_once() {
    on_each_backend(|s| async move {
        let all = s.walk("/api/v1/persons?limit=7").await;
        let ids = ids(&all, "public_id");
        assert_eq!(ids.len(), PERSONS, "[{}]", s.backend);
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), PERSONS, "[{}] a person seen twice", s.backend);
        // Same items, same order, whatever the page size.
        let big = s.walk("/api/v1/persons?limit=500").await;
        assert_eq!(crate::listings::ids(&big, "public_id"), ids);
        let default = s.ok("/api/v1/persons").await;
        assert_eq!(default["items"].as_array().map(Vec::len), Some(50));
        // A page that ends exactly at the last item says so.
        let exact = s.ok(&format!("/api/v1/persons?limit={PERSONS}")).await;
        assert_eq!(exact["next"], Value::Null);
    })
    .await;
}

#[tokio::test]
async fn organisation_and_occupation_cursors_walk_every_item_once() {
    on_each_backend(|s| async move {
        let orgs = s.walk("/api/v1/organisations?limit=2").await;
        assert_eq!(ids(&orgs, "public_id").into_iter().collect::<HashSet<_>>().len(), 3);

        let catalogue = s.walk("/api/v1/occupations?limit=500").await;
        let codes = ids(&catalogue, "code");
        assert_eq!(codes.len(), s.app.catalogue.len(), "[{}]", s.backend);
        assert_eq!(codes.iter().collect::<HashSet<_>>().len(), codes.len());
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(sorted, codes, "occupations come in code order");

        let children = s.walk("/api/v1/occupations?parent=6-18-01&limit=3").await;
        assert!(children.iter().all(|c| c["parent_code"] == "6-18-01"));
        assert!(ids(&children, "code").contains(&"6-18-01-01".to_string()));
        let named = s.ok("/api/v1/occupations?q=%E8%BD%A6%E5%B7%A5").await; // q=车工
        assert!(named["items"].as_array().expect("items").iter().any(|o| o["code"] == "6-18-01-01"));
    })
    .await;
}

#[tokio::test]
async fn person_filters_narrow_the_listing() {
    on_each_backend(|s| async move {
        let count = |path: String| {
            let s = &s;
            async move { s.walk(&path).await.len() }
        };
        let in_binhai = (0..PERSONS).filter(|k| k % 3 == 0).count();
        assert_eq!(count("/api/v1/persons?district=120116".into()).await, in_binhai);
        assert_eq!(count("/api/v1/persons?district=%E6%BB%A8%E6%B5%B7%E6%96%B0%E5%8C%BA".into()).await, in_binhai); // 滨海新区
        assert_eq!(count(format!("/api/v1/persons?employer={}", employer_a())).await, PERSONS.div_ceil(2));
        assert_eq!(count(format!("/api/v1/persons?employer={}", employer_b())).await, PERSONS / 2);
        let lathe = (0..PERSONS).filter(|k| k % 4 == 0).count();
        assert_eq!(count("/api/v1/persons?occupation=6-18-01-01".into()).await, lathe);
        assert_eq!(count("/api/v1/persons?occupation=6-18".into()).await, lathe, "a category prefix");
        assert_eq!(count("/api/v1/persons?occupation=6".into()).await, lathe, "a major group");
        assert_eq!(count("/api/v1/persons?industry=C".into()).await, PERSONS.div_ceil(2));
        let technicians = (0..PERSONS).filter(|k| k % 10 == 0).count();
        let senior = (0..PERSONS).filter(|k| k % 5 == 0 && k % 10 != 0).count();
        assert_eq!(count("/api/v1/persons?level=5".into()).await, technicians);
        assert_eq!(count("/api/v1/persons?level=%E6%8A%80%E5%B8%88".into()).await, technicians); // 技师
        assert_eq!(count("/api/v1/persons?level=4".into()).await, senior);
        let one = s.ok("/api/v1/persons?name=%E6%B5%8B%E8%AF%95%E4%BA%BA%E5%91%9807").await; // 测试人员07
        assert_eq!(one["items"].as_array().map(Vec::len), Some(1));
        // Filters combine with AND, and an empty value means "not given".
        let both = count("/api/v1/persons?district=120116&level=5&name=".into()).await;
        assert_eq!(both, (0..PERSONS).filter(|k| k % 3 == 0 && k % 10 == 0).count());
    })
    .await;
}

#[tokio::test]
async fn organisation_filters_and_lookup() {
    on_each_backend(|s| async move {
        let schools = s.ok("/api/v1/organisations?kind=technician_school").await;
        assert_eq!(schools["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(schools["items"][0]["kind"]["name_zh"], "技工院校");
        let by_label = s.ok("/api/v1/organisations?kind=%E4%BC%81%E4%B8%9A").await; // 企业
        assert_eq!(by_label["items"].as_array().map(Vec::len), Some(2));
        let heping = s.ok("/api/v1/organisations?district=120101&industry=I").await;
        assert_eq!(heping["items"].as_array().map(Vec::len), Some(1));
        assert_eq!(heping["items"][0]["uscc"], employer_b());
        assert_eq!(heping["items"][0]["district"]["name_zh"], "和平区");

        let by_code = s.ok(&format!("/api/v1/organisations/{}", employer_a())).await;
        assert_eq!(by_code["name"], "滨海精密机械有限公司");
        assert_eq!(by_code["industry"]["code"], "C");
        let public_id = by_code["public_id"].as_str().expect("public_id");
        let by_id = s.ok(&format!("/api/v1/organisations/{public_id}")).await;
        assert_eq!(by_id, by_code);
        assert!(by_code.get("id").is_none(), "internal ids stay inside");
    })
    .await;
}

#[tokio::test]
async fn one_occupation_by_code() {
    on_each_backend(|s| async move {
        let lathe = s.ok("/api/v1/occupations/6-18-01-01").await;
        assert_eq!(lathe["name"], "车工");
        assert_eq!(lathe["depth"], 4);
        assert_eq!(lathe["parent_code"], "6-18-01");
        assert_eq!(lathe["edition"], "2022");
        let same = s.ok("/api/v1/occupations/6180101?edition=2022").await;
        assert_eq!(same, lathe, "the compact form of a code is accepted");
    })
    .await;
}
