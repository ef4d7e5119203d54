//! `mim-setup review` on the option H plan, in a pseudo-terminal: walked to the end with
//! the wizard's own screens and setup's messages, no field can be edited (every editing key
//! is refused with a status line and the walk's answers stay), a comment and an approval are
//! written to the review file beside the plan, nothing else is written (the folder's files
//! and contents before and after), and a canary secret is in no file and never on screen.
use super::harness::{assert_restored, files, spawn};
use super::walk::CTRL_N;
use super::{bin, ENTER, TAB};
use mim_setup::review::record::Record;
use std::path::Path;

const CANARY: &str = "Review-Canary-55v";
const TITLE: &str = "(read-only)";
const READ_ONLY: &str = "Review: read-only";

/// Each file under `dir` with its bytes, by path.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).expect("read");
            (p.display().to_string(), bytes)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn review_of_the_option_h_plan_edits_nothing_and_writes_only_its_review() {
    let work = tempfile::tempdir().expect("temp dir");
    let plan = work.path().join("h.plan.toml");
    let made = bin()
        .args(["plan", "profiles/contoso-aadp-option-h.toml", "-o"])
        .arg(&plan)
        .output()
        .expect("plan runs");
    assert!(made.status.success(), "{made:?}");
    let before = snapshot(work.path());
    let run_dir = tempfile::tempdir().expect("temp dir");
    let log = run_dir.path().join("mim-setup.log");
    let mut run = spawn(&[
        "review",
        plan.to_str().expect("utf-8"),
        "--reviewer",
        "alice@contoso.com",
        "--log-file",
        log.to_str().expect("utf-8"),
    ])
    .command()
    .dir(run_dir);
    for var in [
        "MIM_APP_CLIENT_SECRET",
        "MIM_SSPR_REGISTRATION_PASSWORD",
        "MIM_SSPR_RESET_PASSWORD",
        "MIM_CHECK_BIND_PASSWORD",
    ] {
        run = run.env(var, CANARY);
    }
    let mut r = run.start();
    r.wait_for(TITLE);
    r.wait_for("What do you want to set up?");
    // The first field is focused: its answer and where it goes head the panel.
    r.wait_for("Answer: service-portal");
    // Every editing key on a choice, a checkbox and a text field is refused.
    for keys in [&[" ", "x", "\x7f"][..], &["\x15", "\x1b[D", "\x1bOQ"][..]] {
        for k in keys {
            r.send(k);
            r.wait_for(READ_ONLY);
            r.send(TAB);
            r.wait_gone(READ_ONLY);
        }
    }
    r.wait_for("(\u{25cf}) Service and Portal");
    // A comment on the edition field, focused with Tab.
    for _ in 0..6 {
        if r.screen().contains("Answer: azure-ad-premium") {
            break;
        }
        let s = r.screen();
        r.send(TAB);
        r.wait_until("the focus to move", |now| now != s);
    }
    r.wait_for("Answer: azure-ad-premium");
    r.send("c");
    r.wait_for("Comment on setup.edition");
    r.send("check the subscription first");
    r.wait_for("> check the subscription first_");
    r.send(ENTER);
    r.wait_for("Comment on setup.edition kept (1 in all)");
    // To the end: Ctrl-N on each screen, Enter on setup's messages; a text field takes no
    // typing on the way.
    let mut typed = false;
    for _ in 0..120 {
        let s = r.screen();
        if s.contains("Verdict") {
            break;
        }
        assert!(!s.contains(CANARY), "the canary is on screen:\n{s}");
        if s.contains("[Enter] OK, go on") || s.contains("[Enter/Esc] OK") {
            r.send(ENTER);
        } else {
            if !typed && s.contains("Configure the MIM database connection") {
                r.send("xyz");
                r.wait_for(READ_ONLY);
                typed = true;
            }
            r.send(CTRL_N);
        }
        r.wait_until("the screen to change", |now| now != s);
    }
    r.wait_for("Verdict");
    assert!(typed, "the database screen was walked");
    r.send("a");
    r.wait_for("Note: approved");
    r.send("fine once the edition is checked");
    r.wait_for("fine once the edition is checked_");
    r.send(ENTER);
    assert_eq!(r.wait_exit(), 0, "{}", r.screen());
    assert_restored(&r.raw(), 0);
    let review_file = work.path().join("h.plan.review.toml");
    let text = std::fs::read_to_string(&review_file).expect("the review file");
    let record = Record::from_text(&text).expect("the review file reads back");
    let sealed = mim_setup::plan::read::read(&plan)
        .expect("plan")
        .plan
        .integrity
        .expect("sealed")
        .sha256;
    assert_eq!(record.sha256, sealed);
    assert_eq!(record.subject, "plan-integrity");
    assert_eq!(record.file, "h.plan.toml");
    assert_eq!(record.reviewer, "alice@contoso.com");
    assert_eq!(record.verdict, mim_setup::approve::Verdict::Approved);
    assert_eq!(record.note, "fine once the edition is checked");
    assert_eq!(record.comments.len(), 1);
    assert_eq!(record.comments[0].field.as_deref(), Some("setup.edition"));
    assert_eq!(record.comments[0].text, "check the subscription first");
    assert!(record.reviewed_at.ends_with('Z'), "{}", record.reviewed_at);
    // Nothing else: the folder is as before, plus the review file.
    let after = snapshot(work.path());
    let mut expected = before.clone();
    expected.push((review_file.display().to_string(), text.clone().into_bytes()));
    expected.sort();
    assert_eq!(
        after.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>(),
        expected.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>()
    );
    assert_eq!(after, expected, "a file before the review changed");
    // No draft, and the canary in no file of the run's folders.
    assert!(!r.draft().exists(), "a review keeps no draft");
    for p in files(r.dir.path()).into_iter().chain(files(work.path())) {
        let bytes = std::fs::read(&p).unwrap_or_default();
        let body = String::from_utf8_lossy(&bytes);
        assert!(!body.contains(CANARY), "{} holds the canary", p.display());
    }
    let log_text = std::fs::read_to_string(&log).expect("the log");
    assert!(!log_text.contains(CANARY));
}
