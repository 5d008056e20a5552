//! Checks of `[titles]`, `[[titles.correspondence]]` and `[[titles.bridging]]`, building
//! `TitlePolicy`.

use std::collections::HashMap;

use super::condition::TitleGrade;
use super::model::{LadderLevel, is_occupation_code};
use super::raw::{RawBridgeEntry, RawCorrespondence, RawTitles};
use super::read::Loader;
use super::titles::{BridgeRoute, TitleCorrespondence, TitlePolicy};
use crate::bilingual::Msg;
use crate::registry::TitleSeries;

impl<'r, 'i> Loader<'r, 'i> {
    pub(super) fn titles(
        &mut self,
        head: Option<&RawTitles>,
        rows: &[(String, RawCorrespondence)],
        routes: &[RawBridgeEntry],
        ladder: &[LadderLevel],
    ) -> TitlePolicy {
        let Some(head) = head else {
            return TitlePolicy::default();
        };
        self.text("titles.source", &head.source);
        self.text("titles.edition", &head.edition);
        let mut correspondence = Vec::new();
        for (path, r) in rows {
            if let Some(row) = self.correspondence_row(path, r) {
                correspondence.push(row);
            }
        }
        let mut ids = HashMap::new();
        let mut bridging = Vec::new();
        for entry in routes {
            if let Some(route) = self.bridge_route(entry, ladder, &mut ids) {
                bridging.push(route);
            }
        }
        TitlePolicy { source: head.source.clone(), edition: head.edition.clone(), correspondence, bridging }
    }

    fn series(&mut self, path: &str, raw: &str) -> Option<TitleSeries> {
        let s = TitleSeries::parse(raw);
        if s.is_none() {
            self.err(
                path,
                Msg::new(
                    format!("未知的职称系列：{raw}（可用：{}）", TitleSeries::allowed()),
                    format!("unknown title series: {raw} (allowed: {})", TitleSeries::allowed()),
                ),
            );
        }
        s
    }

    fn correspondence_row(&mut self, path: &str, r: &RawCorrespondence) -> Option<TitleCorrespondence> {
        self.text(&format!("{path}.source"), &r.source);
        let series = self.series(&format!("{path}.series"), &r.series);
        if r.occupations.is_empty() {
            self.err(
                &format!("{path}.occupations"),
                Msg::new("职业列表不能为空", "the list of occupations must not be empty"),
            );
        }
        let mut ok = true;
        for (i, code) in r.occupations.iter().enumerate() {
            if !is_code_prefix(code) {
                ok = false;
                self.err(
                    &format!("{path}.occupations[{i}]"),
                    Msg::new(
                        format!("职业编码或其前缀应为 D-DD、D-DD-DD 或 D-DD-DD-DD 形式：{code}"),
                        format!("an occupation code or prefix must look like D-DD, D-DD-DD or D-DD-DD-DD: {code}"),
                    ),
                );
            }
        }
        (ok && !r.occupations.is_empty()).then_some(())?;
        Some(TitleCorrespondence {
            series: series?,
            specialty: r.specialty.trim().to_owned(),
            occupations: r.occupations.clone(),
            source: r.source.clone(),
        })
    }

    fn bridge_route<'a>(
        &mut self,
        entry: &'a RawBridgeEntry,
        ladder: &[LadderLevel],
        ids: &mut HashMap<String, &'a str>,
    ) -> Option<BridgeRoute> {
        let (path, r) = (entry.path.as_str(), &entry.route);
        self.text(&format!("{path}.id"), &r.id);
        self.unique(ids, &r.id, path, "id", ("路径 id", "route id"));
        self.text(&format!("{path}.text_zh"), &r.text_zh);
        self.text(&format!("{path}.text_en"), &r.text_en);
        self.text(&format!("{path}.source"), &r.source);
        let series = self.series(&format!("{path}.series"), &r.series);
        let grade = TitleGrade::parse(&r.grade);
        if grade.is_none() {
            self.err(
                &format!("{path}.grade"),
                Msg::new(
                    format!("未知的职称级别：{}（可用：{}）", r.grade, TitleGrade::allowed()),
                    format!("unknown title grade: {} (allowed: {})", r.grade, TitleGrade::allowed()),
                ),
            );
        }
        if r.titles.iter().all(|t| t.trim().is_empty()) {
            self.err(
                &format!("{path}.titles"),
                Msg::new("至少写出一个职称名称，例如 [\"工程师\"]", "name at least one title, e.g. [\"工程师\"]"),
            );
        }
        let from = self.opt_date(&format!("{path}.effective_from"), r.effective_from.as_ref());
        let to = self.opt_date(&format!("{path}.effective_to"), r.effective_to.as_ref());
        self.range(path, from.flatten(), to.flatten());
        let mut all = Vec::new();
        let mut ok = true;
        for (cpath, c) in &entry.conditions {
            match self.condition(cpath, c, ladder) {
                Some(c) => all.push(c),
                None => ok = false,
            }
        }
        if all.is_empty() && ok {
            self.err(
                &format!("{path}.all"),
                Msg::new("贯通路径至少要有一个条件", "a bridging route needs at least one condition"),
            );
            return None;
        }
        ok.then_some(())?;
        Some(BridgeRoute {
            id: r.id.clone(),
            series: series?,
            grade: grade?,
            titles: r.titles.iter().map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect(),
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
}

/// `D-DD`, `D-DD-DD` or `D-DD-DD-DD`.
fn is_code_prefix(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    (2..=4).contains(&parts.len())
        && parts[0].len() == 1
        && parts[1..].iter().all(|p| p.len() == 2)
        && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        && (parts.len() < 4 || is_occupation_code(s))
}
