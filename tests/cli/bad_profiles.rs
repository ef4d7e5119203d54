//! Bad profiles, each with the exact output `mim-setup validate` must give and its exit code:
//! 2 for unusable input (unreadable file, malformed TOML, unknown keys, wrong types, secrets in
//! clear; the located errors go to stderr), 1 for blocking findings (errors or unacknowledged
//! warnings; the report goes to stdout). `plan` must refuse the same files and write nothing.
//!
//! `tests/bad-profiles/NAME.toml` holds the profile and `NAME.expected` the expected result:
//!
//! ```text
//! exit: 2
//! --- stdout
//! --- stderr
//! tests/bad-profiles/NAME.toml:LINE:COL: `key`: what is wrong
//!   fix: how to fix it
//! ```
//!
//! `missing-file.expected` is the one without a profile: it is what a missing file gives.
//! The binary runs with the crate root as working folder and relative paths, so the output
//! is stable. After a deliberate change of wording, regenerate with
//! `UPDATE_EXPECTED=1 cargo test --test cli bad_profiles` and review the diff.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod json;
mod output;

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const DIR: &str = "tests/bad-profiles";
/// The name of the case whose profile does not exist.
const MISSING: &str = "missing-file";
/// Secrets written in clear in the bad profiles all start with this; no output may hold one.
const CANARY: &str = "Canary-Secret-";

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env(
            "MIM_SETUP_STATE_DIR",
            std::env::temp_dir().join("mim-setup-bad-profiles"),
        )
        .output()
        .expect("run mim-setup")
}

fn run(args: &[&str]) -> Output {
    run_in(Path::new(ROOT), args)
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

/// The bad profiles, sorted by name.
fn cases() -> Vec<PathBuf> {
    let dir = Path::new(ROOT).join(DIR);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn stem(file: &Path) -> String {
    file.file_stem().unwrap().to_string_lossy().to_string()
}

fn rel(name: &str) -> String {
    format!("{DIR}/{name}.toml")
}

/// Compares (or, with `UPDATE_EXPECTED`, writes) one expected file; returns a failure report.
fn check_expected(name: &str, got: &str) -> Option<String> {
    let path = Path::new(ROOT).join(DIR).join(format!("{name}.expected"));
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, got).unwrap();
        return None;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{name}: no .expected file; run with UPDATE_EXPECTED=1"));
    (got != want).then(|| format!("== {name}\n--- want\n{want}\n--- got\n{got}"))
}

/// The canary secrets a profile's text holds (`Canary-Secret-NN` and what follows up to a
/// quote or the end of the line).
fn canaries(file: &Path) -> Vec<String> {
    let text = String::from_utf8_lossy(&std::fs::read(file).unwrap()).to_string();
    text.match_indices(CANARY)
        .map(|(i, _)| {
            text[i..]
                .split(['"', '\'', '\n', '\r'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .collect()
}

/// What every message must give: where (file, line and column, or the section a key is
/// missing from), which key, and how to fix it.
fn assert_well_formed(name: &str, got: &str) {
    let exit = got.lines().next().unwrap();
    let rel = rel(name);
    let (out, err) = got
        .split_once("--- stderr\n")
        .map(|(o, e)| {
            (
                o.trim_start_matches(exit)
                    .trim_start_matches("\n--- stdout\n"),
                e,
            )
        })
        .unwrap();
    match exit {
        "exit: 2" => {
            assert!(
                out.is_empty(),
                "{name}: unusable input writes no report\n{got}"
            );
            // Every error is `file:line:col: ` then the key (unless the TOML does not parse,
            // or the file cannot be read at all), then a fix on the next line.
            // The last line counts the errors.
            let summary = format!("{rel}: unusable: ");
            let last = err.lines().last().unwrap_or_default();
            assert!(last.starts_with(&summary), "{name}: no summary line\n{got}");
            let heads: Vec<&str> = err
                .lines()
                .filter(|l| !l.starts_with("  ") && !l.starts_with(&summary))
                .collect();
            assert!(
                last.starts_with(&format!("{summary}{} error(s);", heads.len())),
                "{name}: the summary miscounts\n{got}"
            );
            assert!(!heads.is_empty(), "{name}: no error\n{got}");
            for head in &heads {
                let loc = head
                    .strip_prefix(&format!("{rel}:"))
                    .unwrap_or_else(|| panic!("{name}: not located in {rel}: {head}"));
                let mut parts = loc.splitn(3, ':');
                let line: usize = parts.next().unwrap().parse().expect("a line number");
                let col: usize = parts.next().unwrap().parse().expect("a column number");
                assert!(line >= 1 && col >= 1, "{name}: {head}");
                let rest = parts.next().unwrap();
                assert!(
                    rest.starts_with(" `")
                        || rest.contains("not valid TOML")
                        || rest.contains("not UTF-8"),
                    "{name}: no key named: {head}"
                );
            }
            assert_eq!(
                err.lines().filter(|l| l.starts_with("  fix: ")).count(),
                heads.len(),
                "{name}: every error needs a fix\n{got}"
            );
        }
        "exit: 1" => {
            assert!(err.is_empty(), "{name}: findings go to stdout\n{got}");
            let summary = format!("{rel}: ");
            let findings: Vec<&str> = out
                .lines()
                .filter(|l| !l.starts_with("  ") && !l.starts_with(&summary))
                .collect();
            assert!(!findings.is_empty(), "{name}: no finding\n{got}");
            for f in &findings {
                assert!(f.contains("] `"), "{name}: no key named: {f}");
                let located = f
                    .strip_prefix(&format!("{rel}:"))
                    .and_then(|l| l.split(':').next())
                    .is_some_and(|n| n.parse::<usize>().is_ok());
                assert!(
                    located || out.contains("  where: "),
                    "{name}: neither a line nor a where: {f}"
                );
            }
            // Acknowledged warnings and info findings are one line each (without --verbose);
            // every other finding comes with its fix.
            let full = findings
                .iter()
                .filter(|f| !f.contains(" (acknowledged) [") && !f.contains(" info ["))
                .count();
            assert!(
                out.lines().filter(|l| l.starts_with("  fix: ")).count() >= full,
                "{name}: every finding needs a fix\n{got}"
            );
            assert!(
                out.lines().last().unwrap().starts_with(&summary),
                "{name}: no summary line\n{got}"
            );
        }
        other => panic!("{name}: unexpected {other}"),
    }
}

#[test]
fn every_bad_profile_gives_its_exact_output() {
    let files = cases();
    assert!(files.len() >= 35, "only {} bad profiles", files.len());
    let mut failures = Vec::new();
    let mut outputs = Vec::new();
    for file in &files {
        let name = stem(file);
        let got = rendered(&run(&["validate", &rel(&name)]));
        failures.extend(check_expected(&name, &got));
        outputs.push((name, got));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    for (name, got) in &outputs {
        assert_well_formed(name, got);
    }
}

#[test]
fn every_expected_file_has_its_profile() {
    for entry in std::fs::read_dir(Path::new(ROOT).join(DIR)).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "expected") && stem(&path) != MISSING {
            assert!(
                path.with_extension("toml").exists(),
                "{} has no profile",
                path.display()
            );
        }
    }
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
    assert!(unusable >= 30, "{unusable} unusable-input cases");
    assert!(blocking >= 20, "{blocking} blocking-finding cases");
}

#[test]
fn a_missing_file_is_unusable_input() {
    let name = MISSING;
    assert!(!Path::new(ROOT).join(rel(name)).exists());
    let got = rendered(&run(&["validate", &rel(name)]));
    assert!(got.starts_with("exit: 2\n"), "{got}");
    if let Some(failure) = check_expected(name, &got) {
        panic!("{failure}");
    }
    // Not a located error: the file as a whole, and how to find the shipped profiles.
    assert!(
        got.contains(&format!("{}: cannot read the profile", rel(name))),
        "{got}"
    );
    assert!(got.contains("fix: "), "{got}");
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("plan.toml");
    let abs = Path::new(ROOT).join(rel(name));
    let o = run_in(
        tmp.path(),
        &["plan", abs.to_str().unwrap(), "-o", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", rendered(&o));
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
}

#[test]
fn plan_refuses_every_bad_profile_and_writes_nothing() {
    for file in cases() {
        let name = stem(&file);
        let want = std::fs::read_to_string(file.with_extension("expected")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("plan.toml");
        // Run inside the temp folder so that any stray file would show up there.
        let o = run_in(
            tmp.path(),
            &["plan", file.to_str().unwrap(), "-o", out.to_str().unwrap()],
        );
        let got = rendered(&o);
        assert_eq!(
            got.lines().next(),
            want.lines().next(),
            "{name}: plan and validate disagree\n{got}"
        );
        assert!(o.stdout.is_empty(), "{name}: {got}");
        assert!(
            got.contains("no plan written") || got.contains("exit: 2"),
            "{name}: {got}"
        );
        assert!(!out.exists(), "{name}: the plan was written");
        let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
        assert!(left.is_empty(), "{name}: plan left {left:?}");
    }
}

#[test]
fn a_secret_in_clear_is_never_echoed() {
    let mut seen = 0;
    for file in cases() {
        let name = stem(&file);
        let secrets = canaries(&file);
        if secrets.is_empty() {
            continue;
        }
        seen += 1;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("plan.toml");
        let outputs = [
            run(&["validate", &rel(&name)]),
            run(&["validate", "--json", &rel(&name)]),
            run(&["plan", &rel(&name), "-o", out.to_str().unwrap()]),
            run(&["plan", "--json", &rel(&name)]),
        ];
        for o in &outputs {
            let all = rendered(o);
            assert!(all.starts_with("exit: 2\n"), "{name}: {all}");
            for s in &secrets {
                assert!(!all.contains(s.as_str()), "{name}: echoes {s}\n{all}");
            }
            assert!(
                !all.contains(CANARY),
                "{name}: echoes part of a secret\n{all}"
            );
        }
        // A secret written as a plain value is refused with the two ways to write it instead,
        // naming the field's own environment variable.
        if name.starts_with("secret-in-clear") && !name.ends_with("unclosed") {
            let env = match name.as_str() {
                "secret-in-clear-sp-service-password" => "MIM_SERVICE_PASSWORD",
                "secret-in-clear-sp-client-secret" => "MIM_APP_CLIENT_SECRET",
                _ => "MIM_SYNC_PASSWORD",
            };
            let all = rendered(&outputs[0]);
            assert!(all.contains("secret in clear"), "{name}: {all}");
            assert!(
                all.contains(&format!("{{ env = \"{env}\" }}"))
                    && all.contains("{ prompt = true }"),
                "{name}: {all}"
            );
        }
    }
    assert!(seen >= 5, "only {seen} profiles with a canary secret");
}
