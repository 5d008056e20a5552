//! Levels files: a registered person's skill level in an occupation, with its certificate and
//! issuer, and its revocation when the row records one.

use gongjiang_domain::bilingual::{Explain, Msg};
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::iso;
use gongjiang_domain::records::NewLevel;
use gongjiang_domain::registry::LevelSource;
use gongjiang_store::levels::{self, LevelWrite};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};
use time::Date;

use super::columns::HeaderMap;
use super::resolve::{Resolver, organisation_not_registered, person_not_registered};
use super::rows::{FieldError, Row, RowContext, coded, holder_id, past_date, text, uscc};
use crate::AppError;

/// A levels file row: the level, and its revocation (day, reason) when the row records one.
#[derive(Debug, Clone)]
pub struct LevelRow {
    pub level: NewLevel,
    pub revoked: Option<(Date, String)>,
}

/// Checks one row of a levels file: the certificate number's level code must agree with the
/// level; a revocation needs its day and its reason, and is not before the level was obtained.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<LevelRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let id = r.parsed(0, |s| holder_id(s, today));
    let occupation = r.parsed(1, cx.occupation());
    let level = r.parsed(2, cx.level());
    let obtained_on = r.parsed(3, past_date(today));
    let source = r.optional(4, coded(LevelSource::parse, LevelSource::allowed)).unwrap_or(LevelSource::Exam);
    let trade = r.optional(5, text(100)).filter(|t| t != "--").unwrap_or_default();
    let cert = r.optional(6, |s| CertificateNo::parse(s).map_err(|e| e.explain()));
    if let (Some(c), Some(l)) = (&cert, level)
        && let Some(cl) = c.level()
        && cl != l
    {
        let (cn, ln) = (cx.policy.ladder.name_zh(cl), cx.policy.ladder.name_zh(l));
        r.fail(
            6,
            Msg::new(
                format!("证书编号的等级码表示{cn}，与技能等级{ln}不符"),
                format!("the certificate number's level code means {cn}, which does not match the level {ln}"),
            ),
        );
    }
    let issuer = r.optional(7, uscc);
    let revoked_on = r.optional(8, past_date(today));
    let reason = r.optional(9, text(200));
    if let (Some(on), Some(obtained)) = (revoked_on, obtained_on)
        && on < obtained
    {
        r.fail(8, Msg::new("撤销日期早于取得日期", "revoked before it was obtained"));
    }
    if revoked_on.is_some() && reason.is_none() {
        r.fail(9, Msg::new("撤销等级须填写撤销原因", "a revocation needs its reason"));
    }
    if reason.is_some() && revoked_on.is_none() && r.cell(8).is_empty() {
        r.fail(8, Msg::new("填写了撤销原因，但缺少撤销日期", "a revocation reason without its date"));
    }
    let v = (|| {
        let level = NewLevel {
            id_number: id?,
            occupation_code: occupation?,
            trade,
            level: level?,
            obtained_on: obtained_on?,
            source,
            certificate_no: cert.map(|c| c.as_str().to_string()),
            issuer_uscc: issuer,
        };
        Some(LevelRow { level, revoked: revoked_on.zip(reason) })
    })();
    r.finish(v)
}

/// Writes a batch: the person (and the issuer, when given) must be registered. A level revoked
/// already keeps its day: a row giving another is refused; so is revoking one that backs a
/// certificate issued here (`cert revoke` does it, and publishes the revocation in the
/// credential's status list).
pub(super) async fn write(res: &mut Resolver, t: &mut Tx, rows: Vec<(u64, LevelRow)>) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let keys: Vec<&str> = rows.iter().map(|(_, r)| r.level.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let recorded_by = res.recorded_by.clone();
    let mut writes = Vec::with_capacity(rows.len());
    let mut lines = Vec::with_capacity(rows.len());
    for (line, row) in &rows {
        let l = &row.level;
        let Some(&person_id) = people.get(&l.id_number) else {
            res.reject(*line, "id_number", &l.id_number, person_not_registered());
            continue;
        };
        let issuer_id = match l.issuer_uscc.as_deref() {
            None => None,
            Some(u) => match orgs.get(u) {
                Some(&id) => Some(id),
                None => {
                    res.reject(*line, "issuer_uscc", u, organisation_not_registered("发证机构", "issuer"));
                    continue;
                }
            },
        };
        let revoked = row.revoked.as_ref().map(|(on, reason)| (*on, reason.as_str()));
        writes.push(LevelWrite { revoked, level: l, person_id, issuer_id, recorded_by: &recorded_by });
        lines.push(*line);
    }
    let revoking: Vec<levels::Key> = writes.iter().filter(|w| w.revoked.is_some()).map(levels::key_of).collect();
    let stored = levels::revocation_states_in(t, &revoking).await?;
    let mut kept = Vec::with_capacity(writes.len());
    for (w, line) in writes.into_iter().zip(lines) {
        let (Some((on, _)), Some(state)) = (w.revoked, stored.get(&levels::key_of(&w))) else {
            kept.push(w);
            continue;
        };
        let refusal = match (state.revoked_on, &state.certificate_no) {
            (Some(was), _) if was != on => {
                let was = iso(was);
                Some(Msg::new(
                    format!("该等级已于 {was} 撤销，撤销日期不能更改"),
                    format!("this level was revoked on {was} already; that day cannot change"),
                ))
            }
            (None, Some(number)) => Some(Msg::new(
                format!("该等级由本系统颁发的证书 {number} 证明，请用 gongjiang cert revoke {number} 撤销"),
                format!(
                    "certificate {number}, issued here, backs this level: revoke it with gongjiang cert revoke {number}"
                ),
            )),
            _ => None,
        };
        match refusal {
            Some(reason) => res.reject(line, "revoked_on", &iso(on), reason),
            None => kept.push(w),
        }
    }
    Ok(levels::record_batch_in(t, &kept).await?)
}
