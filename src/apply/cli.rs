//! `mim-setup apply`: options from the command line, the live fact source, plain progress.
use super::{apply, drift::Facts, Lines, Mode, Options};
use crate::check::Settings;
use crate::cli::{ApplyArgs, EXIT_UNUSABLE};
use crate::screens::Screens;
use std::collections::BTreeSet;
use std::path::Path;

pub fn apply_cmd(screens: &Screens, args: &ApplyArgs) -> i32 {
    let runner = args.runner.clone().or_else(|| {
        std::env::var_os("MIM_SETUP_RUNNER")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
    });
    let mode = match &runner {
        Some(dir) if !dir.is_dir() => {
            eprintln!(
                "mim-setup: the runner folder {} does not exist\n  fix: point --runner (or MIM_SETUP_RUNNER) at a folder of stand-in programs (msiexec, netsh, powershell, sc, miiskmu)",
                dir.display()
            );
            return EXIT_UNUSABLE;
        }
        Some(dir) => Mode::Runner(dir.clone()),
        None if cfg!(windows) => Mode::Native,
        None => Mode::DryRun,
    };
    let opts = Options {
        plan: args.plan.clone(),
        resume: args.resume,
        accept_drift: args.accept_drift,
        profile: args.profile.clone(),
        mode,
    };
    let facts = |profile: &Path, keys: &BTreeSet<String>| live_facts(screens, args, profile, keys);
    apply(&opts, &facts, &mut Lines)
}

/// The live checks again, for the recorded keys (`check::collect_facts`).
fn live_facts(
    screens: &Screens,
    args: &ApplyArgs,
    profile: &Path,
    keys: &BTreeSet<String>,
) -> Result<Facts, String> {
    let loaded = crate::profile::load_file(profile, screens, false).map_err(|e| e.to_string())?;
    let settings = Settings {
        dns_server: args.dns,
        ..Settings::default()
    }
    .with_env()?;
    crate::check::collect_facts(screens, &loaded.profile, &settings, keys)
        .map_err(|e| format!("cannot start the checks: {e}"))
}
