//! 技能津贴 (`skill-allowance`): a monthly allowance by the highest level held on the day, from
//! the policy's schedule. Where the city has set none (Tianjin's was not found: `[GAP]`), the
//! decision says so — the structure is here, the amounts are the city's to fill in.

use time::Date;

use super::model::{BenefitDecision, Condition, Record};
use crate::bilingual::Msg;
use crate::policy::{Policy, SkillAllowanceScheme};

pub(super) fn decide(policy: &Policy, s: &SkillAllowanceScheme, record: &Record, on: Date) -> BenefitDecision {
    let name = s.head.name();
    let ladder = &policy.ladder;
    let held = record.levels.iter().filter(|l| l.valid_on(on)).map(|l| l.level).max();
    let row = held.and_then(|h| s.monthly.iter().rev().find(|a| a.level <= h));
    let mut missing = Vec::new();
    let (condition, amount) = if !s.head.in_force(on) {
        (
            Condition::unmet(
                "in_force",
                None,
                Msg::new(format!("{}不在有效期内", name.zh), format!("the {} is not in force", name.en)),
            ),
            None,
        )
    } else if s.monthly.is_empty() {
        missing.push("schedule".to_owned());
        (
            Condition::missing(
                "schedule",
                Msg::new(
                    format!("本市尚未设定{}标准，无法计算", name.zh),
                    format!("the city has set no {} schedule: it cannot be computed", name.en),
                ),
            ),
            None,
        )
    } else {
        match (held, row) {
            (Some(h), Some(r)) => (
                Condition::met(
                    "min_level",
                    on,
                    Msg::new(
                        format!("持有{}，按{}标准每月 {} 元", ladder.name_zh(h), ladder.name_zh(r.level), r.yuan),
                        format!(
                            "holds {}: ¥{} a month at the {} rate",
                            ladder.name_en(h),
                            r.yuan,
                            ladder.name_en(r.level)
                        ),
                    ),
                ),
                Some(r.yuan),
            ),
            _ => {
                let lowest = s.monthly[0].level;
                (
                    Condition::unmet(
                        "min_level",
                        None,
                        Msg::new(
                            format!("需持有{}或以上", ladder.name_zh(lowest)),
                            format!("{} or above needed", ladder.name_en(lowest)),
                        ),
                    ),
                    None,
                )
            }
        }
    };
    let summary = match amount {
        Some(y) => {
            Msg::new(format!("可享受{}：每月 {y} 元", name.zh), format!("entitled to the {}: ¥{y} a month", name.en))
        }
        None => Msg::new(
            format!("暂无{}：{}", name.zh, condition.reason.zh),
            format!("no {}: {}", name.en, condition.reason.en),
        ),
    };
    let notes: Vec<Msg> = s.head.inferred_on(on).cloned().into_iter().collect();
    BenefitDecision {
        scheme: s.head.id.clone(),
        name,
        eligible: amount.is_some(),
        amount,
        reasons: vec![summary, condition.reason.clone()],
        conditions: vec![condition],
        certificates: Vec::new(),
        routes: Vec::new(),
        earliest_on: None,
        missing,
        inferred: !notes.is_empty(),
        inferred_notes: notes,
        source: s.head.source.clone(),
    }
}
