//! The workbooks around an import: the template to fill in (the kind's columns with the
//! policy's districts, levels, industries and the registry's codes as drop-down lists), and the
//! error report that gives the rejected rows back as they were in the file with each bad cell
//! marked and explained.

use std::collections::HashMap;
use std::path::Path;

use gongjiang_domain::registry::{
    CompetitionGroup, CompetitionTier, Education, EmploymentStatus, EnrolmentStatus, IdType, InsuranceScheme,
    LevelSource, OrgKind, ProgrammeKind, ProgrammeMode, TitleSeries,
};
use gongjiang_tabular::RowReader;
use gongjiang_tabular::workbook::{self, MarkedRow, ReportTexts, TemplateColumn, TemplateTexts};

use super::{Kind, RejectedRow};
use crate::export::HeaderLanguage;
use crate::{App, AppError};

fn t(lang: HeaderLanguage, zh: &str, en: &str) -> String {
    match lang {
        HeaderLanguage::Chinese => zh.to_string(),
        HeaderLanguage::English => en.to_string(),
    }
}

/// What a column holds, in both languages; and an example.
fn about(name: &str) -> (&'static str, &'static str, &'static str) {
    match name {
        "uscc" | "employer_uscc" | "issuer_uscc" | "reporter_uscc" | "provider_uscc" | "enterprise_uscc"
        | "institution_uscc" => (
            "18 位统一社会信用代码；单位须已登记",
            "18-character unified social credit code; the organisation must be registered",
            "91120116MA05WWWW1X",
        ),
        "name" => ("名称或姓名，与证件一致", "name, as on the identity document or licence", "张三"),
        "kind" => ("单位类型，从下拉列表选择", "kind of organisation, from the list", "企业"),
        "district" => (
            "所在区，从下拉列表选择（导入也接受 6 位区划代码）",
            "district, from the list (imports also take the 6-digit GB/T 2260 code)",
            "滨海新区",
        ),
        "industry" => ("国民经济行业门类：字母或名称", "GB/T 4754 industry section: letter or name", "制造业"),
        "chains" => ("重点产业链，多个用分号分隔", "industrial chains, separated by semicolons", ""),
        "id_number" => (
            "证件号码（18 位身份证号码，末位可为 X）；单元格已设为文本，请勿改为数字",
            "identity number (18 characters, last may be X); the cells are text — keep them so",
            "120101199001011234",
        ),
        "id_type" => ("证件类型，不填为居民身份证", "kind of identity document; resident ID when empty", "居民身份证"),
        "occupation" => (
            "职业代码（2022 版大典细类，如 6-18-01-01）或唯一的职业名称",
            "occupation code (2022 classification, detail level, e.g. 6-18-01-01) or its unique name",
            "6-18-01-01",
        ),
        "education" => ("学历", "education", "高中"),
        "employment_status" => ("就业状态", "employment status", "就业"),
        "competition" => (
            "竞赛名称，与主办方公布的一致",
            "the competition's name, as its organiser publishes it",
            "海河工匠杯技能大赛",
        ),
        "tier" => ("竞赛级别，从下拉列表选择", "competition tier, from the list", "市级一类"),
        "group" => ("组别：职工或学生", "group entered: employee or student", "职工"),
        "rank" => ("名次（1 为第一名）", "place (1 = first)", "3"),
        "entrants" => (
            "参赛人数：按百分比晋升的级别（如企业/院校级前30%）必填",
            "number of entrants: required where promotion counts a percentage (e.g. enterprise top 30 %)",
            "40",
        ),
        "code" | "programme_code" => (
            "培训项目编号（由培训机构编定，全市唯一）",
            "the programme's code (set by its provider, unique)",
            "TJPX-2026-001",
        ),
        "programme_kind" => {
            ("培训类型，从下拉列表选择；可不填", "kind of programme, from the list; optional", "在岗提升培训")
        }
        "mode" => ("培训方式：线下、线上或线上线下结合", "mode: offline, online or blended", "线上线下结合"),
        "hours" => ("学时（可含两位小数）", "learning hours (up to two decimals)", "72"),
        "capacity" => ("计划人数", "places", "40"),
        "platform_url" => (
            "线上学习平台地址（学员账号所在平台，xAPI 的 homePage）；没有则不填",
            "the online learning platform's address (the xAPI account homePage of its learners); empty if none",
            "https://learn.example.cn",
        ),
        "learner_id" => ("学员在培训平台上的账号", "the learner's account on the provider's platform", "stu0001"),
        "status" => (
            "学习状态：在学、已结业或已退出；不填为在学",
            "status: enrolled, completed or withdrawn; enrolled when empty",
            "",
        ),
        "contract_ends_on" => (
            "劳动合同截止日期；无固定期限合同填“无固定期限”",
            "the labour contract's last day; \"无固定期限\" for an open-ended contract",
            "2028-12-31",
        ),
        "enterprise_mentor" | "school_mentor" => ("导师姓名", "the mentor's name", "王师傅"),
        "extension_reason" => {
            ("学徒期超过两年时须填写特殊情况的原因", "why the apprenticeship runs past two years (required then)", "")
        }
        "ends_on" => (
            "结束或截止日期：YYYY-MM-DD、YYYY/M/D、YYYYMMDD 或 YYYY-MM；社保仍在缴费的留空",
            "the end: YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY-MM; for insurance, empty while still paying",
            "2024-12-31",
        ),
        "work_start" | "start" | "end" | "obtained_on" | "awarded_on" | "starts_on" | "enrolled_on"
        | "completed_on" => (
            "日期：YYYY-MM-DD、YYYY/M/D、YYYYMMDD 或 YYYY-MM",
            "a date: YYYY-MM-DD, YYYY/M/D, YYYYMMDD or YYYY-MM",
            "2020-07-01",
        ),
        "level" => (
            "技能等级：名称（如 高级工）、1–8 或 五级…一级",
            "level: a name (e.g. 高级工), 1–8, or 五级…一级",
            "高级工",
        ),
        "source" => ("取得方式，不填为考试（评价）", "how it was obtained; exam when empty", ""),
        "trade" => ("工种/职业方向，没有则不填", "sub-trade, if any", ""),
        "certificate_no" => ("证书编号", "certificate number", ""),
        "revoked_on" => (
            "撤销日期：撤销该等级时填写，自该日起不再计入；未撤销则不填",
            "revocation day: fill in to revoke the level from that day; empty otherwise",
            "",
        ),
        "revoked_reason" => ("撤销原因：填写撤销日期时必填", "reason for the revocation: required with its day", ""),
        "year" => ("年份", "year", "2025"),
        "employed_persons" => ("就业人员数（人）", "employed persons", "120000"),
        "people" => ("需求人数", "people needed", "20"),
        "period" => ("需求期间：年份（2026）或季度（2026Q3）", "period: a year (2026) or quarter (2026Q3)", "2026"),
        "chain" => ("所属产业链", "industrial chain", ""),
        "note" => ("备注", "note", ""),
        "edition" => (
            "标准的申报条件版本：策略中的版本号，如 2018 或 2023",
            "the edition of the application conditions the standard follows: a policy edition id, e.g. 2018 or 2023",
            "2018",
        ),
        "effective_from" => ("施行日期：该标准自此日起适用", "the day the standard takes effect", "2019-01-01"),
        "standard_name" => ("标准名称", "name of the standard", "国家职业技能标准 电工（2018年版）"),
        "scheme" => ("险种", "insurance scheme", "失业保险"),
        "major" => ("所学专业，没有则不填", "the major studied, if any", "数控加工"),
        "graduated_on" => (
            "毕业日期：已毕业者填写；在读学生不填",
            "graduation date: for a graduate; empty for a student",
            "2019-07-01",
        ),
        "expected_graduation_on" => (
            "预计毕业日期：仅在读学生填写（与毕业日期二选一）",
            "expected graduation: only for a student (instead of graduated_on)",
            "",
        ),
        "series" => ("职称系列，如 工程技术", "title series, e.g. 工程技术 (engineering)", "工程技术"),
        "grade" => ("职称级别：初级、中级、副高级或正高级", "title grade: 初级, 中级, 副高级 or 正高级", "中级"),
        "title" => ("职称名称，如 电气工程师", "the title's name, e.g. 电气工程师", "电气工程师"),
        "reference" => (
            "来源：文件或网页；推断的写 [I] 并说明理由",
            "source: document or page; write [I] and the reason when inferred",
            "",
        ),
        _ => ("", "", ""),
    }
}

fn names<E: Copy>(all: &[E], zh: fn(E) -> &'static str) -> Vec<String> {
    all.iter().map(|e| zh(*e).to_string()).collect()
}

/// The import template of `kind` as XLSX bytes, headers in `lang`.
pub fn template(app: &App, kind: Kind, lang: HeaderLanguage) -> Result<Vec<u8>, AppError> {
    let policy = &app.policy;
    let districts: Vec<String> = policy.districts.iter().map(|d| d.name_zh.clone()).collect();
    let levels: Vec<String> = (1..=8u8)
        .filter_map(gongjiang_domain::level::Level::new)
        .map(|l| policy.ladder.name_zh(l).to_string())
        .collect();
    let industries: Vec<String> = policy.industries.iter().map(|i| i.name_zh.clone()).collect();
    let chains: Vec<String> = policy.industrial_chains.iter().map(|c| c.name_zh.clone()).collect();
    let occupations: Vec<String> =
        app.catalogue.iter().filter(|o| o.depth == 4).map(|o| o.code.as_str().to_string()).collect();
    let columns: Vec<TemplateColumn> = kind
        .columns()
        .iter()
        .map(|c| {
            let (note_zh, note_en, example) = about(c.name);
            let (choices, suggestions): (Vec<String>, Vec<String>) = match (kind, c.name) {
                (_, "district") => (districts.clone(), Vec::new()),
                (_, "level") => (levels.clone(), Vec::new()),
                (_, "industry") => (industries.clone(), Vec::new()),
                (Kind::Orgs, "kind") => (names(OrgKind::ALL, OrgKind::zh), Vec::new()),
                (_, "id_type") => (names(IdType::ALL, IdType::zh), Vec::new()),
                (_, "education") => (names(Education::ALL, Education::zh), Vec::new()),
                (_, "employment_status") => (names(EmploymentStatus::ALL, EmploymentStatus::zh), Vec::new()),
                (_, "source") => (names(LevelSource::ALL, LevelSource::zh), Vec::new()),
                (_, "mode") => (names(ProgrammeMode::ALL, ProgrammeMode::zh), Vec::new()),
                (_, "programme_kind") => (names(ProgrammeKind::ALL, ProgrammeKind::zh), Vec::new()),
                (Kind::Enrolments, "status") => (names(EnrolmentStatus::ALL, EnrolmentStatus::zh), Vec::new()),
                (_, "tier") => (names(CompetitionTier::ALL, CompetitionTier::zh), Vec::new()),
                (Kind::CompetitionResults, "group") => (names(CompetitionGroup::ALL, CompetitionGroup::zh), Vec::new()),
                (Kind::Insurance, "scheme") => (names(InsuranceScheme::ALL, InsuranceScheme::zh), Vec::new()),
                (Kind::Titles, "series") => (names(TitleSeries::ALL, TitleSeries::zh), Vec::new()),
                (Kind::Titles, "grade") => {
                    (vec!["初级".into(), "中级".into(), "副高级".into(), "正高级".into()], Vec::new())
                }
                (_, "chain") => (chains.clone(), Vec::new()),
                (_, "chains") => (Vec::new(), chains.clone()),
                (_, "occupation") => (Vec::new(), occupations.clone()),
                _ => (Vec::new(), Vec::new()),
            };
            TemplateColumn {
                header: match lang {
                    HeaderLanguage::Chinese => c.zh[0].to_string(),
                    HeaderLanguage::English => c.name.to_string(),
                },
                required: c.required,
                note: t(lang, note_zh, note_en),
                choices,
                suggestions,
                example: example.to_string(),
                width: if c.name.ends_with("uscc") || c.name == "id_number" { 22.0 } else { 14.0 },
            }
        })
        .collect();
    let texts = TemplateTexts {
        data_sheet: t(lang, "数据", "data"),
        help_sheet: t(lang, "填写说明", "instructions"),
        help_headers: [
            t(lang, "列", "column"),
            t(lang, "必填", "required"),
            t(lang, "说明", "what goes in it"),
            t(lang, "可选值", "allowed values"),
            t(lang, "示例", "example"),
        ],
        required_yes: t(lang, "是", "yes"),
        required_no: t(lang, "否", "no"),
        invalid_title: t(lang, "不是可选值", "Not an allowed value"),
        invalid_message: t(lang, "请从下拉列表中选择。", "Choose a value from the list."),
        intro: vec![
            t(lang, &format!("导入模板：{}", kind_name_zh(kind)), &format!("Import template: {}", kind.name())),
            t(
                lang,
                "在“数据”表第 2 行起逐行填写；带 * 的列必填；有下拉箭头的列请从列表选择。",
                "Fill in the \"data\" sheet from row 2; columns marked * are required; pick from the list where a cell has one.",
            ),
            t(
                lang,
                "空单元格不会清除登记库中已有的值；同一文件重复导入不会重复登记。",
                "An empty cell never erases a value already in the registry; importing the same file again changes nothing.",
            ),
        ],
    };
    Ok(workbook::template(&columns, &texts)?)
}

pub fn kind_name_zh(kind: Kind) -> &'static str {
    match kind {
        Kind::Orgs => "单位",
        Kind::Persons => "人员",
        Kind::Levels => "技能等级",
        Kind::Employment => "从业经历",
        Kind::Statistics => "就业统计",
        Kind::Demand => "用工需求",
        Kind::Standards => "职业技能标准",
        Kind::CompetitionResults => "竞赛成绩（以赛代评）",
        Kind::Insurance => "社会保险缴费记录",
        Kind::Programmes => "培训项目",
        Kind::Platforms => "培养平台",
        Kind::Enrolments => "培训报名",
        Kind::Apprenticeships => "企业新型学徒",
        Kind::Education => "学历记录",
        Kind::Titles => "职称",
    }
}

/// The error report of an import of `path`: every rejected row as it was in the file, bad
/// cells marked with their reasons. Reads the file again (only the rejected lines are kept).
pub fn report(path: &Path, rejected: &[RejectedRow], lang: HeaderLanguage) -> Result<Vec<u8>, AppError> {
    let mut reader = RowReader::open(path)?;
    let headers: Vec<String> = reader.headers().iter().map(|h| h.trim().to_string()).collect();
    let by_line: HashMap<u64, &RejectedRow> = rejected.iter().map(|r| (r.line, r)).collect();
    let mut rows: Vec<MarkedRow> = Vec::with_capacity(rejected.len());
    let mut seen = std::collections::HashSet::new();
    while let Some(row) = reader.next_row() {
        let Ok(row) = row else { continue };
        let Some(r) = by_line.get(&row.line) else { continue };
        seen.insert(row.line);
        rows.push(marked(r, row.cells, &headers));
    }
    // Rows the reader could not even read (broken CSV records) have no cells to show.
    for r in rejected.iter().filter(|r| !seen.contains(&r.line)) {
        rows.push(marked(r, Vec::new(), &headers));
    }
    rows.sort_by_key(|r| r.line);
    let texts = ReportTexts {
        sheet: t(lang, "错误报告", "errors"),
        line: t(lang, "行号", "line"),
        reasons_zh: "错误说明".into(),
        reasons_en: "Errors (English)".into(),
    };
    Ok(workbook::marked_report(&headers, &rows, &texts)?)
}

fn marked(r: &RejectedRow, cells: Vec<String>, headers: &[String]) -> MarkedRow {
    let mut bad = Vec::new();
    let mut zh = Vec::new();
    let mut en = Vec::new();
    for e in &r.errors {
        let column = e.column.trim();
        if let Some(i) = headers.iter().position(|h| h == column) {
            bad.push((i, format!("{}\n{}", e.reason.zh, e.reason.en)));
        }
        let prefix = if column.is_empty() { String::new() } else { format!("{column}：") };
        zh.push(format!("{prefix}{}", e.reason.zh));
        en.push(format!("{}{}", if column.is_empty() { String::new() } else { format!("{column}: ") }, e.reason.en));
    }
    MarkedRow { line: r.line, cells, bad, reasons_zh: zh.join("；"), reasons_en: en.join("; ") }
}
