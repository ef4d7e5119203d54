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
    // The log file goes beside the plan, so that the walk below reads it too.
    let log = lab.dir.path().join("mim-setup.log");
    let log_arg = log.to_str().expect("path");
    let ok = lab.apply(&["--log-level", "trace", "--log-file", log_arg]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
    let logged = std::fs::read_to_string(&log).expect("log file");
    assert!(
        logged.contains("step started") && logged.contains("{{secret:sync_service_password}}"),
        "{logged}"
    );
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

/// Option H: setup asks for eight answers on its own screens; the dry run lists each under
/// the install step, as the plan does, the client secret as its placeholder only.
#[test]
fn the_dry_run_lists_the_answers_to_type_into_setups_screens() {
    let lab = Lab::new("contoso-aadp-option-h");
    let plan: toml::Table = std::fs::read_to_string(lab.plan())
        .expect("plan")
        .parse()
        .expect("TOML");
    let interactive = plan["interactive"].as_array().expect("interactive");
    assert_eq!(interactive.len(), 8);
    let o = lab.run(&["apply", "p.plan.toml"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("setup asks on its own screens for 8 answer(s); type:"),
        "{out}"
    );
    for i in interactive {
        let line = format!(
            "  {}: {}  (from {})",
            i["label"].as_str().expect("label"),
            i["value"].as_str().expect("value"),
            i["from"].as_str().expect("from")
        );
        assert!(out.contains(&line), "{line:?} missing in\n{out}");
    }
    assert!(out.contains("{{secret:"), "{out}");
    assert!(lab.calls().is_empty());
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

/// Joins a new session keyring, stores `keyring-rs:USER@SERVICE` there (the name the
/// keyring crate looks up on Linux) and execs `mim-setup ARGS` in that session.
const IN_SESSION_KEYRING: &str = r#"
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
SYS_add_key, SYS_keyctl = 248, 250
if libc.syscall(SYS_keyctl, 1, None) < 0:
    sys.exit("keyctl(JOIN_SESSION_KEYRING) failed: errno %d" % ctypes.get_errno())
secret = os.environ.pop("MIM_TEST_KEYRING_SECRET").encode()
name = os.environ.pop("MIM_TEST_KEYRING_NAME").encode()
if libc.syscall(SYS_add_key, b"user", name, secret, len(secret), -3) < 0:
    sys.exit("add_key failed: errno %d" % ctypes.get_errno())
os.execv(sys.argv[1], sys.argv[1:])
"#;

/// A `{ keyring = "SERVICE/USER" }` reference is read from the credential store (on Linux
/// the kernel keyring of the session) just before the step; a missing entry stops before it.
#[test]
fn a_keyring_reference_is_read_from_the_credential_store() {
    assert!(
        std::path::Path::new("/usr/bin/python3").is_file(),
        "the keyring test stores its entry with /usr/bin/python3, which is missing"
    );
    let service = format!("mim-setup-test-{}", std::process::id());
    let lab = Lab::new("contoso-sync");
    let profile = lab.dir.path().join("p.toml");
    let t = std::fs::read_to_string(&profile).expect("profile");
    let reference = format!("{{ keyring = \"{service}/sync\" }}");
    std::fs::write(
        &profile,
        t.replace("{ env = \"MIM_SYNC_PASSWORD\" }", &reference),
    )
    .expect("profile");
    let made = lab.run(&["plan", "p.toml", "-o", "p.plan.toml"]);
    assert_eq!(made.status.code(), Some(0), "{}", text(&made));
    let plan = std::fs::read_to_string(lab.plan()).expect("plan");
    assert!(
        plan.contains(&format!("keyring = \"{service}/sync\"")),
        "{plan}"
    );

    // Without an entry (no session keyring here), the step does not start.
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(&format!("no usable entry {service}/sync")),
        "{out}"
    );
    assert!(lab.calls().is_empty());

    let runner = super::runner();
    let args = [
        "-c",
        IN_SESSION_KEYRING,
        super::BIN,
        "apply",
        "p.plan.toml",
        "--runner",
        &runner,
        "--resume",
    ];
    let o = lab
        .command_of("/usr/bin/python3", &args)
        .env_remove("MIM_SYNC_PASSWORD")
        .env("MIM_TEST_KEYRING_SECRET", CANARY)
        .env(
            "MIM_TEST_KEYRING_NAME",
            format!("keyring-rs:sync@{service}"),
        )
        .output()
        .expect("run python3");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert_eq!(lab.programs(), ["msiexec", "sc", "powershell", "miiskmu"]);
    nowhere(&lab, &[&o]);
}
