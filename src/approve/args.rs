//! The options of `mim-setup approve`, as clap reads them; `sign.rs` runs them.
use super::Verdict;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("signer").required(true).multiple(true).args(["key", "agent"])))]
pub struct ApproveArgs {
    /// The plan file (as `plan` wrote it; its integrity hash is what is signed).
    pub plan: PathBuf,
    /// An OpenSSH private key (ed25519 or RSA); with --agent, the public key (.pub) of the
    /// agent's key to use.
    #[arg(long, value_name = "FILE")]
    pub key: Option<PathBuf>,
    /// Sign with the SSH agent (SSH_AUTH_SOCK; on Windows the OpenSSH agent's pipe).
    #[arg(long)]
    pub agent: bool,
    /// Who reviews: a principal of your key's line in the allowed_signers file (default: the
    /// key's comment).
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// The review's verdict.
    #[arg(long, value_enum, default_value = "approved")]
    pub verdict: Verdict,
    /// How long the approval holds: 90m, 12h, 7d, 2w.
    #[arg(long, value_name = "LENGTH", default_value = "7d")]
    pub valid_for: String,
    /// The environment variable holding the key's passphrase (else it is asked for).
    #[arg(long, value_name = "NAME")]
    pub passphrase_env: Option<String>,
}
