//! The `title` condition: a professional title (职称) of a grade or higher, held some years,
//! whose specialty corresponds to the occupation (符合专业对应关系). The correspondence is the
//! policy's `[[titles.correspondence]]` table: a title it matches counts; a title whose
//! specialty it maps to other occupations does not; where it is silent the title counts only
//! provisionally and a reviewer decides (待人工核实). A match through a row marked `[I]` is
//! provisional too.

use super::facts::Facts;
use super::judgement::Judgement;
use super::record::HeldTitle;
use super::wording::{remaining, with_article, years_en};
use crate::bilingual::Msg;
use crate::dates::{add_years, iso, whole_years_between};
use crate::policy::Correspondence;
use crate::policy::TitleGrade;
use crate::standards::marks_inference;

pub(super) fn title(f: &Facts<'_>, grade: TitleGrade, years: u32, explain: bool) -> Judgement {
    let held: Vec<&HeldTitle> = f.c.titles.iter().filter(|t| t.grade >= grade && t.obtained_on <= f.on).collect();
    if held.is_empty() {
        let reason = explain
            .then(|| Msg::new(format!("未取得{}或更高职称", grade.zh()), format!("holds no {} or higher", grade.en())));
        return Judgement { met: false, met_on: None, until: None, reason, review: false };
    }
    let table = &f.policy.titles;
    let judged: Vec<(&HeldTitle, Correspondence<'_>)> =
        held.iter().map(|t| (*t, table.correspondence(t.series, &t.name, f.occupation))).collect();
    // A matching title first, then one the table is silent on; the longest held of either.
    let rank = |c: &Correspondence<'_>| match c {
        Correspondence::Matches(r) if !marks_inference(&r.source) => 0,
        Correspondence::Matches(_) => 1,
        Correspondence::Silent => 2,
        Correspondence::Differs(_) => 3,
    };
    let Some((best, corr)) = judged.iter().min_by_key(|(t, c)| (rank(c), t.obtained_on)).copied() else {
        return Judgement { met: false, met_on: None, until: None, reason: None, review: false };
    };
    if let Correspondence::Differs(row) = corr {
        let reason = explain.then(|| {
            Msg::new(
                format!(
                    "所持职称（{}，{}）与本职业不对应：职称专业对应表将该专业对应到其他职业（依据：{}）",
                    best.name, best.series.zh(), row.source
                ),
                format!(
                    "the title held ({}, {} series) does not correspond to this occupation: the correspondence table maps its specialty to other occupations (source: {})",
                    best.name,
                    best.series.en(),
                    row.source
                ),
            )
        });
        return Judgement { met: false, met_on: None, until: None, reason, review: false };
    }
    let review = rank(&corr) > 0;
    let due = add_years(best.obtained_on, years as i32);
    let met = due <= f.on;
    let reason = explain.then(|| {
        let (corr_zh, corr_en) = match corr {
            Correspondence::Matches(r) if review => (
                format!("；职称与本职业的对应按推断的对应关系（{}），待人工核实", r.source),
                format!("; the title corresponds to this occupation by an inferred row ({}): needs review (待人工核实)", r.source),
            ),
            Correspondence::Matches(r) => (
                format!("；职称与本职业对应（依据：{}）", r.source),
                format!("; the title corresponds to this occupation (source: {})", r.source),
            ),
            _ => (
                "；职称专业对应表未涵盖该职称，是否对应待人工核实".to_owned(),
                "; the correspondence table does not cover this title: whether it corresponds needs review (待人工核实)"
                    .to_owned(),
            ),
        };
        let since = iso(best.obtained_on);
        let name = format!("{}（{}）", best.name, best.grade.zh());
        let (want_en, held_en) = (with_article(grade.en()), format!("{} ({})", best.name, best.grade.en()));
        if met {
            let held = whole_years_between(best.obtained_on, f.on);
            Msg::new(
                format!("取得{name}已 {held} 年（{since} 起），规则要求{}满 {years} 年{corr_zh}", grade.zh()),
                format!(
                    "has held {held_en} for {} (since {since}); rule requires {want_en} for {}{corr_en}",
                    years_en(held),
                    years_en(years as i32)
                ),
            )
        } else {
            let (dz, de) = remaining(f.on, due);
            Msg::new(
                format!("需再持有{} {dz}：{since} 取得{name}，规则要求 {years} 年（{} 满足）{corr_zh}", grade.zh(), iso(due)),
                format!(
                    "needs {de} with {want_en}: obtained {held_en} on {since}, rule requires {} (met on {}){corr_en}",
                    years_en(years as i32),
                    iso(due)
                ),
            )
        }
    });
    Judgement { met, met_on: Some(due.max(f.on)), until: None, reason, review }
}
