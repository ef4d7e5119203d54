//! Reading a plan back for `apply`, and the two integrity checks: the plan's own hash (a plan
//! edited by hand is refused) and the hash of the profile it records (a plan applied against
//! another profile is refused).
//!
//! The hash covers the plan's canonical TOML text (`Plan::content_sha256`): the plan is read
//! (TOML or JSON, unknown keys refused), written again, and hashed. An edit that changes any
//! value changes the hash; a comment or whitespace does not. It guards against accidents and
//! hand edits, not against someone who recomputes the hash.
use super::Stop;
use crate::plan::{sha256_hex, Plan, PLAN_SCHEMA_VERSION};
use std::path::{Path, PathBuf};

/// Reads a plan file (TOML, or JSON by extension or first character) and checks its hash.
pub fn read_plan(path: &Path) -> Result<Plan, Stop> {
    let shown = path.display();
    let remake = format!(
        "make the plan again with `mim-setup plan PROFILE -o {shown}` and review it; never edit a plan by hand"
    );
    let text = std::fs::read_to_string(path).map_err(|e| {
        Stop::unusable(
            format!("cannot read the plan {shown}: {e}"),
            "check the path (a plan is what `mim-setup plan PROFILE -o FILE` writes)",
        )
    })?;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{');
    let parsed: Result<Plan, String> = if is_json {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        toml::from_str(&text).map_err(|e| e.to_string())
    };
    let plan = parsed.map_err(|e| {
        Stop::unusable(
            format!(
                "{shown} is not an install plan this version can read:\n  {}",
                e.trim().replace('\n', "\n  ")
            ),
            &remake,
        )
    })?;
    if plan.schema_version != PLAN_SCHEMA_VERSION {
        return Err(Stop::unusable(
            format!(
                "{shown}: plan schema_version {} is not the one this version reads ({PLAN_SCHEMA_VERSION})",
                plan.schema_version
            ),
            &remake,
        ));
    }
    let Some(integrity) = &plan.integrity else {
        return Err(Stop::unusable(
            format!(
                "{shown} has no [integrity] hash, so it cannot be told apart from an edited plan"
            ),
            &remake,
        ));
    };
    let now = plan.content_sha256();
    if integrity.sha256 != now {
        return Err(Stop::unusable(
            format!(
                "{shown} was changed after it was made: its content no longer matches its integrity hash (recorded {}, content gives {now})",
                integrity.sha256
            ),
            &remake,
        ));
    }
    Ok(plan)
}

/// Finds the profile the plan records and checks its hash; returns its path.
///
/// `--profile FILE` wins; otherwise the recorded path is tried relative to the current folder,
/// then relative to the plan's folder.
pub fn check_profile(plan: &Plan, plan_path: &Path, given: Option<&Path>) -> Result<PathBuf, Stop> {
    let recorded = &plan.profile.path;
    let candidates: Vec<PathBuf> = match given {
        Some(p) => vec![p.to_path_buf()],
        None => {
            let rel = PathBuf::from(recorded);
            let beside = plan_path.parent().unwrap_or(Path::new(".")).join(&rel);
            if rel.is_absolute() {
                vec![rel]
            } else {
                vec![rel, beside]
            }
        }
    };
    let Some(found) = candidates.iter().find(|p| p.is_file()) else {
        let looked = candidates
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(Stop::unusable(
            format!(
                "the profile the plan was made from ({recorded}) is missing: looked for {looked}"
            ),
            "run from the folder the plan was made in, or pass the profile with `--profile FILE`",
        ));
    };
    let bytes = std::fs::read(found).map_err(|e| {
        Stop::unusable(
            format!("cannot read the profile {}: {e}", found.display()),
            "check its permissions, or pass another copy with `--profile FILE`",
        )
    })?;
    let now = sha256_hex(&bytes);
    if now != plan.profile.sha256 {
        return Err(Stop::unusable(
            format!(
                "the profile {} is not the one the plan was made from (sha256 recorded {}, file gives {now})",
                found.display(),
                plan.profile.sha256
            ),
            &format!(
                "make the plan again from this profile (`mim-setup plan {} -o {}`) and review it, or pass the profile the plan was made from with `--profile FILE`",
                found.display(),
                plan_path.display()
            ),
        ));
    }
    Ok(found.clone())
}
