//! `mim-setup completions SHELL` and `mim-setup man`: generated from the clap definitions.
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::new(BIN)
        .args(args)
        .output()
        .expect("run mim-setup");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn every_shell_gets_a_script_that_names_the_subcommands_and_their_options() {
    for (shell, marker) in [
        ("bash", "_mim__setup()"),
        ("zsh", "#compdef mim-setup"),
        ("fish", "complete -c mim-setup"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, out, err) = run(&["completions", shell]);
        assert_eq!(code, Some(0), "{shell}: {err}");
        assert!(out.contains(marker), "{shell}: no {marker}");
        for word in ["validate", "apply", "ca-file", "accept-drift"] {
            assert!(out.contains(word), "{shell}: no {word}");
        }
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bash") && err.contains("powershell"), "{err}");
}

#[test]
fn the_man_page_is_roff_and_lists_the_subcommands() {
    let (code, out, err) = run(&["man"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(".TH mim-setup 1"), "{out}");
    for word in [
        "validate",
        "check",
        "plan",
        "apply",
        "export",
        "completions",
    ] {
        assert!(out.contains(word), "no {word}");
    }
}
