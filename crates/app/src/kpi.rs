//! KPI figures as of any date: registry counts from the store, the official denominators from
//! the imported statistics, and the policy's targets, combined into one row per group plus the
//! city `total` row. Definitions (employed statuses, skilled and high-skilled ranks, the
//! denominator rule, targets) are read from the policy.
//!
//! Today's figures come from the counts the store maintains on every write
//! (`gongjiang_store::kpi_counts`); other dates from the dated changes it maintains with them.
//! Both give the same numbers as a scan of the level history (`gongjiang kpi recount --check`,
//! and the property test).
//!
//! Employment status, district, employer and the employer's industry and chains are the
//! registry's current values: it keeps no history of them (employment spells have dates but
//! no status, and self-employed or flexibly employed persons have none), so a past `as_of` uses
//! today's values with that date's levels, and every such report says so in its `notes`.

use std::collections::{BTreeMap, HashMap};

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::kpi::{self, Counts, Grouping, KpiRow, OfficialSkills, RowInput};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Denominator;
use gongjiang_store::{kpi as store_kpi, kpi_counts, persons, statistics};
use serde::Serialize;
use time::Date;

use crate::{App, AppError};

/// The label of the city row.
pub const TOTAL: &str = "total";

/// Columns of the CSV form, in order. `note` is filled in the `total` row only: the report's
/// notes (e.g. that chain rows overlap), Chinese then English.
pub const CSV_HEADERS: [&str; 19] = [
    "group",
    "employed_persons",
    "skilled",
    "high_skilled",
    "skilled_share",
    "high_skilled_share",
    "denominator_source",
    "name_zh",
    "registry_employed",
    "target_skilled_share",
    "gap_skilled_share",
    "target_high_skilled_share",
    "gap_high_skilled_share",
    "official_skilled",
    "official_high_skilled",
    "official_high_skilled_share",
    "skilled_coverage",
    "high_skilled_coverage",
    "note",
];

/// The definitions the figures were computed with, so a reader can check them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct Definitions {
    /// Employment statuses counted as employed persons (each person's current status: the
    /// registry keeps no history of it).
    pub employed_statuses: Vec<String>,
    /// Lowest rank counted as skilled talent.
    pub skilled_from_rank: u8,
    /// Lowest rank counted as high-skilled talent.
    pub high_skilled_from_rank: u8,
    /// `official_statistics_then_registry`, `official_statistics` or `registry`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "official_statistics_then_registry"))]
    pub denominator: Denominator,
    /// The year of the official statistics used (that of `as_of`).
    pub statistics_year: i32,
}

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Serialize)]
pub struct KpiReport {
    #[serde(serialize_with = "gongjiang_domain::dates::serde_iso::serialize")]
    pub as_of: Date,
    pub by: Grouping,
    pub definitions: Definitions,
    /// One row per group, then the city `total` row last.
    pub rows: Vec<KpiRow>,
    /// What a reader must know to read the rows right: groups that overlap (by chain), values
    /// taken as they are today (a past `as_of`).
    pub notes: Vec<Msg>,
}

/// The KPIs as of `as_of`, grouped `by`.
pub async fn compute(app: &App, by: Grouping, as_of: Date) -> Result<KpiReport, AppError> {
    let policy = &app.policy;
    let (skilled_from, high_from) = (policy.ladder.skilled_from(), policy.ladder.high_skilled_from());
    let employed: Vec<&str> = policy.kpi.employed_statuses.iter().map(|s| s.code()).collect();
    let employed_counts = |rows: Vec<store_kpi::GroupCounts>| {
        let mut groups: BTreeMap<Option<String>, Counts> = BTreeMap::new();
        for r in rows {
            let counted = r.employment_status.as_deref().is_some_and(|s| employed.contains(&s));
            let c = groups.entry(r.grp).or_default();
            if counted {
                *c += Counts { registry_employed: r.persons, skilled: r.skilled, high_skilled: r.high_skilled };
            }
        }
        groups
    };
    let mut groups = employed_counts(counts(app, by, as_of).await?);
    // Overlapping groups do not add up to the city: count it on its own.
    let city_total = if by.overlapping() {
        Some(employed_counts(counts(app, Grouping::City, as_of).await?).into_values().next().unwrap_or_default())
    } else {
        None
    };

    // Every district (chain) appears, with zeros where the registry has nobody.
    if by == Grouping::District {
        for d in &policy.districts {
            groups.entry(Some(d.code.clone())).or_default();
        }
    }
    if by == Grouping::Chain {
        for c in &policy.industrial_chains {
            groups.entry(Some(c.id.clone())).or_default();
        }
    }
    if by == Grouping::Level {
        // Only levels an employed person holds appear; employed persons with none show as `none`.
        groups.retain(|_, c| c.registry_employed > 0);
    }

    // Official figures of the as_of year, keyed by (district, industry, chain); '' = all.
    let year = as_of.year();
    let official: HashMap<(String, String, String), i64> = statistics::list(&app.db, Some(year))
        .await?
        .into_iter()
        .map(|s| ((s.district_code, s.industry, s.chain), s.employed_persons))
        .collect();
    let city = policy.meta.jurisdiction.as_str();
    let official_of = |district: &str, industry: &str, chain: &str| {
        official.get(&(district.to_string(), industry.to_string(), chain.to_string())).copied()
    };
    // Official skilled / high-skilled counts of the year, keyed the same way.
    let skill_counts: HashMap<(String, String, String), OfficialSkills> = statistics::skill_counts(&app.db, year)
        .await?
        .into_iter()
        .map(|s| {
            (
                (s.district_code, s.industry, s.chain),
                OfficialSkills { skilled: s.skilled, high_skilled: s.high_skilled },
            )
        })
        .collect();
    let skills_of = |district: &str, industry: &str, chain: &str| {
        skill_counts.get(&(district.to_string(), industry.to_string(), chain.to_string())).copied().unwrap_or_default()
    };

    let mode = policy.kpi.denominator;
    let targets = &policy.kpi_targets;
    let mut rows = Vec::new();
    let mut total = Counts::default();
    if by != Grouping::City {
        // Groups in code order; persons without the attribute last.
        let mut groups: Vec<_> = groups.into_iter().collect();
        groups.sort_by_key(|(g, _)| g.is_none());
        for (grp, counts) in groups {
            total += counts;
            let code = grp.clone().unwrap_or_else(|| missing_label(by).to_string());
            let (off, target_district) = match (by, grp.as_deref()) {
                (Grouping::District, Some(d)) => (official_of(d, "", ""), Some(d)),
                (Grouping::Industry, Some(i)) => (official_of(city, i, ""), None),
                (Grouping::Chain, Some(c)) => (official_of(city, "", c), None),
                _ => (None, None),
            };
            let official_skills = match (by, grp.as_deref()) {
                (Grouping::District, Some(d)) => skills_of(d, "", ""),
                (Grouping::Industry, Some(i)) => skills_of(city, i, ""),
                (Grouping::Chain, Some(c)) => skills_of(city, "", c),
                _ => OfficialSkills::default(),
            };
            let input = RowInput {
                names: names(app, by, grp.as_deref()),
                group: code,
                counts,
                official: off,
                official_skills,
                target_district,
                with_targets: by != Grouping::Level,
            };
            rows.push(kpi::row(input, mode, targets, as_of));
        }
    } else {
        total = groups.into_values().fold(Counts::default(), |mut a, c| {
            a += c;
            a
        });
    }
    let input = RowInput {
        group: TOTAL.to_string(),
        names: (Some(policy.meta.jurisdiction_name_zh.clone()), Some(policy.meta.jurisdiction_name_en.clone())),
        counts: city_total.unwrap_or(total),
        official: official_of(city, "", ""),
        official_skills: skills_of(city, "", ""),
        target_district: None,
        with_targets: true,
    };
    rows.push(kpi::row(input, mode, targets, as_of));

    Ok(KpiReport {
        as_of,
        by,
        definitions: Definitions {
            employed_statuses: employed.iter().map(|s| s.to_string()).collect(),
            skilled_from_rank: skilled_from.rank(),
            high_skilled_from_rank: high_from.rank(),
            denominator: mode,
            statistics_year: year,
        },
        rows,
        notes: notes(by, as_of, app.today()),
    })
}

/// The label of the row of persons outside every group: `none` by level (no valid level) and
/// by chain (employer in no chain), `unknown` otherwise (attribute not recorded).
pub fn missing_label(by: Grouping) -> &'static str {
    match by {
        Grouping::Level | Grouping::Chain => "none",
        _ => "unknown",
    }
}

/// The notes a report carries (see [`KpiReport::notes`]).
fn notes(by: Grouping, as_of: Date, today: Date) -> Vec<Msg> {
    let mut notes = Vec::new();
    if by.overlapping() {
        notes.push(Msg::new(
            "按产业链分组：人员按其用人单位所属的重点产业链计入，单位属多条产业链的，其人员计入每一条；各产业链之和不等于全市合计。\
             产业链的分母：有该产业链官方就业人员数时用之，否则用登记库就业人员数（见 denominator_source）",
            "by chain: a person counts in every industrial chain their employer belongs to, so the chain rows \
             overlap and do not add up to the city total. Each chain's denominator is its official employed-persons \
             figure where one is loaded, else the registry's count (see denominator_source)",
        ));
    }
    if as_of != today {
        notes.push(Msg::new(
            "非今日的统计：技能等级按取得与撤销日期计；就业状态、工作所在区、用人单位及其行业与产业链取登记库当前值（登记库不保存其历史）",
            "a date other than today: levels count by the dates they were obtained and revoked; employment status, \
             work district, employer and the employer's industry and chains are the registry's current values \
             (it keeps no history of them)",
        ));
    }
    notes
}

/// The registry counts as of `as_of`: today's from the counts maintained on every write, any
/// other date from the dated changes maintained with them (both milliseconds at any size; a day
/// inside a month also reads that month's level records).
pub async fn counts(app: &App, by: Grouping, as_of: Date) -> Result<Vec<store_kpi::GroupCounts>, AppError> {
    let (s, h) = (app.policy.ladder.skilled_from().rank(), app.policy.ladder.high_skilled_from().rank());
    if as_of == app.today()
        && let Some(rows) = kpi_counts::today(&app.db, by, as_of, s, h).await?
    {
        return Ok(rows);
    }
    Ok(kpi_counts::on(&app.db, by, as_of, s, h).await?)
}

/// Rebuilds today's counts from the raw records (`gongjiang kpi recount`).
pub async fn recount(app: &App) -> Result<kpi_counts::Rebuilt, AppError> {
    Ok(kpi_counts::rebuild(&app.db, app.today()).await?)
}

/// Compares the maintained counts and dated changes with a recount from the raw records, key by
/// key, and the counts served for `days` (default: the last year-end, and the 15th of this month
/// a year ago) with a scan as of each (`gongjiang kpi recount --check`).
pub async fn recount_check(app: &App, days: &[Date]) -> Result<kpi_counts::Check, AppError> {
    let days = if days.is_empty() { default_check_days(app.today()) } else { days.to_vec() };
    Ok(kpi_counts::check_at(&app.db, &days).await?)
}

/// A year-end (served from the changes alone) and a day inside a month (which also reads that
/// month's level records).
fn default_check_days(today: Date) -> Vec<Date> {
    let year_end = Date::from_calendar_date(today.year() - 1, time::Month::December, 31);
    let mid_month = Date::from_calendar_date(today.year() - 1, today.month(), 15);
    [year_end, mid_month].into_iter().flatten().collect()
}

/// The group's names from the policy or the occupation catalogue.
fn names(app: &App, by: Grouping, code: Option<&str>) -> (Option<String>, Option<String>) {
    let policy = &app.policy;
    let Some(code) = code else {
        return match by {
            Grouping::Level => (Some("无有效等级".into()), Some("no valid level".into())),
            Grouping::Chain => (Some("不属重点产业链".into()), Some("in no key industrial chain".into())),
            _ => (Some("未登记".into()), Some("not recorded".into())),
        };
    };
    match by {
        Grouping::District => {
            policy.district(code).map(|d| (Some(d.name_zh.clone()), Some(d.name_en.clone()))).unwrap_or_default()
        }
        Grouping::Industry => {
            policy.industry(code).map(|i| (Some(i.name_zh.clone()), Some(i.name_en.clone()))).unwrap_or_default()
        }
        Grouping::Occupation => {
            let name = app.catalogue.iter().find(|o| o.depth == 1 && o.code.as_str() == code).map(|o| o.name.clone());
            (name, None)
        }
        Grouping::Level => match code.parse::<u8>().ok().and_then(Level::new) {
            Some(l) => (Some(policy.ladder.name_zh(l).to_string()), Some(policy.ladder.name_en(l).to_string())),
            None => (None, None),
        },
        Grouping::Chain => policy
            .industrial_chain(code)
            .map(|c| (Some(c.name_zh.clone()), Some(c.name_en.clone())))
            .unwrap_or_default(),
        Grouping::City => (None, None),
    }
}

/// The report as the rows of [`CSV_HEADERS`] cells.
pub fn csv_rows(report: &KpiReport) -> Vec<Vec<String>> {
    let note = report.notes.iter().map(|m| format!("{} / {}", m.zh, m.en)).collect::<Vec<_>>().join(" | ");
    report
        .rows
        .iter()
        .map(|r| {
            let mut cells = csv_cells(r);
            if r.group == TOTAL {
                cells[CSV_HEADERS.len() - 1] = note.clone();
            }
            cells
        })
        .collect()
}

/// A row as the cells of [`CSV_HEADERS`] (`note` empty); shares as fractions with four
/// decimals.
pub fn csv_cells(r: &KpiRow) -> Vec<String> {
    let opt = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    vec![
        r.group.clone(),
        opt(r.employed_persons),
        r.skilled.to_string(),
        r.high_skilled.to_string(),
        kpi::fmt_fraction(r.skilled_share),
        kpi::fmt_fraction(r.high_skilled_share),
        r.denominator_source.code().to_string(),
        r.name_zh.clone().unwrap_or_default(),
        r.registry_employed.to_string(),
        kpi::fmt_fraction(r.target_skilled_share.as_ref().map(|t| t.value)),
        kpi::fmt_fraction(r.gap_skilled_share),
        kpi::fmt_fraction(r.target_high_skilled_share.as_ref().map(|t| t.value)),
        kpi::fmt_fraction(r.gap_high_skilled_share),
        opt(r.official_skilled),
        opt(r.official_high_skilled),
        kpi::fmt_fraction(r.official_high_skilled_share),
        kpi::fmt_fraction(r.skilled_coverage),
        kpi::fmt_fraction(r.high_skilled_coverage),
        String::new(),
    ]
}

/// Which figure of a KPI row a drill-down opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// `registry_employed`: every employed person of the group.
    Employed,
    /// `skilled`.
    Skilled,
    /// `high_skilled`.
    HighSkilled,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Measure::Employed, Measure::Skilled, Measure::HighSkilled];

    pub fn code(self) -> &'static str {
        match self {
            Measure::Employed => "employed",
            Measure::Skilled => "skilled",
            Measure::HighSkilled => "high_skilled",
        }
    }

    pub fn parse(s: &str) -> Result<Measure, Msg> {
        let t = s.trim();
        Measure::ALL.into_iter().find(|m| m.code().eq_ignore_ascii_case(t)).ok_or_else(|| {
            Msg::new(
                format!("无法识别的指标“{s}”（可用：employed、skilled、high_skilled）"),
                format!("unknown measure \"{s}\" (expected employed, skilled or high_skilled)"),
            )
        })
    }

    /// The figure of `row` this measure opens.
    pub fn of(self, row: &KpiRow) -> i64 {
        match self {
            Measure::Employed => row.registry_employed,
            Measure::Skilled => row.skilled,
            Measure::HighSkilled => row.high_skilled,
        }
    }
}

/// The group of a KPI row, as a drill-down selects it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// The `total` row.
    All,
    /// A group by its code as the rows show it (district code, industry letter, occupation
    /// major-group digit, level rank, chain id).
    Code(String),
    /// The `unknown` row (persons without the attribute), or by level or chain the `none` row.
    Missing,
}

impl Group {
    /// The group a row's `group` cell (or, where it is unambiguous, a name: 滨海新区, 技师, 信创)
    /// selects. `None` (not given) is the whole city, and is only accepted by city.
    pub fn parse(app: &App, by: Grouping, s: Option<&str>) -> Result<Group, Msg> {
        let s = s.map(str::trim).filter(|s| !s.is_empty());
        let Some(s) = s else {
            return match by {
                Grouping::City => Ok(Group::All),
                _ => Err(Msg::new(
                    format!("按 {} 分组时须给出 group（指标行的 group 值，或 total）", by.code()),
                    format!("group is required when grouping by {} (a row's group, or total)", by.code()),
                )),
            };
        };
        if s.eq_ignore_ascii_case(TOTAL) {
            return Ok(Group::All);
        }
        let policy = &app.policy;
        let missing = missing_label(by);
        let found = match by {
            Grouping::City => None,
            _ if s.eq_ignore_ascii_case(missing) => Some(Group::Missing),
            Grouping::District => policy
                .district(s)
                .map(|d| d.code.clone())
                // A code the policy no longer lists may still be in the registry.
                .or_else(|| (s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.to_string()))
                .map(Group::Code),
            Grouping::Industry => policy.industry(s).map(|i| Group::Code(i.code.clone())),
            Grouping::Occupation => {
                (s.len() == 1 && s.bytes().all(|b| b.is_ascii_digit())).then(|| Group::Code(s.to_string()))
            }
            Grouping::Level => policy.ladder.parse_level(s).map(|l| Group::Code(l.rank().to_string())),
            Grouping::Chain => policy.industrial_chain(s).map(|c| Group::Code(c.id.clone())),
        };
        found.ok_or_else(|| {
            let expected_zh = match by {
                Grouping::City => "按全市时不填或填 total",
                Grouping::District => "区划代码或区名，或 unknown、total",
                Grouping::Industry => "行业门类字母或名称，或 unknown、total",
                Grouping::Occupation => "职业大类数字（如 6），或 unknown、total",
                Grouping::Level => "等级序号 1–8 或等级名称，或 none、total",
                Grouping::Chain => "产业链 id 或名称，或 none、total",
            };
            let expected_en = match by {
                Grouping::City => "nothing or total by city",
                Grouping::District => "a district code or name, unknown or total",
                Grouping::Industry => "an industry section letter or name, unknown or total",
                Grouping::Occupation => "an occupation major-group digit (e.g. 6), unknown or total",
                Grouping::Level => "a level rank 1–8 or name, none or total",
                Grouping::Chain => "an industrial chain id or name, none or total",
            };
            Msg::new(
                format!("无法识别的组“{s}”（应为{expected_zh}）"),
                format!("unknown group \"{s}\" (expected {expected_en})"),
            )
        })
    }
}

/// One KPI figure to open: the row (`by`, `group`), the figure (`measure`) and the date.
#[derive(Debug, Clone)]
pub struct DrillDown {
    pub by: Grouping,
    pub group: Group,
    pub measure: Measure,
    pub as_of: Date,
}

/// How many persons behind a KPI figure `scope` reaches, counted up to [`DRILL_COUNT_CAP`].
pub async fn count_behind(app: &App, scope: &Scope, q: &DrillDown) -> Result<i64, AppError> {
    let statuses: Vec<String> = app.policy.kpi.employed_statuses.iter().map(|s| s.code().to_string()).collect();
    let sel = drill_selection(app, q, &statuses);
    Ok(store_kpi::count_behind(&app.db, scope, &sel, DRILL_COUNT_CAP).await?)
}

/// Persons a drill-down counts at most (a count beyond reads "more than").
pub const DRILL_COUNT_CAP: i64 = 100_000;

fn drill_selection<'a>(app: &App, q: &'a DrillDown, statuses: &'a [String]) -> store_kpi::DrillDown<'a> {
    let policy = &app.policy;
    let min_rank = match q.measure {
        Measure::Employed => None,
        Measure::Skilled => Some(i16::from(policy.ladder.skilled_from().rank())),
        Measure::HighSkilled => Some(i16::from(policy.ladder.high_skilled_from().rank())),
    };
    let group = match &q.group {
        Group::All => store_kpi::GroupSel::All,
        Group::Code(c) => store_kpi::GroupSel::Code(c),
        Group::Missing => store_kpi::GroupSel::Missing,
    };
    store_kpi::DrillDown { by: q.by, group, min_rank, statuses, as_of: q.as_of }
}

/// One page of the persons behind a KPI figure, ordered by internal id, after `after`. The
/// definitions (employed statuses, skilled and high-skilled ranks) are the policy's, as in
/// [`compute`]; with `Scope::all()` all pages together hold exactly as many persons as the
/// figure. `scope` is the caller's scope for reading persons.
pub async fn persons_behind(
    app: &App,
    scope: &Scope,
    q: &DrillDown,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<persons::Person>, AppError> {
    let statuses: Vec<String> = app.policy.kpi.employed_statuses.iter().map(|s| s.code().to_string()).collect();
    let sel = drill_selection(app, q, &statuses);
    Ok(store_kpi::persons_behind(&app.db, scope, &sel, after, limit).await?)
}
