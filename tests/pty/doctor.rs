//! The doctor screen in a pseudo-terminal: `doctor --from` on the faulty fixture shows the
//! checklist with each step's state, Enter opens the run history's table (newest first,
//! the selected run's status explained beside it) and a step's findings; Esc goes back, q
//! leaves with the report's exit code and its last line, the terminal restored. `demo
//! --doctor` asks the demo's directory (step 5) and reads the SQL step live from the demo's
//! SQL Server (a doctor fault on); Ctrl-C
//! leaves with 130; `--ascii` draws no Unicode mark.
use super::harness::{assert_restored, spawn, Run};
use super::{CTRL_C, ENTER, ESC};

const DOWN: &str = "\x1b[B";
const FAULTY: &str = "tests/doctor/fixtures/sp2-4.6.607.0";

fn doctor(args: &[&str]) -> Run {
    spawn(args).size(140, 44).command().start()
}

#[test]
fn the_checklist_opens_the_run_table_and_a_steps_findings() {
    let dir = format!("{}/{FAULTY}", env!("CARGO_MANIFEST_DIR"));
    let mut r = doctor(&["doctor", "--from", &dir]);
    r.wait_for("done: 0 ok, 4 with warnings, 4 with errors, 0 not checked; exit code 1");
    let s = r.screen();
    for want in [
        "Doctor: the Sync troubleshooting checklist (seeds 001 and 004)",
        "1. Build currency",
        "4.6.607.0 installed; 4.6.673.0 (KB5018333, 2023-10-03) is the newest SP2 build",
        "3. Run history",
        "8. Customised .config files after an upgrade",
        "\u{2717} error",
        "! warning",
    ] {
        assert!(s.contains(want), "missing {want:?} in\n{s}");
    }
    // Step 3: the run table, newest first, and the selected run's status explained.
    r.keys(&[DOWN, DOWN, ENTER]);
    r.wait_for("Run history: 17 run(s), newest first");
    r.wait_for("What the status means");
    r.wait_for("│stopped-user-termination-from-wmi-or-ui");
    r.wait_for("(stopped)");
    r.wait_for("someone stopped it");
    r.wait_for("3. Run history: findings and what was seen");
    r.send(DOWN);
    r.wait_for("completed-discovery-errors (completed)");
    r.wait_for("HR SQL run 13");
    r.send(ESC);
    r.wait_for("Enter opens the step");
    // Step 4: the extension's exception and its compact stack, in the findings.
    r.keys(&[DOWN, ENTER]);
    r.wait_for("4. extension-dll-exception: findings and what was seen");
    r.wait_for("Contoso.Mim.MVExtension.dll threw at provisioning");
    let from = r.raw_len();
    r.keys(&[ESC, "q"]);
    assert_eq!(r.wait_exit(), 1, "{}", r.screen());
    assert_restored(&r.raw(), from);
    r.wait_for("8 step(s) checked: 0 ok, 4 with warnings, 4 with errors");
}

#[test]
fn the_demo_reads_the_sql_step_live_and_shows_its_fault() {
    let mut r = doctor(&["demo", "--doctor", "--fault", "sql-tempdb-single-file"]);
    r.wait_for("(live)");
    r.wait_for("done: 1 ok, 1 with warnings, 0 with errors, 6 not checked; exit code 1");
    assert!(r.screen().contains("6. TempDB and the Sync database"));
    // Step 5 asked the demo's directory: the PCNS target's SPN and the DC's clock.
    for _ in 0..4 {
        r.send(DOWN);
    }
    r.send(ENTER);
    r.wait_for("5. PCNS event 6025: findings and what was seen");
    r.wait_for("PCNSCLNT/corpsync.contoso.local: registered on MIMSync");
    r.wait_for("currentTime");
    r.keys(&[ESC, DOWN, ENTER]);
    r.wait_for("6. TempDB and the Sync database: findings and what was seen");
    r.wait_for("tempdb has 1 data file(s)");
    r.send("q");
    assert_eq!(r.wait_exit(), 1, "{}", r.screen());
}

#[test]
fn ctrl_c_leaves_with_130_and_ascii_draws_no_unicode_mark() {
    let dir = format!(
        "{}/tests/doctor/fixtures/sp2-4.6.673.0",
        env!("CARGO_MANIFEST_DIR")
    );
    let mut r = doctor(&["doctor", "--from", &dir, "--ascii"]);
    r.wait_for("exit code 0");
    let s = r.screen();
    assert!(s.contains("> + ok"), "{s}");
    assert!(
        !s.chars()
            .any(|c| "\u{2713}\u{2717}\u{25b6}\u{256d}".contains(c)),
        "{s}"
    );
    let from = r.raw_len();
    r.send(CTRL_C);
    assert_eq!(r.wait_exit(), 130, "{}", r.screen());
    assert_restored(&r.raw(), from);
}
