//! The options of `mim-setup apply`, as clap reads them; `command.rs` runs them.
use std::net::SocketAddr;
use std::path::PathBuf;

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
    /// OpenSSH allowed_signers file: run only with valid approvals from these signers
    /// (also MIM_SETUP_ALLOWED_SIGNERS).
    #[arg(long, value_name = "FILE")]
    pub allowed_signers: Option<PathBuf>,
    /// How many distinct allowed signers must approve (default 1 with --allowed-signers).
    #[arg(long, value_name = "N")]
    pub require_approvals: Option<usize>,
    /// Run stand-in programs from DIR instead of the real ones (also: MIM_SETUP_RUNNER).
    #[arg(long, value_name = "DIR")]
    pub runner: Option<PathBuf>,
    /// The DNS server the drift checks ask, as for `plan --check` (also MIM_SETUP_DNS).
    #[arg(long, value_name = "ADDR", value_parser = crate::check::parse_dns)]
    pub dns: Option<SocketAddr>,
    /// Time limit of each drift check, in seconds, as for `plan --check`.
    #[arg(long, value_name = "S", default_value = "5")]
    pub timeout: f64,
    /// More trusted CA certificates, PEM, as for `plan --check` (also MIM_SETUP_CA_FILE).
    #[arg(long, value_name = "FILE")]
    pub ca_file: Option<PathBuf>,
    /// Where hosts are reached before DNS is asked, as for `plan --check` (also
    /// MIM_SETUP_ADDRESS_BOOK).
    #[arg(long, value_name = "FILE|ENTRIES")]
    pub address_book: Option<String>,
}
