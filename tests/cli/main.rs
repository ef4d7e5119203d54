//! The command-line tier: the real `mim-setup` binary on files, and `apply` against the
//! stand-in programs in `tests/runner/` (they record their argv and exit with scripted codes).
//! No network and no lab.
mod apply;
mod approve;
mod bad_profiles;
mod check;
mod check_exit;
mod check_plan;
mod check_target;
mod check_unreached;
mod completions;
mod demo;
mod diff;
mod doctor;
mod doctor_collect;
mod doctor_plan;
mod edge;
mod export;
mod plans;
mod review;
mod schema;

// How msiexec and PowerShell split the command lines that plans, apply and export write.
use testkit::windows;

/// The environment variable of every secret reference in the shipped profiles.
pub const SECRET_VARS: &[&str] = &[
    "MIM_SYNC_PASSWORD",
    "MIM_SERVICE_PASSWORD",
    "MIM_SERVICE_MAILBOX_PASSWORD",
    "MIM_APP_CLIENT_SECRET",
    "MIM_SSPR_REGISTRATION_PASSWORD",
    "MIM_SSPR_RESET_PASSWORD",
];

/// Runs the binary in the checkout without the settings this machine's environment may hold
/// (DNS server, stand-in folder, CA file): its exit code, standard output and error.
/// Compares `got` with the golden file `tests/golden/NAME`; with `UPDATE_EXPECTED` set, writes
/// it instead (review the diff).
pub fn golden(name: &str, got: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, got).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_EXPECTED=1", path.display()));
    assert!(
        got == want,
        "{name} differs from the golden file; run with UPDATE_EXPECTED=1 and review the diff\n--- want\n{want}\n--- got\n{got}"
    );
}

pub fn run(args: &[&str]) -> (i32, String, String) {
    run_with(args, &[])
}

/// `run` with these environment variables set as well.
pub fn run_with(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mim-setup"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("MIM_SETUP_DNS")
        .env_remove("MIM_SETUP_RUNNER")
        .env_remove("MIM_SETUP_CA_FILE")
        .env_remove("MIM_SETUP_ADDRESS_BOOK")
        .env_remove("MIM_DEMO_SQL_PASSWORD")
        .envs(env.iter().copied())
        .output()
        .expect("mim-setup runs");
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}
