//! Projecting a yearly or quarterly series forward: Holt's linear trend (double exponential
//! smoothing), with an approximate uncertainty band, and the first period — and the quarter — in
//! which a projection meets a target.
//!
//! The method, for values `y₀ … yₙ₋₁` at consecutive periods (year-ends, or quarter-ends; a
//! "step" below is one period):
//!
//! - level `ℓ₀ = y₀`, trend `b₀ = y₁ − y₀`;
//! - for `t = 1 … n−1`: one-step forecast `ŷₜ = ℓₜ₋₁ + bₜ₋₁`, error `eₜ = yₜ − ŷₜ`,
//!   `ℓₜ = α·yₜ + (1−α)·(ℓₜ₋₁ + bₜ₋₁)`, `bₜ = β·(ℓₜ − ℓₜ₋₁) + (1−β)·bₜ₋₁`;
//! - the forecast `h` steps after the last value is `ℓₙ₋₁ + h·bₙ₋₁`.
//!
//! `α` and `β` are chosen from the grid 0.1, 0.2, … 0.9 (each) by the smallest sum of squared
//! one-step errors over `t = 2 … n−1` (`e₁` is zero by construction of `b₀`, so it says
//! nothing); ties keep the smaller `α`, then the smaller `β`. With three points or more the
//! band is `± 1.96 × RMSE × √h`, where RMSE is the root mean square of those one-step errors.
//! This is an approximation — a normal error that grows like a random walk — and not the exact
//! prediction interval of the Holt model (which widens faster when the trend is uncertain); it
//! is meant to show the order of the uncertainty, not a calibrated 95 % interval.
//!
//! With two points the projection is the straight line through them, with one point the value
//! itself (no trend); neither has errors to measure, so neither has a band.
//!
//! Whether a value meets a target is decided at nine decimals, so that arithmetic noise in a
//! projected `0.4000000000001` does not decide a `> 0.40` target.
//!
//! The quarter of reaching: a quarterly fit meets the target at a quarter-end, which is the
//! quarter. A yearly fit meets it at a year-end `last + h`; the quarter within that year is
//! found on the same straight line, `ℓ + t·b` at `t = h − 1 + q/4` for `q = 1 … 4` (the first
//! quarter-end whose value meets the target; `q = 4` is the year-end itself, which does). A
//! target already met by the last observed value is reached in the period of that value (the
//! fourth quarter of a year-end): when exactly it was crossed before is not projected.
//! Quarterly values carry no seasonal term; KPI shares move with levels granted through the
//! year, and a strong seasonal pattern would widen the band rather than bias the trend.

use serde::{Serialize, Serializer};
use time::{Date, Month};

use crate::policy::Comparison;

/// How many years past the last value [`Fit::first_reached`] looks by default.
pub const HORIZON_YEARS: i32 = 15;

/// The z value of the band: ± 1.96 standard errors.
pub const BAND_Z: f64 = 1.96;

/// The smoothing parameters tried, for both `α` and `β`.
pub const GRID: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/// The spacing of a series: year-ends or quarter-ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    #[default]
    Year,
    Quarter,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Year => "year",
            Step::Quarter => "quarter",
        }
    }

    /// `year` or `quarter`.
    pub fn parse(s: &str) -> Option<Step> {
        match s.trim() {
            "year" => Some(Step::Year),
            "quarter" => Some(Step::Quarter),
            _ => None,
        }
    }

    /// Periods in a year: 1 or 4.
    pub fn per_year(self) -> i32 {
        match self {
            Step::Year => 1,
            Step::Quarter => 4,
        }
    }
}

/// A year or a quarter, as a count of steps (`year`, or `4·year + quarter − 1`), so that
/// consecutive periods differ by one. Serialized as its label: `2024` or `2024-Q3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub step: Step,
    pub index: i32,
}

impl Period {
    /// The year `year` (a yearly period).
    pub fn of_year(year: i32) -> Period {
        Period { step: Step::Year, index: year }
    }

    /// Quarter `q` (1–4) of `year`.
    pub fn of_quarter(year: i32, q: u8) -> Period {
        Period { step: Step::Quarter, index: year * 4 + i32::from(q.clamp(1, 4)) - 1 }
    }

    /// The first (`last = false`) or last period of `year` at `step`.
    pub fn in_year(step: Step, year: i32, last: bool) -> Period {
        match step {
            Step::Year => Period::of_year(year),
            Step::Quarter => Period::of_quarter(year, if last { 4 } else { 1 }),
        }
    }

    /// The period at `step` that holds `date`.
    pub fn containing(step: Step, date: Date) -> Period {
        match step {
            Step::Year => Period::of_year(date.year()),
            Step::Quarter => Period::of_quarter(date.year(), (u8::from(date.month()) - 1) / 3 + 1),
        }
    }

    pub fn year(self) -> i32 {
        self.index.div_euclid(self.step.per_year())
    }

    /// 1–4 for a quarter, `None` for a year.
    pub fn quarter(self) -> Option<u8> {
        (self.step == Step::Quarter).then(|| self.index.rem_euclid(4) as u8 + 1)
    }

    /// `h` steps later (earlier when negative).
    pub fn plus(self, h: i32) -> Period {
        Period { index: self.index + h, ..self }
    }

    /// The last day: 31 December, or 31 March, 30 June, 30 September, 31 December.
    pub fn end(self) -> Date {
        let (month, day) = match self.quarter() {
            Some(1) => (Month::March, 31),
            Some(2) => (Month::June, 30),
            Some(3) => (Month::September, 30),
            _ => (Month::December, 31),
        };
        Date::from_calendar_date(self.year(), month, day).unwrap_or(Date::MAX)
    }

    /// The first day.
    pub fn start(self) -> Date {
        let month = match self.quarter() {
            Some(2) => Month::April,
            Some(3) => Month::July,
            Some(4) => Month::October,
            _ => Month::January,
        };
        Date::from_calendar_date(self.year(), month, 1).unwrap_or(Date::MIN)
    }

    /// `2024` or `2024-Q3`.
    pub fn label(self) -> String {
        match self.quarter() {
            Some(q) => format!("{}-Q{q}", self.year()),
            None => self.year().to_string(),
        }
    }

    /// `2024 年` or `2024 年第 3 季度`.
    pub fn label_zh(self) -> String {
        match self.quarter() {
            Some(q) => format!("{} 年第 {q} 季度", self.year()),
            None => format!("{} 年", self.year()),
        }
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.label())
    }
}

/// Which model a fit fell back to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Holt's linear trend, three points or more.
    Holt,
    /// Two points: the straight line through them.
    Line,
    /// One point: the value itself, no trend.
    Constant,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Holt => "holt",
            Method::Line => "line",
            Method::Constant => "constant",
        }
    }
}

/// A fitted model of a yearly or quarterly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub method: Method,
    /// The spacing of the values fitted; `trend` and the band's `h` count in these steps.
    pub step: Step,
    /// The smoothing parameters chosen (Holt only).
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    /// Level and trend (per step) after the last value.
    pub level: f64,
    pub trend: f64,
    /// Root mean square of the one-step-ahead errors (Holt only).
    pub rmse: Option<f64>,
    /// The period of the first and of the last value fitted.
    pub first: Period,
    pub last: Period,
    /// The year of the first and of the last value fitted.
    pub first_year: i32,
    pub last_year: i32,
    /// The last value fitted, as observed.
    pub last_value: f64,
}

/// One projected period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Projected {
    /// The year of `period`.
    pub year: i32,
    pub period: Period,
    /// The central forecast.
    pub value: f64,
    /// The band (Holt only): `value ∓ 1.96 × RMSE × √h`.
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// The first period the series meets a target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reached {
    pub year: i32,
    /// 31 December of `year`.
    pub year_end: Date,
    /// The period of the fit's step in which it is met (`year` for a yearly fit).
    pub period: Period,
    /// The quarter in which it is met (`2027-Q3`): the period itself for a quarterly fit,
    /// interpolated on the trend line within the year for a yearly one (see the module notes).
    pub quarter: Period,
    /// The last day of `quarter`.
    pub quarter_end: Date,
    /// The value that meets it: observed when `observed`, else the central forecast.
    pub value: f64,
    /// `true` when the last observed value already meets the target.
    pub observed: bool,
}

/// Runs Holt's recursion; returns the final level and trend and the sum of squared one-step
/// errors over `t ≥ 2` with their count.
fn holt(values: &[f64], alpha: f64, beta: f64) -> (f64, f64, f64, usize) {
    let mut level = values[0];
    let mut trend = values[1] - values[0];
    let (mut sse, mut n) = (0.0, 0);
    for (t, &y) in values.iter().enumerate().skip(1) {
        let forecast = level + trend;
        if t >= 2 {
            sse += (y - forecast).powi(2);
            n += 1;
        }
        let previous = level;
        level = alpha * y + (1.0 - alpha) * forecast;
        trend = beta * (level - previous) + (1.0 - beta) * trend;
    }
    (level, trend, sse, n)
}

/// Fits `values`, one per consecutive year starting at `first_year`. `None` when there are no
/// values or one is not finite.
pub fn fit(first_year: i32, values: &[f64]) -> Option<Fit> {
    fit_from(Period::of_year(first_year), values)
}

/// Fits `values`, one per consecutive period starting at `first`.
pub fn fit_from(first: Period, values: &[f64]) -> Option<Fit> {
    let last_value = *values.last()?;
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let last = first.plus(values.len() as i32 - 1);
    let base = Fit {
        method: Method::Constant,
        step: first.step,
        alpha: None,
        beta: None,
        level: last_value,
        trend: 0.0,
        rmse: None,
        first,
        last,
        first_year: first.year(),
        last_year: last.year(),
        last_value,
    };
    match values.len() {
        1 => Some(base),
        2 => Some(Fit { method: Method::Line, trend: values[1] - values[0], ..base }),
        _ => {
            let mut best: Option<(f64, f64, f64, f64, f64, usize)> = None;
            for &alpha in &GRID {
                for &beta in &GRID {
                    let (level, trend, sse, n) = holt(values, alpha, beta);
                    if best.is_none_or(|b| sse < b.4) {
                        best = Some((alpha, beta, level, trend, sse, n));
                    }
                }
            }
            let (alpha, beta, level, trend, sse, n) = best?;
            Some(Fit {
                method: Method::Holt,
                alpha: Some(alpha),
                beta: Some(beta),
                level,
                trend,
                rmse: Some((sse / n as f64).sqrt()),
                ..base
            })
        }
    }
}

/// Fits the values of `points` (year, value), which need not be sorted: only the most recent
/// run of consecutive years is used, since the method assumes evenly spaced values.
pub fn fit_years(points: &[(i32, f64)]) -> Option<Fit> {
    let periods: Vec<(Period, f64)> = points.iter().map(|&(y, v)| (Period::of_year(y), v)).collect();
    fit_periods(&periods)
}

/// As [`fit_years`] for periods of one step (those of another step than the first are ignored).
pub fn fit_periods(points: &[(Period, f64)]) -> Option<Fit> {
    let step = points.first()?.0.step;
    let mut pts: Vec<(Period, f64)> = points.iter().copied().filter(|(p, v)| v.is_finite() && p.step == step).collect();
    pts.sort_by_key(|p| p.0);
    pts.dedup_by_key(|p| p.0);
    let last = pts.len().checked_sub(1)?;
    let mut start = last;
    while start > 0 && pts[start - 1].0.plus(1) == pts[start].0 {
        start -= 1;
    }
    let values: Vec<f64> = pts[start..].iter().map(|p| p.1).collect();
    fit_from(pts[start].0, &values)
}

/// 31 December of `year`.
pub fn year_end(year: i32) -> Date {
    Date::from_calendar_date(year, Month::December, 31).unwrap_or(Date::MAX)
}

/// Whether `value` meets `target`, both compared at nine decimals.
pub fn meets(value: f64, target: f64, comparison: Comparison) -> bool {
    let round = |v: f64| (v * 1e9).round() / 1e9;
    comparison.holds(round(value), round(target))
}

impl Fit {
    /// The projection `h ≥ 1` steps after the last value.
    pub fn forecast(&self, h: i32) -> Projected {
        let value = self.level + h as f64 * self.trend;
        let half = self.rmse.map(|r| BAND_Z * r * (h.max(0) as f64).sqrt());
        let period = self.last.plus(h);
        Projected { year: period.year(), period, value, low: half.map(|d| value - d), high: half.map(|d| value + d) }
    }

    /// Projections for the periods after the last value up to the last period of `to_year`.
    pub fn project_to(&self, to_year: i32) -> Vec<Projected> {
        (1..=self.steps_to(to_year)).map(|h| self.forecast(h)).collect()
    }

    /// Steps from the last value to the last period of `year` (negative when before it).
    pub fn steps_to(&self, year: i32) -> i32 {
        Period::in_year(self.step, year, true).index - self.last.index
    }

    /// The first period from `from_year` on (and not before the last value's) in which the
    /// series meets the target: the last observed value if it does, else the first central
    /// forecast that does, looking `horizon` steps past the last value. `None` if none does.
    pub fn first_reached(&self, target: f64, comparison: Comparison, from_year: i32, horizon: i32) -> Option<Reached> {
        let start = (Period::in_year(self.step, from_year, false).index - self.last.index).max(0);
        (start..=horizon).find_map(|h| {
            let (value, observed) = if h == 0 { (self.last_value, true) } else { (self.forecast(h).value, false) };
            if !meets(value, target, comparison) {
                return None;
            }
            let period = self.last.plus(h);
            let quarter = match (self.step, observed) {
                (Step::Quarter, _) => period,
                (Step::Year, true) => Period::of_quarter(period.year(), 4),
                (Step::Year, false) => {
                    // On the line ℓ + t·b, the first quarter-end of the year that meets it.
                    let q = (1..=4u8)
                        .find(|&q| {
                            let t = (h - 1) as f64 + f64::from(q) / 4.0;
                            meets(self.level + t * self.trend, target, comparison)
                        })
                        .unwrap_or(4);
                    Period::of_quarter(period.year(), q)
                }
            };
            Some(Reached {
                year: period.year(),
                year_end: year_end(period.year()),
                period,
                quarter,
                quarter_end: quarter.end(),
                value,
                observed,
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_straight_line_is_projected_exactly() {
        let f = fit(2021, &[0.10, 0.15, 0.20, 0.25, 0.30]).unwrap();
        assert_eq!((f.method, f.last_year), (Method::Holt, 2025));
        assert!(close(f.trend, 0.05) && close(f.level, 0.30), "{f:?}");
        assert!(close(f.forecast(2).value, 0.40));
        assert!(f.rmse.unwrap() < 1e-12);
        // 0.35 in 2026 is not > 0.35 … 0.40 in 2027 is ≥ 0.40; > 0.40 only in 2028.
        assert_eq!(f.first_reached(0.35, Comparison::Greater, 2021, 15).map(|r| r.year), Some(2027));
        assert_eq!(f.first_reached(0.40, Comparison::GreaterOrEqual, 2021, 15).map(|r| r.year), Some(2027));
        assert_eq!(f.first_reached(0.40, Comparison::Greater, 2021, 15).map(|r| r.year), Some(2028));
        let r = f.first_reached(0.30, Comparison::GreaterOrEqual, 2021, 15).unwrap();
        assert_eq!((r.year, r.observed, r.year_end), (2025, true, time::macros::date!(2025 - 12 - 31)));
        // Beyond the horizon: 0.30 + 0.05·h > 2 needs h ≥ 34.
        assert_eq!(f.first_reached(2.0, Comparison::Greater, 2021, 15), None);
    }

    #[test]
    fn periods_are_years_or_quarters() {
        let q = Period::containing(Step::Quarter, time::macros::date!(2025 - 08 - 15));
        assert_eq!((q.year(), q.quarter(), q.label()), (2025, Some(3), "2025-Q3".to_string()));
        assert_eq!((q.start(), q.end()), (time::macros::date!(2025 - 07 - 01), time::macros::date!(2025 - 09 - 30)));
        assert_eq!(q.plus(2).label(), "2026-Q1");
        assert_eq!(q.plus(2).label_zh(), "2026 年第 1 季度");
        assert_eq!(Period::of_quarter(2024, 1).plus(-1), Period::of_quarter(2023, 4));
        assert_eq!(Period::of_quarter(2024, 2).end(), time::macros::date!(2024 - 06 - 30));
        let y = Period::containing(Step::Year, time::macros::date!(2025 - 08 - 15));
        assert_eq!((y.label(), y.quarter(), y.end()), ("2025".to_string(), None, time::macros::date!(2025 - 12 - 31)));
        assert_eq!((Step::parse("quarter"), Step::parse("month")), (Some(Step::Quarter), None));
    }

    #[test]
    fn a_yearly_fit_names_the_quarter_on_its_line() {
        // 0.30 at the end of 2025, +0.05 a year: the line is 0.30 + 0.05·t (t in years).
        let f = fit(2021, &[0.10, 0.15, 0.20, 0.25, 0.30]).unwrap();
        let quarter = |target: f64, cmp| f.first_reached(target, cmp, 2021, 15).map(|r| (r.year, r.quarter.label()));
        // > 0.35: 2026 gives 0.35 exactly (no), 2027 does; in 2027 t = 1.25 → 0.3625 > 0.35: Q1.
        assert_eq!(quarter(0.35, Comparison::Greater), Some((2027, "2027-Q1".into())));
        // > 0.37: t = 1.25 → 0.3625 (no), t = 1.5 → 0.375: Q2.
        assert_eq!(quarter(0.37, Comparison::Greater), Some((2027, "2027-Q2".into())));
        // ≥ 0.40: 0.3625, 0.375, 0.3875, then 0.40 at the year-end: Q4.
        let r = f.first_reached(0.40, Comparison::GreaterOrEqual, 2021, 15).unwrap();
        assert_eq!((r.quarter.label(), r.quarter_end), ("2027-Q4".into(), time::macros::date!(2027 - 12 - 31)));
        // Already met by the last year-end: its fourth quarter.
        assert_eq!(quarter(0.30, Comparison::GreaterOrEqual), Some((2025, "2025-Q4".into())));
    }

    #[test]
    fn a_quarterly_fit_projects_in_quarters() {
        let f = fit_from(Period::of_quarter(2024, 1), &[0.10, 0.12, 0.14, 0.16]).unwrap();
        assert_eq!((f.step, f.last.label(), f.first_year, f.last_year), (Step::Quarter, "2024-Q4".into(), 2024, 2024));
        assert!(close(f.trend, 0.02), "{f:?}");
        let p = f.forecast(3);
        assert_eq!((p.period.label(), p.year), ("2025-Q3".into(), 2025));
        assert!(close(p.value, 0.22));
        // > 0.20: 0.18 (Q1), 0.20 (Q2, not above), 0.22 (Q3).
        let r = f.first_reached(0.20, Comparison::Greater, 2024, 60).unwrap();
        assert_eq!((r.year, r.quarter.label(), r.period, r.observed), (2025, "2025-Q3".into(), r.quarter, false));
        assert_eq!(r.quarter_end, time::macros::date!(2025 - 09 - 30));
        // Projections run to the last quarter of the year asked.
        assert_eq!(f.project_to(2026).last().map(|p| p.period.label()), Some("2026-Q4".into()));
        assert_eq!(f.project_to(2026).len(), 8);
        // Only the latest run of consecutive quarters is fitted.
        let g = fit_periods(&[
            (Period::of_quarter(2023, 1), 0.9),
            (Period::of_quarter(2023, 3), 0.1),
            (Period::of_quarter(2023, 4), 0.2),
        ])
        .unwrap();
        assert_eq!((g.method, g.first.label()), (Method::Line, "2023-Q3".into()));
    }

    #[test]
    fn few_points_fall_back() {
        let one = fit(2025, &[0.3]).unwrap();
        assert_eq!((one.method, one.trend, one.rmse), (Method::Constant, 0.0, None));
        assert_eq!(
            one.forecast(3),
            Projected { year: 2028, period: Period::of_year(2028), value: 0.3, low: None, high: None }
        );
        let two = fit(2024, &[0.2, 0.3]).unwrap();
        assert_eq!(two.method, Method::Line);
        assert!(close(two.forecast(1).value, 0.4));
        assert_eq!(two.first_reached(0.45, Comparison::Greater, 2024, 15).map(|r| r.year), Some(2027));
        assert_eq!(fit(2025, &[]), None);
        assert_eq!(fit(2025, &[f64::NAN, 1.0]), None);
    }

    #[test]
    fn the_band_comes_from_the_one_step_errors() {
        let f = fit(2018, &[0.10, 0.14, 0.15, 0.21, 0.22, 0.28, 0.29]).unwrap();
        let rmse = f.rmse.unwrap();
        assert!(rmse > 0.0);
        let p1 = f.forecast(1);
        let p4 = f.forecast(4);
        assert!(close(p1.high.unwrap() - p1.value, 1.96 * rmse));
        assert!(close(p4.high.unwrap() - p4.value, 1.96 * rmse * 2.0));
        assert!(close(p4.value - p4.low.unwrap(), 1.96 * rmse * 2.0));
        // The chosen parameters are the best of the grid.
        let best = holt(&[0.10, 0.14, 0.15, 0.21, 0.22, 0.28, 0.29], f.alpha.unwrap(), f.beta.unwrap()).2;
        for a in GRID {
            for b in GRID {
                assert!(holt(&[0.10, 0.14, 0.15, 0.21, 0.22, 0.28, 0.29], a, b).2 >= best);
            }
        }
    }

    #[test]
    fn only_the_latest_consecutive_years_are_fitted() {
        let f = fit_years(&[(2025, 0.3), (2019, 0.9), (2024, 0.25), (2023, 0.2)]).unwrap();
        assert_eq!((f.first_year, f.last_year), (2023, 2025));
        assert!(close(f.forecast(1).value, 0.35));
        assert_eq!(fit_years(&[]), None);
    }

    fn series() -> impl Strategy<Value = Vec<f64>> {
        proptest::collection::vec(0.0f64..1.0, 1..12)
    }

    proptest! {
        #[test]
        fn linear_series_are_projected_exactly(a in -1.0f64..1.0, b in -0.2f64..0.2, n in 2usize..12, h in 1i32..15) {
            let values: Vec<f64> = (0..n).map(|t| a + b * t as f64).collect();
            let f = fit(2000, &values).unwrap();
            let expected = a + b * (n as i32 - 1 + h) as f64;
            prop_assert!((f.forecast(h).value - expected).abs() < 1e-9, "{:?} {}", f, expected);
            if let Some(r) = f.rmse {
                prop_assert!(r < 1e-9);
            }
        }

        #[test]
        fn constant_series_stay_constant_with_no_band(c in -1.0f64..1.0, n in 3usize..12, h in 1i32..30) {
            let f = fit(2000, &vec![c; n]).unwrap();
            let p = f.forecast(h);
            prop_assert!((p.value - c).abs() < 1e-12, "{:?}", p);
            prop_assert!(f.rmse.is_some_and(|r| r < 1e-12), "{:?}", f);
            prop_assert!((p.high.unwrap() - p.value).abs() < 1e-12 && (p.value - p.low.unwrap()).abs() < 1e-12);
        }

        #[test]
        fn a_target_already_met_is_reached_in_the_last_year(values in series(), ge in any::<bool>()) {
            let f = fit(2010, &values).unwrap();
            let last = *values.last().unwrap();
            let cmp = if ge { Comparison::GreaterOrEqual } else { Comparison::Greater };
            let target = if ge { last } else { last - 0.001 };
            let r = f.first_reached(target, cmp, 2010, HORIZON_YEARS).unwrap();
            prop_assert_eq!((r.year, r.observed), (f.last_year, true));
        }

        #[test]
        fn increasing_data_is_never_projected_to_reach_before_the_data(
            steps in proptest::collection::vec(0.0f64..0.1, 1..10),
            target in 0.0f64..1.5,
        ) {
            let values: Vec<f64> = steps.iter().scan(0.0, |s, d| { *s += d; Some(*s) }).collect();
            let f = fit(2015, &values).unwrap();
            if let Some(r) = f.first_reached(target, Comparison::GreaterOrEqual, 2000, HORIZON_YEARS) {
                prop_assert!(r.year >= f.last_year);
                prop_assert!(r.year <= f.last_year + HORIZON_YEARS);
                prop_assert!(r.value >= target - 1e-9);
                prop_assert_eq!(r.observed, r.year == f.last_year);
                // Every year before it falls short.
                for h in 1..(r.year - f.last_year) {
                    prop_assert!(!meets(f.forecast(h).value, target, Comparison::GreaterOrEqual));
                }
            }
        }

        #[test]
        fn the_band_holds_the_forecast_and_widens(values in series(), h in 1i32..20) {
            let f = fit(2010, &values).unwrap();
            let (a, b) = (f.forecast(h), f.forecast(h + 1));
            if let (Some(lo), Some(hi), Some(lo2), Some(hi2)) = (a.low, a.high, b.low, b.high) {
                prop_assert!(lo <= a.value && a.value <= hi);
                prop_assert!(hi2 - b.value >= hi - a.value - 1e-12);
                prop_assert!(b.value - lo2 >= a.value - lo - 1e-12);
            } else {
                prop_assert!(values.len() < 3);
            }
        }
    }
}
