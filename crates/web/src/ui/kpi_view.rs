//! KPI figures as pages show them: rows of a report in the page's language with links to the
//! persons behind each figure, and the ECharts options drawn from them. Shared by the
//! dashboard (`dashboard.rs`) and the public statistics page (`public_kpi.rs`, without links).

use gongjiang_app::kpi::TOTAL;
use gongjiang_app::kpi_series::ProjectionReport;
use gongjiang_domain::kpi::{DenominatorSource, Grouping, KpiRow, TargetRef};
use gongjiang_domain::policy::{KpiKind, Ladder};
use serde_json::{Value, json};
use time::Date;

use super::i18n::Lang;
use super::layout::{int, iso, pct, pct_value, urlencode};

pub const BRAND: &str = "#174ea6";
pub const TARGET: &str = "#b3261e";
pub const MUTED: &str = "#8a96a3";

/// The link to the persons behind one figure.
pub fn drill_href(by: Grouping, group: &str, measure: &str, as_of: Date) -> String {
    let by_part = if by == Grouping::City { String::new() } else { format!("by={}&", by.code()) };
    let group_part = if by == Grouping::City { String::new() } else { format!("group={}&", urlencode(group)) };
    format!("/kpi/persons?{by_part}{group_part}measure={measure}&as_of={}", iso(as_of))
}

/// One row as a table shows it.
pub struct RowView {
    pub name: String,
    pub employed: String,
    pub employed_official: bool,
    pub registry_employed: String,
    pub skilled: String,
    pub high_skilled: String,
    /// The official count beside the registry's, with the registry's coverage ("官方 12 · 覆盖
    /// 25.0%"); empty when no official count is loaded.
    pub skilled_official: String,
    pub high_official: String,
    pub skilled_share: String,
    pub high_skilled_share: String,
    pub target_skilled: String,
    pub target_high: String,
    /// `ok`, `bad` or `` (no target).
    pub skilled_met: &'static str,
    pub high_met: &'static str,
    /// The state against the target in words (达到 / 未达到 / 等于目标，未超过); empty without one.
    pub skilled_status: String,
    pub high_status: String,
    /// Exactly at a strict target: the table says so beside the target.
    pub skilled_at_target: bool,
    pub high_at_target: bool,
    /// Links to the persons behind the figures; empty on the public page.
    pub employed_href: String,
    pub skilled_href: String,
    pub high_href: String,
    pub is_total: bool,
}

fn target_text(t: &Option<TargetRef>) -> String {
    t.as_ref().map(|t| format!("{} {:.1}% · {}", t.comparison, t.value * 100.0, iso(t.due))).unwrap_or_default()
}

/// Met or not in words. A share exactly at a strict (">") target does not exceed it, and says
/// so rather than showing a bare "not met".
fn met_status(l: Lang, share: Option<f64>, target: &Option<TargetRef>) -> String {
    let Some(t) = target else { return String::new() };
    if at_target(share, target) {
        return l.t("等于目标，未超过", "equal to the target, not above it").to_string();
    }
    match t.met {
        Some(true) => l.t("已达到", "met"),
        Some(false) => l.t("未达到", "not met"),
        None => l.t("无数据", "no data"),
    }
    .to_string()
}

/// Exactly at a target the share does not meet (a strict ">").
fn at_target(share: Option<f64>, t: &Option<TargetRef>) -> bool {
    t.as_ref().is_some_and(|t| t.met == Some(false) && share.is_some_and(|v| (v - t.value).abs() < 1e-12))
}

fn met_class(t: &Option<TargetRef>) -> &'static str {
    match t.as_ref().and_then(|t| t.met) {
        Some(true) => "ok",
        Some(false) => "bad",
        None => "",
    }
}

/// "官方 12 · 登记库覆盖 25.0%" / "official 12 · registry covers 25.0%".
fn official(l: Lang, count: Option<i64>, coverage: Option<f64>) -> String {
    match count {
        None => String::new(),
        Some(n) => format!(
            "{} {} · {} {}",
            l.t("官方", "official"),
            int(n),
            l.t("登记库覆盖", "registry covers"),
            pct(coverage)
        ),
    }
}

pub fn row_view(l: Lang, by: Grouping, r: &KpiRow, as_of: Date, links: bool) -> RowView {
    let href = |measure: &str| {
        if links {
            drill_href(if r.group == TOTAL { Grouping::City } else { by }, &r.group, measure, as_of)
        } else {
            String::new()
        }
    };
    RowView {
        name: l.name(r.name_zh.as_deref(), r.name_en.as_deref(), &r.group).to_string(),
        employed: r.employed_persons.map(int).unwrap_or_else(|| "—".into()),
        employed_official: r.denominator_source == DenominatorSource::OfficialStatistics,
        registry_employed: int(r.registry_employed),
        skilled: int(r.skilled),
        high_skilled: int(r.high_skilled),
        skilled_official: official(l, r.official_skilled, r.skilled_coverage),
        high_official: official(l, r.official_high_skilled, r.high_skilled_coverage),
        skilled_share: pct(r.skilled_share),
        high_skilled_share: pct(r.high_skilled_share),
        target_skilled: target_text(&r.target_skilled_share),
        target_high: target_text(&r.target_high_skilled_share),
        skilled_met: met_class(&r.target_skilled_share),
        high_met: met_class(&r.target_high_skilled_share),
        skilled_status: met_status(l, r.skilled_share, &r.target_skilled_share),
        high_status: met_status(l, r.high_skilled_share, &r.target_high_skilled_share),
        skilled_at_target: at_target(r.skilled_share, &r.target_skilled_share),
        high_at_target: at_target(r.high_skilled_share, &r.target_high_skilled_share),
        employed_href: href("employed"),
        skilled_href: href("skilled"),
        high_href: href("high_skilled"),
        is_total: r.group == TOTAL,
    }
}

/// A headline KPI: its value against the target, with what it is made of.
pub struct Headline {
    pub name: &'static str,
    pub value: String,
    pub numerator: String,
    pub denominator: String,
    pub target: String,
    pub met: &'static str,
    pub status: String,
    pub numerator_href: String,
    pub denominator_href: String,
    pub about: String,
}

/// Who counts as skilled and as high-skilled, in words made from the policy's ladder.
pub fn definitions(l: Lang, ladder: &Ladder) -> (String, String) {
    let name = |level| l.t(ladder.name_zh(level), ladder.name_en(level)).to_string();
    let (skilled, high) = (name(ladder.skilled_from()), name(ladder.high_skilled_from()));
    match l {
        Lang::Zh => (format!("技能人才：{skilled}及以上"), format!("高技能人才：{high}及以上")),
        Lang::En => (format!("skilled: {skilled} and above"), format!("high-skilled: {high} and above")),
    }
}

pub fn headlines(l: Lang, ladder: &Ladder, r: &KpiRow, by: Grouping, as_of: Date, links: bool) -> Vec<Headline> {
    let v = row_view(l, by, r, as_of, links);
    let (skilled_def, high_def) = definitions(l, ladder);
    vec![
        Headline {
            name: l.t("技能人才占就业人员比例", "Skilled talent as a share of employed persons"),
            value: v.skilled_share.clone(),
            numerator: v.skilled.clone(),
            denominator: v.employed.clone(),
            target: v.target_skilled.clone(),
            met: v.skilled_met,
            status: v.skilled_status.clone(),
            numerator_href: v.skilled_href.clone(),
            denominator_href: v.employed_href.clone(),
            about: format!(
                "{skilled_def}{}{}",
                l.t("；", "; "),
                if v.employed_official {
                    l.t("分母为统计部门公布的就业人员数", "denominator: official employed-persons statistics")
                } else {
                    l.t("分母为登记库中的就业人员数", "denominator: employed persons in the registry")
                }
            ),
        },
        Headline {
            name: l.t("高技能人才占技能人才比例", "High-skilled talent as a share of skilled talent"),
            value: v.high_skilled_share.clone(),
            numerator: v.high_skilled.clone(),
            denominator: v.skilled.clone(),
            target: v.target_high.clone(),
            met: v.high_met,
            status: v.high_status.clone(),
            numerator_href: v.high_href.clone(),
            denominator_href: v.skilled_href,
            about: format!("{high_def}{}{skilled_def}", l.t("；", "; ")),
        },
    ]
}

fn base(l: Lang) -> Value {
    json!({
        "aria": {"enabled": true},
        "textStyle": {"fontFamily": "Noto Sans CJK SC, Noto Sans SC, PingFang SC, Microsoft YaHei, sans-serif"},
        "tooltip": {"trigger": "item", "confine": true},
        "animation": false,
        "title": {"show": false, "text": l.t("图表", "Chart")}
    })
}

fn merge(mut a: Value, b: Value) -> Value {
    if let (Some(a), Value::Object(b)) = (a.as_object_mut(), b) {
        a.extend(b);
    }
    a
}

/// The two headline shares as bullets: a bar for the value, a red mark at the target.
pub fn bullet_chart(l: Lang, r: &KpiRow, by: Grouping, as_of: Date, links: bool) -> Value {
    let names = [l.t("技能人才占比", "Skilled share"), l.t("高技能人才占比", "High-skilled share")];
    let v = row_view(l, by, r, as_of, links);
    let values = [pct_value(r.skilled_share), pct_value(r.high_skilled_share)];
    let targets = [
        r.target_skilled_share.as_ref().map(|t| t.value * 100.0),
        r.target_high_skilled_share.as_ref().map(|t| t.value * 100.0),
    ];
    let max = values.iter().chain(targets.iter()).flatten().fold(10.0_f64, |m, x| m.max(*x));
    let bars: Vec<Value> = values
        .iter()
        .zip([v.skilled_href, v.high_href])
        .map(|(val, href)| json!({"value": val, "href": href}))
        .collect();
    let marks: Vec<Value> =
        targets.iter().enumerate().filter_map(|(i, t)| t.map(|t| json!({"value": [t, i]}))).collect();
    merge(
        base(l),
        json!({
            "grid": {"left": 8, "right": 56, "top": 8, "bottom": 24, "containLabel": true},
            "xAxis": {"type": "value", "max": ((max * 1.1) / 10.0).ceil() * 10.0, "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "data": names, "inverse": true},
            "series": [
                {"type": "bar", "name": l.t("当前", "Current"), "data": bars, "barWidth": 24, "z": 3,
                 "itemStyle": {"color": BRAND},
                 "label": {"show": true, "position": "right", "formatter": "{c}%"},
                 "tooltip": {"formatter": "{b}: {c}%"}},
                {"type": "scatter", "name": l.t("目标", "Target"), "data": marks, "symbol": "rect",
                 "symbolSize": [5, 38], "itemStyle": {"color": TARGET}, "z": 2,
                 "tooltip": {"formatter": format!("{}: {{c}}", l.t("目标（%）", "Target (%)"))}}
            ]
        }),
    )
}

/// One share per group as horizontal bars with each group's target marked; clicking a bar
/// opens the persons behind its numerator.
pub fn share_bars(l: Lang, rows: &[&KpiRow], kpi: KpiKind, by: Grouping, as_of: Date, links: bool) -> Value {
    let measure = match kpi {
        KpiKind::SkilledShare => "skilled",
        KpiKind::HighSkilledShare => "high_skilled",
    };
    let share = |r: &KpiRow| match kpi {
        KpiKind::SkilledShare => r.skilled_share,
        KpiKind::HighSkilledShare => r.high_skilled_share,
    };
    let target = |r: &KpiRow| match kpi {
        KpiKind::SkilledShare => r.target_skilled_share.as_ref().map(|t| t.value),
        KpiKind::HighSkilledShare => r.target_high_skilled_share.as_ref().map(|t| t.value),
    };
    let names: Vec<&str> = rows.iter().map(|r| l.name(r.name_zh.as_deref(), r.name_en.as_deref(), &r.group)).collect();
    let bars: Vec<Value> = rows
        .iter()
        .map(|r| {
            let href = if links { drill_href(by, &r.group, measure, as_of) } else { String::new() };
            json!({"value": pct_value(share(r)), "href": href})
        })
        .collect();
    let marks: Vec<Value> =
        rows.iter().enumerate().filter_map(|(i, r)| target(r).map(|t| json!({"value": [t * 100.0, i]}))).collect();
    merge(
        base(l),
        json!({
            "grid": {"left": 8, "right": 48, "top": 8, "bottom": 24, "containLabel": true},
            "xAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}},
            "yAxis": {"type": "category", "data": names, "inverse": true, "axisLabel": {"interval": 0}},
            "series": [
                {"type": "bar", "name": kpi_name(l, kpi), "data": bars, "barMaxWidth": 18, "z": 3,
                 "itemStyle": {"color": BRAND},
                 "label": {"show": true, "position": "right", "formatter": "{c}%", "fontSize": 11},
                 "tooltip": {"formatter": "{b}: {c}%"}},
                {"type": "scatter", "name": l.t("目标", "Target"), "data": marks, "symbol": "rect",
                 "symbolSize": [4, 20], "itemStyle": {"color": TARGET}, "z": 2,
                 "tooltip": {"formatter": format!("{}: {{c}}", l.t("目标（%）", "Target (%)"))}}
            ]
        }),
    )
}

pub fn kpi_name(l: Lang, kpi: KpiKind) -> &'static str {
    match kpi {
        KpiKind::SkilledShare => l.t("技能人才占比", "Skilled share"),
        KpiKind::HighSkilledShare => l.t("高技能人才占比", "High-skilled share"),
    }
}

/// Persons per highest level (employed persons), as vertical bars.
pub fn level_bars(l: Lang, rows: &[&KpiRow], as_of: Date, links: bool) -> Value {
    let names: Vec<&str> = rows.iter().map(|r| l.name(r.name_zh.as_deref(), r.name_en.as_deref(), &r.group)).collect();
    let bars: Vec<Value> = rows
        .iter()
        .map(|r| {
            let href = if links { drill_href(Grouping::Level, &r.group, "employed", as_of) } else { String::new() };
            json!({"value": r.registry_employed, "href": href})
        })
        .collect();
    merge(
        base(l),
        json!({
            "grid": {"left": 8, "right": 16, "top": 24, "bottom": 8, "containLabel": true},
            "xAxis": {"type": "category", "data": names, "axisLabel": {"interval": 0, "rotate": 30, "fontSize": 11}},
            "yAxis": {"type": "value"},
            "series": [{"type": "bar", "name": l.t("就业人员（按最高等级）", "Employed persons (by highest level)"),
                        "data": bars, "barMaxWidth": 36, "itemStyle": {"color": BRAND},
                        "label": {"show": true, "position": "top", "fontSize": 11},
                        "tooltip": {"formatter": "{b}: {c}"}}]
        }),
    )
}

/// One KPI's trend: observed year-ends, the current year so far, the projection with its band,
/// and the target as a line.
pub fn trend_chart(l: Lang, report: &ProjectionReport, kpi: KpiKind) -> Option<(Value, String)> {
    let group = report.groups.iter().find(|g| g.group == TOTAL).or(report.groups.first())?;
    let k = group.kpis.iter().find(|k| k.kpi == kpi)?;
    let mut labels: Vec<String> = k.values.iter().map(|v| v.period.label()).collect();
    for p in &k.projected {
        let label = p.period.label();
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let at = |label: &str| labels.iter().position(|x| x == label);
    let n = labels.len();
    let mut observed = vec![Value::Null; n];
    let mut partial = vec![Value::Null; n];
    for v in &k.values {
        if let Some(i) = at(&v.period.label()) {
            let value = json!(pct_value(v.value));
            if v.complete { observed[i] = value } else { partial[i] = value }
        }
    }
    let mut central = vec![Value::Null; n];
    let mut low = vec![Value::Null; n];
    let mut width = vec![Value::Null; n];
    // The projection starts at the last observed point so the line is continuous.
    if let Some(last) = k.values.iter().rev().find(|v| v.complete && v.value.is_some())
        && let Some(i) = at(&last.period.label())
    {
        central[i] = json!(pct_value(last.value));
    }
    for p in &k.projected {
        if let Some(i) = at(&p.period.label()) {
            central[i] = json!(pct_value(Some(p.value)));
            if let (Some(lo), Some(hi)) = (p.low, p.high) {
                low[i] = json!(pct_value(Some(lo)));
                width[i] = json!(pct_value(Some(hi - lo)));
            }
        }
    }
    let target_lines: Vec<Value> = k
        .targets
        .iter()
        .map(|t| {
            json!({"yAxis": (t.value * 10000.0).round() / 100.0,
                   "name": format!("{} {}", l.t("目标", "target"), iso(t.due)),
                   "label": {"formatter": format!("{} {:.1}% · {}", l.t("目标", "target"), t.value * 100.0, iso(t.due)),
                             "position": "insideEndTop"}})
        })
        .collect();
    // The axis spans the values, the band and the targets, so a target line is always visible.
    let mut seen: Vec<f64> = [&observed, &partial, &central]
        .iter()
        .flat_map(|s| s.iter().filter_map(Value::as_f64))
        .chain(k.projected.iter().filter_map(|p| p.high.map(|h| h * 100.0)))
        .chain(k.projected.iter().filter_map(|p| p.low.map(|h| h * 100.0)))
        .chain(k.targets.iter().map(|t| t.value * 100.0))
        .collect();
    seen.sort_by(f64::total_cmp);
    let (lo, hi) = (seen.first().copied().unwrap_or(0.0), seen.last().copied().unwrap_or(100.0));
    let (y_min, y_max) = ((lo - 2.0).floor().max(0.0), (hi + 2.0).ceil().min(100.0));
    let outlook = k.targets.iter().map(|t| l.msg(&t.message).to_string()).collect::<Vec<_>>().join("；");
    let band = l.t("预测区间", "Projection band");
    let chart = merge(
        base(l),
        json!({
            "tooltip": {"trigger": "axis", "confine": true},
            "legend": {"top": 0, "data": [l.t("年末值", "Year-end"), l.t("本年至今", "Year to date"), l.t("预测", "Projection"), band]},
            "grid": {"left": 8, "right": 24, "top": 36, "bottom": 8, "containLabel": true},
            "xAxis": {"type": "category", "data": labels, "boundaryGap": false},
            "yAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}, "min": y_min, "max": y_max},
            "series": [
                {"type": "line", "name": band, "data": low, "stack": "band", "symbol": "none",
                 "lineStyle": {"opacity": 0}, "tooltip": {"show": false}},
                {"type": "line", "name": band, "data": width, "stack": "band", "symbol": "none",
                 "lineStyle": {"opacity": 0}, "areaStyle": {"color": "rgba(23,78,166,0.15)"}, "tooltip": {"show": false}},
                {"type": "line", "name": l.t("预测", "Projection"), "data": central, "symbol": "none",
                 "lineStyle": {"type": "dashed", "color": BRAND}, "itemStyle": {"color": BRAND}, "connectNulls": false},
                {"type": "line", "name": l.t("年末值", "Year-end"), "data": observed, "symbolSize": 7,
                 "lineStyle": {"color": BRAND, "width": 3}, "itemStyle": {"color": BRAND},
                 "markLine": {"symbol": "none", "lineStyle": {"color": TARGET, "type": "solid"}, "data": target_lines}},
                {"type": "scatter", "name": l.t("本年至今", "Year to date"), "data": partial, "symbolSize": 9,
                 "itemStyle": {"color": MUTED}}
            ]
        }),
    );
    Some((chart, outlook))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(comparison: &'static str, value: f64, met: Option<bool>) -> Option<TargetRef> {
        Some(TargetRef {
            id: "t".into(),
            value,
            comparison,
            due: time::macros::date!(2025 - 12 - 31),
            district: None,
            met,
        })
    }

    #[test]
    fn a_share_exactly_at_a_strict_target_says_so() {
        // 8 of 20 = 0.40 against "> 0.40": not met, and not a bare "not met" either.
        let share = Some(8.0 / 20.0);
        assert_eq!(met_status(Lang::Zh, share, &target(">", 0.40, Some(false))), "等于目标，未超过");
        assert!(at_target(share, &target(">", 0.40, Some(false))));
        assert_eq!(met_status(Lang::Zh, share, &target(">=", 0.40, Some(true))), "已达到");
        assert_eq!(met_status(Lang::Zh, Some(0.39), &target(">", 0.40, Some(false))), "未达到");
        assert!(!at_target(Some(0.39), &target(">", 0.40, Some(false))));
        assert_eq!(met_status(Lang::En, share, &None), "");
    }
}
