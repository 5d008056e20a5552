//! `gongjiang validate`: an identity number, credit code or certificate number, checked and
//! explained segment by segment.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use gongjiang_domain::bilingual::{Explain, Msg};
use gongjiang_domain::certificate_no::CertificateNo;
use gongjiang_domain::id_number::IdNumber;
use gongjiang_domain::uscc::Uscc;

#[derive(Clone, Copy, ValueEnum)]
pub enum ValidateKind {
    Id,
    Uscc,
    Cert,
}

#[derive(Args)]
pub struct ValidateArgs {
    pub what: ValidateKind,
    pub value: String,
}

pub fn run(args: &ValidateArgs) -> ExitCode {
    validate(args.what, &args.value)
}

fn print_segments(title: Msg, segments: &[gongjiang_domain::certificate_no::Segment]) {
    println!("✓ {title}");
    for (label, value, meaning) in segments {
        println!("  {:<24} {:<12} {}", label.to_string(), value, meaning);
    }
}

fn validate(what: ValidateKind, value: &str) -> ExitCode {
    let today = (time::OffsetDateTime::now_utc() + time::Duration::hours(8)).date();
    let result: Result<(), Msg> = match what {
        ValidateKind::Id => IdNumber::parse(value, today)
            .map(|p| {
                let mut title = Msg::new(
                    format!("有效的居民身份证号码 {}", p.id.as_str()),
                    format!("valid resident identity number {}", p.id.as_str()),
                );
                if p.converted_from_15 {
                    title = Msg::new(
                        format!("{}（由15位旧号码转换而来）", title.zh),
                        format!("{} (converted from a 15-digit legacy number)", title.en),
                    );
                }
                print_segments(title, &p.id.segments());
            })
            .map_err(|e| e.explain()),
        ValidateKind::Uscc => Uscc::parse(value)
            .map(|u| {
                print_segments(
                    Msg::new(
                        format!("有效的统一社会信用代码 {}", u.as_str()),
                        format!("valid unified social credit code {}", u.as_str()),
                    ),
                    &u.segments(),
                );
            })
            .map_err(|e| e.explain()),
        ValidateKind::Cert => CertificateNo::parse(value)
            .map(|c| {
                print_segments(
                    Msg::new(
                        format!("格式有效的证书编号 {}", c.as_str()),
                        format!("well-formed certificate number {}", c.as_str()),
                    ),
                    &c.segments(),
                );
            })
            .map_err(|e| e.explain()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            println!("✗ {}\n  {}", m.zh, m.en);
            ExitCode::from(1)
        }
    }
}
