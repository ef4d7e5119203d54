//! Secrets: they reach the child's argv and nothing apply writes or prints; a prompt without
//! a terminal is a clear error; the dry run shows what would run without them.
use super::{files, text, Lab, CANARY};

/// No file under the plan's folder and no output holds the canary; the stand-ins got it.
fn nowhere(lab: &Lab, outputs: &[&std::process::Output]) {
    let written = files(lab.dir.path());
    assert!(written.len() >= 8, "{written:?}");
    for f in written {
        let bytes = std::fs::read(&f).expect("read");
        let t = String::from_utf8_lossy(&bytes);
        assert!(!t.contains(CANARY), "{} holds the secret", f.display());
        assert!(
            !t.contains("Canary-Apply"),
            "{} holds part of the secret",
            f.display()
        );
    }
    for o in outputs {
        let out = text(o);
        assert!(!out.contains("Canary-Apply"), "{out}");
    }
    // It did reach the programs (so the checks above can fail).
    let record = std::fs::read_to_string(lab.record()).expect("record");
    assert!(record.contains("Canary-Apply"), "{record}");
}

#[test]
fn a_canary_secret_reaches_the_programs_and_no_file_or_output() {
    let lab = Lab::new("contoso-sync");
    let ok = lab.apply(&[]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let msi = &lab.calls()[0];
    let want = format!("SERVICEPASSWORD={CANARY}");
    assert!(
        msi["argv"]
            .as_array()
            .expect("argv")
            .iter()
            .any(|a| a == want.as_str()),
        "{msi}"
    );
    // The stand-ins echo their arguments: the output logs hold *** instead.
    let out_log = lab
        .dir
        .path()
        .join("p.plan.toml.logs/export-encryption-key.output.log");
    let echoed = std::fs::read_to_string(&out_log).expect("output log");
    assert!(echoed.contains("/u:contoso\\MIMSync *** /q"), "{echoed}");
    nowhere(&lab, &[&ok]);

    // A failure with its log excerpt, then a resume, on the Service and Portal plan.
    let lab = Lab::new("contoso-service-portal");
    lab.scenario("msiexec 1 exit=1603\n");
    let failed = lab.apply(&[]);
    assert_eq!(failed.status.code(), Some(1), "{}", text(&failed));
    let resumed = lab.apply(&["--resume"]);
    assert_eq!(resumed.status.code(), Some(0), "{}", text(&resumed));
    nowhere(&lab, &[&failed, &resumed]);
}

#[test]
fn a_missing_secret_or_a_prompt_without_a_terminal_stops_before_the_step() {
    let lab = Lab::new("contoso-sync");
    let runner = super::runner();
    let o = lab
        .command(&["apply", "p.plan.toml", "--runner", &runner])
        .env_remove("MIM_SYNC_PASSWORD")
        .output()
        .expect("run");
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("the environment variable MIM_SYNC_PASSWORD is not set"),
        "{out}"
    );
    assert!(lab.calls().is_empty(), "nothing ran");

    let lab = Lab::new("contoso-sync");
    let profile = lab.dir.path().join("p.toml");
    let t = std::fs::read_to_string(&profile).expect("profile");
    let t = t.replace("{ env = \"MIM_SYNC_PASSWORD\" }", "{ prompt = true }");
    std::fs::write(&profile, t).expect("profile");
    let made = lab.run(&["plan", "p.toml", "-o", "p.plan.toml"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    let o = lab
        .command(&["apply", "p.plan.toml", "--runner", &runner])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("standard input is not a terminal"), "{out}");
    assert!(lab.calls().is_empty(), "nothing ran");
}

#[test]
fn the_dry_run_prints_what_would_run_and_runs_nothing() {
    let lab = Lab::new("contoso-sync");
    let o = lab.run(&["apply", "p.plan.toml"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("dry run (not on Windows)"), "{out}");
    assert!(
        out.contains("SERVICEPASSWORD={{secret:sync_service_password}}"),
        "{out}"
    );
    assert!(
        out.contains("the secret `sync_service_password` is passed on this command line"),
        "{out}"
    );
    let order: Vec<&str> = out.lines().filter(|l| l.starts_with('[')).collect();
    assert_eq!(order.len(), 5, "{out}");
    assert!(
        order[0].starts_with("[1/5] install-sync-service: would run"),
        "{out}"
    );
    assert!(
        order[4].starts_with("[5/5] sign-out-for-group-membership: manual"),
        "{out}"
    );
    assert!(!out.contains("Canary-Apply"), "{out}");
    assert!(lab.calls().is_empty());
    // Nothing is written beside the plan.
    let mut names: Vec<String> = files(lab.dir.path())
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    names.sort();
    assert_eq!(names, ["p.plan.toml", "p.toml"]);
}
