//! The wizard as the seeds walk it, in the real binary: a loaded profile's errors marked in
//! the step list from the first screen, and a fresh run showing the walkthrough's values as
//! examples, not answers.
use super::harness::spawn;
use super::{ENTER, SETUP, WELCOME};

/// A copy of the shipped profile with an error on the groups screen and one on the SQL
/// screen: both are marked while the wizard is still on its first screen.
#[test]
fn a_loaded_profiles_errors_are_marked_in_the_step_list_from_the_start() {
    let dir = tempfile::tempdir().expect("temp");
    let shipped = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-sync.toml"),
    )
    .expect("shipped profile");
    let broken = shipped
        .replace("admins = 'contoso\\MIMSyncAdmins'", "admins = 'a\\b\\c'")
        .replace(
            "server = \"corpsql.contoso.com\"",
            "server = \"corpsql.contoso.com,1433\"",
        );
    assert_ne!(broken, shipped);
    let file = dir.path().join("broken.toml");
    std::fs::write(&file, broken).expect("write");
    let r = spawn(&[file.to_str().expect("path")]).start();
    r.wait_for(SETUP);
    r.wait_for("\u{2717} Security groups");
    r.wait_for("\u{2717} SQL Server");
    let screen = r.screen();
    assert!(!screen.contains("\u{2717} Service account"), "{screen}");
    assert!(!screen.contains("\u{2717} Custom setup"), "{screen}");
}

/// Without a profile, the SQL server field is empty and shows seed 000's value as an
/// example; nothing Contoso is marked as an answer on the way there.
#[test]
fn a_fresh_wizard_shows_examples_not_contoso_answers() {
    let mut r = spawn(&[]).start();
    r.wait_for(SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    r.send(ENTER);
    r.wait_for("I accept the terms");
    // The live checks screen: the domain is empty, with the walkthrough's as an example.
    r.keys(&["\t", " ", ENTER]);
    r.wait_for("e.g. contoso.local");
    let screen = r.screen();
    assert!(!screen.contains("[contoso.local"), "{screen}");
}

/// The shipped Sync profile's draft on the SQL screen, with a SQL Server that cannot be
/// reached (nothing listens on 127.0.0.77), resumed with live checks.
fn unreachable_sql() -> super::harness::Run {
    use mim_setup::answers::Value;
    use mim_setup::profile::draft;
    let host = "127.0.0.77";
    assert!(
        std::net::TcpStream::connect((host, 1433)).is_err(),
        "something listens on {host}:1433"
    );
    let mut at = super::shipped();
    at.answers.set("sql.server", Value::Text(host.into()));
    at.answers.set("checks.sql_auth", Value::Text("sql".into()));
    at.answers
        .set("checks.sql_login", Value::Text("mimsetup".into()));
    at.answers.set(
        "checks.sql_password",
        Value::Secret(mim_setup::secret::SecretRef::Env(
            "MIM_TEST_SQL_PASSWORD".into(),
        )),
    );
    at.draft_screen = Some("sql".into());
    let dir = tempfile::tempdir().expect("temp");
    draft::save(&dir.path().join("state"), &at, super::screens()).expect("draft saved");
    let r = spawn(&["--resume"])
        .live()
        .env("MIM_TEST_SQL_PASSWORD", "not-a-real-one")
        .dir(dir)
        .start();
    r.wait_for(super::SQL);
    r.wait_for("refused the connection");
    r
}

/// A server that cannot be reached: Next offers to go on without the check (an
/// acknowledgement) and names the other keys; Esc stays; Ctrl-R checks again; Ctrl-O turns
/// the checks off for the run, the screen says nothing was checked, and Next goes on.
#[test]
fn retry_and_offline_when_a_server_cannot_be_reached() {
    let mut r = unreachable_sql();
    r.send(CTRL_N);
    r.wait_for("OK, acknowledge");
    r.wait_for("Not checked: Enter goes on without this check");
    r.wait_for("[Esc] Back (Ctrl-R retry, Ctrl-O checks off)");
    r.send("\x1b");
    r.wait_gone("OK, acknowledge");
    r.send(CTRL_R);
    r.wait_for("Checking again");
    r.send(CTRL_O);
    r.wait_for("Live checks are off for this run");
    r.wait_for("nothing on this screen was checked");
    r.send(CTRL_N);
    r.wait_for(super::ACCOUNT);
    r.wait_for("nothing on this screen was checked");
}

/// The third choice: go on without the check, with a reason typed in the popup; the draft
/// records the acknowledgement and its reason, and back on the screen the check shows as
/// acknowledged and Next no longer asks.
#[test]
fn continue_past_a_server_that_cannot_be_reached_with_a_recorded_acknowledgement() {
    const KEY: &str = "sql-refused@sql.server";
    let mut r = unreachable_sql();
    r.send(CTRL_N);
    r.wait_for("OK, acknowledge");
    r.send("prepared off site");
    r.wait_for("prepared off site_");
    r.send("\r");
    r.wait_for(super::ACCOUNT);
    let draft = r.wait_file_text(&r.draft(), KEY);
    assert!(
        draft.contains(&format!(
            "{{ warning = \"{KEY}\", reason = \"prepared off site\" }}"
        )),
        "{draft}"
    );
    assert!(!draft.contains("not-a-real-one"), "{draft}");
    r.send("\x1b");
    r.wait_for(super::SQL);
    r.wait_for("refused the connection");
    r.send(CTRL_N);
    r.wait_for(super::ACCOUNT);
    assert!(!r.screen().contains("OK, acknowledge"));
}

const CTRL_N: &str = "\x0e";
const CTRL_O: &str = "\x0f";
const CTRL_R: &str = "\x12";

/// Ctrl-N until `title` is the screen shown (at most 25 presses, each given time to draw).
fn next_until(r: &mut super::harness::Run, title: &str) {
    for _ in 0..25 {
        if r.screen().contains(title) {
            return;
        }
        r.send("\x0e");
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    r.wait_for(title);
}

/// Setup's own messages of the Service and Portal setup come where seeds 002 and 003 put
/// them: on leaving the portal screen (after the SharePoint site collection URL, with the
/// profile's URL filled in) and on leaving each SSPR portal's IIS screen; Enter closes each
/// and goes on to the next screen. No such message comes anywhere before them.
#[test]
fn the_service_and_portal_setup_messages_come_at_the_seeds_points() {
    let mut r = spawn(&[
        "--quiet-acknowledged",
        "profiles/contoso-service-portal.toml",
    ])
    .start();
    r.wait_for(SETUP);
    for (screen, message, filled, next) in [
        (
            "Configure the MIM Portal",
            "Setup: a warning after the SharePoint site collection",
            "http://CorpIDM.contoso.local",
            "Firewall and portal access",
        ),
        (
            "Configure the MIM Password Registration Portal",
            "Setup: a warning after the Registration Portal's IIS settings",
            "",
            "Password Registration Portal: MIM Service address",
        ),
        (
            "Configure the MIM Password Reset Portal",
            "Setup: a warning after the Reset Portal's IIS settings",
            "",
            "Password Reset Portal: MIM Service address",
        ),
    ] {
        next_until(&mut r, screen);
        let before = r.screen();
        assert!(!before.contains("Setup: a warning"), "{before}");
        r.send("\x0e");
        r.wait_for(message);
        let popup = r.screen();
        assert!(popup.contains(filled), "{filled:?} in\n{popup}");
        r.send(ENTER);
        r.wait_gone(message);
        r.wait_for(next);
    }
}
