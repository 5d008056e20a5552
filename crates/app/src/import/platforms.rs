//! Training platform files (培养平台): a designation attached to a registered organisation,
//! keyed by its code. The organisation must be registered; a skill-master studio names its lead
//! master, a registered person (by identity number, stored as the person's id); the other kinds
//! name none. Validity ends on or after approval; funding is in 万元 (ten thousand yuan) and
//! stored in yuan. A code held by another organisation's platform is refused; a stored platform
//! is updated.

use std::collections::HashMap;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::registry::{PlatformKind, PlatformTier};
use gongjiang_store::platforms::{self, PlatformWrite};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};

use super::columns::HeaderMap;
use super::resolve::{Resolver, SeenCodes, organisation_not_registered, person_not_registered, repeated_in_file};
use super::rows::{FieldError, Row, RowContext, any_date, coded, holder_id, text, uscc};
use crate::AppError;

/// A platform row, validated; the organisation and the lead still to be resolved.
#[derive(Debug, Clone)]
pub struct PlatformRow {
    pub organisation_uscc: String,
    pub lead_id_number: Option<String>,
    pub write: PlatformWrite,
}

fn code(s: &str) -> Result<String, Msg> {
    let t = text(50)(s)?;
    if t.chars().any(char::is_whitespace) {
        return Err(Msg::new("平台编号不能含空格", "a platform code must not contain spaces"));
    }
    Ok(t)
}

/// 万元 with up to four decimals (a whole yuan), ≥ 0 → yuan.
fn funding(s: &str) -> Result<i64, Msg> {
    let bad = || {
        Msg::new(
            "资助金额应为不小于 0 的万元数，最多四位小数，如 200 或 12.5",
            "funding must be a number of 万元 (10,000 yuan) ≥ 0 with up to four decimals, e.g. 200 or 12.5",
        )
    };
    let t = s.trim();
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty()
        || whole.len() > 9
        || frac.len() > 4
        || !(whole.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let w: i64 = whole.parse().map_err(|_| bad())?;
    let f: i64 = format!("{frac:0<4}").parse().map_err(|_| bad())?;
    Ok(w * 10_000 + f)
}

pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<PlatformRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let code = r.parsed(0, code);
    let organisation = r.parsed(1, uscc);
    let name = r.parsed(2, text(200));
    let kind = r.parsed(3, coded(PlatformKind::parse, PlatformKind::allowed));
    let tier = r.parsed(4, coded(PlatformTier::parse, PlatformTier::allowed));
    let approved = r.parsed(5, any_date);
    let valid_until = r.optional(6, any_date);
    let funding = r.optional(7, funding);
    let occupation = r.optional(8, cx.occupation());
    let lead = r.optional(9, |s| holder_id(s, cx.today));
    if let (Some(a), Some(v)) = (approved, valid_until)
        && v < a
    {
        r.fail(6, Msg::new("有效期截止日期早于批准日期", "the platform's validity ends before its approval"));
    }
    if let Some(k) = kind {
        if k.has_lead() && lead.is_none() && r.cell(9).trim().is_empty() {
            r.fail(
                9,
                Msg::new(
                    format!("{}须填写领衔人（大师）的身份证号", k.zh()),
                    format!("a {} must name its lead master's identity number", k.en()),
                ),
            );
        }
        if !k.has_lead() && !r.cell(9).trim().is_empty() {
            r.fail(
                9,
                Msg::new(
                    format!("{}没有领衔人，此列应留空", k.zh()),
                    format!("a {} has no lead person: leave this column empty", k.en()),
                ),
            );
        }
    }
    if approved.is_some_and(|a| a > cx.today) {
        r.fail(5, Msg::new("批准日期晚于今天", "the approval date is after today"));
    }
    let v = (|| {
        Some(PlatformRow {
            organisation_uscc: organisation?,
            lead_id_number: lead,
            write: PlatformWrite {
                code: code?,
                organisation_id: 0,
                name: name?,
                kind: kind?.code().to_owned(),
                tier: tier?.code().to_owned(),
                approved_on: approved?,
                valid_until,
                funding_yuan: funding,
                occupation_code: occupation,
                lead_person_id: None,
            },
        })
    })();
    r.finish(v)
}

pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, PlatformRow)>,
) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let keys: Vec<&str> = rows.iter().filter_map(|(_, r)| r.lead_id_number.as_deref()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let codes: Vec<&str> = rows.iter().map(|(_, r)| r.write.code.as_str()).collect();
    let stored = platforms::by_codes_in(t, &codes).await?;
    let mut counts = WriteCounts::default();
    let mut inserts: Vec<PlatformWrite> = Vec::new();
    let mut seen: SeenCodes<PlatformWrite> = HashMap::new();
    for (line, row) in rows {
        let Some(&organisation_id) = orgs.get(&row.organisation_uscc) else {
            res.reject(
                line,
                "organisation_uscc",
                &row.organisation_uscc,
                organisation_not_registered("依托单位", "organisation"),
            );
            continue;
        };
        let lead_person_id = match &row.lead_id_number {
            None => None,
            Some(n) => match people.get(n.as_str()) {
                Some(&id) => Some(id),
                None => {
                    res.reject(line, "lead_id_number", n, person_not_registered());
                    continue;
                }
            },
        };
        let w = PlatformWrite { organisation_id, lead_person_id, ..row.write };
        if repeated_in_file(res, &mut seen, &mut counts.unchanged, line, &w.code, &w, "平台编号") {
            continue;
        }
        match stored.get(&w.code) {
            Some(s) if s.write.organisation_id != organisation_id => res.reject(
                line,
                "code",
                &w.code,
                Msg::new("平台编号已属于其他单位的平台", "the code belongs to another organisation's platform"),
            ),
            Some(s) if s.write == w => counts.unchanged += 1,
            Some(s) => {
                platforms::update_in(t, s.id, &w, &res.recorded_by).await?;
                counts.updated += 1;
            }
            None => {
                inserts.push(w);
                counts.inserted += 1;
            }
        }
    }
    platforms::insert_in(t, &inserts, &res.recorded_by).await?;
    Ok(counts)
}
