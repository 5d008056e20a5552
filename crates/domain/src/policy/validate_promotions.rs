//! Checks of `[competition]` and `[[competition.promotions]]`, building `CompetitionRules`.

use std::collections::HashMap;

use super::competition_rules::CompetitionRules;
use super::model::LadderLevel;
use super::promotions::{PromotionRule, RankBand};
use super::raw::{RawAward, RawCompetition, RawPromotion, RawReward};
use super::read::Loader;
use crate::bilingual::Msg;
use crate::level::Level;
use crate::registry::{CompetitionGroup, CompetitionTier};

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn competition(
        &mut self,
        head: Option<&RawCompetition>,
        rows: &[(String, RawPromotion)],
        awards: &[(String, RawAward)],
        rewards: &[(String, RawReward)],
        ladder: &[LadderLevel],
    ) -> CompetitionRules {
        let Some(head) = head else {
            return CompetitionRules::default();
        };
        self.text("competition.source", &head.source);
        let mut ids = HashMap::new();
        let mut promotions = Vec::new();
        for (path, r) in rows {
            if let Some(rule) = self.promotion(path, r, ladder, &mut ids) {
                promotions.push(rule);
            }
        }
        let mut award_ids = HashMap::new();
        let awards = awards.iter().filter_map(|(path, r)| self.award(path, r, &mut award_ids)).collect();
        let entry = self.entry(head.entry.as_ref());
        let mut reward_ids = HashMap::new();
        let rewards = rewards.iter().filter_map(|(path, r)| self.reward(path, r, &mut reward_ids)).collect();
        CompetitionRules { source: head.source.clone(), promotions, awards, rewards, entry }
    }

    fn promotion<'a>(
        &mut self,
        path: &'a str,
        r: &RawPromotion,
        ladder: &[LadderLevel],
        ids: &mut HashMap<String, &'a str>,
    ) -> Option<PromotionRule> {
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("规则 id", "rule id"));
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
        let group = match r.group.as_deref().map(|g| (g, CompetitionGroup::parse(g))) {
            None => Some(None),
            Some((_, Some(g))) => Some(Some(g)),
            Some((g, None)) => {
                self.err(
                    &format!("{path}.group"),
                    Msg::new(
                        format!("组别无法识别：“{g}”（可用：{}；不填表示两组均适用）", CompetitionGroup::allowed()),
                        format!(
                            "unknown group \"{g}\" (allowed: {}; leave it out for both groups)",
                            CompetitionGroup::allowed()
                        ),
                    ),
                );
                None
            }
        };
        let band = self.band(path, r.ranks.as_ref(), r.top_percent);
        let award = self.level(ladder, &format!("{path}.award"), &r.award);
        let step_up_from = match r.step_up_from.as_deref() {
            None => Some(None),
            Some(name) => {
                let key = format!("{path}.step_up_from");
                match self.level(ladder, &key, name) {
                    Some(l) if l.rank() < Level::MAX => Some(Some(l)),
                    Some(_) => {
                        self.err(&key, Msg::new("最高等级没有上一级可晋升", "the highest level has no level above it"));
                        None
                    }
                    None => None,
                }
            }
        };
        if r.competitions.iter().any(|c| c.trim().is_empty()) {
            self.err(
                &format!("{path}.competitions"),
                Msg::new("竞赛名称不能为空", "a competition name must not be empty"),
            );
        }
        let inferred = self.inferred(path, r.inferred_zh.as_ref(), r.inferred_en.as_ref());
        let from = self.date(&format!("{path}.effective_from"), &r.effective_from);
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        self.range(path, from, to.flatten());
        Some(PromotionRule {
            id: r.id.clone(),
            tier: tier?,
            group: group?,
            band: band?,
            award: award?,
            step_up_from: step_up_from?,
            competitions: r.competitions.iter().map(|c| c.trim().to_owned()).collect(),
            effective_from: from?,
            effective_to: to?,
            source: r.source.clone(),
            inferred: inferred?,
        })
    }

    pub(super) fn band(&mut self, path: &str, ranks: Option<&Vec<u32>>, top_percent: Option<u32>) -> Option<RankBand> {
        match (ranks, top_percent) {
            (Some(ranks), None) => match ranks.as_slice() {
                &[from, to] if 1 <= from && from <= to => Some(RankBand::Ranks { from, to }),
                _ => {
                    self.err(
                        &format!("{path}.ranks"),
                        Msg::new(
                            "名次范围应为 [起, 止]，1 ≤ 起 ≤ 止，例如 [1, 10]",
                            "ranks must be [from, to] with 1 ≤ from ≤ to, e.g. [1, 10]",
                        ),
                    );
                    None
                }
            },
            (None, Some(percent)) if (1..=100).contains(&percent) => Some(RankBand::TopPercent { percent }),
            (None, Some(_)) => {
                self.err(
                    &format!("{path}.top_percent"),
                    Msg::new("百分比应在 1 到 100 之间", "the percentage must be within 1..=100"),
                );
                None
            }
            _ => {
                self.err(
                    path,
                    Msg::new(
                        "须填写 ranks（名次范围）或 top_percent（前百分之几）之一，且只能填一个",
                        "give exactly one of ranks (a range of places) and top_percent",
                    ),
                );
                None
            }
        }
    }
}
