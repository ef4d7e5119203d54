//! Support shared by the test tiers of mim-setup (`tests/offline`, `tests/cli`, `tests/pty`,
//! `tests/live`), in one place:
//!
//! - [`pty`]: the real `mim-setup` binary in a pseudo-terminal, read through a vt100 parser;
//! - [`windows`]: how msiexec and `CommandLineToArgvW` split a Windows command line;
//! - [`tds`]: the product's TDS 7.x server (`mim_setup::lab::tds`), standing in for SQL Server;
//! - [`wizard`]: the wizard's pure state machine driven from the Contoso profiles.
//!
//! [`root`] is the repository root: the tests run the binary and read fixtures from there.
#[cfg(unix)]
pub mod pty;
pub use mim_setup::lab::tds;
pub mod windows;
pub mod wizard;

/// The repository root (where mim-setup's `Cargo.toml`, `profiles/` and `tests/` are).
pub fn root() -> std::path::PathBuf {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here.join("../..");
    root.canonicalize().unwrap_or(root)
}

/// The `mim-setup` binary that cargo built for the running test: test executables live in
/// `target/<profile>/deps/`, the binary one folder up.
pub fn bin() -> std::path::PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test executable sits in target/<profile>/deps");
    let bin = dir.join(format!("mim-setup{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.is_file(),
        "{}: the mim-setup binary is missing; run the tests through cargo test",
        bin.display()
    );
    bin
}
