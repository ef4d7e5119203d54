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

/// A server certificate for `host`, signed by the CA of `ca_dir` (as `test_ca` makes it).
fn server_cert(ca_dir: &std::path::Path, host: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let (key, csr, cert, ext) = (
        ca_dir.join("server.key"),
        ca_dir.join("server.csr"),
        ca_dir.join("server.pem"),
        ca_dir.join("server.ext"),
    );
    std::fs::write(
        &ext,
        format!("subjectAltName=DNS:{host}\nextendedKeyUsage=serverAuth\n"),
    )
    .expect("ext");
    let run = |args: &[&std::ffi::OsStr]| {
        let o = std::process::Command::new("openssl")
            .args(args)
            .output()
            .expect("run openssl");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    let subj = format!("/CN={host}");
    run(&[
        os("req"),
        os("-newkey"),
        os("rsa:2048"),
        os("-nodes"),
        os("-subj"),
        subj.as_ref(),
        os("-keyout"),
        key.as_ref(),
        os("-out"),
        csr.as_ref(),
    ]);
    run(&[
        os("x509"),
        os("-req"),
        os("-in"),
        csr.as_ref(),
        os("-CA"),
        ca_dir.join("ca.pem").as_ref(),
        os("-CAkey"),
        ca_dir.join("ca.key").as_ref(),
        os("-CAcreateserial"),
        os("-days"),
        os("1"),
        os("-extfile"),
        ext.as_ref(),
        os("-out"),
        cert.as_ref(),
    ]);
    (cert, key)
}

/// The SQL facts are read over TLS that only the CA file makes trusted. A plan checked with
/// `--ca-file` re-checks them at apply with the same CA file and finds no drift; without it,
/// the TLS handshake fails, the facts are not seen, and apply refuses the plan as stale. So
/// the CA file reaches apply's re-check (a DNS fact alone could not tell).
#[test]
fn the_ca_file_reaches_the_tls_facts_that_apply_checks_again() {
    // corpsql resolves to an address of this test's own, where the TDS test server listens on
    // 1433, the default instance's port (127.0.0.3 is the live tier's corpsql).
    let ip = Ipv4Addr::new(127, 0, 0, 43);
    let dns = Dns::start(ip);
    let server = dns.addr.to_string();
    let (ca_dir, ca) = test_ca();
    let (cert, key) = server_cert(ca_dir.path(), "corpsql.contoso.com");
    let _sql = testkit::tds::Server::start(
        testkit::tds::Facts {
            logins: vec![("miminstall".into(), super::CANARY.into())],
            ..Default::default()
        },
        testkit::tds::Options {
            ip: Some(ip),
            port: 1433,
            cert: Some((cert, key)),
            force_encryption: true,
            ..Default::default()
        },
    );
    let lab = Lab::with_profile("contoso-sync", |t| {
        t.replace(
            "sql_auth = \"integrated\"",
            "sql_auth = \"sql\"\nsql_login = \"miminstall\"\nsql_password = { env = \"MIM_SYNC_PASSWORD\" }",
        )
    });
    let settings = ["--dns", &server, "--ca-file", &ca, "--timeout", "5"];
    let mut plan_args = vec![
        "plan",
        "p.toml",
        "-o",
        "p.plan.toml",
        "--check",
        "--only",
        "sql",
    ];
    plan_args.extend_from_slice(&settings);
    let o = lab.run(&plan_args);
    assert_eq!(o.status.code(), Some(0), "plan: {}", text(&o));
    let plan = std::fs::read_to_string(lab.plan()).expect("plan");
    let table: toml::Table = toml::from_str(&plan).expect("plan TOML");
    let facts = table["facts"].as_table().expect("facts");
    assert!(facts.contains_key("sql.version"), "{plan}");
    let recorded = facts.len();

    let o = lab.apply(&settings);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}");
    assert!(
        out.contains(&format!(
            "drift: none ({recorded} recorded facts checked again)"
        )),
        "{out}"
    );

    let o = lab.apply(&["--dns", &server, "--timeout", "5"]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("the plan is stale"), "{out}");
    assert!(out.contains("sql.version"), "{out}");
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
