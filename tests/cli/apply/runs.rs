//! Runs: success, failure and resume, reboot needed, another install running, kill -9.
use super::{text, Lab};
use std::time::{Duration, Instant};

const SYNC_PROGRAMS: [&str; 4] = ["msiexec", "sc", "powershell", "miiskmu"];

#[test]
fn a_plan_runs_every_step_in_order_and_a_second_apply_changes_nothing() {
    let lab = Lab::new("contoso-sync");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(lab.programs(), SYNC_PROGRAMS, "{out}");
    assert!(
        out.contains("no facts recorded: drift not checked"),
        "{out}"
    );
    assert!(out.contains("[1/5] install-sync-service: running"), "{out}");
    assert!(
        out.contains("[5/5] sign-out-for-group-membership: manual step"),
        "{out}"
    );
    assert!(out.contains("all 5 steps done"), "{out}");
    assert!(!out.contains("RESTART NEEDED"), "{out}");
    let states = lab.states();
    let want: Vec<(String, String)> = [
        ("install-sync-service", "started"),
        ("install-sync-service", "done"),
        ("verify-sync-service", "started"),
        ("verify-sync-service", "done"),
        ("create-key-backup-folder", "started"),
        ("create-key-backup-folder", "done"),
        ("export-encryption-key", "started"),
        ("export-encryption-key", "done"),
        ("sign-out-for-group-membership", "shown"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(states, want);
    // The msiexec log went to the log folder beside the plan, at the /L*v path.
    let msi = &lab.calls()[0];
    let argv: Vec<&str> = msi["argv"]
        .as_array()
        .expect("argv")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    let at = argv.iter().position(|a| *a == "/L*v").expect("/L*v");
    let log = lab
        .dir
        .path()
        .join("p.plan.toml.logs/install-sync-service.log");
    assert_eq!(argv[at + 1], log.display().to_string());
    assert!(log.is_file());

    let journal = lab.journal_text();
    let again = lab.apply(&[]);
    let out = text(&again);
    assert_eq!(again.status.code(), Some(0), "{out}");
    assert!(
        out.contains("already done") && out.contains("nothing changed"),
        "{out}"
    );
    assert_eq!(lab.programs(), SYNC_PROGRAMS, "nothing ran again");
    assert_eq!(lab.journal_text(), journal, "the journal is unchanged");
    let resumed = lab.apply(&["--resume"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed));
    assert_eq!(lab.programs(), SYNC_PROGRAMS, "nothing ran again");
}

#[test]
fn a_1603_failure_shows_the_msi_log_and_resume_runs_from_the_failed_step() {
    let lab = Lab::new("contoso-sync");
    lab.scenario("powershell 1 exit=1603\n");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(lab.programs(), ["msiexec", "sc", "powershell"], "{out}");
    assert!(
        out.contains("step `create-key-backup-folder` failed: exit code 1603"),
        "{out}"
    );
    assert!(out.contains("--resume"), "{out}");

    // The msiexec step fails now: its log excerpt and the hint for the known cause.
    let lab = Lab::new("contoso-sync");
    lab.scenario("msiexec 1 exit=1603\n");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert_eq!(lab.programs(), ["msiexec"], "{out}");
    assert!(out.contains("around `Return value 3`"), "{out}");
    assert!(
        out.contains("| CustomAction CAQuietExec returned actual error code 1603"),
        "{out}"
    );
    assert!(
        out.contains("| Action ended 10:00:06: InstallFinalize. Return value 3."),
        "{out}"
    );
    assert!(
        out.contains("hint: a SharePoint solution (WSP) deployment"),
        "{out}"
    );
    assert_eq!(
        lab.states().last().map(|(s, st)| (s.as_str(), st.as_str())),
        Some(("install-sync-service", "failed"))
    );

    // Without --resume a started plan is not run from the top again.
    let o = lab.apply(&[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("--resume"), "{}", text(&o));
    assert_eq!(lab.programs(), ["msiexec"]);

    // The stand-in is fixed (its second call exits 0): resume runs the failed step and the rest.
    let o = lab.apply(&["--resume"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("step `install-sync-service` failed before: running it again"),
        "{out}"
    );
    assert_eq!(
        lab.programs(),
        ["msiexec", "msiexec", "sc", "powershell", "miiskmu"],
        "{out}"
    );
}

#[test]
fn exit_code_3010_is_success_with_a_restart_said_at_the_end() {
    let lab = Lab::new("contoso-sync");
    lab.scenario("msiexec * exit=3010\n");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert_eq!(lab.programs(), ["msiexec", "sc", "powershell", "miiskmu"]);
    assert!(
        out.contains("exit code 3010: done, a restart is needed"),
        "{out}"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    let last = stdout.lines().last().unwrap_or("");
    assert!(
        last.contains("RESTART NEEDED") && last.contains("install-sync-service (exit code 3010)"),
        "{out}"
    );
    assert!(lab.journal_text().contains("\"reboot_needed\":true"));
}

#[test]
fn exit_code_1618_says_another_installation_is_running() {
    let lab = Lab::new("contoso-sync");
    lab.scenario("msiexec 1 exit=1618\n");
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("another installation is in progress (exit code 1618)"),
        "{out}"
    );
    assert!(
        out.contains("wait until the other installation has finished"),
        "{out}"
    );
}

/// apply and its stand-in are killed (SIGKILL, the whole process group) while the third step
/// runs; resume runs that step again, says so, and never runs the first two again.
#[test]
fn kill_9_in_the_middle_of_a_step_then_resume() {
    use std::os::unix::process::CommandExt;
    let lab = Lab::new("contoso-sync");
    lab.scenario("miiskmu 1 sleep=30\n");
    let runner = super::runner();
    let mut child = lab
        .command(&["apply", "p.plan.toml", "--runner", &runner])
        .process_group(0)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start apply");
    let started = Instant::now();
    while !lab.programs().contains(&"miiskmu".to_string()) {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "the third step did not start within 20 s: {:?}",
            lab.programs()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let pgid = child.id().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status()
        .expect("kill");
    assert!(killed.success());
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), None, "killed by a signal");
    assert_eq!(
        lab.states().last().map(|(s, st)| (s.as_str(), st.as_str())),
        Some(("export-encryption-key", "started"))
    );

    lab.scenario("");
    let o = lab.apply(&["--resume"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("step `export-encryption-key` was started before but did not finish"),
        "{out}"
    );
    assert!(
        out.contains("[1/5] install-sync-service: already done"),
        "{out}"
    );
    assert_eq!(
        lab.programs(),
        ["msiexec", "sc", "powershell", "miiskmu", "miiskmu"],
        "completed steps never run again"
    );
}
