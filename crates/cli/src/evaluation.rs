//! `gongjiang evaluation …`: the skill-level evaluation workflow from the shell, one thin
//! wrapper per use case of `gongjiang_app::evaluation` (the rules are the app's and the
//! domain's). Each prints what happened in Chinese then English; a refusal exits 1 with its
//! reason in both languages on stderr.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::Subcommand;
use gongjiang_app::evaluation::institutions::{self, FileInstitution};
use gongjiang_app::evaluation::sessions::{self, PlanSession};
use gongjiang_app::evaluation::{BulkSummary, applications, results, scores};
use gongjiang_app::{App, AppError};
use gongjiang_domain::dates::{iso, parse_date};
use gongjiang_domain::evaluation::{ExaminerRole, Resolution, ResultStatus, StaffingCheck};
use serde_json::json;
use time::Date;

use crate::output::OutputFormat;

#[derive(Subcommand)]
pub enum EvaluationCommand {
    /// 备案评价机构，输出其编号 / File an evaluation institution; prints its id
    InstitutionFile {
        /// 类别：Y（用人单位）或 S（社会培训评价组织）/ category: Y (employer) or S (social organisation)
        #[arg(long)]
        category: String,
        /// 机构代码（在省级备案为 0000）/ body code (0000 when filed with the province)
        #[arg(long)]
        body_code: String,
        /// 省份代码 / province code, e.g. 12
        #[arg(long)]
        province: String,
        /// 站点序列码 / site serial, e.g. 000321
        #[arg(long)]
        site_serial: String,
        /// 证书上印制的机构名称 / the name as printed on certificates
        #[arg(long)]
        name: String,
        /// 关联单位的统一社会信用代码（Y 类必填）/ the organisation's credit code (required for Y)
        #[arg(long, value_name = "USCC")]
        organisation: Option<String>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 备案评价范围：职业 × 等级，自某日起 / Add scope rows: an occupation at each level, from a date
    InstitutionScope {
        #[arg(long)]
        institution: i64,
        /// 职业代码 / occupation code, e.g. 6-18-01-01
        #[arg(long)]
        occupation: String,
        /// 等级，逗号分隔 / levels, comma-separated, e.g. 高级工,技师
        #[arg(long)]
        levels: String,
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: Date,
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: Option<Date>,
    },
    /// 登记用人单位类机构可评价的派遣、外包、实习人员 / List a dispatched, outsourced or intern
    /// worker an employer-type institution may evaluate
    InstitutionStaff {
        #[arg(long)]
        institution: i64,
        #[arg(long)]
        id_number: String,
        /// 派遣 / 外包 / 实习 (dispatched / outsourced / intern)
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        from: Date,
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        to: Option<Date>,
    },
    /// 安排评价计划，输出其编号 / Plan a session; prints its id
    SessionPlan {
        #[arg(long)]
        institution: i64,
        /// 职业代码 / occupation code
        #[arg(long)]
        occupation: String,
        /// 工种/职业方向 / trade (optional)
        #[arg(long, default_value = "")]
        trade: String,
        /// 等级 / level, e.g. 高级工 or 三级
        #[arg(long)]
        level: String,
        /// 职业技能标准版本 / the skill standard's edition, e.g. 2018版
        #[arg(long)]
        standard: String,
        /// 理论知识考试日期 / theory exam date
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        theory_on: Date,
        /// 技能考核日期 / skill test date
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        practical_on: Date,
        /// 综合评审日期（技师、高级技师）/ comprehensive review date (技师, 高级技师)
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        review_on: Option<Date>,
        /// 考核地点 / site
        #[arg(long)]
        site: String,
        /// 计划人数 / capacity
        #[arg(long)]
        capacity: u32,
        /// 理论考场数 / theory exam rooms
        #[arg(long)]
        rooms: u32,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 开始报名（计划中 → 报名中）/ Open a session for applications
    SessionOpen { session: i64 },
    /// 安排考评人员并输出人员配备检查 / Assign examiners to a role and print the staffing check
    SessionExaminers {
        session: i64,
        /// invigilator（监考）, examiner（考评）, reviewer/panel（评审委员）
        #[arg(long, value_parser = role_arg)]
        role: ExaminerRole,
        /// 姓名，逗号分隔 / names, comma-separated, e.g. 张三,李四
        #[arg(long)]
        names: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 考试结束（人员不足时拒绝并列出所缺）/ Mark a session examined (refused while understaffed)
    SessionExamined { session: i64 },
    /// 报名：按申报日期判断资格并输出理由；不符合的报名被保存为不予受理（退出码 1）/ Apply: judged
    /// as of the date, the decision and why are printed; a refused application is stored (exit 1)
    Apply {
        #[arg(long)]
        session: i64,
        #[arg(long)]
        id_number: String,
        /// 须与登记姓名一致 / must match the registered name
        #[arg(long)]
        name: Option<String>,
        /// 申报日期 / application date
        #[arg(long, value_name = "DATE", value_parser = date_arg)]
        on: Date,
        /// 提交人 / who submits it
        #[arg(long, default_value = "cli")]
        by: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 破格准考不予受理的报名 / Admit a refused application by override (破格)
    Admit {
        application: i64,
        /// 审批人 / approver
        #[arg(long)]
        by: String,
        /// 破格理由 / justification
        #[arg(long)]
        justification: String,
    },
    /// 登记一名考生的成绩（如 85.5）/ Enter one candidate's scores (e.g. 85.5)
    Score {
        #[arg(long)]
        session: i64,
        #[arg(long)]
        id_number: String,
        #[arg(long)]
        theory: String,
        #[arg(long)]
        practical: String,
        /// 综合评审（技师、高级技师）/ comprehensive review (技师, 高级技师)
        #[arg(long, default_value = "")]
        review: String,
        #[arg(long, default_value = "cli")]
        by: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 公示结果，输出公示期 / Publish the results; prints the publicity period
    Publish {
        #[arg(long)]
        session: i64,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 公示期内对一名考生的结果提出异议，输出异议编号 / Lodge an objection during publicity; prints its id
    Objection {
        #[arg(long)]
        application: i64,
        /// 异议人 / objector
        #[arg(long)]
        by: String,
        /// 异议内容 / the objection
        #[arg(long)]
        text: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 处理异议：成立（给出新结果）或驳回 / Resolve an objection: upheld (with the new result) or dismissed
    ObjectionResolve {
        objection: i64,
        /// 异议成立，结果改为 pass/fail/withdrawn（合格/不合格/撤销）/ upheld: the new result
        #[arg(long, value_name = "RESULT", value_parser = result_arg, conflicts_with = "dismissed", required_unless_present = "dismissed")]
        upheld: Option<ResultStatus>,
        /// 驳回异议 / dismissed
        #[arg(long)]
        dismissed: bool,
        /// 处理人 / administrator
        #[arg(long)]
        by: String,
        /// 处理意见 / resolution note
        #[arg(long)]
        note: String,
    },
    /// 单位批量报名（CSV/XLSX）/ Apply an employer's staff to its sessions from CSV/XLSX:
    /// id_number, name, applied_on and either session or occupation + level (Chinese headers
    /// accepted); each row is judged by the eligibility engine as of its application date
    ApplyFile {
        /// The evaluation institution's id
        #[arg(long)]
        institution: i64,
        file: PathBuf,
        /// Refused and rejected rows (line, column, value, reason in Chinese and English)
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
        /// Who submits the applications
        #[arg(long, default_value = "cli")]
        by: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 批量登记成绩（CSV/XLSX）/ Enter a session's scores from CSV/XLSX: id_number, theory,
    /// practical[, review, name]
    ScoresFile {
        #[arg(long)]
        session: i64,
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        errors: Option<PathBuf>,
        #[arg(long, default_value = "cli")]
        by: String,
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// 公示期满后确认结果并发证 / Finalise a session after its publicity period: issue the
    /// certificates (running it again issues nothing new)
    Finalise {
        #[arg(long)]
        session: i64,
        #[arg(long, default_value = "cli")]
        by: String,
    },
}

fn date_arg(s: &str) -> Result<Date, String> {
    parse_date(s).ok_or_else(|| format!("不是有效日期（例：2026-03-01）/ not a valid date (e.g. 2026-03-01): {s}"))
}

fn role_arg(s: &str) -> Result<ExaminerRole, String> {
    match s.trim() {
        "panel" => Ok(ExaminerRole::Reviewer),
        other => ExaminerRole::parse(other).ok_or_else(|| {
            format!(
                "角色应为 invigilator、examiner 或 reviewer / the role should be invigilator, examiner or reviewer: {s}"
            )
        }),
    }
}

fn result_arg(s: &str) -> Result<ResultStatus, String> {
    ResultStatus::parse(s)
        .ok_or_else(|| format!("结果应为 pass、fail 或 withdrawn / the result should be pass, fail or withdrawn: {s}"))
}

/// A comma-separated list (ASCII or full-width commas, or 、), without blanks.
fn list(s: &str) -> Vec<&str> {
    s.split([',', '，', '、']).map(str::trim).filter(|x| !x.is_empty()).collect()
}

/// A refusal (exit 1, reason on stderr) or an error (exit 2).
fn refusal(e: AppError) -> Result<ExitCode> {
    match e {
        AppError::Invalid(m) | AppError::NotFound(m) | AppError::BadFile(m) => {
            eprintln!("{m}");
            Ok(ExitCode::from(1))
        }
        e => Err(anyhow::Error::from(e)),
    }
}

/// Prints `value` as JSON, or `text` (Chinese, then English).
fn say(format: OutputFormat, value: serde_json::Value, text: String) -> Result<ExitCode> {
    if format == OutputFormat::Json {
        println!("{value}");
    } else {
        println!("{text}");
    }
    Ok(ExitCode::SUCCESS)
}

pub async fn run(app: &App, command: &EvaluationCommand) -> Result<ExitCode> {
    use EvaluationCommand as C;
    let actor = crate::security::cli_actor();
    match command {
        C::InstitutionFile { category, body_code, province, site_serial, name, organisation, format } => {
            let filing = FileInstitution {
                category,
                body_code,
                province_code: province,
                site_serial,
                name,
                organisation_uscc: organisation.as_deref(),
            };
            match institutions::file(app, &actor, &filing).await {
                Ok(id) => say(
                    *format,
                    json!({ "institution_id": id }),
                    format!("已备案评价机构，编号 {id} / institution filed: id {id}"),
                ),
                Err(e) => refusal(e),
            }
        }
        C::InstitutionScope { institution, occupation, levels, from, to } => {
            let levels = list(levels);
            if levels.is_empty() {
                eprintln!("请用 --levels 给出至少一个等级 / give at least one level with --levels");
                return Ok(ExitCode::from(1));
            }
            let mut refused = false;
            for level in levels {
                match institutions::add_scope(app, &actor, *institution, occupation, level, *from, *to).await {
                    Ok(()) => println!("已备案范围 / scope filed: {occupation} {level}"),
                    Err(AppError::Invalid(m) | AppError::NotFound(m)) => {
                        eprintln!("{level}: {m}");
                        refused = true;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(if refused { ExitCode::from(1) } else { ExitCode::SUCCESS })
        }
        C::InstitutionStaff { institution, id_number, kind, from, to } => {
            match institutions::list_staff(app, &actor, *institution, id_number, kind, *from, *to).await {
                Ok(()) => {
                    println!("已登记可评价人员 / staff listed: {id_number} ({kind})");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refusal(e),
            }
        }
        C::SessionPlan {
            institution,
            occupation,
            trade,
            level,
            standard,
            theory_on,
            practical_on,
            review_on,
            site,
            capacity,
            rooms,
            format,
        } => {
            let plan = PlanSession {
                institution_id: *institution,
                occupation,
                trade,
                level,
                standard_edition: standard,
                theory_on: *theory_on,
                practical_on: *practical_on,
                review_on: *review_on,
                site,
                capacity: *capacity,
                theory_rooms: *rooms,
            };
            match sessions::plan(app, &actor, &plan).await {
                Ok(id) => say(
                    *format,
                    json!({ "session_id": id }),
                    format!("已安排评价计划，编号 {id} / session planned: id {id}"),
                ),
                Err(e) => refusal(e),
            }
        }
        C::SessionOpen { session } => match sessions::open_applications(app, &actor, *session).await {
            Ok(()) => {
                println!("评价计划 {session} 开始报名 / session {session} is open for applications");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => refusal(e),
        },
        C::SessionExaminers { session, role, names, format } => {
            let added = match sessions::assign_examiners(app, &actor, *session, *role, &list(names)).await {
                Ok(n) => n,
                Err(e) => return refusal(e),
            };
            let check = match sessions::staffing(app, *session).await {
                Ok(c) => c,
                Err(e) => return refusal(e),
            };
            if *format == OutputFormat::Json {
                println!("{}", json!({ "added": added, "staffing": check }));
            } else {
                println!("已安排 {added} 人（{}）/ {added} assigned as {}", role_zh(*role), role.code());
                print_staffing(&check);
            }
            Ok(ExitCode::SUCCESS)
        }
        C::SessionExamined { session } => match sessions::mark_examined(app, &actor, *session).await {
            Ok(()) => {
                println!("评价计划 {session} 考试结束，可登记成绩 / session {session} examined: scores may be entered");
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => refusal(e),
        },
        C::Apply { session, id_number, name, on, by, format } => {
            let a = applications::Apply {
                session_id: *session,
                id_number,
                name: name.as_deref(),
                applied_on: *on,
                submitted_by: by,
            };
            let done = match applications::apply(app, &actor, &a).await {
                Ok(d) => d,
                Err(e) => return refusal(e),
            };
            let id = done.application_id;
            if *format == OutputFormat::Json {
                println!("{}", serde_json::to_string(&done)?);
            } else {
                if done.admitted {
                    println!("报名 {id} 已受理 / application {id} admitted");
                } else {
                    println!(
                        "报名 {id} 不予受理（可破格准考：evaluation admit {id}）/ application {id} refused \
                         (may be admitted by override: evaluation admit {id})"
                    );
                }
                println!("{}（{}）", done.reason, iso(*on));
                for r in &done.decision.rules {
                    println!("  [{}] {} {}", if r.met { "✓" } else { "✗" }, r.rule, r.text_zh);
                    for c in &r.conditions {
                        println!("      {} {}", if c.met { "✓" } else { "✗" }, c.reason);
                    }
                }
            }
            Ok(if done.admitted { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        C::Admit { application, by, justification } => {
            match applications::admit_by_override(app, &actor, *application, by, justification).await {
                Ok(()) => {
                    println!("报名 {application} 已破格准考 / application {application} admitted by override");
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refusal(e),
            }
        }
        C::Score { session, id_number, theory, practical, review, by, format } => {
            match scores::enter(app, &actor, *session, id_number, [theory, practical, review], by).await {
                Ok(result) => {
                    let (zh, en) = (result_zh(result), result.code());
                    say(
                        *format,
                        json!({ "id_number": id_number, "result": result }),
                        format!("已登记成绩 {id_number}：{zh} / scores entered for {id_number}: {en}"),
                    )
                }
                Err(e) => refusal(e),
            }
        }
        C::Publish { session, format } => match results::publish(app, &actor, *session).await {
            Ok(last) => {
                let (from, last) = (iso(app.today()), iso(last));
                say(
                    *format,
                    json!({ "published_on": from, "publicity_ends_on": last }),
                    format!("已公示，公示期 {from} 至 {last} / published: objections are taken from {from} to {last}"),
                )
            }
            Err(e) => refusal(e),
        },
        C::Objection { application, by, text, format } => {
            match results::lodge_objection(app, &actor, *application, by, text).await {
                Ok(id) => say(
                    *format,
                    json!({ "objection_id": id }),
                    format!("已受理异议，编号 {id} / objection lodged: id {id}"),
                ),
                Err(e) => refusal(e),
            }
        }
        C::ObjectionResolve { objection, upheld, dismissed: _, by, note } => {
            let resolution = match upheld {
                Some(new_result) => Resolution::Upheld { new_result: *new_result },
                None => Resolution::Dismissed,
            };
            match results::resolve_objection(app, &actor, *objection, resolution, by, note).await {
                Ok(()) => {
                    match upheld {
                        Some(r) => println!(
                            "异议 {objection} 成立，结果改为{} / objection {objection} upheld: the result is now {}",
                            result_zh(*r),
                            r.code()
                        ),
                        None => println!("异议 {objection} 已驳回 / objection {objection} dismissed"),
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => refusal(e),
            }
        }
        C::ApplyFile { institution, file, errors, by, format } => {
            match applications::apply_file(app, &actor, *institution, file, by, errors.as_deref()).await {
                Ok(s) => print_summary(&s, errors.is_some(), *format),
                Err(e) => refusal(e),
            }
        }
        C::ScoresFile { session, file, errors, by, format } => {
            match scores::enter_file(app, &actor, *session, file, by, errors.as_deref()).await {
                Ok(s) => print_summary(&s, errors.is_some(), *format),
                Err(e) => refusal(e),
            }
        }
        C::Finalise { session, by } => match results::finalise(app, &actor, *session, by).await {
            Ok(f) if f.already_final => {
                println!("已完成，未新发证书 / final already: no new certificates");
                Ok(ExitCode::SUCCESS)
            }
            Ok(f) => {
                println!("已发证书 {} 本 / issued {} certificate(s)", f.issued.len(), f.issued.len());
                for c in &f.issued {
                    println!("  {} {} {}", c.number, c.holder_name, c.level_text);
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => refusal(e),
        },
    }
}

fn result_zh(result: ResultStatus) -> &'static str {
    match result {
        ResultStatus::Pass => "合格",
        ResultStatus::Fail => "不合格",
        ResultStatus::Withdrawn => "撤销",
    }
}

fn role_zh(role: ExaminerRole) -> &'static str {
    match role {
        ExaminerRole::Invigilator => "监考人员",
        ExaminerRole::Examiner => "考评人员",
        ExaminerRole::Reviewer => "评审委员",
    }
}

fn print_staffing(check: &StaffingCheck) {
    let r = &check.required;
    println!(
        "需要 / required: 监考 invigilators {}，考评 examiners {}，评审 reviewers {}",
        r.invigilators, r.examiners, r.reviewers
    );
    if check.is_ok() {
        println!("考评人员已配齐 / the session is fully staffed");
    } else {
        println!("尚缺 / still missing:");
        for m in &check.missing {
            println!("  {}\n  {}", m.zh, m.en);
        }
    }
}

fn print_summary(summary: &BulkSummary, has_errors_file: bool, format: OutputFormat) -> Result<ExitCode> {
    if format == OutputFormat::Json {
        println!("{}", serde_json::to_string(summary)?);
        return Ok(ExitCode::SUCCESS);
    }
    for w in &summary.warnings {
        eprintln!("提示 / warning: {w}");
    }
    println!(
        "读取 read {}，受理 accepted {}，不予受理 refused {}，拒绝 rejected {}",
        summary.read, summary.accepted, summary.refused, summary.rejected
    );
    for r in summary.report.iter().take(20) {
        for e in &r.errors {
            println!("  第 {} 行 line {}: {} = \"{}\": {}", r.line, r.line, e.column, e.value, e.reason);
        }
    }
    if summary.report.len() > 20 && !has_errors_file {
        println!("  … 用 --errors FILE 获取完整错误报告 / use --errors FILE for the full report");
    }
    Ok(ExitCode::SUCCESS)
}
