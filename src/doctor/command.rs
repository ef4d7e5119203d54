//! `mim-setup doctor [--from DIR] [--profile PROFILE] [--since DATE] [--ma NAME] [--json]`:
//! the arguments and the headless run. With `--profile`, the SQL readings are read live from
//! the profile's SQL Server (the install checks' connection and `[checks]` login; `--set`,
//! `--timeout`, `--dns`, `--ca-file` and `--address-book` as for `check`). Prints the report
//! (text or JSON) and gives its exit code: 0 nothing needs action, 1 findings that need
//! action; unusable input is a `DoctorError` (exit 2).
use super::inputs::InputError;
use super::inputs::SqlReadings;
use super::{parse_since, report, run_with, Options};
use crate::exit::ExitCode;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct DoctorArgs {
    /// The collection folder to analyse: *.reg exports, file-versions.json,
    /// run-history*.xml, events*.xml (wevtutil qe /f:xml), sql.json, config/*.config.
    /// Without --from and --profile, on the Sync server (Windows), the doctor reads the
    /// server itself: what --collect would write, into a temporary folder.
    #[arg(long, value_name = "DIR")]
    pub from: Option<PathBuf>,
    /// Write the inputs as a collection folder for `--from` (a new or empty DIR): on the Sync
    /// server the registry export, file versions, run history (WMI), events (wevtutil) and
    /// .config files; the SQL readings with --profile. DIR/collect.json lists each part,
    /// written or why not. --since and --ma narrow the run history and the events.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["from", "json"])]
    pub collect: Option<PathBuf>,
    /// Read the SQL readings live from this profile's SQL Server (Synchronization Service
    /// profile: sql.server and sql.database; the login of its [checks] screen).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<PathBuf>,
    /// --profile: override an answer for this run only, as `check --set` does.
    #[arg(long = "set", value_name = "FIELD=VALUE", requires = "profile")]
    pub set: Vec<String>,
    /// --profile: time limit of each SQL step, in seconds.
    #[arg(long, value_name = "S", default_value = "5")]
    pub timeout: f64,
    /// --profile: a DNS server to ask instead of this computer's (also MIM_SETUP_DNS).
    #[arg(long, value_name = "ADDR", value_parser = crate::check::parse_dns, requires = "profile")]
    pub dns: Option<std::net::SocketAddr>,
    /// --profile: more trusted CA certificates, PEM (also MIM_SETUP_CA_FILE).
    #[arg(long, value_name = "FILE", requires = "profile")]
    pub ca_file: Option<PathBuf>,
    /// --profile: where hosts are reached before DNS is asked (also MIM_SETUP_ADDRESS_BOOK).
    #[arg(long, value_name = "FILE|ENTRIES", requires = "profile")]
    pub address_book: Option<String>,
    /// Only runs that started at or after this UTC time: YYYY-MM-DD[ HH:MM[:SS]].
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only the runs of this management agent.
    #[arg(long, value_name = "NAME")]
    pub ma: Option<String>,
    /// Print the report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Print the text report even on a terminal (where the doctor screen is shown).
    #[arg(long, conflicts_with = "json")]
    pub text: bool,
    /// The doctor screen in ASCII and without colour.
    #[arg(long)]
    pub ascii: bool,
    /// Write the update plan of a Sync Service behind the newest build of its line (the
    /// install plans' format, for `apply`): needs --from (the installed build and folder)
    /// and --profile (the service account and the key backup file); no SQL is read.
    #[arg(long, requires_all = ["from", "profile"], conflicts_with_all = ["json", "text"])]
    pub plan: bool,
    /// --plan: the plan file (else standard output).
    #[arg(short = 'o', long = "output", value_name = "FILE", requires = "plan")]
    pub output: Option<PathBuf>,
    /// --plan: the hotfix .msp (its path on the Sync server, readable here): its SHA-256 is
    /// checked before msiexec runs it. Without it, the plan names a place for the file and
    /// stops there until it is saved (the file name of Microsoft's download is not confirmed).
    #[arg(long, value_name = "FILE", requires = "plan")]
    pub hotfix: Option<PathBuf>,
}

#[derive(Debug, thiserror::Error)]
pub enum DoctorError {
    #[error("mim-setup doctor: {0}")]
    Input(#[from] InputError),
    #[error("mim-setup doctor: {0}")]
    Since(String),
    #[error("mim-setup doctor: cannot write the report: {0}")]
    Write(std::io::Error),
    /// The profile, its overrides, the settings or the live SQL readings.
    #[error("mim-setup doctor: {0}")]
    Sql(String),
    #[error("mim-setup doctor: the terminal: {0}")]
    Terminal(std::io::Error),
    /// `--plan`: no plan could be made or written.
    #[error("mim-setup doctor --plan: {0}")]
    Plan(String),
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
    if let Some(dir) = &args.collect {
        return collect(args, dir, &o);
    }
    if args.plan {
        return super::update_plan::command(args);
    }
    // On the Sync server without --from or --profile: the server itself, read as --collect
    // reads it (one model of inputs), into a folder that is gone afterwards.
    let _server;
    let mut with_server;
    let args = if args.from.is_none() && args.profile.is_none() {
        let (tmp, dir) = read_this_server(&o)?;
        _server = tmp;
        with_server = args.clone();
        with_server.from = Some(dir);
        &with_server
    } else {
        args
    };
    if !args.json && !args.text && std::io::stdout().is_terminal() && std::io::stdin().is_terminal()
    {
        return screen(args, o);
    }
    let live = match &args.profile {
        Some(p) => {
            let (profile, settings, secrets) = live_sql(args, p)?;
            Some(read_all(
                &profile,
                settings,
                secrets,
                &p.display().to_string(),
            )?)
        }
        None => None,
    };
    let r = run_with(args.from.as_deref(), live, &o)?;
    print(&r, args.json)
}

/// What this computer would collect, read into a temporary folder: on the Sync server.
fn read_this_server(o: &Options) -> Result<(tempfile::TempDir, PathBuf), DoctorError> {
    if !cfg!(windows) {
        return Err(DoctorError::Sql(
            "give --from DIR (a collection: `mim-setup doctor --collect DIR` on the Sync server writes one) or --profile PROFILE (the SQL and directory questions, read live); without them the doctor reads the Sync server itself, which it can only do on the Sync server (Windows)".into(),
        ));
    }
    let tmp = tempfile::tempdir().map_err(|e| {
        DoctorError::Sql(format!(
            "cannot make a temporary folder to read this server into: {e}"
        ))
    })?;
    let dir = tmp.path().join("this-server");
    let target = super::collect::Target::check(&dir)?;
    super::collect::collect(&target, None, o)?;
    Ok((tmp, dir))
}

/// `--collect DIR`: DIR is checked first, then the profile (both exit 2); a SQL Server that
/// cannot be read is a part recorded as missing.
fn collect(args: &DoctorArgs, dir: &std::path::Path, o: &Options) -> Result<ExitCode, DoctorError> {
    let target = super::collect::Target::check(dir)?;
    let sql = match &args.profile {
        Some(p) => {
            let (profile, settings, secrets) = live_sql(args, p)?;
            Some(
                read_live(&profile, settings, secrets, &p.display().to_string()).map_err(
                    |e| match e {
                        DoctorError::Sql(s) => s,
                        e => e.to_string(),
                    },
                ),
            )
        }
        None => None,
    };
    super::collect::command(&target, sql, o)
}

/// The doctor screen: the collection is read and the profile's secrets asked for before
/// the terminal is taken; the SQL readings are read live on the screen.
fn screen(args: &DoctorArgs, options: Options) -> Result<ExitCode, DoctorError> {
    let collection = match &args.from {
        Some(d) => super::inputs::Collection::read(d)?,
        None => super::inputs::Collection::default(),
    };
    let mut from: Vec<String> = args.from.iter().map(|d| d.display().to_string()).collect();
    let live = match &args.profile {
        Some(p) => {
            let (profile, settings, secrets) = live_sql(args, p)?;
            let server = profile
                .answers
                .text(crate::screens::fields::sql::SERVER)
                .trim()
                .to_string();
            from.push(format!("SQL Server {server} (live)"));
            let what = p.display().to_string();
            let read: crate::tui::doctor::LiveRead = Box::new(move || {
                read_all(&profile, settings, secrets, &what).map_err(|e| e.to_string())
            });
            Some(read)
        }
        None => None,
    };
    show(crate::tui::doctor::DoctorStart {
        collection,
        options,
        from: from.join(" and "),
        live,
        ascii: args.ascii,
    })
}

/// Runs the doctor screen (also the demo's `--doctor` on a terminal).
pub fn show(start: crate::tui::doctor::DoctorStart) -> Result<ExitCode, DoctorError> {
    crate::tui::doctor::run(start).map_err(DoctorError::Terminal)
}

/// The profile, its settings and its secrets, for the SQL readings read live.
fn live_sql(
    args: &DoctorArgs,
    file: &std::path::Path,
) -> Result<
    (
        crate::profile::Profile,
        crate::check::Settings,
        crate::check::Secrets,
    ),
    DoctorError,
> {
    let screens = crate::screens::Screens::embedded()
        .map_err(|e| DoctorError::Sql(format!("the built-in screens: {e}")))?;
    let mut profile = crate::profile::load_file(file, screens, false)
        .map_err(|e| DoctorError::Sql(e.to_string()))?
        .profile;
    crate::check::command::apply_overrides(screens, &mut profile, &args.set)
        .map_err(DoctorError::Sql)?;
    let settings = crate::check::Settings::layered(&crate::check::Given {
        timeout: Some(args.timeout),
        dns_server: args.dns,
        ca_file: args.ca_file.clone(),
        address_book: args.address_book.clone(),
    })
    .map_err(DoctorError::Sql)?;
    // The SQL readings and step 5's directory questions (the bind password).
    let only = [crate::check::Area::Sql, crate::check::Area::Ad]
        .into_iter()
        .collect();
    let secrets = crate::check::Secrets::resolve(
        &profile.answers,
        &crate::check::needed(&profile.answers, &only),
        crate::secret::Ask::Terminal,
    );
    Ok((profile, settings, secrets))
}

/// Everything read live with a profile: the SQL readings, and the directory's answers to
/// step 5's questions (also the demo's `--doctor`).
pub fn read_all(
    profile: &crate::profile::Profile,
    settings: crate::check::Settings,
    secrets: crate::check::Secrets,
    what: &str,
) -> Result<super::Live, DoctorError> {
    let (sql, database) = read_live(profile, settings.clone(), secrets.clone(), what)?;
    let ad = super::inputs::ad_live::read(profile, settings, secrets)
        .map_err(|e| DoctorError::Sql(format!("cannot ask the directory of {what}: {e}")))?;
    Ok(super::Live {
        sql,
        database,
        ad: Some(ad),
    })
}

/// The SQL readings of `profile`'s SQL Server and the Sync database it names.
pub fn read_live(
    profile: &crate::profile::Profile,
    settings: crate::check::Settings,
    secrets: crate::check::Secrets,
    what: &str,
) -> Result<(SqlReadings, String), DoctorError> {
    if profile.component() != crate::screens::Component::Sync {
        return Err(DoctorError::Sql(format!(
            "{what}: a Service and Portal profile; give the Synchronization Service's profile (its SQL Server holds the Sync database)"
        )));
    }
    let database = profile
        .answers
        .text(crate::screens::fields::sql::DATABASE)
        .trim()
        .to_string();
    let sql = super::inputs::sql_live::read(profile, settings, secrets)
        .map_err(|e| DoctorError::Sql(format!("cannot read the SQL readings of {what}: {e}")))?;
    Ok((sql, database))
}

/// Prints the report, text or JSON; its exit code.
pub fn print(r: &report::Report, json: bool) -> Result<ExitCode, DoctorError> {
    let text = if json {
        report::to_json(r) + "\n"
    } else {
        report::to_text(r)
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).map_err(DoctorError::Write)?;
    Ok(r.exit_code())
}
