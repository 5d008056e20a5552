//! Checks of `[[competition.awards]]` and `[competition.entry]`.

use std::collections::HashMap;

use super::awards::{AwardKind, AwardRule, EntryConditions, RetirementAge};
use super::raw::{RawAward, RawEntry};
use super::read::Loader;
use crate::bilingual::Msg;
use crate::registry::CompetitionTier;

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn award<'a>(
        &mut self,
        path: &'a str,
        r: &RawAward,
        ids: &mut HashMap<String, &'a str>,
    ) -> Option<AwardRule> {
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("奖项规则 id", "award rule id"));
        self.text(&format!("{path}.source"), &r.source);
        let tier = CompetitionTier::parse(&r.tier);
        if tier.is_none() {
            self.err(
                &format!("{path}.tier"),
                Msg::new(
                    format!("竞赛级别无法识别：“{}”（可用：{}）", r.tier, CompetitionTier::allowed()),
                    format!("unknown competition tier \"{}\" (allowed: {})", r.tier, CompetitionTier::allowed()),
                ),
            );
        }
        let award = AwardKind::parse(&r.award);
        if award.is_none() {
            self.err(
                &format!("{path}.award"),
                Msg::new(
                    format!(
                        "奖项无法识别：“{}”（可用：gold 金牌、silver 银牌、bronze 铜牌、excellence 优胜奖）",
                        r.award
                    ),
                    format!("unknown award \"{}\" (allowed: gold, silver, bronze, excellence)", r.award),
                ),
            );
        }
        let band = self.band(path, r.ranks.as_ref(), r.top_percent);
        let inferred = self.inferred(path, r.inferred_zh.as_ref(), r.inferred_en.as_ref());
        Some(AwardRule {
            id: r.id.clone(),
            tier: tier?,
            competitions: r.competitions.iter().map(|c| c.trim().to_owned()).collect(),
            award: award?,
            band: band?,
            min_standardised: r.min_standardised,
            source: r.source.clone(),
            inferred: inferred?,
        })
    }

    pub(super) fn entry(&mut self, raw: Option<&RawEntry>) -> EntryConditions {
        let Some(e) = raw else {
            return EntryConditions::default();
        };
        self.text("competition.entry.source", &e.source);
        let mut retirement = Vec::new();
        for (i, r) in e.retirement.iter().enumerate() {
            let path = format!("competition.entry.retirement[{i}]");
            let male = match r.sex.as_str() {
                "male" | "男" => Some(true),
                "female" | "女" => Some(false),
                _ => {
                    self.err(&format!("{path}.sex"), Msg::new("性别应为 male 或 female", "sex must be male or female"));
                    None
                }
            };
            let birth = r.from_birth.split_once('-').and_then(|(y, m)| {
                let (y, m) = (y.parse::<i32>().ok()?, m.parse::<u8>().ok()?);
                (1900..=2100).contains(&y).then_some(())?;
                (1..=12).contains(&m).then_some((y, m))
            });
            if birth.is_none() {
                self.err(
                    &format!("{path}.from_birth"),
                    Msg::new("出生年月应写作 YYYY-MM，如 1965-01", "from_birth must be YYYY-MM, e.g. 1965-01"),
                );
            }
            if r.step_months == 0 {
                self.err(&format!("{path}.step_months"), Msg::new("间隔月数应大于 0", "step_months must be above 0"));
            }
            if let (Some(male), Some(from_birth)) = (male, birth) {
                retirement.push(RetirementAge {
                    male,
                    base_years: r.base_years,
                    from_birth,
                    step_months: r.step_months,
                    max_extra_months: r.max_extra_months,
                });
            }
        }
        EntryConditions { min_age: e.min_age, retirement, source: e.source.clone() }
    }
}
