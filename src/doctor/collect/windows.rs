//! The parts only the Sync server has: its registry (windows-registry, read only), its run
//! history from WMI (`root\MicrosoftIdentityIntegrationServer`, `MIIS_RunHistory` and its
//! `RunDetails()` method, through the wmi crate's safe calls, with packet privacy as the
//! MIIS provider asks), its Application log (`wevtutil qe`, a child process bounded in
//! time, after `wevtutil gli Application` has shown that there is a log to query), and the
//! files under the install folder (`files`).
use super::regfile::{ExportKey, ExportValue};
use super::registry::RegSource;
use super::runhistory::{event_bytes, events_query, runs_query, RunHistoryWriter};
use super::{Part, State, EVENTS_FILE, RUN_HISTORY_FILE};
use crate::doctor::Options;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const ROOT: &str = "HKEY_LOCAL_MACHINE\\";
/// HRESULT_FROM_WIN32(ERROR_FILE_NOT_FOUND): the key is not there.
const NOT_FOUND: i32 = 0x8007_0002_u32 as i32;

/// HKEY_LOCAL_MACHINE of this computer (the 64-bit view: the Sync Service is 64-bit).
struct Hklm;

fn open(path: &str) -> Result<Option<windows_registry::Key>, String> {
    let rel = path.strip_prefix(ROOT).unwrap_or(path);
    match windows_registry::LOCAL_MACHINE.open(rel) {
        Ok(k) => Ok(Some(k)),
        Err(e) if e.code().0 == NOT_FOUND => Ok(None),
        Err(e) => Err(format!("{} ({:#010x})", e.message().trim(), e.code().0)),
    }
}

impl RegSource for Hklm {
    fn key(&self, path: &str) -> Result<Option<ExportKey>, String> {
        let Some(k) = open(path)? else {
            return Ok(None);
        };
        let values = k
            .values()
            .map_err(|e| e.message())?
            .map(|(name, v)| ExportValue {
                name,
                kind: u32::from(v.ty()),
                data: v.to_vec(),
            })
            .collect();
        Ok(Some(ExportKey {
            path: path.to_string(),
            values,
        }))
    }

    fn subkeys(&self, path: &str) -> Result<Vec<String>, String> {
        match open(path)? {
            Some(k) => Ok(k.keys().map_err(|e| e.message())?.collect()),
            None => Ok(Vec::new()),
        }
    }
}

/// Every part of the Sync server, written into `tmp`.
pub fn collect(tmp: &Path, o: &Options, parts: &mut Vec<Part>) {
    let t = match crate::doctor::tables::tables() {
        Ok(t) => t,
        Err(e) => {
            parts.push(super::part(
                "registry",
                "the MIM product codes",
                State::Missing,
                format!("the built-in tables: {e} (a bug of mim-setup: report it)"),
            ));
            return;
        }
    };
    let x = super::registry::export(&Hklm, t);
    parts.extend(x.parts);
    if !x.keys.is_empty() {
        if let Err(e) = std::fs::write(
            tmp.join(super::REGISTRY_FILE),
            super::regfile::to_file_bytes(&x.keys),
        ) {
            parts.push(super::part(
                "registry",
                super::REGISTRY_FILE,
                State::Missing,
                format!("cannot be written: {e}"),
            ));
        }
    }
    match &x.sync_path {
        Some(p) => {
            let sync = Path::new(p);
            if let Some(files) = super::files::file_versions(sync, parts) {
                super::write_json(tmp, super::FILE_VERSIONS, &files, "file-versions", parts);
            }
            super::files::configs(sync, &tmp.join("config"), parts);
        }
        None => {
            let why = "the install folder is not known: the Parameters key has no Path (and the Synchronization Service key no Location)";
            parts.push(super::part(
                "file-versions",
                "Bin\\miiserver.exe, Extensions\\*.dll",
                State::Missing,
                why.into(),
            ));
            parts.push(super::part(
                "config",
                "Bin\\*.exe.config, dllhost.exe.config",
                State::Missing,
                why.into(),
            ));
        }
    }
    run_history(tmp, o, parts);
    events(tmp, o, parts);
}

const NAMESPACE: &str = "root\\MicrosoftIdentityIntegrationServer";

fn wmi_text(e: &wmi::WMIError) -> String {
    let meaning = match e {
        wmi::WMIError::HResultError { hres } => match *hres as u32 {
            0x8004_100E => " (WBEM_E_INVALID_NAMESPACE: no Synchronization Service WMI provider on this computer)",
            0x8004_1003 | 0x8007_0005 => " (access denied: run as a member of FIMSyncAdmins or FIMSyncOperators)",
            0x8004_1010 => " (WBEM_E_INVALID_CLASS)",
            0x8004_1002 => " (WBEM_E_NOT_FOUND)",
            0x8007_0422 | 0x8007_042D => " (the Synchronization Service is not running: start it)",
            _ => "",
        },
        _ => "",
    };
    format!("{e}{meaning}")
}

#[derive(serde::Deserialize)]
#[allow(non_snake_case)]
struct RunHistoryRow {
    __Path: String,
}

/// Every run (narrowed by `--since` and `--ma`) into `file`; the number of runs.
fn wmi_runs(file: &Path, o: &Options) -> Result<usize, String> {
    let con = wmi::WMIConnection::with_namespace_path(NAMESPACE).map_err(|e| {
        format!(
            "WMI namespace {NAMESPACE} cannot be opened: {}",
            wmi_text(&e)
        )
    })?;
    con.set_proxy_blanket(wmi::AuthLevel::PktPrivacy)
        .map_err(|e| format!("packet privacy on {NAMESPACE}: {}", wmi_text(&e)))?;
    let q = runs_query(o.since.as_deref(), o.ma.as_deref());
    let rows: Vec<RunHistoryRow> = con
        .raw_query(&q)
        .map_err(|e| format!("{q}: {}", wmi_text(&e)))?;
    let out = std::fs::File::create(file).map_err(|e| e.to_string())?;
    let mut w = RunHistoryWriter::new(std::io::BufWriter::new(out)).map_err(|e| e.to_string())?;
    for r in &rows {
        let details = con
            .exec_method(&r.__Path, "RunDetails", None)
            .map_err(|e| format!("{}.RunDetails(): {}", r.__Path, wmi_text(&e)))?;
        let xml = match details.map(|d| d.get_property("ReturnValue")) {
            Some(Ok(wmi::Variant::String(s))) => s,
            Some(Ok(_)) | None => String::new(),
            Some(Err(e)) => return Err(format!("{}.RunDetails(): {}", r.__Path, wmi_text(&e))),
        };
        w.add(&xml).map_err(|e| e.to_string())?;
    }
    let runs = w.runs;
    w.finish().map_err(|e| e.to_string())?;
    Ok(runs)
}

fn run_history(tmp: &Path, o: &Options, parts: &mut Vec<Part>) {
    let file = tmp.join(RUN_HISTORY_FILE);
    let source = format!("WMI {NAMESPACE} MIIS_RunHistory.RunDetails()");
    let narrowed = match (&o.since, &o.ma) {
        (None, None) => String::new(),
        (s, m) => format!(
            " ({})",
            [
                s.as_ref().map(|s| format!("since {s} UTC")),
                m.as_ref().map(|m| format!("MA {m}"))
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", ")
        ),
    };
    match wmi_runs(&file, o) {
        Ok(n) => parts.push(
            super::part(
                "run-history",
                &source,
                State::Written,
                format!("{n} run(s){narrowed}"),
            )
            .with_file(RUN_HISTORY_FILE),
        ),
        Err(e) => {
            let _ = std::fs::remove_file(&file);
            parts.push(super::part("run-history", &source, State::Missing, e));
        }
    }
}

/// wevtutil's time limit.
const WEVTUTIL_LIMIT: Duration = Duration::from_secs(300);

/// Runs `wevtutil ARGS` with its standard output into `out`, bounded in time.
fn run_wevtutil(args: &[&str], out: std::fs::File) -> Result<(), String> {
    let mut err = tempfile::tempfile().map_err(|e| e.to_string())?;
    let err_w = err.try_clone().map_err(|e| e.to_string())?;
    let mut child = Command::new("wevtutil")
        .args(args)
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err_w)
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "wevtutil.exe is not on this computer (Windows has it in System32)".to_string()
            }
            _ => format!("wevtutil cannot be started: {e}"),
        })?;
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if start.elapsed() < WEVTUTIL_LIMIT => {
                std::thread::sleep(Duration::from_millis(100))
            }
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "wevtutil {} gave no answer in {} s",
                    args[0],
                    WEVTUTIL_LIMIT.as_secs()
                ));
            }
            Err(e) => return Err(format!("wevtutil: {e}")),
        }
    };
    if !status.success() {
        use std::io::{Read, Seek};
        let mut text = String::new();
        let _ = err.seek(std::io::SeekFrom::Start(0));
        let _ = err.take(2000).read_to_string(&mut text);
        return Err(format!(
            "wevtutil {} exited with {status}: {}",
            args[0],
            text.trim()
        ));
    }
    Ok(())
}

/// `wevtutil gli Application`: the log's record count. A wevtutil that says nothing about
/// the log (Wine's is a stub that prints nothing for every command) is no event log.
fn log_records() -> Result<Option<u64>, String> {
    use std::io::{Read, Seek};
    let mut out = tempfile::tempfile().map_err(|e| e.to_string())?;
    run_wevtutil(
        &["gli", "Application"],
        out.try_clone().map_err(|e| e.to_string())?,
    )?;
    let mut text = String::new();
    let _ = out.seek(std::io::SeekFrom::Start(0));
    let mut raw = Vec::new();
    let _ = out.take(64 * 1024).read_to_end(&mut raw);
    text.push_str(&String::from_utf8_lossy(&raw));
    if text.trim().is_empty() {
        return Err("`wevtutil gli Application` printed nothing: this computer has no working Windows event log".into());
    }
    Ok(text.lines().find_map(|l| {
        l.trim()
            .strip_prefix("numberOfLogRecords:")
            .and_then(|n| n.trim().parse().ok())
    }))
}

fn wevtutil(file: &Path, query: &str) -> Result<(usize, Option<u64>), String> {
    let records = log_records()?;
    let out = std::fs::File::create(file).map_err(|e| e.to_string())?;
    run_wevtutil(
        &["qe", "Application", &format!("/q:{query}"), "/f:xml"],
        out,
    )?;
    let raw = std::fs::read(file).map_err(|e| e.to_string())?;
    std::fs::write(file, event_bytes(raw)).map_err(|e| e.to_string())?;
    let mut events = Vec::new();
    crate::doctor::inputs::read_events(file, &mut events).map_err(|e| {
        format!(
            "wevtutil's output is not event XML the doctor reads: {}",
            e.what
        )
    })?;
    Ok((events.len(), records))
}

fn events(tmp: &Path, o: &Options, parts: &mut Vec<Part>) {
    let file = tmp.join(EVENTS_FILE);
    let query = events_query(o.since.as_deref());
    let source = format!("wevtutil qe Application /q:\"{query}\" /f:xml");
    match wevtutil(&file, &query) {
        Ok((n, records)) => parts.push(
            super::part(
                "events",
                &source,
                State::Written,
                match records {
                    Some(r) => format!("{n} event(s) of the {r} in the Application log"),
                    None => format!("{n} event(s)"),
                },
            )
            .with_file(EVENTS_FILE),
        ),
        Err(e) => {
            let _ = std::fs::remove_file(&file);
            parts.push(super::part("events", &source, State::Missing, e));
        }
    }
}
