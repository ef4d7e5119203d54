//! `mim-setup check`'s exit codes, over the classes of run: a profile the offline rules
//! refuse (1, before any live check), an offline warning left unacknowledged (1), nothing
//! checked (`--offline`, every check skipped: 3; checks on another computer than the
//! profile's server are in check_target.rs), live warnings unacknowledged (1) and
//! acknowledged (0), and a clean run (0). The live warnings
//! come from the TDS test server on 127.0.0.3 (a free port), standing in for SQL Server.
use super::run_with;
use std::path::PathBuf;
use testkit::tds::{Facts, Options, Server};

const SYNC: &str = "profiles/contoso-sync.toml";
const SP: &str = "profiles/contoso-service-portal.toml";
const PW_ENV: &str = "MIM_TEST_SQL_PASSWORD";

/// A profile written from a shipped one with `edit` applied, in its own folder.
fn profile_from(shipped: &str, edit: impl Fn(String) -> String) -> (tempfile::TempDir, PathBuf) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(shipped)).expect("shipped profile");
    let edited = edit(text.clone());
    assert_ne!(edited, text, "the edit of {shipped} changed nothing");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("profile.toml");
    std::fs::write(&path, edited).expect("write profile");
    (dir, path)
}

/// Adds acknowledgement keys to a profile's `acknowledged` list.
fn acknowledging<'a>(keys: &'a [&'a str]) -> impl Fn(String) -> String + 'a {
    move |t: String| {
        let mut added = String::from("  # acknowledged for this test:\n");
        added.extend(keys.iter().map(|k| format!("  \"{k}\",\n")));
        t.replacen(
            "acknowledged = [\n",
            &format!("acknowledged = [\n{added}"),
            1,
        )
    }
}

/// `check --only sql` of a Sync profile against `srv`, logged in as sa over a plain
/// connection: (exit code, JSON, text).
fn sql_check(profile: &str, srv: &Server) -> (i32, serde_json::Value, String) {
    let password = Facts::default().logins[0].1.clone();
    let server = format!("sql.server=127.0.0.3,{}", srv.port());
    let args = |json: bool| {
        let mut a = vec![
            "check",
            profile,
            "--only",
            "sql",
            "--set",
            &server,
            "--set",
            "checks.sql_auth=sql",
            "--set",
            "checks.sql_password=env:MIM_TEST_SQL_PASSWORD",
            "--set",
            "checks.sql_encryption=off",
        ];
        if json {
            a.push("--json");
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let env = [(PW_ENV, password.as_str())];
    let json_args = args(true);
    let (code, out, err) = run_with(
        &json_args.iter().map(String::as_str).collect::<Vec<_>>(),
        &env,
    );
    let v: serde_json::Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("JSON ({e}): {out}{err}"));
    let text_args = args(false);
    let (text_code, text, _) = run_with(
        &text_args.iter().map(String::as_str).collect::<Vec<_>>(),
        &env,
    );
    assert_eq!(code, text_code, "text and JSON agree on the exit code");
    assert_eq!(v["exit_code"], code, "{v:#}");
    (code, v, text)
}

fn keys(v: &serde_json::Value, list: &str) -> Vec<String> {
    let mut k: Vec<String> = v[list]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    k.sort();
    k
}

const SP4: &str = "sql-version-not-recommended@sql.server";
const CS: &str = "sql-collation-case-sensitive@sql.server";
const DB: &str = "sql-sync-database-exists@sql.database";

/// Live warnings block until the profile acknowledges each one by `check@field`, exactly as
/// the offline ones do; an acknowledgement of another field does not count.
#[test]
fn live_warnings_block_until_the_profile_acknowledges_each_by_check_at_field() {
    type Case = (
        &'static str,
        fn(&mut Facts),
        &'static [&'static str],
        i32,
        &'static [&'static str],
    );
    let sp4 = |f: &mut Facts| f.version = "11.0.7001.0".into();
    let all_three = |f: &mut Facts| {
        f.version = "11.0.7001.0".into();
        f.collation = "SQL_Latin1_General_CP1_CS_AS".into();
        f.databases.push("FIMSynchronizationService".into());
    };
    let cases: [Case; 7] = [
        ("a healthy server", |_| {}, &[], 0, &[]),
        ("SQL Server 2012 SP4, not acknowledged", sp4, &[], 1, &[SP4]),
        ("SQL Server 2012 SP4, acknowledged", sp4, &[SP4], 0, &[]),
        (
            "SQL Server 2012 SP4, acknowledged on another field",
            sp4,
            &["sql-version-not-recommended@sql.database"],
            1,
            &[SP4],
        ),
        (
            "three warnings, none acknowledged",
            all_three,
            &[],
            1,
            &[CS, DB, SP4],
        ),
        (
            "three warnings, two acknowledged",
            all_three,
            &[SP4, DB],
            1,
            &[CS],
        ),
        (
            "three warnings, all acknowledged",
            all_three,
            &[SP4, CS, DB],
            0,
            &[],
        ),
    ];
    for (what, change, acked, want, unacked) in cases {
        let mut facts = Facts::default();
        change(&mut facts);
        let srv = Server::start(facts, Options::default());
        let (_dir, path) = profile_from(SYNC, acknowledging(acked));
        let (code, v, text) = sql_check(&path.display().to_string(), &srv);
        assert_eq!(code, want, "{what}: {text}");
        assert_eq!(keys(&v, "unacknowledged"), *unacked, "{what}: {v:#}");
        let mut acked_seen = keys(&v, "acknowledged");
        acked_seen.retain(|k| acked.contains(&k.as_str()));
        assert_eq!(
            acked_seen.len(),
            keys(&v, "acknowledged").len(),
            "{what}: {v:#}"
        );
        for k in unacked {
            assert!(
                text.contains(&format!("acknowledge: add \"{k}\" to `acknowledged`")),
                "{what}: the text gives the key to add: {text}"
            );
        }
        for k in keys(&v, "acknowledged") {
            assert!(
                text.contains(&format!("acknowledged: the profile has \"{k}\"")),
                "{what}: {text}"
            );
        }
        assert!(
            text.contains(&format!("{} unacknowledged warning(s)", unacked.len())),
            "{what}: {text}"
        );
    }
}

/// Runs that check nothing exit 3, a profile the offline rules refuse exits 1 before any
/// live check, and an unacknowledged offline warning blocks even when nothing is checked.
#[test]
fn nothing_checked_and_offline_rules_have_their_own_exit_codes() {
    let port_in_server =
        |t: String| t.replace("corpsql.contoso.com\"", "corpsql.contoso.com,1433\"");
    let prefix_in_sp = |t: String| {
        t.replace(
            "server = \"corpsql.contoso.com\"",
            "server = \"tcp:corpsql.contoso.com\"",
        )
    };
    let no_account = |t: String| t.replace("name = \"MIMSync\"", "name = \"\"");
    let unacked = |t: String| {
        t.replace(
            "  \"service-account-logon-rights@service_account.name\",\n",
            "",
        )
    };
    type Edit = Box<dyn Fn(String) -> String>;
    /// (what, shipped profile, its edit, arguments, exit code, what the text says)
    type Case = (
        &'static str,
        &'static str,
        Option<Edit>,
        Vec<&'static str>,
        i32,
        Vec<&'static str>,
    );
    let cases: Vec<Case> = vec![
        (
            "a port in the SQL server field",
            SYNC,
            Some(Box::new(port_in_server) as Edit),
            vec![],
            1,
            vec!["sql-server-port", "the live checks were not run"],
        ),
        (
            "a protocol prefix in the MIM Service's SQL server",
            SP,
            Some(Box::new(prefix_in_sp) as Edit),
            vec!["--only", "net"],
            1,
            vec!["sql-server-port", "the live checks were not run"],
        ),
        (
            "no service account, even offline",
            SYNC,
            Some(Box::new(no_account) as Edit),
            vec!["--offline"],
            1,
            vec!["the live checks were not run"],
        ),
        (
            "an unacknowledged offline warning, nothing checked",
            SYNC,
            Some(Box::new(unacked) as Edit),
            vec!["--offline"],
            1,
            vec!["\"service-account-logon-rights@service_account.name\""],
        ),
        (
            "--offline",
            SYNC,
            None,
            vec!["--offline"],
            3,
            vec!["offline: no live check was run", "0 checks ran"],
        ),
        (
            "every check skipped (no directory account)",
            SYNC,
            None,
            vec!["--only", "ad", "--set", "checks.bind_account="],
            3,
            vec![
                "[SKIPPED] ad Directory bind: not checked: no account for the directory checks",
                "nothing was checked: 0 checks ran, 2 skipped",
            ],
        ),
    ];
    for (what, shipped, edit, args, want, says) in cases {
        let (_dir, path) = match edit {
            Some(e) => {
                let (d, p) = profile_from(shipped, e);
                (Some(d), p.display().to_string())
            }
            None => (None, shipped.to_string()),
        };
        let mut all = vec!["check", path.as_str()];
        all.extend(args.iter().copied());
        let (code, out, err) = run_with(&all, &[]);
        assert_eq!(code, want, "{what}: {out}{err}");
        for s in &says {
            assert!(out.contains(s), "{what}: says {s:?}: {out}");
        }
        assert!(!out.contains("not checked: not checked"), "{what}: {out}");
        all.push("--json");
        let (code, out, _) = run_with(&all, &[]);
        assert_eq!(code, want, "{what} (JSON): {out}");
        let v: serde_json::Value = serde_json::from_str(&out).expect("JSON");
        assert_eq!(v["exit_code"], want, "{what}: {v:#}");
        assert_eq!(v["ok"], false, "{what}: {v:#}");
        if what.contains("offline warning") {
            assert_eq!(
                v["rules"]["unacknowledged"][0]["ack_key"],
                "service-account-logon-rights@service_account.name",
                "{v:#}"
            );
        }
        if says.iter().any(|s| s.contains("not run")) {
            assert_eq!(v["live"], false, "{what}: {v:#}");
            assert!(
                v["rules"]["errors"]
                    .as_array()
                    .is_some_and(|a| !a.is_empty()),
                "{v:#}"
            );
        }
    }
}

/// The exit codes are documented where `check` is run: its help.
#[test]
fn check_help_documents_its_exit_codes() {
    let (code, out, err) = run_with(&["check", "--help"], &[]);
    assert_eq!(code, 0, "{err}");
    for says in [
        "0 nothing blocks",
        "1 blocking findings",
        "check@field",
        "2 unusable input",
        "3 nothing was checked",
    ] {
        assert!(out.contains(says), "{says:?}: {out}");
    }
}
