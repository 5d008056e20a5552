//! Checks of `[benefits]` and its schemes, building `BenefitSchemes`.

use std::collections::HashMap;

use time::Date;

use super::benefits::{
    BenefitSchemes, Budget, HaiheTalentScheme, LevelAmount, SchemeHead, SkillAllowanceScheme, SkillUpgradeScheme,
    TalentRoute,
};
use super::model::{District, LadderLevel};
use super::raw::{
    RawBenefits, RawBudget, RawDate, RawHaiheTalent, RawLevelAmount, RawSkillAllowance, RawSkillUpgrade, RawTalentRoute,
};
use super::read::Loader;
use crate::bilingual::Msg;
use crate::registry::{Education, InsuranceScheme, LevelSource};

/// The head fields every scheme's raw shape has.
struct RawHead<'a> {
    id: &'a str,
    name_zh: &'a str,
    name_en: &'a str,
    effective_from: &'a RawDate,
    effective_to: Option<&'a RawDate>,
    source: &'a str,
    inferred_zh: Option<&'a String>,
    inferred_en: Option<&'a String>,
    inferred_from: Option<&'a RawDate>,
}

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn benefits(
        &mut self,
        head: Option<&RawBenefits>,
        skill_upgrade: Option<&RawSkillUpgrade>,
        haihe: Option<&RawHaiheTalent>,
        routes: &[(String, RawTalentRoute)],
        allowance: Option<&RawSkillAllowance>,
        ladder: &[LadderLevel],
    ) -> BenefitSchemes {
        let Some(head) = head else {
            return BenefitSchemes::default();
        };
        self.text("benefits.source", &head.source);
        let skill_upgrade = skill_upgrade.and_then(|s| self.skill_upgrade(s, ladder));
        let haihe_talent = haihe.and_then(|h| self.haihe_talent(h, routes, ladder));
        let skill_allowance = allowance.and_then(|a| self.skill_allowance(a, ladder));
        let ids = [
            ("benefits.skill_upgrade.id", skill_upgrade.as_ref().map(|s| s.head.id.as_str())),
            ("benefits.haihe_talent.id", haihe_talent.as_ref().map(|s| s.head.id.as_str())),
            ("benefits.skill_allowance.id", skill_allowance.as_ref().map(|s| s.head.id.as_str())),
        ];
        for (i, (key, id)) in ids.iter().enumerate() {
            if let Some(id) = id
                && ids[..i].iter().any(|(_, other)| other == &Some(*id))
            {
                self.err(key, Msg::new(format!("补贴项目 id “{id}”重复"), format!("duplicate scheme id \"{id}\"")));
            }
        }
        BenefitSchemes {
            source: head.source.clone(),
            skill_upgrade,
            haihe_talent,
            skill_allowance,
            budgets: Vec::new(),
        }
    }

    fn scheme_head(&mut self, path: &str, r: RawHead<'_>) -> Option<SchemeHead> {
        for (key, value) in [("id", r.id), ("name_zh", r.name_zh), ("name_en", r.name_en), ("source", r.source)] {
            self.text(&format!("{path}.{key}"), value);
        }
        if !r.id.is_empty() && !r.id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') {
            self.err(
                &format!("{path}.id"),
                Msg::new("id 只能由小写字母、数字和 - 组成", "an id is lowercase letters, digits and -"),
            );
        }
        let from = self.date(&format!("{path}.effective_from"), r.effective_from);
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to);
        self.range(path, from, to.flatten());
        let inferred = self.inferred(path, r.inferred_zh, r.inferred_en);
        let inferred_from = self.opt_date(&format!("{path}.inferred_from"), r.inferred_from);
        if let Some(Some(_)) = inferred_from
            && let Some(None) = inferred
        {
            self.err(
                &format!("{path}.inferred_from"),
                Msg::new("inferred_from 须与推断说明一起填写", "inferred_from needs an inference note"),
            );
        }
        Some(SchemeHead {
            id: r.id.to_owned(),
            name_zh: r.name_zh.to_owned(),
            name_en: r.name_en.to_owned(),
            effective_from: from?,
            effective_to: to?,
            source: r.source.to_owned(),
            inferred: inferred?,
            inferred_from: inferred_from?,
        })
    }

    fn insurance_scheme(&mut self, path: &str, s: &str) -> Option<InsuranceScheme> {
        let v = InsuranceScheme::parse(s);
        if v.is_none() {
            self.err(
                path,
                Msg::new(
                    format!("险种无法识别：“{s}”（可用：{}）", InsuranceScheme::allowed()),
                    format!("unknown insurance scheme \"{s}\" (allowed: {})", InsuranceScheme::allowed()),
                ),
            );
        }
        v
    }

    fn positive(&mut self, path: &str, n: u32) {
        if n == 0 {
            self.err(path, Msg::new("应大于 0", "must be greater than 0"));
        }
    }

    fn skill_upgrade(&mut self, r: &RawSkillUpgrade, ladder: &[LadderLevel]) -> Option<SkillUpgradeScheme> {
        let path = "benefits.skill_upgrade";
        let head = self.scheme_head(
            path,
            RawHead {
                id: &r.id,
                name_zh: &r.name_zh,
                name_en: &r.name_en,
                effective_from: &r.effective_from,
                effective_to: r.effective_to.as_ref(),
                source: &r.source,
                inferred_zh: r.inferred_zh.as_ref(),
                inferred_en: r.inferred_en.as_ref(),
                inferred_from: r.inferred_from.as_ref(),
            },
        );
        let insurance = self.insurance_scheme(&format!("{path}.insurance_scheme"), &r.insurance_scheme);
        for (key, n) in [
            ("insurance_months", r.insurance_months),
            ("claim_within_months", r.claim_within_months),
            ("per_year", r.per_year),
            ("review_working_days", r.review_working_days),
            ("notice_working_days", r.notice_working_days),
        ] {
            self.positive(&format!("{path}.{key}"), n);
        }
        let mut sources = Vec::new();
        for (i, s) in r.level_sources.iter().enumerate() {
            match LevelSource::parse(s) {
                Some(v) => sources.push(v),
                None => self.err(
                    &format!("{path}.level_sources[{i}]"),
                    Msg::new(
                        format!("取得方式无法识别：“{s}”（可用：{}）", LevelSource::allowed()),
                        format!("unknown level source \"{s}\" (allowed: {})", LevelSource::allowed()),
                    ),
                ),
            }
        }
        let amounts = self.level_amounts(&format!("{path}.amounts"), &r.amounts, ladder);
        if r.amounts.is_empty() {
            self.err(
                &format!("{path}.amounts"),
                Msg::new("至少列出一个等级的金额", "list the amount of at least one level"),
            );
        }
        Some(SkillUpgradeScheme {
            head: head?,
            insurance_scheme: insurance?,
            insurance_months: r.insurance_months,
            claim_within_months: r.claim_within_months,
            per_year: r.per_year,
            level_sources: sources,
            amounts,
            review_working_days: r.review_working_days,
            notice_working_days: r.notice_working_days,
        })
    }

    /// `[{ level, yuan }, …]`, each level once, lowest first.
    fn level_amounts(&mut self, path: &str, rows: &[RawLevelAmount], ladder: &[LadderLevel]) -> Vec<LevelAmount> {
        let mut amounts: Vec<LevelAmount> = Vec::new();
        for (i, a) in rows.iter().enumerate() {
            let key = format!("{path}[{i}]");
            let Some(level) = self.level(ladder, &format!("{key}.level"), &a.level) else { continue };
            if amounts.iter().any(|x| x.level == level) {
                self.err(&key, Msg::new(format!("等级“{}”重复", a.level), format!("level \"{}\" repeated", a.level)));
            }
            self.positive(&format!("{key}.yuan"), a.yuan);
            amounts.push(LevelAmount { level, yuan: a.yuan });
        }
        amounts.sort_by_key(|a| a.level);
        amounts
    }

    fn skill_allowance(&mut self, r: &RawSkillAllowance, ladder: &[LadderLevel]) -> Option<SkillAllowanceScheme> {
        let path = "benefits.skill_allowance";
        let head = self.scheme_head(
            path,
            RawHead {
                id: &r.id,
                name_zh: &r.name_zh,
                name_en: &r.name_en,
                effective_from: &r.effective_from,
                effective_to: r.effective_to.as_ref(),
                source: &r.source,
                inferred_zh: r.inferred_zh.as_ref(),
                inferred_en: r.inferred_en.as_ref(),
                inferred_from: r.inferred_from.as_ref(),
            },
        );
        let monthly = self.level_amounts(&format!("{path}.monthly"), &r.monthly, ladder);
        if r.monthly.is_empty() && r.inferred_zh.is_none() {
            self.err(
                &format!("{path}.monthly"),
                Msg::new(
                    "未设津贴标准时须用 inferred_zh / inferred_en 说明（[GAP]）",
                    "a scheme without a schedule must say why in inferred_zh / inferred_en ([GAP])",
                ),
            );
        }
        Some(SkillAllowanceScheme { head: head?, monthly })
    }

    /// `[[benefits.budgets]]`: a known scheme, a year, a known district or none, an amount and a
    /// source; one row per scheme, year and district.
    pub(super) fn budgets(
        &mut self,
        rows: &[(String, RawBudget)],
        schemes: &BenefitSchemes,
        districts: &[District],
    ) -> Vec<Budget> {
        let mut out: Vec<Budget> = Vec::new();
        for (path, r) in rows {
            self.text(&format!("{path}.source"), &r.source);
            if !schemes.ids().contains(&r.scheme.as_str()) {
                self.err(
                    &format!("{path}.scheme"),
                    Msg::new(format!("没有补贴项目 “{}”", r.scheme), format!("no scheme \"{}\"", r.scheme)),
                );
                continue;
            }
            if !(2000..=2100).contains(&r.year) {
                self.err(&format!("{path}.year"), Msg::new("年份应在 2000–2100 之间", "the year must be 2000–2100"));
                continue;
            }
            if let Some(d) = &r.district
                && !districts.iter().any(|x| &x.code == d)
            {
                self.err(
                    &format!("{path}.district"),
                    Msg::new(format!("没有区划代码 “{d}”"), format!("no district code \"{d}\"")),
                );
                continue;
            }
            let b = Budget {
                scheme: r.scheme.clone(),
                year: r.year,
                district: r.district.clone(),
                yuan: r.yuan,
                source: r.source.clone(),
            };
            if out.iter().any(|o| o.scheme == b.scheme && o.year == b.year && o.district == b.district) {
                self.err(
                    path,
                    Msg::new("同一项目、年份和区的预算重复", "a second budget for the same scheme, year and district"),
                );
                continue;
            }
            out.push(b);
        }
        out
    }

    fn haihe_talent(
        &mut self,
        r: &RawHaiheTalent,
        rows: &[(String, RawTalentRoute)],
        ladder: &[LadderLevel],
    ) -> Option<HaiheTalentScheme> {
        let head = self.scheme_head(
            "benefits.haihe_talent",
            RawHead {
                id: &r.id,
                name_zh: &r.name_zh,
                name_en: &r.name_en,
                effective_from: &r.effective_from,
                effective_to: r.effective_to.as_ref(),
                source: &r.source,
                inferred_zh: r.inferred_zh.as_ref(),
                inferred_en: r.inferred_en.as_ref(),
                inferred_from: r.inferred_from.as_ref(),
            },
        );
        let mut ids = HashMap::new();
        let mut routes = Vec::new();
        for (path, row) in rows {
            if let Some(route) = self.talent_route(path, row, ladder, &mut ids) {
                routes.push(route);
            }
        }
        Some(HaiheTalentScheme { head: head?, routes })
    }

    fn talent_route<'a>(
        &mut self,
        path: &'a str,
        r: &RawTalentRoute,
        ladder: &[LadderLevel],
        ids: &mut HashMap<String, &'a str>,
    ) -> Option<TalentRoute> {
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("规则 id", "rule id"));
        self.text(&format!("{path}.version"), &r.version);
        self.text(&format!("{path}.source"), &r.source);
        let mut education = Vec::new();
        for (i, e) in r.education.iter().enumerate() {
            match Education::parse(e) {
                Some(v) => education.push(v),
                None => self.err(
                    &format!("{path}.education[{i}]"),
                    Msg::new(
                        format!("学历无法识别：“{e}”（可用：{}）", Education::allowed()),
                        format!("unknown education \"{e}\" (allowed: {})", Education::allowed()),
                    ),
                ),
            }
        }
        if r.education.is_empty() {
            self.err(&format!("{path}.education"), Msg::new("至少列出一种学历", "list at least one education"));
        }
        let min_level = match r.min_level.as_deref() {
            None => Some(None),
            Some(name) => self.level(ladder, &format!("{path}.min_level"), name).map(Some),
        };
        self.positive(&format!("{path}.max_age"), r.max_age);
        let insurance_scheme = match (r.insurance_months, r.insurance_scheme.as_deref()) {
            (None, None) => Some(None),
            (Some(_), Some(s)) => self.insurance_scheme(&format!("{path}.insurance_scheme"), s).map(Some),
            _ => {
                self.err(
                    path,
                    Msg::new(
                        "insurance_months 与 insurance_scheme 须同时填写",
                        "insurance_months and insurance_scheme go together",
                    ),
                );
                None
            }
        };
        let inferred = self.inferred(path, r.inferred_zh.as_ref(), r.inferred_en.as_ref());
        let from = self.date(&format!("{path}.effective_from"), &r.effective_from);
        let to: Option<Option<Date>> = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        self.range(path, from, to.flatten());
        Some(TalentRoute {
            id: r.id.clone(),
            version: r.version.clone(),
            education,
            min_level: min_level?,
            max_age: r.max_age,
            work_years: r.work_years,
            insurance_months: r.insurance_months,
            insurance_scheme: insurance_scheme?,
            effective_from: from?,
            effective_to: to?,
            source: r.source.clone(),
            inferred: inferred?,
        })
    }
}
