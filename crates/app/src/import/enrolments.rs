//! Enrolment files (培训报名): registered persons enrolled in a programme by its provider or an
//! employer, optionally with the hours learnt and the completion. One enrolment per programme
//! and person: the same row again changes nothing, new hours or a completion update it, and a
//! second enrolment of the person (another day or account) is refused as a duplicate. The
//! programme must exist, be enrolled in by its last day and have a place left; a learner
//! account names one learner in a programme.

use std::collections::HashMap;

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::iso;
use gongjiang_domain::registry::EnrolmentStatus;
use gongjiang_domain::training::parse_hours;
use gongjiang_store::programmes::{self, Enrolment, EnrolmentWrite};
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons};
use time::Date;

use super::columns::HeaderMap;
use super::resolve::{Resolver, person_not_registered};
use super::rows::{FieldError, Row, RowContext, coded, holder_id, past_date, text};
use crate::AppError;

#[derive(Debug, Clone)]
pub struct EnrolmentRow {
    pub programme_code: String,
    pub id_number: String,
    pub learner_id: Option<String>,
    pub enrolled_on: Date,
    /// Learning time in seconds, when the file gives hours.
    pub seconds: Option<i64>,
    pub status: EnrolmentStatus,
    pub completed_on: Option<Date>,
}

fn hours(s: &str) -> Result<i64, Msg> {
    parse_hours(s).ok_or_else(|| {
        Msg::new(
            "学时应为非负数，最多两位小数，如 12 或 1.5",
            "hours must be a number ≥ 0 with up to two decimals, e.g. 12 or 1.5",
        )
    })
}

pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<EnrolmentRow, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let code = r.parsed(0, text(50));
    let id = r.parsed(1, |s| holder_id(s, today));
    let learner = r.optional(2, text(100));
    let enrolled = r.parsed(3, past_date(today));
    let seconds = r.optional(4, hours);
    let status = r.optional(5, coded(EnrolmentStatus::parse, EnrolmentStatus::allowed));
    let completed = r.optional(6, past_date(today));
    let status = match (status, completed) {
        (Some(EnrolmentStatus::Completed), None) if r.cell(6).is_empty() => {
            r.fail(6, Msg::new("已结业须填写完成日期", "a completed enrolment needs its completion day"));
            None
        }
        (Some(s), Some(_)) if s != EnrolmentStatus::Completed => {
            r.fail(
                5,
                Msg::new(
                    "填写了完成日期，学习状态应为已结业",
                    "a completion day is given: the status must be completed",
                ),
            );
            None
        }
        (Some(s), _) => Some(s),
        (None, Some(_)) => Some(EnrolmentStatus::Completed),
        (None, None) => Some(EnrolmentStatus::Enrolled),
    };
    if let (Some(e), Some(c)) = (enrolled, completed)
        && c < e
    {
        r.fail(6, Msg::new("完成日期早于报名日期", "completed before enrolling"));
    }
    let v = (|| {
        Some(EnrolmentRow {
            programme_code: code?,
            id_number: id?,
            learner_id: learner,
            enrolled_on: enrolled?,
            seconds,
            status: status?,
            completed_on: completed,
        })
    })();
    r.finish(v)
}

/// What an enrolment of the file already meets: stored, or earlier in the file.
enum Seen {
    Stored(Enrolment),
    InFile(u64),
}

pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, EnrolmentRow)>,
) -> Result<WriteCounts, AppError> {
    let mut codes: Vec<&str> = rows.iter().map(|(_, r)| r.programme_code.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    let programmes = programmes::by_codes_in(t, &codes).await?;
    let ids: Vec<i64> = programmes.values().map(|p| p.id).collect();
    let keys: Vec<&str> = rows.iter().map(|(_, r)| r.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;

    let mut seen: HashMap<(i64, i64), Seen> = HashMap::new();
    let mut accounts: HashMap<(i64, String), i64> = HashMap::new();
    let mut taken: HashMap<i64, i64> = HashMap::new();
    for e in programmes::enrolments_of_in(t, &ids).await? {
        if e.status != "withdrawn" {
            *taken.entry(e.programme_id).or_default() += 1;
        }
        if let Some(l) = &e.learner_id {
            accounts.insert((e.programme_id, l.clone()), e.person_id);
        }
        seen.insert((e.programme_id, e.person_id), Seen::Stored(e));
    }

    let mut counts = WriteCounts::default();
    let mut inserts: Vec<EnrolmentWrite> = Vec::new();
    for (line, row) in rows {
        let Some(p) = programmes.get(&row.programme_code) else {
            res.reject(
                line,
                "programme_code",
                &row.programme_code,
                Msg::new("培训项目不存在：请先导入培训项目", "no such programme: import it under programmes first"),
            );
            continue;
        };
        let Some(&person_id) = people.get(&row.id_number) else {
            res.reject(line, "id_number", &row.id_number, person_not_registered());
            continue;
        };
        if row.enrolled_on > p.ends_on {
            res.reject(
                line,
                "enrolled_on",
                &iso(row.enrolled_on),
                Msg::new(
                    format!("报名日期晚于项目结业日期 {}", iso(p.ends_on)),
                    format!("enrolled after the programme ended on {}", iso(p.ends_on)),
                ),
            );
            continue;
        }
        let status = row.status.code().to_owned();
        match seen.get(&(p.id, person_id)) {
            Some(Seen::InFile(first)) => {
                let first = *first;
                res.reject(
                    line,
                    "id_number",
                    &row.id_number,
                    Msg::new(
                        format!("重复报名：此人已在本文件第 {first} 行报名该项目"),
                        format!(
                            "duplicate enrolment: this person is enrolled in the programme on line {first} of this file"
                        ),
                    ),
                );
            }
            Some(Seen::Stored(e))
                if e.enrolled_on != row.enrolled_on || (row.learner_id.is_some() && e.learner_id != row.learner_id) =>
            {
                let e_learner = e.learner_id.clone().unwrap_or_default();
                res.reject(
                    line,
                    "id_number",
                    &row.id_number,
                    Msg::new(
                        format!("重复报名：此人已于 {} 报名该项目（学员账号 {}）", iso(e.enrolled_on), e_learner),
                        format!(
                            "duplicate enrolment: this person enrolled in the programme on {} (learner account {})",
                            iso(e.enrolled_on),
                            e_learner
                        ),
                    ),
                );
            }
            Some(Seen::Stored(e)) => {
                let seconds = row.seconds.unwrap_or(e.seconds);
                let completed_on = if row.status == EnrolmentStatus::Completed { row.completed_on } else { None };
                if (seconds, &status, completed_on) == (e.seconds, &e.status, e.completed_on) {
                    counts.unchanged += 1;
                } else {
                    programmes::update_enrolment_in(t, e.id, seconds, &status, completed_on, &res.recorded_by).await?;
                    counts.updated += 1;
                }
            }
            None => {
                if let Some(l) = &row.learner_id
                    && accounts.get(&(p.id, l.clone())).is_some_and(|&other| other != person_id)
                {
                    res.reject(
                        line,
                        "learner_id",
                        l,
                        Msg::new(
                            "该学员账号在此项目中已属于另一名学员",
                            "this learner account belongs to another learner in the programme",
                        ),
                    );
                    continue;
                }
                let n = taken.entry(p.id).or_default();
                if row.status != EnrolmentStatus::Withdrawn {
                    if *n >= i64::from(p.capacity) {
                        res.reject(
                            line,
                            "programme_code",
                            &row.programme_code,
                            Msg::new(
                                format!("项目已满员：计划人数 {}，已报名 {}", p.capacity, n),
                                format!("the programme is full: {} places, {} enrolled", p.capacity, n),
                            ),
                        );
                        continue;
                    }
                    *n += 1;
                }
                if let Some(l) = &row.learner_id {
                    accounts.insert((p.id, l.clone()), person_id);
                }
                seen.insert((p.id, person_id), Seen::InFile(line));
                inserts.push(EnrolmentWrite {
                    programme_id: p.id,
                    person_id,
                    learner_id: row.learner_id,
                    enrolled_on: row.enrolled_on,
                    seconds: row.seconds.unwrap_or(0),
                    status,
                    completed_on: row.completed_on,
                });
                counts.inserted += 1;
            }
        }
    }
    programmes::insert_enrolments_in(t, &inserts, &res.recorded_by).await?;
    Ok(counts)
}
