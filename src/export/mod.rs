//! `mim-setup export PLAN --format powershell|ansible|markdown`: the install plan in other
//! forms, for an admin (a PowerShell script), a fleet (an Ansible playbook and inventory)
//! and a reviewer (Markdown).
//!
//! ```text
//!   plan file (TOML/JSON) -> plan::read (strict: types, version, integrity, structure) -> Plan -> powershell | ansible | markdown -> files
//! ```
//!
//! Every export carries the plan's secrets as references only: the script asks for them
//! (or reads the environment variable the plan names) at run time, the playbook takes them
//! from vault variables, the Markdown names their source. No secret value is ever read here.
mod ansible;
mod markdown;
mod powershell;
pub mod text;

use crate::plan::Plan;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Powershell,
    Ansible,
    Markdown,
}

/// One file of an export: its name (relative to the output folder) and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutFile {
    pub name: String,
    pub text: String,
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Read(#[from] crate::plan::read::ReadError),
    #[error("{plan}: step {step:?} cannot be exported: {reason}")]
    Step {
        plan: String,
        step: String,
        reason: String,
    },
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Output(String),
}

/// The name an export's files start with: the plan file's name without `.plan.toml`,
/// `.plan.json`, `.toml` or `.json`.
pub fn base_name(plan_path: &Path) -> String {
    let name = plan_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "plan".to_string());
    for suffix in [".plan.toml", ".plan.json", ".toml", ".json"] {
        if let Some(stem) = name.strip_suffix(suffix) {
            if !stem.is_empty() {
                return stem.to_string();
            }
        }
    }
    name
}

/// The export of `plan` (read from a file shown as `shown`, named `base`) in `format`.
pub fn render(
    plan: &Plan,
    shown: &str,
    base: &str,
    format: Format,
) -> Result<Vec<OutFile>, ExportError> {
    let step_err = |step: &str, reason: String| ExportError::Step {
        plan: shown.to_string(),
        step: step.to_string(),
        reason,
    };
    Ok(match format {
        Format::Powershell => vec![OutFile {
            name: format!("{base}.ps1"),
            text: powershell::script(plan, shown).map_err(|(s, r)| step_err(&s, r))?,
        }],
        Format::Markdown => vec![OutFile {
            name: format!("{base}.md"),
            text: markdown::review(plan, shown),
        }],
        Format::Ansible => {
            let playbook = ansible::playbook(plan, shown).map_err(|(s, r)| step_err(&s, r))?;
            vec![
                OutFile {
                    name: format!("{base}.yml"),
                    text: playbook,
                },
                OutFile {
                    name: "inventory.yml".to_string(),
                    text: ansible::inventory(plan, shown),
                },
            ]
        }
    })
}

/// Reads the plan at `plan_path` and renders it.
pub fn export_file(plan_path: &Path, format: Format) -> Result<Vec<OutFile>, ExportError> {
    let plan = crate::plan::read::read(plan_path)?.plan;
    let shown = plan_path.display().to_string().replace('\\', "/");
    render(&plan, &shown, &base_name(plan_path), format)
}

/// Where the files go: with one file, `output` is that file unless it is an existing
/// folder; with several (Ansible), `output` is a folder, made if missing.
pub fn targets(files: &[OutFile], output: &Path) -> Result<Vec<PathBuf>, ExportError> {
    if files.len() == 1 && !output.is_dir() {
        return Ok(vec![output.to_path_buf()]);
    }
    if output.exists() && !output.is_dir() {
        return Err(ExportError::Output(format!(
            "{}: this export writes {} files ({}), so -o must name a folder, and this is a file",
            output.display(),
            files.len(),
            files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(files.iter().map(|f| output.join(&f.name)).collect())
}

/// Writes the files of an export under `output` (see `targets`), each whole or not at all.
pub fn write(files: &[OutFile], output: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let paths = targets(files, output)?;
    for (file, path) in files.iter().zip(&paths) {
        crate::atomic_file::write(path, file.text.as_bytes()).map_err(|source| {
            ExportError::Write {
                path: path.display().to_string(),
                source,
            }
        })?;
    }
    Ok(paths)
}

/// The files of an export for standard output: one file as it is; several each under a
/// `# ==> NAME <==` line.
pub fn to_stdout(files: &[OutFile]) -> String {
    if let [one] = files {
        return one.text.clone();
    }
    files
        .iter()
        .map(|f| format!("# ==> {} <==\n{}", f.name, f.text))
        .collect::<Vec<_>>()
        .join("\n")
}
