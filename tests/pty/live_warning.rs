//! A live warning in the wizard: the SQL check against a TDS test server (127.0.0.67:1433)
//! that says it is SQL Server 2012 SP4 finds "supported but not recommended"; Next opens
//! the acknowledgement popup for it, as for an offline warning, and the acknowledgement is
//! recorded as `check@field`, the key `check` honours.
use super::{ENTER, SQL, WELCOME};
use crate::harness::spawn;
use std::net::Ipv4Addr;
use testkit::tds::{Facts, Options, Server};

const CTRL_N: &str = "\x0e";
const CTRL_C: &str = "\x03";
const PW_ENV: &str = "MIM_TEST_SQL_PASSWORD";
const KEY: &str = "sql-version-not-recommended@sql.server";

#[test]
fn a_live_warning_opens_the_acknowledgement_popup_and_the_draft_records_its_key() {
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
            ip: Some(Ipv4Addr::new(127, 0, 0, 67)),
            ..Options::default()
        },
    );
    // The shipped Sync profile, checked as sa on that server; no directory account, so the
    // directory checks are skipped instead of failing without a domain controller.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("profiles/contoso-sync.toml")).expect("profile");
    let text = text
        // The checks' connection is not encrypted (the test server has no TLS): an offline
        // warning, acknowledged.
        .replacen(
            "acknowledged = [\n",
            "acknowledged = [\n  \"sql-encryption-opt-out@checks.sql_encryption\",\n",
            1,
        )
        .replace("bind_account = 'contoso\\miminstall'\n", "bind_account = ''\n")
        .replace("bind_password = { env = \"MIM_CHECK_BIND_PASSWORD\" }\n", "")
        .replace("computer = \"corpsync\"\n", "computer = \"\"\n")
        .replace(
            "sql_auth = \"integrated\"\nsql_encryption = \"verify\"\n",
            &format!("sql_auth = \"sql\"\nsql_login = \"sa\"\nsql_password = {{ env = \"{PW_ENV}\" }}\nsql_encryption = \"off\"\n"),
        )
        .replace("server = \"corpsql.contoso.com\"", "server = \"127.0.0.67\"");
    assert!(
        text.contains("127.0.0.67") && text.contains("sql_login"),
        "{text}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let profile = dir.path().join("sql2012.toml");
    std::fs::write(&profile, text).expect("write profile");

    // The acknowledged offline warning is not shown again on its screen: this test is about
    // the live one.
    let mut r = spawn(&["--quiet-acknowledged", profile.to_str().expect("path")])
        .live()
        .env(PW_ENV, &password)
        .start();
    r.wait_for(super::SETUP);
    r.keys(&[ENTER, ENTER]);
    r.wait_for(WELCOME);
    r.send(CTRL_N);
    r.wait_for(super::LICENCE);
    r.send(CTRL_N);
    r.wait_for(super::CHECKS);
    r.send(CTRL_N);
    r.wait_for(super::CUSTOM);
    r.send(CTRL_N);
    r.wait_for(SQL);
    // The check runs in the background; its warning arrives on this screen.
    r.wait_for("recommended");
    r.send(CTRL_N);
    r.wait_for("OK, acknowledge");
    let popup = r.screen();
    assert!(
        popup.contains("2012") && popup.contains("Fix:"),
        "the popup shows the live warning with its fix: {popup}"
    );
    r.send(ENTER);
    r.wait_for(super::ACCOUNT);
    let draft = r.wait_file_text(&r.draft(), KEY);
    assert!(draft.contains(KEY), "{draft}");
    assert!(!draft.contains(&password), "no password in the draft");
    // Back on the SQL screen, the acknowledged warning no longer stops Next.
    r.send("\x1b");
    r.wait_for(SQL);
    r.wait_for("recommended");
    r.send(CTRL_N);
    r.wait_for(super::ACCOUNT);
    assert!(!r.screen().contains("OK, acknowledge"));
    r.send(CTRL_C);
    r.wait_exit();
}
