//! `mim-setup doctor --collect DIR [--profile PROFILE] [--since DATE] [--ma NAME]`: writes
//! the doctor's inputs as a collection folder, in exactly the layout `doctor --from DIR`
//! reads (`inputs`), so that a consultant analyses it on any machine.
//!
//! ```text
//!   DIR/registry.reg        regedit export (UTF-16LE): Parameters, Uninstall (MIM entries),
//!                           the MSI products, ...\2010\Synchronization Service    [Windows]
//!   DIR/file-versions.json  Bin\miiserver.exe, Extensions\*.dll (pelite)          [Windows]
//!   DIR/run-history.xml     MIIS_RunHistory.RunDetails() (WMI)                    [Windows]
//!   DIR/events-local.xml    wevtutil qe Application (PCNSSVC, FIMSynchronizationService)
//!                                                                                 [Windows]
//!   DIR/config/*.config     miiserver.exe.config, mmsscrpt.exe.config, dllhost.exe.config
//!                                                                                 [Windows]
//!   DIR/sql.json            the SQL readings, read live with --profile (inputs::sql_live)
//!   DIR/collect.json        the manifest: each part written, missing (and why) or only on
//!                           the Sync server; `Collection::read` skips it
//! ```
//! The Windows parts are read where the Synchronization Service runs; elsewhere they are
//! recorded as "only on the Sync server (Windows)". Nothing that is not there is an error:
//! it is a part recorded as missing. The folder is written beside DIR under a temporary
//! name and renamed at the end, so DIR is either complete or not there. No secret is
//! written: the SQL password stays a reference in the profile and is used only to connect.
mod files;
mod regfile;
mod registry;
mod runhistory;
#[cfg(windows)]
mod windows;

pub use files::{configs, file_version, file_versions};
pub use regfile::{
    to_file_bytes, to_text, ExportKey, ExportValue, REG_BINARY, REG_DWORD, REG_EXPAND_SZ,
    REG_MULTI_SZ, REG_NONE, REG_QWORD, REG_SZ,
};
pub use registry::{export, Exported, RegSource};
pub use runhistory::{event_bytes, events_query, inner_runs, runs_query, RunHistoryWriter};

use super::command::DoctorError;
use super::inputs::{InputError, SqlReadings};
use super::Options;
use crate::exit::ExitCode;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The manifest's file name; `inputs::Collection::read` skips it.
pub const MANIFEST: &str = "collect.json";
pub const REGISTRY_FILE: &str = "registry.reg";
pub const FILE_VERSIONS: &str = "file-versions.json";
pub const RUN_HISTORY_FILE: &str = "run-history.xml";
pub const EVENTS_FILE: &str = "events-local.xml";
pub const SQL_FILE: &str = "sql.json";
/// Why a part is not collected on another OS.
pub const WINDOWS_ONLY: &str = "only on the Sync server (Windows)";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Written,
    Missing,
    WindowsOnly,
}

impl State {
    fn label(self) -> &'static str {
        match self {
            State::Written => "written",
            State::Missing => "missing",
            State::WindowsOnly => "not here",
        }
    }
}

/// One part of the collection: what was read, and whether it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// registry, file-versions, run-history, events, config or sql.
    pub part: String,
    /// What was read: a key, a file, a WMI class, a command, a SQL Server.
    pub source: String,
    pub state: State,
    /// The file of the collection it was written to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What was written, or why not.
    pub detail: String,
}

impl Part {
    pub fn with_file(mut self, file: &str) -> Part {
        self.file = Some(file.to_string());
        self
    }
}

pub(crate) fn part(part: &str, source: &str, state: State, detail: String) -> Part {
    Part {
        part: part.into(),
        source: source.into(),
        state,
        file: None,
        detail,
    }
}

/// `collect.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// `mim-setup VERSION`.
    pub tool: String,
    /// When, UTC (`yyyy-mm-ddThh:mm:ssZ`).
    pub collected: String,
    /// The computer it was collected on, and its OS.
    pub computer: String,
    pub os: String,
    /// `--since` and `--ma`, when given (they narrow the run history and the events).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ma: Option<String>,
    pub parts: Vec<Part>,
}

impl Manifest {
    /// What `--collect` prints: each part on a line, then how to read the folder.
    pub fn summary(&self, dir: &Path) -> String {
        let files: std::collections::BTreeSet<&str> = self
            .parts
            .iter()
            .filter_map(|p| p.file.as_deref())
            .collect();
        let mut s = format!(
            "mim-setup doctor --collect: wrote {} ({} file(s) and {MANIFEST})\n",
            dir.display(),
            files.len()
        );
        for p in &self.parts {
            let file = p
                .file
                .as_deref()
                .map(|f| format!(" -> {f}"))
                .unwrap_or_default();
            s.push_str(&format!(
                "  {:<8} {:<13} {}{file}: {}\n",
                p.state.label(),
                p.part,
                p.source,
                p.detail
            ));
        }
        s.push_str(&format!(
            "Analyse it here or on any machine: mim-setup doctor --from {}\n",
            dir.display()
        ));
        s
    }
}

/// The folder to write, checked before anything is read: it must not exist, or be empty.
#[derive(Debug, Clone)]
pub struct Target {
    pub dir: PathBuf,
    parent: PathBuf,
    name: String,
    /// DIR exists and is empty: it is replaced by the collection.
    empty: bool,
}

const NEW_FOLDER: &str =
    "give --collect a new folder (it is created) or an empty one; a collection is never merged into other files";

impl Target {
    pub fn check(dir: &Path) -> Result<Target, InputError> {
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| n != "." && n != "..")
            .ok_or_else(|| InputError::new(dir, None, "not a folder name", NEW_FOLDER))?;
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let mut empty = false;
        if let Ok(meta) = std::fs::symlink_metadata(dir) {
            if !meta.is_dir() {
                return Err(InputError::new(
                    dir,
                    None,
                    "exists and is not a folder",
                    NEW_FOLDER,
                ));
            }
            let mut entries = std::fs::read_dir(dir).map_err(|e| {
                InputError::new(dir, None, format!("cannot be read: {e}"), NEW_FOLDER)
            })?;
            if entries.next().is_some() {
                return Err(InputError::new(
                    dir,
                    None,
                    "the folder exists and is not empty",
                    NEW_FOLDER,
                ));
            }
            empty = true;
        }
        std::fs::create_dir_all(&parent).map_err(|e| {
            InputError::new(
                &parent,
                None,
                format!("cannot create the folder the collection goes in: {e}"),
                "give --collect a folder where this account can write",
            )
        })?;
        Ok(Target {
            dir: dir.to_path_buf(),
            parent,
            name,
            empty,
        })
    }
}

fn cannot_write(dir: &Path, e: &std::io::Error) -> InputError {
    InputError::new(
        dir,
        None,
        format!("cannot be written: {e}"),
        "give --collect a folder where this account can write (and with room on its disk)",
    )
}

/// `value` as pretty JSON into `tmp/file`, recorded in `parts`.
pub(crate) fn write_json<T: Serialize>(
    tmp: &Path,
    file: &str,
    value: &T,
    what: &str,
    parts: &mut Vec<Part>,
) -> bool {
    let text = match serde_json::to_string_pretty(value) {
        Ok(t) => t + "\n",
        Err(e) => {
            parts.push(part(
                what,
                file,
                State::Missing,
                format!("cannot be written: {e}"),
            ));
            return false;
        }
    };
    match std::fs::write(tmp.join(file), text) {
        Ok(()) => true,
        Err(e) => {
            parts.push(part(
                what,
                file,
                State::Missing,
                format!("cannot be written: {e}"),
            ));
            false
        }
    }
}

/// The parts that only the Sync server has, recorded as such on another OS.
#[cfg(not(windows))]
fn windows_only(parts: &mut Vec<Part>) {
    for (p, source) in [
        ("registry", "HKLM\\SYSTEM\\CurrentControlSet\\Services\\FIMSynchronizationService\\Parameters, the MIM Uninstall entries and MSI products, HKLM\\SOFTWARE\\Microsoft\\Forefront Identity Manager\\2010\\Synchronization Service"),
        ("file-versions", "Bin\\miiserver.exe, Extensions\\*.dll"),
        ("config", "Bin\\miiserver.exe.config, Bin\\mmsscrpt.exe.config, dllhost.exe.config"),
        ("run-history", "WMI root\\MicrosoftIdentityIntegrationServer MIIS_RunHistory.RunDetails()"),
        ("events", "wevtutil qe Application (PCNSSVC, FIMSynchronizationService)"),
    ] {
        parts.push(part(p, source, State::WindowsOnly, WINDOWS_ONLY.into()));
    }
}

/// The SQL readings: read live with `--profile` (`read_live`: the one SQL reader), or why not.
fn sql_part(tmp: &Path, sql: Option<Result<(SqlReadings, String), String>>, parts: &mut Vec<Part>) {
    match sql {
        Some(Ok((r, database))) => {
            if write_json(tmp, SQL_FILE, &r, "sql", parts) {
                parts.push(
                    part(
                        "sql",
                        &format!("SQL Server {} (live)", r.server),
                        State::Written,
                        format!(
                            "{} database file(s) of {} database(s), {} CPU(s); the profile's Sync database: {}",
                            r.master_files.len(),
                            r.databases.len(),
                            r.cpu_count,
                            if database.is_empty() { "(setup's default)" } else { database.as_str() }
                        ),
                    )
                    .with_file(SQL_FILE),
                );
            }
        }
        Some(Err(e)) => parts.push(part("sql", "the profile's SQL Server", State::Missing, e)),
        None => parts.push(part(
            "sql",
            "the Sync database's SQL Server",
            State::Missing,
            "not read: give --profile PROFILE (the Synchronization Service's profile) to read the SQL readings".into(),
        )),
    }
}

/// Now, UTC, `yyyy-mm-ddThh:mm:ssZ`.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (y, m, d) = crate::civil::civil_from_days(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

fn computer() -> String {
    std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// Collects every part into a temporary folder beside `target`, writes the manifest and
/// renames the folder to `target`; the manifest. No part written is an error (there would
/// be nothing for `--from` to read), and nothing is left behind.
pub fn collect(
    target: &Target,
    sql: Option<Result<(SqlReadings, String), String>>,
    o: &Options,
) -> Result<Manifest, InputError> {
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.collect-", target.name))
        .tempdir_in(&target.parent)
        .map_err(|e| cannot_write(&target.dir, &e))?;
    let mut parts = Vec::new();
    #[cfg(windows)]
    windows::collect(tmp.path(), o, &mut parts);
    #[cfg(not(windows))]
    windows_only(&mut parts);
    sql_part(tmp.path(), sql, &mut parts);
    if !parts.iter().any(|p| p.state == State::Written) {
        let why: Vec<String> = parts
            .iter()
            .map(|p| format!("{}: {}", p.part, p.detail))
            .collect();
        return Err(InputError::new(
            &target.dir,
            None,
            format!("nothing to collect on this computer, so nothing was written ({})", why.join("; ")),
            "run `mim-setup doctor --collect DIR` on the Sync server, or give --profile PROFILE to collect the SQL readings",
        ));
    }
    let m = Manifest {
        tool: format!("mim-setup {}", env!("CARGO_PKG_VERSION")),
        collected: now_utc(),
        computer: computer(),
        os: std::env::consts::OS.to_string(),
        since: o.since.clone(),
        ma: o.ma.clone(),
        parts,
    };
    let text = serde_json::to_string_pretty(&m).map_err(|e| {
        InputError::new(
            &target.dir,
            None,
            format!("the manifest: {e}"),
            "this is a bug of mim-setup: report it",
        )
    })?;
    std::fs::write(tmp.path().join(MANIFEST), text + "\n")
        .map_err(|e| cannot_write(&target.dir, &e))?;
    if target.empty {
        match std::fs::remove_dir(&target.dir) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(cannot_write(&target.dir, &e)),
        }
    }
    let kept = tmp.keep();
    if let Err(e) = std::fs::rename(&kept, &target.dir) {
        let _ = std::fs::remove_dir_all(&kept);
        return Err(cannot_write(&target.dir, &e));
    }
    Ok(m)
}

/// `--collect`: collects, prints the summary; exit 0.
pub fn command(
    target: &Target,
    sql: Option<Result<(SqlReadings, String), String>>,
    o: &Options,
) -> Result<ExitCode, DoctorError> {
    let m = collect(target, sql, o)?;
    std::io::stdout()
        .lock()
        .write_all(m.summary(&target.dir).as_bytes())
        .map_err(DoctorError::Write)?;
    Ok(ExitCode::Ok)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn readings() -> SqlReadings {
        SqlReadings {
            server: "corpsql.contoso.com".into(),
            version: Some("Microsoft SQL Server 2019".into()),
            cpu_count: 4,
            max_server_memory_mb: 12288,
            master_files: vec![],
            databases: vec![],
        }
    }

    #[test]
    fn a_collection_is_written_whole_and_reads_back() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("out");
        let t = Target::check(&dir).unwrap();
        let m = collect(
            &t,
            Some(Ok((readings(), "FIMSynchronizationService".into()))),
            &Options::default(),
        )
        .unwrap();
        assert!(m
            .parts
            .iter()
            .any(|p| p.part == "sql" && p.state == State::Written));
        #[cfg(not(windows))]
        assert_eq!(
            m.parts
                .iter()
                .filter(|p| p.state == State::WindowsOnly)
                .count(),
            5
        );
        let c = crate::doctor::inputs::Collection::read(&dir).unwrap();
        assert_eq!(c.sql, Some(readings()));
        let back: Manifest =
            serde_json::from_str(&std::fs::read_to_string(dir.join(MANIFEST)).unwrap()).unwrap();
        assert_eq!(back, m);
        // Only DIR is left beside it: no temporary folder.
        let names: Vec<_> = std::fs::read_dir(d.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out")]);
        assert!(m.summary(&dir).contains("mim-setup doctor --from"));
        // Not again into the same folder; an empty folder is fine.
        let e = Target::check(&dir).unwrap_err();
        assert!(e.to_string().contains("exists and is not empty"), "{e}");
        let empty = d.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let t = Target::check(&empty).unwrap();
        collect(
            &t,
            Some(Ok((readings(), String::new()))),
            &Options::default(),
        )
        .unwrap();
        assert!(empty.join(SQL_FILE).is_file());
    }

    #[cfg(not(windows))]
    #[test]
    fn nothing_collected_is_an_error_and_leaves_nothing() {
        let d = tempfile::tempdir().unwrap();
        let dir = d.path().join("out");
        let t = Target::check(&dir).unwrap();
        let e = collect(&t, Some(Err("cannot connect".into())), &Options::default()).unwrap_err();
        assert!(
            e.what.contains("nothing to collect") && e.what.contains("sql: cannot connect"),
            "{e}"
        );
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
        let f = d.path().join("file");
        std::fs::write(&f, "x").unwrap();
        assert!(Target::check(&f).unwrap_err().what.contains("not a folder"));
    }

    #[test]
    fn now_is_an_iso_time() {
        let n = now_utc();
        assert_eq!(n.len(), 20, "{n}");
        assert!(n.ends_with('Z') && n.as_bytes()[10] == b'T', "{n}");
    }
}
