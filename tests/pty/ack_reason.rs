//! The acknowledgement popup's reason: from the shipped Sync profile without its
//! acknowledgement, setup's service-account warning comes on Install; a reason typed there
//! (with a typo erased by Backspace, and a pasted part) is saved in the profile beside the
//! acknowledgement, and the plan carries it.
use super::{install_messages, load, spawn, to_service_account, ENTER, GROUPS, SECURITY, SUMMARY};

const KEY: &str = "service-account-logon-rights@service_account.name";

#[test]
fn a_reason_typed_in_the_acknowledgement_popup_is_saved_beside_the_acknowledgement() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("profiles/contoso-sync.toml")).expect("profile");
    let bare = text.replace(
        "acknowledged = [\n  # Setup shows this warning when Install is clicked; the walkthrough clicks OK.\n  \"service-account-logon-rights@service_account.name\",\n]\n",
        "",
    );
    assert_ne!(bare, text, "the shipped acknowledgement moved");
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("offsite.toml");
    std::fs::write(&profile, bare).expect("write profile");

    let mut r = spawn(&[profile.to_str().expect("path")]).start();
    to_service_account(&mut r, false);
    r.keys(&[ENTER, ENTER, ENTER, ENTER]);
    r.wait_for(GROUPS);
    r.keys(&[ENTER, ENTER, ENTER, ENTER, ENTER]);
    r.wait_for(SECURITY);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(SUMMARY);
    r.wait_for("Install ]");
    r.send(ENTER);
    r.wait_for("OK, acknowledge");
    r.wait_for("Reason (optional, saved in the profile):");
    // Typed, a typo erased, then pasted (bracketed paste, its line break dropped).
    r.send("Logon right granted by GPO X");
    r.wait_for("by GPO X_");
    r.send("\x7f");
    r.wait_for("by GPO _");
    r.send("\x1b[200~\"MIM-Sync\";\r\n CHG-42\x1b[201~");
    r.wait_for("CHG-42_");
    r.send(ENTER);
    install_messages(&mut r);
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0);

    let reason = "Logon right granted by GPO \"MIM-Sync\"; CHG-42";
    let written = r.out().join("offsite.toml");
    let saved = std::fs::read_to_string(&written).expect("profile written");
    assert!(
        saved.contains(&format!(
            "{{ warning = \"{KEY}\", reason = 'Logon right granted by GPO \"MIM-Sync\"; CHG-42' }},"
        )),
        "{saved}"
    );
    let p = load(&written);
    assert!(p.acknowledged.contains(KEY));
    assert_eq!(p.reasons.get(KEY).map(String::as_str), Some(reason));
    let plan = std::fs::read_to_string(r.out().join("offsite.plan.toml")).expect("plan");
    assert!(plan.contains("[acknowledged_reasons]"), "{plan}");
    assert!(plan.contains(KEY), "{plan}");
}
