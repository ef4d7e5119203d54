//! The options of `mim-setup check` and `plan --check`, as clap reads them; `command.rs`
//! runs them, `Settings::layered` turns them into check settings.
use super::{Area, Given, Settings};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit codes: 0 nothing blocks; 1 blocking findings: errors, or warnings (offline rules or live checks) the profile has not acknowledged as check@field; 2 unusable input; 3 nothing was checked (--offline, or every live check skipped)."
)]
pub struct CheckArgs {
    pub profile: PathBuf,
    /// Print the results as JSON.
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub live: LiveArgs,
}

/// How the live checks run: shared by `check` and `plan --check`.
#[derive(Debug, Clone, clap::Args)]
pub struct LiveArgs {
    /// Time limit of each check, in seconds.
    #[arg(long, value_name = "S", default_value = "5")]
    pub timeout: f64,
    /// Only these areas (repeat, or separate with commas).
    #[arg(long, value_enum, value_delimiter = ',')]
    pub only: Vec<Area>,
    /// Run no live check; say so.
    #[arg(long)]
    pub offline: bool,
    /// A DNS server to ask instead of this computer's (also MIM_SETUP_DNS).
    #[arg(long, value_name = "ADDR", value_parser = super::parse_dns)]
    pub dns: Option<SocketAddr>,
    /// More trusted CA certificates, PEM (also MIM_SETUP_CA_FILE).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Where hosts are reached before DNS is asked: a file, or entries
    /// HOST:PORT=IP:PORT,... (also MIM_SETUP_ADDRESS_BOOK).
    #[arg(long, value_name = "FILE|ENTRIES")]
    pub address_book: Option<String>,
    /// Override an answer for this run only: screen.field=value (a secret as a reference, as in
    /// a profile: '{ env = "NAME" }', '{ prompt = true }' or '{ keyring = "SERVICE/USER" }').
    #[arg(long = "set", value_name = "FIELD=VALUE")]
    pub set: Vec<String>,
}

impl LiveArgs {
    pub fn settings(&self) -> Result<Settings, String> {
        Ok(Settings {
            offline: self.offline,
            only: self.only.iter().copied().collect(),
            ..Settings::layered(&self.given())?
        })
    }

    /// What this command line gives for the settings `apply` layers the same way.
    pub fn given(&self) -> Given {
        Given {
            timeout: Some(self.timeout),
            dns_server: self.dns,
            ca_file: self.ca_file.clone(),
            address_book: self.address_book.clone(),
        }
    }
}
