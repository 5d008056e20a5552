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
            tie_margin: r.tie_margin,
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
        let mut age_caps = Vec::new();
        for (i, c) in e.age_caps.iter().enumerate() {
            let path = format!("competition.entry.age_caps[{i}]");
            self.text(&format!("{path}.source"), &c.source);
            if c.competitions.is_empty() || c.competitions.iter().any(|n| n.trim().is_empty()) {
                self.err(
                    &format!("{path}.competitions"),
                    Msg::new("须列出适用的竞赛名称（不能为空）", "list the competitions it applies to (none empty)"),
                );
                continue;
            }
            age_caps.push(super::awards::AgeCap {
                competitions: c.competitions.iter().map(|n| n.trim().to_owned()).collect(),
                max_age: c.max_age,
                source: c.source.clone(),
            });
        }
        EntryConditions { min_age: e.min_age, retirement, age_caps, source: e.source.clone() }
    }
}

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn reward<'a>(
        &mut self,
        path: &'a str,
        r: &super::raw::RawReward,
        ids: &mut HashMap<String, &'a str>,
    ) -> Option<super::awards::RewardRule> {
        use super::awards::{RewardKind, RewardRule};
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("奖励规则 id", "reward rule id"));
        self.text(&format!("{path}.source"), &r.source);
        self.text(&format!("{path}.name_zh"), &r.name_zh);
        self.text(&format!("{path}.name_en"), &r.name_en);
        let kind = RewardKind::parse(&r.kind);
        if kind.is_none() {
            self.err(
                &format!("{path}.kind"),
                Msg::new(
                    "种类应为 cash（奖金）、honour（荣誉）或 admission（升学）",
                    "kind must be cash, honour or admission",
                ),
            );
        }
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
        let group = match r.group.as_deref() {
            None => Some(None),
            Some(g) => match crate::registry::CompetitionGroup::parse(g) {
                Some(g) => Some(Some(g)),
                None => {
                    self.err(&format!("{path}.group"), Msg::new("组别无法识别", "unknown group"));
                    None
                }
            },
        };
        let award = match r.award.as_deref() {
            None => Some(None),
            Some(a) => match AwardKind::parse(a) {
                Some(a) => Some(Some(a)),
                None => {
                    self.err(&format!("{path}.award"), Msg::new("奖项无法识别", "unknown award"));
                    None
                }
            },
        };
        let band = if r.ranks.is_none() && r.top_percent.is_none() {
            if r.award.is_none() {
                self.err(
                    path,
                    Msg::new("须填写 ranks、top_percent 或 award 之一", "give one of ranks, top_percent and award"),
                );
                None
            } else {
                Some(None)
            }
        } else {
            self.band(path, r.ranks.as_ref(), r.top_percent).map(Some)
        };
        if kind == Some(RewardKind::Cash) && r.amount_yuan.is_none_or(|a| a == 0) {
            self.err(
                &format!("{path}.amount_yuan"),
                Msg::new("奖金须填写金额（元）", "a cash reward needs amount_yuan"),
            );
        }
        let inferred = self.inferred(path, r.inferred_zh.as_ref(), r.inferred_en.as_ref());
        let from = self.date(&format!("{path}.effective_from"), &r.effective_from);
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        Some(RewardRule {
            id: r.id.clone(),
            kind: kind?,
            tier: tier?,
            group: group?,
            competitions: r.competitions.iter().map(|c| c.trim().to_owned()).collect(),
            band: band?,
            award: award?,
            amount_yuan: r.amount_yuan,
            employer_matches: r.employer_matches,
            name: Msg::new(r.name_zh.clone(), r.name_en.clone()),
            effective_from: from?,
            effective_to: to?,
            source: r.source.clone(),
            inferred: inferred?,
        })
    }
}
