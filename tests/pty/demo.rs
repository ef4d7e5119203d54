//! `mim-setup demo` in a pseudo-terminal: the built-in Contoso environment, the wizard's live
//! checks against it. Autoplay through the Sync walkthrough to the finish with every check
//! green; a fault switched on from the fault panel (F7) showing its finding on its screen and
//! gone again when switched off, for Sync and for the Service and Portal; the narration
//! panel (F6); the asciicast recording, with a typed canary secret that is not in it.
use super::harness::{assert_restored, contains, files, spawn, Run};
use super::walk::CTRL_N;
use super::{ENTER, TAB};
use std::path::Path;

const F6: &str = "\x1b[17~";
const F7: &str = "\x1b[18~";
const ESC: &str = "\x1b";
const CTRL_Q: &str = "\x11";
const ERROR_MARK: &str = "\u{2717}";
const CANARY: &str = "Demo-Canary-5vq";

/// Ctrl-N until the screen titled `title` shows, dismissing the acknowledged warnings shown
/// once on a screen's first visit.
fn next_to(r: &mut Run, title: &str) {
    for _ in 0..4 {
        r.send(CTRL_N);
        r.wait_until(&format!("{title:?} or an acknowledged warning"), |s| {
            s.contains(title) || s.contains("Warning (acknowledged)")
        });
        if r.screen().contains("Warning (acknowledged)") {
            r.send(ENTER);
            r.wait_gone("Warning (acknowledged)");
        }
        if r.screen().contains(title) {
            return;
        }
    }
    panic!("did not reach {title:?}; {}", r.screen());
}

/// The demo's wizard (live checks on: the harness adds no `--offline`).
fn demo(args: &[&str]) -> Run {
    let mut all = vec!["demo"];
    all.extend_from_slice(args);
    spawn(&all).live().start()
}

/// The findings panel and the rest of the screen below the form's title.
fn quit(r: &mut Run) {
    r.send(CTRL_Q);
    r.wait_for("Quit");
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 1, "{}", r.screen());
}

/// On the screen titled `title`, fault `fault` from the panel: its finding (`finding`,
/// words of its message) shows with the error mark; switched off, the screen is green again.
fn fault_on_and_off(r: &mut Run, fault: &str, finding: &str) {
    r.wait_until("the screen's checks to pass", |s| {
        !s.contains(ERROR_MARK) && !s.contains('\u{2026}')
    });
    r.send(F7);
    r.wait_for("Demo faults");
    // The panel opens on this screen's first fault; move to `fault`.
    for _ in 0..30 {
        if r.screen().contains(&format!("> [ ]* {fault}")) {
            break;
        }
        r.send("\x1b[B");
    }
    r.wait_for(&format!("> [ ]* {fault}"));
    r.send(" ");
    r.wait_for(&format!("> [x]* {fault}"));
    r.send(ESC);
    r.wait_gone("Demo faults");
    r.wait_until(&format!("{finding:?} with the error mark"), |s| {
        s.contains(ERROR_MARK) && s.contains(finding)
    });
    r.send(F7);
    r.wait_for(&format!("> [x]* {fault}"));
    r.send(ENTER);
    r.wait_for(&format!("> [ ]* {fault}"));
    r.send(ESC);
    r.wait_gone("Demo faults");
    r.wait_until("the screen green again", |s| {
        !s.contains(ERROR_MARK) && !s.contains(finding)
    });
}

#[test]
fn autoplay_plays_the_sync_walkthrough_to_the_finish_every_check_green() {
    let mut r = demo(&["--autoplay", "40"]);
    r.wait_for("Welcome to the MIM Synchronization Service setup");
    r.wait_for("Configure the Synchronization Service database connection");
    r.wait_for("Configure the Synchronization Service account");
    r.wait_for("Install plan:");
    r.wait_for("autoplay: the walkthrough is finished");
    let screen = r.screen();
    // Every step done, none red, and nothing on the finish screen is.
    assert!(!screen.contains(ERROR_MARK), "{screen}");
    let plan = r.out().join("demo-sync.plan.toml");
    let text = std::fs::read_to_string(&plan).expect("the plan");
    // The checks of every area saw the demo's servers, and the plan recorded it.
    for fact in [
        "\"sql.version\" = \"15.0",
        "\"sql.sysadmin\" = \"yes\"",
        "\"ad.account.MIMSync.dn\" = \"CN=MIMSync,CN=Users,DC=contoso,DC=local\"",
        "\"ad.group.MIMSyncAdmins.scope\" = \"global\"",
        "\"net.dns.corpsql.contoso.com\" = \"127.0.0.1\"",
    ] {
        assert!(text.contains(fact), "{fact} not in {text}");
    }
    assert!(text.contains("facts_checked_at = "), "{text}");
    let log = std::fs::read_to_string(r.log()).expect("log");
    assert!(log.contains("live check finished"), "{log}");
    let from = r.raw_len();
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "{}", r.screen());
    assert_restored(&r.raw(), from);
}

#[test]
fn sync_a_disabled_account_switched_on_shows_on_the_account_screen_then_green_again() {
    let mut r = demo(&[]);
    r.wait_for("What do you want to set up?");
    for title in [
        "Welcome to the MIM Synchronization Service setup",
        "End-User License Agreement",
        "Live checks: how to reach",
        "Custom Setup",
        "database connection",
        "Configure the Synchronization Service account",
    ] {
        next_to(&mut r, title);
    }
    fault_on_and_off(&mut r, "ad-disabled-account", "MIMSync is disabled");
    quit(&mut r);
}

#[test]
fn service_portal_full_text_missing_shows_on_the_database_screen_then_green_again() {
    let mut r = demo(&["service-portal"]);
    r.wait_for("What do you want to set up?");
    for title in [
        "Welcome to the MIM Service and Portal setup",
        "End-User License Agreement",
        "Live checks: how to reach",
        "MIM Customer Experience Improvement Program",
        "MIM Service and Portal components",
        "Configure the MIM database connection",
    ] {
        next_to(&mut r, title);
    }
    fault_on_and_off(
        &mut r,
        "sql-fulltext-missing",
        "Full-Text Search is not installed",
    );
    quit(&mut r);
}

#[test]
fn the_narration_tells_the_walkthrough_step_what_was_asked_and_what_it_catches() {
    let mut r = demo(&[]);
    r.wait_for("What do you want to set up?");
    for title in [
        "Welcome to the MIM Synchronization Service setup",
        "End-User License Agreement",
        "Live checks: how to reach",
        "Custom Setup",
        "database connection",
    ] {
        next_to(&mut r, title);
    }
    r.wait_for("F6 narration");
    r.send(F6);
    r.wait_for("Narration (F6 hides)");
    r.wait_for("Seed 000 step 6");
    r.wait_for("What the checks just asked");
    r.wait_for("asked the demo's SQL Server");
    r.wait_for("5 ok, 0 warning(s), 0 error(s), 0 not run");
    r.wait_for("In a real environment they catch");
    r.wait_for("sql-version-unsupported (F7 switches it)");
    r.send(F6);
    r.wait_gone("Narration (F6 hides)");
    quit(&mut r);
}

#[test]
fn the_recording_is_asciicast_v2_and_holds_no_typed_secret() {
    let dir = tempfile::tempdir().expect("dir");
    let cast = dir.path().join("session.cast");
    let cast_arg = cast.to_str().expect("path").to_string();
    let mut r = demo(&["--record", &cast_arg]);
    r.wait_for("What do you want to set up?");
    for title in [
        "Welcome to the MIM Synchronization Service setup",
        "End-User License Agreement",
        "Live checks: how to reach",
        "Custom Setup",
        "database connection",
        "Configure the Synchronization Service account",
    ] {
        next_to(&mut r, title);
    }
    // The account type, the name, then the password: typed over the walkthrough's.
    r.keys(&[TAB, TAB]);
    r.send("\x15");
    r.send(CANARY);
    r.wait_for(&"\u{2022}".repeat(CANARY.chars().count()));
    assert!(!cast.exists(), "the recording takes its name at the end");
    quit(&mut r);
    let text = std::fs::read_to_string(&cast).expect("the recording");
    assert!(!text.contains(CANARY), "the canary is in the recording");
    let mut lines = text.lines();
    let header: serde_json::Value =
        serde_json::from_str(lines.next().expect("a header")).expect("the header is JSON");
    assert_eq!(header["version"], 2, "{header}");
    assert_eq!(header["width"], 120, "{header}");
    assert_eq!(header["height"], 40, "{header}");
    assert!(header["timestamp"].as_u64().is_some(), "{header}");
    // Played back through a terminal emulator, as `asciinema play` does: the account screen
    // with the typed password masked.
    let mut last = 0.0;
    let mut player = vt100::Parser::new(40, 120, 0);
    let mut masked_seen = false;
    let mask = "\u{2022}".repeat(CANARY.chars().count());
    for line in lines {
        let e: serde_json::Value = serde_json::from_str(line).expect("an event is JSON");
        let t = e[0].as_f64().expect("its time");
        assert!(t >= last, "events in time order");
        last = t;
        assert_eq!(e[1], "o", "{line}");
        player.process(e[2].as_str().expect("its text").as_bytes());
        let shown = player.screen().contents();
        masked_seen |= shown.contains("Configure the Synchronization Service account")
            && shown.contains(&mask);
    }
    assert!(
        masked_seen,
        "the account screen with the masked password is not played back"
    );
    // Nothing else on disk holds it either.
    for f in files(dir.path()).into_iter().chain(files(r.dir.path())) {
        let bytes = std::fs::read(&f).expect("read");
        assert!(
            !contains(&bytes, CANARY.as_bytes()),
            "canary in {}",
            f.display()
        );
    }
    assert!(Path::new(&cast).exists());
}

#[test]
fn autoplay_plays_the_service_and_portal_walkthrough_to_the_finish_every_check_green() {
    let mut r = demo(&["service-portal", "--autoplay", "40"]);
    r.wait_for("Configure the MIM database connection");
    r.wait_for("Configure common services");
    r.wait_for("Install plan:");
    r.wait_for("autoplay: the walkthrough is finished");
    assert!(!r.screen().contains(ERROR_MARK), "{}", r.screen());
    let plan =
        std::fs::read_to_string(r.out().join("demo-service-portal.plan.toml")).expect("the plan");
    for fact in ["\"sql.version\" = \"15.0", "\"sql.fulltext\" = \"yes\""] {
        assert!(plan.contains(fact), "{fact} not in {plan}");
    }
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "{}", r.screen());
}

/// The README's first command, as a newcomer types it: the wizard opens on the demo, and the
/// first screen checked live goes green.
#[test]
fn the_readmes_first_command_opens_the_demo_with_live_checks_green() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let first = readme
        .lines()
        .skip_while(|l| !l.starts_with("```sh"))
        .nth(1)
        .expect("a first command");
    let command = first.split('#').next().unwrap_or_default().trim();
    assert_eq!(command, "cargo run --release -- demo", "{first}");
    let args: Vec<&str> = command
        .split_whitespace()
        .skip_while(|a| *a != "--")
        .skip(1)
        .collect();
    let mut r = spawn(&args).live().start();
    r.wait_for("What do you want to set up?");
    r.wait_for("F7 faults");
    for title in [
        "Welcome to the MIM Synchronization Service setup",
        "End-User License Agreement",
        "Live checks: how to reach",
    ] {
        next_to(&mut r, title);
    }
    r.wait_until("the directory's checks to pass", |s| {
        s.contains("\u{2713} ") && !s.contains(ERROR_MARK) && !s.contains('\u{2026}')
    });
    quit(&mut r);
}
