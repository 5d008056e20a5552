//! The rules every kind of row shares: a cell checked against its kind of value (text, date,
//! credit code, identity number, district, occupation, level …), every problem reported with
//! the column, the value and the reason in Chinese and English. Each kind's module puts them
//! together for its rows (`persons::validate`, …). Pure: no database here.

use gongjiang_domain::bilingual::{Explain, Msg};
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::{Catalogue, OccupationCode};
use gongjiang_domain::policy::Policy;
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType};
use gongjiang_domain::uscc::Uscc;
use time::Date;

use super::columns::HeaderMap;

/// A problem with one cell of one row.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub column: String,
    pub value: String,
    pub reason: Msg,
}

/// What row validation needs to know, and the notes it leaves about a row it accepted.
pub struct RowContext<'a> {
    pub policy: &'a Policy,
    pub catalogue: &'a Catalogue,
    pub today: Date,
    /// Things a user should know about the row just validated although it went in (a former
    /// district name taken as its successor); the caller takes them after each row.
    pub notes: std::cell::RefCell<Vec<Msg>>,
}

impl<'a> RowContext<'a> {
    pub fn new(policy: &'a Policy, catalogue: &'a Catalogue, today: Date) -> RowContext<'a> {
        RowContext { policy, catalogue, today, notes: Default::default() }
    }

    /// The notes left since the last call.
    pub fn take_notes(&self) -> Vec<Msg> {
        std::mem::take(&mut *self.notes.borrow_mut())
    }
}

/// Collects field errors for one row; `take` returns the value only if nothing failed.
pub(super) struct Row<'a> {
    h: &'a HeaderMap,
    cells: &'a [String],
    errors: Vec<FieldError>,
}

impl<'a> Row<'a> {
    pub(super) fn new(h: &'a HeaderMap, cells: &'a [String]) -> Self {
        Row { h, cells, errors: Vec::new() }
    }

    pub(super) fn cell(&self, i: usize) -> &'a str {
        self.h.get(i, self.cells)
    }

    pub(super) fn fail(&mut self, i: usize, reason: Msg) {
        self.errors.push(FieldError { column: self.h.labels[i].clone(), value: self.cell(i).to_string(), reason });
    }

    /// A required cell: empty is an error.
    pub(super) fn required(&mut self, i: usize) -> Option<&'a str> {
        let v = self.cell(i);
        if v.is_empty() {
            self.fail(i, Msg::new("必填项为空", "required value is empty"));
            None
        } else {
            Some(v)
        }
    }

    /// An optional cell parsed by `parse` when present.
    pub(super) fn optional<T>(&mut self, i: usize, parse: impl FnOnce(&str) -> Result<T, Msg>) -> Option<T> {
        let v = self.cell(i);
        if v.is_empty() {
            return None;
        }
        match parse(v) {
            Ok(t) => Some(t),
            Err(m) => {
                self.fail(i, m);
                None
            }
        }
    }

    pub(super) fn parsed<T>(&mut self, i: usize, parse: impl FnOnce(&str) -> Result<T, Msg>) -> Option<T> {
        let v = self.required(i)?;
        match parse(v) {
            Ok(t) => Some(t),
            Err(m) => {
                self.fail(i, m);
                None
            }
        }
    }

    pub(super) fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

pub(super) fn text(max_chars: usize) -> impl Fn(&str) -> Result<String, Msg> {
    move |s: &str| {
        if s.chars().count() > max_chars {
            Err(Msg::new(format!("超过 {max_chars} 个字符"), format!("longer than {max_chars} characters")))
        } else if s.chars().any(char::is_control) {
            Err(Msg::new("含有控制字符", "contains control characters"))
        } else {
            Ok(s.to_string())
        }
    }
}

/// A person's or organisation's name: text that a spreadsheet would not run as a formula when
/// the name is exported (OWASP's rule: no leading `=`, `+`, `-`, `@`).
pub(super) fn name(max_chars: usize) -> impl Fn(&str) -> Result<String, Msg> {
    move |s: &str| {
        let t = text(max_chars)(s)?;
        if t.trim_start().starts_with(['=', '+', '-', '@']) {
            return Err(Msg::new(
                "姓名或名称不能以 =、+、-、@ 开头（表格软件会当作公式执行）",
                "a name cannot start with =, +, - or @ (spreadsheets would run it as a formula)",
            ));
        }
        Ok(t)
    }
}

pub(super) fn uscc(s: &str) -> Result<String, Msg> {
    Uscc::parse(s).map(|u| u.as_str().to_string()).map_err(|e| e.explain())
}

/// A date that has happened (not after `today`).
pub(super) fn past_date(today: Date) -> impl Fn(&str) -> Result<Date, Msg> {
    move |s: &str| {
        let d = parse_date(s).ok_or_else(|| {
            Msg::new("不是有效日期（应为 YYYY-MM-DD 或 YYYY-MM）", "not a valid date (use YYYY-MM-DD or YYYY-MM)")
        })?;
        if d > today {
            return Err(Msg::new("日期晚于今天", "date is in the future"));
        }
        Ok(d)
    }
}

/// Any real calendar date (a planned one may lie ahead).
pub(super) fn any_date(s: &str) -> Result<Date, Msg> {
    parse_date(s).ok_or_else(|| {
        Msg::new("不是有效日期（应为 YYYY-MM-DD 或 YYYY-MM）", "not a valid date (use YYYY-MM-DD or YYYY-MM)")
    })
}

/// A whole number, 1 or more.
pub(super) fn positive(s: &str) -> Result<u32, Msg> {
    match s.trim().parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Msg::new("应为正整数", "must be a whole number, 1 or more")),
    }
}

pub(super) fn coded<T>(parse: fn(&str) -> Option<T>, allowed: fn() -> String) -> impl Fn(&str) -> Result<T, Msg> {
    move |s: &str| {
        parse(s).ok_or_else(|| {
            let a = allowed();
            Msg::new(format!("无法识别，可填：{a}"), format!("not recognised; allowed: {a}"))
        })
    }
}

impl RowContext<'_> {
    pub(super) fn district(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
        move |s: &str| {
            let found = self.policy.district(s);
            if let (Some(d), Some(f)) =
                (found, self.policy.former_district_codes.iter().find(|f| f.code == s.trim() || f.name_zh == s.trim()))
            {
                self.notes.borrow_mut().push(Msg::new(
                    format!(
                        "「{}」是已撤销的区划（{}），已按其现属的{}（{}）登记，请核对",
                        s.trim(),
                        f.name_zh,
                        d.name_zh,
                        d.code
                    ),
                    format!(
                        "\"{}\" is an abolished division ({}); recorded as its successor {} ({}) — please check",
                        s.trim(),
                        f.name_zh,
                        d.name_en,
                        d.code
                    ),
                ));
            }
            found.map(|d| d.code.clone()).ok_or_else(|| {
                Msg::new(
                    format!("不是{}的区（填区划代码或区名）", self.policy.meta.jurisdiction_name_zh),
                    format!(
                        "not a district of {} (give its GB/T 2260 code or name)",
                        self.policy.meta.jurisdiction_name_en
                    ),
                )
            })
        }
    }

    pub(super) fn industry(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
        move |s: &str| {
            self.policy.industry(s).map(|i| i.code.clone()).ok_or_else(|| {
                Msg::new(
                    "不是 GB/T 4754 行业门类（填字母 A–T 或门类名称）",
                    "not a GB/T 4754 industry section (give the letter A–T or its name)",
                )
            })
        }
    }

    /// One industrial chain: its id or Chinese name.
    pub(super) fn chain(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
        |s| {
            self.policy.industrial_chain(s).map(|c| c.id.clone()).ok_or_else(|| {
                let known: Vec<&str> = self.policy.industrial_chains.iter().map(|c| c.name_zh.as_str()).collect();
                Msg::new(
                    format!("不是策略中的重点产业链（可填：{}）", known.join("、")),
                    format!("not an industrial chain of the policy (allowed: {})", known.join(", ")),
                )
            })
        }
    }

    /// Industrial chains separated by `;`, `；` or `、`, each a chain id or Chinese name of the
    /// policy; stored as ids, sorted, without repeats.
    pub(super) fn chains(&self) -> impl Fn(&str) -> Result<Vec<String>, Msg> + '_ {
        move |s: &str| {
            let mut ids = Vec::new();
            for part in s.split([';', '；', '、']).map(str::trim).filter(|p| !p.is_empty()) {
                match self.policy.industrial_chain(part) {
                    Some(c) => ids.push(c.id.clone()),
                    None => {
                        return Err(Msg::new(
                            format!("“{part}”不是政策列出的重点产业链（填产业链编号或中文名，以；或、分隔）"),
                            format!(
                                "\"{part}\" is not one of the policy's industrial chains (give chain ids or Chinese \
                                 names, separated by ; or 、)"
                            ),
                        ));
                    }
                }
            }
            ids.sort();
            ids.dedup();
            Ok(ids)
        }
    }

    /// An occupation a person can hold: a detail (4th-level) code of the catalogue, or the
    /// exact name of exactly one such occupation.
    pub(super) fn occupation(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
        move |s: &str| {
            let not_detail = || {
                Msg::new(
                    "不是职业分类大典中的职业（细类）代码，如 6-18-01-01",
                    "not an occupation (detail-level) code of the classification, e.g. 6-18-01-01",
                )
            };
            if let Ok(code) = OccupationCode::parse(s) {
                return match self.catalogue.get(&code) {
                    Some(o) if o.depth == 4 => Ok(o.code.as_str().to_string()),
                    Some(_) => Err(not_detail()),
                    None => Err(Msg::new(
                        format!("职业代码在{}版大典中不存在", self.catalogue.edition().as_str()),
                        format!("no such occupation code in the {} classification", self.catalogue.edition().as_str()),
                    )),
                };
            }
            let found: Vec<_> = self.catalogue.find_by_name(s).into_iter().filter(|o| o.depth == 4).collect();
            match found.as_slice() {
                [one] => Ok(one.code.as_str().to_string()),
                [] => Err(not_detail()),
                _ => Err(Msg::new(
                    "职业名称对应多个职业，请填代码",
                    "the name matches several occupations: give the code",
                )),
            }
        }
    }

    pub(super) fn level(&self) -> impl Fn(&str) -> Result<Level, Msg> + '_ {
        move |s: &str| {
            self.policy.ladder.parse_level(s).ok_or_else(|| {
                Msg::new(
                    "无法识别的技能等级（填 1–8、等级名称如 高级工，或 五级…一级）",
                    "unrecognised skill level (give 1–8, a name such as 高级工, or 五级…一级)",
                )
            })
        }
    }
}

pub(super) struct Identity {
    pub number: String,
    pub from_15: bool,
    pub gender: Option<String>,
    pub birth_date: Option<Date>,
}

/// The document number of a registered person in a levels or employment file: validated as a
/// resident identity number when it has that shape (18 characters, or 15 digits), otherwise
/// as another document (passport, permit); the person must be in the registry either way.
pub(super) fn holder_id(s: &str, today: Date) -> Result<String, Msg> {
    let t = s.trim();
    let resident_shape = t.chars().count() == 18 || (t.len() == 15 && t.bytes().all(|b| b.is_ascii_digit()));
    let id_type = if resident_shape { IdType::ResidentId } else { IdType::Passport };
    identity(id_type, t, today).map(|i| i.number)
}

/// A resident identity number is fully validated; other documents are checked for shape only.
pub(super) fn identity(id_type: IdType, s: &str, today: Date) -> Result<Identity, Msg> {
    if id_type == IdType::ResidentId {
        let p = IdNumber::parse(s, today).map_err(|e| e.explain())?;
        let gender = match p.id.gender() {
            gongjiang_domain::id_number::Gender::Male => "M",
            gongjiang_domain::id_number::Gender::Female => "F",
        };
        return Ok(Identity {
            number: p.id.as_str().to_string(),
            from_15: p.converted_from_15,
            gender: Some(gender.to_string()),
            birth_date: Some(p.id.birth_date()),
        });
    }
    let n = s.trim().to_uppercase();
    if !(5..=20).contains(&n.len()) || !n.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Msg::new("证件号码应为 5–20 位字母或数字", "document number must be 5–20 letters or digits"));
    }
    Ok(Identity { number: n, from_15: false, gender: None, birth_date: None })
}

/// A person's field checked as the importer checks it (for a correction request).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CheckedField {
    /// As stored: the text, or the code of a district, occupation or enumeration.
    Text(String),
    Date(Date),
    /// A credit code (an employer), to be resolved to the organisation.
    Uscc(String),
    Identity {
        number: String,
        gender: Option<String>,
        birth_date: Option<Date>,
    },
}

impl RowContext<'_> {
    /// Checks `value` for one field of a person with the import's rules (`field` as
    /// `app::personal_data::FIELDS` names them); `None` for a field the importer does not know.
    pub(crate) fn person_field(&self, field: &str, id_type: IdType, value: &str) -> Option<Result<CheckedField, Msg>> {
        let today = self.today;
        let value = value.trim();
        Some(match field {
            "name" => name(100)(value).and_then(non_empty).map(CheckedField::Text),
            "id_number" => identity(id_type, value, today).map(|i| CheckedField::Identity {
                number: i.number,
                gender: i.gender,
                birth_date: i.birth_date,
            }),
            "gender" => match value {
                "M" | "m" | "男" => Ok(CheckedField::Text("M".into())),
                "F" | "f" | "女" => Ok(CheckedField::Text("F".into())),
                _ => Err(Msg::new("性别应为 男 或 女（M/F）", "gender must be M or F (男/女)")),
            },
            "birth_date" | "work_start" => past_date(today)(value).map(CheckedField::Date),
            "district" => self.district()(value).map(CheckedField::Text),
            "employer" => uscc(value).map(CheckedField::Uscc),
            "occupation" => self.occupation()(value).map(CheckedField::Text),
            "education" => {
                coded(Education::parse, Education::allowed)(value).map(|e| CheckedField::Text(e.code().into()))
            }
            "employment_status" => coded(EmploymentStatus::parse, EmploymentStatus::allowed)(value)
                .map(|e| CheckedField::Text(e.code().into())),
            "other" => text(1000)(value).and_then(non_empty).map(CheckedField::Text),
            _ => return None,
        })
    }
}

fn non_empty(s: String) -> Result<String, Msg> {
    if s.trim().is_empty() { Err(Msg::new("不能为空", "must not be empty")) } else { Ok(s) }
}
