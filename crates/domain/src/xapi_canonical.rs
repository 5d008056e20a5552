//! `format=canonical` of the xAPI Statement resource (Communication 2.1.3): every language map
//! of the statement (a verb's `display`, an activity definition's `name` and `description` and
//! its interaction components' descriptions, an attachment's `display` and `description`, in
//! the statement, its SubStatement and its context activities) reduced to the one language the
//! client prefers (`Accept-Language`). The definitions are the statement's own: this LRS keeps
//! no separate canonical definition of an activity.

use serde_json::{Map, Value};

/// The language ranges of an `Accept-Language` value, most preferred first (q = 0 dropped).
pub fn accept_languages(header: &str) -> Vec<String> {
    let mut ranges: Vec<(String, f32, usize)> = header
        .split(',')
        .enumerate()
        .filter_map(|(i, item)| {
            let mut bits = item.split(';');
            let tag = bits.next()?.trim();
            let q = bits
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            (!tag.is_empty() && q > 0.0).then(|| (tag.to_owned(), q, i))
        })
        .collect();
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.2.cmp(&b.2)));
    ranges.into_iter().map(|r| r.0).collect()
}

/// The key of `map` the ranges choose: an exact match (case aside), then a tag of the same
/// primary language, then `*`'s or no preference's first key.
fn choose<'a>(map: &'a Map<String, Value>, ranges: &[String]) -> Option<&'a String> {
    for r in ranges {
        if r == "*" {
            break;
        }
        if let Some(k) = map.keys().find(|k| k.eq_ignore_ascii_case(r)) {
            return Some(k);
        }
        let primary = r.split('-').next().unwrap_or(r);
        if let Some(k) = map.keys().find(|k| k.split('-').next().is_some_and(|p| p.eq_ignore_ascii_case(primary))) {
            return Some(k);
        }
    }
    map.keys().next()
}

fn one_language(v: &mut Value, ranges: &[String]) {
    if let Value::Object(map) = v
        && let Some(k) = choose(map, ranges).cloned()
    {
        map.retain(|key, _| *key == k);
    }
}

fn activity(a: &mut Value, ranges: &[String]) {
    let Some(def) = a.get_mut("definition") else { return };
    for k in ["name", "description"] {
        if let Some(m) = def.get_mut(k) {
            one_language(m, ranges);
        }
    }
    for k in ["choices", "scale", "source", "target", "steps"] {
        if let Some(Value::Array(list)) = def.get_mut(k) {
            for c in list {
                if let Some(m) = c.get_mut("description") {
                    one_language(m, ranges);
                }
            }
        }
    }
}

/// Reduces every language map of `statement` to the one language `ranges` prefer.
pub fn canonical(statement: &mut Value, ranges: &[String]) {
    if let Some(d) = statement.get_mut("verb").and_then(|v| v.get_mut("display")) {
        one_language(d, ranges);
    }
    if let Some(o) = statement.get_mut("object") {
        match o.get("objectType").and_then(Value::as_str).unwrap_or("Activity") {
            "Activity" => activity(o, ranges),
            "SubStatement" => canonical(o, ranges),
            _ => {}
        }
    }
    if let Some(Value::Object(ca)) = statement.get_mut("context").and_then(|c| c.get_mut("contextActivities")) {
        for list in ca.values_mut() {
            if let Value::Array(l) = list {
                l.iter_mut().for_each(|a| activity(a, ranges));
            }
        }
    }
    if let Some(Value::Array(list)) = statement.get_mut("attachments") {
        for a in list {
            for k in ["display", "description"] {
                if let Some(m) = a.get_mut(k) {
                    one_language(m, ranges);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges_follow_quality_then_order() {
        assert_eq!(accept_languages("en-GB"), vec!["en-GB"]);
        assert_eq!(accept_languages("fr;q=0.5, zh-CN, en;q=0.8, de;q=0"), vec!["zh-CN", "en", "fr"]);
    }

    #[test]
    fn every_language_map_keeps_one_language() {
        let mut s = json!({
            "verb": {"id": "http://x/v", "display": {"en-US": "did", "en-GB": "did (GB)", "zh-CN": "做了"}},
            "object": {"objectType": "SubStatement", "verb": {"id": "http://x/w", "display": {"en-US": "a", "zh-CN": "甲"}},
                "object": {"id": "http://x/a", "definition": {"name": {"en-US": "n", "zh-CN": "名"},
                    "choices": [{"id": "c", "description": {"en-US": "c", "zh-CN": "丙"}}]}}},
            "context": {"contextActivities": {"category": [{"id": "http://x/c",
                "definition": {"description": {"en-GB": "cat", "fr": "chat"}}}]}}
        });
        canonical(&mut s, &accept_languages("zh-CN, en-GB;q=0.9"));
        assert_eq!(s["verb"]["display"], json!({"zh-CN": "做了"}));
        assert_eq!(s["object"]["verb"]["display"], json!({"zh-CN": "甲"}));
        assert_eq!(s["object"]["object"]["definition"]["name"], json!({"zh-CN": "名"}));
        assert_eq!(s["object"]["object"]["definition"]["choices"][0]["description"], json!({"zh-CN": "丙"}));
        assert_eq!(
            s["context"]["contextActivities"]["category"][0]["definition"]["description"],
            json!({"en-GB": "cat"})
        );
        // A primary-language match, and no match at all: one language still.
        let mut v = json!({"verb": {"id": "http://x/v", "display": {"en-US": "did", "fr": "fait"}}});
        canonical(&mut v, &accept_languages("en-AU"));
        assert_eq!(v["verb"]["display"], json!({"en-US": "did"}));
        let mut v = json!({"verb": {"id": "http://x/v", "display": {"en-US": "did", "fr": "fait"}}});
        canonical(&mut v, &[]);
        assert_eq!(v["verb"]["display"].as_object().map(Map::len), Some(1));
    }
}
