//! KPI figures as of any date: registry counts from the store, the official denominators from
//! the imported statistics, and the policy's targets, combined into one row per group plus the
//! city `total` row. Definitions (employed statuses, skilled and high-skilled ranks, the
//! denominator rule, targets) are read from the policy.
//!
//! Employment status is the person's current status: the registry does not yet keep its
//! history, so a past `as_of` uses today's status with that date's levels.

use std::collections::{BTreeMap, HashMap};

use gongjiang_domain::kpi::{self, Counts, Grouping, KpiRow, RowInput};
use gongjiang_domain::level::Level;
use gongjiang_domain::policy::Denominator;
use gongjiang_store::{kpi as store_kpi, statistics};
use serde::Serialize;
use time::Date;

use crate::{App, AppError};

/// The label of the city row.
pub const TOTAL: &str = "total";

/// Columns of the CSV form, in order.
pub const CSV_HEADERS: [&str; 13] = [
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
];

/// The definitions the figures were computed with, so a reader can check them.
#[derive(Debug, Clone, Serialize)]
pub struct Definitions {
    pub employed_statuses: Vec<String>,
    pub skilled_from_rank: u8,
    pub high_skilled_from_rank: u8,
    pub denominator: Denominator,
    /// The year of the official statistics used (that of `as_of`).
    pub statistics_year: i32,
}

#[derive(Debug, Clone, Serialize)]
pub struct KpiReport {
    #[serde(serialize_with = "ser_date")]
    pub as_of: Date,
    pub by: Grouping,
    pub definitions: Definitions,
    /// One row per group, then the city `total` row last.
    pub rows: Vec<KpiRow>,
}

fn ser_date<S: serde::Serializer>(d: &Date, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&gongjiang_domain::dates::iso(*d))
}

/// The KPIs as of `as_of`, grouped `by`.
pub async fn compute(app: &App, by: Grouping, as_of: Date) -> Result<KpiReport, AppError> {
    let policy = &app.policy;
    let (skilled_from, high_from) = (policy.ladder.skilled_from(), policy.ladder.high_skilled_from());
    let employed: Vec<&str> = policy.kpi.employed_statuses.iter().map(|s| s.code()).collect();
    let raw = store_kpi::counts(&app.db, by, as_of, skilled_from.rank(), high_from.rank()).await?;

    let mut groups: BTreeMap<Option<String>, Counts> = BTreeMap::new();
    if by == Grouping::District {
        // Every district appears, with zeros where the registry has nobody.
        for d in &policy.districts {
            groups.entry(Some(d.code.clone())).or_default();
        }
    }
    for r in raw {
        let counted = r.employment_status.as_deref().is_some_and(|s| employed.contains(&s));
        let c = groups.entry(r.grp).or_default();
        if counted {
            *c += Counts { registry_employed: r.persons, skilled: r.skilled, high_skilled: r.high_skilled };
        }
    }
    if by == Grouping::Level {
        // Only levels an employed person holds appear; employed persons with none show as `none`.
        groups.retain(|_, c| c.registry_employed > 0);
    }

    // Official figures of the as_of year, keyed by (district, industry); '' = all industries.
    let year = as_of.year();
    let official: HashMap<(String, String), i64> = statistics::list(&app.db, Some(year))
        .await?
        .into_iter()
        .map(|s| ((s.district_code, s.industry), s.employed_persons))
        .collect();
    let city = policy.meta.jurisdiction.as_str();
    let official_of =
        |district: &str, industry: &str| official.get(&(district.to_string(), industry.to_string())).copied();

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
            let code =
                grp.clone().unwrap_or_else(|| if by == Grouping::Level { "none" } else { "unknown" }.to_string());
            let (off, target_district) = match (by, grp.as_deref()) {
                (Grouping::District, Some(d)) => (official_of(d, ""), Some(d)),
                (Grouping::Industry, Some(i)) => (official_of(city, i), None),
                _ => (None, None),
            };
            let input = RowInput {
                names: names(app, by, grp.as_deref()),
                group: code,
                counts,
                official: off,
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
        counts: total,
        official: official_of(city, ""),
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
    })
}

/// The group's names from the policy or the occupation catalogue.
fn names(app: &App, by: Grouping, code: Option<&str>) -> (Option<String>, Option<String>) {
    let policy = &app.policy;
    let Some(code) = code else {
        return match by {
            Grouping::Level => (Some("无有效等级".into()), Some("no valid level".into())),
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
        Grouping::City => (None, None),
    }
}

/// A row as the cells of [`CSV_HEADERS`]; shares as fractions with four decimals.
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
    ]
}
