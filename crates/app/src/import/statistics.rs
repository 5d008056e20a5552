//! Official statistics files: employed persons per (year, district, industry, chain), the
//! KPIs' denominator, and optionally the official counts of skilled and high-skilled persons
//! (技能人才数, 高技能人才数) that a KPI report shows beside the registry's. A row gives at least
//! one of the three figures.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::{NewSkillCount, NewStatistic};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, statistics};

use super::columns::HeaderMap;
use super::rows::{FieldError, Row, RowContext};
use crate::AppError;

/// One row: the employed-persons figure and the official skill counts, each where given.
#[derive(Debug, Clone)]
pub struct StatisticsRow {
    pub employed: Option<NewStatistic>,
    pub skills: Option<NewSkillCount>,
}

fn count(zh: &'static str, en: &'static str) -> impl Fn(&str) -> Result<i64, Msg> {
    move |s: &str| {
        s.replace([',', '，'], "")
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Msg::new(format!("{zh}应为非负整数"), format!("{en} must be a whole number, 0 or more")))
    }
}

/// Checks one row of a statistics file. The district may be the whole jurisdiction (its code,
/// its name or 全市).
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<StatisticsRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let this_year = cx.today.year();
    let year = r.parsed(0, |s| match s.trim_end_matches('年').parse::<i32>() {
        Ok(y) if (1949..=this_year).contains(&y) => Ok(y),
        _ => Err(Msg::new(format!("年份应在 1949–{this_year} 之间"), format!("year must be 1949–{this_year}"))),
    });
    let jurisdiction = &cx.policy.meta.jurisdiction;
    let district = r.parsed(1, |s| {
        if s == jurisdiction || s == "全市" || s == cx.policy.meta.jurisdiction_name_zh {
            Ok(jurisdiction.clone())
        } else {
            cx.district()(s)
        }
    });
    let industry = r.optional(2, cx.industry()).unwrap_or_default();
    let employed = r.optional(3, count("就业人员数", "employed persons"));
    let chain = r.optional(4, cx.chain()).unwrap_or_default();
    let skilled = r.optional(5, count("技能人才数", "skilled"));
    let high = r.optional(6, count("高技能人才数", "high_skilled"));
    let given = |i: usize, r: &Row<'_>| !r.cell(i).is_empty();
    if !given(3, &r) && !given(5, &r) && !given(6, &r) {
        r.fail(
            3,
            Msg::new(
                "就业人员数、技能人才数、高技能人才数至少填写一项",
                "give at least one of employed_persons, skilled and high_skilled",
            ),
        );
    }
    if let (Some(s), Some(h)) = (skilled, high)
        && h > s
    {
        r.fail(6, Msg::new("高技能人才数不能多于技能人才数", "high_skilled cannot exceed skilled"));
    }
    if let (Some(e), Some(s)) = (employed, skilled)
        && s > e
    {
        r.fail(5, Msg::new("技能人才数不能多于就业人员数", "skilled cannot exceed employed_persons"));
    }
    let v = (|| {
        let (year, district) = (year?, district?);
        Some(StatisticsRow {
            employed: employed.map(|n| NewStatistic {
                year,
                district_code: district.clone(),
                industry: industry.clone(),
                chain: chain.clone(),
                employed_persons: n,
            }),
            skills: (skilled.is_some() || high.is_some()).then(|| NewSkillCount {
                year,
                district_code: district.clone(),
                industry: industry.clone(),
                chain: chain.clone(),
                skilled,
                high_skilled: high,
            }),
        })
    })();
    r.finish(v)
}

/// Writes a batch: every valid row is upserted by (year, district, industry, chain). A row
/// counts once: inserted if either of its parts is new, else updated if either changed.
pub(super) async fn write(t: &mut Tx, rows: Vec<(u64, StatisticsRow)>) -> Result<WriteCounts, AppError> {
    let mut counts = WriteCounts::default();
    for (_, row) in rows {
        let mut c = WriteCounts::default();
        if let Some(e) = &row.employed {
            c += statistics::upsert_batch_in(t, std::slice::from_ref(e)).await?;
        }
        if let Some(s) = &row.skills {
            c += statistics::upsert_skill_counts_in(t, std::slice::from_ref(s)).await?;
        }
        counts += if c.inserted > 0 {
            WriteCounts { inserted: 1, ..Default::default() }
        } else if c.updated > 0 {
            WriteCounts { updated: 1, ..Default::default() }
        } else {
            WriteCounts { unchanged: 1, ..Default::default() }
        };
    }
    Ok(counts)
}
