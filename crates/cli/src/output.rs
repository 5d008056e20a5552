//! What several subcommands share: the text/JSON switch, progress bars, notes under a table and
//! CSV on standard output.

use std::io::IsTerminal;

use anyhow::Result;
use clap::ValueEnum;
use gongjiang_tabular::TableWriter;
use indicatif::{ProgressBar, ProgressStyle};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum OutputFormat {
    Text,
    Json,
}

pub fn progress_bar(label: &'static str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::new_spinner();
    pb.set_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} 行/rows ({per_sec}, {elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.set_message(label);
    pb.enable_steady_tick(std::time::Duration::from_millis(200));
    pb
}

/// A report's notes under a table.
pub fn print_notes(notes: &[gongjiang_domain::bilingual::Msg]) {
    for n in notes {
        println!("注 / note: {} / {}", n.zh, n.en);
    }
}

/// CSV on standard output, through the tabular writer the exports use (same quoting), without
/// the BOM a file for Excel gets: the reader here is a pipe or a terminal.
pub fn csv_stdout(headers: &[&str]) -> Result<TableWriter> {
    Ok(TableWriter::csv_to(std::io::stdout(), headers)?)
}
