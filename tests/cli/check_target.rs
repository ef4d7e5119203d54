//! Checks that are only true on the server that gets MIM (`checks.computer`): the local
//! ports (5725, 5726, the SSPR sites) and a Synchronization Service SQL Server "on this
//! computer". They say which computer they ran on; on another one they are skipped, saying
//! why, so that a run with nothing else exits 3. `COMPUTERNAME` names the computer.
use super::run_with;

const SYNC: &str = "profiles/contoso-sync.toml";
const SP: &str = "profiles/contoso-service-portal.toml";

/// The local port checks (5725, 5726, the SSPR sites) are true only on the profile's server
/// (`checks.computer`): they say which computer they ran on, and elsewhere they are skipped,
/// saying why, so that a run with nothing else exits 3.
#[test]
fn port_checks_on_another_computer_are_skipped_and_say_where_they_ran() {
    // Every host name of the profile is this computer, so `net` checks only the ports.
    let local = [
        "database.server=localhost",
        "mail.server=localhost",
        "portal.sharepoint_url=http://localhost",
        "features.portal=false",
        "registration_site.service_address=localhost",
        "reset_site.service_address=localhost",
        "registration.port=47801",
        "reset.port=47802",
    ];
    // (checks.computer, this computer, exit, what the port lines say)
    let cases: &[(&str, &str, i32, &str)] = &[
        ("CORPIDM", "DEVBOX", 3, "it ran on DEVBOX"),
        ("corpidm.contoso.local", "CORPSYNC", 3, "it ran on CORPSYNC"),
        ("CORPIDM", "CORPIDM", 0, "is free on CORPIDM"),
        ("contoso\\CORPIDM$", "corpidm", 0, "is free on corpidm"),
        ("", "DEVBOX", 0, "is free on DEVBOX"),
        ("localhost", "DEVBOX", 0, "is free on DEVBOX"),
    ];
    for (target, here, want, says) in cases {
        let computer = format!("checks.computer={target}");
        let mut args = vec!["check", SP, "--only", "net", "--json", "--set", &computer];
        for s in local {
            args.extend(["--set", s]);
        }
        let env = [
            ("COMPUTERNAME", *here),
            ("MIM_TEST_SQL_PASSWORD", "not-used"),
        ];
        let (code, out, err) = run_with(&args, &env);
        assert_eq!(code, *want, "{target} on {here}: {out}{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let ports: Vec<&serde_json::Value> = v["outcomes"]
            .as_array()
            .map(|a| a.iter().filter(|o| o["id"] == "net-port").collect())
            .unwrap_or_default();
        assert_eq!(ports.len(), 4, "5725, 5726, 47801, 47802: {v:#}");
        for o in &ports {
            let summary = o["summary"].as_str().unwrap_or("");
            assert!(summary.contains(says), "{target} on {here}: {o:#}");
            let skipped = o["state"] == "skipped";
            assert_eq!(skipped, *want == 3, "{target} on {here}: {o:#}");
            if skipped {
                assert!(summary.contains(target.trim()), "names the server: {o:#}");
            }
        }
        assert_eq!(v["counts"]["ran"], if *want == 3 { 0 } else { 4 }, "{v:#}");
    }
}

/// A Synchronization Service SQL Server "on this computer" is checked only on the profile's
/// server: elsewhere, localhost would be another SQL Server.
#[test]
fn a_local_sql_server_is_checked_only_on_the_profiles_server() {
    // (checks.computer, this computer, skipped)
    let cases: &[(&str, &str, bool)] = &[
        ("corpsync", "DEVBOX", true),
        ("contoso\\CORPSYNC$", "corpidm", true),
        ("corpsync", "CORPSYNC", false),
        ("corpsync.contoso.local", "corpsync", false),
        ("", "DEVBOX", false),
    ];
    for (target, here, skipped) in cases {
        let computer = format!("checks.computer={target}");
        let args = [
            "check",
            SYNC,
            "--only",
            "sql",
            "--json",
            "--timeout",
            "1",
            "--set",
            "sql.location=local",
            "--set",
            "checks.sql_auth=sql",
            "--set",
            "checks.sql_password=env:MIM_TEST_SQL_PASSWORD",
            "--set",
            &computer,
        ];
        // Nothing listens on this computer's SQL port in the tests: a check that runs fails.
        let env = [
            ("COMPUTERNAME", *here),
            ("MIM_TEST_SQL_PASSWORD", "not-used"),
        ];
        let (code, out, err) = run_with(&args, &env);
        let v: serde_json::Value =
            serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
        let first = &v["outcomes"][0];
        assert_eq!(first["id"], "sql-connect", "{v:#}");
        if *skipped {
            assert_eq!(code, 3, "{target} on {here}: {v:#}");
            assert_eq!(first["state"], "skipped", "{v:#}");
            let why = first["summary"].as_str().unwrap_or("");
            assert!(why.contains(&format!("it ran on {here}")), "{why}");
            assert!(why.contains(target.trim()), "{why}");
        } else {
            assert_eq!(code, 1, "{target} on {here}: {v:#}");
            assert_eq!(first["state"], "error", "{v:#}");
        }
    }
}
