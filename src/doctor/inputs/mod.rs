//! One model of the doctor's inputs, whatever they come from: a collection folder
//! (`--from DIR`, written by `--collect` or by hand), the tests' fixtures, or (later) the
//! live Sync server. Every check reads `Collection` and nothing else.
//!
//! A collection folder holds, each part optional (a check whose input is missing says
//! "not in the collection" and is never counted as passed):
//!
//! ```text
//!   DIR/*.reg              regedit exports (UTF-16LE or UTF-8): the Sync service's
//!                          Parameters key, the Uninstall entries, the MSI products,
//!                          HKLM\SOFTWARE\Microsoft\Forefront Identity Manager\2010\...
//!   DIR/file-versions.json Bin\miiserver.exe and Extensions\*.dll versions (readings.rs)
//!   DIR/run-history*.xml   run history, <run-history>/<run-details> (runs.rs), streamed
//!   DIR/events*.xml        wevtutil qe /f:xml output (events.rs): the Sync server's and
//!                          the domain controllers' Application logs
//!   DIR/sql.json           the SQL readings (readings.rs)
//!   DIR/config/*.config    miiserver.exe.config, mmsscrpt.exe.config, dllhost.exe.config
//!   DIR/collect.json       the manifest of --collect (doctor::collect); not an input
//! ```
pub mod ad_live;
mod configs;
mod error;
mod events;
mod readings;
mod reg;
mod runs;
pub mod sql_live;
mod text;
mod xml;

pub use configs::{read_config, ConfigFile, Redirect};
pub use error::InputError;
pub use events::{read_events, WinEvent};
pub use readings::{read_json, Database, FileVersion, FileVersions, MasterFile, SqlReadings};
pub use reg::{RegKey, RegValue, Registry};
pub use runs::{read_runs, CdError, ErrorKind, ExtensionError, ObjectError, Run, Step};
pub use text::Utf8Reader;

use std::path::{Path, PathBuf};

/// Everything a collection holds; the run history stays on disk and is streamed.
#[derive(Debug, Clone, Default)]
pub struct Collection {
    pub dir: PathBuf,
    pub registry: Option<Registry>,
    pub files: Option<FileVersions>,
    pub run_history: Vec<PathBuf>,
    pub events: Option<Vec<WinEvent>>,
    pub sql: Option<SqlReadings>,
    pub configs: Vec<ConfigFile>,
    /// The Sync database's name when no registry gives it (a profile's `sql.database`).
    pub database: Option<String>,
    /// Step 5's directory answers (SPN, clock), read live with a profile.
    pub ad: Option<ad_live::AdReadings>,
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, InputError> {
    let rd = std::fs::read_dir(dir).map_err(|e| InputError::io(dir, &e))?;
    let mut v: Vec<PathBuf> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    v.sort();
    Ok(v)
}

fn name_of(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

impl Collection {
    /// Reads a collection folder; the first unusable file is the error.
    pub fn read(dir: &Path) -> Result<Collection, InputError> {
        if !dir.is_dir() {
            return Err(InputError::new(
                dir,
                None,
                "not a folder",
                "give --from a collection folder: `mim-setup doctor --collect DIR` writes one on the Sync server (copy DIR here), or put the exports in a folder by hand",
            ));
        }
        let mut c = Collection {
            dir: dir.to_path_buf(),
            ..Collection::default()
        };
        let mut events = Vec::new();
        let mut any_events = false;
        for p in sorted_entries(dir)? {
            if !p.is_file() {
                continue;
            }
            let n = name_of(&p);
            if n == crate::doctor::collect::MANIFEST {
                // `--collect`'s manifest (what was collected, and why a part is missing):
                // not an input of a check.
                continue;
            }
            if n.ends_with(".reg") {
                c.registry
                    .get_or_insert_with(Registry::default)
                    .read_file(&p)?;
            } else if n == "file-versions.json" {
                c.files = Some(read_json(&p, "a file-versions document")?);
            } else if n == "sql.json" {
                c.sql = Some(read_json(&p, "a SQL readings document")?);
            } else if n.starts_with("run-history") && n.ends_with(".xml") {
                c.run_history.push(p);
            } else if n.starts_with("events") && n.ends_with(".xml") {
                read_events(&p, &mut events)?;
                any_events = true;
            }
        }
        if any_events {
            c.events = Some(events);
        }
        let cfg = dir.join("config");
        if cfg.is_dir() {
            for p in sorted_entries(&cfg)? {
                if p.is_file() && name_of(&p).ends_with(".config") {
                    c.configs.push(read_config(&p)?);
                }
            }
        }
        if c.registry.is_none()
            && c.files.is_none()
            && c.sql.is_none()
            && c.run_history.is_empty()
            && c.events.is_none()
            && c.configs.is_empty()
        {
            return Err(InputError::new(
                dir,
                None,
                "no doctor input in this folder",
                "expected *.reg, file-versions.json, run-history*.xml, events*.xml, sql.json or config/*.config (see `mim-setup doctor --help`)",
            ));
        }
        Ok(c)
    }
}
