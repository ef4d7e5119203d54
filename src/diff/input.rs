//! Reading the two sides of a diff: a plan through the one strict plan reader
//! (`crate::plan::read`), a profile through the one profile loader (`crate::profile`), and
//! the profile a plan records through apply's own lookup and hash check.
use crate::plan::Plan;
use crate::profile::Loaded;
use crate::screens::Screens;
use serde::Serialize;
use std::path::Path;

/// Why a side cannot be compared: what, where, how to fix. Exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mim-setup diff: {what}\n  fix: {fix}")]
pub struct DiffError {
    pub what: String,
    pub fix: String,
}

/// One side as the output names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Side {
    pub path: String,
    /// `profile` or `plan`.
    pub kind: &'static str,
    /// A plan's integrity hash.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
    /// For a plan compared with a profile: the profile it records, which is what is compared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub through: Option<String>,
}

pub struct PlanSide {
    pub side: Side,
    pub plan: Plan,
    /// Where the plan file is, to find the profile it records.
    pub path: std::path::PathBuf,
}

pub struct ProfileSide {
    pub side: Side,
    pub loaded: Loaded,
}

// One of two values read once per command: boxing the larger would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum Input {
    Plan(PlanSide),
    Profile(ProfileSide),
}

impl Input {
    /// The profile of this side: itself, or the one a plan records (for a plan compared with
    /// a profile).
    pub fn into_profile(self, screens: &Screens) -> Result<ProfileSide, DiffError> {
        match self {
            Input::Profile(p) => Ok(p),
            Input::Plan(p) => recorded_profile(screens, p),
        }
    }
}

/// Reads one side: a plan when the file says it is one, else a profile.
pub fn read(screens: &Screens, path: &Path) -> Result<Input, DiffError> {
    let shown = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| DiffError {
        what: format!("cannot read {shown}: {e}"),
        fix: "give two profiles or plans (what `mim-setup plan PROFILE -o FILE` writes)".into(),
    })?;
    if looks_like_plan(path, &text) {
        let read = crate::plan::read::read(path).map_err(|e| DiffError {
            what: e.what,
            fix: e.fix,
        })?;
        let integrity = read.plan.integrity.as_ref().map(|i| i.sha256.clone());
        return Ok(Input::Plan(PlanSide {
            side: Side {
                path: shown,
                kind: "plan",
                integrity,
                through: None,
            },
            plan: read.plan,
            path: path.to_path_buf(),
        }));
    }
    let loaded = crate::profile::load_file(path, screens, false).map_err(|e| DiffError {
        what: format!("{shown} is not a profile or plan that can be read:\n{e}"),
        fix:
            "fix the profile at the places above, or give a plan (`mim-setup plan PROFILE -o FILE`)"
                .into(),
    })?;
    Ok(Input::Profile(ProfileSide {
        side: Side {
            path: shown,
            kind: "profile",
            integrity: None,
            through: None,
        },
        loaded,
    }))
}

/// A plan is JSON, or TOML with a plan's own keys (a profile has neither `steps` nor
/// `generated_by`); a file that is not TOML at all goes by its name (`*.plan.toml`).
fn looks_like_plan(path: &Path, text: &str) -> bool {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || text.trim_start().starts_with('{')
    {
        return true;
    }
    match toml::from_str::<toml::Table>(text) {
        Ok(t) => t.contains_key("steps") || t.contains_key("generated_by"),
        Err(_) => path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().to_lowercase().ends_with(".plan.toml")),
    }
}

/// A plan's recorded profile, found and checked as `apply` does, read by the one loader.
fn recorded_profile(screens: &Screens, p: PlanSide) -> Result<ProfileSide, DiffError> {
    let found =
        crate::apply::load::check_profile(&p.plan, &p.path, None).map_err(|s| DiffError {
            what: format!(
                "{} is compared through the profile it records, but {}",
                p.side.path, s.what
            ),
            fix: s.fix,
        })?;
    let loaded = crate::profile::load_file(&found, screens, false).map_err(|e| DiffError {
        what: format!(
            "the profile {} that {} records cannot be read:\n{e}",
            found.display(),
            p.side.path
        ),
        fix: "fix the profile, then make the plan again".into(),
    })?;
    Ok(ProfileSide {
        side: Side {
            through: Some(found.display().to_string()),
            ..p.side
        },
        loaded,
    })
}
