//! `src/rules/service_portal.rs`: screen rules of the Service and Portal flow through `screen_rule`.
use super::relations::check_screen_rule;
use super::relations::Expect;
use super::*;
use mim_setup::answers::Value;
use mim_setup::finding::Severity::{Error as E, Warning as W};
use mim_setup::rules::screen_rule;
use mim_setup::secret::SecretRef;

#[test]
fn reporting_and_pam_need_the_mim_service() {
    let reporting = ("feature-needs-service", E, "features.reporting");
    let pam = ("feature-needs-service", E, "features.pam");
    let none = ("no-component", E, "features.service");
    // service, reporting, portal, registration, reset, pam
    let rows: Vec<([bool; 6], Expect)> = vec![
        ([true, false, true, true, true, false], vec![]),
        ([true, true, true, true, true, true], vec![]),
        ([true, true, false, false, false, true], vec![]),
        ([true, false, false, false, false, false], vec![]),
        ([false, false, true, false, false, false], vec![]),
        ([false, false, false, true, true, false], vec![]),
        ([false, true, true, true, true, false], vec![reporting]),
        ([false, false, true, true, true, true], vec![pam]),
        (
            [false, true, false, false, false, true],
            vec![reporting, pam],
        ),
        ([false, true, false, false, false, false], vec![reporting]),
        ([false, false, false, false, false, false], vec![none]),
    ];
    let fields = [
        "service",
        "reporting",
        "portal",
        "registration",
        "reset",
        "pam",
    ];
    for (flags, want) in rows {
        let mut a = sp_answers();
        for (f, on) in fields.iter().zip(flags) {
            a.set(format!("features.{f}"), Value::Bool(on));
        }
        check_screen_rule("feature-dependencies", &a, &want, &format!("{flags:?}"));
    }
    let mut a = sp_answers();
    a.set("features.service", Value::Bool(false));
    a.set("features.pam", Value::Bool(true));
    let f = &screen_rule("feature-dependencies").unwrap()(&a)[0];
    assert!(f.why.contains("runs inside the MIM Service"), "{}", f.why);
    assert!(f.message.contains("Privileged Access Management"));
}

#[test]
fn reusing_a_database_needs_acknowledging() {
    let mut a = sp_answers();
    check_screen_rule("database-reuse", &a, &vec![], "create");
    a.set("database.mode", text("reuse"));
    let want: Expect = vec![("database-reuse", W, "database.mode")];
    check_screen_rule("database-reuse", &a, &want, "reuse");
    let f = &screen_rule("database-reuse").unwrap()(&a)[0];
    assert_eq!(
        f.evidence.as_deref(),
        Some("FIMService on corpsql.contoso.com")
    );
    assert!(f.message.contains("only when upgrading"), "{}", f.message);
    a.set("database.mode", text("elsewhere"));
    check_screen_rule("database-reuse", &a, &vec![], "not a choice");
}

#[test]
fn mim_service_account_matches_the_gmsa_choice_and_its_mailbox() {
    let regular_dollar = ("regular-name-dollar", E, "mim_service.name");
    let gmsa_dollar = ("gmsa-name-dollar", E, "mim_service.name");
    let owner = ("gmsa-mailbox-owner", E, "mim_service.email");
    // gMSA, name, mail server type, mailbox
    let rows: Vec<(bool, &str, &str, &str, Expect)> = vec![
        (
            false,
            "MIMService",
            "exchange",
            "MIMService@contoso.com",
            vec![],
        ),
        (false, "svcMIMService", "none", "", vec![]),
        (false, "", "exchange", "MIMService@contoso.com", vec![]),
        (
            false,
            "MIMService$",
            "exchange",
            "MIMService@contoso.com",
            vec![regular_dollar],
        ),
        (false, "$", "none", "", vec![regular_dollar]),
        (
            true,
            "svcMIMService$",
            "exchange",
            "MIMService@contoso.com",
            vec![],
        ),
        (
            true,
            "svcMIMService$",
            "office365",
            "MIMService@contoso.onmicrosoft.com",
            vec![],
        ),
        (true, "svcMIMService$", "none", "", vec![]),
        (true, "", "exchange", "", vec![]),
        (
            true,
            "svcMIMService",
            "exchange",
            "MIMService@contoso.com",
            vec![gmsa_dollar],
        ),
        (true, "svcMIMService$ ", "none", "", vec![gmsa_dollar]),
        // The mailbox of the gMSA itself: setup says "The service account shouldn't be managed".
        (
            true,
            "svcMIMService$",
            "exchange",
            "svcMIMService@contoso.com",
            vec![owner],
        ),
        (
            true,
            "svcMIMService$",
            "office365",
            "SVCMIMSERVICE@contoso.onmicrosoft.com",
            vec![owner],
        ),
        (
            true,
            "svcMIMService$",
            "smtp",
            "svcmimservice@contoso.com",
            vec![owner],
        ),
        (
            true,
            "svcMIMService$",
            "exchange",
            "svcMIMService2@contoso.com",
            vec![],
        ),
        (true, "svcMIMService$", "exchange", "svcMIMService", vec![]),
        // Without a mail server the mailbox is not shown, so a leftover value does not count.
        (
            true,
            "svcMIMService$",
            "none",
            "svcMIMService@contoso.com",
            vec![],
        ),
    ];
    for (gmsa, name, server_type, email, want) in rows {
        let mut a = sp_answers();
        a.set("mail.gmsa", Value::Bool(gmsa));
        if gmsa {
            // As the wizard keeps it: a hidden secret holds nothing.
            a.remove("mim_service.password");
        }
        a.set("mim_service.name", text(name));
        a.set("mail.server_type", text(server_type));
        a.set("mim_service.email", text(email));
        let row = format!("gmsa {gmsa}, {name:?}, {server_type}, {email:?}");
        check_screen_rule("mim-service-account", &a, &want, &row);
    }
    let mut a = sp_answers();
    a.set("mail.gmsa", Value::Bool(true));
    a.remove("mim_service.password");
    a.set("mim_service.name", text("svcMIMService"));
    let f = &screen_rule("mim-service-account").unwrap()(&a)[0];
    assert!(f.fix.contains("svcMIMService$"), "{}", f.fix);
    a.set("mim_service.name", text("MIMService$"));
    let f = &screen_rule("mim-service-account").unwrap()(&a)[0];
    assert!(f.why.contains("shouldn't be managed"), "{}", f.why);
}

#[test]
fn a_gmsa_has_no_password() {
    let want: Expect = vec![("gmsa-password-empty", E, "mim_service.password")];
    for reference in [
        SecretRef::Prompt,
        SecretRef::Env("MIM_SERVICE_PASSWORD".into()),
    ] {
        let mut a = sp_answers();
        a.set("mail.gmsa", Value::Bool(true));
        a.set("mim_service.name", text("svcMIMService$"));
        a.set("mim_service.password", Value::Secret(reference.clone()));
        check_screen_rule("mim-service-account", &a, &want, &format!("{reference:?}"));
        a.remove("mim_service.password");
        check_screen_rule("mim-service-account", &a, &vec![], "no password");
    }
    // A regular account keeps its password.
    let mut a = sp_answers();
    a.set("mail.gmsa", Value::Bool(false));
    check_screen_rule("mim-service-account", &a, &vec![], "regular with password");
}

#[test]
fn mim_service_logon_rights_always_needs_acknowledging() {
    let want: Expect = vec![("mim-service-logon-rights", W, "mim_service.name")];
    for (domain, name) in [
        ("contoso", "MIMService"),
        ("contoso", "svcMIMService$"),
        ("", ""),
    ] {
        let mut a = sp_answers();
        a.set("mim_service.domain", text(domain));
        a.set("mim_service.name", text(name));
        check_screen_rule("mim-service-logon-rights", &a, &want, name);
        let f = &screen_rule("mim-service-logon-rights").unwrap()(&a)[0];
        assert_eq!(
            f.evidence.as_deref(),
            Some(format!("{domain}\\{name}").as_str())
        );
        assert_eq!(f.ack_key(), "mim-service-logon-rights@mim_service.name");
    }
}

#[test]
fn the_mim_service_account_differs_from_the_sync_and_ma_accounts() {
    let sync = (
        "service-accounts-distinct",
        E,
        "sync_link.sync_service_account",
    );
    let ma = ("service-accounts-distinct", E, "sync_link.ma_account");
    // MIM Service domain, name; MA account; Synchronization Service account
    let rows: Vec<(&str, &str, &str, &str, Expect)> = vec![
        (
            "contoso",
            "MIMService",
            "contoso\\MIMMA",
            "contoso\\MIMSync",
            vec![],
        ),
        ("contoso", "MIMService", "contoso\\MIMMA", "", vec![]),
        (
            "contoso",
            "MIMSync",
            "contoso\\MIMMA",
            "contoso\\MIMSync",
            vec![sync],
        ),
        (
            "contoso",
            "MIMSync",
            "contoso\\MIMMA",
            "CONTOSO\\mimsync",
            vec![sync],
        ),
        (
            "contoso",
            "MIMMA",
            "contoso\\MIMMA",
            "contoso\\MIMSync",
            vec![ma],
        ),
        (
            "contoso",
            "MIMService",
            "contoso\\MIMService",
            "contoso\\MIMService",
            vec![sync, ma],
        ),
        (
            "contoso",
            "svcMIMService$",
            "contoso\\MIMSyncGMSAsvc$",
            "contoso\\MIMSyncGMSAsvc$",
            vec![],
        ),
        (
            "contoso",
            "MIMSyncGMSAsvc$",
            "contoso\\MIMMA",
            "contoso\\MIMSyncGMSAsvc$",
            vec![sync],
        ),
        // Another domain's account of the same name is another account.
        (
            "fabrikam",
            "MIMSync",
            "contoso\\MIMMA",
            "contoso\\MIMSync",
            vec![],
        ),
        ("contoso", "", "contoso\\", "contoso\\", vec![]),
    ];
    for (domain, name, ma_account, sync_account, want) in rows {
        let mut a = sp_answers();
        a.set("mim_service.domain", text(domain));
        a.set("mim_service.name", text(name));
        a.set("sync_link.ma_account", text(ma_account));
        a.set("sync_link.sync_service_account", text(sync_account));
        let row = format!("{domain}\\{name}, {ma_account}, {sync_account}");
        check_screen_rule("service-accounts-distinct", &a, &want, &row);
    }
}
