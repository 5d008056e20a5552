//! Projecting a yearly series forward: Holt's linear trend (double exponential smoothing), with
//! an approximate uncertainty band, and the first year a projection meets a target.
//!
//! The method, for values `y₀ … yₙ₋₁` at consecutive years:
//!
//! - level `ℓ₀ = y₀`, trend `b₀ = y₁ − y₀`;
//! - for `t = 1 … n−1`: one-step forecast `ŷₜ = ℓₜ₋₁ + bₜ₋₁`, error `eₜ = yₜ − ŷₜ`,
//!   `ℓₜ = α·yₜ + (1−α)·(ℓₜ₋₁ + bₜ₋₁)`, `bₜ = β·(ℓₜ − ℓₜ₋₁) + (1−β)·bₜ₋₁`;
//! - the forecast `h` years after the last value is `ℓₙ₋₁ + h·bₙ₋₁`.
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

use serde::Serialize;
use time::{Date, Month};

use crate::policy::Comparison;

/// How many years past the last value [`Fit::first_reached`] looks by default.
pub const HORIZON_YEARS: i32 = 15;

/// The z value of the band: ± 1.96 standard errors.
pub const BAND_Z: f64 = 1.96;

/// The smoothing parameters tried, for both `α` and `β`.
pub const GRID: [f64; 9] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/// Which model a fit fell back to.
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

/// A fitted model of a yearly series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    pub method: Method,
    /// The smoothing parameters chosen (Holt only).
    pub alpha: Option<f64>,
    pub beta: Option<f64>,
    /// Level and trend (per year) after the last value.
    pub level: f64,
    pub trend: f64,
    /// Root mean square of the one-step-ahead errors (Holt only).
    pub rmse: Option<f64>,
    /// The year of the first and of the last value fitted.
    pub first_year: i32,
    pub last_year: i32,
    /// The last value fitted, as observed.
    pub last_value: f64,
}

/// One projected year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Projected {
    pub year: i32,
    /// The central forecast.
    pub value: f64,
    /// The band (Holt only): `value ∓ 1.96 × RMSE × √h`.
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// The first year the series meets a target.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reached {
    pub year: i32,
    /// 31 December of `year`.
    pub year_end: Date,
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
    let last_value = *values.last()?;
    if values.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let last_year = first_year + values.len() as i32 - 1;
    let base = Fit {
        method: Method::Constant,
        alpha: None,
        beta: None,
        level: last_value,
        trend: 0.0,
        rmse: None,
        first_year,
        last_year,
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
    let mut pts: Vec<(i32, f64)> = points.iter().copied().filter(|(_, v)| v.is_finite()).collect();
    pts.sort_by_key(|p| p.0);
    pts.dedup_by_key(|p| p.0);
    let last = pts.len().checked_sub(1)?;
    let mut start = last;
    while start > 0 && pts[start - 1].0 + 1 == pts[start].0 {
        start -= 1;
    }
    let values: Vec<f64> = pts[start..].iter().map(|p| p.1).collect();
    fit(pts[start].0, &values)
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
    /// The projection `h ≥ 1` years after the last value.
    pub fn forecast(&self, h: i32) -> Projected {
        let value = self.level + h as f64 * self.trend;
        let half = self.rmse.map(|r| BAND_Z * r * (h.max(0) as f64).sqrt());
        Projected { year: self.last_year + h, value, low: half.map(|d| value - d), high: half.map(|d| value + d) }
    }

    /// Projections for the years after the last value up to `to_year` (inclusive).
    pub fn project_to(&self, to_year: i32) -> Vec<Projected> {
        (1..=to_year - self.last_year).map(|h| self.forecast(h)).collect()
    }

    /// The first year from `from_year` on (and not before the last value's year) in which the
    /// series meets the target: the last observed value if it does, else the first central
    /// forecast that does, looking `horizon` years past the last value. `None` if none does.
    pub fn first_reached(&self, target: f64, comparison: Comparison, from_year: i32, horizon: i32) -> Option<Reached> {
        let start = (from_year - self.last_year).max(0);
        (start..=horizon).find_map(|h| {
            let (value, observed) = if h == 0 { (self.last_value, true) } else { (self.forecast(h).value, false) };
            meets(value, target, comparison).then(|| Reached {
                year: self.last_year + h,
                year_end: year_end(self.last_year + h),
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
    fn few_points_fall_back() {
        let one = fit(2025, &[0.3]).unwrap();
        assert_eq!((one.method, one.trend, one.rmse), (Method::Constant, 0.0, None));
        assert_eq!(one.forecast(3), Projected { year: 2028, value: 0.3, low: None, high: None });
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
