//! Bridging to professional titles (职业发展贯通): may a skilled worker apply for a title of a
//! series and grade on a date — 高级工 held 2 years → 助理工程师, 技师 3 → 工程师, 高级技师 4 →
//! 高级工程师 (人社部 2018; Tianjin opens 8 series, 津人社局发〔2022〕26号). The routes are the
//! policy's `[[titles.bridging]]`; they are judged by the same conditions, wording and
//! projection as the skill-level rules, and the answer has the same keys.

use serde::Serialize;
use time::Date;

use super::facts::Facts;
use super::{Candidate, RuleOutcome, RuleText, inference_notes, judge_rule, summary_of};
use crate::bilingual::Msg;
use crate::dates::serde_iso;
use crate::policy::{Policy, TitleGrade};
use crate::registry::TitleSeries;
use crate::standards::Basis;

/// The answer to a title application, with every route of that title explained. The keys a
/// skill-level decision has mean the same here: `edition` is the bridging document the policy
/// follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TitleDecision {
    pub eligible: bool,
    /// The title asked about, e.g. 工程师.
    pub title: String,
    pub series: TitleSeries,
    pub grade: TitleGrade,
    /// zh: `工程师（工程技术系列，中级职称）`.
    pub target_name: Msg,
    #[serde(serialize_with = "serde_iso::serialize")]
    pub on: Date,
    pub edition: String,
    pub edition_basis: Basis,
    pub edition_reason: Msg,
    pub rule: Option<String>,
    pub rules: Vec<RuleOutcome>,
    #[serde(serialize_with = "serde_iso::option::serialize")]
    pub earliest_eligible_on: Option<Date>,
    pub notes: Vec<Msg>,
    pub inferred: bool,
    pub reasons: Vec<Msg>,
}

impl TitleDecision {
    pub fn summary(&self) -> Msg {
        summary_of(
            &self.target_name,
            self.eligible.then(|| self.rule.as_deref().unwrap_or_default()),
            &self.edition,
            self.earliest_eligible_on,
            &self.rules,
            &self.notes,
        )
    }
}

/// The series and grade of a title named `title` (a title the bridging routes name, e.g.
/// 工程师, or a grade, e.g. 中级, in `series`, by default 工程技术); an error names the titles
/// the policy knows.
pub fn resolve_title(
    policy: &Policy,
    title: &str,
    series: Option<TitleSeries>,
) -> Result<(TitleSeries, TitleGrade), Msg> {
    if let Some(found) = policy.titles.title_named(title, series) {
        return Ok(found);
    }
    if let Some(grade) = TitleGrade::parse(title) {
        return Ok((series.unwrap_or(TitleSeries::Engineering), grade));
    }
    let known: Vec<&str> = policy
        .titles
        .bridging
        .iter()
        .filter(|r| series.is_none_or(|s| s == r.series))
        .flat_map(|r| r.titles.iter().map(String::as_str))
        .collect();
    let within = series.map(|s| format!("{}系列", s.zh())).unwrap_or_default();
    let within_en = series.map(|s| format!(" in the {} series", s.en())).unwrap_or_default();
    Err(Msg::new(
        format!("策略中没有{within}名为 {title} 的职称贯通路径（可用：{}）", known.join("、")),
        format!("the policy has no bridging route to a title named {title}{within_en} (known: {})", known.join(", ")),
    ))
}

/// Judges whether `c` may apply for `title` (of `series` and `grade`) on `on`: a route is met
/// when all its conditions hold, the levels counting in any occupation. Whether the person
/// works in a frontline technical post of the series is for the reviewer (each route's review).
pub fn decide_title(
    policy: &Policy,
    c: &Candidate,
    title: &str,
    series: TitleSeries,
    grade: TitleGrade,
    on: Date,
) -> TitleDecision {
    let t = &policy.titles;
    let facts = Facts::new(policy, c, "", on);
    let mut notes = Vec::new();
    let mut rules = Vec::new();
    let (mut first_met, mut earliest): (Option<String>, Option<Date>) = (None, None);
    for route in t.routes(series, grade).filter(|r| r.in_force(on)) {
        let text = RuleText {
            id: &route.id,
            text_zh: &route.text_zh,
            text_en: &route.text_en,
            source: &route.source,
            review_zh: route.review_zh.as_deref(),
            review_en: route.review_en.as_deref(),
        };
        let outcome = judge_rule(&facts, text, &route.all, route.effective_to);
        if outcome.met && first_met.is_none() {
            first_met = Some(route.id.clone());
        }
        if let Some(d) = outcome.met_on {
            earliest = Some(earliest.map_or(d, |e| e.min(d)));
        }
        rules.push(outcome);
    }
    if rules.is_empty() {
        notes.push(Msg::new(
            format!("策略中没有 {} 在 {} 适用的职称贯通路径", title, crate::dates::iso(on)),
            format!("the policy has no bridging route to {title} in force on {}", crate::dates::iso(on)),
        ));
    }
    if let Some(held) = c
        .titles
        .iter()
        .filter(|h| h.series == series && h.grade >= grade && h.obtained_on <= on)
        .min_by_key(|h| h.obtained_on)
    {
        notes.push(Msg::new(
            format!(
                "已于 {} 取得{}（{}），不低于申报的{}；仍按路径判断",
                crate::dates::iso(held.obtained_on),
                held.name,
                held.grade.zh(),
                grade.zh()
            ),
            format!(
                "already holds {} ({}) since {}, at or above the {} applied for; judged by the routes anyway",
                held.name,
                held.grade.en(),
                crate::dates::iso(held.obtained_on),
                grade.en()
            ),
        ));
    }
    let inferred = inference_notes(&rules, first_met.as_deref(), &mut notes);
    let target_name = Msg::new(
        format!("{title}（{}系列，{}）", series.zh(), grade.zh()),
        format!("{title} ({} series, {})", series.en(), grade.en()),
    );
    let edition_reason = Msg::new(
        format!("按策略中的职称贯通规定：{}", t.source),
        format!("by the policy's bridging rules: {}", t.source),
    );
    let mut d = TitleDecision {
        eligible: first_met.is_some(),
        title: title.to_owned(),
        series,
        grade,
        target_name,
        on,
        edition: t.edition.clone(),
        edition_basis: Basis::Default,
        edition_reason,
        rule: first_met,
        rules,
        earliest_eligible_on: earliest,
        notes,
        inferred,
        reasons: Vec::new(),
    };
    let mut reasons = vec![d.summary(), d.edition_reason.clone()];
    reasons.extend(d.notes.iter().cloned());
    reasons.extend(d.rules.iter().flat_map(|r| r.conditions.iter().map(|c| c.reason.clone())));
    d.reasons = reasons;
    d
}
