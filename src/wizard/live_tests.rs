//! The check slots' tests: single flight, generations, re-planning only on changed inputs.
use super::*;
use crate::check::Settings;
use crate::profile::load_file;
use crate::wizard::{update, Action, Effect, Model};
use std::path::Path;

/// The Service and Portal walkthrough with live checks attached and every screen visited.
pub(in crate::wizard) fn model() -> Model {
    let screens = Screens::embedded().expect("the embedded screens load");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-service-portal.toml");
    let p = load_file(&file, screens, false).expect("loads").profile;
    let mut m = Model::new(screens, Some(&p), "t");
    let all: Vec<String> = m.flow().iter().map(|s| s.id.clone()).collect();
    m.visited.extend(all);
    m.live.attach(Settings::default());
    m
}

fn starts(effects: &[Effect]) -> Vec<(String, u64)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::StartCheck(r) => Some((r.key.clone(), r.generation)),
            _ => None,
        })
        .collect()
}

fn done(key: &str, generation: u64, facts: &[(&str, &str)]) -> Action {
    Action::Checked(Box::new(CheckDone {
        key: key.into(),
        generation,
        output: ProbeOutput {
            outcomes: vec![Outcome::ok(
                "sql-version",
                Area::Sql,
                "database",
                "SQL Server version",
                "SQL Server 2019",
            )],
            facts: facts
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        },
    }))
}

#[test]
fn a_slot_settles_starts_once_and_keeps_only_its_latest_generation() {
    let mut m = model();
    let t0 = Instant::now();
    assert!(
        starts(&update(&mut m, Action::Tick(t0))).is_empty(),
        "settling"
    );
    assert!(m.live.busy());
    let first = starts(&update(&mut m, Action::Tick(t0 + SETTLE)));
    let sql = first
        .iter()
        .find(|(k, _)| k == "sql")
        .map(|(_, g)| *g)
        .expect("the SQL probe starts");
    assert!(
        starts(&update(&mut m, Action::Tick(t0 + SETTLE * 2))).is_empty(),
        "nothing starts twice"
    );
    let lines = m.live.lines("database", t0 + SETTLE * 2);
    assert_eq!(lines[0].state, State::Pending, "{lines:?}");
    assert!(lines[0].text.ends_with("checking (0.3 s)"), "{lines:?}");
    // A new server name: it waits to settle, then takes a new generation.
    m.answers.set(
        "database.server",
        crate::answers::Value::Text("corpsql2.contoso.com".into()),
    );
    let t1 = t0 + SETTLE * 3;
    assert!(starts(&update(&mut m, Action::Tick(t1))).is_empty());
    let again = starts(&update(&mut m, Action::Tick(t1 + SETTLE)));
    let sql2 = again
        .iter()
        .find(|(k, _)| k == "sql")
        .map(|(_, g)| *g)
        .expect("the SQL probe starts again");
    assert!(sql2 > sql);
    // The first run's result is stale: dropped.
    update(&mut m, done("sql", sql, &[("sql.version", "old")]));
    assert!(m.live.pending());
    assert!(m.live.findings("database").is_empty());
    assert!(m.live.facts().is_empty());
    update(&mut m, done("sql", sql2, &[("sql.version", "15.0")]));
    assert_eq!(
        m.live.facts().get("sql.version").map(String::as_str),
        Some("15.0")
    );
    let title = m.live.slots["sql"].title.clone();
    let lines = m.live.lines("database", t1);
    assert!(
        lines
            .iter()
            .any(|l| l.state == State::Ok && l.text == "SQL Server version: SQL Server 2019"),
        "{lines:?}"
    );
    assert!(
        !lines.iter().any(|l| l.text.starts_with(&title)),
        "{lines:?}"
    );
}

#[test]
fn an_idle_tick_rebuilds_nothing_and_a_dropped_probe_is_cancelled() {
    let mut m = model();
    let t0 = Instant::now();
    update(&mut m, Action::Tick(t0));
    let started = starts(&update(&mut m, Action::Tick(t0 + SETTLE)));
    assert!(!started.is_empty());
    let planned = m.live.planned.clone();
    update(&mut m, Action::Tick(t0 + SETTLE * 2));
    assert_eq!(m.live.planned, planned, "the same inputs plan nothing new");
    // No SQL server: the SQL probe is no longer wanted; its pending run is cancelled.
    m.answers.set(
        "database.server",
        crate::answers::Value::Text(String::new()),
    );
    let effects = update(&mut m, Action::Tick(t0 + SETTLE * 3));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::CancelCheck(k) if k == "sql")),
        "{effects:?}"
    );
    assert!(!m.live.slots.contains_key("sql"));
    // A result of the cancelled run finds no slot.
    let (_, g) = started
        .iter()
        .find(|(k, _)| k == "sql")
        .cloned()
        .expect("sql started");
    update(&mut m, done("sql", g, &[]));
    assert!(m.live.lines("database", t0).is_empty());
}

#[test]
fn offline_says_nothing_was_checked() {
    let live = LiveChecks {
        mode: Mode::Offline,
        ..Default::default()
    };
    let off = live.lines("sql", Instant::now());
    assert_eq!(off[0].state, State::Skipped);
    assert!(off[0].text.contains("--offline"));
    assert!(!live.busy());
}
