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
