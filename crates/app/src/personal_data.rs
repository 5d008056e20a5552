//! A person's rights over their data (PIPL art. 45–46): a copy of everything the registry holds
//! about them (查询/复制) as JSON or XLSX, and requests to correct it (记录更正请求) with the
//! decision. Each is an audit entry: `person.export`, `correction.request`, `correction.decide`,
//! and `person.correct` when an accepted correction changes the record (before and after; an
//! identity number is never written into an entry).

use std::path::Path;

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::dates::iso;
use gongjiang_domain::registry::IdType;
use gongjiang_store::audit::{self as audit_store, AuditFilter};
use gongjiang_store::benefits::{self, ClaimRow};
use gongjiang_store::certificates::{self, Appointment};
use gongjiang_store::competitions::{self, StoredResult};
use gongjiang_store::corrections::{self, Correction, NewCorrection};
use gongjiang_store::employment::{self, Spell};
use gongjiang_store::insurance::{self, StoredSpell};
use gongjiang_store::levels::{self, LevelRecord};
use gongjiang_store::persons::{self, FieldValue, Person};
use gongjiang_store::schooling::{self, StoredEducation, StoredTitle};
use gongjiang_store::{StoreError, applications, organisations, tx};
use gongjiang_tabular::TableWriter;
use serde::Serialize;
use serde_json::{Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::audit::{self, Actor};
use crate::import::rows::{CheckedField, RowContext};
use crate::{App, AppError};

/// The fields a correction may name, with their Chinese names.
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "姓名"),
    ("id_number", "证件号码"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("district", "工作所在区"),
    ("employer", "单位统一社会信用代码"),
    ("occupation", "职业代码"),
    ("education", "学历"),
    ("employment_status", "就业状态"),
    ("work_start", "参加工作日期"),
    ("other", "其他（等级、证书、就业经历等，附说明）"),
];

/// Everything the registry holds about one person.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalData {
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    pub notice: Msg,
    /// The registry record, the identity number in full.
    pub person: Person,
    pub levels: Vec<LevelRecord>,
    pub employment: Vec<Spell>,
    /// Education records, each with its graduation or expected date.
    pub education: Vec<StoredEducation>,
    /// Professional titles (职称).
    pub titles: Vec<StoredTitle>,
    pub applications: Vec<ApplicationCopy>,
    pub certificates: Vec<CertificateCopy>,
    pub appointments: Vec<Appointment>,
    /// Competition results and the promotion decision taken on each (以赛代评).
    pub competition_results: Vec<StoredResult>,
    /// Social-insurance contribution spells on record.
    pub insurance: Vec<StoredSpell>,
    /// Benefit claims made for the person (免申即享 or applied for), with their status.
    pub benefit_claims: Vec<ClaimRow>,
    pub corrections: Vec<Correction>,
    /// Who read, exported or changed this record (the audit trail's entries about it).
    pub access_log: Vec<AccessEntry>,
}

/// An application to an evaluation session, as the candidate may see it.
#[derive(Debug, Clone, Serialize)]
pub struct ApplicationCopy {
    pub session_id: i64,
    pub applied_on: String,
    pub status: String,
    pub reason_zh: String,
    pub reason_en: String,
    pub submitted_by: String,
    pub override_justification: Option<String>,
    pub theory_tenths: Option<i32>,
    pub practical_tenths: Option<i32>,
    pub review_tenths: Option<i32>,
    pub result: Option<String>,
}

/// A certificate held (the signed credential is the holder's too, but long: its id is enough to
/// fetch it).
#[derive(Debug, Clone, Serialize)]
pub struct CertificateCopy {
    pub number: String,
    pub public_id: Uuid,
    pub title: String,
    pub occupation_code: String,
    pub occupation_name: String,
    pub level_text: String,
    pub institution_name: String,
    pub issue_date: String,
    pub status: String,
    pub status_reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccessEntry {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub resource: String,
    pub client_addr: Option<String>,
}

fn not_found() -> AppError {
    AppError::NotFound(Msg::new("没有此人员，或无权查看", "no such person, or not yours to see"))
}

/// Everything the registry holds about the person `person_id`, if `scope` (the caller's scope
/// for reading personal data) reaches them. The export is audited (`person.export`) before the
/// data is returned.
pub async fn export(app: &App, actor: &Actor, scope: &Scope, person_id: i64) -> Result<PersonalData, AppError> {
    let person = persons::get(&app.db, scope, person_id).await?.ok_or_else(not_found)?;
    let all = Scope::all();
    let levels = levels::history(&app.db, &all, person.id).await?;
    let employment = employment::for_person(&app.db, &all, person.id).await?;
    let education = schooling::education_of(&app.db, person.id).await?;
    let titles = schooling::titles_of(&app.db, person.id).await?;
    let applications: Vec<ApplicationCopy> = applications::for_person(&app.db, person.id)
        .await?
        .into_iter()
        .map(|a| ApplicationCopy {
            session_id: a.session_id,
            applied_on: iso(a.applied_on),
            status: a.status,
            reason_zh: a.reason_zh,
            reason_en: a.reason_en,
            submitted_by: a.submitted_by,
            override_justification: a.override_justification,
            theory_tenths: a.theory_tenths,
            practical_tenths: a.practical_tenths,
            review_tenths: a.review_tenths,
            result: a.result,
        })
        .collect();
    let held = certificates::for_person(&app.db, person.id).await?;
    let appointments = certificates::appointments_of(&app.db, person.id).await?;
    let corrections = corrections::list(&app.db, Some(person.id), None).await?;
    let competition_results = competitions::of_person(&app.db, person.id).await?;
    let insurance = insurance::of_person(&app.db, person.id).await?;
    let benefit_claims = benefits::claims_of(&app.db, person.id).await?;

    // The trail's entries about this person and their certificates.
    let mut records: Vec<(&str, String)> = vec![("persons", person.public_id.to_string())];
    for c in &held {
        records.push(("certificates", c.public_id.to_string()));
        records.push(("certificates", c.number.clone()));
    }
    let mut access_log = Vec::new();
    for (resource, record) in records {
        let f = AuditFilter { resource: Some(resource.to_string()), record_id: Some(record), ..AuditFilter::default() };
        for e in audit_store::search(&app.db, &f, None, 10_000).await? {
            access_log.push(AccessEntry {
                at: e.at,
                actor: e.actor,
                action: e.action,
                resource: e.resource,
                client_addr: e.client_addr,
            });
        }
    }
    access_log.sort_by_key(|e| e.at);

    let data = PersonalData {
        generated_at: OffsetDateTime::now_utc(),
        notice: Msg::new(
            "本文件是登记系统中关于您的全部个人信息的副本（含完整证件号码），请妥善保管。如有错误，可申请更正。",
            "This file is a copy of everything the registry holds about you (with your full identity \
             number): keep it safe. If anything is wrong, you may ask for it to be corrected.",
        ),
        certificates: held
            .into_iter()
            .map(|c| CertificateCopy {
                number: c.number,
                public_id: c.public_id,
                title: c.title,
                occupation_code: c.occupation_code,
                occupation_name: c.occupation_name,
                level_text: c.level_text,
                institution_name: c.institution_name,
                issue_date: iso(c.issue_date),
                status: c.status,
                status_reason: c.status_reason,
            })
            .collect(),
        person,
        levels,
        employment,
        education,
        titles,
        applications,
        appointments,
        competition_results,
        insurance,
        benefit_claims,
        corrections,
        access_log,
    };
    let after = json!({
        "levels": data.levels.len(), "employment": data.employment.len(),
        "education": data.education.len(), "titles": data.titles.len(),
        "applications": data.applications.len(), "certificates": data.certificates.len(),
        "appointments": data.appointments.len(), "competition_results": data.competition_results.len(),
        "insurance": data.insurance.len(), "benefit_claims": data.benefit_claims.len(),
        "corrections": data.corrections.len(),
        "access_log": data.access_log.len(),
    });
    let mut t = tx::begin(&app.db).await?;
    let record = data.person.public_id.to_string();
    audit::record(&mut t, actor, "person.export", "persons", Some(&record), None, Some(&after)).await?;
    t.commit().await?;
    Ok(data)
}

/// Writes the copy as JSON (`.json`) or as a workbook (`.xlsx`: one sheet per part).
pub fn write(data: &PersonalData, path: &Path) -> Result<(), AppError> {
    let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        let text = serde_json::to_string_pretty(data)
            .map_err(|e| AppError::Invalid(Msg::new(e.to_string(), e.to_string())))?;
        std::fs::write(path, text)?;
        return Ok(());
    }
    if !path.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) {
        return Err(AppError::Invalid(Msg::new("文件应为 .json 或 .xlsx", "the file must be .json or .xlsx")));
    }
    let mut w = TableWriter::create(path, &["字段 / field", "值 / value"])?;
    w.name_sheet("基本信息 person")?;
    let person = serde_json::to_value(&data.person).unwrap_or(Value::Null);
    w.write_row(&["说明 / notice".to_string(), format!("{} {}", data.notice.zh, data.notice.en)])?;
    w.write_row(&["生成时间 / generated at".to_string(), data.generated_at.to_string()])?;
    if let Value::Object(map) = person {
        for (k, v) in map {
            w.write_row(&[k, cell(&v)])?;
        }
    }
    sheet(&mut w, "等级 levels", &data.levels)?;
    sheet(&mut w, "就业 employment", &data.employment)?;
    sheet(&mut w, "学历 education", &data.education)?;
    sheet(&mut w, "职称 titles", &data.titles)?;
    sheet(&mut w, "报名 applications", &data.applications)?;
    sheet(&mut w, "证书 certificates", &data.certificates)?;
    sheet(&mut w, "聘任 appointments", &data.appointments)?;
    sheet(&mut w, "竞赛成绩 competition results", &data.competition_results)?;
    sheet(&mut w, "社会保险 insurance", &data.insurance)?;
    sheet(&mut w, "补贴申领 benefit claims", &data.benefit_claims)?;
    sheet(&mut w, "更正请求 corrections", &data.corrections)?;
    sheet(&mut w, "访问记录 access log", &data.access_log)?;
    w.finish()?;
    Ok(())
}

fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// One sheet of records: the fields of the first as the header (an empty sheet says "none").
fn sheet<T: Serialize>(w: &mut TableWriter, name: &str, rows: &[T]) -> Result<(), AppError> {
    let rows: Vec<serde_json::Map<String, Value>> = rows
        .iter()
        .filter_map(|r| match serde_json::to_value(r) {
            Ok(Value::Object(m)) => Some(m),
            _ => None,
        })
        .collect();
    let Some(first) = rows.first() else {
        w.next_sheet(name, &["无 / none"])?;
        return Ok(());
    };
    let keys: Vec<String> = first.keys().cloned().collect();
    w.next_sheet(name, &keys.iter().map(String::as_str).collect::<Vec<_>>())?;
    for r in &rows {
        w.write_row(&keys.iter().map(|k| r.get(k).map(cell).unwrap_or_default()).collect::<Vec<_>>())?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Correction requests
// ---------------------------------------------------------------------------------------------

/// A correction request to file.
pub struct Request<'a> {
    pub person_id: i64,
    /// One of [`FIELDS`].
    pub field: &'a str,
    pub proposed: &'a str,
    pub reason: &'a str,
    /// Who asked: the person (`本人`), or the clerk who took the request on their behalf.
    pub requested_by: &'a str,
}

fn field_name(field: &str) -> Result<&'static str, AppError> {
    FIELDS.iter().find(|(f, zh)| *f == field || *zh == field).map(|(f, _)| *f).ok_or_else(|| {
        let names: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
        AppError::Invalid(Msg::new(
            format!("无法更正的字段“{field}”（可填：{}）", names.join("、")),
            format!("no such field to correct: '{field}' (one of {})", names.join(", ")),
        ))
    })
}

/// Whether a proposed identity number is checked against the registry now (when deciding) or
/// not yet (when requesting: an answer then would tell the requester whether any number is
/// registered).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Against {
    FormOnly,
    Registry,
}

/// The proposed value checked with the import's rules, as the registry would store it.
async fn checked(
    app: &App,
    person: &Person,
    field: &str,
    proposed: &str,
    against: Against,
) -> Result<Option<FieldValue>, AppError> {
    let cx = RowContext::new(&app.policy, &app.catalogue, app.today());
    let id_type = IdType::parse(&person.id_type).unwrap_or(IdType::ResidentId);
    let invalid = |m: Msg| {
        AppError::Invalid(Msg::new(format!("更正值有误：{}", m.zh), format!("the proposed value is wrong: {}", m.en)))
    };
    let value = match cx.person_field(field, id_type, proposed) {
        None => return Err(field_name(field).err().unwrap_or_else(|| invalid(Msg::new("未知字段", "unknown field")))),
        Some(r) => r.map_err(invalid)?,
    };
    let text = |v: CheckedField| match v {
        CheckedField::Text(t) => Some(t),
        _ => None,
    };
    Ok(Some(match (field, value) {
        ("other", _) => return Ok(None),
        ("name", v) => FieldValue::Name(text(v).unwrap_or_default()),
        ("id_number", CheckedField::Identity { number, gender, birth_date }) => {
            let taken = match against {
                Against::Registry => persons::ids_by_id_number(&app.db, &[number.as_str()]).await?,
                Against::FormOnly => Default::default(),
            };
            if taken.values().any(|&id| id != person.id) {
                return Err(AppError::Invalid(Msg::new(
                    "该证件号码已登记在另一人名下",
                    "this identity number is registered to someone else",
                )));
            }
            FieldValue::IdNumber { number, birth_date, gender }
        }
        ("gender", v) => FieldValue::Gender(text(v)),
        ("birth_date", CheckedField::Date(d)) => FieldValue::BirthDate(Some(d)),
        ("work_start", CheckedField::Date(d)) => FieldValue::WorkStart(Some(d)),
        ("district", v) => FieldValue::District(text(v)),
        ("employer", CheckedField::Uscc(u)) => {
            let org = organisations::by_uscc(&app.db, &Scope::all(), &u).await?.ok_or_else(|| {
                AppError::Invalid(Msg::new(format!("单位 {u} 未登记"), format!("organisation {u} is not registered")))
            })?;
            FieldValue::Employer(Some(org.id))
        }
        ("occupation", v) => FieldValue::Occupation(text(v)),
        ("education", v) => FieldValue::Education(text(v)),
        ("employment_status", v) => FieldValue::EmploymentStatus(text(v)),
        _ => return Err(invalid(Msg::new("未知字段", "unknown field"))),
    }))
}

/// Open correction requests a person may have at once: requests are free to file, and a flood of
/// them would bury the officers who decide them.
pub const MAX_OPEN_REQUESTS: usize = 10;

/// Files a correction request for a person `scope` reaches; the proposed value is checked with
/// the import's rules now (so an accepted request can be applied as it is) and stored encrypted.
/// A proposed identity number is not looked up in the registry until the request is decided:
/// the requester gets the same answer whether or not the number is registered to someone.
/// Audited as `correction.request` (the field and reason; the value stays in the encrypted
/// table). Returns the request's id.
pub async fn request_correction(app: &App, actor: &Actor, scope: &Scope, r: &Request<'_>) -> Result<i64, AppError> {
    let field = field_name(r.field.trim())?;
    let person = persons::get(&app.db, scope, r.person_id).await?.ok_or_else(not_found)?;
    let requested_by = crate::evaluation::required_text(r.requested_by, "申请人", "requester")?;
    checked(app, &person, field, r.proposed, Against::FormOnly).await?;
    let open = corrections::list(&app.db, Some(person.id), Some("open")).await?.len();
    if open >= MAX_OPEN_REQUESTS {
        return Err(AppError::Invalid(Msg::new(
            format!("已有 {open} 条更正请求待处理，请等处理后再提出"),
            format!("{open} correction requests are waiting already: wait until they are decided"),
        )));
    }
    let mut t = tx::begin(&app.db).await?;
    let id = corrections::request_in(
        &mut t,
        &NewCorrection {
            person_id: person.id,
            field,
            proposed: r.proposed.trim(),
            reason: r.reason.trim(),
            requested_by,
        },
    )
    .await?;
    let after = json!({
        "person": person.public_id, "field": field, "reason": r.reason.trim(), "requested_by": requested_by,
        "status": "open",
    });
    audit::record(
        &mut t,
        actor,
        "correction.request",
        "correction_requests",
        Some(&id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    t.commit().await?;
    Ok(id)
}

/// What deciding did.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Decided {
    pub accepted: bool,
    /// The record was changed (an accepted request for a field the registry holds; `other`
    /// requests are corrected through the process they concern).
    pub applied: bool,
}

/// Accepts or rejects an open request, with a note. An accepted request for a registry field is
/// applied to the person's record in the same transaction (`person.correct`, before and after).
pub async fn decide_correction(
    app: &App,
    actor: &Actor,
    id: i64,
    accept: bool,
    note: &str,
) -> Result<Decided, AppError> {
    let note = crate::evaluation::required_text(note, "处理意见", "note")?;
    let c = corrections::get(&app.db, id).await?.ok_or_else(|| {
        AppError::NotFound(Msg::new(format!("没有编号为 {id} 的更正请求"), format!("no correction request {id}")))
    })?;
    if c.status != "open" {
        return Err(already_decided());
    }
    let person = persons::get(&app.db, &Scope::all(), c.person_id).await?.ok_or_else(not_found)?;
    let change = if accept { checked(app, &person, &c.field, &c.proposed, Against::Registry).await? } else { None };
    let mut t = tx::begin(&app.db).await?;
    if !corrections::decide_in(&mut t, id, accept, &actor.label, note).await? {
        return Err(already_decided());
    }
    let record = person.public_id.to_string();
    if let Some(v) = &change {
        persons::correct_in(&mut t, person.id, v).await.map_err(|e| match e {
            StoreError::Conflict { .. } => AppError::Invalid(Msg::new(
                "该证件号码已登记在另一人名下",
                "this identity number is registered to someone else",
            )),
            e => e.into(),
        })?;
        let (before, after) = images(&person, &c.field, v);
        audit::record(&mut t, actor, "person.correct", "persons", Some(&record), Some(&before), Some(&after)).await?;
    }
    let after = json!({
        "person": record, "field": c.field, "status": if accept { "accepted" } else { "rejected" }, "note": note,
        "applied": change.is_some(),
    });
    let before = json!({ "status": "open" });
    audit::record(
        &mut t,
        actor,
        "correction.decide",
        "correction_requests",
        Some(&id.to_string()),
        Some(&before),
        Some(&after),
    )
    .await?;
    t.commit().await?;
    Ok(Decided { accepted: accept, applied: change.is_some() })
}

fn already_decided() -> AppError {
    AppError::Invalid(Msg::new("该更正请求已处理", "this correction request is decided already"))
}

/// The audit images of a correction: the field before and after — except an identity number,
/// which is never written into an entry.
fn images(p: &Person, field: &str, v: &FieldValue) -> (Value, Value) {
    let date = |d: Option<time::Date>| d.map(iso);
    let (before, after) = match v {
        FieldValue::IdNumber { .. } => (json!("<identity number>"), json!("<identity number, changed>")),
        FieldValue::Name(n) => (json!(p.name), json!(n)),
        FieldValue::Gender(g) => (json!(p.gender), json!(g)),
        FieldValue::BirthDate(d) => (json!(date(p.birth_date)), json!(date(*d))),
        FieldValue::District(d) => (json!(p.district_code), json!(d)),
        FieldValue::Employer(e) => (json!(p.employer_uscc), json!(e.map(|id| format!("organisation {id}")))),
        FieldValue::Occupation(o) => (json!(p.occupation_code), json!(o)),
        FieldValue::Education(e) => (json!(p.education), json!(e)),
        FieldValue::EmploymentStatus(s) => (json!(p.employment_status), json!(s)),
        FieldValue::WorkStart(d) => (json!(date(p.work_start)), json!(date(*d))),
    };
    (json!({ field: before }), json!({ field: after }))
}
