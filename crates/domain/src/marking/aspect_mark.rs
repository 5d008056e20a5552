//! An aspect's mark from its judges' scores, and whether an entry's marks can be signed off.
//!
//! Measurement: every judge who marked records 1 (the aspect's marks awarded) or 0 (none); the
//! judges must agree, else the aspect waits for reconciliation. Judgement: at least
//! `MIN_JUDGES` judges score 0–3; scores more than one point apart (e.g. 1 and 3) must be
//! reconciled before the mark stands (WorldSkills marking rules); the mark is then
//! average score ÷ 3 × the aspect's maximum, rounded half up to a hundredth of a mark.

use serde::Serialize;

use super::scheme::{Aspect, AspectKind, MIN_JUDGES, Scheme};
use crate::bilingual::Msg;

/// One judge's score on one aspect: 0/1 for measurement, 0–3 for judgement.
pub type Score = u8;

/// Checks a score against its aspect.
pub fn check_score(aspect: &Aspect, value: i64) -> Result<Score, Msg> {
    let top = match aspect.kind {
        AspectKind::Measurement => 1,
        AspectKind::Judgement => 3,
    };
    match u8::try_from(value) {
        Ok(v) if i64::from(v) <= top => Ok(v),
        _ => Err(match aspect.kind {
            AspectKind::Measurement => Msg::new(
                format!("测量项 {} 只能记 1（得分）或 0（不得分），不能记 {value}", aspect.code),
                format!("measurement aspect {} takes 1 (marks awarded) or 0 (none), not {value}", aspect.code),
            ),
            AspectKind::Judgement => Msg::new(
                format!("评价项 {} 的评分应为 0 到 3，不能记 {value}", aspect.code),
                format!("judgement aspect {} takes a score of 0 to 3, not {value}", aspect.code),
            ),
        }),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AspectMark {
    /// The mark stands: hundredths of a mark.
    Complete { hundredths: u32 },
    /// Not enough judges have marked.
    Missing { have: usize, need: usize },
    /// The judges are too far apart: reconcile and mark again.
    Disagree { low: Score, high: Score },
}

impl AspectMark {
    pub fn explain(self, code: &str) -> Msg {
        match self {
            AspectMark::Complete { hundredths } => {
                Msg::new(format!("{code}：{}", show(hundredths)), format!("{code}: {}", show(hundredths)))
            }
            AspectMark::Missing { have, need } => Msg::new(
                format!("{code}：已有 {have} 名裁判评分，需要 {need} 名"),
                format!("{code}: {have} judge(s) marked, {need} needed"),
            ),
            AspectMark::Disagree { low, high } => Msg::new(
                format!("{code}：裁判评分 {low} 与 {high} 相差超过 1 分，须协商一致后重新评分"),
                format!(
                    "{code}: judges' scores {low} and {high} are more than one point apart; reconcile and mark again"
                ),
            ),
        }
    }
}

/// `12.35`: hundredths of a mark shown as marks.
pub fn show(hundredths: u32) -> String {
    format!("{}.{:02}", hundredths / 100, hundredths % 100)
}

/// Integer division rounding half up.
fn div_round(n: u64, d: u64) -> u64 {
    (2 * n + d) / (2 * d)
}

/// The aspect's mark from the scores of distinct judges (one score each: their latest).
pub fn aspect_mark(aspect: &Aspect, scores: &[Score]) -> AspectMark {
    let need = match aspect.kind {
        AspectKind::Measurement => 1,
        AspectKind::Judgement => MIN_JUDGES,
    };
    if scores.len() < need {
        return AspectMark::Missing { have: scores.len(), need };
    }
    let (low, high) = (*scores.iter().min().unwrap_or(&0), *scores.iter().max().unwrap_or(&0));
    let max = u64::from(aspect.max_tenths) * 10;
    match aspect.kind {
        AspectKind::Measurement if low != high => AspectMark::Disagree { low, high },
        AspectKind::Measurement => AspectMark::Complete { hundredths: if high == 1 { max as u32 } else { 0 } },
        AspectKind::Judgement if high - low > 1 => AspectMark::Disagree { low, high },
        AspectKind::Judgement => {
            let sum: u64 = scores.iter().map(|&s| u64::from(s)).sum();
            let n = scores.len() as u64;
            AspectMark::Complete { hundredths: div_round(max * sum, 3 * n) as u32 }
        }
    }
}

/// An entry's marks, aspect by aspect, and whether they can be signed off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignOff {
    /// Per aspect in scheme order.
    pub aspects: Vec<(String, AspectMark)>,
    /// The raw total in hundredths of a mark, when every aspect's mark stands.
    pub total_hundredths: Option<u32>,
    /// Why it cannot be signed off yet, one line per aspect.
    pub blockers: Vec<Msg>,
}

/// The entry's total: `scores(code)` gives the judges' latest scores on an aspect.
pub fn entry_total<'a>(scheme: &Scheme, scores: impl Fn(&str) -> &'a [Score]) -> SignOff {
    let mut out = SignOff { aspects: Vec::new(), total_hundredths: None, blockers: Vec::new() };
    let mut total = 0u32;
    for a in &scheme.aspects {
        let m = aspect_mark(a, scores(&a.code));
        match m {
            AspectMark::Complete { hundredths } => total += hundredths,
            other => out.blockers.push(other.explain(&a.code)),
        }
        out.aspects.push((a.code.clone(), m));
    }
    if out.blockers.is_empty() {
        out.total_hundredths = Some(total);
    }
    out
}
