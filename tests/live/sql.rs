//! SQL checks against the TDS test server (tests/tds), run inside this process on
//! 127.0.0.3; FreeTDS `tsql` proves that server speaks TDS as real clients expect.
use super::common::{lab, Lab};
use crate::tds::{Facts, Options, Received, Server};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The lab's password for the test server's `sa`; tests only.
const SA_PASSWORD: &str = "Pass@word1";

fn cert(lab: &Lab, name: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let dir = lab.dir.join("ca");
    Some((
        dir.join(format!("{name}.pem")),
        dir.join(format!("{name}.key")),
    ))
}

fn tls_options(lab: &Lab, name: &str) -> Options {
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
}
