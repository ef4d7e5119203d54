//! The model's tests: the warnings Next asks to acknowledge.
use crate::check::{Area, Outcome, ProbeOutput};
use crate::finding::Finding;
use crate::wizard::live::{CheckDone, SETTLE};
use crate::wizard::{update, Action, Effect, Model, Popup};
use std::time::Instant;

/// The Service and Portal walkthrough with live checks attached, every screen visited,
/// and the SQL probe's run finished with one warning about the database screen.
fn with_live_warning() -> Model {
    with_live(Finding::warning(
        "sql-version-not-recommended",
        "database.server",
        "SQL Server 2012 SP4 is supported by MIM 2016 SP2 but not recommended.",
    ))
}

/// The same, with the SQL probe's run finished with `finding`.
fn with_live(finding: Finding) -> Model {
    let mut m = crate::wizard::live::tests::model();
    let t0 = Instant::now();
    update(&mut m, Action::Tick(t0));
    let generation = update(&mut m, Action::Tick(t0 + SETTLE))
        .iter()
        .find_map(|e| match e {
            Effect::StartCheck(r) if r.key == "sql" => Some(r.generation),
            _ => None,
        })
        .expect("the SQL probe starts");
    let warning = finding;
    let o = Outcome::found(
        "sql-version",
        Area::Sql,
        "database",
        "SQL Server version",
        vec![warning],
    );
    update(
        &mut m,
        Action::Checked(Box::new(CheckDone {
            key: "sql".into(),
            generation,
            output: ProbeOutput {
                outcomes: vec![o],
                facts: Default::default(),
            },
        })),
    );
    m
}

fn warnings(m: &Model) -> Vec<String> {
    match &m.popup {
        Some(Popup::Warnings(ws, _)) => ws.iter().map(Finding::ack_key).collect(),
        _ => Vec::new(),
    }
}

const KEY: &str = "sql-version-not-recommended@database.server";

/// A live warning that arrives after its screen was left still needs its acknowledgement:
/// the summary's Install asks for it, and then finishes with the key recorded.
#[test]
fn the_summary_asks_for_the_live_warnings_of_screens_already_left() {
    // (screen, whether Next asks for the database screen's live warning)
    for (screen, asks) in [
        ("database", true),
        ("features", false),
        ("mail", false),
        ("service_summary", true),
    ] {
        let mut m = with_live_warning();
        m.current = screen.into();
        m.refresh();
        update(&mut m, Action::Next);
        assert_eq!(
            warnings(&m).contains(&KEY.to_string()),
            asks,
            "{screen}: {:?}",
            m.popup
        );
        if screen == "service_summary" {
            let effects = update(&mut m, Action::Enter);
            assert!(m.acknowledged.contains(KEY));
            assert!(
                matches!(effects.as_slice(), [Effect::Finish(p)] if p.acknowledged.contains(KEY)),
                "{effects:?}"
            );
        }
    }
    // Acknowledged, the summary asks nothing more for it.
    let mut m = with_live_warning();
    m.acknowledged.insert(KEY.into());
    m.current = "service_summary".into();
    m.refresh();
    update(&mut m, Action::Next);
    assert!(!warnings(&m).contains(&KEY.to_string()), "{:?}", m.popup);
}

/// A server that gave no answer does not close Next: Next offers to go on without the
/// check, in the acknowledgement popup, and the typed reason is recorded beside it. An
/// error that is an answer keeps Next closed and offers nothing.
#[test]
fn a_server_that_gave_no_answer_is_offered_for_acknowledgement_with_a_reason() {
    const TIMEOUT: &str = "sql-timeout@database.server";
    let mut m = with_live(crate::check::timeout_finding(
        "sql-timeout",
        "database.server",
        "The TCP connection to SQL Server",
        std::time::Duration::from_secs(5),
    ));
    m.current = "database".into();
    m.refresh();
    assert!(!m.has_errors());
    assert!(
        m.screens_with_errors.contains("database"),
        "marked until acknowledged"
    );
    update(&mut m, Action::Next);
    assert_eq!(warnings(&m), vec![TIMEOUT.to_string()], "{:?}", m.popup);
    for c in "off site".chars() {
        update(&mut m, Action::Input(c));
    }
    update(&mut m, Action::Paste("; CHG-9".into()));
    update(&mut m, Action::Enter);
    assert!(m.popup.is_none() || !warnings(&m).contains(&TIMEOUT.to_string()));
    assert_ne!(m.current, "database", "went on");
    assert!(m.acknowledged.contains(TIMEOUT));
    let p = m.profile(false);
    assert_eq!(
        p.reasons.get(TIMEOUT).map(String::as_str),
        Some("off site; CHG-9")
    );
    m.current = "database".into();
    m.refresh();
    assert!(!m.screens_with_errors.contains("database"));

    // Without a reason, none is recorded.
    let mut m = with_live(crate::check::timeout_finding(
        "sql-timeout",
        "database.server",
        "The TCP connection to SQL Server",
        std::time::Duration::from_secs(5),
    ));
    m.current = "database".into();
    m.refresh();
    update(&mut m, Action::Next);
    update(&mut m, Action::Enter);
    assert!(m.acknowledged.contains(TIMEOUT));
    assert!(m.profile(false).reasons.is_empty());

    // A login refused is an answer: Next stays closed, no popup.
    let mut m = with_live(Finding::error(
        "sql-login-failed",
        "database.server",
        "Login failed for user sa (SQL Server error 18456).",
    ));
    m.current = "database".into();
    m.refresh();
    assert!(m.has_errors());
    update(&mut m, Action::Next);
    assert!(m.popup.is_none(), "{:?}", m.popup);
    assert_eq!(m.current, "database");
}
