//! `mim-setup apply`: options from the command line, the live fact source, plain progress.
use super::{apply, drift::Facts, Lines, Mode, Options};
use crate::cli::{ApplyArgs, EXIT_UNUSABLE};
use crate::screens::Screens;
use std::collections::BTreeSet;

pub fn apply_cmd(_screens: &Screens, args: &ApplyArgs) -> i32 {
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
    // The live checks that produce facts are not part of this build yet: every recorded
    // fact shows as no longer seen, so a plan with facts is refused (never passed silently).
    let facts = |_: &BTreeSet<String>| Facts::new();
    apply(&opts, &facts, &mut Lines)
}
