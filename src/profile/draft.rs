//! Drafts: the answers so far, saved after every screen to the per-user state folder (never
//! to `profiles/`), so that `mim-setup --resume` continues where the user left off.
use super::{load_str, to_toml, LoadErrors, Profile};
use crate::atomic_file;
use crate::screens::Screens;
use std::path::{Path, PathBuf};

/// Overrides the state folder (tests, portable use).
pub const STATE_DIR_ENV: &str = "MIM_SETUP_STATE_DIR";

/// The per-user state folder: `$MIM_SETUP_STATE_DIR`, else the platform's state folder
/// (`~/.local/state/mim-setup`, `%LOCALAPPDATA%\mim-setup`).
pub fn state_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(STATE_DIR_ENV).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs::state_dir()
        .or_else(dirs::data_local_dir)
        .map(|d| d.join("mim-setup"))
}

pub fn draft_path(state: &Path) -> PathBuf {
    state.join("draft.toml")
}

/// Saves the draft atomically; a crash leaves the previous draft whole.
pub fn save(state: &Path, profile: &Profile, screens: &Screens) -> std::io::Result<PathBuf> {
    let file = draft_path(state);
    atomic_file::write(&file, to_toml(profile, screens).as_bytes())?;
    Ok(file)
}

/// The saved draft, if any.
pub fn load(state: &Path, screens: &Screens) -> Result<Option<Profile>, LoadErrors> {
    let file = draft_path(state);
    let Ok(text) = std::fs::read_to_string(&file) else {
        return Ok(None);
    };
    load_str(&file.display().to_string(), &text, screens, true).map(|l| Some(l.profile))
}

/// Removes the draft once the wizard has finished.
pub fn discard(state: &Path) {
    let _ = std::fs::remove_file(draft_path(state));
}
