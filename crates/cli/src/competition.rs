//! `gongjiang competition …`: a competition scored in gongjiang, from the shell — set-up,
//! marking, sign-off, standings, publishing (which applies 以赛代评) and the ledger check; one
//! thin wrapper per use case of `gongjiang_app::competition`. A refusal exits 1 with its reason
//! in Chinese and English on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use gongjiang_app::competition::marking::{self, MarkInput};
use gongjiang_app::competition::{results, setup};
use gongjiang_app::{App, AppError};
use gongjiang_domain::dates::parse_date;
use gongjiang_domain::marking::show;
use serde_json::json;
use time::Date;

use crate::output::OutputFormat;

fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("不是有效日期（例：2026-03-01）/ not a valid date (e.g. 2026-03-01): {s}"))
}

#[derive(Subcommand)]
pub enum CompetitionCommand {
    /// 创建竞赛 / Create a competition
    Create {
        /// 竞赛代码（唯一）/ the competition's code (unique), e.g. HHGJ2026
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// 竞赛级别：代码或中文名（world、national_1 … 市级一类 …）/ tier: code or Chinese name
        #[arg(long)]
        tier: String,
        /// 主办单位 / organiser
        #[arg(long)]
        organiser: String,
        /// 比赛开始日（核对参赛年龄的日子）/ first day (the day entrants' age is checked)
        #[arg(long, value_parser = date_arg)]
        starts_on: Date,
    },
    /// 添加赛项 / Add an event to a competition
    Event {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// 职业代码 / occupation code, e.g. 6-18-02-04
        #[arg(long)]
        occupation: String,
        /// 等级范围，如 高级工,技师 / level band, e.g. 高级工,技师
        #[arg(long)]
        levels: String,
        /// 每队人数 / team size
        #[arg(long, default_value_t = 1)]
        team_size: u32,
        /// 限本职业从业人员参赛（国赛精选）/ practitioners of the occupation only
        #[arg(long)]
        practitioners_only: bool,
    },
    /// 设定评分方案（CSV/XLSX：评分项代码,类型,说明,分值,0分描述…3分描述）/ Set the marking scheme
    Scheme {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        file: PathBuf,
    },
    /// 添加裁判 / Add a judge to an event
    Judge {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        /// 裁判所在单位统一社会信用代码（回避检查）/ the judge's organisation (conflict-of-interest check)
        #[arg(long, value_name = "USCC")]
        organisation: Option<String>,
        /// 以该裁判身份评分的账户 / the account that marks as this judge
        #[arg(long)]
        user: Option<String>,
    },
    /// 报名（CSV/XLSX：身份证号,组别,参赛号[,队名,单位统一社会信用代码]）/ Register entrants from a file
    Entries {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        file: PathBuf,
        /// 被拒行的报告 / report of refused rows
        #[arg(long)]
        errors: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 评分：一条（--judge --entrant --aspect --score）或文件（裁判,参赛号,评分项,评分）/ Mark: one score or a file
    Mark {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        #[arg(long, conflicts_with = "file")]
        judge: Option<String>,
        /// 参赛号 / competitor number
        #[arg(long)]
        entrant: Option<String>,
        #[arg(long)]
        aspect: Option<String>,
        #[arg(long, allow_negative_numbers = true)]
        score: Option<i64>,
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// 签字确认评分（锁定）/ Sign off marks (locks them): one entrant or every one whose marks stand
    SignOff {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        #[arg(long)]
        entrant: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 排名：原始分、世界技能大赛标准分、名次、奖项 / Standings: raw, WorldSkills scale, places, awards
    Standings {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 公布成绩并按以赛代评晋升 / Publish results and apply 以赛代评
    Publish {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        /// 成绩公布日期（晋升日期）/ publication date (the promotions' date)
        #[arg(long, value_parser = date_arg)]
        on: Date,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 学生获奖选手的免试/保送名单（供教育部门）/ Student winners' admission list (免试/保送) for the education bureau
    Admissions {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        /// CSV 或 XLSX / CSV or XLSX
        #[arg(long)]
        out: PathBuf,
    },
    /// 校验评分账本的哈希链（被改动时退出码 1）/ Verify the marks ledger's hash chain (exit 1 when broken)
    Verify {
        #[arg(long)]
        competition: String,
        #[arg(long)]
        event: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
}

fn refusal(e: AppError) -> Result<ExitCode> {
    match e {
        AppError::Invalid(m) | AppError::NotFound(m) | AppError::BadFile(m) => {
            eprintln!("{m}");
            Ok(ExitCode::from(1))
        }
        e => Err(anyhow::Error::from(e)),
    }
}

macro_rules! or_refuse {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(e) => return refusal(e),
        }
    };
}

pub async fn run(app: &App, command: &CompetitionCommand) -> Result<ExitCode> {
    use CompetitionCommand as C;
    let actor = crate::security::cli_actor();
    match command {
        C::Create { code, name, tier, organiser, starts_on } => {
            let id = or_refuse!(
                setup::create(
                    app,
                    &actor,
                    &setup::CompetitionInput {
                        code,
                        name,
                        tier,
                        organiser,
                        organisation_id: None,
                        starts_on: *starts_on
                    }
                )
                .await
            );
            println!("已创建竞赛 {code}（编号 {id}）/ competition {code} created (id {id})");
        }
        C::Event { competition, code, name, occupation, levels, team_size, practitioners_only } => {
            let (lo, hi) = levels.split_once([',', '，']).unwrap_or((levels, levels));
            let e = setup::EventInput {
                code,
                name,
                occupation,
                level_min: lo,
                level_max: hi,
                team_size: *team_size,
                occupation_required: *practitioners_only,
            };
            or_refuse!(setup::add_event(app, &actor, competition, &e).await);
            println!("已添加赛项 {code} / event {code} added");
        }
        C::Scheme { competition, event, file } => {
            let s = or_refuse!(setup::set_scheme_file(app, &actor, competition, event, file).await);
            let total = show(s.total_tenths() * 10);
            println!(
                "评分方案：{} 个评分项，满分 {total} / marking scheme: {} aspects, {total} marks in all",
                s.aspects.len(),
                s.aspects.len()
            );
        }
        C::Judge { competition, event, code, name, organisation, user } => {
            or_refuse!(
                setup::add_judge(
                    app,
                    &actor,
                    competition,
                    event,
                    &setup::JudgeInput { code, name, uscc: organisation.as_deref(), username: user.as_deref() }
                )
                .await
            );
            println!("已添加裁判 {code} / judge {code} added");
        }
        C::Entries { competition, event, file, errors, format } => {
            let s = or_refuse!(setup::import_entries(app, &actor, competition, event, file, errors.as_deref()).await);
            if *format == OutputFormat::Json {
                println!("{}", json!({ "read": s.read, "accepted": s.accepted, "rejected": s.rejected }));
            } else {
                println!(
                    "读取 {} 行，报名 {}，拒绝 {} / read {}, entered {}, refused {}",
                    s.read, s.accepted, s.rejected, s.read, s.accepted, s.rejected
                );
                for r in &s.report {
                    for e in &r.errors {
                        println!(
                            "  第 {} 行 {}：{} / line {} {}: {}",
                            r.line, e.column, e.reason.zh, r.line, e.column, e.reason.en
                        );
                    }
                }
            }
            return Ok(if s.rejected > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS });
        }
        C::Mark { competition, event, judge, entrant, aspect, score, file } => {
            let marks = match (file, judge, entrant, aspect, score) {
                (Some(f), ..) => or_refuse!(marking::read_marks_file(f)),
                (None, Some(j), Some(b), Some(a), Some(s)) => {
                    vec![MarkInput { judge: j.clone(), bib: b.clone(), aspect: a.clone(), score: *s }]
                }
                _ => {
                    eprintln!(
                        "请给出 --judge --entrant --aspect --score，或 --file / give --judge --entrant --aspect --score, or --file"
                    );
                    return Ok(ExitCode::from(2));
                }
            };
            let n = or_refuse!(marking::mark(app, &actor, competition, event, &marks).await);
            println!("已记录 {n} 条评分 / {n} mark(s) recorded");
        }
        C::SignOff { competition, event, entrant, format } => {
            let s = or_refuse!(marking::sign_off(app, &actor, competition, event, entrant.as_deref()).await);
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                for (bib, total) in &s.signed {
                    println!("{bib}：已签字确认，总分 {} / signed off, total {}", show(*total), show(*total));
                }
                for bib in &s.already {
                    println!("{bib}：此前已签字确认 / signed off before");
                }
                for (bib, why) in &s.blocked {
                    for m in why {
                        println!("{bib}：不能签字确认 / cannot be signed off — {m}");
                    }
                }
            }
            return Ok(if s.blocked.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) });
        }
        C::Standings { competition, event, format } => {
            let s = or_refuse!(results::standings(app, competition, event).await);
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&s)?);
            } else {
                for g in &s.groups {
                    println!("组别 group {}（{} 人 entrants）", g.group, g.entrants);
                    println!("名次 place\t参赛号 bib\t原始分 raw\t标准分 WS scale\t奖项 award");
                    for r in &g.rows {
                        let award = r.award_name.as_ref().map(|m| format!("{} {}", m.zh, m.en)).unwrap_or_default();
                        let tie = if r.tied { "=" } else { "" };
                        println!(
                            "{}{tie}\t{}\t{}\t{}.{}\t{award}",
                            r.place,
                            r.bib,
                            show(r.total_hundredths),
                            r.standardised_tenths / 10,
                            r.standardised_tenths.rem_euclid(10)
                        );
                    }
                }
                if !s.unsigned.is_empty() {
                    println!("未签字确认（未排名）/ not signed off (not ranked): {}", s.unsigned.join(", "));
                }
            }
        }
        C::Publish { competition, event, on, format } => {
            let p = or_refuse!(results::publish(app, &actor, competition, event, *on).await);
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&p)?);
            } else {
                println!(
                    "已公布 {} 名选手的成绩，晋升 {} 人 / results of {} published, {} promoted",
                    p.results.len(),
                    p.promoted,
                    p.results.len(),
                    p.promoted
                );
                for r in &p.results {
                    println!("{} 第{}名 place {}：{}", r.bib, r.place, r.place, r.explanation);
                    for o in &r.opens {
                        println!("    {o}");
                    }
                }
                if !p.certificates.is_empty() {
                    println!("颁发证书 / certificates issued: {}", p.certificates.join(", "));
                }
            }
        }
        C::Admissions { competition, event, out } => {
            let rows = or_refuse!(results::admissions(app, competition, event).await);
            or_refuse!(results::write_admissions(out, &rows));
            println!("免试/保送名单 {} 人 / admission list: {} student(s)", rows.len(), rows.len());
        }
        C::Verify { competition, event, format } => {
            let v = or_refuse!(marking::verify(app, competition, event).await);
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&v)?);
            } else if let Some((seq, why)) = v.broken {
                println!(
                    "评分账本在第 {seq} 条处被改动（{why:?}）/ the marks ledger is broken at row {seq} ({why:?}); {} rows checked",
                    v.checked
                );
            } else {
                println!(
                    "评分账本完整：{} 条，链头 {} / the marks ledger is intact: {} rows, head {}",
                    v.checked, v.head_hash, v.checked, v.head_hash
                );
            }
            return Ok(if v.broken.is_some() { ExitCode::from(1) } else { ExitCode::SUCCESS });
        }
    }
    Ok(ExitCode::SUCCESS)
}
