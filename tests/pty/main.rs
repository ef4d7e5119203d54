//! The real binary in a pseudo-terminal: the Contoso walkthrough by keystrokes (from the
//! screens' defaults and from the shipped profile), the canary password, SIGTERM and Ctrl-C
//! with the terminal restored and the draft kept, resume, quit, bad input before the
//! terminal is taken, the too-small message, ASCII and NO_COLOR. The Service and Portal
//! walkthroughs are in pty/service.rs.
#![cfg(unix)]

use testkit::pty as harness;
mod ack_reason;
mod demo;
mod doctor;
mod editing;
mod live_warning;
mod review;
mod seeds;
mod service;
mod walk;

use harness::{assert_restored, contains, files, rposition, spawn, Run, ENTER_ALT};
use mim_setup::profile::{self, draft, Profile};
use mim_setup::screens::Screens;
use std::path::Path;
use std::process::Command;

const CANARY: &str = "Canary-7f3e!x";
const ENTER: &str = "\r";
const TAB: &str = "\t";
const SHIFT_TAB: &str = "\x1b[Z";
const ESC: &str = "\x1b";
const F1: &str = "\x1bOP";
const END: &str = "\x1b[F";
const RIGHT: &str = "\x1b[C";
const CTRL_C: &str = "\x03";
const CTRL_Q: &str = "\x11";

const SETUP: &str = "What do you want to set up?";
const WELCOME: &str = "Welcome to the MIM Synchronization Service setup";
const LICENCE: &str = "I accept the terms";
const CHECKS: &str = "Live checks: how to reach";
const CUSTOM: &str = "Custom Setup";
const SQL: &str = "database connection";
const ACCOUNT: &str = "Configure the Synchronization Service account";
const GROUPS: &str = "security groups";
const SECURITY: &str = "Security settings";
const SUMMARY: &str = "Ready to install";
const FINISH: &str = "Install plan:";

fn screens() -> &'static Screens {
    Screens::embedded().expect("embedded screens")
}

fn load(file: &Path) -> Profile {
    profile::load_file(file, screens(), false)
        .unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        .profile
}

fn shipped() -> Profile {
    load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-sync.toml"))
}

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mim-setup"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn masked(text: &str) -> String {
    "\u{2022}".repeat(text.chars().count())
}

/// The component screen to the service-account screen with Enter (the next field, or the
/// next screen on the last field), ticking the licence unless the profile did; the draft
/// exists from the welcome screen on. A fresh run (`tick`) types the seed's values where
/// setup has no default, as a person following seed 000 does.
fn to_service_account(r: &mut Run, tick: bool) {
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    r.wait_file(&r.draft());
    r.send(ENTER);
    r.wait_for(LICENCE);
    if tick {
        r.send(TAB);
        r.send(" ");
    }
    r.wait_for("[x] I accept the terms");
    r.send(ENTER);
    through_checks(r, tick);
    r.wait_for(CUSTOM);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(SQL);
    // Location, then the server (seed 000: a remote machine named corpsql.contoso.com).
    r.send(ENTER);
    if tick {
        r.wait_for("e.g. corpsql.contoso.com");
        r.send("corpsql.contoso.com");
        r.wait_for("[corpsql.contoso.com");
    }
    r.keys(&[ENTER, ENTER, ENTER]);
    r.wait_for(ACCOUNT);
}

/// The live checks screen with Enter, field by field; a fresh run types the domain and the
/// computer the Contoso profile names and takes the example account with Right.
fn through_checks(r: &mut Run, fresh: bool) {
    r.wait_for(CHECKS);
    if fresh {
        r.send("contoso.local");
        r.wait_for("contoso.local");
    }
    // Domain, domain controller, connection: to the account.
    r.keys(&[ENTER, ENTER, ENTER]);
    if fresh {
        r.wait_for("e.g. contoso\\miminstall");
        r.send(RIGHT);
        r.wait_for("[contoso\\miminstall");
    }
    // Account, password: to the computer.
    r.keys(&[ENTER, ENTER]);
    if fresh {
        r.send("corpsync");
        r.wait_for("corpsync");
    }
    // Computer, SQL login, encryption: to the next screen.
    r.keys(&[ENTER, ENTER, ENTER]);
}

/// Types `text` into the focused field and waits until it shows.
fn type_in(r: &mut Run, text: &str) {
    r.send(text);
    r.wait_for(text);
}

/// From the service-account screen (focus on the account type) to the finish screen. A
/// fresh run (`fresh`) types seed 000's account and groups, takes the example key backup
/// file with Right, and meets setup's service-account warning on Install; a run from the
/// shipped profile meets it acknowledged, once, on the summary. Then setup's encryption key
/// message and, at the end, its sign-out message.
fn service_account_to_finish(r: &mut Run, password: Option<&str>, fresh: bool) {
    r.send(ENTER);
    if fresh {
        type_in(r, "MIMSync");
    }
    r.send(ENTER);
    if let Some(p) = password {
        r.send(p);
        r.wait_for(&masked(p));
    }
    r.send(ENTER);
    if fresh {
        type_in(r, "contoso");
    }
    r.send(ENTER);
    r.wait_for(GROUPS);
    if fresh {
        for (n, g) in [
            "contoso\\MIMSyncAdmins",
            "contoso\\MIMSyncOperators",
            "contoso\\MIMSyncJoiners",
            "contoso\\MIMSyncBrowse",
            "contoso\\MIMSyncPasswordReset",
        ]
        .iter()
        .enumerate()
        {
            if n > 0 {
                r.send(ENTER);
            }
            type_in(r, g);
        }
        r.send(ENTER);
    } else {
        r.wait_for("contoso\\MIMSyncAdmins");
        r.keys(&[ENTER, ENTER, ENTER, ENTER, ENTER]);
    }
    r.wait_for(SECURITY);
    r.send(ENTER);
    if fresh {
        r.send(RIGHT);
        r.wait_for("[C:\\MIMBackup\\MIMSyncKey.bin");
    }
    r.send(ENTER);
    r.wait_for(SUMMARY);
    if !fresh {
        r.wait_for("Warning (acknowledged)");
        r.send(ENTER);
        r.wait_gone("Warning (acknowledged)");
    }
    r.wait_for("Install ]");
    r.send(ENTER);
    if fresh {
        // Setup's warning about the service account's logon rights, acknowledged as the
        // walkthrough clicks OK.
        r.wait_for("OK, acknowledge");
        r.send(ENTER);
    }
    install_messages(r);
}

/// Setup's encryption key message on Install, then its sign-out message on the finish
/// screen, each read and passed with Enter (seed 000, steps 10.3 and 10.5).
fn install_messages(r: &mut Run) {
    r.wait_for("back up the encryption key");
    r.wait_for("miiskmu.exe");
    r.send(ENTER);
    r.wait_for("sign out to apply the group membership");
    r.wait_for("sign-out-for-group-membership");
    r.send(ENTER);
    r.wait_gone("sign out to apply the group membership");
    r.wait_for(FINISH);
}

/// The whole walkthrough from the screens' defaults (the seed's Contoso values), with the
/// canary typed as the password, help opened and closed, and the finish screen closed.
fn walkthrough() -> Run {
    let mut r = spawn(&["--log-level", "trace"]).start();
    r.wait_for(SETUP);
    r.send(F1);
    r.wait_for("Help - Component");
    r.send(ESC);
    r.wait_gone("Help - Component");
    // Tab and Shift-Tab come back to the first field: Enter still walks on from there.
    r.keys(&[TAB, SHIFT_TAB]);
    to_service_account(&mut r, true);
    service_account_to_finish(&mut r, Some(CANARY), true);
    r.wait_for("mim-sync.plan.toml");
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "closing the finish screen");
    r
}

#[test]
fn walkthrough_without_a_profile_writes_the_contoso_profile_and_plan() {
    let r = walkthrough();
    let raw = r.raw();
    assert_restored(&raw, 0);
    let after =
        String::from_utf8_lossy(&raw[rposition(&raw, b"\x1b[?1049l").expect("left")..]).to_string();
    assert!(after.contains("Profile saved:"), "{after:?}");

    let written = r.out().join("mim-sync.toml");
    let plan = r.out().join("mim-sync.plan.toml");
    let mut out = files(&r.out());
    out.sort();
    assert_eq!(out, vec![plan.clone(), written.clone()]);
    let v = bin()
        .arg("validate")
        .arg(&written)
        .output()
        .expect("validate");
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    // The same answers and acknowledgement as the shipped walkthrough profile.
    assert_eq!(load(&written), shipped());

    let text = std::fs::read_to_string(&plan).expect("plan");
    let plan_toml: toml::Value = toml::from_str(&text).expect("plan is TOML");
    let step = &plan_toml["steps"][0];
    assert_eq!(step["kind"].as_str(), Some("msiexec"));
    let command = step["command"].as_str().expect("command");
    assert!(command.starts_with("msiexec.exe /i \"Synchronization Service.msi\" /qn /L*v "));
    for p in [
        "ACCEPT_EULA=1",
        "INSTALLDIR=\"C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\\"",
        "STORESERVER=corpsql.contoso.com",
        "SQLDB=FIMSynchronizationService",
        "SERVICEACCOUNT=MIMSync",
        "SERVICEPASSWORD={{secret:sync_service_password}}",
        "SERVICEDOMAIN=contoso",
        "GROUPADMINS=contoso\\MIMSyncAdmins",
        "GROUPOPERATORS=contoso\\MIMSyncOperators",
        "GROUPACCOUNTJOINERS=contoso\\MIMSyncJoiners",
        "GROUPBROWSE=contoso\\MIMSyncBrowse",
        "GROUPPASSWORDSET=contoso\\MIMSyncPasswordReset",
        "FIREWALL_CONF=1",
    ] {
        assert!(command.contains(&format!(" {p}")), "{p} not in {command}");
    }
    // The msiexec line is exactly the one `mim-setup plan` gives for the shipped profile.
    let headless = bin()
        .args(["plan", "profiles/contoso-sync.toml"])
        .output()
        .expect("plan");
    let headless: toml::Value =
        toml::from_str(&String::from_utf8_lossy(&headless.stdout)).expect("headless plan");
    assert_eq!(step["argv"], headless["steps"][0]["argv"]);
    assert_eq!(step["command"], headless["steps"][0]["command"]);

    // The draft was saved on the way (`to_service_account` waits for it) and discarded.
    assert!(!r.draft().exists(), "draft kept after finishing");
    let log = std::fs::read_to_string(r.log()).expect("log");
    assert!(log.contains("draft saved") && log.contains("wizard finished"));
}

#[test]
fn the_canary_password_reaches_no_file_no_log_and_never_the_terminal() {
    let r = walkthrough();
    let mut all = files(r.dir.path());
    assert!(all.contains(&r.log()), "{all:?}");
    assert!(all.len() >= 3, "{all:?}");
    all.extend(files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles"),
    ));
    for f in all {
        let bytes = std::fs::read(&f).expect("read");
        assert!(
            !contains(&bytes, CANARY.as_bytes()),
            "canary in {}",
            f.display()
        );
    }
    let raw = r.raw();
    assert!(!contains(&raw, CANARY.as_bytes()), "canary on the terminal");
    // No part of it either: the terminal only ever got the mask.
    for part in ["Canary", "7f3e"] {
        assert!(!contains(&raw, part.as_bytes()), "{part} on the terminal");
    }
    assert!(contains(&raw, "\u{2022}".as_bytes()), "the mask was drawn");
}

#[test]
fn walkthrough_from_the_shipped_profile_at_80x24_writes_the_same_profile() {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).size(80, 24).start();
    to_service_account(&mut r, false);
    // The warning is acknowledged in the profile already: no popup.
    service_account_to_finish(&mut r, None, false);
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0);
    assert_restored(&r.raw(), 0);
    let written = r.out().join("contoso-sync.toml");
    assert!(r.out().join("contoso-sync.plan.toml").is_file());
    assert_eq!(load(&written), shipped());
    assert!(!r.draft().exists());
}

#[test]
fn sigterm_restores_the_terminal_keeps_the_draft_and_resume_continues() {
    let mut r = spawn(&[]).start();
    to_service_account(&mut r, true);
    // Type the password, then edit the domain: contoso -> contoso2.
    r.keys(&[ENTER, ENTER]);
    r.send(CANARY);
    r.wait_for(&masked(CANARY));
    r.send(TAB);
    type_in(&mut r, "contoso");
    r.keys(&[END, "2"]);
    r.wait_for("contoso2");
    let before = r.raw_len();
    // The shell's own kill: no procps needed.
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -TERM {}", r.pid())])
        .status()
        .expect("kill");
    assert!(killed.success());
    assert_eq!(r.wait_exit(), 143, "{}", r.screen());
    let raw = r.raw();
    assert_restored(&raw, before);
    let said = String::from_utf8_lossy(&raw[before..]).to_string();
    assert!(said.contains("stopped by a signal"), "{said:?}");

    // The draft: the edited answer and the screen, a reference but never the password.
    let text = std::fs::read_to_string(r.draft()).expect("draft kept");
    assert!(!text.contains(CANARY), "{text}");
    let d = draft::load(&r.state(), screens())
        .expect("draft loads")
        .expect("draft");
    assert_eq!(d.draft_screen.as_deref(), Some("service_account"));
    assert_eq!(d.answers.text("service_account.domain"), "contoso2");
    assert_eq!(d.answers.text("sql.server"), "corpsql.contoso.com");
    assert!(d.answers.flag("licence.accepted"));
    for f in files(r.dir.path()) {
        let bytes = std::fs::read(&f).expect("read");
        assert!(!contains(&bytes, CANARY.as_bytes()), "{}", f.display());
    }
    assert!(!contains(&raw, CANARY.as_bytes()));

    // --resume starts where the user left off, with the edited value.
    let dir = std::mem::replace(&mut r.dir, tempfile::tempdir().expect("temp"));
    drop(r);
    let mut again = spawn(&["--resume"]).dir(dir).start();
    again.wait_for(ACCOUNT);
    again.wait_for("contoso2");
    assert!(again.screen().contains("\u{25b6} Service account"));
    again.send(CTRL_C);
    assert_eq!(again.wait_exit(), 130);
}

#[test]
fn ctrl_c_mid_wizard_exits_130_restoring_the_terminal_and_keeping_the_draft() {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).size(80, 24).start();
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER, ENTER]);
    r.wait_for(LICENCE);
    r.keys(&[ENTER, ENTER]);
    through_checks(&mut r, false);
    r.keys(&[ENTER]);
    r.wait_for(SQL);
    // Location, then the server: corpsql.contoso.com -> corpsql2.contoso.com.
    r.send(TAB);
    r.keys(&[
        "\x1b[H", "\x1b[C", "\x1b[C", "\x1b[C", "\x1b[C", "\x1b[C", "\x1b[C", "\x1b[C",
    ]);
    r.send("2");
    r.wait_for("corpsql2.contoso.com");
    let before = r.raw_len();
    r.send(CTRL_C);
    assert_eq!(r.wait_exit(), 130);
    let raw = r.raw();
    assert_restored(&raw, before);
    let said = String::from_utf8_lossy(&raw[before..]).to_string();
    assert!(said.contains("interrupted"), "{said:?}");
    let d = draft::load(&r.state(), screens())
        .expect("draft loads")
        .expect("draft kept");
    assert_eq!(d.draft_screen.as_deref(), Some("sql"));
    assert_eq!(d.answers.text("sql.server"), "corpsql2.contoso.com");
    assert!(files(&r.out()).is_empty(), "nothing written to --out");
}

#[test]
fn quit_asks_first_stays_on_esc_then_exits_1_keeping_the_draft() {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).start();
    r.wait_for(SETUP);
    r.send(ENTER);
    r.send(ENTER);
    r.wait_for(WELCOME);
    r.send(CTRL_Q);
    r.wait_for("Really quit?");
    r.send(ESC);
    r.wait_gone("Really quit?");
    assert!(r.screen().contains(WELCOME));
    r.send(CTRL_Q);
    r.wait_for("[Enter/y] Quit");
    let before = r.raw_len();
    r.send("y");
    assert_eq!(r.wait_exit(), 1);
    let raw = r.raw();
    assert_restored(&raw, before);
    assert!(String::from_utf8_lossy(&raw[before..]).contains("cancelled"));
    assert!(r.draft().is_file(), "draft kept");
    assert!(files(&r.out()).is_empty());
}

#[test]
fn bad_profiles_exit_2_with_a_located_error_before_taking_the_terminal() {
    let dir = tempfile::tempdir().expect("temp");
    let bad = dir.path().join("bad.toml");
    let shipped = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-sync.toml"),
    )
    .expect("shipped");
    let line = shipped
        .lines()
        .position(|l| l.starts_with("password ="))
        .expect("password line")
        + 1;
    let text = shipped.replace(
        "password = { env = \"MIM_SYNC_PASSWORD\" }",
        "password = \"Pass-in-clear-1\"",
    );
    std::fs::write(&bad, text).expect("write");
    let bad = bad.to_str().expect("utf-8").to_string();
    let cases = [
        (
            bad.clone(),
            format!("{bad}:{line}:1: `service_account.password`"),
            "secret in clear",
        ),
        (
            "profiles/no-such.toml".to_string(),
            "profiles/no-such.toml: cannot read the profile".to_string(),
            "fix: check the path",
        ),
    ];
    for (file, located, also) in cases {
        // Standard error to a file: the message is there, not on the terminal.
        let mut r = spawn(&[&file]).stderr_to_file().start();
        assert_eq!(r.wait_exit(), 2, "{file}");
        let raw = r.raw();
        let err = r.stderr();
        assert!(err.starts_with(&located), "{file}: {err}");
        assert!(err.contains(also), "{file}: {err}");
        assert!(!err.contains("Pass-in-clear-1"), "{err}");
        assert!(!contains(&raw, ENTER_ALT), "{file}: took the terminal");
        assert!(!contains(&raw, b"\x1b[?1000h"), "{file}: took the mouse");
        assert!(!r.out().exists(), "{file}: --out created");
        assert!(!r.draft().exists(), "{file}: a draft");
        // The same on the terminal itself, when standard error is the terminal.
        let mut r = spawn(&[&file]).start();
        assert_eq!(r.wait_exit(), 2);
        let raw = r.raw();
        let shown = String::from_utf8_lossy(&raw).to_string();
        assert!(shown.contains(&located), "{shown:?}");
        assert!(!shown.contains("Pass-in-clear-1"), "{shown:?}");
        assert!(!contains(&raw, ENTER_ALT));
        assert!(!r.out().exists());
    }
}

#[test]
fn too_small_asks_for_a_larger_terminal_until_resized() {
    let mut r = spawn(&[]).size(70, 20).start();
    r.wait_for("needs a terminal of at least 80x24; this one is 70x20");
    assert!(!r.screen().contains(SETUP));
    r.resize(120, 40);
    r.wait_for(SETUP);
    r.wait_for("Steps");
    r.resize(80, 23);
    r.wait_for("this one is 80x23");
    r.resize(80, 24);
    r.wait_for(SETUP);
    let before = r.raw_len();
    r.send(CTRL_C);
    assert_eq!(r.wait_exit(), 130);
    assert_restored(&r.raw(), before);
}

/// The colour parameters of every SGR sequence (ESC [ params m) in `shown`: 30-38, 40-48,
/// 90-97, 100-107 (which covers `\x1b[38;...` and `\x1b[48;...`).
fn sgr_colours(shown: &str) -> Vec<String> {
    let mut colours = Vec::new();
    for seq in shown.split("\x1b[").skip(1) {
        let params: String = seq
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == ';')
            .collect();
        if seq[params.len()..].starts_with('m')
            && params
                .split(';')
                .filter_map(|p| p.parse::<u16>().ok())
                .any(|p| matches!(p, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        {
            colours.push(params);
        }
    }
    colours
}

/// 256-colour and true-colour foregrounds and backgrounds.
const EXTENDED_COLOURS: [&str; 4] = ["\x1b[38;5;", "\x1b[38;2;", "\x1b[48;5;", "\x1b[48;2;"];

fn box_drawing(shown: &str) -> Vec<char> {
    let mut found: Vec<char> = shown
        .chars()
        .filter(|c| ('\u{2500}'..='\u{257f}').contains(c))
        .collect();
    found.dedup();
    found
}

/// The frames of the first screen and, after Ctrl-N Ctrl-N, the licence page.
fn frames(r: Run) -> String {
    let mut r = r;
    r.wait_for(SETUP);
    r.keys(&["\x0e", "\x0e"]);
    r.wait_for(LICENCE);
    r.send(CTRL_C);
    assert_eq!(r.wait_exit(), 130);
    String::from_utf8_lossy(&r.raw()).to_string()
}

#[test]
fn ascii_and_no_colour_draw_no_box_characters_and_no_colours() {
    let plain = frames(spawn(&[]).start());
    assert!(
        !sgr_colours(&plain).is_empty(),
        "the default theme has colours"
    );
    assert!(plain.contains('\u{2502}'));

    let ascii = frames(spawn(&["--ascii"]).start());
    assert_eq!(box_drawing(&ascii), Vec::<char>::new(), "box drawing");
    assert_eq!(sgr_colours(&ascii), Vec::<String>::new());
    // Not a bare `ESC[38;`: that is also the cursor moving to row 38 (`ESC[38;1H`).
    for seq in EXTENDED_COLOURS {
        assert!(!ascii.contains(seq), "{seq:?}");
    }

    let no_color = frames(spawn(&[]).env("NO_COLOR", "1").start());
    assert_eq!(sgr_colours(&no_color), Vec::<String>::new());
    for seq in EXTENDED_COLOURS {
        assert!(!no_color.contains(seq), "{seq:?}");
    }
    assert!(
        no_color.contains('\u{2502}'),
        "NO_COLOR keeps the Unicode borders"
    );
}

#[test]
fn sighup_from_kill_exits_143_restoring_the_terminal_and_keeping_the_draft() {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).start();
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    let before = r.raw_len();
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -HUP {}", r.pid())])
        .status()
        .expect("kill");
    assert!(killed.success());
    assert_eq!(r.wait_exit(), 143);
    assert_restored(&r.raw(), before);
    let d = draft::load(&r.state(), screens())
        .expect("draft loads")
        .expect("draft kept");
    assert_eq!(d.draft_screen.as_deref(), Some("welcome"));
}

#[test]
fn closing_the_terminal_exits_143_and_keeps_the_draft() {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).start();
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    r.hang_up();
    // Nothing can be printed any more: the exit code and the draft are what is left.
    // Under load the hang-up can reach a terminal write before SIGHUP arrives: the same exit.
    assert_eq!(r.wait_exit(), 143);
    let d = draft::load(&r.state(), screens())
        .expect("draft loads")
        .expect("draft kept");
    assert_eq!(d.draft_screen.as_deref(), Some("welcome"));
}

/// A visited screen whose live check fails shows ✗ in the step list, although its rules
/// pass. The SQL Server is a loopback address where nothing listens: the connection is
/// refused (a SQL login, so that the check runs off Windows too).
#[test]
fn a_live_error_marks_its_step_in_the_step_list() {
    let host = "127.0.0.77";
    assert!(
        std::net::TcpStream::connect((host, 1433)).is_err(),
        "something listens on {host}:1433"
    );
    let mut at = shipped();
    let text = |v: &str| mim_setup::answers::Value::Text(v.to_string());
    at.answers.set("sql.server", text(host));
    at.answers.set("checks.sql_auth", text("sql"));
    at.answers.set("checks.sql_login", text("mimsetup"));
    at.answers.set(
        "checks.sql_password",
        mim_setup::answers::Value::Secret(mim_setup::secret::SecretRef::Env(
            "MIM_TEST_SQL_PASSWORD".into(),
        )),
    );
    // The rules alone pass the SQL screen: only the live check can mark it.
    let m = mim_setup::wizard::Model::new(screens(), Some(&at), "t");
    let sql = m.flow().into_iter().find(|s| s.id == "sql").expect("sql");
    let rules = mim_setup::rules::evaluate_screen(sql, &m.answers);
    assert!(!rules.iter().any(|f| f.blocks()), "{rules:?}");
    at.draft_screen = Some("summary".into());
    let dir = tempfile::tempdir().expect("temp");
    draft::save(&dir.path().join("state"), &at, screens()).expect("draft saved");
    let r = spawn(&["--resume"])
        .live()
        .env("MIM_TEST_SQL_PASSWORD", "not-a-real-one")
        .dir(dir)
        .start();
    r.wait_for(SUMMARY);
    r.wait_for("\u{2717} SQL Server");
    assert!(
        r.screen().contains("\u{2713} Security groups"),
        "{}",
        r.screen()
    );
}

/// The plan the finish writes records the facts the wizard's checks saw (as `plan --check`
/// does): here the local ports check, which needs no server. The ports are checked only on
/// the profile's server (`checks.computer`, CORPIDM), so the wizard runs as CORPIDM.
#[test]
fn the_plan_from_the_finish_carries_the_facts_the_checks_saw() {
    let mut at =
        load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-service-portal.toml"));
    at.draft_screen = Some("service_summary".into());
    let dir = tempfile::tempdir().expect("temp");
    draft::save(&dir.path().join("state"), &at, screens()).expect("draft saved");
    let mut r = spawn(&["--resume"])
        .live()
        .env("COMPUTERNAME", "CORPIDM")
        .dir(dir)
        .start();
    r.wait_for(SUMMARY);
    let log = r.log();
    r.wait_file_text(&log, "key=net.ports");
    r.wait_for("Install ]");
    r.send(ENTER);
    r.wait_for(FINISH);
    let plan = r.out().join("mim-service-portal.plan.toml");
    r.wait_file(&plan);
    let text = std::fs::read_to_string(&plan).expect("plan");
    let table: toml::Table = text.parse().expect("the plan is TOML");
    let facts = table
        .get("facts")
        .and_then(|f| f.as_table())
        .unwrap_or_else(|| panic!("no facts in\n{text}"));
    assert!(
        facts.keys().any(|k| k.starts_with("net.port.")),
        "{facts:?}"
    );
}

/// `check` asks for a `{ prompt = true }` secret on the terminal (the reference written as in
/// a profile, on `--set`), and refuses an empty answer as `apply` does: the check that needed
/// it says why, naming the secret, and nothing is tried with an empty password.
#[test]
fn check_asks_on_the_terminal_and_refuses_an_empty_answer() {
    let mut r = spawn(&[
        "check",
        "profiles/contoso-service-portal.toml",
        "--only",
        "sql",
        "--timeout",
        "2",
        "--set",
        "checks.sql_auth=sql",
        "--set",
        "checks.sql_password={ prompt = true }",
    ])
    .command()
    .start();
    r.wait_for("Secret `checks.sql_password` (not shown):");
    r.send(ENTER);
    r.wait_exit();
    let out = String::from_utf8_lossy(&r.raw()).into_owned();
    assert!(
        out.contains("secret `checks.sql_password`: the empty answer was refused"),
        "{out}"
    );
}
