//! Organisations files: one row per organisation, by credit code.

use gongjiang_domain::records::NewOrganisation;
use gongjiang_domain::registry::OrgKind;
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, organisations};

use super::columns::HeaderMap;
use super::rows::{FieldError, Row, RowContext, coded, name, uscc};
use crate::AppError;

/// Checks one row of an organisations file.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewOrganisation, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let uscc = r.parsed(0, uscc);
    let name = r.parsed(1, name(200));
    let kind = r.parsed(2, coded(OrgKind::parse, OrgKind::allowed));
    let district = r.parsed(3, cx.district());
    let industry = r.optional(4, cx.industry());
    let chains = r.optional(5, cx.chains());
    let v = (|| {
        Some(NewOrganisation { uscc: uscc?, name: name?, kind: kind?, district_code: district?, industry, chains })
    })();
    r.finish(v)
}

/// Writes a batch: nothing to resolve, every valid row is upserted by credit code.
pub(super) async fn write(t: &mut Tx, rows: Vec<(u64, NewOrganisation)>) -> Result<WriteCounts, AppError> {
    let recs: Vec<NewOrganisation> = rows.into_iter().map(|(_, r)| r).collect();
    Ok(organisations::upsert_batch_in(t, &recs).await?)
}
