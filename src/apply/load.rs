//! Reading a plan back for `apply`: the plan itself through the one strict reader
//! (`crate::plan::read`: types, version, integrity hash), then the hash of the profile it
//! records (a plan applied against another profile is refused).
use super::Stop;
use crate::plan::{sha256_hex, Plan};
use std::path::{Path, PathBuf};

/// Reads a plan file through the one strict reader (`crate::plan::read`).
pub fn read_plan(path: &Path) -> Result<Plan, Stop> {
    crate::plan::read::read(path)
        .map(|r| r.plan)
        .map_err(|e| Stop::unusable(e.what, &e.fix))
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
