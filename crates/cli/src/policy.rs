//! `gongjiang policy`: policy files.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;
use gongjiang_app::AppError;

#[derive(Subcommand)]
pub enum PolicyCommand {
    /// Validate a policy file; exit 0 if it loads, 1 with every problem listed if not
    Check { file: PathBuf },
}

pub fn run(command: &PolicyCommand) -> ExitCode {
    match command {
        PolicyCommand::Check { file } => policy_check(file),
    }
}

fn policy_check(file: &Path) -> ExitCode {
    match gongjiang_app::load_policy(Some(file)) {
        Ok(p) => {
            println!("✓ {} {} ({})", p.meta.name_zh, p.meta.version, file.display());
            ExitCode::SUCCESS
        }
        Err(AppError::Policy(errors)) => {
            for e in errors {
                println!("✗ {e}");
            }
            ExitCode::from(1)
        }
        Err(e) => {
            println!("✗ {e}");
            ExitCode::from(1)
        }
    }
}
