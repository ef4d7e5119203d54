//! The real binary in a pseudo-terminal: the Contoso walkthrough by keystrokes, the canary
//! secret, SIGTERM and Ctrl-C with the terminal restored and the draft kept, resume, bad
//! input before the terminal is taken, and the too-small message.
#![allow(clippy::unwrap_used)]
#![cfg(unix)]

#[path = "pty/harness.rs"]
mod harness;

use harness::{files, Run};
use std::process::Command;

const CANARY: &str = "Canary-7f3e!x";
const NEXT: &str = "\x0e"; // Ctrl-N
const TAB: &str = "\t";
const END: &str = "\x1b[F";
const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
const ENTER_ALT: &[u8] = b"\x1b[?1049h";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn position(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// From the first screen to the service-account screen, accepting the licence on the way.
fn to_service_account(r: &mut Run) {
    r.wait_for("What do you want to set up?");
    r.send(NEXT);
    r.wait_for("Welcome");
    r.send(NEXT);
    r.wait_for("I accept the terms");
    r.send(TAB);
    r.send(" ");
    r.wait_for("[x] I accept the terms");
    r.send(NEXT);
    r.wait_for("Custom Setup");
    r.send(NEXT);
    r.wait_for("database connection");
    r.send(NEXT);
    r.wait_for("Configure the Synchronization Service account");
}

/// On the service-account screen: focus the password and type the canary.
fn type_password(r: &mut Run) {
    r.send(TAB);
    r.send(TAB);
    r.send(CANARY);
    r.wait_for(&"\u{2022}".repeat(CANARY.chars().count()));
}

fn validate(file: &std::path::Path) -> i32 {
    Command::new(env!("CARGO_BIN_EXE_mim-setup"))
        .args(["validate", file.to_str().unwrap()])
        .output()
        .unwrap()
        .status
        .code()
        .unwrap()
}

fn plan_command(text: &str) -> String {
    let v: toml::Value = toml::from_str(text).unwrap();
    v["steps"][0]["command"].as_str().unwrap().to_string()
}

#[test]
fn contoso_walkthrough_by_keystrokes_writes_the_profile_and_plan_and_no_secret() {
    let mut r = Run::start(&[], 120, 40, None);
    to_service_account(&mut r);
    type_password(&mut r);
    r.send(NEXT);
    r.wait_for("Security groups");
    r.wait_for("contoso\\MIMSyncAdmins");
    r.send(NEXT);
    r.wait_for("firewall");
    r.send(NEXT);
    r.wait_for("Install ]");
    r.send(NEXT);
    // The seed's warning about the service account, acknowledged as the walkthrough does.
    r.wait_for("OK, acknowledge");
    r.send("\r");
    r.wait_for("Install plan:");
    r.send("\r");
    assert_eq!(r.wait_exit(), 0, "{}", r.screen());
    let raw = r.raw();
    assert!(contains(&raw, LEAVE_ALT) && contains(&raw, SHOW_CURSOR));

    let profile = r.out().join("mim-sync.toml");
    let plan = r.out().join("mim-sync.plan.toml");
    assert_eq!(validate(&profile), 0, "the written profile validates");
    // The plan's msiexec line is the one of the shipped Contoso profile.
    let written = std::fs::read_to_string(&plan).unwrap();
    let shipped = Command::new(env!("CARGO_BIN_EXE_mim-setup"))
        .args(["plan", "profiles/contoso-sync.toml"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert_eq!(
        plan_command(&written),
        plan_command(&String::from_utf8(shipped.stdout).unwrap())
    );
    for p in [
        "STORESERVER=corpsql.contoso.com",
        "SERVICEACCOUNT=MIMSync",
        "GROUPADMINS=contoso\\MIMSyncAdmins",
    ] {
        assert!(written.contains(p), "{p}");
    }
    // The draft is gone once the run has finished.
    assert!(!files(&r.state())
        .iter()
        .any(|f| f.to_string_lossy().contains("draft")));

    // The canary: in no file written, not in the log, never on the terminal in clear.
    let mut all = files(r.dir.path());
    all.push(r.log());
    assert!(all.len() >= 3, "{all:?}");
    for f in all {
        let bytes = std::fs::read(&f).unwrap_or_default();
        assert!(
            !contains(&bytes, CANARY.as_bytes()),
            "canary in {}",
            f.display()
        );
    }
    assert!(!contains(&raw, CANARY.as_bytes()), "canary on the terminal");
}

#[test]
fn sigterm_restores_the_terminal_keeps_the_draft_and_resume_continues() {
    let mut r = Run::start(&[], 120, 40, None);
    to_service_account(&mut r);
    type_password(&mut r);
    r.send(TAB);
    r.send(END);
    r.send("2");
    r.wait_for("contoso2");
    let before = r.raw().len();
    // The shell's own kill: no procps needed.
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", r.pid())])
        .status()
        .unwrap();
    assert!(killed.success());
    assert_eq!(r.wait_exit(), 143);
    let raw = r.raw();
    let after = &raw[before..];
    assert!(contains(after, LEAVE_ALT), "alternate screen left");
    assert!(contains(after, SHOW_CURSOR), "cursor shown");
    let drafts = files(&r.state());
    let draft = drafts
        .iter()
        .find(|f| f.extension().is_some_and(|e| e == "toml"))
        .unwrap_or_else(|| panic!("no draft in {drafts:?}"));
    let text = std::fs::read_to_string(draft).unwrap();
    assert!(text.contains("contoso2"), "{text}");
    assert!(!text.contains(CANARY), "{text}");
    for f in files(r.dir.path()) {
        assert!(!contains(
            &std::fs::read(&f).unwrap_or_default(),
            CANARY.as_bytes()
        ));
    }

    // --resume starts where the user left off, with the edited value.
    let dir = std::mem::replace(&mut r.dir, tempfile::tempdir().unwrap());
    drop(r);
    let mut again = Run::start(&["--resume"], 120, 40, Some(dir));
    again.wait_for("Configure the Synchronization Service account");
    again.wait_for("contoso2");
    again.send("\x03");
    assert_eq!(again.wait_exit(), 130);
}

#[test]
fn ctrl_c_leaves_at_once_restoring_the_terminal_and_keeping_the_draft() {
    let mut r = Run::start(&["profiles/contoso-sync.toml"], 80, 24, None);
    r.wait_for("What do you want to set up?");
    r.send(NEXT);
    r.wait_for("Welcome");
    r.send("\x03");
    assert_eq!(r.wait_exit(), 130);
    let raw = r.raw();
    let entered = position(&raw, ENTER_ALT).unwrap();
    let left = position(&raw, LEAVE_ALT).unwrap();
    assert!(left > entered);
    assert!(!files(&r.state()).is_empty(), "draft kept");
}

#[test]
fn quit_asks_first_then_exits_1() {
    let mut r = Run::start(&["profiles/contoso-sync.toml"], 120, 40, None);
    r.wait_for("What do you want to set up?");
    r.send("\x11");
    r.wait_for("uit");
    r.send("y");
    assert_eq!(r.wait_exit(), 1);
    assert!(contains(&r.raw(), LEAVE_ALT));
}

#[test]
fn a_bad_profile_exits_2_before_taking_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/contoso-sync.toml"
    ))
    .unwrap()
    .replace(
        "password = { env = \"MIM_SYNC_PASSWORD\" }",
        "password = \"Pass-in-clear-1\"",
    );
    std::fs::write(&bad, text).unwrap();
    for file in [bad.to_str().unwrap(), "profiles/no-such.toml"] {
        let mut r = Run::start(&[file], 120, 40, None);
        assert_eq!(r.wait_exit(), 2);
        let raw = r.raw();
        assert!(!contains(&raw, ENTER_ALT), "{file}: took the terminal");
        assert!(!contains(&raw, b"Pass-in-clear-1"));
        let shown = String::from_utf8_lossy(&raw).to_string();
        assert!(shown.contains(".toml"), "{shown}");
        assert!(files(&r.out()).is_empty());
    }
}

#[test]
fn too_small_then_resized() {
    let mut r = Run::start(&[], 70, 20, None);
    r.wait_for("80");
    assert!(!r.screen().contains("Steps"));
    r.resize(120, 40);
    // A resize event redraws at the new size.
    r.wait_for("What do you want to set up?");
    r.send("\x03");
    assert_eq!(r.wait_exit(), 130);
}

/// The colour parameters of every SGR sequence (ESC [ params m) in `shown`.
fn sgr_colours(shown: &str) -> Vec<String> {
    let mut colours = Vec::new();
    for seq in shown.split("\x1b[").skip(1) {
        let params: String = seq
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        if seq[params.len()..].starts_with('m') {
            for p in params.split(';').filter_map(|p| p.parse::<u16>().ok()) {
                if matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107) {
                    colours.push(params.clone());
                }
            }
        }
    }
    colours
}

fn first_frame(args: &[&str], no_color: bool) -> String {
    let mut r = Run::start_with(args, 120, 40, no_color);
    r.wait_for("What do you want to set up?");
    r.send("\x03");
    assert_eq!(r.wait_exit(), 130);
    String::from_utf8_lossy(&r.raw()).to_string()
}

#[test]
fn ascii_and_no_colour_draw_no_box_characters_and_no_colours() {
    let plain = first_frame(&[], false);
    assert!(
        !sgr_colours(&plain).is_empty(),
        "the default theme has colours"
    );
    assert!(plain.contains('\u{2502}'));
    let ascii = first_frame(&["--ascii"], false);
    assert!(
        !ascii.contains('\u{256d}') && !ascii.contains('\u{2502}'),
        "box drawing"
    );
    assert_eq!(sgr_colours(&ascii), Vec::<String>::new());
    let no_color = first_frame(&[], true);
    assert_eq!(sgr_colours(&no_color), Vec::<String>::new());
    assert!(
        no_color.contains('\u{2502}'),
        "NO_COLOR keeps the Unicode borders"
    );
}
