//! Training programme files (培训项目): a registered provider's programme, keyed by its code.
//! A code already held by another provider is refused; a stored programme is updated, but not
//! to fewer places than it has learners.

use std::collections::HashMap;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::registry::{ProgrammeKind, ProgrammeMode};
use gongjiang_domain::training::parse_hours;
use gongjiang_store::WriteCounts;
use gongjiang_store::programmes::{self, ProgrammeWrite};
use gongjiang_store::tx::Tx;

use super::columns::HeaderMap;
use super::resolve::{Resolver, SeenCodes, organisation_not_registered, repeated_in_file};
use super::rows::{FieldError, Row, RowContext, any_date, coded, positive, text, uscc};
use crate::AppError;

/// A programme row, validated; the provider still to be resolved.
#[derive(Debug, Clone)]
pub struct ProgrammeRow {
    pub provider_uscc: String,
    pub write: ProgrammeWrite,
}

/// An absolute `http(s)` address without spaces: the platform's xAPI `homePage`.
fn platform_url(s: &str) -> Result<String, Msg> {
    let ok = (s.starts_with("https://") || s.starts_with("http://"))
        && s.len() > "https://".len()
        && s.len() <= 500
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(s.to_owned())
    } else {
        Err(Msg::new(
            "平台地址应为 http:// 或 https:// 开头的完整网址",
            "the platform address must be a full http:// or https:// URL",
        ))
    }
}

fn code(s: &str) -> Result<String, Msg> {
    let t = text(50)(s)?;
    if t.chars().any(char::is_whitespace) {
        return Err(Msg::new("项目编号不能含空格", "a programme code must not contain spaces"));
    }
    Ok(t)
}

fn hours(s: &str) -> Result<i64, Msg> {
    match parse_hours(s) {
        Some(secs) if secs > 0 => Ok(secs),
        _ => Err(Msg::new(
            "学时应为正数，最多两位小数，如 72 或 1.5",
            "hours must be a positive number with up to two decimals, e.g. 72 or 1.5",
        )),
    }
}

pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<ProgrammeRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let code = r.parsed(0, code);
    let provider = r.parsed(1, uscc);
    let name = r.parsed(2, text(200));
    let occupation = r.parsed(3, cx.occupation());
    let level = r.parsed(4, cx.level());
    let mode = r.parsed(5, coded(ProgrammeMode::parse, ProgrammeMode::allowed));
    let seconds = r.parsed(6, hours);
    let starts = r.parsed(7, any_date);
    let ends = r.parsed(8, any_date);
    let capacity = r.parsed(9, positive);
    let url = r.optional(10, platform_url);
    let kind = r.optional(11, coded(ProgrammeKind::parse, ProgrammeKind::allowed));
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        r.fail(8, Msg::new("结业日期早于开班日期", "the programme ends before it starts"));
    }
    let v = (|| {
        Some(ProgrammeRow {
            provider_uscc: provider?,
            write: ProgrammeWrite {
                code: code?,
                provider_id: 0,
                name: name?,
                occupation_code: occupation?,
                level: i16::from(level?.rank()),
                mode: mode?.code().to_owned(),
                kind: kind.map(|k| k.code().to_owned()),
                required_seconds: seconds?,
                starts_on: starts?,
                ends_on: ends?,
                capacity: capacity? as i32,
                platform_url: url,
            },
        })
    })();
    r.finish(v)
}

pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, ProgrammeRow)>,
) -> Result<WriteCounts, AppError> {
    let orgs = res.organisations(t).await?;
    let codes: Vec<&str> = rows.iter().map(|(_, r)| r.write.code.as_str()).collect();
    let stored = programmes::by_codes_in(t, &codes).await?;
    let ids: Vec<i64> = stored.values().map(|p| p.id).collect();
    let mut learners: HashMap<i64, i64> = HashMap::new();
    for e in programmes::enrolments_of_in(t, &ids).await? {
        if e.status != "withdrawn" {
            *learners.entry(e.programme_id).or_default() += 1;
        }
    }
    let mut counts = WriteCounts::default();
    let mut inserts: Vec<ProgrammeWrite> = Vec::new();
    let mut seen: SeenCodes<ProgrammeWrite> = HashMap::new();
    for (line, row) in rows {
        let Some(&provider_id) = orgs.get(&row.provider_uscc) else {
            res.reject(
                line,
                "provider_uscc",
                &row.provider_uscc,
                organisation_not_registered("培训机构", "training provider"),
            );
            continue;
        };
        let w = ProgrammeWrite { provider_id, ..row.write };
        if repeated_in_file(res, &mut seen, &mut counts.unchanged, line, &w.code, &w, "项目编号") {
            continue;
        }
        match stored.get(&w.code) {
            Some(p) if p.provider_id != provider_id => res.reject(
                line,
                "code",
                &w.code,
                Msg::new(
                    format!("项目编号已属于其他培训机构（{}）的项目", p.provider_uscc),
                    format!("the code belongs to a programme of another provider ({})", p.provider_uscc),
                ),
            ),
            Some(p) if !p.differs(&w) => counts.unchanged += 1,
            Some(p) => {
                let n = learners.get(&p.id).copied().unwrap_or(0);
                if i64::from(w.capacity) < n {
                    res.reject(
                        line,
                        "capacity",
                        &w.capacity.to_string(),
                        Msg::new(
                            format!("计划人数少于已报名的 {n} 人"),
                            format!("fewer places than the {n} learners already enrolled"),
                        ),
                    );
                    continue;
                }
                programmes::update_in(t, p.id, &w, &res.recorded_by).await?;
                counts.updated += 1;
            }
            None => {
                inserts.push(w);
                counts.inserted += 1;
            }
        }
    }
    programmes::insert_in(t, &inserts, &res.recorded_by).await?;
    Ok(counts)
}
