//! The edge of the command line: a command that stops prints its message once, exactly, on
//! standard error, prints nothing on standard output, and exits with the code of its error.

use super::run;

#[test]
fn each_command_error_is_printed_once_with_its_prefix_and_exit_2() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["check", "profiles/contoso-sync.toml", "--timeout", "0"],
            "mim-setup check: --timeout 0: give a number of seconds between 0 and 600\n",
        ),
        (
            &["plan", "--check", "--set", "a=b", "profiles/contoso-sync.toml"],
            "mim-setup plan: --set is for `check` only: a plan is made from the profile as written; edit the profile instead\n",
        ),
        (
            &["plan", "--check", "--timeout", "700", "profiles/contoso-sync.toml"],
            "mim-setup plan: --timeout 700: give a number of seconds between 0 and 600\n",
        ),
        (
            &["apply", "no-such-plan.toml", "--runner", "no-such-runner-dir"],
            "mim-setup: the runner folder no-such-runner-dir does not exist\n  fix: point --runner (or MIM_SETUP_RUNNER) at a folder of stand-in programs (msiexec, netsh, powershell, sc, miiskmu)\n",
        ),
        (
            &["apply", "no-such-plan.toml", "--timeout=-1"],
            "mim-setup: --timeout -1: give a number of seconds between 0 and 600\n",
        ),
        (
            &["export", "no-such-plan.toml", "--format", "markdown"],
            "mim-setup: nothing exported: cannot read the plan no-such-plan.toml: No such file or directory (os error 2)\n  fix: check the path (a plan is what `mim-setup plan PROFILE -o FILE` writes)\n",
        ),
    ];
    for (args, want) in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err, *want, "{args:?}");
        assert_eq!(out, "", "{args:?}");
    }
}

#[test]
fn a_missing_plan_stops_apply_with_its_fix_once() {
    let (code, out, err) = run(&["apply", "no-such-plan.toml"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert_eq!(err.matches("no-such-plan.toml").count(), 1, "{err}");
    assert!(err.starts_with("mim-setup: "), "{err}");
    assert!(err.contains("\n  fix: "), "{err}");
}

/// The layering: nothing below the edge imports from it (`src/cli.rs` calls the commands,
/// they take their own arguments and plain options).
#[test]
fn nothing_below_the_edge_imports_from_it() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        let entries = std::fs::read_dir(dir).expect("src/ is readable");
        for entry in entries.map(|e| e.expect("a directory entry")) {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            let name = path.display().to_string();
            if path.extension().is_none_or(|x| x != "rs")
                || name.ends_with("src/cli.rs")
                || name.ends_with("src/main.rs")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if code.contains("crate::cli") || code.contains("WizardArgs") {
                    found.push(format!("{name}:{}: {line}", n + 1));
                }
            }
        }
    }
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    walk(&src, &mut found);
    assert!(found.is_empty(), "upward imports:\n{}", found.join("\n"));
}
