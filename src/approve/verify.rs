//! Checking the approvals beside a plan against an allowed_signers list: each approval is
//! accepted or rejected with its reason, and the gate counts distinct accepted signers.
use super::allowed::Signer;
use super::time::{self, Unix};
use super::{approval_prefix, Approval, Verdict, NAMESPACE};
use ssh_key::{HashAlg, PublicKey, SshSig};
use std::fmt;
use std::path::{Path, PathBuf};

/// An approval that holds: who signed what, when, until when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accepted {
    pub reviewer: String,
    pub verdict: Verdict,
    /// `SHA256:...` of the signer's key.
    pub key: String,
    /// The allowed_signers line that allowed it.
    pub line: usize,
    pub signed_at: String,
    pub expires_at: String,
}

/// Why an approval does not count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// No signature, not an SSHSIG, another namespace, or a signature that does not match.
    BadSignature(String),
    /// The key is not in allowed_signers, or not for this reviewer, namespace or time.
    UnknownSigner(String),
    Expired {
        expires_at: String,
    },
    /// An approval of another version of the plan.
    OtherPlan {
        approved: String,
        now: String,
    },
    /// Signed, but not an approval this version can read.
    Unreadable(String),
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::BadSignature(why) => write!(f, "bad signature: {why}"),
            Rejection::UnknownSigner(why) => write!(f, "unknown signer: {why}"),
            Rejection::Expired { expires_at } => write!(f, "expired: the approval was valid until {expires_at}"),
            Rejection::OtherPlan { approved, now } => write!(
                f,
                "an approval of another version of the plan: the plan changed after it was approved (approved {approved}, this plan is {now})"
            ),
            Rejection::Unreadable(why) => write!(f, "not an approval this version can read: {why}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub file: PathBuf,
    pub outcome: Result<Accepted, Rejection>,
}

/// The approval files beside a plan, by name.
pub fn approval_files(plan: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = match plan.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let prefix = approval_prefix(plan);
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".toml"))
        })
        .collect();
    files.sort();
    Ok(files)
}

/// The signature file of an approval.
pub fn sig_path(approval: &Path) -> PathBuf {
    let mut name = approval.as_os_str().to_os_string();
    name.push(".sig");
    PathBuf::from(name)
}

pub fn fingerprint(key: &PublicKey) -> String {
    key.fingerprint(HashAlg::Sha256).to_string()
}

/// Checks one approval file: signature, signer, reviewer, plan, expiry, in that order.
pub fn check_one(
    file: &Path,
    plan_hash: &str,
    signers: &[Signer],
    now: Unix,
) -> Result<Accepted, Rejection> {
    let bad = Rejection::BadSignature;
    let message =
        std::fs::read(file).map_err(|e| Rejection::Unreadable(format!("cannot read it: {e}")))?;
    let sig_file = sig_path(file);
    let armored = std::fs::read(&sig_file)
        .map_err(|e| bad(format!("no signature {}: {e}", sig_file.display())))?;
    let sig = SshSig::from_pem(&armored).map_err(|e| {
        bad(format!(
            "{} is not an SSH signature (SSHSIG): {e}",
            sig_file.display()
        ))
    })?;
    if sig.namespace() != NAMESPACE {
        return Err(bad(format!(
            "it was signed for the namespace {:?}, not {NAMESPACE:?}",
            sig.namespace()
        )));
    }
    let key = PublicKey::from(sig.public_key().clone());
    key.verify(NAMESPACE, &message, &sig).map_err(|_| {
        bad(format!("the signature does not match the approval's content: {} was changed after it was signed, or the signature is of another file", file.display()))
    })?;
    let fp = fingerprint(&key);
    let lines: Vec<&Signer> = signers
        .iter()
        .filter(|s| !s.cert_authority && s.key.key_data() == key.key_data())
        .collect();
    if lines.is_empty() {
        return Err(Rejection::UnknownSigner(format!(
            "the key {fp} ({}) is not in the allowed signers",
            key.algorithm()
        )));
    }
    let text = String::from_utf8(message)
        .map_err(|_| Rejection::Unreadable("it is not UTF-8 text".into()))?;
    let a = Approval::from_text(&text).map_err(Rejection::Unreadable)?;
    let for_reviewer: Vec<&&Signer> = lines
        .iter()
        .filter(|s| s.allows_principal(&a.reviewer))
        .collect();
    let Some(line) = for_reviewer.first() else {
        let allowed: Vec<String> = lines
            .iter()
            .map(|s| format!("{} (line {})", s.principals, s.line))
            .collect();
        return Err(Rejection::UnknownSigner(format!(
            "the key {fp} is allowed for {}, but the approval names the reviewer {:?}",
            allowed.join(", "),
            a.reviewer
        )));
    };
    if !line.allows_namespace(NAMESPACE) {
        return Err(Rejection::UnknownSigner(format!(
            "the key {fp} may sign only the namespaces {:?} (allowed signers line {}), not {NAMESPACE:?}",
            line.namespaces.as_deref().unwrap_or(""),
            line.line
        )));
    }
    if let Some(after) = line.valid_after.filter(|t| now < *t) {
        return Err(Rejection::UnknownSigner(format!(
            "the key {fp} is allowed only from {} (allowed signers line {})",
            time::format(after),
            line.line
        )));
    }
    if let Some(before) = line.valid_before.filter(|t| now >= *t) {
        return Err(Rejection::UnknownSigner(format!(
            "the key {fp} was allowed only until {} (allowed signers line {})",
            time::format(before),
            line.line
        )));
    }
    if a.plan_sha256 != plan_hash {
        return Err(Rejection::OtherPlan {
            approved: a.plan_sha256,
            now: plan_hash.to_string(),
        });
    }
    let (Some(signed), Some(expires)) = (time::parse(&a.signed_at), time::parse(&a.expires_at))
    else {
        return Err(Rejection::Unreadable(format!(
            "signed_at {:?} or expires_at {:?} is not a UTC time such as 2026-12-02T09:30:00Z",
            a.signed_at, a.expires_at
        )));
    };
    if expires <= signed {
        return Err(Rejection::Unreadable(format!(
            "it expires ({}) before it was signed ({})",
            a.expires_at, a.signed_at
        )));
    }
    // A few minutes of clock difference between the reviewer's computer and this one.
    if signed > now + 300 {
        return Err(Rejection::Unreadable(format!(
            "it says it was signed at {}, later than now ({}): check both clocks",
            a.signed_at,
            time::format(now)
        )));
    }
    if now >= expires {
        return Err(Rejection::Expired {
            expires_at: a.expires_at,
        });
    }
    Ok(Accepted {
        reviewer: a.reviewer,
        verdict: a.verdict,
        key: fp,
        line: line.line,
        signed_at: a.signed_at,
        expires_at: a.expires_at,
    })
}

/// Every approval beside the plan, checked.
pub fn check_all(
    plan: &Path,
    plan_hash: &str,
    signers: &[Signer],
    now: Unix,
) -> Result<Vec<Found>, String> {
    Ok(approval_files(plan)?
        .into_iter()
        .map(|file| Found {
            outcome: check_one(&file, plan_hash, signers, now),
            file,
        })
        .collect())
}

/// The accepted approvals that count towards `--require-approvals`: approved, and each from
/// a key and a reviewer not counted before.
pub fn counted(found: &[Found]) -> Vec<&Accepted> {
    let mut out: Vec<&Accepted> = Vec::new();
    for a in found.iter().filter_map(|f| f.outcome.as_ref().ok()) {
        let distinct = !out
            .iter()
            .any(|c| c.key == a.key || c.reviewer == a.reviewer);
        if a.verdict == Verdict::Approved && distinct {
            out.push(a);
        }
    }
    out
}

/// A valid rejection from an allowed signer: the plan must not run.
pub fn rejections(found: &[Found]) -> Vec<&Accepted> {
    found
        .iter()
        .filter_map(|f| f.outcome.as_ref().ok())
        .filter(|a| a.verdict == Verdict::Rejected)
        .collect()
}
