//! The journal and the lock beside a plan.
//!
//! `PLAN.journal.jsonl` gets one JSON object per line, one line per step state change
//! (`started`, `done`, `failed`, `shown`) and one per run (`run`), each written with fsync
//! before the step goes on. Every line carries the plan's integrity hash, so a journal is
//! never read against another plan. Secrets never reach it: lines hold ids, states, exit
//! codes and our own messages only.
//!
//! `PLAN.lock` is held (an OS file lock) for the whole run and holds the holder's pid; the
//! lock goes away with the process, even after kill -9.
use super::Stop;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// `PLAN` + `suffix`, beside the plan.
pub fn beside(plan: &Path, suffix: &str) -> PathBuf {
    let mut name = plan.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    plan.with_file_name(name)
}

/// States a step can be in, as the journal writes them.
pub const STARTED: &str = "started";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";
pub const SHOWN: &str = "shown";

/// What the journal says about each step: its last state.
#[derive(Debug, Default)]
pub struct History {
    pub last: BTreeMap<String, String>,
    /// A last line cut short (the process was killed while writing it); it is ignored.
    pub torn_tail: bool,
}

impl History {
    pub fn completed(&self, step: &str) -> bool {
        matches!(self.last.get(step).map(String::as_str), Some(DONE | SHOWN))
    }
}

/// Reads the journal (absent: empty history); refuses a journal of another plan.
pub fn read(path: &Path, plan_hash: &str) -> Result<History, Stop> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
        Err(e) => {
            return Err(Stop::unusable(
                format!("cannot read the journal {}: {e}", path.display()),
                "check its permissions",
            ))
        }
    };
    let mut h = History::default();
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    for (i, line) in lines.iter().enumerate() {
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(_) if i + 1 == lines.len() && !text.ends_with('\n') => {
                h.torn_tail = true;
                continue;
            }
            Err(e) => {
                return Err(Stop::unusable(
                    format!("the journal {} is damaged at line {}: {e}", path.display(), i + 1),
                    "move it away to start the plan from its first step (steps already done would run again)",
                ))
            }
        };
        if v["plan"].as_str() != Some(plan_hash) {
            return Err(Stop::unusable(
                format!(
                    "the journal {} belongs to another version of this plan (line {} records plan {})",
                    path.display(),
                    i + 1,
                    v["plan"].as_str().unwrap_or("?")
                ),
                "the plan was made again since that run: move the old journal away (keep it as a record) and apply again",
            ));
        }
        if let (Some(step), Some(state)) = (v["step"].as_str(), v["state"].as_str()) {
            h.last.insert(step.to_string(), state.to_string());
        }
    }
    Ok(h)
}

/// The journal open for appending.
pub struct Journal {
    file: File,
    path: PathBuf,
    plan_hash: String,
}

impl Journal {
    pub fn open(path: &Path, plan_hash: &str) -> Result<Journal, Stop> {
        let new = !path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)
            .map_err(|e| {
                Stop::unusable(
                    format!("cannot open the journal {}: {e}", path.display()),
                    "the plan's folder must be writable: the journal and the logs go beside the plan",
                )
            })?;
        if new {
            // The new file's name is made durable too, not only its lines.
            if let Some(dir) = path.parent().and_then(|d| File::open(d).ok()) {
                let _ = dir.sync_all();
            }
        }
        // A line cut short by a kill is closed, so that the next line stands on its own.
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len > 0 {
            let mut last = [0u8; 1];
            let ends_with_newline = file.seek(SeekFrom::End(-1)).is_ok()
                && file.read_exact(&mut last).is_ok()
                && last[0] == b'\n';
            if !ends_with_newline {
                let _ = file.write_all(b"\n");
            }
        }
        Ok(Journal {
            file,
            path: path.to_path_buf(),
            plan_hash: plan_hash.to_string(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one line (the plan hash, time and pid are added) and syncs it to disk.
    pub fn write(&mut self, mut entry: Value) -> Result<(), Stop> {
        if let Value::Object(map) = &mut entry {
            map.insert("plan".into(), json!(self.plan_hash));
            map.insert("pid".into(), json!(std::process::id()));
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0);
            map.insert("unix_time".into(), json!(secs));
        }
        let mut line = entry.to_string();
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| {
                Stop::failed(
                    format!("cannot write the journal {}: {e}", self.path.display()),
                    "free disk space or fix permissions, then run `mim-setup apply PLAN --resume`",
                )
            })
    }

    /// A step's state change.
    pub fn step(&mut self, index: usize, id: &str, state: &str, extra: Value) -> Result<(), Stop> {
        let mut entry = json!({ "step": id, "index": index, "state": state });
        if let (Value::Object(map), Value::Object(more)) = (&mut entry, extra) {
            map.extend(more);
        }
        self.write(entry)
    }
}

/// The lock held for a whole run.
pub struct Lock {
    file: File,
}

impl Lock {
    pub fn acquire(path: &Path, plan: &Path) -> Result<Lock, Stop> {
        let mut file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| {
                Stop::unusable(
                    format!("cannot create the lock file {}: {e}", path.display()),
                    "the plan's folder must be writable",
                )
            })?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = file.read_to_string(&mut holder);
                let holder = holder.trim();
                let who = if holder.is_empty() {
                    "another process".to_string()
                } else {
                    format!("process {holder}")
                };
                return Err(Stop::failed(
                    format!(
                        "{} is being applied by {who} right now (lock {})",
                        plan.display(),
                        path.display()
                    ),
                    "wait for that run to finish (or stop it), then run `mim-setup apply PLAN --resume`",
                ));
            }
            Err(TryLockError::Error(e)) => {
                return Err(Stop::unusable(
                    format!("cannot lock {}: {e}", path.display()),
                    "check that the plan's folder is on a local disk that supports file locks",
                ))
            }
        }
        let _ = file.set_len(0);
        let _ = file.seek(SeekFrom::Start(0));
        let _ = write!(file, "{}", std::process::id());
        let _ = file.sync_data();
        Ok(Lock { file })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // The file stays (removing it would let two runs lock two different files); it is
        // emptied so that it names no one.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}
