//! The wizard itself against the lab, in a pseudo-terminal: the live checks run while the
//! admin is on the screen, a blocking finding keeps Next closed, and a good answer opens it.
use super::common::lab;
use crate::harness::{contains, spawn, Run};

const ENTER: &str = "\r";
const SETUP: &str = "What do you want to set up?";
const WELCOME: &str = "Welcome to the MIM Synchronization Service setup";
const LICENCE: &str = "I accept the terms";
const CHECKS: &str = "Live checks: how to reach";
const CUSTOM: &str = "Custom Setup";
const SQL: &str = "database connection";
const ACCOUNT: &str = "Configure the Synchronization Service account";
const BLOCKED: &str = "fix them before going on";
const SYNC: &str = "profiles/contoso-sync.toml";

/// The shipped Sync profile in the wizard, live, with the lab's settings and `password` as
/// the directory bind password.
fn wizard(password: &str) -> Run {
    let lab = lab();
    let mut s = spawn(&[SYNC]).live();
    for (k, v) in &lab.env {
        if k != "MIM_CHECK_BIND_PASSWORD" {
            s = s.env(k, v);
        }
    }
    s.env("MIM_CHECK_BIND_PASSWORD", password).start()
}

/// From the component screen to the live checks screen.
fn to_checks(r: &mut Run) {
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    r.send(ENTER);
    r.wait_for(LICENCE);
    r.send(ENTER);
    r.wait_for(CHECKS);
}

/// Enter on each field of the checks screen: the last one is Next.
fn next_on_checks(r: &mut Run) {
    for _ in 0..8 {
        r.send(ENTER);
    }
}

#[test]
fn a_wrong_bind_password_shows_52e_on_the_checks_screen_and_keeps_next_closed() {
    let canary = "Wrong-Canary-5d1e!";
    let mut r = wizard(canary);
    to_checks(&mut r);
    // The bind runs in the background; its finding arrives on this screen.
    r.wait_until("the bind's finding", |s| {
        s.contains("✗ Directory bind as") && s.contains("52e")
    });
    next_on_checks(&mut r);
    r.wait_for(BLOCKED);
    let shown = r.screen();
    assert!(
        shown.contains(CHECKS) && !shown.contains(CUSTOM),
        "Next must stay closed: {shown}"
    );
    assert!(
        !contains(&r.raw(), canary.as_bytes()),
        "the password reached the terminal"
    );
    let log = std::fs::read_to_string(r.log()).unwrap_or_default();
    assert!(!log.contains(canary), "the password reached the log");
}

#[test]
fn a_good_bind_opens_next_and_the_account_screen_shows_its_check() {
    let lab = lab();
    let password = lab.env["MIM_CHECK_BIND_PASSWORD"].clone();
    let mut r = wizard(&password);
    to_checks(&mut r);
    r.wait_for("✓ Directory bind as");
    next_on_checks(&mut r);
    r.wait_for(CUSTOM);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(SQL);
    r.keys(&[ENTER, ENTER, ENTER, ENTER]);
    r.wait_for(ACCOUNT);
    r.wait_for("✓ Account contoso\\MIMSync");
    assert!(!contains(&r.raw(), password.as_bytes()));
}
