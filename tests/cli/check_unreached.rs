//! `mim-setup check` against a SQL Server that gives no answer, on 127.0.0.83: a port where
//! nothing listens (connection refused) and a port that accepts the connection but never
//! answers (no answer in time). Each blocks (exit 1) until the profile acknowledges going on
//! without the check; then it is counted as acknowledged and not checked, never as passed
//! (exit 3: nothing was checked), with its reason. An error that is an answer (a login
//! refused) cannot be acknowledged: such an entry is refused (exit 2). A plan made from the
//! profile records the check as not run, with the reason.
use super::run_with;
use std::net::TcpListener;
use std::path::PathBuf;

const SYNC: &str = "profiles/contoso-sync.toml";
const PW_ENV: &str = "MIM_TEST_SQL_PASSWORD";
const REASON: &str = "prepared off site; checked on the day (CHG-42)";

/// The shipped Sync profile with `entries` added to `acknowledged`, in its own folder.
fn profile(entries: &[String]) -> (tempfile::TempDir, PathBuf) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(SYNC)).expect("shipped profile");
    let added: String = entries.iter().map(|e| format!("  {e},\n")).collect();
    let edited = text.replacen(
        "acknowledged = [\n",
        &format!("acknowledged = [\n{added}"),
        1,
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("offsite.toml");
    std::fs::write(&path, edited).expect("write profile");
    (dir, path)
}

/// `check --only sql` of `profile` against 127.0.0.83:`port`: (exit code, JSON, text).
fn check(profile: &std::path::Path, port: u16) -> (i32, serde_json::Value, String) {
    let server = format!("sql.server=127.0.0.83,{port}");
    let p = profile.to_str().expect("path");
    let base = [
        "check",
        p,
        "--only",
        "sql",
        "--timeout",
        "1",
        "--set",
        &server,
        "--set",
        "checks.sql_auth=sql",
        "--set",
        "checks.sql_password=env:MIM_TEST_SQL_PASSWORD",
        "--set",
        "checks.sql_encryption=off",
    ];
    let env = [(PW_ENV, "not-used-Canary-1")];
    let (code, out, err) = run_with(&[&base[..], &["--json"]].concat(), &env);
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON ({e}): {out}{err}"));
    let (text_code, text, _) = run_with(&base, &env);
    assert_eq!(code, text_code, "text and JSON agree: {text}");
    (code, v, text)
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_server_that_gives_no_answer_blocks_until_acknowledged_then_counts_as_not_checked() {
    // Nothing listens on a port just freed: refused. A bound listener that never accepts
    // takes the connection into its backlog and never answers the login.
    let refused = {
        let l = TcpListener::bind("127.0.0.83:0").expect("bind 127.0.0.83");
        l.local_addr().expect("addr").port()
    };
    let silent = TcpListener::bind("127.0.0.83:0").expect("bind 127.0.0.83");
    let silent_port = silent.local_addr().expect("addr").port();
    for (what, port, key) in [
        ("refused", refused, "sql-refused@sql.server"),
        ("no answer", silent_port, "sql-timeout@sql.server"),
    ] {
        let (_d, plain) = profile(&[]);
        let (code, v, text) = check(&plain, port);
        assert_eq!(
            code, 1,
            "{what}: blocked without the acknowledgement: {text}"
        );
        assert_eq!(
            strings(&v["unacknowledged"]),
            vec![key.to_string()],
            "{what}: {v:#}"
        );
        assert!(text.contains("[ERROR] sql "), "{what}: {text}");
        assert!(
            text.contains(&format!("to go on without this check (away from the network), add \"{key}\" to `acknowledged`")),
            "{what}: {text}"
        );
        assert!(text.contains("1 with errors;"), "{what}: {text}");

        let entry = format!("{{ warning = \"{key}\", reason = \"{REASON}\" }}");
        let (dir, acked) = profile(&[entry]);
        let (code, v, text) = check(&acked, port);
        assert_eq!(code, 3, "{what}: nothing was checked, never a pass: {text}");
        assert_eq!(v["ok"], false, "{what}");
        assert_eq!(
            strings(&v["acknowledged"]),
            vec![key.to_string()],
            "{what}: {v:#}"
        );
        assert!(strings(&v["unacknowledged"]).is_empty(), "{what}: {v:#}");
        assert_eq!(v["counts"]["not_checked_acknowledged"], 1, "{what}: {v:#}");
        assert_eq!(v["counts"]["error"], 0, "{what}: {v:#}");
        assert_eq!(v["reasons"][key], REASON, "{what}: {v:#}");
        assert!(
            text.contains("[NOT CHECKED, acknowledged] sql "),
            "{what}: {text}"
        );
        assert!(
            text.contains(&format!(
                "acknowledged as not checked: the profile has \"{key}\", reason: {REASON}"
            )),
            "{what}: {text}"
        );
        assert!(
            text.contains(
                "nothing was checked: 1 check(s) got no answer, acknowledged as not checked"
            ),
            "{what}: {text}"
        );
        assert!(!text.contains("not-used-Canary"), "{what}: {text}");

        // The plan says the check was not run, and why.
        let out = dir.path().join("offsite.plan.toml");
        let (code, _, err) = run_with(
            &[
                "plan",
                acked.to_str().expect("path"),
                "-o",
                out.to_str().expect("path"),
            ],
            &[],
        );
        assert_eq!(code, 0, "{what}: {err}");
        let plan = std::fs::read_to_string(&out).expect("plan written");
        assert!(
            plan.contains(&format!(
                "Not checked: the live check {key} got no answer from its server"
            )),
            "{what}: {plan}"
        );
        assert!(
            plan.contains(&format!("\"{key}\" = \"{REASON}\"")),
            "{what}: {plan}"
        );
    }
    drop(silent);
}

/// What the server answered (a login refused, a version) is not "no answer": an entry for
/// it names no acknowledgeable check, and the profile is refused.
#[test]
fn a_definite_error_cannot_be_acknowledged() {
    for key in ["sql-login-failed@checks.sql_login", "sql-dns@sql.server"] {
        let (_d, p) = profile(&[format!("\"{key}\"")]);
        let (code, _, err) = run_with(&["validate", p.to_str().expect("path")], &[]);
        assert_eq!(code, 2, "{key}: {err}");
        let check = key.split('@').next().expect("check");
        assert!(
            err.contains(&format!("mim-setup has no warning `{check}`")),
            "{key}: {err}"
        );
    }
}

/// `plan --check` against a SQL Server on 127.0.0.83:1433 where nothing listens: without
/// the acknowledgement no plan is written (exit 1); with it the plan is written, standard
/// error says the check was acknowledged as not checked and that no fact was recorded, and
/// the plan's notes say the check was not run.
#[test]
fn plan_check_goes_on_past_an_acknowledged_server_that_gives_no_answer() {
    const KEY: &str = "sql-refused@sql.server";
    assert!(
        std::net::TcpStream::connect(("127.0.0.83", 1433)).is_err(),
        "something listens on 127.0.0.83:1433"
    );
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let shipped = std::fs::read_to_string(root.join(SYNC)).expect("shipped profile");
    let at_83 = shipped
        .replace(
            "sql_auth = \"integrated\"\nsql_encryption = \"verify\"\n",
            &format!("sql_auth = \"sql\"\nsql_login = \"sa\"\nsql_password = {{ env = \"{PW_ENV}\" }}\nsql_encryption = \"off\"\n"),
        )
        .replace("server = \"corpsql.contoso.com\"", "server = \"127.0.0.83\"");
    assert!(
        at_83.contains("127.0.0.83") && at_83.contains("sql_login"),
        "{at_83}"
    );
    let env = [(PW_ENV, "not-used-Canary-2")];
    for acked in [false, true] {
        let mut entries = vec!["\"sql-encryption-opt-out@checks.sql_encryption\"".to_string()];
        if acked {
            entries.push(format!("{{ warning = \"{KEY}\", reason = \"{REASON}\" }}"));
        }
        let added: String = entries.iter().map(|e| format!("  {e},\n")).collect();
        let text = at_83.replacen(
            "acknowledged = [\n",
            &format!("acknowledged = [\n{added}"),
            1,
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let profile = dir.path().join("at83.toml");
        std::fs::write(&profile, text).expect("write profile");
        let out = dir.path().join("at83.plan.toml");
        let (code, stdout, err) = run_with(
            &[
                "plan",
                profile.to_str().expect("path"),
                "--check",
                "--only",
                "sql",
                "--timeout",
                "1",
                "-o",
                out.to_str().expect("path"),
            ],
            &env,
        );
        let all = format!("{stdout}{err}");
        assert!(!all.contains("not-used-Canary"), "{all}");
        if !acked {
            assert_eq!(code, 1, "{all}");
            assert!(!out.exists(), "no plan without the acknowledgement");
            assert!(all.contains(KEY), "{all}");
            continue;
        }
        assert_eq!(code, 0, "{all}");
        assert!(err.contains("[NOT CHECKED, acknowledged] sql "), "{err}");
        assert!(err.contains("no live check got an answer"), "{err}");
        let plan = std::fs::read_to_string(&out).expect("plan written");
        assert!(
            plan.contains(&format!("Not checked: the live check {KEY} got no answer")),
            "{plan}"
        );
        assert!(plan.contains(REASON), "{plan}");
    }
}
