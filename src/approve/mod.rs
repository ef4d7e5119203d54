//! Signed approvals of a plan: `mim-setup approve PLAN --key FILE | --agent`, and the gate
//! `apply --allowed-signers FILE [--require-approvals N]` checks.
//!
//! ```text
//!   approve: plan --plan::read (integrity)--> Approval (plan hash, verdict, reviewer,
//!            signed_at, expires_at) --TOML text--> PLAN.approval.NAME.toml
//!            --SSHSIG over those bytes, namespace mim-setup-plan--> PLAN.approval.NAME.toml.sig
//!   apply:   every PLAN.approval.*.toml beside the plan --verify.rs: signature, allowed
//!            signer (allowed.rs), reviewer among its principals, plan hash, expiry-->
//!            accepted | rejected with its reason; N distinct signers or refuse
//! ```
//!
//! The approval file is exactly the message `ssh-keygen -Y sign -n mim-setup-plan` signs and
//! `ssh-keygen -Y verify` checks: OpenSSH's tools and ours accept each other's signatures.
//! The reviewer must be a principal of the signer's allowed_signers line, so that a key
//! cannot approve in another reviewer's name.
pub mod agent;
pub mod allowed;
mod args;
mod sign;
pub mod time;
pub mod verify;

pub use args::ApproveArgs;
pub use sign::command;

use serde::{Deserialize, Serialize};

/// The SSHSIG namespace of plan approvals.
pub const NAMESPACE: &str = "mim-setup-plan";
/// The `format` of the approval message this version writes and reads.
pub const FORMAT: &str = "mim-setup-approval/1";
/// The environment variable that stands for `--allowed-signers`.
pub const ALLOWED_SIGNERS_ENV: &str = "MIM_SETUP_ALLOWED_SIGNERS";

/// What a reviewer decided. Only `approved` lets a plan run; a valid `rejected` from an
/// allowed signer stops it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Approved,
    Rejected,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Approved => "approved",
            Verdict::Rejected => "rejected",
        }
    }
}

/// The signed message: what was reviewed (the plan's integrity hash) and the review's
/// verdict, reviewer, time and expiry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    pub format: String,
    /// The plan's `[integrity]` hash: the approval holds for this content only.
    pub plan_sha256: String,
    /// The plan's file name when it was approved (shown; the hash is what binds).
    pub plan_file: String,
    pub verdict: Verdict,
    /// Who reviewed: a principal of the signer's allowed_signers line.
    pub reviewer: String,
    /// UTC, RFC 3339.
    pub signed_at: String,
    pub expires_at: String,
}

impl Approval {
    /// The message text: the bytes that are signed and written.
    pub fn to_text(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# An approval of an install plan by mim-setup; its signature (SSHSIG, namespace\n\
             # {NAMESPACE}) is the .sig file beside it. Never edit: the signature covers every byte.\n{body}"
        )
    }

    pub fn from_text(text: &str) -> Result<Approval, String> {
        let a: Approval = toml::from_str(text).map_err(|e| e.message().to_string())?;
        if a.format != FORMAT {
            return Err(format!("its format is {:?}, not {FORMAT:?}", a.format));
        }
        Ok(a)
    }
}

/// The approval files of a plan: `PLAN.approval.NAME.toml`, the signature `... .toml.sig`.
pub fn approval_prefix(plan: &std::path::Path) -> String {
    format!(
        "{}.approval.",
        plan.file_name().unwrap_or_default().to_string_lossy()
    )
}

#[cfg(test)]
mod tests {
    use super::{Approval, Verdict, FORMAT};

    fn sample() -> Approval {
        Approval {
            format: FORMAT.into(),
            plan_sha256: "ab".repeat(32),
            plan_file: "p.plan.toml".into(),
            verdict: Verdict::Approved,
            reviewer: "alice@contoso.com".into(),
            signed_at: "2026-12-02T09:00:00Z".into(),
            expires_at: "2026-12-09T09:00:00Z".into(),
        }
    }

    #[test]
    fn the_message_reads_back_and_refuses_what_it_does_not_know() {
        let a = sample();
        assert_eq!(Approval::from_text(&a.to_text()), Ok(a.clone()));
        let extra = a.to_text() + "comment = \"x\"\n";
        assert!(Approval::from_text(&extra).is_err());
        let other = a.to_text().replace(FORMAT, "mim-setup-approval/9");
        assert!(Approval::from_text(&other)
            .expect_err("format")
            .contains("format"));
        let verdict = a.to_text().replace("\"approved\"", "\"maybe\"");
        assert!(Approval::from_text(&verdict).is_err());
        // A reviewer name that TOML must quote stays one value.
        let hostile = Approval {
            reviewer: "a\"b\nc = 1".into(),
            ..a
        };
        assert_eq!(Approval::from_text(&hostile.to_text()), Ok(hostile));
    }
}

#[cfg(test)]
mod verify_tests;
