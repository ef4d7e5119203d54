//! Bad profiles, each with the exact output `mim-setup validate` must give and its exit code:
//! 2 for unusable input (malformed TOML, unknown keys, wrong types, secrets in clear), 1 for
//! blocking findings. `plan` must refuse the same files and write nothing.
//!
//! `tests/bad-profiles/NAME.toml` holds the profile and `NAME.expected` the expected exit code,
//! stdout and stderr. After a deliberate change of wording, regenerate with
//! `UPDATE_EXPECTED=1 cargo test --test bad_profiles` and review the diff.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
const DIR: &str = "tests/bad-profiles";

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .output()
        .expect("run mim-setup")
}

fn rendered(out: &Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status
            .code()
            .map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn cases() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIR);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_bad_profile_gives_its_exact_error() {
    let files = cases();
    assert!(files.len() >= 30, "only {} bad profiles", files.len());
    let update = std::env::var_os("UPDATE_EXPECTED").is_some();
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let rel = format!("{DIR}/{name}.toml");
        let got = rendered(&run(&["validate", &rel]));
        let expected_path = file.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(&expected_path)
            .unwrap_or_else(|_| panic!("{name}: no .expected file; run with UPDATE_EXPECTED=1"));
        if got != want {
            failures.push(format!("== {name}\n--- want\n{want}\n--- got\n{got}"));
        }
        // Every error says where: the file, a line and the key.
        let exit = got.lines().next().unwrap();
        assert!(exit == "exit: 1" || exit == "exit: 2", "{name}: {exit}");
        assert!(
            got.contains(&format!("{rel}:")),
            "{name}: no location\n{got}"
        );
        if !got.contains("not valid TOML") {
            assert!(got.contains('`'), "{name}: no key named\n{got}");
        }
        assert!(got.contains("fix:"), "{name}: no fix\n{got}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn both_exit_codes_are_covered() {
    let files = cases();
    let code = |f: &PathBuf| {
        std::fs::read_to_string(f.with_extension("expected"))
            .unwrap_or_default()
            .lines()
            .next()
            .unwrap_or_default()
            .to_string()
    };
    let unusable = files.iter().filter(|f| code(f) == "exit: 2").count();
    let blocking = files.iter().filter(|f| code(f) == "exit: 1").count();
    assert!(unusable >= 20, "{unusable} unusable-input cases");
    assert!(blocking >= 15, "{blocking} blocking-finding cases");
}

#[test]
fn plan_refuses_every_bad_profile_and_writes_nothing() {
    for file in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("plan.toml");
        let o = run(&["plan", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
        let name = file.display();
        assert!(
            matches!(o.status.code(), Some(1) | Some(2)),
            "{name}: {}",
            rendered(&o)
        );
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{name}: plan left {left:?}");
    }
}

#[test]
fn a_secret_in_clear_is_never_echoed() {
    let o = run(&["validate", &format!("{DIR}/secret-in-clear.toml")]);
    let all = rendered(&o);
    assert!(all.starts_with("exit: 2"), "{all}");
    assert!(!all.contains("Canary-Secret-91"), "{all}");
    assert!(all.contains("{ env = \"MIM_SYNC_PASSWORD\" }") && all.contains("{ prompt = true }"));
    let json = run(&["validate", "--json", &format!("{DIR}/secret-in-clear.toml")]);
    assert!(!rendered(&json).contains("Canary-Secret-91"));
}

#[test]
fn a_missing_file_is_unusable_input() {
    let o = run(&["validate", "tests/bad-profiles/no-such-profile.toml"]);
    let all = rendered(&o);
    assert!(all.starts_with("exit: 2"), "{all}");
    assert!(all.contains("no-such-profile.toml"), "{all}");
}

#[test]
fn json_reports_findings_with_their_fields() {
    let o = run(&[
        "validate",
        "--json",
        &format!("{DIR}/sql-server-with-port.toml"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
    let text = v.to_string();
    for key in ["sql-server-port", "sql.server", "why", "fix", "1433"] {
        assert!(text.contains(key), "{key} missing from {text}");
    }
}
