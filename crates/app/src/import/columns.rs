//! The columns each import kind understands, in English and Chinese, and the mapping from a
//! file's header row to them.

use gongjiang_domain::bilingual::Msg;

/// One column an import understands.
pub struct Column {
    /// Canonical English header.
    pub name: &'static str,
    /// Chinese headers accepted (the first is the one exports write).
    pub zh: &'static [&'static str],
    pub required: bool,
}

const fn col(name: &'static str, zh: &'static [&'static str], required: bool) -> Column {
    Column { name, zh, required }
}

pub const ORGS: &[Column] = &[
    col("uscc", &["统一社会信用代码", "信用代码", "社会信用代码"], true),
    col("name", &["单位名称", "名称", "机构名称"], true),
    col("kind", &["单位类型", "类型", "机构类型"], true),
    col("district", &["所在区", "区", "行政区", "区县"], true),
    col("industry", &["行业门类", "行业"], false),
    col("chains", &["产业链", "重点产业链"], false),
];

pub const PERSONS: &[Column] = &[
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("name", &["姓名"], true),
    col("id_type", &["证件类型"], false),
    col("district", &["工作所在区", "所在区", "区", "行政区"], false),
    col("employer_uscc", &["单位统一社会信用代码", "用人单位信用代码", "工作单位信用代码", "单位信用代码"], false),
    col("occupation", &["职业代码", "职业"], false),
    col("education", &["学历", "文化程度"], false),
    col("employment_status", &["就业状态"], false),
    col("work_start", &["参加工作日期", "参加工作时间"], false),
];

pub const LEVELS: &[Column] = &[
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("occupation", &["职业代码", "职业"], true),
    col("level", &["技能等级", "等级", "职业技能等级"], true),
    col("obtained_on", &["取得日期", "发证日期", "取证日期"], true),
    col("source", &["取得方式", "来源"], false),
    col("trade", &["工种/职业方向", "工种", "职业方向"], false),
    col("certificate_no", &["证书编号"], false),
    col("issuer_uscc", &["发证机构信用代码", "评价机构信用代码", "发证单位信用代码"], false),
    col("revoked_on", &["撤销日期", "注销日期"], false),
    col("revoked_reason", &["撤销原因", "注销原因"], false),
];

pub const EMPLOYMENT: &[Column] = &[
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("employer_uscc", &["单位统一社会信用代码", "用人单位信用代码", "单位信用代码"], true),
    col("start", &["入职日期", "开始日期"], true),
    col("end", &["离职日期", "结束日期"], false),
    col("occupation", &["职业代码", "职业"], false),
];

pub const STATISTICS: &[Column] = &[
    col("year", &["年份", "年度"], true),
    col("district", &["区", "所在区", "行政区"], true),
    col("industry", &["行业门类", "行业"], false),
    col("employed_persons", &["就业人员数", "就业人数", "从业人员数"], false),
    col("chain", &["产业链", "重点产业链"], false),
    col("skilled", &["技能人才数", "技能人才"], false),
    col("high_skilled", &["高技能人才数", "高技能人才"], false),
];

pub const DEMAND: &[Column] = &[
    col(
        "reporter_uscc",
        &["填报单位统一社会信用代码", "统一社会信用代码", "单位信用代码", "信用代码", "填报单位信用代码"],
        true,
    ),
    col("occupation", &["职业代码", "职业（工种）代码", "职业"], true),
    col("level", &["技能等级", "技能等级要求", "等级", "职业技能等级"], true),
    col("people", &["需求人数", "人数", "数量"], true),
    col("period", &["需求期间", "期间", "需求年度", "年度", "年份"], true),
    col("district", &["所在区", "用工区", "区", "行政区"], true),
    col("chain", &["所属产业链", "产业链", "重点产业链"], false),
    col("note", &["备注"], false),
];

pub const STANDARDS: &[Column] = &[
    col("occupation", &["职业代码", "职业"], true),
    col("edition", &["标准版本", "申报条件版本", "版本"], true),
    col("effective_from", &["施行日期", "实施日期", "生效日期"], true),
    col("standard_name", &["标准名称"], false),
    col("reference", &["来源", "依据"], false),
];

pub const COMPETITION_RESULTS: &[Column] = &[
    col("competition", &["竞赛名称", "比赛名称", "赛事名称"], true),
    col("tier", &["竞赛级别", "竞赛类别", "级别"], true),
    col("awarded_on", &["成绩公布日期", "公布日期", "获奖日期"], true),
    col("occupation", &["职业代码", "职业（工种）代码", "职业"], true),
    col("group", &["组别"], true),
    col("rank", &["名次", "排名"], true),
    col("entrants", &["参赛人数"], false),
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("institution", &["评价机构编号", "发证评价机构编号"], false),
];

pub const INSURANCE: &[Column] = &[
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("scheme", &["险种", "险种类型", "保险类型"], true),
    col("starts_on", &["起始日期", "参保起始日期", "缴费起始日期", "开始日期"], true),
    col("ends_on", &["截止日期", "缴费截止日期", "终止日期", "结束日期"], false),
    col("district", &["参保区", "所在区", "区", "行政区"], false),
];

pub const EDUCATION: &[Column] = &[
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("education", &["学历", "学历层次", "所读班级"], true),
    col("major", &["专业", "所学专业"], false),
    col("graduated_on", &["毕业日期", "毕业时间"], false),
    col("expected_graduation_on", &["预计毕业日期", "预计毕业时间"], false),
];

pub const TITLES: &[Column] = &[
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("series", &["职称系列", "系列"], true),
    col("grade", &["职称级别", "职称等级", "级别"], true),
    col("title", &["职称名称", "职称", "资格名称"], true),
    col("obtained_on", &["取得日期", "取得时间", "评审通过日期"], true),
];

pub const PROGRAMMES: &[Column] = &[
    col("code", &["项目编号", "培训项目编号"], true),
    col("provider_uscc", &["培训机构信用代码", "培训机构统一社会信用代码"], true),
    col("name", &["项目名称", "培训项目名称"], true),
    col("occupation", &["职业代码", "职业（工种）代码", "职业"], true),
    col("level", &["培训等级", "技能等级", "等级"], true),
    col("mode", &["培训方式"], true),
    col("hours", &["学时", "培训学时"], true),
    col("starts_on", &["开班日期", "开始日期"], true),
    col("ends_on", &["结业日期", "结束日期"], true),
    col("capacity", &["计划人数", "招生人数"], true),
    col("platform_url", &["平台地址", "学习平台地址"], false),
    col("programme_kind", &["培训类型", "项目类型"], false),
];

pub const PLATFORMS: &[Column] = &[
    col("code", &["平台编号"], true),
    col("organisation_uscc", &["依托单位信用代码", "单位信用代码", "统一社会信用代码"], true),
    col("name", &["平台名称"], true),
    col("kind", &["平台类型"], true),
    col("tier", &["级别", "平台级别"], true),
    col("approved_on", &["批准日期", "认定日期"], true),
    col("valid_until", &["有效期至", "有效期截止日期"], false),
    col("funding", &["资助金额（万元）", "资助金额", "建设经费（万元）"], false),
    col("occupation", &["职业代码", "职业（工种）代码"], false),
    col("lead_id_number", &["领衔人身份证号", "领办人身份证号"], false),
];

pub const ENROLMENTS: &[Column] = &[
    col("programme_code", &["项目编号", "培训项目编号"], true),
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("learner_id", &["学员账号", "平台账号"], false),
    col("enrolled_on", &["报名日期"], true),
    col("hours", &["已学学时", "学时"], false),
    col("status", &["学习状态", "状态"], false),
    col("completed_on", &["完成日期", "结业日期"], false),
];

pub const APPRENTICESHIPS: &[Column] = &[
    col("enterprise_uscc", &["企业信用代码", "企业统一社会信用代码"], true),
    col("id_number", &["身份证号", "证件号码", "公民身份号码", "身份证号码"], true),
    col("institution_uscc", &["培训机构信用代码", "培训机构统一社会信用代码", "院校信用代码"], true),
    col("contract_ends_on", &["劳动合同截止日期", "合同截止日期"], true),
    col("starts_on", &["开始日期", "培养开始日期"], true),
    col("ends_on", &["结束日期", "培养结束日期"], true),
    col("occupation", &["职业代码", "职业（工种）代码", "职业"], true),
    col("level", &["目标等级", "培养目标等级"], true),
    col("enterprise_mentor", &["企业导师"], true),
    col("school_mentor", &["院校导师"], true),
    col("extension_reason", &["延期原因", "特殊情况说明"], false),
];

/// Where each known column sits in a file, plus what the header row said that we ignore.
#[derive(Debug)]
pub struct HeaderMap {
    index: Vec<Option<usize>>,
    pub ignored: Vec<String>,
    /// The header as the file wrote it, per known column (for error reports).
    pub labels: Vec<String>,
}

/// Headers are matched ignoring case, spaces, a leading `*` (required markers in templates)
/// and a trailing parenthesis such as `身份证号(必填)`.
fn normalise(h: &str) -> String {
    let h = h.trim().trim_start_matches('\u{feff}').trim_start_matches('*').trim();
    let h = h.split(['(', '（']).next().unwrap_or(h);
    h.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase()
}

impl HeaderMap {
    /// Maps the file's headers to the columns; a missing required column rejects the file.
    pub fn new(columns: &[Column], headers: &[String]) -> Result<HeaderMap, Msg> {
        let norm: Vec<String> = headers.iter().map(|h| normalise(h)).collect();
        let mut index = Vec::with_capacity(columns.len());
        let mut labels = Vec::with_capacity(columns.len());
        let mut used = vec![false; headers.len()];
        let mut missing = Vec::new();
        for c in columns {
            let found = norm
                .iter()
                .enumerate()
                .find(|(i, h)| !used[*i] && (h.as_str() == c.name || c.zh.iter().any(|z| normalise(z) == h.as_str())));
            match found {
                Some((i, _)) => {
                    used[i] = true;
                    index.push(Some(i));
                    labels.push(headers[i].trim().to_string());
                }
                None => {
                    if c.required {
                        missing.push(format!("{} ({})", c.name, c.zh[0]));
                    }
                    index.push(None);
                    labels.push(c.name.to_string());
                }
            }
        }
        if !missing.is_empty() {
            let list = missing.join(", ");
            return Err(Msg::new(format!("缺少必填列：{list}"), format!("required column(s) missing: {list}")));
        }
        let ignored = headers
            .iter()
            .zip(&used)
            .filter(|(h, u)| !**u && !h.trim().is_empty())
            .map(|(h, _)| h.trim().to_string())
            .collect();
        Ok(HeaderMap { index, ignored, labels })
    }

    /// The trimmed cell of column `i` (in the kind's column order); empty when absent.
    pub fn get<'r>(&self, i: usize, cells: &'r [String]) -> &'r str {
        self.index[i].and_then(|c| cells.get(c)).map(|s| s.trim()).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_english_chinese_and_decorated_headers() {
        let h: Vec<String> = ["*身份证号(必填)", " Name ", "备注", "职业代码"].iter().map(|s| s.to_string()).collect();
        let m = HeaderMap::new(PERSONS, &h).unwrap();
        assert_eq!(m.ignored, ["备注"]);
        let cells: Vec<String> = ["1", " 张三 ", "x", "6-18-01-01"].iter().map(|s| s.to_string()).collect();
        assert_eq!(m.get(0, &cells), "1");
        assert_eq!(m.get(1, &cells), "张三");
        assert_eq!(m.get(5, &cells), "6-18-01-01");
        assert_eq!(m.get(3, &cells), "");
    }

    #[test]
    fn missing_required_column_names_it_in_both_languages() {
        let h: Vec<String> = vec!["姓名".into()];
        let e = HeaderMap::new(PERSONS, &h).unwrap_err();
        assert!(e.zh.contains("身份证号") && e.en.contains("id_number"), "{e}");
    }
}
