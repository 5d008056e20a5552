//! Official statistics files: employed persons per (year, district, industry, chain), the
//! KPIs' denominator.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::NewStatistic;
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, statistics};

use super::columns::HeaderMap;
use super::rows::{FieldError, Row, RowContext};
use crate::AppError;

/// Checks one row of a statistics file. The district may be the whole jurisdiction (its code,
/// its name or 全市).
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewStatistic, Vec<FieldError>> {
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
    let employed = r.parsed(3, |s| {
        s.replace([',', '，'], "")
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| Msg::new("就业人员数应为非负整数", "employed persons must be a whole number, 0 or more"))
    });
    let chain = r.optional(4, cx.chain()).unwrap_or_default();
    let v = (|| {
        Some(NewStatistic { year: year?, district_code: district?, industry, chain, employed_persons: employed? })
    })();
    r.finish(v)
}

/// Writes a batch: every valid row is upserted by (year, district, industry, chain).
pub(super) async fn write(t: &mut Tx, rows: Vec<(u64, NewStatistic)>) -> Result<WriteCounts, AppError> {
    let recs: Vec<NewStatistic> = rows.into_iter().map(|(_, r)| r).collect();
    Ok(statistics::upsert_batch_in(t, &recs).await?)
}
