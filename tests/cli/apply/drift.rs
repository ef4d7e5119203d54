//! Drift: a plan made with `plan --check --only net` records what DNS answered; when the
//! answer changes, apply refuses and shows the change, unless `--accept-drift` (recorded in
//! the journal).
use super::dns::Dns;
use super::{text, Lab};
use serde_json::Value;
use std::net::Ipv4Addr;

const KEY: &str = "net.dns.corpsql.contoso.com";

#[test]
fn a_drifted_fact_is_refused_unless_accepted_and_the_acceptance_is_journaled() {
    let dns = Dns::start(Ipv4Addr::new(127, 0, 0, 7));
    let server = dns.addr.to_string();
    let lab = Lab::with(
        "contoso-sync",
        &["--check", "--only", "net", "--dns", &server],
    );
    let plan = std::fs::read_to_string(lab.plan()).expect("plan");
    assert!(
        plan.contains(&format!("\"{KEY}\" = \"127.0.0.7\"")),
        "{plan}"
    );

    // Unchanged: the facts are checked again and the plan runs.
    let o = lab.apply(&["--dns", &server, "--resume"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o));
    assert!(
        text(&o).contains("drift: none (1 recorded facts checked again)"),
        "{}",
        text(&o)
    );

    let lab = Lab::with(
        "contoso-sync",
        &["--check", "--only", "net", "--dns", &server],
    );
    dns.set(Ipv4Addr::new(127, 0, 0, 9));
    let o = lab.apply(&["--dns", &server]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("the plan is stale: 1 of its recorded facts changed"),
        "{out}"
    );
    assert!(
        out.contains(&format!("~ {KEY}: \"127.0.0.7\" -> \"127.0.0.9\"")),
        "{out}"
    );
    assert!(out.contains("--accept-drift"), "{out}");
    assert!(lab.calls().is_empty(), "nothing ran");
    assert!(
        lab.journal_text().is_empty(),
        "no journal for a refused run"
    );

    let o = lab.apply(&["--dns", &server, "--accept-drift"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(out.contains("drift accepted"), "{out}");
    assert_eq!(lab.programs().len(), 4);
    let run: Value =
        serde_json::from_str(lab.journal_text().lines().next().expect("a line")).expect("JSON");
    assert_eq!(run["event"], "run");
    assert_eq!(run["accept_drift"], true);
    assert_eq!(run["drift"][0]["key"], KEY);
    assert_eq!(run["drift"][0]["recorded"], "127.0.0.7");
    assert_eq!(run["drift"][0]["now"], "127.0.0.9");
}

/// A CA certificate made for the test (`openssl req -x509`), PEM, in a folder of its own.
fn test_ca() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("CA folder");
    let cert = dir.path().join("ca.pem");
    let key = dir.path().join("ca.key");
    let o = std::process::Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        ])
        .args(["-subj", "/CN=mim-setup test CA", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("run openssl");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (dir, cert.display().to_string())
}

#[test]
fn a_plan_checked_with_a_ca_file_and_a_timeout_applies_with_the_same_settings_without_drift() {
    let dns = Dns::start(Ipv4Addr::new(127, 0, 0, 7));
    let server = dns.addr.to_string();
    let (_ca_dir, ca) = test_ca();
    let settings = ["--dns", &server, "--ca-file", &ca, "--timeout", "3"];
    let mut plan_args = vec!["--check", "--only", "net"];
    plan_args.extend_from_slice(&settings);
    let lab = Lab::with("contoso-sync", &plan_args);

    let o = lab.apply(&settings);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains("drift: none (1 recorded facts checked again)"),
        "{out}"
    );
}

#[test]
fn apply_refuses_a_timeout_out_of_range_before_anything_runs() {
    let lab = Lab::new("contoso-sync");
    for bad in ["0", "601", "-1", "NaN"] {
        let o = lab.apply(&[&format!("--timeout={bad}")]);
        let out = text(&o);
        assert_eq!(o.status.code(), Some(2), "{bad}: {out}");
        assert!(
            out.contains(&format!(
                "mim-setup: --timeout {bad}: give a number of seconds between 0 and 600"
            )),
            "{bad}: {out}"
        );
        assert!(lab.calls().is_empty(), "{bad}: nothing ran");
    }
}
