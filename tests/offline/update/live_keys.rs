//! When a server cannot be reached: a live error blocks Next and the status names the keys;
//! Ctrl-R (`RetryChecks`) runs the screen's checks again as a new generation (a late result
//! of the old one is dropped); Ctrl-O (`ChecksOff`) cancels what is pending and turns the
//! checks off for the run: the screens say nothing was checked, never that it passed.
use super::support::{at, run};
use mim_setup::check::{Area, Outcome, ProbeOutput, State};
use mim_setup::finding::Finding;
use mim_setup::wizard::live::{CheckDone, Mode, Slot};
use mim_setup::wizard::{update, Action, Effect, Model, Status};
use std::time::{Duration, Instant};

fn done(generation: u64, outcomes: Vec<Outcome>) -> Action {
    Action::Checked(Box::new(CheckDone {
        key: "sql".into(),
        generation,
        output: ProbeOutput {
            outcomes,
            facts: Default::default(),
        },
    }))
}

fn unreachable() -> Vec<Outcome> {
    vec![Outcome::found(
        "sql-connect",
        Area::Sql,
        "sql",
        "SQL Server reachable",
        vec![Finding::error(
            "sql-dns",
            "sql.server",
            "corpsql.contoso.com does not resolve.",
        )
        .why("Setup connects to this server.")
        .fix("Check the name, or the DNS server.")],
    )]
}

/// The SQL screen with checks on and the first run of its probe started (as the runtime
/// starts it: inputs settle, a tick hands out generation 1).
fn with_a_pending_check() -> Model {
    let mut m = at("sql");
    m.live.mode = Mode::On;
    m.live.slots.insert(
        "sql".into(),
        Slot {
            area: Area::Sql,
            screen: "sql".into(),
            title: "SQL Server".into(),
            waiting: Some(("corpsql".into(), None)),
            run: None,
        },
    );
    let now = Instant::now();
    update(&mut m, Action::Tick(now));
    update(&mut m, Action::Tick(now + Duration::from_secs(1)));
    assert_eq!(
        m.live.slots["sql"].run.as_ref().map(|r| r.generation),
        Some(1)
    );
    m
}

#[test]
fn a_live_error_blocks_next_and_names_the_keys() {
    let mut m = with_a_pending_check();
    run(&mut m, [done(1, unreachable())]);
    assert!(m.has_errors());
    run(&mut m, [Action::Next]);
    assert_eq!(m.current, "sql");
    let Some(Status::Error(s)) = &m.status else {
        panic!("{:?}", m.status)
    };
    assert!(s.contains("Ctrl-R") && s.contains("Ctrl-O"), "{s}");
}

#[test]
fn retry_runs_the_screens_checks_again_as_a_new_generation() {
    let mut m = with_a_pending_check();
    // Nothing finished yet: nothing to run again.
    run(&mut m, [Action::RetryChecks]);
    assert!(m.live.slots["sql"].waiting.is_none());
    run(&mut m, [done(1, unreachable())]);
    run(&mut m, [Action::RetryChecks]);
    assert_eq!(
        m.live.slots["sql"].waiting.as_ref().map(|w| w.0.as_str()),
        Some("corpsql")
    );
    let now = Instant::now();
    update(&mut m, Action::Tick(now));
    let effects = update(&mut m, Action::Tick(now + Duration::from_secs(1)));
    let started: Vec<u64> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartCheck(r) if r.key == "sql" => Some(r.generation),
            _ => None,
        })
        .collect();
    assert_eq!(started.len(), 1, "{effects:?}");
    assert!(started[0] > 1);
    // The old generation's result is dropped; the new one clears the error.
    run(&mut m, [done(1, unreachable())]);
    assert!(m.live.pending());
    let ok = vec![Outcome::ok(
        "sql-connect",
        Area::Sql,
        "sql",
        "SQL Server reachable",
        "10.0.0.5",
    )];
    run(&mut m, [done(started[0], ok)]);
    assert!(!m.has_errors(), "{:?}", m.findings);
}

#[test]
fn checks_off_cancels_what_is_pending_and_never_shows_it_as_passed() {
    let mut m = with_a_pending_check();
    let effects = update(&mut m, Action::ChecksOff);
    assert_eq!(effects, vec![Effect::CancelCheck("sql".into())]);
    assert_eq!(m.live.mode, Mode::Offline);
    let lines = m.live.lines("sql", Instant::now());
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].state, State::Skipped);
    assert!(lines[0].text.contains("off for this run"), "{:?}", lines);
    // A late result of the cancelled run changes nothing; Next goes on on the rules alone.
    run(&mut m, [done(1, unreachable())]);
    assert!(!m.has_errors());
    run(&mut m, [Action::Next]);
    assert_eq!(m.current, "service_account");
    let later = m.live.lines("service_account", Instant::now());
    assert!(later.iter().all(|l| l.state == State::Skipped), "{later:?}");
    // Retry and off again do nothing once off.
    assert!(update(&mut m, Action::RetryChecks).is_empty());
    assert!(update(&mut m, Action::ChecksOff).is_empty());
}

/// After turning checks off, a blocked screen no longer names the live keys.
#[test]
fn checks_off_turns_a_live_error_into_nothing_checked() {
    let mut m = with_a_pending_check();
    run(&mut m, [done(1, unreachable()), Action::Next]);
    assert_eq!(m.current, "sql");
    run(&mut m, [Action::ChecksOff, Action::Next]);
    assert_eq!(m.current, "service_account");
}
