//! Turning one file row into a validated record: every field checked, every problem reported
//! with the column, the value and the reason in Chinese and English. Pure: no database here.

use gongjiang_domain::bilingual::{Explain, Msg};
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::level::Level;
use gongjiang_domain::occupation::{Catalogue, OccupationCode};
use gongjiang_domain::policy::Policy;
use gongjiang_domain::records::{NewDemand, NewEmployment, NewLevel, NewOrganisation, NewPerson, NewStatistic};
use gongjiang_domain::registry::{Education, EmploymentStatus, IdType, LevelSource, OrgKind};
use gongjiang_domain::supply::Period;
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

/// What row validation needs to know.
pub struct RowContext<'a> {
    pub policy: &'a Policy,
    pub catalogue: &'a Catalogue,
    pub today: Date,
}

/// Collects field errors for one row; `take` returns the value only if nothing failed.
struct Row<'a> {
    h: &'a HeaderMap,
    cells: &'a [String],
    errors: Vec<FieldError>,
}

impl<'a> Row<'a> {
    fn new(h: &'a HeaderMap, cells: &'a [String]) -> Self {
        Row { h, cells, errors: Vec::new() }
    }

    fn cell(&self, i: usize) -> &'a str {
        self.h.get(i, self.cells)
    }

    fn fail(&mut self, i: usize, reason: Msg) {
        self.errors.push(FieldError { column: self.h.labels[i].clone(), value: self.cell(i).to_string(), reason });
    }

    /// A required cell: empty is an error.
    fn required(&mut self, i: usize) -> Option<&'a str> {
        let v = self.cell(i);
        if v.is_empty() {
            self.fail(i, Msg::new("必填项为空", "required value is empty"));
            None
        } else {
            Some(v)
        }
    }

    /// An optional cell parsed by `parse` when present.
    fn optional<T>(&mut self, i: usize, parse: impl FnOnce(&str) -> Result<T, Msg>) -> Option<T> {
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

    fn parsed<T>(&mut self, i: usize, parse: impl FnOnce(&str) -> Result<T, Msg>) -> Option<T> {
        let v = self.required(i)?;
        match parse(v) {
            Ok(t) => Some(t),
            Err(m) => {
                self.fail(i, m);
                None
            }
        }
    }

    fn finish<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

/// A levels file row: the level, and its revocation (day, reason) when the row records one.
#[derive(Debug, Clone)]
pub struct LevelRow {
    pub level: NewLevel,
    pub revoked: Option<(Date, String)>,
}

fn text(max_chars: usize) -> impl Fn(&str) -> Result<String, Msg> {
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

fn uscc(s: &str) -> Result<String, Msg> {
    Uscc::parse(s).map(|u| u.as_str().to_string()).map_err(|e| e.explain())
}

/// A date that has happened (not after `today`).
fn past_date(today: Date) -> impl Fn(&str) -> Result<Date, Msg> {
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

fn coded<T>(parse: fn(&str) -> Option<T>, allowed: fn() -> String) -> impl Fn(&str) -> Result<T, Msg> {
    move |s: &str| {
        parse(s).ok_or_else(|| {
            let a = allowed();
            Msg::new(format!("无法识别，可填：{a}"), format!("not recognised; allowed: {a}"))
        })
    }
}

impl RowContext<'_> {
    fn district(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
        move |s: &str| {
            self.policy.district(s).map(|d| d.code.clone()).ok_or_else(|| {
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

    fn industry(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
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
    fn chain(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
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
    fn chains(&self) -> impl Fn(&str) -> Result<Vec<String>, Msg> + '_ {
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
    fn occupation(&self) -> impl Fn(&str) -> Result<String, Msg> + '_ {
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

    fn level(&self) -> impl Fn(&str) -> Result<Level, Msg> + '_ {
        move |s: &str| {
            self.policy.ladder.parse_level(s).ok_or_else(|| {
                Msg::new(
                    "无法识别的技能等级（填 1–8、等级名称如 高级工，或 五级…一级）",
                    "unrecognised skill level (give 1–8, a name such as 高级工, or 五级…一级)",
                )
            })
        }
    }

    pub fn organisation(&self, h: &HeaderMap, cells: &[String]) -> Result<NewOrganisation, Vec<FieldError>> {
        let mut r = Row::new(h, cells);
        let uscc = r.parsed(0, uscc);
        let name = r.parsed(1, text(200));
        let kind = r.parsed(2, coded(OrgKind::parse, OrgKind::allowed));
        let district = r.parsed(3, self.district());
        let industry = r.optional(4, self.industry());
        let chains = r.optional(5, self.chains());
        let v = (|| {
            Some(NewOrganisation { uscc: uscc?, name: name?, kind: kind?, district_code: district?, industry, chains })
        })();
        r.finish(v)
    }

    pub fn person(&self, h: &HeaderMap, cells: &[String]) -> Result<NewPerson, Vec<FieldError>> {
        let mut r = Row::new(h, cells);
        let id_type = r.optional(2, coded(IdType::parse, IdType::allowed)).unwrap_or(IdType::ResidentId);
        let today = self.today;
        let id = r.parsed(0, |s| identity(id_type, s, today));
        let name = r.parsed(1, text(100));
        let district = r.optional(3, self.district());
        let employer = r.optional(4, uscc);
        let occupation = r.optional(5, self.occupation());
        let education = r.optional(6, coded(Education::parse, Education::allowed));
        let status = r.optional(7, coded(EmploymentStatus::parse, EmploymentStatus::allowed));
        let work_start = r.optional(8, past_date(today));
        if let (Some(ws), Some(Identity { birth_date: Some(b), .. })) = (work_start, &id)
            && ws < *b
        {
            r.fail(8, Msg::new("参加工作日期早于出生日期", "work start is before the birth date"));
        }
        let v = (|| {
            let id = id?;
            Some(NewPerson {
                id_type,
                id_number: id.number,
                id_from_15: id.from_15,
                name: name?,
                gender: id.gender,
                birth_date: id.birth_date,
                district_code: district,
                employer_uscc: employer,
                occupation_code: occupation,
                education,
                employment_status: status,
                work_start,
            })
        })();
        r.finish(v)
    }

    pub fn level_row(&self, h: &HeaderMap, cells: &[String]) -> Result<LevelRow, Vec<FieldError>> {
        let mut r = Row::new(h, cells);
        let today = self.today;
        let id = r.parsed(0, |s| holder_id(s, today));
        let occupation = r.parsed(1, self.occupation());
        let level = r.parsed(2, self.level());
        let obtained_on = r.parsed(3, past_date(today));
        let source = r.optional(4, coded(LevelSource::parse, LevelSource::allowed)).unwrap_or(LevelSource::Exam);
        let trade = r.optional(5, text(100)).filter(|t| t != "--").unwrap_or_default();
        let cert = r.optional(6, |s| CertificateNo::parse(s).map_err(|e| e.explain()));
        if let (Some(c), Some(l)) = (&cert, level)
            && let Some(cl) = c.level()
            && cl != l
        {
            let (cn, ln) = (self.policy.ladder.name_zh(cl), self.policy.ladder.name_zh(l));
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

    pub fn employment(&self, h: &HeaderMap, cells: &[String]) -> Result<NewEmployment, Vec<FieldError>> {
        let mut r = Row::new(h, cells);
        let today = self.today;
        let id = r.parsed(0, |s| holder_id(s, today));
        let employer = r.parsed(1, uscc);
        let start = r.parsed(2, past_date(today));
        let end = r.optional(3, |s| parse_date(s).ok_or_else(|| Msg::new("不是有效日期", "not a valid date")));
        if let (Some(s), Some(e)) = (start, end)
            && e < s
        {
            r.fail(3, Msg::new("结束日期早于开始日期", "end is before start"));
        }
        let occupation = r.optional(4, self.occupation());
        let v = (|| {
            Some(NewEmployment {
                id_number: id?,
                employer_uscc: employer?,
                start: start?,
                end,
                occupation_code: occupation,
            })
        })();
        r.finish(v)
    }

    pub fn statistic(&self, h: &HeaderMap, cells: &[String]) -> Result<NewStatistic, Vec<FieldError>> {
        let mut r = Row::new(h, cells);
        let this_year = self.today.year();
        let year = r.parsed(0, |s| match s.trim_end_matches('年').parse::<i32>() {
            Ok(y) if (1949..=this_year).contains(&y) => Ok(y),
            _ => Err(Msg::new(format!("年份应在 1949–{this_year} 之间"), format!("year must be 1949–{this_year}"))),
        });
        let jurisdiction = &self.policy.meta.jurisdiction;
        let district = r.parsed(1, |s| {
            if s == jurisdiction || s == "全市" || s == self.policy.meta.jurisdiction_name_zh {
                Ok(jurisdiction.clone())
            } else {
                self.district()(s)
            }
        });
        let industry = r.optional(2, self.industry()).unwrap_or_default();
        let employed =
            r.parsed(3, |s| {
                s.replace([',', '，'], "").parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
                    Msg::new("就业人员数应为非负整数", "employed persons must be a whole number, 0 or more")
                })
            });
        let chain = r.optional(4, self.chain()).unwrap_or_default();
        let v = (|| {
            Some(NewStatistic { year: year?, district_code: district?, industry, chain, employed_persons: employed? })
        })();
        r.finish(v)
    }
}

impl RowContext<'_> {
    /// A demand report: every cell checked; the reporter must also be registered, which the
    /// writer checks.
    pub fn demand(&self, h: &HeaderMap, cells: &[String]) -> Result<NewDemand, Vec<FieldError>> {
        let mut r = Row::new(h, cells);
        let reporter = r.parsed(0, uscc);
        let occupation = r.parsed(1, self.occupation());
        let level = r.parsed(2, self.level());
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
        let this_year = self.today.year();
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
        let district = r.parsed(5, self.district());
        let chain = r.optional(6, self.chain()).unwrap_or_default();
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
}

struct Identity {
    number: String,
    from_15: bool,
    gender: Option<String>,
    birth_date: Option<Date>,
}

/// The document number of a registered person in a levels or employment file: validated as a
/// resident identity number when it has that shape (18 characters, or 15 digits), otherwise
/// as another document (passport, permit); the person must be in the registry either way.
fn holder_id(s: &str, today: Date) -> Result<String, Msg> {
    let t = s.trim();
    let resident_shape = t.chars().count() == 18 || (t.len() == 15 && t.bytes().all(|b| b.is_ascii_digit()));
    let id_type = if resident_shape { IdType::ResidentId } else { IdType::Passport };
    identity(id_type, t, today).map(|i| i.number)
}

/// A resident identity number is fully validated; other documents are checked for shape only.
fn identity(id_type: IdType, s: &str, today: Date) -> Result<Identity, Msg> {
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
            "name" => text(100)(value).and_then(non_empty).map(CheckedField::Text),
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
