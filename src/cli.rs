//! The command line: the wizard by default, `validate`, `plan` and `export` headless.
//!
//! Exit codes: 0 ok, 1 blocking findings, 2 unusable input (missing file, malformed TOML,
//! unknown key, secret in clear), 130/143 interrupted.
use crate::plan::{self, PlanError};
use crate::profile::{self, LoadErrors};
use crate::screens::Screens;
use crate::validate;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

pub const EXIT_OK: i32 = 0;
pub const EXIT_BLOCKING: i32 = 1;
pub const EXIT_UNUSABLE: i32 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "mim-setup",
    version,
    about = "Installer wizard for Microsoft Identity Manager 2016 SP2/SP3",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub wizard: WizardArgs,
    /// Log level (error, warn, info, debug, trace) for the log file.
    #[arg(long, global = true, default_value = "info")]
    pub log_level: String,
    /// Log file (default: mim-setup.log in the per-user state folder).
    #[arg(long, global = true)]
    pub log_file: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct WizardArgs {
    /// A profile whose answers the wizard starts from (profiles/contoso-sync.toml, profiles/contoso-service-portal.toml, ...).
    pub profile: Option<PathBuf>,
    /// Continue the saved draft where it was left.
    #[arg(long, conflicts_with = "profile")]
    pub resume: bool,
    /// ASCII borders and no colour (also: the NO_COLOR environment variable).
    #[arg(long)]
    pub ascii: bool,
    /// Run no live check (SQL Server, Active Directory, mail, network); screens say so.
    #[arg(long)]
    pub offline: bool,
    /// Folder for the saved profile and the install plan.
    #[arg(long, default_value = "mim-setup-output")]
    pub out: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a profile against every rule.
    Validate {
        profile: PathBuf,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a profile's answers against the real environment: SQL Server, Active
    /// Directory, mail, DNS and ports.
    Check(crate::check::cli::CheckArgs),
    /// Write the install plan of a profile.
    Plan {
        profile: PathBuf,
        /// Write the plan to FILE instead of standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write the plan as JSON instead of TOML.
        #[arg(long)]
        json: bool,
        /// Run the live checks first: blocking findings stop the plan, and what the checks
        /// saw is recorded in it, so that `apply` can refuse a changed environment.
        #[arg(long)]
        check: bool,
        #[command(flatten)]
        live: crate::check::cli::LiveArgs,
    },
    /// Run an install plan: journaled, resumable; a dry run when not on Windows.
    Apply(ApplyArgs),
    /// Write an install plan as a PowerShell script, an Ansible playbook, or Markdown.
    Export {
        /// The plan file (TOML or JSON, as `plan` writes it).
        plan: PathBuf,
        #[arg(long, value_enum)]
        format: crate::export::Format,
        /// Write to FILE (or, for Ansible's playbook and inventory, into folder DIR).
        #[arg(short, long, value_name = "FILE or DIR")]
        output: Option<PathBuf>,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell) to standard output.
    Completions {
        #[arg(value_enum)]
        shell: crate::completions::Shell,
    },
    /// Print the man page (roff) to standard output: `mim-setup man > mim-setup.1`.
    Man,
    /// Print a JSON Schema of the profile format (from the screens) for an editor.
    Schema,
}

#[derive(Debug, clap::Args)]
pub struct ApplyArgs {
    /// The plan file (TOML or JSON, as `plan` wrote it).
    pub plan: PathBuf,
    /// Continue after the last completed step (never runs a completed step again).
    #[arg(long)]
    pub resume: bool,
    /// Run although the recorded facts changed (the drift is recorded in the journal).
    #[arg(long)]
    pub accept_drift: bool,
    /// The profile to check the plan against instead of the path it records.
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    /// Run stand-in programs from DIR instead of the real ones (also: MIM_SETUP_RUNNER).
    #[arg(long, value_name = "DIR")]
    pub runner: Option<PathBuf>,
    /// The DNS server the drift checks ask, as for `plan --check` (also MIM_SETUP_DNS).
    #[arg(long, value_name = "ADDR", value_parser = crate::check::parse_dns)]
    pub dns: Option<std::net::SocketAddr>,
    /// Time limit of each drift check, in seconds, as for `plan --check`.
    #[arg(long, value_name = "S", default_value = "5")]
    pub timeout: f64,
    /// More trusted CA certificates, PEM, as for `plan --check` (also MIM_SETUP_CA_FILE).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
}

/// Runs the command line; returns the exit code.
pub fn main() -> i32 {
    let cli = Cli::parse();
    crate::logging::init(cli.log_file.as_deref(), &cli.log_level);
    let screens = match Screens::embedded() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("mim-setup: the built-in screens are broken: {e}");
            return EXIT_UNUSABLE;
        }
    };
    match cli.command {
        Some(Command::Validate { profile, json }) => validate_cmd(screens, &profile, json),
        Some(Command::Plan {
            profile,
            output,
            json,
            check,
            live,
        }) => plan_cmd(screens, &profile, output, json, check.then_some(live)),
        Some(Command::Check(args)) => crate::check::cli::run(screens, &args),
        Some(Command::Apply(args)) => crate::apply::cli::apply_cmd(screens, &args),
        Some(Command::Export {
            plan,
            format,
            output,
        }) => export_cmd(&plan, format, output.as_deref()),
        Some(Command::Completions { shell }) => {
            match crate::completions::completions(shell, &mut std::io::stdout()) {
                Ok(()) => EXIT_OK,
                Err(e) => {
                    eprintln!("mim-setup: cannot write the completion script: {e}");
                    EXIT_UNUSABLE
                }
            }
        }
        Some(Command::Man) => match crate::completions::man(&mut std::io::stdout()) {
            Ok(()) => EXIT_OK,
            Err(e) => {
                eprintln!("mim-setup: cannot write the man page: {e}");
                EXIT_UNUSABLE
            }
        },
        Some(Command::Schema) => {
            let schema = crate::schema::profile_schema(screens);
            match serde_json::to_string_pretty(&schema) {
                Ok(text) => {
                    println!("{text}");
                    EXIT_OK
                }
                Err(e) => {
                    eprintln!("mim-setup: cannot write the schema: {e}");
                    EXIT_UNUSABLE
                }
            }
        }
        None => crate::tui::run(screens, &cli.wizard),
    }
}

fn load(screens: &Screens, file: &std::path::Path) -> Result<profile::Loaded, i32> {
    profile::load_file(file, screens, false).map_err(|e: LoadErrors| {
        eprintln!("{e}");
        EXIT_UNUSABLE
    })
}

fn validate_cmd(screens: &Screens, file: &std::path::Path, json: bool) -> i32 {
    let loaded = match profile::load_file(file, screens, false) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            if json {
                // Machine readers get the located errors too, on standard output.
                println!(
                    "{}",
                    validate::errors_to_json(&file.display().to_string(), &e)
                );
            }
            return EXIT_UNUSABLE;
        }
    };
    let report = validate::check_profile(screens, &loaded.profile);
    let name = file.display().to_string();
    if json {
        println!("{}", validate::to_json(&name, &loaded, &report));
    } else {
        print!("{}", validate::to_text(&name, &loaded, &report));
    }
    if report.ok() {
        EXIT_OK
    } else {
        EXIT_BLOCKING
    }
}

fn plan_cmd(
    screens: &Screens,
    file: &std::path::Path,
    output: Option<PathBuf>,
    json: bool,
    live: Option<crate::check::cli::LiveArgs>,
) -> i32 {
    let loaded = match load(screens, file) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let plan = match plan::build(screens, &loaded, &file.display().to_string()) {
        Ok(mut p) => {
            if let Some(live) = live {
                match crate::check::cli::facts_for_plan(screens, &loaded.profile, &live) {
                    Ok(facts) => p.facts = facts,
                    Err(code) => return code,
                }
            }
            p
        }
        Err(PlanError::Blocked(_) | PlanError::Unacknowledged(_)) => {
            let report = validate::check_profile(screens, &loaded.profile);
            eprint!(
                "{}",
                validate::to_text(&file.display().to_string(), &loaded, &report)
            );
            eprintln!("mim-setup: no plan written: fix the findings above first.");
            return EXIT_BLOCKING;
        }
        Err(e) => {
            eprintln!("mim-setup: no plan written: {e}");
            return EXIT_UNUSABLE;
        }
    };
    let text = if json {
        plan.to_json() + "\n"
    } else {
        plan.to_toml()
    };
    match output {
        None => {
            print!("{text}");
            EXIT_OK
        }
        Some(out) => match crate::atomic_file::write(&out, text.as_bytes()) {
            Ok(()) => {
                eprintln!("mim-setup: plan written to {}", out.display());
                EXIT_OK
            }
            Err(e) => {
                eprintln!("mim-setup: cannot write the plan to {}: {e}", out.display());
                EXIT_UNUSABLE
            }
        },
    }
}

fn export_cmd(
    plan: &std::path::Path,
    format: crate::export::Format,
    output: Option<&std::path::Path>,
) -> i32 {
    let files = match crate::export::export_file(plan, format) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("mim-setup: nothing exported: {e}");
            return EXIT_UNUSABLE;
        }
    };
    match output {
        None => {
            print!("{}", crate::export::to_stdout(&files));
            EXIT_OK
        }
        Some(out) => match crate::export::write(&files, out) {
            Ok(paths) => {
                for p in paths {
                    eprintln!("mim-setup: written {}", p.display());
                }
                EXIT_OK
            }
            Err(e) => {
                eprintln!("mim-setup: {e}");
                EXIT_UNUSABLE
            }
        },
    }
}
