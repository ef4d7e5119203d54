//! `plan --check` shows the live warnings and treats them as `check` does: unacknowledged,
//! no plan (exit 1); acknowledged by the profile, the plan is written and the warning is
//! shown on standard error. The SQL Server is the TDS test server on 127.0.0.68:1433 (a plan
//! is made from the profile as written, so the server field names it without a port). A
//! `plan --check` that checked nothing says so.
use super::run_with;
use std::net::Ipv4Addr;
use testkit::tds::{Facts, Options, Server};

const PW_ENV: &str = "MIM_TEST_SQL_PASSWORD";
const KEY: &str = "sql-version-not-recommended@sql.server";

/// The shipped Sync profile pointed at the test server, acknowledging `acked` as well.
fn profile(acked: &[&str]) -> (tempfile::TempDir, String) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("profiles/contoso-sync.toml")).expect("profile");
    // The checks' own connection is not encrypted (the test server has no TLS): an offline
    // warning, acknowledged.
    let added: String = std::iter::once(&"sql-encryption-opt-out@checks.sql_encryption")
        .chain(acked)
        .map(|k| format!("  \"{k}\",\n"))
        .collect();
    let text = text
        .replacen("acknowledged = [\n", &format!("acknowledged = [\n{added}"), 1)
        .replace(
            "sql_auth = \"integrated\"\nsql_encryption = \"verify\"\n",
            &format!("sql_auth = \"sql\"\nsql_login = \"sa\"\nsql_password = {{ env = \"{PW_ENV}\" }}\nsql_encryption = \"off\"\n"),
        )
        .replace("server = \"corpsql.contoso.com\"", "server = \"127.0.0.68\"");
    assert!(
        text.contains("127.0.0.68") && text.contains("sql_login"),
        "{text}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sync.toml");
    std::fs::write(&path, text).expect("write profile");
    let path = path.display().to_string();
    (dir, path)
}

#[test]
fn plan_check_shows_live_warnings_and_writes_no_plan_until_they_are_acknowledged() {
    let facts = Facts {
        version: "11.0.7001.0".into(),
        level: "SP4".into(),
        ..Facts::default()
    };
    let password = facts.logins[0].1.clone();
    let _srv = Server::start(
        facts,
        Options {
            port: 1433,
            ip: Some(Ipv4Addr::new(127, 0, 0, 68)),
            ..Options::default()
        },
    );
    let env = [(PW_ENV, password.as_str())];

    let (_d, path) = profile(&[]);
    let (code, out, err) = run_with(&["plan", &path, "--check", "--only", "sql"], &env);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.is_empty(), "no plan: {out}");
    assert!(
        err.contains("but not recommended"),
        "the warning is shown: {err}"
    );
    assert!(
        err.contains(&format!("acknowledge: add \"{KEY}\"")),
        "{err}"
    );
    assert!(err.contains("no plan written"), "{err}");

    let (_d, path) = profile(&[KEY]);
    let (code, out, err) = run_with(&["plan", &path, "--check", "--only", "sql"], &env);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("[warning, acknowledged] sql SQL Server version"),
        "{err}"
    );
    assert!(
        err.contains(&format!("acknowledged: the profile has \"{KEY}\"")),
        "{err}"
    );
    assert!(
        out.contains(&format!("\"{KEY}\"")),
        "the plan records the acknowledgement: {out}"
    );
    assert!(
        out.contains("11.0.7001.0"),
        "the plan records the version seen: {out}"
    );
    assert!(
        !out.contains(&password) && !err.contains(&password),
        "no password shown"
    );
    // When the facts were seen, recorded in the plan and shown by `review`.
    let at = out
        .lines()
        .find_map(|l| l.strip_prefix("facts_checked_at = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("the plan records when the facts were seen: {out}"));
    assert!(
        mim_setup::approve::time::parse(&at).is_some(),
        "an RFC 3339 UTC time: {at}"
    );
    let plan = std::path::Path::new(&path).with_extension("plan.toml");
    std::fs::write(&plan, &out).expect("write the plan");
    let (code, text, err) = run_with(
        &["review", plan.to_str().expect("utf-8"), "--format", "text"],
        &env,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        text.contains(&format!("{at}, when the live checks ran for the plan")),
        "{text}"
    );
    // `review --check` runs the live checks (the same engine), `review` alone does not.
    let live_findings = |args: &[&str]| {
        let (code, out, err) = run_with(args, &env);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        let mut found = Vec::new();
        for s in v["screens"].as_array().expect("screens") {
            for f in s["fields"].as_array().into_iter().flatten() {
                for x in f["findings"].as_array().into_iter().flatten() {
                    if x["origin"] == "live" {
                        found.push((x["check"].clone(), x["acknowledged"]["key"].clone()));
                    }
                }
            }
        }
        found
    };
    let checked = live_findings(&[
        "review", &path, "--check", "--only", "sql", "--format", "json",
    ]);
    assert!(
        checked
            .iter()
            .any(|(c, k)| c == "sql-version-not-recommended" && k == KEY),
        "{checked:?}"
    );
    assert!(
        live_findings(&["review", &path, "--format", "json"]).is_empty(),
        "no live check without --check"
    );
}

/// `plan --check` where every live check is skipped writes the plan, but says that nothing
/// was checked and why, so that nobody takes the plan's empty facts for a clean environment.
#[test]
fn plan_check_that_checked_nothing_says_so_and_why() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("profiles/contoso-sync.toml")).expect("profile");
    let text = text.replace(
        "bind_account = 'contoso\\miminstall'\n",
        "bind_account = ''\n",
    );
    assert!(text.contains("bind_account = ''"), "{text}");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("sync.toml");
    std::fs::write(&path, text).expect("write profile");
    let path = path.display().to_string();
    let (code, out, err) = run_with(&["plan", &path, "--check", "--only", "ad"], &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("[[steps]]"), "the plan is written: {out}");
    assert!(
        err.contains(
            "[SKIPPED] ad Directory bind: not checked: no account for the directory checks"
        ),
        "{err}"
    );
    assert!(
        err.contains("nothing was checked: 0 checks ran, 2 skipped"),
        "{err}"
    );
    assert!(err.contains("no live check ran"), "{err}");
    assert!(!out.contains("[facts]"), "no facts recorded: {out}");
}
