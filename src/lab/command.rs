//! `mim-setup demo`: the options (clap), the wizard on the demo, and the headless runs.
//!
//! - `[SCENARIO] [--autoplay [SPEED]] [--record FILE.cast]`: the wizard on the scenario's
//!   shipped profile, checking live against the demo servers (F6 narration, F7 faults);
//! - `--faults`: the catalogue, one fault per line (name, description);
//! - `--check [SCENARIO] [--fault NAME]... [--json] [--only AREA]`: the one `check` path
//!   (offline rules, then `check::run_blocking`) against the demo environment; exit 0 when
//!   nothing blocks, 1 with each fault's own finding;
//! - `--serve [SCENARIO]`: the environment until Ctrl-C, with the address book and the
//!   command line with which `mim-setup check`, in another terminal, reaches it.
use super::env::{Environment, Scenario, BIND_PASSWORD_VAR, SQL_LOGIN, SQL_PASSWORD_VAR};
use super::faults::{self, Entry};
use crate::check::Area;
use crate::exit::ExitCode;
use crate::screens::Screens;
use std::collections::BTreeSet;

#[derive(Debug, Clone, clap::Args)]
#[command(
    after_help = "Scenarios: sync (the default), service-portal, aadp-a ... aadp-i (seed 003's options).\nExit codes of --check: 0 nothing blocks; 1 blocking findings (each fault's own); 2 unusable input; 3 nothing was checked."
)]
pub struct DemoArgs {
    /// The walkthrough: sync (the default), service-portal, aadp-a ... aadp-i.
    pub scenario: Option<String>,
    /// List the faults, one per line: name, description.
    #[arg(long, conflicts_with_all = ["check", "serve"])]
    pub faults: bool,
    /// Run `check` against the demo environment and exit.
    #[arg(long, conflicts_with = "serve")]
    pub check: bool,
    /// Keep the demo environment up until Ctrl-C, for `mim-setup check` in another terminal.
    #[arg(long)]
    pub serve: bool,
    /// Run `mim-setup doctor` against the demo's SQL Server after setup (the Sync database
    /// installed): its SQL step read live; the `doctor:` faults show there.
    #[arg(long, conflicts_with_all = ["check", "serve", "faults"])]
    pub doctor: bool,
    /// Start with this fault on (repeat for more); `--faults` lists them.
    #[arg(long = "fault", value_name = "NAME")]
    pub fault: Vec<String>,
    /// --check: print the results as JSON.
    #[arg(long)]
    pub json: bool,
    /// --check: only these areas (repeat, or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Area>,
    /// --check: time limit of each check, in seconds.
    #[arg(long, value_name = "S", default_value = "5")]
    pub timeout: f64,
    /// The wizard: play the walkthrough (SPEED times the readable pace, default 1); Space
    /// pauses, Ctrl-N moves on, any other key takes over.
    #[arg(long, value_name = "SPEED", num_args = 0..=1, default_missing_value = "1", conflicts_with_all = ["check", "serve", "faults"])]
    pub autoplay: Option<f64>,
    /// The wizard: record the session as an asciicast v2 file (`asciinema play FILE`).
    #[arg(long, value_name = "FILE.cast", conflicts_with_all = ["check", "serve", "faults"])]
    pub record: Option<std::path::PathBuf>,
    /// The wizard: ASCII borders and no colour (also: NO_COLOR).
    #[arg(long)]
    pub ascii: bool,
    /// The wizard: folder for the profile and the install plan its finish writes.
    #[arg(long, default_value = "mim-setup-output")]
    pub out: std::path::PathBuf,
}

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// Unusable options (a scenario, a fault, a timeout).
    #[error("{0}")]
    Options(String),
    /// The environment could not start.
    #[error("the demo environment cannot start: {0}")]
    Start(String),
    #[error("cannot run the checks: {0}")]
    Check(std::io::Error),
    #[error("{0}")]
    Wizard(crate::tui::WizardError),
}

impl DemoError {
    pub fn exit_code(&self) -> ExitCode {
        ExitCode::Unusable
    }
}

/// The scenario and the faults the options name: a scenario not given is the faults' own
/// (when they share one), else sync.
pub fn chosen(args: &DemoArgs) -> Result<(Scenario, Vec<&'static Entry>), DemoError> {
    let entries = args
        .fault
        .iter()
        .map(|n| faults::find(n))
        .collect::<Result<Vec<_>, _>>()
        .map_err(DemoError::Options)?;
    let scenario = match &args.scenario {
        Some(s) => Scenario::parse(s).map_err(DemoError::Options)?,
        None => {
            let own: BTreeSet<Scenario> = entries.iter().map(|e| e.scenario).collect();
            match own.len() {
                0 => Scenario::Sync,
                1 => own.into_iter().next().unwrap_or(Scenario::Sync),
                _ => return Err(DemoError::Options(format!(
                    "these faults show in different scenarios ({}): name one scenario and only its faults",
                    entries.iter().map(|e| format!("{} in {}", e.name, e.scenario.name())).collect::<Vec<_>>().join(", ")
                ))),
            }
        }
    };
    for e in &entries {
        if e.scenario != scenario {
            return Err(DemoError::Options(format!(
                "--fault {}: its finding shows in the {} scenario, not {}: run `mim-setup demo --check {} --fault {}`",
                e.name,
                e.scenario.name(),
                scenario.name(),
                e.scenario.name(),
                e.name
            )));
        }
    }
    Ok((scenario, entries))
}

pub fn run(screens: &'static Screens, args: &DemoArgs) -> Result<ExitCode, DemoError> {
    if args.faults {
        print!("{}", faults::listing());
        return Ok(ExitCode::Ok);
    }
    let timeout = crate::check::parse_timeout(args.timeout).map_err(DemoError::Options)?;
    let (scenario, entries) = chosen(args)?;
    if args.check {
        return check(
            screens,
            scenario,
            &entries,
            &args.only,
            (timeout, args.json),
        );
    }
    if args.serve {
        return serve(scenario, &entries);
    }
    if args.doctor {
        return doctor(scenario, &entries, (timeout, args.json), args.ascii);
    }
    wizard(screens, scenario, &entries, args)
}

/// `mim-setup doctor` with its SQL readings read live from the demo's SQL Server, the Sync
/// database installed (the same reader and checks as `doctor --profile`).
fn doctor(
    scenario: Scenario,
    entries: &[&Entry],
    (timeout, json): (std::time::Duration, bool),
    ascii: bool,
) -> Result<ExitCode, DemoError> {
    if !matches!(scenario, Scenario::Sync | Scenario::SyncGmsa) {
        return Err(DemoError::Options(format!(
            "--doctor: the {} scenario has no Synchronization Service; use sync or sync-gmsa",
            scenario.name()
        )));
    }
    let mut env = Environment::start(scenario, entries).map_err(DemoError::Start)?;
    env.installed();
    let only: BTreeSet<Area> = [Area::Sql, Area::Ad].into_iter().collect();
    let settings = crate::check::Settings {
        timeout,
        ..env.settings()
    };
    let what = format!("the demo's SQL Server ({})", scenario.profile_file());
    let doctor_err = |e: crate::doctor::command::DoctorError| DemoError::Options(e.to_string());
    use std::io::IsTerminal;
    if !json && std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        // The doctor screen, its SQL step read live from the demo's SQL Server.
        let (profile, secrets) = (env.profile().clone(), env.secrets(&only));
        let read: crate::tui::doctor::LiveRead = Box::new(move || {
            crate::doctor::command::read_all(&profile, settings, secrets, &what)
                .map_err(|e| e.to_string())
        });
        let server = env
            .profile()
            .answers
            .text(crate::screens::fields::sql::SERVER)
            .to_string();
        return crate::doctor::command::show(crate::tui::doctor::DoctorStart {
            collection: crate::doctor::inputs::Collection::default(),
            options: crate::doctor::Options::default(),
            from: format!("the demo's SQL Server {server} (live)"),
            live: Some(read),
            ascii,
        })
        .map_err(doctor_err);
    }
    let live = crate::doctor::command::read_all(env.profile(), settings, env.secrets(&only), &what)
        .map_err(doctor_err)?;
    let report = crate::doctor::run_with(None, Some(live), &crate::doctor::Options::default())
        .map_err(|e| DemoError::Options(e.to_string()))?;
    if !json && !entries.is_empty() {
        println!(
            "faults on: {}",
            entries
                .iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    crate::doctor::command::print(&report, json).map_err(doctor_err)
}

/// The wizard on the scenario's profile, its live checks against the demo servers.
fn wizard(
    screens: &'static Screens,
    scenario: Scenario,
    entries: &[&Entry],
    args: &DemoArgs,
) -> Result<ExitCode, DemoError> {
    if let Some(speed) = args.autoplay {
        if !(speed.is_finite() && speed > 0.0 && speed <= 1000.0) {
            return Err(DemoError::Options(format!(
                "--autoplay {speed}: give a speed above 0 and at most 1000 (1 is the readable pace, 2 twice as fast)"
            )));
        }
    }
    if let Some(file) = &args.record {
        if file.is_dir() {
            return Err(DemoError::Options(format!(
                "--record {}: is a folder; give a file name such as demo.cast",
                file.display()
            )));
        }
    }
    let env = Environment::start(scenario, entries).map_err(DemoError::Start)?;
    let options = crate::tui::Options {
        ascii: args.ascii,
        out: args.out.clone(),
        demo: Some(std::rc::Rc::new(crate::tui::DemoStart {
            env,
            autoplay: args.autoplay,
            record: args.record.clone(),
        })),
        ..Default::default()
    };
    crate::tui::run(screens, &options).map_err(DemoError::Wizard)
}

fn check(
    screens: &Screens,
    scenario: Scenario,
    entries: &[&Entry],
    only: &[Area],
    (timeout, json): (std::time::Duration, bool),
) -> Result<ExitCode, DemoError> {
    let env = Environment::start(scenario, entries).map_err(DemoError::Start)?;
    let only: BTreeSet<Area> = only.iter().copied().collect();
    let settings = crate::check::Settings {
        timeout,
        only: only.clone(),
        ..env.settings()
    };
    let profile = env.profile();
    let file = format!("demo {} ({})", scenario.name(), scenario.profile_file());
    let rules = crate::validate::check_profile(screens, profile);
    let report = crate::check::run_blocking(profile, settings, env.secrets(&only))
        .map_err(DemoError::Check)?;
    let overridden = vec![
        "checks.sql_auth = sql (the demo's SQL login instead of Windows authentication)"
            .to_string(),
    ];
    if json {
        println!(
            "{}",
            crate::check::to_json(&file, &rules, &report, !report.offline, &overridden)
        );
    } else {
        if !entries.is_empty() {
            println!(
                "faults on: {}",
                entries
                    .iter()
                    .map(|e| e.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        print!("{}", crate::check::to_text(&file, &report, &overridden));
    }
    Ok(crate::check::report::exit_code(&rules, &report))
}

fn serve(scenario: Scenario, entries: &[&Entry]) -> Result<ExitCode, DemoError> {
    let given = |var: &str| std::env::var(var).is_ok_and(|v| !v.is_empty());
    let own_password = given(SQL_PASSWORD_VAR) && given(BIND_PASSWORD_VAR);
    let env = Environment::start(scenario, entries).map_err(DemoError::Start)?;
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    ctrlc::set_handler(move || {
        let _ = tx.send(());
    })
    .map_err(|e| DemoError::Start(format!("cannot wait for Ctrl-C: {e}")))?;
    println!(
        "mim-setup demo: the {} scenario runs on 127.0.0.1 until Ctrl-C.",
        scenario.name()
    );
    for (what, addr) in env.servers() {
        println!("  {what:18} {addr}");
    }
    println!("address book (MIM_SETUP_ADDRESS_BOOK or --address-book):");
    for (host, port, addr) in env.address_book().entries() {
        println!("  {host}:{port}={addr}");
    }
    println!(
        "demo CA (--ca-file, deleted when the demo ends): {}",
        env.ca().1.display()
    );
    if !entries.is_empty() {
        println!(
            "faults on: {}",
            entries
                .iter()
                .map(|e| e.name)
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    println!("check it from another terminal, in the repository:");
    println!("  {}", env.check_command());
    println!("or the wizard (on its Live checks screen: SQL login {SQL_LOGIN}, password ${SQL_PASSWORD_VAR}; bind password ${BIND_PASSWORD_VAR}):");
    println!("  {}", env.wizard_command());
    if !own_password {
        println!("  (the SQL login's and the directory's passwords are this process's own: set {SQL_PASSWORD_VAR} and {BIND_PASSWORD_VAR} in both terminals before --serve for the checks to sign in)");
    }
    let _ = rx.recv();
    drop(env);
    Ok(ExitCode::Interrupted)
}
