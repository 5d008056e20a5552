//! Demand reports (需求填报) as rows: checking one, and writing validated ones for a reporter
//! the writer may report for. Files and the API's JSON array (`app::demand::submit`) both come
//! through here.

use std::collections::HashMap;

use gongjiang_domain::access::{Scope, Target};
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::NewDemand;
use gongjiang_domain::supply::Period;
use gongjiang_store::demand::{self, DemandWrite};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, organisations};

use super::columns::HeaderMap;
use super::report::{RejectedRow, rejected};
use super::resolve::{Resolver, organisation_not_registered};
use super::rows::{FieldError, Row, RowContext, text, uscc};
use crate::AppError;

/// Checks one demand row; the reporter must also be registered, which the writer checks.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewDemand, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let reporter = r.parsed(0, uscc);
    let occupation = r.parsed(1, cx.occupation());
    let level = r.parsed(2, cx.level());
    let people = r.parsed(3, |s| {
        s.replace([',', '，'], "")
            .trim_end_matches('人')
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=1_000_000).contains(n))
            .ok_or_else(|| {
                Msg::new(
                    "需求人数应为 1–1000000 的整数",
                    "the number of people must be a whole number from 1 to 1000000",
                )
            })
    });
    let this_year = cx.today.year();
    let period = r.parsed(4, |s| match Period::parse(s) {
        Some(p) if (2000..=this_year + 10).contains(&p.year) => Ok(p),
        Some(_) => Err(Msg::new(
            format!("年份应在 2000–{} 之间", this_year + 10),
            format!("the year must be 2000–{}", this_year + 10),
        )),
        None => Err(Msg::new(
            "不是有效期间（填年份如 2026，或季度如 2026Q2、2026年第二季度）",
            "not a valid period (give a year such as 2026, or a quarter such as 2026Q2)",
        )),
    });
    let district = r.parsed(5, cx.district());
    let chain = r.optional(6, cx.chain()).unwrap_or_default();
    let note = r.optional(7, text(500)).unwrap_or_default();
    let v = (|| {
        Some(NewDemand {
            reporter_uscc: reporter?,
            occupation_code: occupation?,
            level: level?,
            people: people?,
            period: period?,
            district_code: district?,
            chain,
            note,
        })
    })();
    r.finish(v)
}

/// Writes validated demand rows `(line, row)`; a row whose reporter is not a registered
/// organisation is rejected under `reporter_label` (the column as the input named it).
/// A row for a reporter outside `scope` (the writer's scope for submitting data) is rejected
/// too; the store checks the same again.
pub(crate) async fn write_rows(
    t: &mut Tx,
    scope: &Scope,
    rows: &[(u64, NewDemand)],
    orgs: &HashMap<String, i64>,
    reporter_label: &str,
) -> Result<(WriteCounts, Vec<RejectedRow>), AppError> {
    let ids: Vec<i64> = rows.iter().filter_map(|(_, d)| orgs.get(&d.reporter_uscc).copied()).collect();
    let reached = organisations::admitted_in(t, scope, &ids).await?;
    let mut bad = Vec::new();
    let mut writes = Vec::with_capacity(rows.len());
    for (line, d) in rows {
        let problem = match orgs.get(&d.reporter_uscc) {
            // The place of the demand is within reach too: a district administrator reports for
            // their districts only; an organisation's own staff for wherever it needs people.
            Some(&reporter_id) if reached.contains(&reporter_id) && scope.admits(&demand_target(d, reporter_id)) => {
                writes.push(DemandWrite { demand: d, reporter_id });
                continue;
            }
            Some(&reporter_id) if reached.contains(&reporter_id) => {
                bad.push(rejected(
                    *line,
                    "district".to_string(),
                    &d.district_code,
                    Msg::new(
                        format!("无权填报 {} 的需求（不在您管辖的区）", d.district_code),
                        format!("you may not report demand in {} (not a district of yours)", d.district_code),
                    ),
                ));
                continue;
            }
            Some(_) => Msg::new("无权为该单位填报需求", "you may not report demand for this organisation"),
            None => organisation_not_registered("填报单位", "reporter"),
        };
        bad.push(rejected(*line, reporter_label.to_string(), &d.reporter_uscc, problem));
    }
    let counts = demand::upsert_batch_in(t, scope, &writes).await?;
    Ok((counts, bad))
}

/// What a demand row belongs to, for the scope check: its district and its reporter.
fn demand_target(d: &NewDemand, reporter_id: i64) -> Target {
    Target { districts: [d.district_code.clone()].into(), organisations: [reporter_id].into(), person: None }
}

/// Writes a batch of a demand file. Imports are the operator's (the command line): every
/// organisation may be reported for.
pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, NewDemand)>,
) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let label = res.label("reporter_uscc");
    let (counts, bad) = write_rows(t, &Scope::all(), &rows, &orgs, &label).await?;
    res.rejected.extend(bad);
    Ok(counts)
}
