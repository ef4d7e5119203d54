//! `mim-setup apply`: options from the command line, the live fact source, plain progress.
use super::{apply, drift::Facts, Lines, Mode, Options};
use crate::check::{Given, Settings};
use crate::cli::{ApplyArgs, EXIT_UNUSABLE};
use crate::screens::Screens;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

pub fn apply_cmd(screens: &Screens, args: &ApplyArgs) -> i32 {
    let mode = match mode(args.runner.clone()) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("mim-setup: {e}");
            return EXIT_UNUSABLE;
        }
    };
    if let Err(e) = crate::check::parse_timeout(args.timeout) {
        eprintln!("mim-setup: {e}");
        return EXIT_UNUSABLE;
    }
    let given = Given {
        timeout: Some(args.timeout),
        dns_server: args.dns,
        ca_file: args.ca_file.clone(),
    };
    let opts = Options {
        plan: args.plan.clone(),
        resume: args.resume,
        accept_drift: args.accept_drift,
        profile: args.profile.clone(),
        mode,
    };
    let facts =
        |profile: &Path, keys: &BTreeSet<String>| live_facts_given(screens, &given, profile, keys);
    apply(&opts, &facts, &mut Lines)
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
    crate::check::collect_facts(screens, &loaded.profile, &settings, keys)
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
