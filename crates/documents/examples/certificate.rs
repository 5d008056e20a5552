//! Writes one sample certificate:
//!
//!     cargo run -p gongjiang-documents --example certificate -- out.pdf [--photo FILE] [--repeat N]
//!
//! `--repeat N` also renders it N more times and prints the font loading time, the first
//! (cold) render and the mean warm render — wall clock, and CPU time of this process (from
//! /proc/self/stat, so it holds on a machine busy with other work) — with an empty one-page PDF
//! as the baseline.

use std::time::{Duration, Instant};

use gongjiang_documents::{CertificateDocument, Fonts, certificate_pdf};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mut out = None;
    let mut photo = None;
    let mut repeat = 0u32;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--photo" => photo = Some(std::fs::read(args.next().ok_or("--photo needs a file")?)?),
            "--repeat" => repeat = args.next().ok_or("--repeat needs a number")?.parse()?,
            _ => out = Some(arg),
        }
    }
    let out = out.ok_or("usage: certificate OUT.pdf [--photo FILE] [--repeat N]")?;

    let started = Instant::now();
    let fonts = Fonts::discover()?;
    let font_load = started.elapsed();

    let doc = CertificateDocument {
        holder_name: "张三明".into(),
        id_type: "居民身份证".into(),
        id_number: "120101199003071234".into(),
        occupation_name: "装配钳工".into(),
        occupation_code: "6-20-01-01".into(),
        trade: None,
        level: "三级/高级工".into(),
        certificate_no: "S000012000001265000001".into(),
        evaluation_body: "天津市海河职业技能等级认定评价中心".into(),
        issued_on: time::macros::date!(2026 - 11 - 25),
        verification_url: "https://gongjiang.example.cn/v/0193a7b2-5c4e-7d10-9f3a-2b6c8d1e4f50".into(),
        photo,
        status_notice: None,
        basis: None,
    };
    let started = Instant::now();
    let pdf = certificate_pdf(&doc, &fonts)?;
    let cold = started.elapsed();
    std::fs::write(&out, &pdf)?;
    println!("wrote {out} ({} bytes) with {}", pdf.len(), fonts.family());

    if repeat > 0 {
        let (warm, warm_cpu) = mean(repeat, || certificate_pdf(&doc, &fonts).map(drop))?;
        let (empty, empty_cpu) = mean(repeat, empty_page)?;
        println!("font loading (once)         {:>9.2} ms wall", ms(font_load));
        println!("first render (cold)         {:>9.2} ms wall", ms(cold));
        println!("warm render, mean of {repeat:<6} {:>9.3} ms wall {:>9.3} ms CPU", ms(warm), ms(warm_cpu));
        println!("baseline: empty A4 page     {:>9.3} ms wall {:>9.3} ms CPU", ms(empty), ms(empty_cpu));
    }
    Ok(())
}

/// Mean wall-clock and CPU time of `n` calls.
fn mean<E: std::fmt::Display>(n: u32, mut f: impl FnMut() -> Result<(), E>) -> Result<(Duration, Duration), String> {
    let (started, cpu_started) = (Instant::now(), cpu_time());
    for _ in 0..n {
        f().map_err(|e| e.to_string())?;
    }
    Ok((started.elapsed() / n, cpu_time().saturating_sub(cpu_started) / n))
}

/// User + system CPU time of this process so far (Linux; zero elsewhere).
fn cpu_time() -> Duration {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return Duration::ZERO };
    // Fields after the command name (which is in parentheses): utime and stime are the 12th and
    // 13th, in clock ticks of 1/100 s.
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: u64 = after_name.split_whitespace().skip(11).take(2).filter_map(|t| t.parse::<u64>().ok()).sum();
    Duration::from_millis(ticks * 10)
}

/// The fixed cost of writing a PDF at all: one blank landscape A4 page.
fn empty_page() -> Result<(), String> {
    let mut document = krilla::Document::new();
    let settings = krilla::page::PageSettings::from_wh(841.89, 595.28).expect("A4 is a valid size");
    document.start_page_with(settings).finish();
    document.finish().map(drop).map_err(|e| e.to_string())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
