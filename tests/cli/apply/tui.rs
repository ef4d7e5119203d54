//! The wizard's finish screen opens the apply screen with key A, a screen of the same loop
//! (it asks for a confirmation; its keys are unit-tested in src/wizard/apply.rs, its drawing
//! in src/tui/apply_view.rs). Before the files are
//! written, A is an ordinary key.
use super::harness::{spawn, Run};
use mim_setup::screens::Screens;
use mim_setup::wizard::{update, Action, Effect, Model, Outputs};
use std::path::PathBuf;

fn screens() -> &'static Screens {
    Screens::embedded().expect("built-in screens")
}

#[test]
fn key_a_on_the_finish_screen_asks_to_apply_the_plan() {
    let mut m = Model::new(screens(), None, "mim-setup");
    let _ = update(&mut m, Action::Input('a'));
    assert_eq!(m.exit, None, "an ordinary key before the finish screen");
    let _ = update(
        &mut m,
        Action::Finished(Ok(Outputs {
            profile: PathBuf::from("out/mim-sync.toml"),
            plan: PathBuf::from("out/mim-sync.plan.toml"),
            steps: vec![],
        })),
    );
    assert_eq!(m.exit, None);
    // Setup's sign-out message comes first on the finish screen; Enter closes it.
    assert!(m.popup.is_some());
    let _ = update(&mut m, Action::Enter);
    assert_eq!((m.exit, m.popup.as_ref()), (None, None));
    let effects = update(&mut m, Action::Input('A'));
    assert_eq!(
        effects,
        vec![Effect::OpenApply(PathBuf::from("out/mim-sync.plan.toml"))]
    );
    assert_eq!(
        m.exit, None,
        "the apply screen is a screen of the same loop"
    );
}

/// The shipped profile walked to the finish screen with Enter, then A: the apply screen
/// asks for a confirmation. The stand-ins record into `record`; `scenario` scripts them.
fn to_confirmation(record: &std::path::Path, scenario: Option<&std::path::Path>) -> Run {
    let mut s = spawn(&["profiles/contoso-sync.toml"])
        .env("MIM_SETUP_RUNNER", &super::runner())
        .env("MIM_STANDIN_RECORD", record.to_str().expect("path"))
        .env("MIM_SYNC_PASSWORD", super::CANARY);
    if let Some(f) = scenario {
        s = s.env("MIM_STANDIN_SCENARIO", f.to_str().expect("path"));
    }
    let mut r = s.start();
    r.wait_for("Synchronization Service");
    // Enter walks on (field by field, then screen by screen) up to the summary, once more
    // to finish; never once too many, which would close the finish screen.
    for _ in 0..60 {
        if r.screen().contains("Ready to install") {
            break;
        }
        let before = r.screen();
        r.send("\r");
        let start = std::time::Instant::now();
        while r.screen() == before && start.elapsed() < std::time::Duration::from_millis(700) {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
    r.wait_for("Ready to install");
    // Seed 000's service-account warning, acknowledged in the profile, shown once; then
    // Install, setup's encryption key message, and its sign-out message at the end.
    r.wait_for("Warning (acknowledged)");
    r.send("\r");
    r.wait_gone("Warning (acknowledged)");
    r.send("\r");
    r.wait_for("back up the encryption key");
    r.send("\r");
    r.wait_for("Install plan:");
    r.wait_for("sign out to apply the group membership");
    r.send("\r");
    r.wait_gone("sign out to apply the group membership");
    r.wait_for("A apply");
    r.send("a");
    r.wait_for("Run the 5 steps of this plan on this computer now?");
    r.wait_for("stand-ins from");
    r
}

/// Then Y: the apply screen runs the stand-ins and shows a bar per step; no secret reaches
/// the terminal.
#[test]
fn the_finish_screen_applies_the_plan_after_a_confirmation() {
    let outside = tempfile::tempdir().expect("record folder");
    let record = outside.path().join("record.jsonl");
    let mut r = to_confirmation(&record, None);
    assert!(
        !std::fs::exists(&record).unwrap_or(true),
        "nothing runs before Y"
    );
    r.send("y");
    r.wait_for("finished: exit code 0");
    let screen = r.screen();
    assert!(screen.contains("[1/5] install-sync-service"), "{screen}");
    assert!(screen.contains("done ("), "{screen}");
    assert!(screen.contains("manual: shown"), "{screen}");
    let calls = std::fs::read_to_string(&record).expect("record");
    assert_eq!(calls.lines().count(), 4, "{calls}");
    assert!(
        calls.contains("Canary-Apply"),
        "the secret reached the stand-ins"
    );
    r.send("q");
    assert_eq!(r.wait_exit(), 0);
    assert!(!String::from_utf8_lossy(&r.raw()).contains("Canary-Apply"));
}

/// An MSI that writes the password property to its own log in clear (one that does not
/// mark it hidden): the log tail on the apply screen shows it redacted.
#[test]
fn the_log_tail_redacts_a_password_the_msi_logs_in_clear() {
    let outside = tempfile::tempdir().expect("record folder");
    let record = outside.path().join("record.jsonl");
    let scenario = outside.path().join("scenario");
    std::fs::write(&scenario, "msiexec 1 sleep=3 log-args\n").expect("scenario");
    let mut r = to_confirmation(&record, Some(&scenario));
    r.send("y");
    r.wait_for("Property(C): SERVICEPASSWORD = ");
    let during = r.screen();
    assert!(
        during.contains("Property(C): SERVICEPASSWORD = ***"),
        "{during}"
    );
    r.wait_for("finished: exit code 0");
    let logs = super::files(&r.out());
    let msi_log = logs
        .iter()
        .find(|p| p.to_string_lossy().ends_with("install-sync-service.log"))
        .unwrap_or_else(|| panic!("the MSI log among {logs:?}"));
    let text = std::fs::read_to_string(msi_log).expect("MSI log");
    assert!(
        text.contains("Canary-Apply"),
        "the stand-in MSI logged the password in clear: {text}"
    );
    let raw = String::from_utf8_lossy(&r.raw()).into_owned();
    assert!(
        !raw.contains("Canary-Apply"),
        "the password reached the terminal"
    );
    r.send("q");
    assert_eq!(r.wait_exit(), 0);
}
