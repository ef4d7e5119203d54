//! Live checks: each answer checked against the real environment (SQL Server, Active
//! Directory, mail, DNS and ports), with findings that say what is wrong, why it matters for
//! MIM, how to fix it, and what was seen.
//!
//! A check area builds `Probe`s from a profile: one async task per server where it can (one
//! SQL connection answers every SQL question), each producing `Outcome`s (one per named
//! check, with a state and evidence) and `Facts` (what was seen, recorded in plans so that
//! `apply` can refuse a plan whose environment changed). `engine` runs probes concurrently,
//! each under the run's timeout; `live` keeps them current while the wizard is typed into.
//!
//! `Settings::layered` is the one layering of how checks reach the environment: what a
//! command line gives (`Given`: `--timeout`, `--dns`, `--ca-file`), then the `MIM_SETUP_*`
//! environment variables, then the defaults. `check`, `plan --check` and `apply`'s drift
//! checks go through it, so a plan is checked again under the settings it was made with.
//!
//! Every connection a check makes asks `Ctx::booked` first: the address book (`--address-book`,
//! `MIM_SETUP_ADDRESS_BOOK`) sends a host and port to a socket address; without an entry the
//! host is resolved through DNS.
//!
//! ```text
//!   address_book.rs host:port -> socket address, before DNS (the one seam)
//!   engine.rs  running probes: timeouts, concurrency, reports
//!   network.rs DNS names, local ports, the SharePoint URL
//!   ports.rs   the local ports, on the target server only
//!   host.rs    which computer a check ran on (local ports are true on the target only)
//!   live.rs    executor of the wizard's check slots (the slots live in wizard::live)
//!   http.rs    verified HTTPS for the checks, and findings for failed requests
//!   secrets.rs which secrets a check needs (field paths; `crate::secret` resolves them)
//!   report.rs  text and JSON output of `mim-setup check`
//!   settings.rs how the checks reach the environment, layered (Settings, Given)
//!   args.rs    the clap options of `check` and `plan --check` (CheckArgs, LiveArgs)
//!   command.rs running them headless: `--set`, results or a `CheckError` for `crate::cli`
//! ```
pub mod ad;
mod address_book;
pub mod args;
pub mod command;
mod engine;
mod host;
mod http;
pub mod live;
mod no_answer;
pub use no_answer::{timeout_finding, timeout_finding_at, timeout_finding_url};
pub mod mail;
pub mod network;
mod ports;
pub mod report;
mod secrets;
mod settings;
pub mod sql;

pub use crate::secret::Secrets;
pub use address_book::AddressBook;
pub use engine::{collect_facts, probes_for, run, run_blocking, run_probes_blocking, Report};
pub use http::{ca_pems, chain, http_client, http_error_finding, tls_http_client, CaFileError};
pub use report::{to_json, to_text};
pub use secrets::needed;
pub use settings::{parse_dns, parse_timeout, Given, Settings, DEFAULT_TIMEOUT};

use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// What `--only` selects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    Sql,
    Ad,
    Mail,
    Net,
}

impl Area {
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Sql => "sql",
            Area::Ad => "ad",
            Area::Mail => "mail",
            Area::Net => "net",
        }
    }
}

/// The live state of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Pending,
    Ok,
    /// Info findings only; shown like ok.
    Info,
    Warning,
    Error,
    /// Not run, with the reason in `summary`. Never counted as passed.
    Skipped,
}

/// The result of one named check.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Stable id, e.g. `sql-version`, `ad-account`.
    pub id: String,
    pub area: Area,
    /// The screen that shows it in the wizard.
    pub screen: String,
    /// What was checked, e.g. "SQL Server version" or "Account contoso\MIMSync".
    pub title: String,
    pub state: State,
    /// One line: what was seen when all is well, or why it was skipped.
    pub summary: String,
    /// What the check saw: server version, DN, flags, certificate subject, ...
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
    pub elapsed_ms: u64,
}

impl Outcome {
    fn base(id: &str, area: Area, screen: &str, title: impl Into<String>) -> Outcome {
        Outcome {
            id: id.to_string(),
            area,
            screen: screen.to_string(),
            title: title.into(),
            state: State::Ok,
            summary: String::new(),
            evidence: Vec::new(),
            findings: Vec::new(),
            elapsed_ms: 0,
        }
    }

    /// A passed check, with what it saw.
    pub fn ok(
        id: &str,
        area: Area,
        screen: &str,
        title: impl Into<String>,
        summary: impl Into<String>,
    ) -> Outcome {
        let mut o = Outcome::base(id, area, screen, title);
        o.summary = summary.into();
        o
    }

    /// A check with findings; its state is the worst finding's.
    pub fn found(
        id: &str,
        area: Area,
        screen: &str,
        title: impl Into<String>,
        findings: Vec<Finding>,
    ) -> Outcome {
        let mut o = Outcome::base(id, area, screen, title);
        o.summary = findings
            .first()
            .map(|f| f.message.clone())
            .unwrap_or_default();
        o.findings = findings;
        o.state = o.worst();
        o
    }

    /// A check that did not run, and why. The summary holds the reason alone: whoever shows
    /// it says "not checked" once (a reason written as "not checked: ..." loses the prefix).
    pub fn skipped(
        id: &str,
        area: Area,
        screen: &str,
        title: impl Into<String>,
        reason: impl Into<String>,
    ) -> Outcome {
        let mut o = Outcome::base(id, area, screen, title);
        o.state = State::Skipped;
        o.summary = skip_reason(&reason.into());
        o
    }

    pub fn with_evidence(mut self, line: impl Into<String>) -> Outcome {
        self.evidence.push(line.into());
        self
    }

    /// Adds a finding and updates the state.
    pub fn push(&mut self, f: Finding) {
        if self.findings.is_empty() {
            self.summary = f.message.clone();
        }
        self.findings.push(f);
        self.state = self.worst();
    }

    fn worst(&self) -> State {
        match self.findings.iter().map(|f| f.severity).min() {
            Some(Severity::Error) => State::Error,
            Some(Severity::Warning) => State::Warning,
            Some(Severity::Info) => State::Info,
            None => State::Ok,
        }
    }

    /// A failed check: it has an error, acknowledgeable (no answer) or not; a chain of
    /// steps stops at it.
    pub fn blocks(&self) -> bool {
        self.findings.iter().any(|f| f.severity == Severity::Error)
    }
}

/// A skip reason without any leading "not checked:" (however often it is there).
pub fn skip_reason(reason: &str) -> String {
    let mut r = reason.trim();
    while let Some(rest) = r
        .get(..12)
        .filter(|p| p.eq_ignore_ascii_case("not checked:"))
        .map(|_| r[12..].trim_start())
    {
        r = rest;
    }
    r.to_string()
}

/// What the checks saw, by key (`sql.version`, `ad.account.MIMSync.dn`, `net.port.5725`).
pub type Facts = BTreeMap<String, String>;

/// What one probe produced.
#[derive(Debug, Clone, Default)]
pub struct ProbeOutput {
    pub outcomes: Vec<Outcome>,
    pub facts: Facts,
}

pub type ProbeFuture = Pin<Box<dyn Future<Output = ProbeOutput> + Send>>;
pub type ProbeFn = Box<dyn FnOnce(Arc<Ctx>) -> ProbeFuture + Send>;

/// One unit of live checking: usually one connection to one server.
pub struct Probe {
    /// Unique within a run: `sql`, `ad`, `net.dns.corpsql.contoso.com`.
    pub key: String,
    pub area: Area,
    /// The screen whose answers it checks; the wizard shows it there.
    pub screen: String,
    pub title: String,
    /// The answers it reads, as text: the wizard re-runs it when they change.
    pub inputs: String,
    /// Cheap enough to re-run before `apply` (drift detection).
    pub cheap: bool,
    pub run: ProbeFn,
}

impl Probe {
    pub fn new<F, Fut>(
        key: impl Into<String>,
        area: Area,
        screen: &str,
        title: &str,
        run: F,
    ) -> Probe
    where
        F: FnOnce(Arc<Ctx>) -> Fut + Send + 'static,
        Fut: Future<Output = ProbeOutput> + Send + 'static,
    {
        Probe {
            key: key.into(),
            area,
            screen: screen.to_string(),
            title: title.to_string(),
            inputs: String::new(),
            cheap: false,
            run: Box::new(move |ctx| Box::pin(run(ctx))),
        }
    }

    pub fn inputs(mut self, inputs: impl Into<String>) -> Probe {
        self.inputs = inputs.into();
        self
    }

    pub fn cheap(mut self) -> Probe {
        self.cheap = true;
        self
    }
}

/// What every probe gets: settings, the resolver, the resolved secrets.
pub struct Ctx {
    pub settings: Settings,
    pub resolver: hickory_resolver::TokioAsyncResolver,
    pub secrets: Secrets,
}

impl Ctx {
    pub fn new(settings: Settings, secrets: Secrets) -> Ctx {
        let resolver = network::resolver(&settings);
        Ctx {
            settings,
            resolver,
            secrets,
        }
    }

    /// Where the address book sends `host:port`, if it has an entry: every connection asks
    /// this before DNS.
    pub fn booked(&self, host: &str, port: u16) -> Option<std::net::SocketAddr> {
        self.settings.address_book.lookup(host, port)
    }

    /// Runs one network operation under the run's time limit.
    pub async fn within<T>(
        &self,
        fut: impl Future<Output = T>,
    ) -> Result<T, tokio::time::error::Elapsed> {
        tokio::time::timeout(self.settings.timeout, fut).await
    }
}
