//! `gongjiang occupations`: another edition of the occupational classification.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use gongjiang_app::App;
use gongjiang_domain::bilingual::Explain;

#[derive(Args)]
pub struct OccupationsArgs {
    pub file: PathBuf,
    /// Edition, e.g. 2015 or 1999
    #[arg(long)]
    pub edition: String,
}

pub async fn run(args: &OccupationsArgs, app: impl Future<Output = Result<App>>) -> Result<ExitCode> {
    let OccupationsArgs { file, edition } = args;
    let app = app.await?;
    let text = read_catalogue_file(file)?;
    let c = gongjiang_domain::occupation::Catalogue::parse_csv(
        edition.parse().map_err(|e: gongjiang_domain::occupation::EditionError| anyhow::anyhow!("{}", e.explain()))?,
        &text,
    )
    .map_err(|errs| anyhow::anyhow!(errs.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")))?;
    let n = gongjiang_app::reference::load_catalogue(&app.db, &c).await?;
    println!("已载入 {n} 条 / loaded {n} entries of the {edition} edition");
    Ok(ExitCode::SUCCESS)
}

/// A catalogue file as CSV text, whichever format it came in.
fn read_catalogue_file(path: &Path) -> Result<String> {
    let mut reader = gongjiang_tabular::RowReader::open(path)?;
    let mut out = reader.headers().join(",");
    out.push('\n');
    for row in reader.by_ref() {
        let row = row?;
        out.push_str(
            &row.cells
                .iter()
                .map(|c| if c.contains([',', '"']) { format!("\"{}\"", c.replace('"', "\"\"")) } else { c.clone() })
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push('\n');
    }
    Ok(out)
}
