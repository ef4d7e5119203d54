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
use std::io::Write;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// The collection folder to analyse: *.reg exports, file-versions.json,
    /// run-history*.xml, events*.xml (wevtutil qe /f:xml), sql.json, config/*.config.
    #[arg(long, value_name = "DIR", required_unless_present = "profile")]
    pub from: Option<PathBuf>,
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
    let live = match &args.profile {
        Some(p) => Some(live_sql(args, p)?),
        None => None,
    };
    let r = run_with(args.from.as_deref(), live, &o)?;
    print(&r, args.json)
}

/// The profile's SQL readings, read live.
fn live_sql(
    args: &DoctorArgs,
    file: &std::path::Path,
) -> Result<(SqlReadings, String), DoctorError> {
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
    let only = [crate::check::Area::Sql].into_iter().collect();
    let secrets = crate::check::Secrets::resolve(
        &profile.answers,
        &crate::check::needed(&profile.answers, &only),
        crate::secret::Ask::Terminal,
    );
    read_live(&profile, settings, secrets, &file.display().to_string())
}

/// The SQL readings of `profile`'s SQL Server and the Sync database it names (also the
/// demo's `--doctor`).
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
