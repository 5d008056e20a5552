//! A marking scheme: the aspects of an event, each measured or judged, with its maximum mark.

use serde::{Deserialize, Serialize};

use crate::bilingual::Msg;

/// At least this many judges score a judgement aspect (WorldSkills: three).
pub const MIN_JUDGES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AspectKind {
    /// Objective: the aspect's marks or zero (达到 / 未达到).
    Measurement,
    /// Each judge scores 0–3 against the descriptors.
    Judgement,
}

impl AspectKind {
    pub fn code(self) -> &'static str {
        match self {
            AspectKind::Measurement => "measurement",
            AspectKind::Judgement => "judgement",
        }
    }

    /// `measurement`/`测量`, `judgement`/`评价`.
    pub fn parse(s: &str) -> Option<AspectKind> {
        match s.trim() {
            "measurement" | "测量" | "M" | "m" => Some(AspectKind::Measurement),
            "judgement" | "judgment" | "评价" | "J" | "j" => Some(AspectKind::Judgement),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            AspectKind::Measurement => "测量",
            AspectKind::Judgement => "评价",
        }
    }
}

/// One aspect of a marking scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspect {
    /// Short code, unique in the scheme (`A1`, `B3` …).
    pub code: String,
    pub description: String,
    pub kind: AspectKind,
    /// The aspect's maximum, in tenths of a mark.
    pub max_tenths: u32,
    /// Judgement aspects: what a score of 0, 1, 2 and 3 means, in that order.
    #[serde(default)]
    pub descriptors: Vec<String>,
}

/// A validated scheme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheme {
    pub aspects: Vec<Aspect>,
}

/// What is wrong with a scheme, per aspect (by its position, 1-based) and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchemeError {
    pub aspect: usize,
    pub field: &'static str,
    pub reason: Msg,
}

impl Scheme {
    /// Checks every aspect and reports every fault: codes present and unique, a maximum above
    /// zero, four descriptors (scores 0–3) for a judgement aspect, at least one aspect.
    pub fn new(aspects: Vec<Aspect>) -> Result<Scheme, Vec<SchemeError>> {
        let mut errors = Vec::new();
        if aspects.is_empty() {
            errors.push(SchemeError {
                aspect: 0,
                field: "aspects",
                reason: Msg::new("评分方案至少要有一个评分项", "a marking scheme needs at least one aspect"),
            });
        }
        for (i, a) in aspects.iter().enumerate() {
            let n = i + 1;
            let code = a.code.trim();
            if code.is_empty() || code.chars().count() > 20 {
                errors.push(SchemeError {
                    aspect: n,
                    field: "code",
                    reason: Msg::new(
                        "评分项代码不能为空，且不超过 20 个字符",
                        "an aspect code must be 1 to 20 characters",
                    ),
                });
            } else if aspects[..i].iter().any(|b| b.code.trim() == code) {
                errors.push(SchemeError {
                    aspect: n,
                    field: "code",
                    reason: Msg::new(format!("评分项代码 {code} 重复"), format!("aspect code {code} appears twice")),
                });
            }
            if a.description.trim().is_empty() {
                errors.push(SchemeError {
                    aspect: n,
                    field: "description",
                    reason: Msg::new("评分项须有说明", "an aspect needs a description"),
                });
            }
            if a.max_tenths == 0 || a.max_tenths > 1000 {
                errors.push(SchemeError {
                    aspect: n,
                    field: "max_mark",
                    reason: Msg::new("分值应在 0.1 到 100 分之间", "the maximum mark must be within 0.1..=100"),
                });
            }
            if a.kind == AspectKind::Judgement
                && (a.descriptors.len() != 4 || a.descriptors.iter().any(|d| d.trim().is_empty()))
            {
                errors.push(SchemeError {
                    aspect: n,
                    field: "descriptors",
                    reason: Msg::new(
                        "评价项须为 0、1、2、3 分各写一条评分描述（共 4 条）",
                        "a judgement aspect needs a descriptor for each score 0, 1, 2 and 3 (four)",
                    ),
                });
            }
        }
        if errors.is_empty() { Ok(Scheme { aspects }) } else { Err(errors) }
    }

    /// The scheme's total in tenths of a mark (a WorldSkills scheme: 100 marks = 1000).
    pub fn total_tenths(&self) -> u32 {
        self.aspects.iter().map(|a| a.max_tenths).sum()
    }

    pub fn aspect(&self, code: &str) -> Option<&Aspect> {
        self.aspects.iter().find(|a| a.code == code)
    }
}
