//! `mim-setup doctor --from DIR [--since DATE] [--ma NAME] [--json]`: the arguments and the
//! headless run. Prints the report (text or JSON) and gives its exit code: 0 nothing needs
//! action, 1 findings that need action; unusable input is a `DoctorError` (exit 2).
use super::inputs::InputError;
use super::{parse_since, report, run_from, Options};
use crate::exit::ExitCode;
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// The collection folder to analyse: *.reg exports, file-versions.json,
    /// run-history*.xml, events*.xml (wevtutil qe /f:xml), sql.json, config/*.config.
    #[arg(long, value_name = "DIR")]
    pub from: PathBuf,
    /// Only runs that started at or after this UTC time: YYYY-MM-DD[ HH:MM[:SS]].
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only the runs of this management agent.
    #[arg(long, value_name = "NAME")]
    pub ma: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    #[error("mim-setup doctor: {0}")]
    Input(#[from] InputError),
    #[error("mim-setup doctor: {0}")]
    Since(String),
    #[error("mim-setup doctor: cannot write the report: {0}")]
    Write(std::io::Error),
}

pub fn command(args: &DoctorArgs) -> Result<ExitCode, DoctorError> {
    let since = args
        .since
        .as_deref()
        .map(parse_since)
        .transpose()
        .map_err(DoctorError::Since)?;
    let o = Options {
        since,
        ma: args.ma.clone(),
    };
    let r = run_from(&args.from, &o)?;
    let text = if args.json {
        report::to_json(&r) + "\n"
    } else {
        report::to_text(&r)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(DoctorError::Write)?;
    Ok(r.exit_code())
}
