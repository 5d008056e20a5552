//! Reading the document entry by entry into the raw shapes, collecting every problem.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use super::error::PolicyError;
use super::raw::{
    Entries, RawBridge, RawBridgeEntry, RawCondition, RawEdition, RawEditionEntry, RawPolicy, RawRule, RawRuleEntry,
};
use super::spans::{line_col, locate, push_key, remove_key_at, span_at, span_lookup};
use crate::bilingual::Msg;

const TOP_LEVEL_KEYS: &[&str] = &[
    "meta",
    "ladder",
    "districts",
    "former_district_codes",
    "industries",
    "industrial_system",
    "industrial_chains",
    "kpi",
    "kpi_targets",
    "eligibility",
    "evaluation",
    "shortage",
    "competition",
    "benefits",
    "apprenticeship",
    "titles",
    "working_calendar",
];

pub(super) struct Loader<'r, 'i> {
    pub(super) file: &'r str,
    pub(super) text: &'r str,
    pub(super) root: &'r DeTable<'i>,
    pub(super) errors: Vec<PolicyError>,
}

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn push(&mut self, key: String, span: Option<Range<usize>>, why: Msg) {
        let (line, column) = match span {
            Some(span) => {
                let (l, c) = line_col(self.text, span.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        self.errors.push(PolicyError { file: self.file.to_owned(), key, line, column, why });
    }

    /// A semantic error at `key`; the position is looked up from the key path.
    pub(super) fn err(&mut self, key: &str, why: Msg) {
        let span = span_at(self.root, key);
        self.push(key.to_owned(), span, why);
    }

    /// Deserializes one entry, reporting every unknown key and then the first other problem.
    fn de<T: DeserializeOwned>(&mut self, v: &Spanned<DeValue<'i>>, path: &str) -> Option<T> {
        let mut value = v.clone();
        // Each round removes one unknown key; a table cannot have more keys than this.
        for _ in 0..1000 {
            let span = value.span();
            let e = match T::deserialize(ValueDeserializer::from(value.clone())) {
                Ok(t) => return Some(t),
                Err(e) => e,
            };
            let message = e.message().to_owned();
            let mut key = path.to_owned();
            if let Some(es) = e.span() {
                locate(value.get_ref(), &es, &mut key);
            }
            if let Some(field) = backticked_after(&message, "missing field ") {
                push_key(&mut key, field);
            }
            self.push(key, e.span().or(Some(span)), serde_msg(&message));
            let removed =
                message.starts_with("unknown field") && e.span().is_some_and(|es| remove_key_at(value.get_mut(), &es));
            if !removed {
                return None;
            }
        }
        None
    }

    /// A table-valued entry of `table`.
    fn section<T: DeserializeOwned>(
        &mut self,
        table: &DeTable<'i>,
        key: &str,
        path: &str,
        required: bool,
    ) -> Option<T> {
        match table.get(key) {
            None => {
                if required {
                    self.err(
                        path,
                        Msg::new(format!("缺少必填的表 [{path}]"), format!("missing required table [{path}]")),
                    );
                }
                None
            }
            Some(v) if !v.get_ref().is_table() => {
                self.push(
                    path.to_owned(),
                    Some(v.span()),
                    Msg::new(format!("{path} 应为表（[{path}]）"), format!("{path} must be a table ([{path}])")),
                );
                None
            }
            Some(v) => self.de(v, path),
        }
    }

    /// An array of tables in `table`: each element read on its own.
    fn list<T: DeserializeOwned>(&mut self, table: Option<&DeTable<'i>>, key: &str, path: &str) -> Entries<T> {
        let Some(v) = table.and_then(|t| t.get(key)) else {
            return Vec::new();
        };
        let Some(items) = v.get_ref().as_array() else {
            self.push(
                path.to_owned(),
                Some(v.span()),
                Msg::new(
                    format!("{path} 应为表数组（[[{path}]]）"),
                    format!("{path} must be an array of tables ([[{path}]])"),
                ),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            if let Some(t) = self.de::<T>(item, &p) {
                out.push((p, t));
            }
        }
        out
    }

    pub(super) fn read(&mut self) -> RawPolicy {
        let root = self.root;
        for (k, v) in root.iter() {
            let name: &str = k.get_ref();
            if !TOP_LEVEL_KEYS.contains(&name) {
                self.push(
                    name.to_owned(),
                    Some(k.span()).filter(|s| !s.is_empty()).or(Some(v.span())),
                    unknown_key(name),
                );
            }
        }
        let sub = |key: &str| root.get(key).and_then(|v| v.get_ref().as_table());
        let mut raw = RawPolicy {
            meta: self.section(root, "meta", "meta", true),
            ladder: self.section(root, "ladder", "ladder", true),
            ..RawPolicy::default()
        };
        raw.levels = self.list(sub("ladder"), "levels", "ladder.levels");
        raw.districts = self.list(Some(root), "districts", "districts");
        raw.former = self.list(Some(root), "former_district_codes", "former_district_codes");
        raw.industries = self.list(Some(root), "industries", "industries");
        raw.system = self.section(root, "industrial_system", "industrial_system", false);
        raw.groups = self.list(sub("industrial_system"), "groups", "industrial_system.groups");
        raw.sectors = self.list(sub("industrial_system"), "sectors", "industrial_system.sectors");
        raw.chains = self.list(Some(root), "industrial_chains", "industrial_chains");
        raw.kpi = self.section(root, "kpi", "kpi", true);
        raw.targets = self.list(Some(root), "kpi_targets", "kpi_targets");
        raw.eligibility = self.section(root, "eligibility", "eligibility", true);
        raw.occupation_editions =
            self.list(sub("eligibility"), "occupation_editions", "eligibility.occupation_editions");
        raw.evaluation = self.section(root, "evaluation", "evaluation", true);
        raw.shortage = self.section(root, "shortage", "shortage", false);
        raw.competition = self.section(root, "competition", "competition", false);
        raw.promotions = self.list(sub("competition"), "promotions", "competition.promotions");
        raw.awards = self.list(sub("competition"), "awards", "competition.awards");
        raw.rewards = self.list(sub("competition"), "rewards", "competition.rewards");
        raw.benefits = self.section(root, "benefits", "benefits", false);
        if let Some(benefits) = sub("benefits") {
            raw.skill_upgrade = self.section(benefits, "skill_upgrade", "benefits.skill_upgrade", false);
            raw.haihe_talent = self.section(benefits, "haihe_talent", "benefits.haihe_talent", false);
            raw.skill_allowance = self.section(benefits, "skill_allowance", "benefits.skill_allowance", false);
            let talent = benefits.get("haihe_talent").and_then(|v| v.get_ref().as_table());
            raw.talent_routes = self.list(talent, "routes", "benefits.haihe_talent.routes");
            raw.budgets = self.list(Some(benefits), "budgets", "benefits.budgets");
        }
        raw.apprenticeship = self.section(root, "apprenticeship", "apprenticeship", false);
        raw.apprenticeship_rules = self.list(sub("apprenticeship"), "rules", "apprenticeship.rules");

        raw.calendar = self.list(Some(root), "working_calendar", "working_calendar");
        raw.titles = self.section(root, "titles", "titles", false);
        raw.correspondence = self.list(sub("titles"), "correspondence", "titles.correspondence");
        for (path, route) in self.list::<RawBridge>(sub("titles"), "bridging", "titles.bridging") {
            let table = span_lookup(self.root, &path).and_then(|v| v.get_ref().as_table());
            let conditions = self.list::<RawCondition>(table, "all", &format!("{path}.all"));
            raw.bridging.push(RawBridgeEntry { path, route, conditions });
        }

        // Editions → rules → conditions, each level read entry by entry.
        let editions = sub("eligibility").and_then(|t| t.get("editions"));
        if let Some(v) = editions {
            match v.get_ref().as_array() {
                None => self.push(
                    "eligibility.editions".to_owned(),
                    Some(v.span()),
                    Msg::new(
                        "eligibility.editions 应为表数组（[[eligibility.editions]]）",
                        "eligibility.editions must be an array of tables ([[eligibility.editions]])",
                    ),
                ),
                Some(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = format!("eligibility.editions[{i}]");
                        let Some(edition) = self.de::<RawEdition>(item, &path) else { continue };
                        let table = item.get_ref().as_table();
                        let rules_path = format!("{path}.rules");
                        let mut rules = Vec::new();
                        for (rule_path, rule) in self.list::<RawRule>(table, "rules", &rules_path) {
                            let rule_table = span_lookup(self.root, &rule_path).and_then(|v| v.get_ref().as_table());
                            let conditions = self.list::<RawCondition>(rule_table, "all", &format!("{rule_path}.all"));
                            rules.push(RawRuleEntry { path: rule_path, rule, conditions });
                        }
                        raw.editions.push(RawEditionEntry { path, edition, rules });
                    }
                }
            }
        }
        raw
    }
}

fn unknown_key(name: &str) -> Msg {
    Msg::new(format!("未知的键 {name}"), format!("unknown key `{name}`"))
}

/// Turns a serde/toml message into a bilingual reason.
fn serde_msg(message: &str) -> Msg {
    if let Some(field) = backticked_after(message, "unknown field ") {
        let allowed = message.split_once("expected ").map_or("", |(_, rest)| rest);
        let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
        return Msg::new(
            format!("未知的键 {field}（可用的键：{}）", allowed.replace('`', "")),
            format!("unknown key `{field}` (expected one of {allowed})"),
        );
    }
    if let Some(field) = backticked_after(message, "missing field ") {
        return Msg::new(format!("缺少必填的键 {field}"), format!("missing required key `{field}`"));
    }
    if let Some(value) = backticked_after(message, "unknown variant ") {
        let allowed = message.split_once("expected ").map_or("", |(_, rest)| rest);
        let allowed = allowed.strip_prefix("one of ").unwrap_or(allowed);
        return Msg::new(
            format!("取值 {value} 无效（可选：{}）", allowed.replace('`', "")),
            format!("invalid value `{value}` (expected one of {allowed})"),
        );
    }
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.split_once(", expected ") {
            return Msg::new(
                format!("类型错误：应为 {expected}，实际为 {found}"),
                format!("wrong type: expected {expected}, found {found}"),
            );
        }
        return Msg::new(format!("类型错误：{rest}"), format!("wrong type: {rest}"));
    }
    if message.starts_with("invalid value") || message.starts_with("invalid length") {
        return Msg::new(format!("取值无效：{message}"), message.to_owned());
    }
    Msg::new(format!("格式错误：{message}"), message.to_owned())
}

/// `unknown field `x`, …` → `x` when the message starts with `prefix`.
fn backticked_after<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?.strip_prefix('`')?;
    rest.split_once('`').map(|(name, _)| name)
}
