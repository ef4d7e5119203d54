//! `mim-setup apply`: options (`args.rs`) to `Options`, the live fact source, plain
//! progress. What stops the run is returned; the command line (`crate::cli`) prints it once.
use super::args::ApplyArgs;
use super::{drift::Facts, run_plan, Lines, Mode, Options, Stop};
use crate::check::{Given, Settings};
use crate::exit::ExitCode;
use crate::screens::Screens;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Why `apply` did not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    /// An option is unusable (`--runner`, `--timeout`, `--require-approvals`).
    #[error("mim-setup: {0}")]
    Options(String),
    /// The run stopped: refused, a step failed, or the plan is unusable (`Stop::code`).
    #[error("{0}")]
    Stopped(Stop),
}

impl ApplyError {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            ApplyError::Options(_) => ExitCode::Unusable,
            ApplyError::Stopped(stop) => ExitCode::from_code(stop.code),
        }
    }
}

pub fn apply_cmd(screens: &Screens, args: &ApplyArgs) -> Result<ExitCode, ApplyError> {
    let mode = mode(args.runner.clone()).map_err(ApplyError::Options)?;
    crate::check::parse_timeout(args.timeout).map_err(ApplyError::Options)?;
    let given = Given {
        timeout: Some(args.timeout),
        dns_server: args.dns,
        ca_file: args.ca_file.clone(),
        address_book: args.address_book.clone(),
    };
    let approvals = super::approvals::gate(args.allowed_signers.clone(), args.require_approvals)
        .map_err(ApplyError::Options)?;
    let opts = Options {
        plan: args.plan.clone(),
        resume: args.resume,
        accept_drift: args.accept_drift,
        profile: args.profile.clone(),
        mode,
        approvals,
    };
    let facts =
        |profile: &Path, keys: &BTreeSet<String>| live_facts_given(screens, &given, profile, keys);
    run_plan(&opts, &facts, &mut Lines).map_err(ApplyError::Stopped)?;
    Ok(ExitCode::Ok)
}

/// The live checks again, for the recorded keys, with the default settings but `dns`.
pub fn live_facts(
    screens: &Screens,
    dns: Option<std::net::SocketAddr>,
    profile: &Path,
    keys: &BTreeSet<String>,
) -> Result<Facts, String> {
    let given = Given {
        dns_server: dns,
        ..Given::default()
    };
    live_facts_given(screens, &given, profile, keys)
}

/// The live checks again, for the recorded keys (`check::collect_facts`), with the settings
/// layered as for `check` and `plan --check` (`Settings::layered`), so that a plan checked
/// with `--ca-file` or `--timeout` is compared under the same settings.
pub fn live_facts_given(
    screens: &Screens,
    given: &Given,
    profile: &Path,
    keys: &BTreeSet<String>,
) -> Result<Facts, String> {
    let loaded = crate::profile::load_file(profile, screens, false).map_err(|e| e.to_string())?;
    let settings = Settings::layered(given)?;
    crate::check::collect_facts(&loaded.profile, &settings, keys)
        .map_err(|e| format!("cannot start the checks: {e}"))
}

/// Where programs come from: `--runner DIR`, else `MIM_SETUP_RUNNER`, else the real ones on
/// Windows and a dry run elsewhere.
pub fn mode(runner: Option<PathBuf>) -> Result<Mode, String> {
    let runner = runner.or_else(|| {
        std::env::var_os("MIM_SETUP_RUNNER")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    match runner {
        Some(dir) if !dir.is_dir() => Err(format!(
            "the runner folder {} does not exist\n  fix: point --runner (or MIM_SETUP_RUNNER) at a folder of stand-in programs (msiexec, netsh, powershell, sc, miiskmu)",
            dir.display()
        )),
        Some(dir) => Ok(Mode::Runner(dir)),
        None if cfg!(windows) => Ok(Mode::Native),
        None => Ok(Mode::DryRun),
    }
}
