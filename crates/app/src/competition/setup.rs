//! Setting a competition up: the competition, its events, each event's marking scheme, judges
//! and entrants (a file, each row checked: registered person, group, competitor number, team,
//! and eligibility explained — age 16 to the statutory retirement age, the event's occupation
//! where it requires practitioners).

use std::collections::HashMap;
use std::path::Path;

use gongjiang_domain::access::Scope;
use gongjiang_domain::bilingual::Msg;
use gongjiang_domain::marking::{Aspect, AspectKind, Scheme, check_entrant};
use gongjiang_domain::occupation::OccupationCode;
use gongjiang_domain::registry::{CompetitionGroup, CompetitionTier};
use gongjiang_store::judging::{self, NewCompetition, NewEntry, NewEvent, NewJudge};
use gongjiang_store::{competitions, persons, tx};
use gongjiang_tabular::RowReader;
use serde_json::json;
use time::Date;

use super::{event, invalid, not_published};
use crate::audit::{self, Actor};
use crate::evaluation::BulkSummary;
use crate::import::columns::{Column, HeaderMap};
use crate::import::rows::FieldError;
use crate::import::{RejectedRow, write_error_report};
use crate::{App, AppError};

fn required<'a>(v: &'a str, zh: &str, en: &str) -> Result<&'a str, AppError> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 200 {
        return Err(invalid(
            format!("{zh}不能为空，且不超过 200 个字符"),
            format!("the {en} must be 1 to 200 characters"),
        ));
    }
    Ok(v)
}

/// What a competition is, as its organiser states it.
#[derive(Debug, Clone, Copy)]
pub struct CompetitionInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// A code or a Chinese name.
    pub tier: &'a str,
    pub organiser: &'a str,
    pub organisation_id: Option<i64>,
    /// The first day: entrants' ages are checked on it.
    pub starts_on: Date,
}

/// Creates a competition. `tier` takes a code or a Chinese name; `organisation_id` is the
/// organisation whose competition-organiser role will run it (`None`: the city's own). Audited
/// `competition.create`.
pub async fn create(app: &App, actor: &Actor, input: &CompetitionInput<'_>) -> Result<i64, AppError> {
    let CompetitionInput { code, name, tier, organiser, organisation_id, starts_on } = *input;
    let code = required(code, "竞赛代码", "competition code")?;
    let name = required(name, "竞赛名称", "competition name")?;
    let organiser = required(organiser, "主办单位", "organiser")?;
    let tier = CompetitionTier::parse(tier).ok_or_else(|| {
        invalid(
            format!("竞赛级别无法识别：“{tier}”（可用：{}）", CompetitionTier::allowed()),
            format!("unknown competition tier \"{tier}\" (allowed: {})", CompetitionTier::allowed()),
        )
    })?;
    let mut t = tx::begin(&app.db).await?;
    let c = NewCompetition { code, name, tier: tier.code(), organiser, organisation_id, starts_on };
    let id = judging::insert_competition(&mut t, &c, &actor.label).await.map_err(|e| match e {
        gongjiang_store::StoreError::Conflict { .. } => {
            invalid(format!("竞赛代码 {code} 已被使用"), format!("competition code {code} is taken"))
        }
        e => e.into(),
    })?;
    let after = json!({ "code": code, "name": name, "tier": tier.code(), "organiser": organiser, "starts_on": starts_on.to_string() });
    audit::record(&mut t, actor, "competition.create", "competitions", Some(&id.to_string()), None, Some(&after))
        .await?;
    t.commit().await?;
    Ok(id)
}

/// What an event is.
pub struct EventInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub occupation: &'a str,
    /// Ladder names or ranks 1–8.
    pub level_min: &'a str,
    pub level_max: &'a str,
    pub team_size: u32,
    /// 国赛精选-style: practitioners of the occupation only.
    pub occupation_required: bool,
}

fn level(app: &App, s: &str) -> Option<u8> {
    let s = s.trim();
    s.parse::<u8>().ok().filter(|n| (1..=8).contains(n)).or_else(|| app.policy.ladder.parse_level(s).map(|l| l.rank()))
}

/// Adds an event to a competition. Audited `competition.event.create`.
pub async fn add_event(app: &App, actor: &Actor, competition_code: &str, e: &EventInput<'_>) -> Result<i64, AppError> {
    let c = super::competition(app, competition_code).await?;
    let code = required(e.code, "赛项代码", "event code")?;
    let name = required(e.name, "赛项名称", "event name")?;
    let occ = OccupationCode::parse(e.occupation)
        .ok()
        .and_then(|o| app.catalogue.get(&o).filter(|x| x.depth == 4).map(|x| x.code.as_str().to_owned()))
        .ok_or_else(|| {
            invalid(
                format!("职业代码“{}”不是职业分类大典中的职业（细类）代码，如 6-18-01-01", e.occupation),
                format!(
                    "\"{}\" is not an occupation (detail-level) code of the classification, e.g. 6-18-01-01",
                    e.occupation
                ),
            )
        })?;
    let (Some(lo), Some(hi)) = (level(app, e.level_min), level(app, e.level_max)) else {
        return Err(invalid(
            "等级范围应为技能等级名称或 1–8，如 高级工 至 技师",
            "the level band takes ladder names or 1–8, e.g. 高级工 to 技师",
        ));
    };
    if lo > hi || e.team_size == 0 || e.team_size > 10 {
        return Err(invalid(
            "等级范围下限不能高于上限，每队人数应为 1–10",
            "the level band's lower end must not be above its upper end, and a team has 1–10 members",
        ));
    }
    let mut t = tx::begin(&app.db).await?;
    let new = NewEvent {
        code,
        name,
        occupation_code: &occ,
        level_min: lo,
        level_max: hi,
        team_size: e.team_size,
        occupation_required: e.occupation_required,
    };
    let id = judging::insert_event(&mut t, c.id, &new).await.map_err(|err| match err {
        gongjiang_store::StoreError::Conflict { .. } => invalid(
            format!("竞赛 {} 已有代码为 {code} 的赛项", c.code),
            format!("competition {} has an event {code} already", c.code),
        ),
        err => err.into(),
    })?;
    let after = json!({ "competition": c.code, "code": code, "name": name, "occupation": occ, "levels": [lo, hi], "team_size": e.team_size });
    audit::record(
        &mut t,
        actor,
        "competition.event.create",
        "competition_events",
        Some(&id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    t.commit().await?;
    Ok(id)
}

/// Columns of a marking scheme file, one aspect a row.
pub const SCHEME_COLUMNS: &[Column] = &[
    Column { name: "code", zh: &["评分项代码", "代码"], required: true },
    Column { name: "kind", zh: &["类型", "评分方式"], required: true },
    Column { name: "description", zh: &["说明", "评分项"], required: true },
    Column { name: "max_mark", zh: &["分值", "配分"], required: true },
    Column { name: "descriptor_0", zh: &["0分描述"], required: false },
    Column { name: "descriptor_1", zh: &["1分描述"], required: false },
    Column { name: "descriptor_2", zh: &["2分描述"], required: false },
    Column { name: "descriptor_3", zh: &["3分描述"], required: false },
];

/// `2.5` → 25 tenths.
fn mark_tenths(s: &str) -> Option<u32> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || frac.len() > 1
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let w: u32 = whole.parse().ok()?;
    let f: u32 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
    w.checked_mul(10)?.checked_add(f)
}

/// Reads a marking scheme file and sets it on an event while no mark has been given. Every
/// fault is named by line, column and reason. Audited `competition.scheme.set`.
pub async fn set_scheme_file(
    app: &App,
    actor: &Actor,
    competition_code: &str,
    event_code: &str,
    path: &Path,
) -> Result<Scheme, AppError> {
    let (_, e) = event(app, competition_code, event_code).await?;
    not_published(&e)?;
    let mut reader = RowReader::open(path)?;
    let h = HeaderMap::new(SCHEME_COLUMNS, reader.headers()).map_err(AppError::BadFile)?;
    let mut aspects = Vec::new();
    let mut lines = Vec::new();
    let mut errors: Vec<Msg> = Vec::new();
    while let Some(row) = reader.next_row() {
        let r = row?;
        let cell = |i: usize| h.get(i, &r.cells).trim().to_owned();
        let kind = AspectKind::parse(&cell(1));
        let max = mark_tenths(&cell(3));
        if kind.is_none() {
            errors.push(Msg::new(
                format!(
                    "第 {} 行 {}：类型应为 measurement（测量）或 judgement（评价），不能是“{}”",
                    r.line,
                    h.labels[1],
                    cell(1)
                ),
                format!(
                    "line {} {}: the kind must be measurement or judgement, not \"{}\"",
                    r.line,
                    h.labels[1],
                    cell(1)
                ),
            ));
        }
        if max.is_none() {
            errors.push(Msg::new(
                format!("第 {} 行 {}：分值应为最多一位小数的数，如 2.5", r.line, h.labels[3]),
                format!(
                    "line {} {}: the maximum mark must be a number with at most one decimal, e.g. 2.5",
                    r.line, h.labels[3]
                ),
            ));
        }
        let descriptors: Vec<String> = (4..8).map(cell).filter(|d| !d.is_empty()).collect();
        if let (Some(kind), Some(max_tenths)) = (kind, max) {
            aspects.push(Aspect { code: cell(0), description: cell(2), kind, max_tenths, descriptors });
            lines.push(r.line);
        }
    }
    let scheme = match Scheme::new(aspects) {
        Ok(s) if errors.is_empty() => s,
        Ok(_) => return Err(AppError::Invalid(join(errors))),
        Err(es) => {
            for err in es {
                let line = lines.get(err.aspect.wrapping_sub(1)).copied().unwrap_or(0);
                errors.push(Msg::new(
                    format!("第 {line} 行 {}：{}", err.field, err.reason.zh),
                    format!("line {line} {}: {}", err.field, err.reason.en),
                ));
            }
            return Err(AppError::Invalid(join(errors)));
        }
    };
    let text = serde_json::to_string(&scheme)
        .map_err(|err| AppError::Store(gongjiang_store::StoreError::Invalid(err.to_string())))?;
    let mut t = tx::begin(&app.db).await?;
    if !judging::set_scheme(&mut t, e.id, &text).await? {
        return Err(invalid(
            format!("赛项 {} 已开始评分，评分方案不能再更改", e.code),
            format!("marking of event {} has started: its scheme no longer changes", e.code),
        ));
    }
    let after = json!({ "event_id": e.id, "aspects": scheme.aspects.len(), "total_tenths": scheme.total_tenths() });
    audit::record(
        &mut t,
        actor,
        "competition.scheme.set",
        "competition_events",
        Some(&e.id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    t.commit().await?;
    Ok(scheme)
}

fn join(ms: Vec<Msg>) -> Msg {
    Msg::new(
        ms.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("\n"),
        ms.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("\n"),
    )
}

/// A judge as the organiser names them.
#[derive(Debug, Clone, Copy)]
pub struct JudgeInput<'a> {
    pub code: &'a str,
    pub name: &'a str,
    /// The judge's organisation (credit code), for the conflict-of-interest check.
    pub uscc: Option<&'a str>,
    /// The account that marks as this judge.
    pub username: Option<&'a str>,
}

/// Adds a judge to an event. `uscc` is the judge's organisation (for the conflict-of-interest
/// check); `username` the account that marks as this judge. Audited `competition.judge.add`.
pub async fn add_judge(
    app: &App,
    actor: &Actor,
    competition_code: &str,
    event_code: &str,
    judge: &JudgeInput<'_>,
) -> Result<i64, AppError> {
    let JudgeInput { code, name, uscc, username } = *judge;
    let (_, e) = event(app, competition_code, event_code).await?;
    not_published(&e)?;
    let code = required(code, "裁判代码", "judge code")?;
    let name = required(name, "裁判姓名", "judge name")?;
    let uscc = uscc.map(str::trim).filter(|s| !s.is_empty());
    if let Some(u) = uscc
        && gongjiang_domain::uscc::Uscc::parse(u).is_err()
    {
        return Err(invalid(
            format!("裁判单位统一社会信用代码“{u}”无效"),
            format!("the judge's organisation credit code \"{u}\" is not valid"),
        ));
    }
    let mut t = tx::begin(&app.db).await?;
    let j =
        NewJudge { code, name, organisation_uscc: uscc, username: username.map(str::trim).filter(|s| !s.is_empty()) };
    let id = judging::insert_judge(&mut t, e.id, &j).await.map_err(|err| match err {
        gongjiang_store::StoreError::Conflict { .. } => {
            invalid(format!("赛项 {} 已有裁判 {code}", e.code), format!("event {} has a judge {code} already", e.code))
        }
        err => err.into(),
    })?;
    let after = json!({ "event_id": e.id, "code": code, "organisation": uscc });
    audit::record(
        &mut t,
        actor,
        "competition.judge.add",
        "competition_judges",
        Some(&id.to_string()),
        None,
        Some(&after),
    )
    .await?;
    t.commit().await?;
    Ok(id)
}

/// Columns of an entrants file.
pub const ENTRY_COLUMNS: &[Column] = &[
    Column {
        name: "id_number", zh: &["身份证号", "证件号码", "公民身份号码", "身份证号码"], required: true
    },
    Column { name: "group", zh: &["组别"], required: true },
    Column { name: "bib", zh: &["参赛号", "选手编号", "参赛编号"], required: true },
    Column { name: "team", zh: &["队名", "团队"], required: false },
    Column { name: "uscc", zh: &["单位统一社会信用代码", "所在单位代码"], required: false },
];

/// Registers entrants from a file: the good rows in one transaction (audited
/// `competition.entries.add`), each refused row in the report with every reason — an ineligible
/// entrant's reasons too.
pub async fn import_entries(
    app: &App,
    actor: &Actor,
    competition_code: &str,
    event_code: &str,
    path: &Path,
    errors_path: Option<&Path>,
) -> Result<BulkSummary, AppError> {
    let (c, e) = event(app, competition_code, event_code).await?;
    not_published(&e)?;
    let mut reader = RowReader::open(path)?;
    let h = HeaderMap::new(ENTRY_COLUMNS, reader.headers()).map_err(AppError::BadFile)?;
    let mut out = BulkSummary::default();
    for ignored in &h.ignored {
        out.warnings.push(Msg::new(format!("已忽略未知列：{ignored}"), format!("ignored unknown column: {ignored}")));
    }
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row() {
        out.read += 1;
        match row {
            Ok(r) => rows.push(r),
            Err(err) => out.report.push(RejectedRow {
                line: 0,
                errors: vec![FieldError {
                    column: String::new(),
                    value: String::new(),
                    reason: Msg::new(err.to_string(), err.to_string()),
                }],
            }),
        }
    }
    let existing = judging::entries_of(&app.db, e.id).await?;
    let mut bibs: HashMap<String, u64> = existing.iter().map(|x| (x.bib.clone(), 0)).collect();
    let mut entered: HashMap<i64, u64> = existing.iter().map(|x| (x.person_id, 0)).collect();
    let keys: Vec<&str> = rows.iter().map(|r| h.get(0, &r.cells).trim()).collect();
    let mut t = tx::begin(&app.db).await?;
    let ids = persons::ids_by_id_number_in(&mut t, &keys).await?;
    let history = {
        let mut v: Vec<i64> = ids.values().copied().collect();
        v.sort_unstable();
        competitions::history_in(&mut t, &v).await?
    };
    let mut added = Vec::new();
    for r in &rows {
        let cell = |i: usize| h.get(i, &r.cells).trim();
        let field =
            |i: usize, reason: Msg| FieldError { column: h.labels[i].clone(), value: cell(i).to_string(), reason };
        let mut errs = Vec::new();
        let person_id = ids.get(cell(0)).copied();
        if person_id.is_none() {
            errs.push(field(0, Msg::new("此人未在人员库中登记", "this person is not registered")));
        }
        let group = CompetitionGroup::parse(cell(1));
        if group.is_none() {
            errs.push(field(
                1,
                Msg::new(
                    format!("组别无法识别（可用：{}）", CompetitionGroup::allowed()),
                    format!("unknown group (allowed: {})", CompetitionGroup::allowed()),
                ),
            ));
        }
        let bib = cell(2);
        if bib.is_empty() || bib.chars().count() > 20 {
            errs.push(field(
                2,
                Msg::new("参赛号不能为空，且不超过 20 个字符", "the competitor number must be 1 to 20 characters"),
            ));
        } else if let Some(&line) = bibs.get(bib) {
            let (zh, en) = if line == 0 {
                ("该参赛号已被使用".to_owned(), "this competitor number is taken".to_owned())
            } else {
                (format!("与第 {line} 行的参赛号重复"), format!("the same competitor number as line {line}"))
            };
            errs.push(field(2, Msg::new(zh, en)));
        }
        if e.team_size > 1 && cell(3).is_empty() {
            errs.push(field(
                3,
                Msg::new(
                    format!("团体赛项（每队 {} 人）须填写队名", e.team_size),
                    format!("a team event ({} a team) needs the team's name", e.team_size),
                ),
            ));
        }
        let uscc = cell(4);
        if !uscc.is_empty() && gongjiang_domain::uscc::Uscc::parse(uscc).is_err() {
            errs.push(field(4, Msg::new("统一社会信用代码无效", "not a valid unified social credit code")));
        }
        let mut person = None;
        if let Some(pid) = person_id {
            if let Some(&line) = entered.get(&pid) {
                let (zh, en) = if line == 0 {
                    ("此人已报名该赛项".to_owned(), "this person has entered this event already".to_owned())
                } else {
                    (format!("与第 {line} 行为同一人"), format!("the same person as line {line}"))
                };
                errs.push(field(0, Msg::new(zh, en)));
            }
            person = persons::get(&app.db, &Scope::all(), pid).await?;
        }
        let mut eligibility = None;
        if let Some(p) = &person {
            match (p.birth_date, p.gender.as_deref()) {
                (Some(birth), Some(g)) => {
                    let practises = p.occupation_code.as_deref() == Some(e.occupation_code.as_str())
                        || history.iter().any(|l| l.person_id == p.id && l.occupation_code == e.occupation_code);
                    let check = check_entrant(
                        &app.policy.competition.entry,
                        &c.name,
                        birth,
                        g == "M",
                        c.starts_on,
                        e.occupation_required,
                        practises,
                    );
                    if check.eligible {
                        eligibility = Some(check.reasons);
                    } else {
                        for reason in check.reasons {
                            errs.push(field(0, reason));
                        }
                    }
                }
                _ => errs.push(field(
                    0,
                    Msg::new(
                        "人员库中没有此人的出生日期和性别，无法核对参赛年龄",
                        "the registry holds no birth date and sex for this person: the age cannot be checked",
                    ),
                )),
            }
        }
        if !errs.is_empty() {
            out.report.push(RejectedRow { line: r.line, errors: errs });
            continue;
        }
        let (Some(p), Some(group), Some(reasons)) = (person, group, eligibility) else { continue };
        bibs.insert(bib.to_owned(), r.line);
        entered.insert(p.id, r.line);
        let organisation = if uscc.is_empty() { p.employer_uscc.clone() } else { Some(uscc.to_owned()) };
        added.push((p.id, group, bib.to_owned(), cell(3).to_owned(), organisation, reasons));
    }
    for (pid, group, bib, team, organisation, reasons) in &added {
        let zh = reasons.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("；");
        let en = reasons.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("; ");
        let new = NewEntry {
            person_id: *pid,
            entry_group: group.code(),
            bib,
            team: Some(team.as_str()).filter(|s| !s.is_empty()),
            organisation_uscc: organisation.as_deref(),
            eligibility_zh: &zh,
            eligibility_en: &en,
        };
        judging::insert_entry(&mut t, e.id, &new).await?;
    }
    out.accepted = added.len() as u64;
    if !added.is_empty() {
        let after = json!({ "event_id": e.id, "added": added.len() });
        audit::record(
            &mut t,
            actor,
            "competition.entries.add",
            "competition_events",
            Some(&e.id.to_string()),
            None,
            Some(&after),
        )
        .await?;
    }
    t.commit().await?;
    out.rejected = out.report.len() as u64;
    out.report.sort_by_key(|r| r.line);
    if let Some(p) = errors_path {
        write_error_report(p, &out.report)?;
    }
    Ok(out)
}
