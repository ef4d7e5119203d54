//! SQL checks against the TDS test server (`testkit::tds`), run inside this process on
//! 127.0.0.3; FreeTDS `tsql` proves that server speaks TDS as real clients expect.
use super::common::{code_and_stdout, json, lab, outcomes, Lab};
use crate::tds::{self, Facts, Options, Received, Server};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The lab's password for the test server's `sa`; tests only.
pub(super) const SA_PASSWORD: &str = "Pass@word1";

fn cert(lab: &Lab, name: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let dir = lab.dir.join("ca");
    Some((
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    ))
}

pub(super) fn tls_options(lab: &Lab, name: &str) -> Options {
    Options {
        cert: cert(lab, name),
        ..Options::default()
    }
}

/// Runs `tsql` against the server with TDSVER and a FreeTDS configuration; returns stdout.
fn tsql(port: u16, tdsver: &str, conf: &str, password: &str, sql: &str) -> (bool, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let conf_path = dir.path().join("freetds.conf");
    std::fs::write(&conf_path, conf).expect("freetds.conf is written");
    let mut child = Command::new("tsql")
        .args([
            "-H",
            "127.0.0.3",
            "-p",
            &port.to_string(),
            "-U",
            "sa",
            "-P",
            password,
            "-o",
            "q",
        ])
        .env("TDSVER", tdsver)
        .env("FREETDSCONF", &conf_path)
        .env_remove("TDSDUMP")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("FreeTDS tsql runs (Debian freetds-bin)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{sql}\ngo\nexit\n").as_bytes())
        .expect("tsql reads the query");
    let started = Instant::now();
    loop {
        if let Some(_status) = child.try_wait().expect("tsql state") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "tsql did not finish in 20 s"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("tsql output");
    let text = format!(
        "{}\n--stderr--\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// FreeTDS logs in (TDS 7.0 to 7.4, plain) and reads the server's answers.
#[test]
fn freetds_tsql_logs_in_and_queries_the_test_server() {
    let srv = Server::start(Facts::default(), Options::default());
    for ver in ["7.0", "7.1", "7.2", "7.3", "7.4"] {
        let (ok, out) = tsql(
            srv.port(),
            ver,
            "[global]\n\tencryption = off\n",
            SA_PASSWORD,
            "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS v, IS_SRVROLEMEMBER('sysadmin') AS s, N'it''s' AS q",
        );
        assert!(ok, "TDS {ver}: {out}");
        assert!(out.contains("15.0.2000.5\t1\tit's"), "TDS {ver}: {out}");
    }
    let (ok, out) = tsql(
        srv.port(),
        "7.4",
        "[global]\n\tencryption = off\n",
        "wrong",
        "SELECT 1",
    );
    assert!(!ok, "{out}");
    assert!(
        out.contains("Msg 18456") && out.contains("Login failed for user 'sa'"),
        "{out}"
    );
}

/// FreeTDS logs in over TLS (TDS 7.4, encryption required, the certificate verified against
/// the lab CA) and queries; with the other CA it refuses the server.
#[test]
fn freetds_tsql_logs_in_over_verified_tls() {
    let lab = lab();
    let srv = Server::start(Facts::default(), tls_options(&lab, "corpsql"));
    assert!(
        lab.ca_file().ends_with("ca/ca.pem"),
        "the lab's CA is ca/ca.pem"
    );
    let conf = |ca: &str| {
        format!(
            "[global]\n\tencryption = require\n\tca file = {}\n",
            lab.dir.join("ca").join(ca).display()
        )
    };
    let (ok, out) = tsql(
        srv.port(),
        "7.4",
        &conf("ca.pem"),
        SA_PASSWORD,
        "SELECT @@VERSION",
    );
    assert!(ok, "{out}");
    assert!(
        out.contains("Microsoft SQL Server 2019 (RTM) - 15.0.2000.5"),
        "{out}"
    );
    assert!(
        srv.received().iter().any(|r| matches!(
            r,
            Received::Login {
                encrypted: true,
                tds_version: 0x7400_0004,
                ..
            }
        )),
        "the login was encrypted: {:?}",
        srv.received()
    );
    let (ok, out) = tsql(
        srv.port(),
        "7.4",
        &conf("other-ca.pem"),
        SA_PASSWORD,
        "SELECT 1",
    );
    assert!(
        !ok && !out.contains("\n1\n"),
        "another CA must not verify the server: {out}"
    );
    assert!(out.contains("Adaptive Server connection failed"), "{out}");
}

const PW_ENV: &str = "MIM_TEST_SQL_PASSWORD";

/// `mim-setup check PROFILE --only sql --json` against `server`, logging in as sa.
pub(super) fn check(
    lab: &Lab,
    profile: &str,
    sets: &[String],
    password: &str,
    timeout: &str,
) -> (i32, serde_json::Value, Duration) {
    let mut args: Vec<String> = vec![
        "check".into(),
        profile.into(),
        "--json".into(),
        "--only".into(),
        "sql".into(),
        "--timeout".into(),
        timeout.into(),
        "--set".into(),
        "checks.sql_auth=sql".into(),
        "--set".into(),
        format!("checks.sql_password=env:{PW_ENV}"),
    ];
    for s in sets {
        args.push("--set".into());
        args.push(s.clone());
    }
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let o = lab
        .command(&refs)
        .env(PW_ENV, password)
        .output()
        .expect("mim-setup runs");
    let took = started.elapsed();
    let (code, _) = code_and_stdout(&o);
    (code, json(&o), took)
}

pub(super) const SP: &str = "profiles/contoso-service-portal.toml";
pub(super) const SYNC: &str = "profiles/contoso-sync.toml";

pub(super) fn sp_server(srv: &Server) -> String {
    format!("database.server=127.0.0.3,{}", srv.port())
}

pub(super) fn one<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let v = outcomes(r, id);
    assert_eq!(v.len(), 1, "one {id} outcome in {r:#}");
    v[0]
}

/// A blocking run whose connection check failed with `check`, within the time limit.
fn connect_failed(code: i32, r: &serde_json::Value, took: Duration, check: &str) {
    assert_eq!(code, 1, "{r:#}");
    assert_eq!(finding(one(r, "sql-connect"))["check"], check, "{r:#}");
    assert!(took < Duration::from_secs(4), "no hang: {took:?}");
}

pub(super) fn finding(o: &serde_json::Value) -> &serde_json::Value {
    &o["findings"][0]
}

/// A healthy SQL Server 2019 behind a verified certificate: every check passes over one
/// encrypted connection, the facts are recorded, and the database name reached the server
/// only as a parameter.
#[test]
fn a_healthy_server_passes_every_check_over_verified_tls() {
    let lab = lab();
    let srv = Server::start(Facts::default(), tls_options(&lab, "corpsql"));
    let (code, r, _) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "5");
    assert_eq!(code, 0, "{r:#}");
    let c = one(&r, "sql-connect");
    assert_eq!(c["state"], "ok", "{c}");
    assert!(
        c.to_string().contains("certificate verified for 127.0.0.3"),
        "{c}"
    );
    for id in [
        "sql-version",
        "sql-sysadmin",
        "sql-fulltext",
        "sql-agent",
        "sql-database",
        "sql-collation",
    ] {
        assert_eq!(one(&r, id)["state"], "ok", "{id}: {r:#}");
    }
    assert!(one(&r, "sql-version")["summary"]
        .as_str()
        .unwrap_or("")
        .contains("SQL Server 2019"));
    let f = &r["facts"];
    assert_eq!(f["sql.version"], "15.0.2000.5");
    assert_eq!(f["sql.sysadmin"], "yes");
    assert_eq!(f["sql.fulltext"], "yes");
    assert_eq!(f["sql.agent"], "running");
    assert_eq!(f["sql.collation"], "SQL_Latin1_General_CP1_CI_AS");
    assert_eq!(f["sql.db_exists.FIMService"], "no");
    assert!(
        !r.to_string().contains(SA_PASSWORD),
        "the password is never shown"
    );
    let got = srv.received();
    let logins = got
        .iter()
        .filter(|r| matches!(r, Received::Login { .. }))
        .count();
    assert_eq!(logins, 1, "one connection: {got:?}");
    assert!(
        got.iter().any(|r| matches!(
            r,
            Received::Login {
                encrypted: true,
                ..
            }
        )),
        "{got:?}"
    );
}

/// A hostile database name travels as an sp_executesql parameter, never in SQL text.
#[test]
fn a_hostile_database_name_reaches_the_server_only_as_a_parameter() {
    let lab = lab();
    let hostile = "x'];DROP--";
    let mut facts = Facts::default();
    facts.databases.push(hostile.into());
    let srv = Server::start(facts, tls_options(&lab, "corpsql"));
    let (code, r, _) = check(
        &lab,
        SP,
        &[
            sp_server(&srv),
            format!("database.database={hostile}"),
            "database.mode=reuse".into(),
        ],
        SA_PASSWORD,
        "5",
    );
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(one(&r, "sql-database")["state"], "ok", "{r:#}");
    assert_eq!(r["facts"][format!("sql.db_exists.{hostile}")], "yes");
    let got = srv.received();
    let mut as_param = 0;
    for g in &got {
        match g {
            Received::Batch(sql) => assert!(!sql.contains("DROP"), "in a batch: {sql}"),
            Received::Rpc { statement, params } => {
                assert!(!statement.contains("DROP"), "in a statement: {statement}");
                as_param += params
                    .iter()
                    .filter(|(_, v)| *v == tds::wire::Val::Str(Some(hostile.into())))
                    .count();
            }
            Received::Login { .. } => {}
        }
    }
    assert_eq!(as_param, 1, "sent once, as a parameter: {got:?}");
}

/// Each configurable fact gives its own finding, with the right severity.
#[test]
fn each_server_fact_gives_its_finding() {
    let lab = lab();
    type Case = (
        &'static str,
        fn(&mut Facts),
        &'static [&'static str],
        &'static str,
        &'static str,
        &'static str,
    );
    let cases: [Case; 8] = [
        (
            "not sysadmin",
            |f| f.sysadmin = false,
            &[],
            "sql-sysadmin",
            "sql-not-sysadmin",
            "error",
        ),
        (
            "no full-text",
            |f| f.fulltext = false,
            &[],
            "sql-fulltext",
            "sql-fulltext",
            "error",
        ),
        (
            "agent stopped",
            |f| f.agent_running = false,
            &[],
            "sql-agent",
            "sql-agent-stopped",
            "error",
        ),
        (
            "db exists, create chosen",
            |f| f.databases.push("FIMService".into()),
            &[],
            "sql-database",
            "sql-database-exists",
            "error",
        ),
        (
            "db missing, reuse chosen",
            |_| {},
            &["database.mode=reuse"],
            "sql-database",
            "sql-database-missing",
            "error",
        ),
        (
            "case-sensitive collation",
            |f| f.collation = "SQL_Latin1_General_CP1_CS_AS".into(),
            &[],
            "sql-collation",
            "sql-collation-case-sensitive",
            "warning",
        ),
        (
            "SQL Server 2012 RTM",
            |f| f.version = "11.0.2100.60".into(),
            &[],
            "sql-version",
            "sql-version-unsupported",
            "error",
        ),
        (
            "SQL Server 2022",
            |f| f.version = "16.0.1000.6".into(),
            &[],
            "sql-version",
            "sql-version-sp3-only",
            "warning",
        ),
    ];
    for (what, change, sets, id, check_id, severity) in cases {
        let mut facts = Facts::default();
        change(&mut facts);
        let srv = Server::start(facts, tls_options(&lab, "corpsql"));
        let mut all = vec![sp_server(&srv)];
        all.extend(sets.iter().map(|s| s.to_string()));
        let (code, r, _) = check(&lab, SP, &all, SA_PASSWORD, "5");
        let o = one(&r, id);
        assert_eq!(finding(o)["check"], check_id, "{what}: {o:#}");
        assert_eq!(finding(o)["severity"], severity, "{what}: {o:#}");
        assert!(
            !finding(o)["fix"].as_str().unwrap_or("").is_empty(),
            "{what}: a fix is given"
        );
        // A live warning blocks until the profile acknowledges it (tests/cli/check_exit.rs).
        assert_eq!(code, 1, "{what}: {r:#}");
        if what == "not sysadmin" {
            assert_eq!(one(&r, "sql-agent")["state"], "skipped", "{r:#}");
            assert_eq!(r["facts"]["sql.sysadmin"], "no");
        }
        if what == "case-sensitive collation" {
            assert!(
                finding(o)["why"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Entra Connect"),
                "the reference's caveat: {o:#}"
            );
        }
    }
}

/// Sync: an existing Synchronization Service database is a warning that says how to go on.
#[test]
fn sync_warns_when_its_database_exists() {
    let lab = lab();
    let mut facts = Facts::default();
    facts.databases.push("FIMSynchronizationService".into());
    let srv = Server::start(facts, tls_options(&lab, "corpsql"));
    let (code, r, _) = check(
        &lab,
        SYNC,
        &[format!("sql.server=127.0.0.3,{}", srv.port())],
        SA_PASSWORD,
        "5",
    );
    let o = one(&r, "sql-database");
    assert_eq!(finding(o)["check"], "sql-sync-database-exists", "{o:#}");
    assert!(
        outcomes(&r, "sql-fulltext").is_empty(),
        "Full-Text is a MIM Service need only"
    );
    assert_eq!(code, 1, "unacknowledged: {r:#}");
    assert_eq!(
        r["unacknowledged"][0],
        "sql-sync-database-exists@sql.database"
    );
}

/// A wrong password: 18456 becomes "login failed for user sa" with the common causes.
#[test]
fn a_wrong_password_is_login_failed_with_the_causes() {
    let lab = lab();
    let srv = Server::start(Facts::default(), tls_options(&lab, "corpsql"));
    let (code, r, _) = check(&lab, SP, &[sp_server(&srv)], "not-the-password", "5");
    assert_eq!(code, 1);
    let f = finding(one(&r, "sql-connect"));
    assert_eq!(f["check"], "sql-login-failed", "{r:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or("")
            .contains("Login failed for user sa"),
        "{f}"
    );
    assert!(
        f["fix"].as_str().unwrap_or("").contains("mixed mode"),
        "{f}"
    );
    assert!(
        !r.to_string().contains("not-the-password"),
        "the password is never shown"
    );
    assert_eq!(one(&r, "sql-version")["state"], "skipped", "{r:#}");
}

/// Certificates: another CA's, or one for another name, are refused with their own finding;
/// "trust" connects and says the certificate was not verified.
#[test]
fn untrusted_and_wrong_name_certificates_are_refused() {
    let lab = lab();
    for (cert, id) in [
        ("untrusted", "sql-tls-untrusted"),
        ("wrongname", "sql-tls-name"),
    ] {
        let srv = Server::start(Facts::default(), tls_options(&lab, cert));
        let (code, r, _) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "5");
        assert_eq!(code, 1, "{cert}: {r:#}");
        assert_eq!(
            finding(one(&r, "sql-connect"))["check"],
            id,
            "{cert}: {r:#}"
        );
        assert!(
            srv.received().is_empty(),
            "{cert}: no login was sent: {:?}",
            srv.received()
        );
    }
    let srv = Server::start(Facts::default(), tls_options(&lab, "untrusted"));
    let (code, r, _) = check(
        &lab,
        SP,
        &[sp_server(&srv), "checks.sql_encryption=trust".into()],
        SA_PASSWORD,
        "5",
    );
    assert_eq!(code, 0, "{r:#}");
    assert!(
        one(&r, "sql-connect").to_string().contains("NOT verified"),
        "{r:#}"
    );
}

/// A server without TLS: "off" connects (and says so); "verify" does not.
#[test]
fn encryption_off_is_stated_and_verify_needs_tls() {
    let lab = lab();
    let srv = Server::start(Facts::default(), Options::default());
    let (code, r, _) = check(
        &lab,
        SP,
        &[sp_server(&srv), "checks.sql_encryption=off".into()],
        SA_PASSWORD,
        "5",
    );
    assert_eq!(code, 0, "{r:#}");
    assert!(
        one(&r, "sql-connect").to_string().contains("not encrypted"),
        "{r:#}"
    );
    let (code, r, _) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "5");
    assert_eq!(code, 1, "{r:#}");
    let f = finding(one(&r, "sql-connect"));
    assert_eq!(f["check"], "sql-closed", "{r:#}");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or("")
            .contains("TLS handshake"),
        "{f}"
    );
}

/// Refused, black hole, closed after PRELOGIN: each its own finding, within the time limit.
#[test]
fn network_faults_give_specific_findings_in_time() {
    let lab = lab();
    let port = tds::refused_port();
    let (code, r, _) = check(
        &lab,
        SP,
        &[format!("database.server=127.0.0.3,{port}")],
        SA_PASSWORD,
        "2",
    );
    assert_eq!(code, 1);
    assert_eq!(
        finding(one(&r, "sql-connect"))["check"],
        "sql-refused",
        "{r:#}"
    );

    let hole = tds::black_hole();
    let port = hole.local_addr().expect("black hole address").port();
    let (code, r, took) = check(
        &lab,
        SP,
        &[format!("database.server=127.0.0.3,{port}")],
        SA_PASSWORD,
        "1",
    );
    connect_failed(code, &r, took, "sql-timeout");

    let srv = Server::start(
        Facts::default(),
        Options {
            close_after_prelogin: true,
            ..tls_options(&lab, "corpsql")
        },
    );
    let (code, r, took) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "2");
    connect_failed(code, &r, took, "sql-closed");
}

/// Names through the lab's DNS (Samba on 127.0.0.2): corpsql.contoso.com verifies against
/// its certificate; a name nobody registered is NXDOMAIN.
#[test]
fn names_resolve_through_the_lab_dns_or_are_nxdomain() {
    let lab = lab();
    assert!(
        lab.env.contains_key("MIM_SETUP_DNS"),
        "the lab's DNS (MIM_SETUP_DNS) is needed: {:?}",
        lab.env
    );
    let srv = Server::start(Facts::default(), tls_options(&lab, "corpsql"));
    let (code, r, _) = check(
        &lab,
        SP,
        &[format!(
            "database.server=corpsql.contoso.com,{}",
            srv.port()
        )],
        SA_PASSWORD,
        "5",
    );
    assert_eq!(code, 0, "{r:#}");
    assert!(
        one(&r, "sql-connect")
            .to_string()
            .contains("verified for corpsql.contoso.com"),
        "{r:#}"
    );
    let (code, r, _) = check(
        &lab,
        SP,
        &["database.server=nosuchsql.contoso.com".into()],
        SA_PASSWORD,
        "3",
    );
    assert_eq!(code, 1);
    let f = finding(one(&r, "sql-connect"));
    assert_eq!(f["check"], "sql-dns", "{r:#}");
    assert!(
        f["message"].as_str().unwrap_or("").contains("NXDOMAIN"),
        "{f}"
    );
}

/// Windows authentication cannot be checked off Windows; a missing password is said too.
#[test]
fn integrated_auth_and_a_missing_password_are_skipped_with_the_reason() {
    let lab = lab();
    let srv = Server::start(Facts::default(), tls_options(&lab, "corpsql"));
    let o = lab.run(&[
        "check",
        SP,
        "--json",
        "--only",
        "sql",
        "--set",
        &sp_server(&srv),
        "--set",
        "checks.sql_auth=integrated",
    ]);
    let r = json(&o);
    let c = one(&r, "sql-connect");
    assert_eq!(c["state"], "skipped", "{c}");
    assert!(
        c["summary"]
            .as_str()
            .unwrap_or("")
            .contains("choose a SQL login"),
        "{c}"
    );
    let o = lab
        .command(&[
            "check",
            SP,
            "--json",
            "--only",
            "sql",
            "--set",
            &sp_server(&srv),
            "--set",
            "checks.sql_auth=sql",
            "--set",
            "checks.sql_password=env:MIM_TEST_NO_SUCH_VAR",
        ])
        .env_remove("MIM_TEST_NO_SUCH_VAR")
        .output()
        .expect("mim-setup runs");
    let c = json(&o);
    let c = one(&c, "sql-connect");
    assert_eq!(c["state"], "skipped", "{c}");
    assert!(
        c["summary"]
            .as_str()
            .unwrap_or("")
            .contains("MIM_TEST_NO_SUCH_VAR"),
        "{c}"
    );
}

/// A named instance is found through the SQL Browser (UDP 1434 on 127.0.0.3); an instance
/// the browser does not know gets its own finding within the time limit.
#[test]
fn a_named_instance_is_found_through_the_sql_browser() {
    let lab = lab();
    let facts = Facts {
        instance: Some("MIMSYNC".into()),
        ..Facts::default()
    };
    let srv = Server::start(
        facts,
        Options {
            browser: true,
            ..tls_options(&lab, "corpsql")
        },
    );
    let named = |inst: &str| {
        vec![
            "sql.server=127.0.0.3".to_string(),
            "sql.instance=named".into(),
            format!("sql.instance_name={inst}"),
        ]
    };
    let (code, r, _) = check(&lab, SYNC, &named("mimsync"), SA_PASSWORD, "5");
    assert_eq!(code, 0, "{r:#}");
    let c = one(&r, "sql-connect");
    assert!(
        c.to_string()
            .contains(&format!("listens on TCP {}", srv.port())),
        "{c}"
    );
    let (code, r, took) = check(&lab, SYNC, &named("OTHER"), SA_PASSWORD, "1");
    connect_failed(code, &r, took, "sql-browser");
}

/// Always On: a server name that is an availability group listener gets the
/// RegisterAllProvidersIP advice; another name does not.
#[test]
fn an_availability_group_listener_gets_the_register_all_providers_ip_advice() {
    let lab = lab();
    let facts = Facts {
        hadr: true,
        listeners: vec!["CORPSQL".into()],
        ..Facts::default()
    };
    let srv = Server::start(facts, tls_options(&lab, "corpsql"));
    let (code, r, _) = check(
        &lab,
        SP,
        &[format!(
            "database.server=corpsql.contoso.com,{}",
            srv.port()
        )],
        SA_PASSWORD,
        "5",
    );
    let o = one(&r, "sql-alwayson");
    assert_eq!(finding(o)["check"], "sql-alwayson-listener", "{o:#}");
    assert!(
        finding(o)["message"]
            .as_str()
            .unwrap_or("")
            .contains("RegisterAllProvidersIP"),
        "{o:#}"
    );
    // A warning, which blocks until the profile acknowledges it.
    assert_eq!(code, 1, "a warning: {r:#}");
    assert_eq!(
        r["unacknowledged"][0], "sql-alwayson-listener@database.server",
        "{r:#}"
    );
    let (_, r, _) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "5");
    assert_eq!(one(&r, "sql-alwayson")["state"], "ok", "{r:#}");
}

/// The shipped Service and Portal profile as it is (corpsql.contoso.com, port 1433, TLS
/// verified) passes against the lab's corpsql, checked with a SQL login.
#[test]
fn the_shipped_service_profile_passes_against_the_lab_corpsql_on_1433() {
    let lab = lab();
    let srv = Server::try_start(Facts::default(), Options::lab(&lab.dir, "corpsql"))
        .unwrap_or_else(|e| {
            panic!("corpsql on 127.0.0.3:1433 (nothing else may hold it during the tests): {e}")
        });
    assert_eq!(srv.port(), 1433);
    let (code, r, _) = check(&lab, SP, &[], SA_PASSWORD, "5");
    assert_eq!(code, 0, "{r:#}");
    assert_eq!(
        one(&r, "sql-connect")["title"],
        "Connection to SQL Server corpsql.contoso.com"
    );
    assert_eq!(r["facts"]["sql.db_exists.FIMService"], "no");
}

/// A server that forces encryption refuses a check that does not encrypt, with a finding
/// that names the encryption setting.
#[test]
fn a_server_forcing_encryption_refuses_encryption_off() {
    let lab = lab();
    let srv = Server::start(
        Facts::default(),
        Options {
            force_encryption: true,
            ..tls_options(&lab, "corpsql")
        },
    );
    let (code, r, took) = check(
        &lab,
        SP,
        &[sp_server(&srv), "checks.sql_encryption=off".into()],
        SA_PASSWORD,
        "2",
    );
    connect_failed(code, &r, took, "sql-encryption-required");
}
