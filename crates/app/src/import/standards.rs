//! Standards files: which national occupational skill standard governs an occupation from a
//! date on, and which edition of the policy's application conditions (申报条件) it follows.
//! The eligibility engine uses the standard in force on the decision date
//! (`domain::standards`).

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::standards::Standard;
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, standards};

use super::columns::HeaderMap;
use super::rows::{FieldError, Row, RowContext, text};
use crate::AppError;

/// The policy edition a cell names: its id (`2018`), or the id with 版/年版 (`2018版`).
fn edition<'a>(cx: &'a RowContext<'_>) -> impl Fn(&str) -> Result<String, Msg> + 'a {
    move |s: &str| {
        let t = s.strip_suffix("年版").or_else(|| s.strip_suffix('版')).unwrap_or(s).trim();
        let editions = &cx.policy.eligibility.editions;
        editions.iter().find(|e| e.id == t).map(|e| e.id.clone()).ok_or_else(|| {
            let ids = editions.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join("、");
            Msg::new(
                format!("不是策略中的申报条件版本，可填：{ids}"),
                format!("not an edition of the policy's application conditions; allowed: {ids}"),
            )
        })
    }
}

/// Checks one row of a standards file.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<Standard, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let occupation = r.parsed(0, cx.occupation());
    let edition = r.parsed(1, edition(cx));
    let effective_from = r.parsed(2, |s| {
        parse_date(s).ok_or_else(|| {
            Msg::new("不是有效日期（应为 YYYY-MM-DD 或 YYYY-MM）", "not a valid date (use YYYY-MM-DD or YYYY-MM)")
        })
    });
    if let (Some(id), Some(from)) = (&edition, effective_from)
        && let Some(e) = cx.policy.eligibility.edition(id)
        && from < e.effective_from
    {
        r.fail(
            2,
            Msg::new(
                format!("施行日期早于 {id} 版申报条件的生效日期 {}", gongjiang_domain::dates::iso(e.effective_from)),
                format!("in force before the {id} edition itself ({})", gongjiang_domain::dates::iso(e.effective_from)),
            ),
        );
    }
    let name = r.optional(3, text(200));
    let source = r.optional(4, text(1000));
    let v = (|| {
        Some(Standard { occupation: occupation?, edition: edition?, effective_from: effective_from?, name, source })
    })();
    r.finish(v)
}

/// Writes a batch: every valid row is upserted by (occupation, effective_from).
pub(super) async fn write(t: &mut Tx, rows: Vec<(u64, Standard)>) -> Result<WriteCounts, AppError> {
    let recs: Vec<Standard> = rows.into_iter().map(|(_, r)| r).collect();
    Ok(standards::upsert_batch_in(t, &recs).await?)
}
