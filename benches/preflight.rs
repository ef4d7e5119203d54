//! The full pre-flight of `profiles/contoso-service-portal.toml` against the lab, measured
//! three ways in one run:
//! - ours: `mim-setup check` (all areas at once);
//! - the slowest single area alone (`--only sql|ad|mail|net`);
//! - the same lookups as sequential command-line processes (`dig`, `ldapsearch`, `tsql`,
//!   `curl`; option A checks Exchange through EWS, so `curl` stands where `swaks` would for
//!   an SMTP option).
//!
//! Targets: ours at most 1.3x the slowest single area, and at most 0.2x the sequential run.
//! Needs the lab (`sudo tests/lab/lab.sh start`); the TDS server runs inside this process on
//! 127.0.0.3:1433. Run: `cargo bench --bench preflight`.
use testkit::tds;

#[path = "tools.rs"]
mod tools;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PROFILE: &str = "profiles/contoso-service-portal.toml";
const SQL_PASSWORD_ENV: &str = "MIM_BENCH_SQL_PASSWORD";
const RUNS: usize = 7;

fn lab() -> (PathBuf, BTreeMap<String, String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("LAB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/lab"));
    let text = std::fs::read_to_string(dir.join("env")).unwrap_or_else(|e| {
        eprintln!("the lab is not running ({e}): start it with `sudo tests/lab/lab.sh start`");
        std::process::exit(2)
    });
    let env = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (dir, env)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// Median wall time of `RUNS` runs of `f`, after one warm-up.
fn measure(mut f: impl FnMut()) -> Duration {
    f();
    median(
        (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

fn run(cmd: &mut Command, what: &str) {
    let o = cmd.stdin(Stdio::null()).output().unwrap_or_else(|e| {
        panic!("{what}: {e} (the programs and their packages: benches/tools.txt)")
    });
    if !o.status.success() {
        panic!(
            "{what} failed ({}): {}{}",
            o.status,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }
}

fn check(env: &BTreeMap<String, String>, only: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mim-setup"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", PROFILE, "--json"])
        .args([
            "--set",
            "checks.sql_auth=sql",
            "--set",
            &format!("checks.sql_password=env:{SQL_PASSWORD_ENV}"),
        ])
        .envs(env)
        .env(SQL_PASSWORD_ENV, sql_password());
    if let Some(a) = only {
        c.args(["--only", a]);
    }
    c
}

fn sql_password() -> String {
    tds::Facts::default()
        .logins
        .first()
        .map(|(_, p)| p.clone())
        .unwrap_or_default()
}

/// The lookups our checks make, one process each, one after the other.
fn sequential_cli(dir: &Path, env: &BTreeMap<String, String>) {
    let ca = dir.join("ca/ca.pem");
    let bind_pw = env
        .get("MIM_CHECK_BIND_PASSWORD")
        .cloned()
        .unwrap_or_default();
    // DNS: the DC's SRV record and each host name of the profile.
    run(
        Command::new("dig").args(["+short", "@127.0.0.2", "SRV", "_ldap._tcp.contoso.local"]),
        "dig SRV",
    );
    for host in [
        "dc1.contoso.local",
        "corpsql.contoso.com",
        "mail.contoso.com",
        "corpidm.contoso.local",
    ] {
        run(
            Command::new("dig").args(["+short", "@127.0.0.2", host]),
            "dig A",
        );
    }
    // Directory: each account, each SPN's owners, the SSPR group membership.
    let filters = [
        "(sAMAccountName=miminstall)",
        "(sAMAccountName=MIMService)",
        "(sAMAccountName=MIMMA)",
        "(sAMAccountName=MIMSync)",
        "(sAMAccountName=MIMSSPR)",
        "(sAMAccountName=MIMSSPRService)",
        "(sAMAccountName=SharePoint)",
        "(servicePrincipalName=FIMService/CORPIDM.contoso.local)",
        "(servicePrincipalName=http/CorpIDM.contoso.local)",
        "(servicePrincipalName=http/CorpIDM)",
        "(&(objectClass=group)(|(sAMAccountName=MIMSyncAdmins)(sAMAccountName=MIMSyncPasswordReset)(sAMAccountName=MIMSyncBrowse)))",
    ];
    for f in filters {
        run(
            Command::new("ldapsearch")
                .env("LDAPTLS_CACERT", &ca)
                .args([
                    "-LLL",
                    "-H",
                    // The address the SRV lookup above gave (the system resolver does
                    // not know the lab's names); the certificate holds it too.
                    "ldaps://127.0.0.2",
                    "-D",
                    "miminstall@contoso.local",
                ])
                .args(["-w", &bind_pw, "-b", "DC=contoso,DC=local", f])
                .args([
                    "dn",
                    "userAccountControl",
                    "memberOf",
                    "groupType",
                    "servicePrincipalName",
                ]),
            "ldapsearch",
        );
    }
    // SQL Server: one session, the same questions.
    let queries = "SELECT SERVERPROPERTY('ProductVersion')\ngo\n\
                   SELECT IS_SRVROLEMEMBER('sysadmin')\ngo\n\
                   SELECT FULLTEXTSERVICEPROPERTY('IsFullTextInstalled')\ngo\n\
                   SELECT SERVERPROPERTY('Collation')\ngo\n\
                   SELECT name FROM sys.databases WHERE name = 'FIMService'\ngo\nquit\n";
    let mut tsql = Command::new("tsql")
        .args([
            "-H",
            "127.0.0.3",
            "-p",
            "1433",
            "-U",
            "sa",
            "-P",
            &sql_password(),
        ])
        .env("TDSVER", "7.4")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("tsql: {e} (the programs and their packages: benches/tools.txt)")
        });
    if let Some(mut i) = tsql.stdin.take() {
        use std::io::Write;
        let _ = i.write_all(queries.as_bytes());
    }
    let status = tsql.wait().expect("tsql");
    assert!(status.success(), "tsql failed");
    // Exchange's EWS and the SharePoint site.
    run(
        Command::new("curl")
            .args(["-s", "-o", "/dev/null", "--cacert"])
            .arg(&ca)
            .args(["--resolve", "mail.contoso.com:443:127.0.0.4"])
            .arg("https://mail.contoso.com/EWS/Exchange.asmx"),
        "curl EWS",
    );
    run(
        Command::new("curl")
            .args([
                "-s",
                "-o",
                "/dev/null",
                "--resolve",
                "corpidm.contoso.local:80:127.0.0.6",
            ])
            .arg("http://CorpIDM.contoso.local/"),
        "curl SharePoint",
    );
}

fn main() {
    // `cargo bench` passes --bench; nothing else is taken.
    tools::require("preflight bench");
    let (dir, env) = lab();
    let _sql = tds::Server::start(tds::Facts::default(), tds::Options::lab(&dir, "corpsql"));

    // What the full run sees, for the record.
    let o = check(&env, None).output().expect("mim-setup check");
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap_or_default();
    println!(
        "full pre-flight of {PROFILE}: exit {}, counts {}",
        o.status.code().unwrap_or(-1),
        report["counts"]
    );

    let ours = measure(|| {
        let _ = check(&env, None).output();
    });
    let mut areas = Vec::new();
    for a in ["sql", "ad", "mail", "net"] {
        let t = measure(|| {
            let _ = check(&env, Some(a)).output();
        });
        areas.push((a, t));
    }
    let (slowest_area, slowest) = areas
        .iter()
        .copied()
        .max_by_key(|(_, t)| *t)
        .unwrap_or(("none", Duration::ZERO));
    let sequential = measure(|| sequential_cli(&dir, &env));

    println!("median of {RUNS} runs, wall time of whole processes:");
    for (a, t) in &areas {
        println!("  --only {a:<5} {:>8.1} ms", t.as_secs_f64() * 1e3);
    }
    println!("  ours (all)    {:>8.1} ms", ours.as_secs_f64() * 1e3);
    println!(
        "  sequential    {:>8.1} ms (dig, ldapsearch, tsql, curl)",
        sequential.as_secs_f64() * 1e3
    );
    let r1 = ours.as_secs_f64() / slowest.as_secs_f64();
    let r2 = ours.as_secs_f64() / sequential.as_secs_f64();
    println!("ours / slowest single area ({slowest_area}): {r1:.2}x (target <= 1.3x)");
    println!("ours / sequential command-line run: {r2:.3}x (target <= 0.2x)");
}
