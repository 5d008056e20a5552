//! The KPIs at each year-end (or quarter-end), and a projection of each KPI that has a target to
//! its due date and beyond.
//!
//! A period's value is [`kpi::compute`] as of its last day (31 December; 31 March, 30 June,
//! 30 September, 31 December by quarter), or as of today for the current period (marked
//! `complete: false`: a period-to-date figure); periods that have not begun are left out. The
//! projection fits Holt's linear trend ([`gongjiang_domain::forecast`]) to the complete periods
//! only — a part-period figure would read as a fall in a rising series — in the chosen step, and
//! answers, per target, whether and in which quarter the central forecast meets it.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::forecast::{self, Fit, HORIZON_YEARS, Period, Projected, Reached, Step};
use gongjiang_domain::kpi::{DenominatorSource, Grouping, KpiRow};
use gongjiang_domain::policy::{Comparison, KpiKind, KpiTarget};
use serde::Serialize;
use time::Date;

use crate::kpi::{self, Definitions, TOTAL};
use crate::{App, AppError};

/// The most year-ends one request may ask for.
pub const MAX_YEARS: i32 = 31;

/// The earliest year accepted.
pub const MIN_YEAR: i32 = 1949;

/// Year-ends shown before the current year when the caller names no first year.
pub const DEFAULT_YEARS_BACK: i32 = 5;

/// The most years one quarterly request may span.
pub const MAX_QUARTER_YEARS: i32 = 10;

/// The first year shown when none is asked for: five years before the current one.
pub fn default_from(app: &App) -> i32 {
    app.today().year() - DEFAULT_YEARS_BACK
}

/// Checks a year range against today: `Err((parameter, message))` names the offending end
/// (`from` or `to`).
pub fn check_years(today: Date, from: i32, to: i32) -> Result<(), (&'static str, Msg)> {
    check_range(today, Step::Year, from, to)
}

/// [`check_years`] for a series in `step`: a quarterly one spans at most [`MAX_QUARTER_YEARS`].
pub fn check_range(today: Date, step: Step, from: i32, to: i32) -> Result<(), (&'static str, Msg)> {
    let now = today.year();
    if to > now {
        return Err((
            "to",
            Msg::new(
                format!("to 不能晚于今年（{now}），收到 {to}"),
                format!("to cannot be later than the current year ({now}), got {to}"),
            ),
        ));
    }
    if from < MIN_YEAR || from > to {
        return Err((
            "from",
            Msg::new(
                format!("from 应在 {MIN_YEAR} 与 {to} 之间，收到 {from}"),
                format!("from must be between {MIN_YEAR} and {to}, got {from}"),
            ),
        ));
    }
    if step == Step::Quarter && to - from + 1 > MAX_QUARTER_YEARS {
        return Err((
            "from",
            Msg::new(
                format!("按季度一次最多 {MAX_QUARTER_YEARS} 个年份（{from}–{to} 超出）"),
                format!("by quarter, at most {MAX_QUARTER_YEARS} years at a time ({from}–{to} is more)"),
            ),
        ));
    }
    if to - from + 1 > MAX_YEARS {
        return Err((
            "from",
            Msg::new(
                format!("一次最多 {MAX_YEARS} 个年份（{from}–{to} 超出）"),
                format!("at most {MAX_YEARS} years at a time ({from}–{to} is more)"),
            ),
        ));
    }
    Ok(())
}

/// One group's figures at one year-end or quarter-end.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearValue {
    pub year: i32,
    /// 1–4 in a quarterly series, `None` in a yearly one.
    pub quarter: Option<u8>,
    /// `2024` or `2024-Q3`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2024-Q3"))]
    pub period: Period,
    /// The period's last day, or today for the current period.
    #[serde(serialize_with = "gongjiang_domain::dates::serde_iso::serialize")]
    pub as_of: Date,
    /// `false` for the current period's figure as of today.
    pub complete: bool,
    /// The skilled share's denominator.
    pub employed_persons: Option<i64>,
    pub denominator_source: DenominatorSource,
    pub registry_employed: i64,
    pub skilled: i64,
    pub high_skilled: i64,
    /// skilled ÷ employed_persons.
    pub skilled_share: Option<f64>,
    /// high_skilled ÷ skilled.
    pub high_skilled_share: Option<f64>,
    /// target − share against the target in force on `as_of` (see [`kpi::compute`]).
    pub gap_skilled_share: Option<f64>,
    pub gap_high_skilled_share: Option<f64>,
}

impl YearValue {
    fn from_row(period: Period, as_of: Date, complete: bool, r: &KpiRow) -> YearValue {
        YearValue {
            year: period.year(),
            quarter: period.quarter(),
            period,
            as_of,
            complete,
            employed_persons: r.employed_persons,
            denominator_source: r.denominator_source,
            registry_employed: r.registry_employed,
            skilled: r.skilled,
            high_skilled: r.high_skilled,
            skilled_share: r.skilled_share,
            high_skilled_share: r.high_skilled_share,
            gap_skilled_share: r.gap_skilled_share,
            gap_high_skilled_share: r.gap_high_skilled_share,
        }
    }

    /// The KPI's value, numerator and denominator.
    pub fn of(&self, kpi: KpiKind) -> (Option<f64>, i64, Option<i64>) {
        match kpi {
            KpiKind::SkilledShare => (self.skilled_share, self.skilled, self.employed_persons),
            KpiKind::HighSkilledShare => (self.high_skilled_share, self.high_skilled, Some(self.skilled)),
        }
    }
}

/// One group's year-end (or quarter-end) values.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct GroupSeries {
    /// As in [`KpiRow::group`]; `total` for the city, last.
    pub group: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// One per period in order; a period in which the group has no row (grouping by level) is
    /// left out.
    pub values: Vec<YearValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SeriesReport {
    pub by: Grouping,
    pub step: Step,
    pub from_year: i32,
    pub to_year: i32,
    /// The definitions of the last year computed.
    pub definitions: Definitions,
    pub groups: Vec<GroupSeries>,
    /// The notes of the periods' reports (see [`kpi::KpiReport::notes`]), each once.
    pub notes: Vec<Msg>,
}

/// The periods of `step` from `from_year` to `to_year` that have begun by `today`.
pub fn periods(today: Date, step: Step, from_year: i32, to_year: i32) -> Vec<Period> {
    let (first, last) = (Period::in_year(step, from_year, false), Period::in_year(step, to_year, true));
    (first.index..=last.index).map(|index| Period { step, index }).take_while(|p| p.start() <= today).collect()
}

/// The KPIs at each year-end (or quarter-end, by `step`) from `from_year` to `to_year`, grouped
/// `by`.
pub async fn series(
    app: &App,
    by: Grouping,
    from_year: i32,
    to_year: i32,
    step: Step,
) -> Result<SeriesReport, AppError> {
    let today = app.today();
    check_range(today, step, from_year, to_year).map_err(|(_, m)| AppError::Invalid(m))?;
    let mut groups: Vec<GroupSeries> = Vec::new();
    let mut definitions = None;
    let mut notes: Vec<Msg> = Vec::new();
    for period in periods(today, step, from_year, to_year) {
        let end = period.end();
        let as_of = end.min(today);
        let report = kpi::compute(app, by, as_of).await?;
        for r in &report.rows {
            let v = YearValue::from_row(period, as_of, as_of == end, r);
            match groups.iter_mut().find(|g| g.group == r.group) {
                Some(g) => {
                    g.values.push(v);
                    // Names as of the latest year.
                    (g.name_zh, g.name_en) = (r.name_zh.clone(), r.name_en.clone());
                }
                None => groups.push(GroupSeries {
                    group: r.group.clone(),
                    name_zh: r.name_zh.clone(),
                    name_en: r.name_en.clone(),
                    values: vec![v],
                }),
            }
        }
        definitions = Some(report.definitions);
        for n in report.notes {
            if !notes.contains(&n) {
                notes.push(n);
            }
        }
    }
    // The city row last, whatever order groups first appeared in.
    groups.sort_by_key(|g| g.group == TOTAL);
    let definitions = definitions.ok_or_else(|| AppError::Invalid(Msg::new("没有年份", "no years")))?;
    Ok(SeriesReport { by, step, from_year, to_year, definitions, groups, notes })
}

/// Where a KPI stands against one target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outlook {
    /// The last year-end value meets it (or, the due date past, the value at the due date did).
    Met,
    /// The projection meets it by the due date.
    OnTrack,
    /// Not by the due date; the projection meets it later, within the horizon.
    Late,
    /// Not by the due date, nor within the horizon.
    NotReached,
    /// No complete year-end value to project from.
    NoData,
}

impl Outlook {
    pub fn code(self) -> &'static str {
        match self {
            Outlook::Met => "met",
            Outlook::OnTrack => "on_track",
            Outlook::Late => "late",
            Outlook::NotReached => "not_reached",
            Outlook::NoData => "no_data",
        }
    }
}

/// One target and the projection's answer to it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetOutlook {
    pub id: String,
    pub value: f64,
    /// `>` or `>=`.
    pub comparison: &'static str,
    #[serde(serialize_with = "gongjiang_domain::dates::serde_iso::serialize")]
    pub due: Date,
    /// The district of a district target; `None` = city-wide.
    pub district: Option<String>,
    /// The KPI at the due date: the observed value of the period holding it when that period is
    /// complete, else the central projection for that period.
    pub value_at_due: Option<f64>,
    /// Whether `value_at_due` was observed (else projected).
    pub observed_at_due: bool,
    /// The band at the due date (projected values of a Holt fit only).
    pub low_at_due: Option<f64>,
    pub high_at_due: Option<f64>,
    /// target − value at the due date: positive when short.
    pub gap_at_due: Option<f64>,
    pub met_at_due: Option<bool>,
    /// The first period from the last complete one on whose value (observed, then projected)
    /// meets it, with the quarter (`reached.quarter`, e.g. `2027-Q3`).
    pub reached: Option<Reached>,
    pub outlook: Outlook,
    pub message: Msg,
}

/// One KPI of one group: year-end values, the fit, the projection and each target's outlook.
#[derive(Debug, Clone, Serialize)]
pub struct KpiProjection {
    pub kpi: KpiKind,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// Period, value (`None` when there is no denominator), complete?
    pub values: Vec<ObservedValue>,
    /// `None` when no complete year-end has a value.
    pub fit: Option<Fit>,
    /// Whether the fitted values use different denominator sources (official in some years,
    /// registry in others): a jump between them is a change of definition, not of pace.
    pub mixed_denominators: bool,
    /// The central forecast and its band for each period after the last fitted one, up to the
    /// horizon (or the latest due date, if later).
    pub projected: Vec<Projected>,
    pub targets: Vec<TargetOutlook>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ObservedValue {
    pub year: i32,
    pub quarter: Option<u8>,
    /// `2024` or `2024-Q3`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2024-Q3"))]
    pub period: Period,
    #[serde(serialize_with = "gongjiang_domain::dates::serde_iso::serialize")]
    pub as_of: Date,
    pub complete: bool,
    pub value: Option<f64>,
    pub numerator: i64,
    pub denominator: Option<i64>,
    pub denominator_source: DenominatorSource,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupProjection {
    pub group: String,
    pub name_zh: Option<String>,
    pub name_en: Option<String>,
    /// Only the KPIs the policy sets a target for (for this group's district, else city-wide).
    pub kpis: Vec<KpiProjection>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectionReport {
    pub by: Grouping,
    /// The spacing of the values fitted.
    pub step: Step,
    pub from_year: i32,
    #[serde(serialize_with = "gongjiang_domain::dates::serde_iso::serialize")]
    pub today: Date,
    pub horizon_years: i32,
    /// How the projection is made, in both languages.
    pub method: Msg,
    pub groups: Vec<GroupProjection>,
    /// The notes of the series projected (see [`SeriesReport::notes`]).
    pub notes: Vec<Msg>,
}

/// The method, as the report states it.
pub fn method_note(step: Step) -> Msg {
    let base = method_note_yearly();
    match step {
        Step::Year => Msg::new(
            format!("{}；达到的季度按年度趋势线在该年内插值（季末值首次达到者）", base.zh),
            format!(
                "{}; the quarter of reaching is interpolated on the yearly trend line within the year (the first \
                 quarter-end whose value meets the target)",
                base.en
            ),
        ),
        Step::Quarter => Msg::new(
            "Holt 线性趋势（双指数平滑）拟合已结束季度的季末值（不含季节项），α、β 取 0.1–0.9 网格中一步预测误差平方和最小者；\
             区间为 ±1.96 × 一步误差均方根 × √h（h 以季度计，近似）；不足 3 个季末值时取过各点的直线（1 个值时不设趋势），不给区间",
            "Holt's linear trend (double exponential smoothing) on the quarter-end values of completed quarters (no \
             seasonal term), α and β chosen from the grid 0.1–0.9 by the smallest sum of squared one-step-ahead \
             errors; band ± 1.96 × RMSE of the one-step errors × √h (h in quarters; an approximation); with fewer \
             than 3 quarter-ends, the straight line through them (no trend with one), and no band",
        ),
    }
}

fn method_note_yearly() -> Msg {
    Msg::new(
        "Holt 线性趋势（双指数平滑）拟合已结束年份的年末值，α、β 取 0.1–0.9 网格中一步预测误差平方和最小者；\
         区间为 ±1.96 × 一步误差均方根 × √h（近似）；不足 3 个年末值时取过各点的直线（1 个值时不设趋势），不给区间",
        "Holt's linear trend (double exponential smoothing) on the year-end values of completed years, α and β \
         chosen from the grid 0.1–0.9 by the smallest sum of squared one-step-ahead errors; band ± 1.96 × RMSE of \
         the one-step errors × √h (an approximation); with fewer than 3 year-ends, the straight line through them \
         (no trend with one), and no band",
    )
}

/// The targets of `kpi` for a group: the district's if the policy sets any, else the city's;
/// by due date.
fn targets_of<'a>(targets: &'a [KpiTarget], kpi: KpiKind, district: Option<&str>) -> Vec<&'a KpiTarget> {
    let of = |d: Option<&str>| {
        let mut v: Vec<&KpiTarget> = targets.iter().filter(|t| t.kpi == kpi && t.district.as_deref() == d).collect();
        v.sort_by_key(|t| t.due);
        v
    };
    match district.map(|d| of(Some(d))) {
        Some(v) if !v.is_empty() => v,
        _ => of(None),
    }
}

fn cmp_code(c: Comparison) -> &'static str {
    match c {
        Comparison::Greater => ">",
        Comparison::GreaterOrEqual => ">=",
    }
}

/// Each group's KPIs from `from_year`'s first period to today, in `step`s, projected against
/// each target.
pub async fn projection(app: &App, by: Grouping, from_year: i32, step: Step) -> Result<ProjectionReport, AppError> {
    let today = app.today();
    let s = series(app, by, from_year, today.year(), step).await?;
    let targets = &app.policy.kpi_targets;
    let notes = s.notes;
    let groups = s
        .groups
        .into_iter()
        .map(|g| {
            let district = (by == Grouping::District && g.group != TOTAL && app.policy.district(&g.group).is_some())
                .then_some(g.group.as_str());
            let kpis = if by == Grouping::Level && g.group != TOTAL {
                // A level's shares are 0 or 1 by construction: no targets, nothing to project.
                Vec::new()
            } else {
                [KpiKind::SkilledShare, KpiKind::HighSkilledShare]
                    .into_iter()
                    .filter_map(|kpi| {
                        let ts = targets_of(targets, kpi, district);
                        (!ts.is_empty()).then(|| project_kpi(kpi, step, &g.values, &ts, today))
                    })
                    .collect()
            };
            GroupProjection { group: g.group, name_zh: g.name_zh, name_en: g.name_en, kpis }
        })
        .collect();
    Ok(ProjectionReport {
        by,
        step,
        from_year,
        today,
        horizon_years: HORIZON_YEARS,
        method: method_note(step),
        groups,
        notes,
    })
}

fn project_kpi(kpi: KpiKind, step: Step, years: &[YearValue], targets: &[&KpiTarget], today: Date) -> KpiProjection {
    let values: Vec<ObservedValue> = years
        .iter()
        .map(|y| {
            let (value, numerator, denominator) = y.of(kpi);
            ObservedValue {
                year: y.year,
                quarter: y.quarter,
                period: y.period,
                as_of: y.as_of,
                complete: y.complete,
                value,
                numerator,
                denominator,
                denominator_source: y.denominator_source,
            }
        })
        .collect();
    let points: Vec<(Period, f64)> =
        values.iter().filter(|v| v.complete).filter_map(|v| v.value.map(|x| (v.period, x))).collect();
    let fit = forecast::fit_periods(&points);
    let mixed_denominators = fit.as_ref().is_some_and(|f| {
        let mut sources = values
            .iter()
            .filter(|v| kpi == KpiKind::SkilledShare && v.complete && (f.first..=f.last).contains(&v.period))
            .map(|v| v.denominator_source);
        sources.next().is_some_and(|first| sources.any(|s| s != first))
    });
    let projected: Vec<Projected> = fit
        .as_ref()
        .map(|f| {
            let latest_due = targets.iter().map(|t| Period::containing(step, t.due)).max().unwrap_or(f.last);
            let steps = (HORIZON_YEARS * step.per_year()).max(latest_due.index - f.last.index);
            // Shares are fractions: the band is kept within [0, 1]; the central value is not
            // clipped, so a trend's overshoot stays visible.
            (1..=steps)
                .map(|h| f.forecast(h))
                .map(|p| Projected {
                    low: p.low.map(|v| v.clamp(0.0, 1.0)),
                    high: p.high.map(|v| v.clamp(0.0, 1.0)),
                    ..p
                })
                .collect()
        })
        .unwrap_or_default();
    let targets = targets.iter().map(|t| outlook(kpi, t, &values, fit.as_ref(), &projected, today)).collect();
    KpiProjection { kpi, name_zh: kpi.zh(), name_en: kpi.en(), values, fit, mixed_denominators, projected, targets }
}

fn outlook(
    kpi: KpiKind,
    t: &KpiTarget,
    values: &[ObservedValue],
    fit: Option<&Fit>,
    projected: &[Projected],
    today: Date,
) -> TargetOutlook {
    let due = gongjiang_domain::dates::iso(t.due);
    let f4 = |v: f64| format!("{v:.4}");
    let base = TargetOutlook {
        id: t.id.clone(),
        value: t.value,
        comparison: cmp_code(t.comparison),
        due: t.due,
        district: t.district.clone(),
        value_at_due: None,
        observed_at_due: false,
        low_at_due: None,
        high_at_due: None,
        gap_at_due: None,
        met_at_due: None,
        reached: None,
        outlook: Outlook::NoData,
        message: Msg::new(
            format!("没有已结束年份（季度）的期末值，无法预测（{}）", kpi.zh()),
            format!("no value of a completed year (or quarter) to project from ({})", kpi.en()),
        ),
    };
    let Some(f) = fit else { return base };
    let due_period = Period::containing(f.step, t.due);
    let due_quarter = Period::containing(Step::Quarter, t.due);
    let horizon = (HORIZON_YEARS * f.step.per_year()).max(due_period.index - f.last.index);
    let reached = f.first_reached(t.value, t.comparison, f.last_year, horizon);

    // The value at the due date: observed if that period is complete, else projected.
    let observed_due = values.iter().find(|v| v.complete && v.period == due_period).and_then(|v| v.value);
    let (value_at_due, observed_at_due, low, high) = match observed_due {
        Some(v) => (Some(v), true, None, None),
        None if due_period > f.last => {
            let p = projected.iter().find(|p| p.period == due_period);
            (p.map(|p| p.value), false, p.and_then(|p| p.low), p.and_then(|p| p.high))
        }
        None => (None, false, None, None),
    };
    let met_at_due = value_at_due.map(|v| forecast::meets(v, t.value, t.comparison));
    let sym = cmp_code(t.comparison);

    // Today's figure (the current period to date, else the latest year-end): what the headline
    // beside the trend shows, so the outlook must agree with it.
    let latest = values.iter().rev().find_map(|v| v.value.map(|x| (v.as_of, x)));
    let met_now = latest.filter(|(_, v)| forecast::meets(*v, t.value, t.comparison));
    let now_text = |(on, v): (Date, f64)| {
        let on = gongjiang_domain::dates::iso(on);
        (format!("目前已达到（截至 {on}：{}）", f4(v)), format!("met now ({on}: {})", f4(v)))
    };
    let missed = |then: (String, String)| {
        Msg::new(
            format!("{}目标未达到；{}", deadline_zh(t.due), then.0),
            format!("the {} target was not met; {}", deadline_en(t.due), then.1),
        )
    };

    let (outlook, message) = match (met_at_due, reached) {
        // A deadline that has passed unmet is spoken of in the past tense, then what holds now.
        (met, r) if t.due < today && met != Some(true) => match (met_now, r) {
            (Some(now), _) => (Outlook::Late, missed(now_text(now))),
            (None, Some(r)) if !r.observed => (
                Outlook::Late,
                missed((
                    format!("按当前趋势预计 {}达到", r.quarter.label_zh()),
                    format!("at the current pace, reached in {}", r.quarter.label()),
                )),
            ),
            (None, Some(r)) => (
                Outlook::Late,
                missed((
                    format!("{}末曾达到（{}）", r.period.label_zh(), f4(r.value)),
                    format!("met at the end of {} ({})", r.period.label(), f4(r.value)),
                )),
            ),
            (None, None) => {
                let until = f.last.plus(horizon);
                (
                    Outlook::NotReached,
                    missed((
                        format!("按当前趋势，{}前仍达不到", until.label_zh()),
                        format!("at the current pace, not by {} either", until.label()),
                    )),
                )
            }
        },
        (Some(true), _) if observed_at_due => (
            Outlook::Met,
            Msg::new(
                format!(
                    "目标期限 {due} 已达到（{}末 {}，目标 {sym} {}）",
                    due_period.label_zh(),
                    f4(value_at_due.unwrap_or(0.0)),
                    t.value
                ),
                format!(
                    "met by the target date {due} (end of {}: {}, target {sym} {})",
                    due_period.label(),
                    f4(value_at_due.unwrap_or(0.0)),
                    t.value
                ),
            ),
        ),
        (_, Some(r)) if r.observed && due_period >= r.period => (
            Outlook::Met,
            Msg::new(
                format!("已达到（{}末 {}，目标 {sym} {}，期限 {due}）", r.period.label_zh(), f4(r.value), t.value),
                format!(
                    "already met (end of {}: {}, target {sym} {}, due {due})",
                    r.period.label(),
                    f4(r.value),
                    t.value
                ),
            ),
        ),
        // Met today with the deadline still ahead: the headline says met, and so does this.
        (_, _) if let Some(now) = met_now => {
            let (zh, en) = now_text(now);
            (
                Outlook::Met,
                Msg::new(
                    format!("{zh}（目标 {sym} {}，期限 {due}）", t.value),
                    format!("{en} (target {sym} {}, due {due})", t.value),
                ),
            )
        }
        (_, Some(r)) if r.quarter <= due_quarter => (
            Outlook::OnTrack,
            Msg::new(
                format!("按当前趋势，预计 {}达到（目标 {sym} {}，期限 {due}）", r.quarter.label_zh(), t.value),
                format!("at the current pace, reached in {} (target {sym} {}, due {due})", r.quarter.label(), t.value),
            ),
        ),
        (_, Some(r)) => (
            Outlook::Late,
            Msg::new(
                if r.observed {
                    format!("目标期限 {due} 前未达到；{}末已达到（{}）", r.period.label_zh(), f4(r.value))
                } else {
                    format!("目标期限 {due} 前不能达到；按当前趋势，预计 {}达到", r.quarter.label_zh())
                },
                if r.observed {
                    format!(
                        "not reached by the target date ({due}); met at the end of {} ({})",
                        r.period.label(),
                        f4(r.value)
                    )
                } else {
                    format!(
                        "not reached by the target date ({due}); at the current pace, reached in {}",
                        r.quarter.label()
                    )
                },
            ),
        ),
        (_, None) => {
            let until = f.last.plus(horizon);
            (
                Outlook::NotReached,
                Msg::new(
                    format!("目标期限 {due} 前不能达到；按当前趋势，{}前仍达不到", until.label_zh()),
                    format!(
                        "not reached by the target date ({due}); at the current pace, not by {} either",
                        until.label()
                    ),
                ),
            )
        }
    };
    TargetOutlook {
        value_at_due,
        observed_at_due,
        low_at_due: low,
        high_at_due: high,
        gap_at_due: value_at_due.map(|v| t.value - v),
        met_at_due,
        reached,
        outlook,
        message,
        ..base
    }
}

/// A deadline as people say it: "2025 年底" for a year's last day, else the date.
fn deadline_zh(due: Date) -> String {
    if (due.month(), due.day()) == (time::Month::December, 31) {
        format!("{} 年底", due.year())
    } else {
        gongjiang_domain::dates::iso(due)
    }
}

/// "end-2025" for a year's last day, else "2025-06-30".
fn deadline_en(due: Date) -> String {
    if (due.month(), due.day()) == (time::Month::December, 31) {
        format!("end-{}", due.year())
    } else {
        gongjiang_domain::dates::iso(due)
    }
}
