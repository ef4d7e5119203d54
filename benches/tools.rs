//! The external programs a benchmark runs (`benches/tools.txt`, which `tests/run` installs):
//! a missing one stops the bench before it measures anything, naming the program and the
//! Debian package that has it.
use std::path::Path;

/// `(program, package)` from `benches/tools.txt`.
pub fn listed() -> Vec<(&'static str, &'static str)> {
    include_str!("tools.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(' '))
        .map(|(t, p)| (t.trim(), p.trim()))
        .collect()
}

/// Whether `program` is an executable file in a folder of `PATH`.
fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| is_executable(&dir.join(program)))
    })
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.with_extension("exe").is_file()
}

/// Exits (code 2) naming each listed program that is not installed and its package.
pub fn require(bench: &str) {
    let missing: Vec<(&str, &str)> = listed().into_iter().filter(|(t, _)| !on_path(t)).collect();
    if missing.is_empty() {
        return;
    }
    for (tool, package) in &missing {
        eprintln!("{bench}: the program `{tool}` is not installed: install the Debian package {package} (apt-get install {package}); `sudo tests/run` installs every bench tool");
    }
    std::process::exit(2);
}
