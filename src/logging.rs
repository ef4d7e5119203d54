//! Logging goes through `tracing` to a file, never to the terminal the wizard draws on.
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tracing_subscriber::EnvFilter;

/// Starts logging to `file` (default: `mim-setup.log` in the state folder) at `level`.
/// Returns the log file, or None when no log could be opened (the run goes on without one).
pub fn init(file: Option<&Path>, level: &str) -> Option<PathBuf> {
    let path = match file {
        Some(f) => f.to_path_buf(),
        None => crate::profile::draft::state_dir()?.join("mim-setup.log"),
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).ok()?;
    }
    let out = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .ok()?;
    let filter = EnvFilter::try_new(level).unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(Mutex::new(out))
        .try_init()
        .ok()?;
    Some(path)
}
