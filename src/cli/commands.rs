//! `validate`, `plan` and `export`: each reads its input, refuses an output path that is
//! that input, and prints its result; errors go back to the edge (`cli.rs`).
use super::{in_command, Blocked};
use crate::check::args::LiveArgs;
use crate::exit::ExitCode;
use crate::plan::{self, PlanError};
use crate::profile::{self, LoadErrors};
use crate::screens::Screens;
use crate::validate;
use anyhow::Context as _;
use std::path::{Path, PathBuf};

/// A profile that cannot be used: its located errors, then one line counting them.
#[derive(Debug, thiserror::Error)]
#[error("{errors}\n{file}: unusable: {} error(s); nothing else is checked until they are fixed", .errors.0.len())]
struct Unusable {
    file: String,
    errors: LoadErrors,
}

impl Unusable {
    fn new(file: &Path, errors: LoadErrors) -> Self {
        Unusable {
            file: file.display().to_string(),
            errors,
        }
    }
}

pub(super) fn validate_cmd(
    screens: &Screens,
    file: &Path,
    json: bool,
    verbose: bool,
) -> anyhow::Result<ExitCode> {
    let loaded = profile::load_file(file, screens, false)
        .inspect_err(|e: &LoadErrors| {
            if json {
                // Machine readers get the located errors too, on standard output.
                println!(
                    "{}",
                    validate::errors_to_json(&file.display().to_string(), e)
                );
            }
        })
        .map_err(|e| Unusable::new(file, e))?;
    let report = validate::check_profile(screens, &loaded.profile);
    let name = file.display().to_string();
    if json {
        println!("{}", validate::to_json(&name, &loaded, &report));
    } else {
        print!("{}", validate::to_text(&name, &loaded, &report, verbose));
    }
    Ok(ExitCode::blocking_if(!report.ok()))
}

pub(super) fn plan_cmd(
    screens: &Screens,
    file: &Path,
    output: Option<PathBuf>,
    (json, verbose): (bool, bool),
    live: Option<LiveArgs>,
) -> anyhow::Result<ExitCode> {
    if let Some(out) = &output {
        refuse_overwriting_input(out, file, "profile", "plan")?;
    }
    let loaded = profile::load_file(file, screens, false).map_err(|e| Unusable::new(file, e))?;
    let plan = match plan::build(screens, &loaded, &file.display().to_string()) {
        Ok(mut p) => {
            if let Some(live) = live {
                p.record_facts(
                    crate::check::command::facts_for_plan(&loaded.profile, &live)
                        .map_err(|e| in_command(e, "plan"))?,
                );
            }
            p
        }
        Err(PlanError::Blocked(_) | PlanError::Unacknowledged(_)) => {
            let report = validate::check_profile(screens, &loaded.profile);
            let text = validate::to_text(&file.display().to_string(), &loaded, &report, verbose);
            return Err(Blocked(format!(
                "{text}mim-setup: no plan written: fix the findings above first."
            ))
            .into());
        }
        Err(e) => return Err(anyhow::Error::new(e).context("mim-setup: no plan written")),
    };
    let text = if json {
        plan.to_json() + "\n"
    } else {
        plan.to_toml()
    };
    match output {
        None => print!("{text}"),
        Some(out) => {
            crate::atomic_file::write(&out, text.as_bytes()).with_context(|| {
                format!("mim-setup: cannot write the plan to {}", out.display())
            })?;
            eprintln!("mim-setup: plan written to {}", out.display());
        }
    }
    Ok(ExitCode::Ok)
}

pub(super) fn export_cmd(
    plan: &Path,
    format: crate::export::Format,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    if let Some(out) = output {
        refuse_overwriting_input(out, plan, "plan", "export")?;
    }
    let files = crate::export::export_file(plan, format).context("mim-setup: nothing exported")?;
    match output {
        None => print!("{}", crate::export::to_stdout(&files)),
        Some(out) => {
            let paths = crate::export::write(&files, out).context("mim-setup")?;
            for p in paths {
                eprintln!("mim-setup: written {}", p.display());
            }
        }
    }
    Ok(ExitCode::Ok)
}

/// An output path that names the command's own input (under any spelling or link) would
/// replace the input with the output: refused before anything is read or written (exit 2).
fn refuse_overwriting_input(
    out: &Path,
    input: &Path,
    input_is: &str,
    what: &str,
) -> anyhow::Result<()> {
    if !crate::atomic_file::same_file(out, input) {
        return Ok(());
    }
    let stem = input
        .file_stem()
        .map_or("out".into(), |s| s.to_string_lossy());
    let example = match what {
        "plan" => format!("{stem}.plan.toml"),
        _ => format!("{stem}-{what}"),
    };
    anyhow::bail!(
        "mim-setup: no {what} written: -o {} is the {input_is} {} itself, which the {what} would overwrite\n  fix: give another output file with -o, for example -o {example}",
        out.display(),
        input.display()
    )
}
