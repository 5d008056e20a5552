//! Semantic checks on what was read, building the validated model.

use std::collections::{HashMap, HashSet};

use time::Date;

use super::condition::{Condition, TitleGrade};
use super::model::{
    ComprehensiveReview, District, Edition, Eligibility, Evaluation, FormerDistrictCode, IndustrialChain,
    IndustrialSector, IndustrialSystem, Industry, IndustryGroup, KpiDefinition, KpiTarget, Ladder, LadderLevel, Meta,
    OccupationEdition, Policy, Rule, ShortageScale, find_district, is_occupation_code, parse_level_in, short_names,
};
use super::raw::{
    RawChain, RawCondition, RawDate, RawDistrict, RawEditionEntry, RawEligibility, RawEvaluation, RawFormerDistrict,
    RawGroup, RawIndustrialSystem, RawIndustry, RawKpi, RawLadder, RawLevel, RawMeta, RawOccupationEdition, RawPolicy,
    RawRuleEntry, RawSector, RawShortage, RawTarget,
};
use super::read::Loader;
use crate::bilingual::Msg;
use crate::dates::{iso, parse_date};
use crate::division::{division_prefix, is_division_code};
use crate::level::Level;
use crate::registry::{Education, EmploymentStatus};

impl<'r, 'i> Loader<'r, 'i> {
    /// The inference note of a rule: both languages or neither (`None` after reporting the
    /// error).
    pub(super) fn inferred(&mut self, path: &str, zh: Option<&String>, en: Option<&String>) -> Option<Option<Msg>> {
        match (zh, en) {
            (None, None) => Some(None),
            (Some(zh), Some(en)) if !zh.trim().is_empty() && !en.trim().is_empty() => {
                Some(Some(Msg::new(zh.clone(), en.clone())))
            }
            _ => {
                self.err(
                    path,
                    Msg::new(
                        "推断说明须同时填写 inferred_zh 和 inferred_en",
                        "an inference note needs both inferred_zh and inferred_en",
                    ),
                );
                None
            }
        }
    }

    pub(super) fn date(&mut self, path: &str, d: &RawDate) -> Option<Date> {
        let s = d.0.trim();
        let b = s.as_bytes();
        let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-';
        let parsed = if shaped { parse_date(s) } else { None };
        if parsed.is_none() {
            self.err(
                path,
                Msg::new(
                    format!("不是有效日期（应为 YYYY-MM-DD）：{s}"),
                    format!("not a valid date (expected YYYY-MM-DD): {s}"),
                ),
            );
        }
        parsed
    }

    pub(super) fn opt_date(&mut self, path: &str, d: Option<&RawDate>) -> Option<Option<Date>> {
        match d {
            None => Some(None),
            Some(d) => self.date(path, d).map(Some),
        }
    }

    /// `from < to` when both are present.
    pub(super) fn range(&mut self, path: &str, from: Option<Date>, to: Option<Date>) {
        if let (Some(f), Some(t)) = (from, to)
            && f >= t
        {
            self.err(
                &format!("{path}.effective_to"),
                Msg::new(
                    format!("生效日期 {} 应早于失效日期 {}", iso(f), iso(t)),
                    format!("effective_from {} must be before effective_to {}", iso(f), iso(t)),
                ),
            );
        }
    }

    pub(super) fn text(&mut self, path: &str, s: &str) {
        if s.trim().is_empty() {
            self.err(path, Msg::new("不能为空", "must not be empty"));
        }
    }

    /// Reports `entry.field = value` when `value` was seen before in another entry.
    pub(super) fn unique<'a>(
        &mut self,
        seen: &mut HashMap<String, &'a str>,
        value: &str,
        entry: &'a str,
        field: &str,
        what: (&str, &str),
    ) {
        if value.is_empty() {
            return;
        }
        if let Some(first) = seen.get(value) {
            let first = *first;
            self.err(
                &format!("{entry}.{field}"),
                Msg::new(
                    format!("{} “{value}” 重复（已见于 {first}）", what.0),
                    format!("duplicate {} \"{value}\" (already at {first})", what.1),
                ),
            );
        } else {
            seen.insert(value.to_owned(), entry);
        }
    }

    pub(super) fn level(&mut self, ladder: &[LadderLevel], path: &str, name: &str) -> Option<Level> {
        let level = parse_level_in(ladder, name);
        if level.is_none() {
            let known: Vec<String> = ladder.iter().map(|r| r.name_zh.clone()).collect();
            self.err(
                path,
                Msg::new(
                    format!("等级名称无法识别：“{name}”（可用：{}）", known.join("、")),
                    format!("unknown level name \"{name}\" (known: {})", known.join(", ")),
                ),
            );
        }
        level
    }

    pub(super) fn build(&mut self, raw: RawPolicy) -> Option<Policy> {
        let meta = raw.meta.as_ref().and_then(|m| self.meta(m));
        let (levels, skilled, high) = self.ladder(raw.ladder.as_ref(), &raw.levels);
        let districts = self.districts(&raw.districts, raw.meta.as_ref().map(|m| m.jurisdiction.as_str()));
        let former = self.former(&raw.former, &districts);
        let industries = self.industries(&raw.industries);
        let system = self.system(raw.system.as_ref(), &raw.groups, &raw.sectors);
        let chains = self.chains(&raw.chains, system.as_ref());
        let kpi = raw.kpi.as_ref().and_then(|k| self.kpi(k));
        let targets = self.targets(&raw.targets, &districts, &former);
        let eligibility =
            raw.eligibility.as_ref().map(|e| self.eligibility(e, &raw.editions, &raw.occupation_editions, &levels));
        let evaluation = raw.evaluation.as_ref().and_then(|e| self.evaluation(e, &levels));
        let shortage = raw.shortage.as_ref().map(|s| self.shortage(s));
        let competition =
            self.competition(raw.competition.as_ref(), &raw.promotions, &raw.awards, &raw.rewards, &levels);
        let benefits = self.benefits(
            raw.benefits.as_ref(),
            raw.skill_upgrade.as_ref(),
            raw.haihe_talent.as_ref(),
            &raw.talent_routes,
            raw.skill_allowance.as_ref(),
            &levels,
        );
        let benefits =
            super::benefits::BenefitSchemes { budgets: self.budgets(&raw.budgets, &benefits, &districts), ..benefits };
        let apprenticeship = self.apprenticeship(raw.apprenticeship.as_ref(), &raw.apprenticeship_rules, &levels);
        let calendar = self.calendar(&raw.calendar);
        let titles = self.titles(raw.titles.as_ref(), &raw.correspondence, &raw.bridging, &levels);
        let ladder = self.complete_ladder(levels, skilled, high, raw.ladder.as_ref().and_then(|h| h.source.clone()));

        Some(Policy {
            meta: meta?,
            ladder: ladder?,
            districts,
            former_district_codes: former,
            industries,
            industrial_system: system,
            industrial_chains: chains,
            kpi: kpi?,
            kpi_targets: targets,
            eligibility: eligibility?,
            evaluation: evaluation?,
            shortage,
            competition,
            benefits,
            apprenticeship,
            titles,
            calendar,
        })
    }

    fn meta(&mut self, m: &RawMeta) -> Option<Meta> {
        self.text("meta.id", &m.id);
        self.text("meta.name_zh", &m.name_zh);
        self.text("meta.name_en", &m.name_en);
        self.text("meta.version", &m.version);
        self.text("meta.jurisdiction_name_zh", &m.jurisdiction_name_zh);
        self.text("meta.jurisdiction_name_en", &m.jurisdiction_name_en);
        if !is_division_code(&m.jurisdiction) {
            self.err(
                "meta.jurisdiction",
                Msg::new(
                    format!("行政区划代码应为 6 位数字：{}", m.jurisdiction),
                    format!("division code must be 6 digits: {}", m.jurisdiction),
                ),
            );
        }
        let from = self.date("meta.effective_from", &m.effective_from);
        let to = self.opt_date("meta.effective_to", m.effective_to.as_ref());
        self.range("meta", from, to.flatten());
        Some(Meta {
            id: m.id.clone(),
            name_zh: m.name_zh.clone(),
            name_en: m.name_en.clone(),
            jurisdiction: m.jurisdiction.clone(),
            jurisdiction_name_zh: m.jurisdiction_name_zh.clone(),
            jurisdiction_name_en: m.jurisdiction_name_en.clone(),
            version: m.version.clone(),
            effective_from: from?,
            effective_to: to?,
            sources: m.sources.clone(),
        })
    }

    /// The ladder rows as far as they could be read (valid, first-seen ranks, in rank order) and
    /// the two thresholds. Level names elsewhere are resolved against these rows even when the
    /// ladder is incomplete, so one problem does not hide the others.
    fn ladder(
        &mut self,
        head: Option<&RawLadder>,
        rows: &[(String, RawLevel)],
    ) -> (Vec<LadderLevel>, Option<Level>, Option<Level>) {
        let mut by_rank: HashMap<u8, &str> = HashMap::new();
        let mut names: HashMap<String, &str> = HashMap::new();
        let mut codes: HashMap<String, &str> = HashMap::new();
        let mut levels = Vec::new();
        for (path, r) in rows {
            self.text(&format!("{path}.name_zh"), &r.name_zh);
            self.text(&format!("{path}.name_en"), &r.name_en);
            self.text(&format!("{path}.source"), &r.source);
            let Some(level) = Level::new(r.rank) else {
                self.err(
                    &format!("{path}.rank"),
                    Msg::new(
                        format!("等级序号应在 1 到 8 之间：{}", r.rank),
                        format!("rank must be within 1..=8: {}", r.rank),
                    ),
                );
                continue;
            };
            // A duplicated rank is reported, but the row is kept so that its names still
            // resolve elsewhere; the ladder is then rejected as a whole.
            if let Some(first) = by_rank.get(&r.rank) {
                self.err(
                    &format!("{path}.rank"),
                    Msg::new(
                        format!("等级序号 {} 重复（已见于 {first}）", r.rank),
                        format!("rank {} appears twice (already at {first})", r.rank),
                    ),
                );
            } else {
                by_rank.insert(r.rank, path);
            }
            self.unique(&mut names, &r.name_zh, path, "name_zh", ("等级名称", "level name"));
            self.unique(&mut names, &r.name_en.to_lowercase(), path, "name_en", ("等级名称", "level name"));
            if let Some(alias) = &r.grade_alias {
                self.unique(&mut names, alias, path, "grade_alias", ("等级名称", "level name"));
            }
            if let Some(code) = r.certificate_level_code {
                if !(1..=9).contains(&code) {
                    self.err(
                        &format!("{path}.certificate_level_code"),
                        Msg::new(
                            format!("证书等级代码应为 1 到 9 的一位数字：{code}"),
                            format!("certificate level code must be a digit 1..=9: {code}"),
                        ),
                    );
                }
                self.unique(
                    &mut codes,
                    &code.to_string(),
                    path,
                    "certificate_level_code",
                    ("证书等级代码", "certificate level code"),
                );
            }
            levels.push(LadderLevel {
                level,
                name_zh: r.name_zh.clone(),
                name_en: r.name_en.clone(),
                grade_alias: r.grade_alias.clone(),
                certificate_level_code: r.certificate_level_code,
                obtained_by: r.obtained_by,
                source: r.source.clone(),
            });
        }
        levels.sort_by_key(|r| r.level); // stable: the first of a duplicated rank stays first
        let mut threshold = |key: &str, rank: u8| {
            let level = Level::new(rank);
            if level.is_none() {
                self.err(
                    &format!("ladder.{key}"),
                    Msg::new(format!("等级序号应在 1 到 8 之间：{rank}"), format!("rank must be within 1..=8: {rank}")),
                );
            }
            level
        };
        let skilled = head.and_then(|h| threshold("skilled_from_rank", h.skilled_from_rank));
        let high = head.and_then(|h| threshold("high_skilled_from_rank", h.high_skilled_from_rank));
        if let (Some(s), Some(h)) = (skilled, high)
            && h < s
        {
            self.err(
                "ladder.high_skilled_from_rank",
                Msg::new(
                    "高技能人才起点不能低于技能人才起点",
                    "high_skilled_from_rank must not be below skilled_from_rank",
                ),
            );
        }
        (levels, skilled, high)
    }

    /// The ladder only if every rank 1..=8 is present (reports the missing ones otherwise).
    fn complete_ladder(
        &mut self,
        levels: Vec<LadderLevel>,
        skilled: Option<Level>,
        high: Option<Level>,
        source: Option<String>,
    ) -> Option<Ladder> {
        let missing: Vec<String> =
            Level::all().filter(|l| levels.iter().all(|r| r.level != *l)).map(|l| l.to_string()).collect();
        if !missing.is_empty() {
            self.err(
                "ladder.levels",
                Msg::new(
                    format!("缺少等级序号：{}（1 到 8 每个必须恰好出现一次）", missing.join("、")),
                    format!("missing rank(s) {} (each of 1..=8 must appear exactly once)", missing.join(", ")),
                ),
            );
            return None;
        }
        if levels.windows(2).any(|w| w[0].level == w[1].level) {
            return None; // already reported
        }
        Some(Ladder { levels, skilled_from: skilled?, high_skilled_from: high?, source })
    }

    fn districts(&mut self, rows: &[(String, RawDistrict)], jurisdiction: Option<&str>) -> Vec<District> {
        let mut codes = HashMap::new();
        let mut names = HashMap::new();
        let prefix = jurisdiction.filter(|j| is_division_code(j)).map(division_prefix);
        let mut out = Vec::new();
        for (path, d) in rows {
            if !is_division_code(&d.code) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("区县代码应为 6 位数字：{}", d.code),
                        format!("district code must be 6 digits: {}", d.code),
                    ),
                );
            } else if let Some(p) = prefix
                && !d.code.starts_with(p)
            {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("区县代码 {} 不属于辖区（应以 {p} 开头）", d.code),
                        format!("district code {} is outside the jurisdiction (must start with {p})", d.code),
                    ),
                );
            }
            self.unique(&mut codes, &d.code, path, "code", ("区县代码", "district code"));
            self.text(&format!("{path}.name_zh"), &d.name_zh);
            self.text(&format!("{path}.name_en"), &d.name_en);
            self.text(&format!("{path}.group"), &d.group);
            // Every name this district answers to, once each, must not belong to another district.
            let mut keys: Vec<String> = vec![d.name_zh.clone(), d.name_en.to_lowercase()];
            keys.extend(short_names(&d.name_zh).map(str::to_owned));
            keys.extend(d.aliases.iter().cloned());
            keys.sort();
            keys.dedup();
            for key in &keys {
                self.unique(&mut names, key, path, "name_zh", ("区县名称", "district name"));
            }
            out.push(District {
                code: d.code.clone(),
                name_zh: d.name_zh.clone(),
                name_en: d.name_en.clone(),
                group: d.group.clone(),
                group_en: d.group_en.clone(),
                aliases: d.aliases.clone(),
                source: d.source.clone(),
            });
        }
        out
    }

    fn former(&mut self, rows: &[(String, RawFormerDistrict)], districts: &[District]) -> Vec<FormerDistrictCode> {
        let mut codes: HashMap<String, &str> = HashMap::new();
        let mut out = Vec::new();
        for (path, f) in rows {
            if !is_division_code(&f.code) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("区县代码应为 6 位数字：{}", f.code),
                        format!("district code must be 6 digits: {}", f.code),
                    ),
                );
            }
            if districts.iter().any(|d| d.code == f.code) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("{} 是现行区县代码，不能同时作为旧代码", f.code),
                        format!("{} is a current district code and cannot also be a former one", f.code),
                    ),
                );
            }
            self.unique(&mut codes, &f.code, path, "code", ("旧区县代码", "former district code"));
            if !districts.iter().any(|d| d.code == f.current) {
                self.err(
                    &format!("{path}.current"),
                    Msg::new(
                        format!("现行区县代码 {} 不在 [[districts]] 中", f.current),
                        format!("current district code {} is not in [[districts]]", f.current),
                    ),
                );
            }
            out.push(FormerDistrictCode {
                code: f.code.clone(),
                name_zh: f.name_zh.clone(),
                current: f.current.clone(),
                source: f.source.clone(),
            });
        }
        out
    }

    fn industries(&mut self, rows: &[(String, RawIndustry)]) -> Vec<Industry> {
        let mut codes = HashMap::new();
        let mut names = HashMap::new();
        let mut out = Vec::new();
        for (path, i) in rows {
            let b = i.code.as_bytes();
            if !(b.len() == 1 && b[0].is_ascii_uppercase()) {
                self.err(
                    &format!("{path}.code"),
                    Msg::new(
                        format!("行业门类代码应为一个大写字母：{}", i.code),
                        format!("industry section code must be one uppercase letter: {}", i.code),
                    ),
                );
            }
            self.unique(&mut codes, &i.code, path, "code", ("行业门类代码", "industry code"));
            self.unique(&mut names, &i.name_zh, path, "name_zh", ("行业名称", "industry name"));
            self.text(&format!("{path}.name_en"), &i.name_en);
            out.push(Industry {
                code: i.code.clone(),
                name_zh: i.name_zh.clone(),
                name_en: i.name_en.clone(),
                source: i.source.clone(),
            });
        }
        out
    }

    fn system(
        &mut self,
        head: Option<&RawIndustrialSystem>,
        groups: &[(String, RawGroup)],
        sectors: &[(String, RawSector)],
    ) -> Option<IndustrialSystem> {
        let mut ids = HashMap::new();
        let mut out_groups = Vec::new();
        for (path, g) in groups {
            self.unique(&mut ids, &g.id, path, "id", ("产业组 id", "group id"));
            self.text(&format!("{path}.id"), &g.id);
            out_groups.push(IndustryGroup { id: g.id.clone(), name_zh: g.name_zh.clone(), name_en: g.name_en.clone() });
        }
        let mut sector_ids = HashMap::new();
        let mut out_sectors = Vec::new();
        for (path, s) in sectors {
            self.unique(&mut sector_ids, &s.id, path, "id", ("产业 id", "sector id"));
            if !out_groups.iter().any(|g| g.id == s.group) {
                self.err(&format!("{path}.group"), unknown_ref("产业组", "group", &s.group));
            }
            out_sectors.push(IndustrialSector {
                id: s.id.clone(),
                name_zh: s.name_zh.clone(),
                name_en: s.name_en.clone(),
                group: s.group.clone(),
            });
        }
        let head = head?;
        self.text("industrial_system.source", &head.source);
        Some(IndustrialSystem {
            name_zh: head.name_zh.clone(),
            name_en: head.name_en.clone(),
            source: head.source.clone(),
            groups: out_groups,
            sectors: out_sectors,
        })
    }

    fn chains(&mut self, rows: &[(String, RawChain)], system: Option<&IndustrialSystem>) -> Vec<IndustrialChain> {
        let mut ids = HashMap::new();
        let mut names = HashMap::new();
        let mut out = Vec::new();
        for (path, c) in rows {
            self.text(&format!("{path}.id"), &c.id);
            self.unique(&mut ids, &c.id, path, "id", ("产业链 id", "chain id"));
            self.unique(&mut names, &c.name_zh, path, "name_zh", ("产业链名称", "chain name"));
            self.text(&format!("{path}.source"), &c.source);
            if let Some(group) = &c.group
                && !system.is_some_and(|s| s.groups.iter().any(|g| &g.id == group))
            {
                self.err(&format!("{path}.group"), unknown_ref("产业组", "group", group));
            }
            out.push(IndustrialChain {
                id: c.id.clone(),
                name_zh: c.name_zh.clone(),
                name_en: c.name_en.clone(),
                group: c.group.clone(),
                source: c.source.clone(),
            });
        }
        out
    }

    /// Thresholds: known severities, each once, and a more severe one never easier to meet.
    fn shortage(&mut self, s: &RawShortage) -> ShortageScale {
        use crate::supply::{Severity, Threshold};
        self.text("shortage.source", &s.source);
        let mut out: Vec<Threshold> = Vec::new();
        for (i, t) in s.thresholds.iter().enumerate() {
            let path = format!("shortage.thresholds[{i}]");
            let Some(severity) = Severity::parse(&t.severity) else {
                self.err(
                    &format!("{path}.severity"),
                    Msg::new(
                        format!("未知的紧缺程度：{}（可用：acute 非常紧缺、short 紧缺、moderate 较紧缺）", t.severity),
                        format!("unknown severity: {} (allowed: acute, short, moderate)", t.severity),
                    ),
                );
                continue;
            };
            if out.iter().any(|o| o.severity == severity) {
                self.err(
                    &format!("{path}.severity"),
                    Msg::new(format!("紧缺程度重复：{}", t.severity), format!("duplicate severity: {}", t.severity)),
                );
                continue;
            }
            if !t.min_ratio.is_finite() || t.min_ratio < 0.0 {
                self.err(&format!("{path}.min_ratio"), Msg::new("应为非负数", "must be a number, 0 or more"));
                continue;
            }
            if t.min_gap < 1 {
                self.err(
                    &format!("{path}.min_gap"),
                    Msg::new("应为至少 1 的整数", "must be a whole number, 1 or more"),
                );
                continue;
            }
            out.push(Threshold { severity, min_ratio: t.min_ratio, min_gap: t.min_gap });
        }
        out.sort_by_key(|t| t.severity);
        for pair in out.windows(2) {
            if pair[0].min_ratio < pair[1].min_ratio || pair[0].min_gap < pair[1].min_gap {
                self.err(
                    "shortage.thresholds",
                    Msg::new(
                        format!("{} 的门槛不应低于 {}", pair[0].severity.zh(), pair[1].severity.zh()),
                        format!(
                            "the {} threshold must not be lower than the {} one",
                            pair[0].severity.en(),
                            pair[1].severity.en()
                        ),
                    ),
                );
            }
        }
        ShortageScale { thresholds: out, source: s.source.clone() }
    }

    fn kpi(&mut self, k: &RawKpi) -> Option<KpiDefinition> {
        let mut statuses = Vec::new();
        let mut ok = true;
        if k.employed_statuses.is_empty() {
            self.err("kpi.employed_statuses", Msg::new("不能为空", "must not be empty"));
            ok = false;
        }
        for (i, s) in k.employed_statuses.iter().enumerate() {
            match EmploymentStatus::parse(s) {
                Some(st) if statuses.contains(&st) => {
                    self.err(
                        &format!("kpi.employed_statuses[{i}]"),
                        Msg::new(format!("重复的就业状态：{s}"), format!("duplicate employment status: {s}")),
                    );
                }
                Some(st) => statuses.push(st),
                None => {
                    ok = false;
                    self.err(
                        &format!("kpi.employed_statuses[{i}]"),
                        Msg::new(
                            format!("未知的就业状态：{s}（可用：{}）", EmploymentStatus::allowed()),
                            format!("unknown employment status: {s} (allowed: {})", EmploymentStatus::allowed()),
                        ),
                    );
                }
            }
        }
        ok.then(|| KpiDefinition { employed_statuses: statuses, denominator: k.denominator, source: k.source.clone() })
    }

    fn targets(
        &mut self,
        rows: &[(String, RawTarget)],
        districts: &[District],
        former: &[FormerDistrictCode],
    ) -> Vec<KpiTarget> {
        let mut ids = HashMap::new();
        let mut out = Vec::new();
        for (path, t) in rows {
            self.text(&format!("{path}.id"), &t.id);
            self.unique(&mut ids, &t.id, path, "id", ("目标 id", "target id"));
            self.text(&format!("{path}.source"), &t.source);
            if !(t.value.is_finite() && t.value > 0.0 && t.value <= 1.0) {
                self.err(
                    &format!("{path}.value"),
                    Msg::new(
                        format!("目标值应为 (0, 1] 之间的比例，例如 0.40：{}", t.value),
                        format!("target value must be a fraction in (0, 1], e.g. 0.40: {}", t.value),
                    ),
                );
            }
            let due = self.date(&format!("{path}.due"), &t.due);
            let district = match &t.district {
                None => Some(None),
                Some(d) => match find_district(districts, former, d) {
                    Some(found) => Some(Some(found.code.clone())),
                    None => {
                        self.err(&format!("{path}.district"), unknown_ref("区县", "district", d));
                        None
                    }
                },
            };
            if let (Some(due), Some(district)) = (due, district) {
                out.push(KpiTarget {
                    id: t.id.clone(),
                    kpi: t.kpi,
                    comparison: t.comparison,
                    value: t.value,
                    due,
                    district,
                    source: t.source.clone(),
                    note: t.note.clone(),
                });
            }
        }
        out
    }

    fn eligibility(
        &mut self,
        head: &RawEligibility,
        editions: &[RawEditionEntry],
        mappings: &[(String, RawOccupationEdition)],
        ladder: &[LadderLevel],
    ) -> Eligibility {
        let mut edition_ids = HashMap::new();
        let mut rule_ids = HashMap::new();
        let mut out = Vec::new();
        for entry in editions {
            let (path, e) = (entry.path.as_str(), &entry.edition);
            self.text(&format!("{path}.id"), &e.id);
            self.unique(&mut edition_ids, &e.id, path, "id", ("版本 id", "edition id"));
            self.text(&format!("{path}.source"), &e.source);
            let from = self.date(&format!("{path}.effective_from"), &e.effective_from);
            let to = self.opt_date(&format!("{path}.effective_to"), e.effective_to.as_ref());
            self.range(path, from, to.flatten());
            let mut rules = Vec::new();
            for r in &entry.rules {
                if let Some(rule) = self.rule(r, ladder, &mut rule_ids, from, to.flatten()) {
                    rules.push(rule);
                }
            }
            if let (Some(from), Some(to)) = (from, to) {
                out.push(Edition {
                    id: e.id.clone(),
                    name_zh: e.name_zh.clone(),
                    name_en: e.name_en.clone(),
                    effective_from: from,
                    effective_to: to,
                    source: e.source.clone(),
                    rules,
                });
            }
        }
        let mut seen_mappings: HashSet<(String, Date)> = HashSet::new();
        let mut out_mappings = Vec::new();
        for (path, m) in mappings {
            if !is_occupation_code(&m.occupation) {
                self.err(
                    &format!("{path}.occupation"),
                    Msg::new(
                        format!("职业编码应为 D-DD-DD-DD 形式：{}", m.occupation),
                        format!("occupation code must look like D-DD-DD-DD: {}", m.occupation),
                    ),
                );
            }
            self.text(&format!("{path}.source"), &m.source);
            let from = self.date(&format!("{path}.effective_from"), &m.effective_from);
            let to = self.opt_date(&format!("{path}.effective_to"), m.effective_to.as_ref());
            self.range(path, from, to.flatten());
            let edition = out.iter().find(|e: &&Edition| e.id == m.edition);
            if edition.is_none() && !editions.iter().any(|e| e.edition.id == m.edition) {
                self.err(&format!("{path}.edition"), unknown_ref("版本", "edition", &m.edition));
            }
            if let (Some(e), Some(from)) = (edition, from)
                && !e.in_force(from)
            {
                self.err(
                    &format!("{path}.effective_from"),
                    Msg::new(
                        format!("{} 时版本 {} 尚未生效或已失效", iso(from), e.id),
                        format!("edition {} is not in force on {}", e.id, iso(from)),
                    ),
                );
            }
            if let (Some(from), Some(to)) = (from, to) {
                if !seen_mappings.insert((m.occupation.clone(), from)) {
                    self.err(
                        path,
                        Msg::new(
                            format!("职业 {} 在 {} 已有版本对应", m.occupation, iso(from)),
                            format!("occupation {} already has an edition mapping from {}", m.occupation, iso(from)),
                        ),
                    );
                }
                out_mappings.push(OccupationEdition {
                    occupation: m.occupation.clone(),
                    edition: m.edition.clone(),
                    effective_from: from,
                    effective_to: to,
                    source: m.source.clone(),
                });
            }
        }
        Eligibility {
            related_occupation: head.related_occupation,
            source: head.source.clone(),
            editions: out,
            occupation_editions: out_mappings,
        }
    }

    fn rule<'a>(
        &mut self,
        entry: &'a RawRuleEntry,
        ladder: &[LadderLevel],
        ids: &mut HashMap<String, &'a str>,
        edition_from: Option<Date>,
        edition_to: Option<Date>,
    ) -> Option<Rule> {
        let (path, r) = (entry.path.as_str(), &entry.rule);
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("规则 id", "rule id"));
        self.text(&format!("{path}.text_zh"), &r.text_zh);
        self.text(&format!("{path}.text_en"), &r.text_en);
        self.text(&format!("{path}.source"), &r.source);
        let level = self.level(ladder, &format!("{path}.level"), &r.level);
        let from = self.opt_date(&format!("{path}.effective_from"), r.effective_from.as_ref());
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        self.range(path, from.flatten(), to.flatten());
        if let (Some(Some(f)), Some(ef)) = (from, edition_from)
            && f < ef
        {
            self.err(
                &format!("{path}.effective_from"),
                Msg::new(
                    format!("规则生效日期 {} 早于所属版本的生效日期 {}", iso(f), iso(ef)),
                    format!("rule starts on {}, before its edition does ({})", iso(f), iso(ef)),
                ),
            );
        }
        if let (Some(Some(t)), Some(et)) = (to, edition_to)
            && t > et
        {
            self.err(
                &format!("{path}.effective_to"),
                Msg::new(
                    format!("规则失效日期 {} 晚于所属版本的失效日期 {}", iso(t), iso(et)),
                    format!("rule ends on {}, after its edition does ({})", iso(t), iso(et)),
                ),
            );
        }
        let mut all = Vec::new();
        let mut ok = true;
        for (cpath, c) in &entry.conditions {
            match self.condition(cpath, c, ladder) {
                Some(c) => all.push(c),
                None => ok = false,
            }
        }
        if !ok {
            return None;
        }
        Some(Rule {
            id: r.id.clone(),
            level: level?,
            text_zh: r.text_zh.clone(),
            text_en: r.text_en.clone(),
            source: r.source.clone(),
            review_zh: r.review_zh.clone(),
            review_en: r.review_en.clone(),
            effective_from: from?,
            effective_to: to?,
            all,
        })
    }

    pub(super) fn condition(&mut self, path: &str, c: &RawCondition, ladder: &[LadderLevel]) -> Option<Condition> {
        let heads: Vec<&str> = [
            ("min_age", c.min_age.is_some()),
            ("holds", c.holds.is_some()),
            ("work_years", c.work_years.is_some()),
            ("education", c.education.is_some()),
            ("title", c.title.is_some()),
            ("work_years_after_level", c.work_years_after_level.is_some()),
        ]
        .into_iter()
        .filter_map(|(k, present)| present.then_some(k))
        .collect();
        const KINDS: &str = "min_age, holds, work_years, education, title, work_years_after_level";
        let head = match heads.as_slice() {
            [one] => *one,
            [] => {
                self.err(
                    path,
                    Msg::new(
                        format!("条件必须有且只有一个类型键（{KINDS}）"),
                        format!("a condition needs exactly one kind key ({KINDS})"),
                    ),
                );
                return None;
            }
            many => {
                self.err(
                    path,
                    Msg::new(
                        format!("一个条件只能有一个类型键，这里有：{}；请拆成多个条件", many.join(", ")),
                        format!("a condition takes one kind key, found: {}; split it into several", many.join(", ")),
                    ),
                );
                return None;
            }
        };
        // Companion keys allowed with each kind.
        let mut stray = Vec::new();
        if c.years.is_some() && !matches!(head, "holds" | "title") {
            stray.push("years");
        }
        if c.years_after_graduation.is_some() && head != "education" {
            stray.push("years_after_graduation");
        }
        if c.include_graduating.is_some() && head != "education" {
            stray.push("include_graduating");
        }
        for key in &stray {
            self.err(
                &format!("{path}.{key}"),
                Msg::new(format!("键 {key} 不能与 {head} 一起使用"), format!("key `{key}` does not go with `{head}`")),
            );
        }
        if !stray.is_empty() {
            return None;
        }
        let sane = |this: &mut Self, key: &str, n: u32| {
            if n > 100 {
                this.err(
                    &format!("{path}.{key}"),
                    Msg::new(format!("年数不合理：{n}"), format!("implausible number of years: {n}")),
                );
            }
        };
        match head {
            "min_age" => {
                let years = c.min_age.unwrap_or_default();
                sane(self, "min_age", years);
                Some(Condition::MinAge { years })
            }
            "holds" => {
                let years = c.years.unwrap_or_default();
                sane(self, "years", years);
                let level = self.level(ladder, &format!("{path}.holds"), c.holds.as_deref().unwrap_or_default())?;
                Some(Condition::Holds { level, years })
            }
            "work_years" => {
                let years = c.work_years.unwrap_or_default();
                sane(self, "work_years", years);
                Some(Condition::WorkYears { years })
            }
            "education" => {
                let list = c.education.as_deref().unwrap_or_default();
                if list.is_empty() {
                    self.err(
                        &format!("{path}.education"),
                        Msg::new("学历列表不能为空", "education list must not be empty"),
                    );
                }
                let mut accepted = Vec::new();
                let mut ok = !list.is_empty();
                for (i, code) in list.iter().enumerate() {
                    match Education::parse(code) {
                        Some(e) if !accepted.contains(&e) => accepted.push(e),
                        Some(_) => {}
                        None => {
                            ok = false;
                            self.err(
                                &format!("{path}.education[{i}]"),
                                Msg::new(
                                    format!("未知的学历代码：{code}（可用：{}）", Education::allowed()),
                                    format!("unknown education code: {code} (allowed: {})", Education::allowed()),
                                ),
                            );
                        }
                    }
                }
                if let Some(n) = c.years_after_graduation {
                    sane(self, "years_after_graduation", n);
                }
                ok.then(|| Condition::Education {
                    accepted,
                    years_after_graduation: c.years_after_graduation,
                    include_graduating: c.include_graduating.unwrap_or(false),
                })
            }
            "title" => {
                let years = c.years.unwrap_or_default();
                sane(self, "years", years);
                let raw = c.title.as_deref().unwrap_or_default();
                let grade = TitleGrade::parse(raw);
                if grade.is_none() {
                    self.err(
                        &format!("{path}.title"),
                        Msg::new(
                            format!("未知的职称等级：{raw}（可用：{}）", TitleGrade::allowed()),
                            format!("unknown title grade: {raw} (allowed: {})", TitleGrade::allowed()),
                        ),
                    );
                }
                Some(Condition::Title { grade: grade?, years })
            }
            _ => {
                let ly = c.work_years_after_level.as_ref()?;
                sane(self, "work_years_after_level.years", ly.years);
                let level = self.level(ladder, &format!("{path}.work_years_after_level.level"), &ly.level)?;
                Some(Condition::WorkYearsAfterLevel { level, years: ly.years })
            }
        }
    }

    fn evaluation(&mut self, e: &RawEvaluation, ladder: &[LadderLevel]) -> Option<Evaluation> {
        let p = &e.pass_mark;
        if p.out_of == 0 || p.min_score > p.out_of {
            self.err(
                "evaluation.pass_mark.min_score",
                Msg::new(
                    format!("及格分 {} 应在 0 到满分 {} 之间，且满分大于 0", p.min_score, p.out_of),
                    format!("pass mark {} must be within 0..=out_of ({}), and out_of above 0", p.min_score, p.out_of),
                ),
            );
        }
        let positive = [
            ("evaluation.theory_exam.candidates_per_invigilator", e.theory_exam.candidates_per_invigilator),
            ("evaluation.theory_exam.min_invigilators_per_room", e.theory_exam.min_invigilators_per_room),
            ("evaluation.skill_test.candidates_per_examiner", e.skill_test.candidates_per_examiner),
            ("evaluation.skill_test.min_examiners", e.skill_test.min_examiners),
            ("evaluation.comprehensive_review.min_panel", e.comprehensive_review.min_panel),
            ("evaluation.publicity.working_days", e.publicity.working_days),
        ];
        for (key, n) in positive {
            if n == 0 {
                self.err(key, Msg::new("应大于 0", "must be above 0"));
            }
        }
        for (key, odd, min) in [
            ("evaluation.skill_test.min_examiners", e.skill_test.odd_examiners, e.skill_test.min_examiners),
            (
                "evaluation.comprehensive_review.min_panel",
                e.comprehensive_review.odd_panel,
                e.comprehensive_review.min_panel,
            ),
        ] {
            if odd && min % 2 == 0 {
                self.err(
                    key,
                    Msg::new(
                        format!("要求奇数人数，最少人数却是偶数：{min}"),
                        format!("an odd number is required but the minimum is even: {min}"),
                    ),
                );
            }
        }
        for (key, s) in [
            ("evaluation.pass_mark.source", &p.source),
            ("evaluation.theory_exam.source", &e.theory_exam.source),
            ("evaluation.skill_test.source", &e.skill_test.source),
            ("evaluation.comprehensive_review.source", &e.comprehensive_review.source),
            ("evaluation.publicity.source", &e.publicity.source),
        ] {
            self.text(key, s);
        }
        let mut levels = Vec::new();
        let mut ok = true;
        for (i, name) in e.comprehensive_review.levels.iter().enumerate() {
            match self.level(ladder, &format!("evaluation.comprehensive_review.levels[{i}]"), name) {
                Some(l) => levels.push(l),
                None => ok = false,
            }
        }
        ok.then(|| Evaluation {
            pass_mark: e.pass_mark.clone(),
            theory_exam: e.theory_exam.clone(),
            skill_test: e.skill_test.clone(),
            comprehensive_review: ComprehensiveReview {
                levels,
                min_panel: e.comprehensive_review.min_panel,
                odd_panel: e.comprehensive_review.odd_panel,
                source: e.comprehensive_review.source.clone(),
            },
            publicity: e.publicity.clone(),
        })
    }
}

fn unknown_ref(what_zh: &str, what_en: &str, value: &str) -> Msg {
    Msg::new(format!("引用了不存在的{what_zh}：{value}"), format!("refers to an unknown {what_en}: {value}"))
}
