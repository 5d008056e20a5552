//! Supply and demand (供需预测和培养规划): the gap between reported demand and the people who
//! hold the level, ranked; the shortage list (急需紧缺职业目录); and the gap projected forward
//! with the training that would close it.
//!
//! - Demand: the `skill_demand` rows of the period (a year = its annual and quarterly rows).
//! - Supply = holders + pipeline. Holders: persons whose highest level valid on `as_of` in the
//!   occupation is the level asked **or above** (see `domain::supply`). Pipeline: persons in
//!   training, apprenticeships and open evaluation applications aiming at the level
//!   ([`pipeline_in_progress`]); every report says what it counted (`pipeline_source`).
//! - Gap = demand − supply; ratio = demand ÷ supply; severity from the policy's `[shortage]`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::iso;
use gongjiang_domain::forecast::{self, Method};
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_domain::supply::{Gap, Period, Severity, at_or_above, severity, supply_rule, training_per_year};
use gongjiang_store::demand::{self, PeriodSel};
use gongjiang_store::kpi_counts::{self, HolderFilter};
use gongjiang_tabular::TableWriter;
use serde::Serialize;
use time::Date;

pub use gongjiang_store::demand::GapGrouping;

use crate::{App, AppError};

/// Occupation code, level rank, group code.
type Key = (String, u8, String);

pub fn grouping_code(by: GapGrouping) -> &'static str {
    match by {
        GapGrouping::City => "city",
        GapGrouping::District => "district",
        GapGrouping::Chain => "chain",
    }
}

pub fn parse_grouping(s: &str) -> Option<GapGrouping> {
    Some(match s {
        "city" => GapGrouping::City,
        "district" => GapGrouping::District,
        "chain" => GapGrouping::Chain,
        _ => return None,
    })
}

/// What a gap report is asked for.
#[derive(Debug, Clone)]
pub struct GapQuery {
    pub by: GapGrouping,
    pub period: Period,
    /// An occupation code or a category prefix (`6-18`).
    pub occupation: Option<String>,
    /// The date supply is counted on; `None` = today.
    pub as_of: Option<Date>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct GapReport {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub by: &'static str,
    pub period: String,
    /// The date supply was counted on (YYYY-MM-DD).
    pub as_of: String,
    /// How supply is counted: holders of the level or above.
    pub supply_rule: Msg,
    /// What the pipeline counts, and how many it found.
    pub pipeline_source: PipelineSource,
    /// How groups are formed, when it needs saying (by chain).
    pub grouping_note: Option<Msg>,
    /// One row per occupation × level × group with demand, ranked by gap then ratio.
    pub rows: Vec<GapRow>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct GapRow {
    /// 1 = the largest gap.
    pub rank: u32,
    pub occupation_code: String,
    pub occupation_name: Option<String>,
    /// Level rank 1–8 asked for.
    pub level: u8,
    pub level_name_zh: String,
    pub level_name_en: String,
    /// District code, chain id or `city`.
    pub group: String,
    pub group_name_zh: String,
    pub group_name_en: String,
    pub demand: i64,
    /// Holders of this level or above in the occupation and group.
    pub holders: i64,
    /// Persons on their way to the level (see `pipeline_source`): the distinct persons of
    /// `pipeline_parts`.
    pub pipeline: i64,
    /// The pipeline per source.
    pub pipeline_parts: PipelineParts,
    /// holders + pipeline.
    pub supply: i64,
    /// demand − supply.
    pub gap: i64,
    /// demand ÷ supply; `null` when supply is 0.
    pub ratio: Option<f64>,
    /// acute | short | moderate by the policy's thresholds; `null` = not short.
    pub severity: Option<Severity>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub severity_zh: Option<&'static str>,
}

/// Where pipeline figures come from: the sources consulted, and what they gave.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct PipelineSource {
    /// The sources counted, joined by `+`: `training+apprenticeship+application`.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub code: &'static str,
    /// Persons counted in the report's rows, per source and in all (a person in several
    /// sources for the same row counts once in `persons`).
    pub counted: PipelineParts,
    pub note: Msg,
}

/// Persons on their way to a level, per source.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PipelineParts {
    /// Enrolled in a programme that targets the occupation and level, not completed.
    pub training: i64,
    /// In an active enterprise new-type apprenticeship with that target.
    pub apprenticeship: i64,
    /// Admitted to an evaluation session at that level not yet final.
    pub application: i64,
    /// The distinct persons of the three.
    pub persons: i64,
}

/// Persons on their way to a level: counted at the level they are working towards, per
/// occupation × level × group.
pub struct Pipeline {
    pub at_level: HashMap<Key, PipelineParts>,
}

/// The code of every report's `pipeline_source`.
pub const PIPELINE_SOURCES: &str = "training+apprenticeship+application";

fn pipeline_note() -> Msg {
    Msg::new(
        "在途人数：截至统计日已报名、未结业、未退出且培训等级为该等级的培训学员，已开始且在进行中的企业新型学徒（目标等级），\
         及已受理、所在评价批次尚未终结且未判为不合格的等级认定申报人；同一职业已持有该等级或更高等级者计为持证人员，不计在途；同一人多项只计一次",
        "pipeline: on the as-of day, learners enrolled (not completed, not withdrawn) in a programme that targets the \
         level, apprentices in an active enterprise new-type apprenticeship with that target, and applicants admitted \
         to an evaluation session at that level not yet final (not failed or withdrawn); a person already holding the \
         level or above in the occupation is a holder, not pipeline; a person in several counts once",
    )
}

/// The pipeline of people working towards a level on `as_of`, per occupation × level × group,
/// from training, apprenticeships and evaluation applications (`store::pipeline`).
pub async fn pipeline_in_progress(
    app: &App,
    by: GapGrouping,
    as_of: Date,
    occupation: Option<&str>,
) -> Result<Pipeline, AppError> {
    let mut at_level: HashMap<Key, PipelineParts> = HashMap::new();
    for c in gongjiang_store::pipeline::counts(&app.db, by, as_of, occupation).await? {
        let Ok(level) = u8::try_from(c.level) else { continue };
        let parts = at_level.entry((c.occupation_code, level, c.grp)).or_default();
        match c.source.as_str() {
            "training" => parts.training = c.persons,
            "apprenticeship" => parts.apprenticeship = c.persons,
            "application" => parts.application = c.persons,
            _ => parts.persons = c.persons,
        }
    }
    Ok(Pipeline { at_level })
}

/// Holders per occupation × their highest level in it × group on `as_of`, of the occupations
/// anyone reported demand for: from the counts maintained on every write (today's, or the
/// yearly changes for another day).
pub async fn holders(
    app: &App,
    by: GapGrouping,
    as_of: Date,
    occupation: Option<&str>,
) -> Result<Vec<demand::HolderCount>, AppError> {
    let filter = HolderFilter { demanded_only: true, occupation };
    if as_of == app.today()
        && let Some(rows) = kpi_counts::holders_today(&app.db, by, as_of, filter).await?
    {
        return Ok(rows);
    }
    Ok(kpi_counts::holders_on(&app.db, by, as_of, filter).await?)
}

/// Holders of each level or above, per occupation × level × group, on `as_of`.
async fn holders_at_or_above(
    app: &App,
    by: GapGrouping,
    as_of: Date,
    occupation: Option<&str>,
) -> Result<HashMap<Key, i64>, AppError> {
    let mut per: HashMap<(String, String), [i64; 8]> = HashMap::new();
    for h in holders(app, by, as_of, occupation).await? {
        let Some(i) = usize::try_from(h.level).ok().filter(|l| (1..=8).contains(l)) else { continue };
        per.entry((h.occupation_code, h.grp)).or_insert([0; 8])[i - 1] += h.holders;
    }
    let mut out = HashMap::with_capacity(per.len() * 8);
    for ((occ, grp), at) in per {
        for (i, n) in at_or_above(&at).into_iter().enumerate() {
            if n > 0 {
                out.insert((occ.clone(), i as u8 + 1, grp.clone()), n);
            }
        }
    }
    Ok(out)
}

fn period_sel(p: Period) -> PeriodSel {
    PeriodSel { year: p.year, quarter: p.quarter.map(i16::from) }
}

fn group_names(app: &App, by: GapGrouping, code: &str) -> (String, String) {
    let p = &app.policy;
    match by {
        GapGrouping::City => (p.meta.jurisdiction_name_zh.clone(), p.meta.jurisdiction_name_en.clone()),
        GapGrouping::District => {
            p.district(code).map_or((code.to_string(), code.to_string()), |d| (d.name_zh.clone(), d.name_en.clone()))
        }
        GapGrouping::Chain => p
            .industrial_chain(code)
            .map_or((code.to_string(), code.to_string()), |c| (c.name_zh.clone(), c.name_en.clone())),
    }
}

fn occupation_name(app: &App, code: &str) -> Option<String> {
    OccupationCode::parse(code).ok().and_then(|c| app.catalogue.name_of(&c)).map(str::to_string)
}

fn grouping_note(by: GapGrouping) -> Option<Msg> {
    (by == GapGrouping::Chain).then(|| {
        Msg::new(
            "某产业链的供给为该产业链企业（单位名录所列）雇用的持证人员，单位属多条产业链的，其人员计入每一条；未填产业链的需求不计入",
            "a chain's supply is the holders employed by the chain's enterprises (the organisations' chain lists); \
             a person counts in every chain of their employer; demand without a chain is left out",
        )
    })
}

fn thresholds(app: &App) -> &[gongjiang_domain::supply::Threshold] {
    app.policy.shortage.as_ref().map_or(&[], |s| s.thresholds.as_slice())
}

/// The ranked gap per occupation × level × group for the period.
pub async fn gap_report(app: &App, q: &GapQuery) -> Result<GapReport, AppError> {
    let as_of = q.as_of.unwrap_or_else(|| app.today());
    let occupation = q.occupation.as_deref();
    let totals = demand::totals(&app.db, q.by, Some(period_sel(q.period)), occupation).await?;
    let supply = holders_at_or_above(app, q.by, as_of, occupation).await?;
    let pipeline = pipeline_in_progress(app, q.by, as_of, occupation).await?;
    let ladder = &app.policy.ladder;
    let mut rows: Vec<GapRow> = Vec::with_capacity(totals.len());
    for t in totals {
        let Some(level) = u8::try_from(t.level).ok().and_then(Level::new) else { continue };
        let key = (t.occupation_code.clone(), level.rank(), t.grp.clone());
        let holders = supply.get(&key).copied().unwrap_or(0);
        let parts = pipeline.at_level.get(&key).copied().unwrap_or_default();
        let in_pipeline = parts.persons;
        let gap = Gap::new(t.people, holders + in_pipeline);
        let sev = severity(&gap, thresholds(app));
        let (group_name_zh, group_name_en) = group_names(app, q.by, &t.grp);
        rows.push(GapRow {
            rank: 0,
            occupation_name: occupation_name(app, &t.occupation_code),
            occupation_code: t.occupation_code,
            level: level.rank(),
            level_name_zh: ladder.name_zh(level).to_string(),
            level_name_en: ladder.name_en(level).to_string(),
            group: t.grp,
            group_name_zh,
            group_name_en,
            demand: gap.demand,
            holders,
            pipeline: in_pipeline,
            pipeline_parts: parts,
            supply: gap.supply,
            gap: gap.gap,
            ratio: gap.ratio,
            severity: sev,
            severity_zh: sev.map(Severity::zh),
        });
    }
    rows.sort_by(|a, b| {
        Gap::new(a.demand, a.supply)
            .rank_cmp(&Gap::new(b.demand, b.supply))
            .then_with(|| (&a.occupation_code, a.level, &a.group).cmp(&(&b.occupation_code, b.level, &b.group)))
    });
    let mut counted = PipelineParts::default();
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
        counted.training += r.pipeline_parts.training;
        counted.apprenticeship += r.pipeline_parts.apprenticeship;
        counted.application += r.pipeline_parts.application;
        counted.persons += r.pipeline_parts.persons;
    }
    Ok(GapReport {
        by: grouping_code(q.by),
        period: q.period.code(),
        as_of: iso(as_of),
        supply_rule: supply_rule(),
        pipeline_source: PipelineSource { code: PIPELINE_SOURCES, counted, note: pipeline_note() },
        grouping_note: grouping_note(q.by),
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Forecast
// ---------------------------------------------------------------------------------------------

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ForecastReport {
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub by: &'static str,
    pub period: String,
    pub as_of: String,
    /// The year by which the gap should be closed.
    pub target_year: i32,
    pub method: Msg,
    pub supply_rule: Msg,
    pub pipeline_source: PipelineSource,
    pub grouping_note: Option<Msg>,
    /// The ranked rows of the gap report (the first `limit`), each with its series.
    pub rows: Vec<ForecastRow>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct ForecastRow {
    pub rank: u32,
    pub occupation_code: String,
    pub occupation_name: Option<String>,
    pub level: u8,
    pub level_name_zh: String,
    pub group: String,
    pub group_name_zh: String,
    /// Demand, supply at the year's end (or on `as_of` for the current and later years) and gap.
    pub observed: Vec<YearGap>,
    /// holt | line | constant (by the number of years observed).
    pub method: Method,
    pub projected: Vec<ProjectedGap>,
    /// The central projected gap in `target_year` and the top of its band.
    pub gap_at_target: f64,
    pub gap_at_target_high: Option<f64>,
    /// Persons already on their way to the level on `as_of` (the gap report's `pipeline`).
    pub pipeline: i64,
    /// People to train and certify at this level (or above) each year from the last observed
    /// year to `target_year` to close the projected gap, beyond those in the pipeline; 0 when
    /// none is needed.
    pub training_per_year: i64,
    /// The same for the top of the band.
    pub training_per_year_high: Option<i64>,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub struct YearGap {
    pub year: i32,
    pub demand: i64,
    pub supply: i64,
    pub gap: i64,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Serialize, PartialEq)]
pub struct ProjectedGap {
    pub year: i32,
    pub gap: f64,
    pub low: Option<f64>,
    pub high: Option<f64>,
}

/// Years of demand history a forecast fits at most.
pub const MAX_HISTORY_YEARS: i32 = 10;

fn forecast_method() -> Msg {
    Msg::new(
        "每年需求（该年全部填报）减去年末供给（当年及以后按统计日）得缺口序列，用 Holt 线性趋势法外推（三年以上；两年为直线，一年为常数），区间为 ±1.96×RMSE×√h；每年培养人数 = （目标年预测缺口 − 当前在途人数）÷ 剩余年数（向上取整），即在现有趋势和在途人员之外需新增的取证人数",
        "a yearly gap series (the year's reported demand minus supply at the year's end, or on as_of for the \
         current and later years) is projected with Holt's linear trend (three years or more; a line for two, \
         constant for one), band ±1.96×RMSE×√h; training per year = (the gap projected for the target year − the \
         pipeline today) ÷ the years left, rounded up: people to certify on top of the current trend and of those \
         already in training, apprenticeships or evaluation",
    )
}

/// The gap of the ranked rows projected to `target_year` (default: three years after the last
/// year with demand), with the training per year that would close it.
pub async fn forecast(
    app: &App,
    q: &GapQuery,
    target_year: Option<i32>,
    limit: usize,
) -> Result<ForecastReport, AppError> {
    let today = app.today();
    let as_of = q.as_of.unwrap_or(today);
    let gap = gap_report(app, q).await?;
    let occupation = q.occupation.as_deref();
    let history = demand::totals(&app.db, q.by, None, occupation).await?;
    let last_year = history.iter().map(|t| t.year).max().unwrap_or(q.period.year).max(q.period.year);
    let target_year = target_year.unwrap_or(last_year + 3);
    if target_year <= last_year {
        return Err(AppError::Invalid(Msg::new(
            format!("目标年份应晚于最后一个有需求的年份 {last_year}"),
            format!("the target year must be after {last_year}, the last year with demand"),
        )));
    }
    let wanted: Vec<&GapRow> = gap.rows.iter().take(limit).collect();
    let keys: BTreeSet<Key> = wanted.iter().map(|r| (r.occupation_code.clone(), r.level, r.group.clone())).collect();

    // Demand per key and year, and each key's first year.
    let mut demand_by: HashMap<&Key, BTreeMap<i32, i64>> = HashMap::new();
    let keyed: Vec<(Key, i32, i64)> =
        history.iter().map(|t| ((t.occupation_code.clone(), t.level as u8, t.grp.clone()), t.year, t.people)).collect();
    for (k, year, people) in &keyed {
        if let Some(k) = keys.get(k) {
            *demand_by.entry(k).or_default().entry(*year).or_insert(0) += people;
        }
    }
    // At most the last ten years: one supply count (a scan) per year.
    let first_year = demand_by
        .values()
        .filter_map(|m| m.keys().next().copied())
        .min()
        .unwrap_or(last_year)
        .max(last_year - MAX_HISTORY_YEARS + 1);

    // Supply at each year's end (capped at as_of), one count per distinct date.
    let mut supply_on: BTreeMap<Date, HashMap<Key, i64>> = BTreeMap::new();
    for year in first_year..=last_year {
        let on = forecast::year_end(year).min(as_of);
        if let std::collections::btree_map::Entry::Vacant(e) = supply_on.entry(on) {
            e.insert(holders_at_or_above(app, q.by, on, occupation).await?);
        }
    }

    let mut rows = Vec::with_capacity(wanted.len());
    for r in wanted {
        let key = (r.occupation_code.clone(), r.level, r.group.clone());
        let Some(by_year) = demand_by.get(&key) else { continue };
        let start = by_year.keys().next().copied().unwrap_or(last_year).max(first_year);
        let observed: Vec<YearGap> = (start..=last_year)
            .map(|year| {
                let d = by_year.get(&year).copied().unwrap_or(0);
                let on = forecast::year_end(year).min(as_of);
                let s = supply_on.get(&on).and_then(|m| m.get(&key)).copied().unwrap_or(0);
                YearGap { year, demand: d, supply: s, gap: d - s }
            })
            .collect();
        let values: Vec<f64> = observed.iter().map(|o| o.gap as f64).collect();
        let Some(fit) = forecast::fit(start, &values) else { continue };
        let projected: Vec<ProjectedGap> = fit
            .project_to(target_year)
            .into_iter()
            .map(|p| ProjectedGap { year: p.year, gap: p.value, low: p.low, high: p.high })
            .collect();
        let at_target = projected.last().copied();
        let gap_at_target = at_target.map_or(fit.last_value, |p| p.gap);
        let gap_at_target_high = at_target.and_then(|p| p.high);
        // Those in the pipeline become holders: only the rest of the gap needs new training.
        let beyond_pipeline = |g: f64| g - r.pipeline as f64;
        rows.push(ForecastRow {
            rank: r.rank,
            occupation_code: r.occupation_code.clone(),
            occupation_name: r.occupation_name.clone(),
            level: r.level,
            level_name_zh: r.level_name_zh.clone(),
            group: r.group.clone(),
            group_name_zh: r.group_name_zh.clone(),
            observed,
            method: fit.method,
            projected,
            gap_at_target,
            gap_at_target_high,
            pipeline: r.pipeline,
            training_per_year: training_per_year(beyond_pipeline(gap_at_target), last_year, target_year).unwrap_or(0),
            training_per_year_high: gap_at_target_high
                .and_then(|h| training_per_year(beyond_pipeline(h), last_year, target_year)),
        });
    }
    Ok(ForecastReport {
        by: gap.by,
        period: gap.period,
        as_of: gap.as_of,
        target_year,
        method: forecast_method(),
        supply_rule: gap.supply_rule,
        pipeline_source: gap.pipeline_source,
        grouping_note: gap.grouping_note,
        rows,
    })
}

// ---------------------------------------------------------------------------------------------
// Shortage list
// ---------------------------------------------------------------------------------------------

/// One line of the shortage list (急需紧缺职业目录).
#[derive(Debug, Clone, Serialize)]
pub struct ShortageEntry {
    /// 序号
    pub seq: u32,
    pub occupation_name: String,
    pub occupation_code: String,
    /// Names of the industrial chains the demand was reported under.
    pub chains: Vec<String>,
    pub severity: Severity,
    pub demand: i64,
    pub supply: i64,
    pub gap: i64,
    pub ratio: Option<f64>,
    /// 技能等级要求, e.g. `三级/高级工`.
    pub level_requirement: String,
    pub note: String,
}

/// The city-wide shortage list of a period: each occupation × level whose gap meets a
/// threshold of the policy's `[shortage]`, the most severe first, then by gap and ratio.
pub async fn shortage_list(app: &App, period: Period, as_of: Option<Date>) -> Result<Vec<ShortageEntry>, AppError> {
    if app.policy.shortage.as_ref().is_none_or(|s| s.thresholds.is_empty()) {
        return Err(AppError::Invalid(Msg::new(
            "策略文件没有 [shortage] 紧缺程度门槛",
            "the policy file has no [shortage] thresholds",
        )));
    }
    let q = GapQuery { by: GapGrouping::City, period, occupation: None, as_of };
    let report = gap_report(app, &q).await?;
    let mut chains: HashMap<(String, u8), BTreeSet<String>> = HashMap::new();
    for t in demand::totals(&app.db, GapGrouping::Chain, Some(period_sel(period)), None).await? {
        let name = group_names(app, GapGrouping::Chain, &t.grp).0;
        chains.entry((t.occupation_code, t.level as u8)).or_default().insert(name);
    }
    let mut listed: Vec<&GapRow> = report.rows.iter().filter(|r| r.severity.is_some()).collect();
    // Rows are already ranked by gap; a stable sort by severity keeps that order within each.
    listed.sort_by_key(|r| r.severity);
    let ladder = &app.policy.ladder;
    Ok(listed
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let level = Level::new(r.level)?;
            let ratio = r.ratio.map_or("—".to_string(), |x| format!("{x:.2}"));
            Some(ShortageEntry {
                seq: i as u32 + 1,
                occupation_name: r.occupation_name.clone().unwrap_or_else(|| r.occupation_code.clone()),
                occupation_code: r.occupation_code.clone(),
                chains: chains
                    .get(&(r.occupation_code.clone(), r.level))
                    .map(|s| s.iter().cloned().collect())
                    .unwrap_or_default(),
                severity: r.severity?,
                demand: r.demand,
                supply: r.supply,
                gap: r.gap,
                ratio: r.ratio,
                level_requirement: ladder.display(level),
                note: format!("现有持证（该等级及以上）{} 人，缺口 {} 人，需求/供给比 {ratio}", r.supply, r.gap),
            })
        })
        .collect())
}

/// The headers of the published list, in order.
pub const SHORTAGE_HEADERS: [&str; 8] =
    ["序号", "职业（工种）名称", "职业代码", "所属产业链", "紧缺程度", "需求人数", "技能等级要求", "备注"];

/// Writes the list as a bureau publishes it (XLSX, or CSV by extension).
pub fn write_shortage_list(entries: &[ShortageEntry], path: &Path) -> Result<(), AppError> {
    let mut w = TableWriter::create(path, &SHORTAGE_HEADERS)?;
    for e in entries {
        w.write_row(&[
            e.seq.to_string(),
            e.occupation_name.clone(),
            e.occupation_code.clone(),
            e.chains.join("、"),
            e.severity.zh().to_string(),
            e.demand.to_string(),
            e.level_requirement.clone(),
            e.note.clone(),
        ])?;
    }
    w.finish()?;
    Ok(())
}

/// Machine-readable columns of the gap table (CSV/XLSX from the CLI).
pub const GAP_HEADERS: [&str; 14] = [
    "rank",
    "occupation_code",
    "occupation_name",
    "level",
    "level_name",
    "group",
    "group_name",
    "demand",
    "holders",
    "pipeline",
    "supply",
    "gap",
    "ratio",
    "severity",
];

pub fn write_gap_table(report: &GapReport, path: &Path) -> Result<(), AppError> {
    write_gap_rows(report, TableWriter::create(path, &GAP_HEADERS)?)
}

/// Writes the gap table's rows to `w`, begun with [`GAP_HEADERS`] (a file, or standard output
/// with [`TableWriter::csv_to`]), and finishes it.
pub fn write_gap_rows(report: &GapReport, mut w: TableWriter) -> Result<(), AppError> {
    for r in &report.rows {
        w.write_row(&[
            r.rank.to_string(),
            r.occupation_code.clone(),
            r.occupation_name.clone().unwrap_or_default(),
            r.level.to_string(),
            r.level_name_zh.clone(),
            r.group.clone(),
            r.group_name_zh.clone(),
            r.demand.to_string(),
            r.holders.to_string(),
            r.pipeline.to_string(),
            r.supply.to_string(),
            r.gap.to_string(),
            r.ratio.map(|x| format!("{x:.4}")).unwrap_or_default(),
            r.severity.map(|s| s.code().to_string()).unwrap_or_default(),
        ])?;
    }
    w.finish()?;
    Ok(())
}

/// Columns of the forecast table (CSV/XLSX from the CLI): one row per projected gap row.
pub const FORECAST_HEADERS: [&str; 13] = [
    "rank",
    "occupation_code",
    "occupation_name",
    "level",
    "group",
    "group_name",
    "last_year",
    "last_gap",
    "method",
    "gap_at_target",
    "pipeline",
    "training_per_year",
    "training_per_year_high",
];

pub fn write_forecast_table(report: &ForecastReport, path: &Path) -> Result<(), AppError> {
    write_forecast_rows(report, TableWriter::create(path, &FORECAST_HEADERS)?)
}

/// Writes the forecast table's rows to `w`, begun with [`FORECAST_HEADERS`], and finishes it.
pub fn write_forecast_rows(report: &ForecastReport, mut w: TableWriter) -> Result<(), AppError> {
    for r in &report.rows {
        let last = r.observed.last();
        w.write_row(&[
            r.rank.to_string(),
            r.occupation_code.clone(),
            r.occupation_name.clone().unwrap_or_default(),
            r.level.to_string(),
            r.group.clone(),
            r.group_name_zh.clone(),
            last.map(|o| o.year.to_string()).unwrap_or_default(),
            last.map(|o| o.gap.to_string()).unwrap_or_default(),
            r.method.code().to_string(),
            format!("{:.2}", r.gap_at_target),
            r.pipeline.to_string(),
            r.training_per_year.to_string(),
            r.training_per_year_high.map(|t| t.to_string()).unwrap_or_default(),
        ])?;
    }
    w.finish()?;
    Ok(())
}
