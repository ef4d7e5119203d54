//! The live-check engine without servers: probes run concurrently, a probe that never ends
//! is cancelled at the time limit with a finding, and the wizard's runner keeps one pending
//! run per probe and drops results of older generations.
use mim_setup::check::live::Runner;
use mim_setup::check::{run, Area, Ctx, Outcome, Probe, ProbeOutput, Secrets, Settings, State};
use std::sync::Arc;
use std::time::Duration;

fn settings(timeout_ms: u64) -> Settings {
    Settings {
        timeout: Duration::from_millis(timeout_ms),
        ..Settings::default()
    }
}

fn ok(key: &str) -> ProbeOutput {
    ProbeOutput {
        outcomes: vec![Outcome::ok(key, Area::Net, "sql", key, "fine")],
        facts: [(format!("test.{key}"), "seen".to_string())].into(),
    }
}

/// Three probes that each wait for the other two: only a concurrent run finishes them
/// before the time limit (a sequential one would time out on the first).
#[test]
fn independent_probes_run_concurrently() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let barrier = Arc::new(tokio::sync::Barrier::new(3));
    let probes: Vec<Probe> = ["a", "b", "c"]
        .into_iter()
        .map(|k| {
            let b = barrier.clone();
            Probe::new(k, Area::Net, "sql", k, move |_ctx| async move {
                b.wait().await;
                ok(k)
            })
        })
        .collect();
    let report = rt.block_on(async {
        let ctx = Arc::new(Ctx::new(settings(2000), Secrets::default()));
        run(ctx, probes).await
    });
    let states: Vec<State> = report.outcomes.iter().map(|o| o.state).collect();
    assert_eq!(states, [State::Ok, State::Ok, State::Ok], "{report:?}");
    assert_eq!(report.facts.len(), 3);
}

/// A probe that never answers is cancelled a second after the limit, with a finding that
/// says so, and the others are unaffected.
#[test]
fn a_probe_that_never_ends_is_cancelled_with_a_finding() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let hang = Probe::new("hang", Area::Sql, "sql", "SQL Server", |_ctx| async {
        std::future::pending::<()>().await;
        ProbeOutput::default()
    });
    let quick = Probe::new("quick", Area::Net, "sql", "quick", |_ctx| async {
        ok("quick")
    });
    let report = rt.block_on(async {
        let ctx = Arc::new(Ctx::new(settings(100), Secrets::default()));
        run(ctx, vec![hang, quick]).await
    });
    let hung = &report.outcomes[0];
    assert_eq!(hung.state, State::Error);
    assert_eq!(hung.findings[0].check, "sql-timeout");
    assert!(
        hung.findings[0].message.contains("no answer within"),
        "{hung:?}"
    );
    assert_eq!(report.outcomes[1].state, State::Ok);
    // No answer: it blocks until the profile acknowledges going on without it.
    assert!(hung.findings[0].unreached);
    assert_eq!(report.blocking().count(), 0);
    assert_eq!(report.unacknowledged().count(), 1);
}

/// The wizard's executor: a second start of the same probe key aborts the first, whose
/// result never arrives; the latest one's does, with its generation.
#[test]
fn the_runner_keeps_one_run_per_probe_and_drops_older_generations() {
    let mut runner = Runner::new(settings(2000)).expect("runner");
    let (tx, rx) = std::sync::mpsc::channel::<&'static str>();
    let gate = Arc::new(tokio::sync::Notify::new());
    let (entered_tx, entered_rx) = std::sync::mpsc::channel::<()>();
    let first = {
        let gate = gate.clone();
        let tx = tx.clone();
        Probe::new(
            "sql",
            Area::Sql,
            "sql",
            "SQL Server",
            move |_ctx| async move {
                let _ = entered_tx.send(());
                gate.notified().await;
                let _ = tx.send("first finished");
                ok("first")
            },
        )
        .inputs("corpsql")
    };
    runner.start(1, first, Secrets::default());
    // The first run is at its gate before the second start aborts it.
    entered_rx
        .recv_timeout(Duration::from_secs(5))
        .expect("the first run started");
    let second = Probe::new("sql", Area::Sql, "sql", "SQL Server", |_ctx| async {
        ok("second")
    })
    .inputs("corpsql2");
    runner.start(2, second, Secrets::default());
    // A stored permit: had the first run survived the abort, it would pass its gate and
    // report, so the checks below can fail.
    gate.notify_one();
    let mut got = Vec::new();
    for _ in 0..200 {
        got.extend(runner.poll());
        if !got.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(got.len(), 1, "one result");
    assert_eq!(got[0].generation, 2);
    assert_eq!(got[0].output.outcomes[0].id, "second");
    // The first run was aborted: it never got past its gate, and never reported.
    std::thread::sleep(Duration::from_millis(100));
    assert!(rx.try_recv().is_err(), "the cancelled run went on");
    assert!(runner.poll().is_empty(), "the cancelled run reported");
}

/// A probe that panics is reported as a failed check, never dropped, in the headless run and
/// in the wizard's runner alike.
#[test]
fn a_panicking_probe_is_a_failed_check_not_a_missing_one() {
    let boom = || {
        Probe::new("boom", Area::Mail, "mail", "Mail server", |_ctx| async {
            let v: Vec<u8> = Vec::new();
            // An out-of-bounds index: a bug in a check.
            let _ = v[std::hint::black_box(3)];
            ProbeOutput::default()
        })
    };
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let report = rt.block_on(async {
        let ctx = Arc::new(Ctx::new(settings(1000), Secrets::default()));
        run(ctx, vec![boom()]).await
    });
    assert_eq!(report.outcomes.len(), 1, "{report:?}");
    assert_eq!(report.outcomes[0].state, State::Error);
    assert_eq!(report.outcomes[0].findings[0].check, "mail-check-failed");

    let mut runner = Runner::new(settings(1000)).expect("runner");
    let g = 7;
    runner.start(g, boom(), Secrets::default());
    let mut got = Vec::new();
    for _ in 0..300 {
        got.extend(runner.poll());
        if !got.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(got.len(), 1, "the wizard hears of it");
    assert_eq!(got[0].generation, g);
    assert_eq!(got[0].output.outcomes[0].state, State::Error);
}
