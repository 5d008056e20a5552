//! Supply and demand of skills (供需): demand periods, the gap between the people enterprises
//! say they need and the people who hold the level, how short a skill is (紧缺程度), and how
//! much training would close a projected gap. Pure arithmetic; the counting is the store's.
//!
//! Decisions, stated once here and repeated in the outputs:
//! - **Supply counts holders of the level or above** in the same occupation: a 技师 can fill a
//!   post asking for a 高级工. A person counts once per occupation, at the highest level valid
//!   on the date asked.
//! - **Gap** = demand − supply (negative when supply exceeds demand). **Ratio** = demand ÷
//!   supply (like the 求人倍率 of the public employment service: needed per available holder);
//!   `None` when nobody holds the level.

use std::cmp::Ordering;

use serde::Serialize;

use crate::bilingual::Msg;

/// A demand period: a year, or a quarter of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    /// 1–4; `None` for the whole year.
    pub quarter: Option<u8>,
}

impl Period {
    /// Reads `2026`, `2026年`, `2026Q2`, `2026-Q2`, `2026 Q2`, `2026年第2季度`, `2026年第二季度`.
    pub fn parse(s: &str) -> Option<Period> {
        let t: String = s.trim().chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.to_uppercase();
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        if digits.len() != 4 {
            return None;
        }
        let year: i32 = digits.parse().ok()?;
        let rest = t[4..].trim_start_matches(['-', '年']);
        if rest.is_empty() {
            return Some(Period { year, quarter: None });
        }
        let q =
            if let Some(n) = rest.strip_prefix('Q') { n } else { rest.strip_prefix('第')?.strip_suffix("季度")? };
        let quarter = match q {
            "1" | "一" => 1,
            "2" | "二" => 2,
            "3" | "三" => 3,
            "4" | "四" => 4,
            _ => return None,
        };
        Some(Period { year, quarter: Some(quarter) })
    }

    /// `2026` or `2026Q2`.
    pub fn code(&self) -> String {
        match self.quarter {
            None => self.year.to_string(),
            Some(q) => format!("{}Q{q}", self.year),
        }
    }

    /// Quarter as stored: 0 for the whole year.
    pub fn quarter_number(&self) -> i16 {
        self.quarter.map(i16::from).unwrap_or(0)
    }

    pub fn from_stored(year: i32, quarter: i16) -> Period {
        Period { year, quarter: u8::try_from(quarter).ok().filter(|q| (1..=4).contains(q)) }
    }
}

/// Demand, supply and what follows from them for one occupation × level × group.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gap {
    pub demand: i64,
    pub supply: i64,
    /// demand − supply.
    pub gap: i64,
    /// demand ÷ supply; `None` when supply is 0.
    pub ratio: Option<f64>,
}

impl Gap {
    pub fn new(demand: i64, supply: i64) -> Gap {
        let ratio = (supply > 0).then(|| demand as f64 / supply as f64);
        Gap { demand, supply, gap: demand - supply, ratio }
    }

    /// Ranking order: the largest gap first, then the highest ratio (no supply ranks above any
    /// ratio), then the larger demand.
    pub fn rank_cmp(&self, other: &Gap) -> Ordering {
        let ratio = |g: &Gap| g.ratio.unwrap_or(f64::INFINITY);
        other
            .gap
            .cmp(&self.gap)
            .then_with(|| ratio(other).partial_cmp(&ratio(self)).unwrap_or(Ordering::Equal))
            .then_with(|| other.demand.cmp(&self.demand))
    }
}

/// Holders at each rank (index 0 = rank 1) → holders at that rank *or above*.
pub fn at_or_above(holders_at: &[i64; 8]) -> [i64; 8] {
    let mut out = [0; 8];
    let mut running = 0;
    for i in (0..8).rev() {
        running += holders_at[i];
        out[i] = running;
    }
    out
}

/// How short a skill is, as the shortage list says it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// 非常紧缺
    Acute,
    /// 紧缺
    Short,
    /// 较紧缺
    Moderate,
}

impl Severity {
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "acute" | "非常紧缺" => Severity::Acute,
            "short" | "紧缺" => Severity::Short,
            "moderate" | "较紧缺" => Severity::Moderate,
            _ => return None,
        })
    }

    pub fn code(self) -> &'static str {
        match self {
            Severity::Acute => "acute",
            Severity::Short => "short",
            Severity::Moderate => "moderate",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Severity::Acute => "非常紧缺",
            Severity::Short => "紧缺",
            Severity::Moderate => "较紧缺",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Severity::Acute => "acute shortage",
            Severity::Short => "shortage",
            Severity::Moderate => "moderate shortage",
        }
    }
}

/// One threshold of the policy's shortage scale: a gap reaching `min_gap` people *and* a ratio
/// reaching `min_ratio` (no supply at all meets any ratio).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Threshold {
    pub severity: Severity,
    pub min_ratio: f64,
    pub min_gap: i64,
}

/// The first (most severe) threshold `gap` meets; `None` = not on the shortage list.
/// `thresholds` are checked most severe first whatever their order in the file.
pub fn severity(gap: &Gap, thresholds: &[Threshold]) -> Option<Severity> {
    let mut sorted: Vec<&Threshold> = thresholds.iter().collect();
    sorted.sort_by_key(|t| t.severity);
    sorted
        .into_iter()
        .find(|t| gap.gap > 0 && gap.gap >= t.min_gap && gap.ratio.is_none_or(|r| r + 1e-9 >= t.min_ratio))
        .map(|t| t.severity)
}

/// People to train and certify each year so that a gap projected to reach `gap_at_target` in
/// `target_year` is closed by then, starting after `last_year`: the gap spread evenly over the
/// years left, rounded up. 0 when nothing is missing; `None` when no year is left.
pub fn training_per_year(gap_at_target: f64, last_year: i32, target_year: i32) -> Option<i64> {
    let years = target_year - last_year;
    if years <= 0 {
        return None;
    }
    if !gap_at_target.is_finite() || gap_at_target <= 0.0 {
        return Some(0);
    }
    Some((gap_at_target / f64::from(years) - 1e-9).ceil() as i64)
}

/// The sentence every supply figure carries.
pub fn supply_rule() -> Msg {
    Msg::new(
        "供给按同一职业持有该等级或更高等级的有效证书人数计（高等级可满足低等级需求），每人每职业按最高有效等级计一次",
        "supply counts holders of the level or above in the same occupation (a higher level can fill a \
         lower one); each person counts once per occupation, at the highest level valid on the date",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_the_ways_bureaus_write_them() {
        let q2 = Some(Period { year: 2026, quarter: Some(2) });
        assert_eq!(Period::parse("2026"), Some(Period { year: 2026, quarter: None }));
        assert_eq!(Period::parse("2026年"), Some(Period { year: 2026, quarter: None }));
        for s in ["2026Q2", "2026-q2", "2026 Q2", "2026年第2季度", "2026年第二季度"] {
            assert_eq!(Period::parse(s), q2, "{s}");
        }
        for s in ["", "26", "2026Q5", "2026-07", "二〇二六", "2026年第五季度"] {
            assert_eq!(Period::parse(s), None, "{s}");
        }
        assert_eq!(Period::parse("2026q3").map(|p| p.code()), Some("2026Q3".into()));
        assert_eq!(Period::from_stored(2026, 0).code(), "2026");
    }

    #[test]
    fn holders_of_a_higher_level_count_for_a_lower_one() {
        let at = [0, 5, 3, 0, 2, 0, 0, 1];
        assert_eq!(at_or_above(&at), [11, 11, 6, 3, 3, 1, 1, 1]);
    }

    #[test]
    fn gaps_rank_by_size_then_ratio() {
        let mut v = [Gap::new(10, 5), Gap::new(30, 10), Gap::new(8, 0), Gap::new(13, 8), Gap::new(2, 4)];
        v.sort_by(Gap::rank_cmp);
        let order: Vec<(i64, i64)> = v.iter().map(|g| (g.demand, g.supply)).collect();
        // gaps 20, 8 (no supply), 5 (ratio 2.0), 5 (ratio 1.625), -2
        assert_eq!(order, [(30, 10), (8, 0), (10, 5), (13, 8), (2, 4)]);
        assert_eq!(Gap::new(2, 4).ratio, Some(0.5));
    }

    #[test]
    fn severity_takes_the_most_severe_threshold_met() {
        let t = [
            Threshold { severity: Severity::Moderate, min_ratio: 1.0, min_gap: 1 },
            Threshold { severity: Severity::Acute, min_ratio: 3.0, min_gap: 10 },
            Threshold { severity: Severity::Short, min_ratio: 1.5, min_gap: 5 },
        ];
        assert_eq!(severity(&Gap::new(30, 10), &t), Some(Severity::Acute));
        assert_eq!(severity(&Gap::new(29, 10), &t), Some(Severity::Short));
        assert_eq!(severity(&Gap::new(12, 0), &t), Some(Severity::Acute));
        assert_eq!(severity(&Gap::new(4, 0), &t), Some(Severity::Moderate));
        assert_eq!(severity(&Gap::new(14, 10), &t), Some(Severity::Moderate));
        assert_eq!(severity(&Gap::new(10, 10), &t), None);
    }

    #[test]
    fn training_spreads_the_gap_over_the_years_left() {
        assert_eq!(training_per_year(100.0, 2026, 2030), Some(25));
        assert_eq!(training_per_year(101.0, 2026, 2030), Some(26));
        assert_eq!(training_per_year(-5.0, 2026, 2030), Some(0));
        assert_eq!(training_per_year(10.0, 2026, 2026), None);
    }
}
