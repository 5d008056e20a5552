//! The WorldSkills scale: raw totals (out of 100 marks) standardised so that scores of events
//! with different marking schemes compare.
//!
//! Source: the CIS "positions all competitors with the median mark in their skill competition at
//! the 700-point position", the others "typically fall between 600 and 800"
//! (https://skillshub.io/worldskills-scale/, cited in ANCHORS.md). The spread WSI uses is not
//! published; [I] we scale one population standard deviation of the event's raw totals to 100
//! points:
//!
//! ```text
//! standardised = 700 + (raw − median) ÷ sd × 100
//! ```
//!
//! where the median of an even count is the mean of the two middle totals and
//! sd = √(Σ (raw − mean)² ÷ n). An event whose totals do not spread (one entrant, or all equal)
//! puts everyone at 700. The result is rounded half away from zero to a tenth of a point.

/// The centre of the scale: the median's position.
pub const WS_CENTRE: i64 = 700;
/// Points for one standard deviation [I].
pub const WS_SPREAD: i64 = 100;

/// Standardised scores, in tenths of a point, for raw totals in hundredths of a mark (same order).
pub fn standardise(raw: &[u32]) -> Vec<i64> {
    let n = raw.len();
    if n == 0 {
        return Vec::new();
    }
    let mut sorted = raw.to_vec();
    sorted.sort_unstable();
    let median = if n % 2 == 1 {
        f64::from(sorted[n / 2])
    } else {
        (f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0
    };
    let mean = raw.iter().map(|&x| f64::from(x)).sum::<f64>() / n as f64;
    let var = raw.iter().map(|&x| (f64::from(x) - mean).powi(2)).sum::<f64>() / n as f64;
    let sd = var.sqrt();
    raw.iter()
        .map(|&x| {
            if sd < 1e-9 {
                WS_CENTRE * 10
            } else {
                (((f64::from(x) - median) / sd * WS_SPREAD as f64 + WS_CENTRE as f64) * 10.0).round() as i64
            }
        })
        .collect()
}
