//! The approval gate of `apply`: with an allowed_signers list (`--allowed-signers FILE` or
//! `MIM_SETUP_ALLOWED_SIGNERS`), the plan runs only with `--require-approvals N` (default 1)
//! valid, unexpired approvals of this very plan from distinct allowed signers, and no valid
//! rejection. Each approval found is shown, accepted or with the reason it is rejected; the
//! accepted ones go to the journal.
use super::{Progress, Stop};
use crate::approve::{allowed, time, verify, ALLOWED_SIGNERS_ENV};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// What `apply` requires of approvals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    pub allowed_signers: PathBuf,
    /// Distinct signers needed, at least 1.
    pub required: usize,
}

/// The gate from the options, else from `MIM_SETUP_ALLOWED_SIGNERS`; none when neither is
/// set. `--require-approvals` without a list of signers is an error.
pub fn gate(
    allowed_signers: Option<PathBuf>,
    required: Option<usize>,
) -> Result<Option<Gate>, String> {
    let file = allowed_signers.or_else(|| {
        std::env::var_os(ALLOWED_SIGNERS_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    match (file, required) {
        (_, Some(0)) => Err("--require-approvals 0 asks for nothing\n  fix: give at least 1, or leave out --allowed-signers and --require-approvals to run without approvals".into()),
        (None, Some(n)) => Err(format!("--require-approvals {n} needs the list of signers whose approvals count\n  fix: add --allowed-signers FILE (OpenSSH's allowed_signers format), or set {ALLOWED_SIGNERS_ENV}")),
        (None, None) => Ok(None),
        (Some(f), n) => Ok(Some(Gate { allowed_signers: f, required: n.unwrap_or(1) })),
    }
}

/// Checks the approvals beside `plan` (whose integrity hash is `hash`); returns what the
/// journal records of the accepted ones.
pub fn check(
    gate: &Gate,
    plan: &Path,
    hash: &str,
    out: &mut dyn Progress,
) -> Result<Vec<Value>, Stop> {
    let signers = allowed::read(&gate.allowed_signers).map_err(|e| {
        Stop::unusable(
            format!(
                "the allowed signers {}",
                e.to_string().split("\n  fix: ").next().unwrap_or_default()
            ),
            &e.fix,
        )
    })?;
    let found = verify::check_all(plan, hash, &signers, time::now()).map_err(|e| {
        Stop::unusable(
            format!("cannot look for the plan's approvals: {e}"),
            "the plan's folder must be readable",
        )
    })?;
    let mut lines = vec![format!(
        "approvals of {} (allowed signers {}, {} required):",
        plan.display(),
        gate.allowed_signers.display(),
        gate.required
    )];
    if found.is_empty() {
        lines.push("  none found".into());
    }
    for f in &found {
        let name = f.file.file_name().unwrap_or_default().to_string_lossy();
        lines.push(match &f.outcome {
            Ok(a) => format!(
                "  {}: {} by {} (key {}, allowed signers line {}), signed {}, valid until {}",
                name,
                a.verdict.as_str(),
                a.reviewer,
                a.key,
                a.line,
                a.signed_at,
                a.expires_at
            ),
            Err(why) => format!("  {name}: REJECTED, {why}"),
        });
    }
    out.note(&lines.join("\n"));
    let rejected = verify::rejections(&found);
    if let Some(r) = rejected.first() {
        return Err(Stop::failed(
            format!(
                "{} rejected this plan (signed {}): it must not run",
                r.reviewer, r.signed_at
            ),
            "resolve the review's objections, make the plan again and have it reviewed again",
        ));
    }
    let counted = verify::counted(&found);
    if counted.len() < gate.required {
        let why: Vec<String> = found
            .iter()
            .filter_map(|f| {
                f.outcome
                    .as_ref()
                    .err()
                    .map(|e| format!("\n  {}: {e}", f.file.display()))
            })
            .collect();
        return Err(Stop::failed(
            format!(
                "the plan has {} valid approval(s) from distinct allowed signers, {} required{}",
                counted.len(),
                gate.required,
                why.concat()
            ),
            &format!(
                "have the plan reviewed and approved (`mim-setup approve {} --key FILE`) by signers listed in {}",
                plan.display(),
                gate.allowed_signers.display()
            ),
        ));
    }
    Ok(counted
        .iter()
        .map(|a| {
            json!({
                "reviewer": a.reviewer,
                "verdict": a.verdict.as_str(),
                "key": a.key,
                "signed_at": a.signed_at,
                "expires_at": a.expires_at,
            })
        })
        .collect())
}
