//! Checks of `[apprenticeship]` and `[[apprenticeship.rules]]`, building `ApprenticeshipRules`.

use std::collections::HashMap;

use super::apprenticeship::{ApprenticeshipRule, ApprenticeshipRules};
use super::model::LadderLevel;
use super::raw::{RawApprenticeship, RawApprenticeshipRule};
use super::read::Loader;
use crate::bilingual::Msg;
use crate::dates::iso;

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn apprenticeship(
        &mut self,
        head: Option<&RawApprenticeship>,
        rows: &[(String, RawApprenticeshipRule)],
        ladder: &[LadderLevel],
    ) -> ApprenticeshipRules {
        let Some(head) = head else {
            return ApprenticeshipRules::default();
        };
        self.text("apprenticeship.source", &head.source);
        let mut ids = HashMap::new();
        let mut rules: Vec<(String, ApprenticeshipRule)> = Vec::new();
        for (path, r) in rows {
            if let Some(rule) = self.apprenticeship_rule(path, r, ladder, &mut ids) {
                rules.push((path.clone(), rule));
            }
        }
        // One rule set per day: an agreement is checked against the one in force on its start.
        for (i, (path, a)) in rules.iter().enumerate() {
            if let Some((other, _)) = rules[..i].iter().find(|(_, b)| {
                a.effective_from <= b.effective_to.unwrap_or(time::Date::MAX)
                    && b.effective_from <= a.effective_to.unwrap_or(time::Date::MAX)
            }) {
                self.err(
                    &format!("{path}.effective_from"),
                    Msg::new(
                        format!("与 {other} 的施行期间重叠（自 {}）", iso(a.effective_from)),
                        format!("in force on days that {other} also covers (from {})", iso(a.effective_from)),
                    ),
                );
            }
        }
        ApprenticeshipRules { source: head.source.clone(), rules: rules.into_iter().map(|(_, r)| r).collect() }
    }

    fn apprenticeship_rule<'a>(
        &mut self,
        path: &'a str,
        r: &RawApprenticeshipRule,
        ladder: &[LadderLevel],
        ids: &mut HashMap<String, &'a str>,
    ) -> Option<ApprenticeshipRule> {
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("规则 id", "rule id"));
        self.text(&format!("{path}.source"), &r.source);
        let band = match r.target_levels.as_slice() {
            [low, high] => {
                let low = self.level(ladder, &format!("{path}.target_levels"), low);
                let high = self.level(ladder, &format!("{path}.target_levels"), high);
                match (low, high) {
                    (Some(l), Some(h)) if l <= h => Some((l, h)),
                    (Some(_), Some(_)) => {
                        self.err(
                            &format!("{path}.target_levels"),
                            Msg::new("目标等级应为 [最低, 最高]，由低到高", "target_levels must be [lowest, highest]"),
                        );
                        None
                    }
                    _ => None,
                }
            }
            _ => {
                self.err(
                    &format!("{path}.target_levels"),
                    Msg::new(
                        "目标等级应为 [最低, 最高] 两个等级名称，例如 [\"中级工\", \"高级技师\"]",
                        "target_levels must name two levels, [lowest, highest], e.g. [\"中级工\", \"高级技师\"]",
                    ),
                );
                None
            }
        };
        for (key, v) in [
            ("min_contract_months", r.min_contract_months),
            ("min_months", r.min_months),
            ("max_months", r.max_months),
            ("max_months_with_reason", r.max_months_with_reason),
        ] {
            if v == Some(0) || v.is_some_and(|m| m > 600) {
                self.err(&format!("{path}.{key}"), Msg::new("月数应在 1 到 600 之间", "months must be within 1..=600"));
            }
        }
        let ordered = |a: Option<u32>, b: Option<u32>| a.zip(b).is_none_or(|(a, b)| a <= b);
        if !ordered(r.min_months, r.max_months) || !ordered(r.max_months, r.max_months_with_reason) {
            self.err(
                path,
                Msg::new(
                    "应满足 min_months ≤ max_months ≤ max_months_with_reason",
                    "min_months ≤ max_months ≤ max_months_with_reason must hold",
                ),
            );
        }
        if r.max_months_with_reason.is_some() && r.max_months.is_none() {
            self.err(
                &format!("{path}.max_months"),
                Msg::new(
                    "填写 max_months_with_reason 时须同时填写 max_months",
                    "max_months_with_reason needs max_months",
                ),
            );
        }
        let inferred = self.inferred(path, r.inferred_zh.as_ref(), r.inferred_en.as_ref());
        let from = self.date(&format!("{path}.effective_from"), &r.effective_from);
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        self.range(path, from, to.flatten());
        let (lowest_target, highest_target) = band?;
        Some(ApprenticeshipRule {
            id: r.id.clone(),
            min_contract_months: r.min_contract_months,
            min_months: r.min_months,
            max_months: r.max_months,
            max_months_with_reason: r.max_months_with_reason,
            lowest_target,
            highest_target,
            effective_from: from?,
            effective_to: to?,
            source: r.source.clone(),
            inferred: inferred?,
        })
    }
}
