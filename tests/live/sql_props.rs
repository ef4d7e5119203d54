//! The server's properties as the TDS test server gives them: all NULL (a server that hides
//! them) is never a pass, and the sysadmin fix names the login the server saw.
use super::common::lab;
use super::sql::{check, finding, one, sp_server, tls_options, SA_PASSWORD, SP};
use crate::tds::{Facts, Server};

#[test]
fn null_server_properties_pass_nothing_and_say_so() {
    let lab = lab();
    let facts = Facts {
        null_properties: true,
        ..Facts::default()
    };
    let srv = Server::start(facts, tls_options(&lab, "corpsql"));
    let (_, r, _) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "5");
    for (id, check_id) in [
        ("sql-version", "sql-version-unknown"),
        ("sql-collation", "sql-collation-unknown"),
        ("sql-fulltext", "sql-fulltext-unknown"),
    ] {
        let o = one(&r, id);
        assert_ne!(o["state"], "ok", "{id}: {o:#}");
        assert_eq!(finding(o)["check"], check_id, "{id}: {o:#}");
        assert!(
            finding(o)["message"]
                .as_str()
                .unwrap_or("")
                .contains("NULL"),
            "{id}: {o:#}"
        );
    }
    // No verdict without a collation (the why may still name the rule).
    for o in r["outcomes"].as_array().expect("outcomes") {
        assert!(
            !o["summary"]
                .as_str()
                .unwrap_or("")
                .contains(": case-insensitive"),
            "{o:#}"
        );
    }
    assert_eq!(r["facts"]["sql.version"], "unknown");
    assert_eq!(r["facts"]["sql.collation"], "unknown");
    assert_eq!(r["facts"]["sql.fulltext"], "unknown");
    // What does not depend on the properties is still judged.
    assert_eq!(one(&r, "sql-sysadmin")["state"], "ok", "{r:#}");
    assert_eq!(one(&r, "sql-database")["state"], "ok", "{r:#}");
}

#[test]
fn the_sysadmin_fix_names_the_login_not_a_walkthrough_account() {
    let lab = lab();
    let facts = Facts {
        sysadmin: false,
        ..Facts::default()
    };
    let srv = Server::start(facts, tls_options(&lab, "corpsql"));
    let (code, r, _) = check(&lab, SP, &[sp_server(&srv)], SA_PASSWORD, "5");
    let f = finding(one(&r, "sql-sysadmin"));
    let fix = f["fix"].as_str().unwrap_or("");
    assert!(
        fix.contains("ALTER SERVER ROLE sysadmin ADD MEMBER [sa]"),
        "{f:#}"
    );
    assert!(!fix.to_ascii_lowercase().contains("contoso"), "{f:#}");
    assert!(!fix.contains("miminstall"), "{f:#}");
    assert_eq!(code, 1);
}
