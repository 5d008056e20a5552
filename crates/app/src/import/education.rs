//! Education files: the schooling of registered persons (身份证号, 学历, 专业, 毕业日期,
//! 预计毕业日期), one row per education. A graduate's row has the graduation date; a student's
//! only the expected date. The class attended is asked for: "技师学院" alone does not say
//! whether a row is a 预备技师班, 高级工班 or 中级工班 graduate, so such a row is refused with a
//! message naming the classes.

use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::records::NewEducation;
use gongjiang_domain::registry::Education;
use gongjiang_store::tx::Tx;
use gongjiang_store::{WriteCounts, persons, schooling};

use super::columns::HeaderMap;
use super::resolve::{Resolver, person_not_registered};
use super::rows::{FieldError, Row, RowContext, any_date, holder_id, past_date, text};
use crate::AppError;

fn education(s: &str) -> Result<Education, Msg> {
    if Education::ambiguous_school(s) {
        return Err(Msg::new(
            format!(
                "{s} 是学校类别，不是所读班级：请填写预备技师班、高级工班或中级工班（技工院校的申报条件按班级区分）"
            ),
            format!(
                "{s} names a kind of school, not the class attended: give 预备技师班 (pre-technician), 高级工班 (advanced-worker) or 中级工班 (intermediate-worker) — the application routes depend on the class"
            ),
        ));
    }
    Education::parse(s).ok_or_else(|| {
        let a = Education::allowed();
        Msg::new(format!("无法识别，可填：{a}"), format!("not recognised; allowed: {a}"))
    })
}

/// Checks one row: a known education (the class for a technician school), exactly one of the
/// graduation date (not in the future) and the expected graduation date.
pub fn validate(cx: &RowContext<'_>, h: &HeaderMap, cells: &[String]) -> Result<NewEducation, Vec<FieldError>> {
    let mut r = Row::new(h, cells);
    let today = cx.today;
    let id = r.parsed(0, |s| holder_id(s, today));
    let edu = r.parsed(1, education);
    let major = r.optional(2, text(100)).unwrap_or_default();
    let graduated_on = r.optional(3, past_date(today));
    let expected = r.optional(4, any_date);
    match (r.cell(3).is_empty(), r.cell(4).is_empty()) {
        (true, true) => r.fail(
            3,
            Msg::new(
                "毕业日期与预计毕业日期须填写其一（在读学生只填预计毕业日期）",
                "give graduated_on or expected_graduation_on (a student gives only the expected date)",
            ),
        ),
        (false, false) => r.fail(
            4,
            Msg::new(
                "已填毕业日期时不应再填预计毕业日期：已毕业者只填毕业日期，在读学生只填预计毕业日期",
                "give only one date: graduated_on for a graduate, expected_graduation_on for a student",
            ),
        ),
        _ => {}
    }
    let v = (|| {
        Some(NewEducation {
            id_number: id?,
            education: edu?,
            major: major.trim().to_owned(),
            graduated_on,
            expected_graduation_on: expected,
        })
    })();
    r.finish(v)
}

/// Writes a batch: the person must be registered.
pub(super) async fn write(
    res: &mut Resolver,
    t: &mut Tx,
    rows: Vec<(u64, NewEducation)>,
) -> Result<WriteCounts, AppError> {
    let keys: Vec<&str> = rows.iter().map(|(_, e)| e.id_number.as_str()).collect();
    let people = persons::ids_by_id_number_in(t, &keys).await?;
    let mut writes = Vec::with_capacity(rows.len());
    for (line, e) in &rows {
        match people.get(&e.id_number) {
            Some(&person_id) => writes.push((person_id, e)),
            None => res.reject(*line, "id_number", &e.id_number, person_not_registered()),
        }
    }
    Ok(schooling::upsert_education_in(t, &writes, &res.recorded_by).await?)
}
