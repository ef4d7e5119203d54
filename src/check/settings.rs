//! How the checks reach the environment (`Settings`), layered once: what a command line
//! gives (`Given`), then the `MIM_SETUP_*` environment variables, then the defaults. The
//! address book (`address_book.rs`) is layered the same way.
use super::{AddressBook, Area};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// How the checks reach the environment: from the command line or environment variables,
/// never from the plan.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Each probe's time limit (default 5 s).
    pub timeout: Duration,
    /// A DNS server to ask instead of the system's (`--dns`, `MIM_SETUP_DNS`).
    pub dns_server: Option<SocketAddr>,
    /// More trusted CAs, PEM (`--ca-file`, `MIM_SETUP_CA_FILE`).
    pub ca_file: Option<PathBuf>,
    /// The OAuth authority base instead of the cloud instance's (`MIM_SETUP_OAUTH_AUTHORITY`).
    pub oauth_authority: Option<String>,
    /// The Exchange Online EWS URL instead of the cloud instance's (`MIM_SETUP_EWS_URL`).
    pub ews_url: Option<String>,
    /// Where hosts and ports are reached before DNS is asked (`--address-book`,
    /// `MIM_SETUP_ADDRESS_BOOK`); empty: DNS alone.
    pub address_book: AddressBook,
    /// Skip every live check.
    pub offline: bool,
    /// Only these areas (empty: all).
    pub only: BTreeSet<Area>,
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

impl Default for Settings {
    fn default() -> Self {
        Settings {
            timeout: DEFAULT_TIMEOUT,
            dns_server: None,
            ca_file: None,
            oauth_authority: None,
            ews_url: None,
            address_book: AddressBook::new(),
            offline: false,
            only: BTreeSet::new(),
        }
    }
}

/// The check settings a command line gives, before the environment and the defaults are
/// layered under them (`Settings::layered`): `check`, `plan --check` and `apply` pass these.
#[derive(Debug, Clone, Default)]
pub struct Given {
    /// `--timeout`, in seconds.
    pub timeout: Option<f64>,
    /// `--dns`.
    pub dns_server: Option<SocketAddr>,
    /// `--ca-file`.
    pub ca_file: Option<PathBuf>,
    /// `--address-book`: a file, or the entries themselves.
    pub address_book: Option<String>,
}

/// Checks a `--timeout` value: seconds, more than 0 and at most 600.
pub fn parse_timeout(secs: f64) -> Result<Duration, String> {
    if !(secs.is_finite() && secs > 0.0 && secs <= 600.0) {
        return Err(format!(
            "--timeout {secs}: give a number of seconds between 0 and 600"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

impl Settings {
    /// The one layering of check settings: what the command line gave, then the
    /// `MIM_SETUP_*` environment variables, then the defaults.
    pub fn layered(given: &Given) -> Result<Settings, String> {
        let timeout = match given.timeout {
            Some(t) => parse_timeout(t)?,
            None => DEFAULT_TIMEOUT,
        };
        let address_book = match &given.address_book {
            Some(v) => AddressBook::from_arg(v, "--address-book")?,
            None => AddressBook::new(),
        };
        Settings {
            timeout,
            dns_server: given.dns_server,
            ca_file: given.ca_file.clone(),
            address_book,
            ..Settings::default()
        }
        .with_env()
    }

    /// Reads the `MIM_SETUP_*` environment variables for what the command line left unset.
    pub fn with_env(mut self) -> Result<Settings, String> {
        if self.dns_server.is_none() {
            if let Ok(v) = std::env::var("MIM_SETUP_DNS") {
                self.dns_server = Some(parse_dns(&v)?);
            }
        }
        if self.ca_file.is_none() {
            self.ca_file = std::env::var_os("MIM_SETUP_CA_FILE").map(PathBuf::from);
        }
        if self.oauth_authority.is_none() {
            self.oauth_authority = std::env::var("MIM_SETUP_OAUTH_AUTHORITY").ok();
        }
        if self.ews_url.is_none() {
            self.ews_url = std::env::var("MIM_SETUP_EWS_URL").ok();
        }
        if self.address_book.is_empty() {
            if let Ok(v) = std::env::var("MIM_SETUP_ADDRESS_BOOK") {
                if !v.trim().is_empty() {
                    self.address_book = AddressBook::from_arg(&v, "MIM_SETUP_ADDRESS_BOOK")?;
                }
            }
        }
        Ok(self)
    }

    pub fn wants(&self, area: Area) -> bool {
        self.only.is_empty() || self.only.contains(&area)
    }
}

/// `127.0.0.2` or `127.0.0.2:53`.
pub fn parse_dns(v: &str) -> Result<SocketAddr, String> {
    v.parse::<SocketAddr>()
        .or_else(|_| v.parse::<std::net::IpAddr>().map(|ip| SocketAddr::new(ip, 53)))
        .map_err(|_| format!("`{v}` is not a DNS server address: give an IP address, optionally with a port (127.0.0.2 or 127.0.0.2:53)"))
}
