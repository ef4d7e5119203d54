//! `mim-setup doctor --plan`: the update plan of a Sync Service behind the newest SP2
//! build, in the install plans' format. The plan reader takes it and `apply` runs it (a dry
//! run off Windows) in order: the key backup first, the scheduled runs stopped (manual), the
//! hotfix file checked, `msiexec /p`, the restart and the version check; the unconfirmed
//! file name is said so. With `--hotfix`, that file and its SHA-256; a current build or SP3
//! gives no plan (exit 0); what cannot be planned is exit 2, nothing written.
use super::run_with;
use mim_setup::plan::read::read;

const FAULTY: &str = "tests/doctor/fixtures/sp2-4.6.607.0";
const PROFILE: &str = "profiles/contoso-sync.toml";

fn run(args: &[&str]) -> (i32, String, String) {
    run_with(args, &[("MIM_SYNC_PASSWORD", "Plan-Canary-3k")])
}

#[test]
fn a_behind_build_gets_an_update_plan_that_apply_runs_in_order() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("update.toml");
    let out_s = out.to_string_lossy().to_string();
    let (c, o, e) = run(&[
        "doctor",
        "--plan",
        "--from",
        FAULTY,
        "--profile",
        PROFILE,
        "-o",
        &out_s,
    ]);
    assert_eq!(c, 0, "{o}{e}");
    assert!(
        e.contains("update plan written to") && e.contains("4.6.607.0 -> 4.6.673.0"),
        "{e}"
    );
    let plan = read(&out)
        .unwrap_or_else(|e| panic!("the plan reader: {e:?}"))
        .plan;
    let ids: Vec<&str> = plan.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "verify-sync-service",
            "create-key-backup-folder",
            "export-encryption-key",
            "stop-scheduled-runs",
            "check-hotfix-file",
            "install-hotfix",
            "restart-sync-service",
            "verify-version",
            "start-scheduled-runs"
        ]
    );
    let msp = "C:\\MIMUpdate\\KB5018333-Synchronization-Service.msp";
    let hotfix = &plan.steps[5];
    assert_eq!(hotfix.argv[..4], ["msiexec.exe", "/p", msp, "/qn"]);
    assert!(plan.steps[2].argv[0].ends_with("Synchronization Service\\Bin\\miiskmu.exe"));
    assert!(plan.steps[7].argv[4].contains("[version]'4.6.673.0'"));
    let text = std::fs::read_to_string(&out).expect("plan");
    assert!(text.contains("is not confirmed here"), "{text}");
    assert!(!text.contains("Plan-Canary-3k"));
    // apply takes it through the same reader: a dry run here, every step in order.
    let (c, o, e) = run(&["apply", &out_s]);
    assert_eq!(c, 0, "{o}{e}");
    for (i, id) in ids.iter().enumerate() {
        assert!(o.contains(&format!("[{}/9] {id}", i + 1)), "{id} in\n{o}");
    }
    assert!(o.contains("[4/9] stop-scheduled-runs: manual step"), "{o}");
    // Exported like an install plan: win_package applies the .msp.
    let (c, o, e) = run(&["export", &out_s, "--format", "ansible"]);
    assert_eq!(c, 0, "{e}");
    let task = o
        .split("- name: 'Step 6 install-hotfix'")
        .nth(1)
        .expect("the hotfix task");
    let task = task.split("- name:").next().unwrap_or_default();
    assert!(
        task.contains(&format!(
            "ansible.windows.win_package:\n        path: '{msp}'"
        )),
        "{task}"
    );
    assert!(
        !task.contains("arguments"),
        "win_package adds /qn and /norestart itself: {task}"
    );
}

#[test]
fn hotfix_gives_the_file_and_its_sha256() {
    let dir = tempfile::tempdir().expect("tmp");
    let msp = dir.path().join("FIMSync_KB5018333.msp");
    std::fs::write(&msp, b"not a real patch, only its bytes").expect("msp");
    let want = mim_setup::plan::sha256_hex(b"not a real patch, only its bytes");
    let msp_s = msp.to_string_lossy().to_string();
    let (c, o, e) = run(&[
        "doctor",
        "--plan",
        "--from",
        FAULTY,
        "--profile",
        PROFILE,
        "--hotfix",
        &msp_s,
    ]);
    assert_eq!(c, 0, "{e}");
    assert!(o.contains(&want.to_ascii_uppercase()), "{o}");
    let plan: mim_setup::plan::Plan = toml::from_str(&o).expect("plan TOML");
    let step = plan
        .steps
        .iter()
        .find(|s| s.id == "install-hotfix")
        .expect("install-hotfix");
    assert_eq!(step.argv[..3], ["msiexec.exe", "/p", msp_s.as_str()]);
    let (c, _, e) = run(&[
        "doctor",
        "--plan",
        "--from",
        FAULTY,
        "--profile",
        PROFILE,
        "--hotfix",
        "/nonexistent/x.msp",
    ]);
    assert_eq!(c, 2);
    assert!(
        e.contains("--hotfix /nonexistent/x.msp") && e.contains("give the .msp"),
        "{e}"
    );
}

#[test]
fn no_plan_for_a_current_build_or_sp3_and_exit_2_for_what_cannot_be_planned() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("p.toml");
    let out_s = out.to_string_lossy().to_string();
    for fixture in ["sp2-4.6.673.0", "sp3"] {
        let from = format!("tests/doctor/fixtures/{fixture}");
        let (c, o, e) = run(&[
            "doctor",
            "--plan",
            "--from",
            &from,
            "--profile",
            PROFILE,
            "-o",
            &out_s,
        ]);
        assert_eq!(c, 0, "{fixture}: {e}");
        assert!(
            o.is_empty() && e.contains("no plan written"),
            "{fixture}: {e}"
        );
        assert!(!out.exists());
    }
    // No profile: the plan has no service account.
    let (c, _, e) = run(&["doctor", "--plan", "--from", FAULTY]);
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("--profile"), "{e}");
    // A Service and Portal profile.
    let (c, _, e) = run(&[
        "doctor",
        "--plan",
        "--from",
        FAULTY,
        "--profile",
        "profiles/contoso-service-portal.toml",
        "-o",
        &out_s,
    ]);
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("a Service and Portal profile"), "{e}");
    assert!(!out.exists());
    // A collection without the installed build.
    let only_sql = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        format!("{FAULTY}/sql.json"),
        only_sql.path().join("sql.json"),
    )
    .expect("copy");
    let from = only_sql.path().to_string_lossy().to_string();
    let (c, _, e) = run(&[
        "doctor",
        "--plan",
        "--from",
        &from,
        "--profile",
        PROFILE,
        "-o",
        &out_s,
    ]);
    assert_eq!(c, 2, "{e}");
    assert!(
        e.contains("the installed build is not in the collection") && e.contains("no plan written"),
        "{e}"
    );
    assert!(!out.exists());
    // The plan never overwrites its profile.
    let (c, _, e) = run(&[
        "doctor",
        "--plan",
        "--from",
        FAULTY,
        "--profile",
        PROFILE,
        "-o",
        PROFILE,
    ]);
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("is the profile"), "{e}");
}
