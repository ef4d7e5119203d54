//! Field rules of the Service and Portal flow, one table each: SQL server, accounts, mail
//! addresses, the tenant, GUIDs, thumbprints, URLs, the MIM Service address and SSPR ports.
use super::*;

/// The one finding a rule gives for `input` (the test fails on none or several).
fn only(rule: &str, path: &str, input: &str) -> Finding {
    let got = run_field_rule(rule, path, &text(input));
    assert_eq!(got.len(), 1, "{rule}({input:?}): {got:?}");
    got.into_iter().next().unwrap()
}

#[test]
fn sql_server_address_is_a_host_or_host_backslash_instance() {
    let rows = [
        ("corpsql", OK),
        ("corpsql.contoso.com", OK),
        ("corpsql\\MIMSERVICE", OK),
        ("corpsql.contoso.com\\MIM_1", OK),
        ("MIMSQLALIAS", OK),
        ("mimag-listener.contoso.com", OK),
        ("sqlcluster01", OK),
        ("10.0.0.5", OK),
        ("10.0.0.5\\MIM", OK),
        ("corpsql,1433", err("sql-server-port")),
        ("corpsql:1433", err("sql-server-port")),
        ("corpsql, 1433", err("sql-server-port")),
        ("corpsql\\MIM,1433", err("sql-server-port")),
        ("tcp:corpsql", err("sql-server-port")),
        ("NP:corpsql", err("sql-server-port")),
        ("lpc:corpsql", err("sql-server-port")),
        ("tcp:corpsql\\MIM", err("sql-server-port")),
        ("corp_sql", err("hostname")),
        ("corp sql\\MIM", err("hostname")),
        ("\\MIM", err("hostname")),
        ("-corpsql\\MIM", err("hostname")),
        (".", err("hostname")),
        ("(local)", err("hostname")),
        ("corpsql\t", err("hostname")),
        ("corpsql\u{200E}", err("hostname")),
        ("", err("hostname")),
        ("corpsql\\", err("sql-instance-name")),
        ("corpsql\\MSSQLSERVER", err("sql-instance-name")),
        ("corpsql\\default", err("sql-instance-name")),
        ("corpsql\\1MIM", err("sql-instance-name")),
        ("corpsql\\MIM-1", err("sql-instance-name")),
        ("corpsql\\MIM SERVICE", err("sql-instance-name")),
        ("corpsql\\ABCDEFGHIJKLMNOPQ", err("sql-instance-name")),
        ("corpsql\\MIM\\X", err("sql-instance-name")),
    ];
    check_texts("sql-server-address", "database.server", &rows);

    let p = "database.server";
    let port = only("sql-server-address", p, "corpsql,1433");
    assert!(port.message.contains("port") && port.fix.contains("SQL client alias"));
    assert!(port.why.contains("SQLSERVER_SERVER"), "{}", port.why);
    assert!(only("sql-server-address", p, "tcp:corpsql")
        .message
        .contains("protocol"));
    let default = only("sql-server-address", p, "corpsql\\MSSQLSERVER");
    assert!(default.fix.contains("'corpsql'"), "{}", default.fix);
    let invisible = only("sql-server-address", p, "corpsql\u{200E}");
    assert!(
        invisible.evidence.as_deref().unwrap().contains("U+200E"),
        "{invisible:?}"
    );
    let instance = only("sql-server-address", p, "corpsql\\MIM-1");
    assert!(instance.evidence.as_deref().unwrap().contains("'MIM-1'"));
}

#[test]
fn domain_account_is_netbios_domain_backslash_sam_account_name() {
    let p = "sync_link.ma_account";
    let rows = [
        ("contoso\\MIMMA", OK),
        ("CONTOSO\\MIMMA", OK),
        ("contoso\\MIMSyncGMSAsvc$", OK),
        ("contoso\\MIM MA", OK),
        ("corp-01\\mim.ma", OK),
        ("contoso\\Mïmma", OK),
        ("MIMMA", err("domain-account")),
        ("MIMMA@contoso.com", err("domain-account")),
        ("contoso\\", err("domain-account")),
        ("\\MIMMA", err("domain-account")),
        ("\\", err("domain-account")),
        ("contoso\\sub\\MIMMA", err("domain-account")),
        ("contoso\\\\MIMMA", err("domain-account")),
        ("", err("domain-account")),
        ("contoso\\MIM?MA", err("account-name")),
        ("contoso\\MIM@MA", err("account-name")),
        ("contoso\\MIM\tMA", err("account-name")),
        ("contoso\\MIMMA.", err("account-name")),
        ("contoso\\...", err("account-name")),
        ("contoso\\ABCDEFGHIJKLMNOPQRSTU", err("account-name-length")),
        ("contoso\\ABCDEFGHIJKLMNOP$", warn("gmsa-name-length")),
        ("con toso\\MIMMA", err("netbios-domain")),
        ("con*toso\\MIMMA", err("netbios-domain")),
        ("ABCDEFGHIJKLMNOP\\MIMMA", err("netbios-domain")),
        ("contoso.com\\MIMMA", warn("netbios-domain-dns")),
    ];
    check_texts("domain-account", p, &rows);
    for path in [
        "sync_link.sync_service_account",
        "registration.account",
        "reset.account",
    ] {
        check_texts(
            "domain-account",
            path,
            &[("contoso\\MIMSSPR", OK), ("MIMSSPR", err("domain-account"))],
        );
    }
    // A DNS domain only warns, so the name is still checked; a bad domain stops there.
    let both: Vec<String> = run_field_rule("domain-account", p, &text("contoso.com\\MIM?MA"))
        .iter()
        .map(|f| f.check.clone())
        .collect();
    assert_eq!(both, ["netbios-domain-dns", "account-name"]);
    let stop = run_field_rule("domain-account", p, &text("con*toso\\MIM?MA"));
    assert_eq!(stop.len(), 1, "{stop:?}");
    // The fixes say what to write, and the evidence which part is wrong.
    let upn = only("domain-account", p, "MIMMA@contoso.com");
    assert!(upn.fix.contains("contoso\\MIMMA"), "{}", upn.fix);
    assert!(only("domain-account", p, "MIMMA")
        .fix
        .contains("contoso\\MIMMA"));
    let part = only("domain-account", p, "contoso\\MIM?MA");
    assert_eq!(
        part.evidence.as_deref(),
        Some("character '?' at position 4 in 'MIM?MA'")
    );
}

#[test]
fn email_address_is_an_smtp_address() {
    let long_local = format!("{}@contoso.com", "a".repeat(65));
    let rows = [
        ("MIMService@contoso.com".to_string(), OK),
        ("MIMService@contoso.onmicrosoft.com".into(), OK),
        ("mim.service+notify@corp.contoso.com".into(), OK),
        ("o'brien@contoso.com".into(), OK),
        (format!("{}@contoso.com", "a".repeat(64)), OK),
        // The Volume License walkthrough's example for this field.
        ("contoso".into(), err("email-address")),
        ("MIMService".into(), err("email-address")),
        ("contoso\\MIMService".into(), err("email-address")),
        ("@contoso.com".into(), err("email-address")),
        ("MIMService@".into(), err("email-address")),
        ("MIMService@contoso".into(), err("email-address")),
        ("MIMService@contoso.com.".into(), err("email-address")),
        ("MIM Service@contoso.com".into(), err("email-address")),
        ("MIMService@@contoso.com".into(), err("email-address")),
        ("a@b@contoso.com".into(), err("email-address")),
        (".mim@contoso.com".into(), err("email-address")),
        ("mim.@contoso.com".into(), err("email-address")),
        ("mim..svc@contoso.com".into(), err("email-address")),
        ("MIMService@contoso..com".into(), err("email-address")),
        ("MIMService@-contoso.com".into(), err("email-address")),
        ("MIMService@contoso_corp.com".into(), err("email-address")),
        ("mïm@contoso.com".into(), err("email-address")),
        ("mim@contöso.com".into(), err("email-address")),
        (" MIMService@contoso.com".into(), err("email-address")),
        ("MIMService@contoso.com ".into(), err("email-address")),
        ("mailto:MIMService@contoso.com".into(), err("email-address")),
        ("<MIMService@contoso.com>".into(), err("email-address")),
        (
            "MIMService@contoso.com\u{200E}".into(),
            err("email-address"),
        ),
        (long_local, err("email-address")),
        (
            format!("m@{}.com", vec!["a".repeat(63); 4].join(".")),
            err("email-address"),
        ),
    ];
    check_texts("email-address", "mim_service.email", &rows);
    let f = only("email-address", "mim_service.email", "contoso");
    assert_eq!(f.evidence.as_deref(), Some("'contoso' has no @"));
}

#[test]
fn upn_is_name_at_domain() {
    let rows = [
        ("miminstall@contoso.onmicrosoft.com", OK),
        ("admin@contoso.com", OK),
        ("miminstall", err("upn")),
        ("contoso\\miminstall", err("upn")),
        ("miminstall@contoso", err("upn")),
        ("@contoso.com", err("upn")),
        ("mim install@contoso.com", err("upn")),
    ];
    check_texts("upn", "tenant.user", &rows);
}

#[test]
fn tenant_is_a_domain_with_a_dot_or_a_guid() {
    let p = "tenant.domain";
    let rows = [
        ("contoso.onmicrosoft.com", OK),
        ("contoso.com", OK),
        ("9188040d-6c67-4c5b-b112-36a304b66dad", OK),
        ("9188040D-6C67-4C5B-B112-36A304B66DAD", OK),
        ("contoso", err("tenant")),
        ("contoso.onmicrosoft.com.", err("tenant")),
        ("contoso .com", err("tenant")),
        ("contoso_corp.com", err("tenant")),
        ("miminstall@contoso.onmicrosoft.com", err("tenant")),
        (
            "https://login.microsoftonline.com/contoso.onmicrosoft.com",
            err("tenant"),
        ),
        ("00000000-0000-0000-0000-000000000000", err("tenant")),
        ("{9188040d-6c67-4c5b-b112-36a304b66dad}", err("tenant")),
        ("9188040d6c674c5bb11236a304b66dad", err("tenant")),
        ("9188040d-6c67-4c5b-b112-36a304b66da", err("tenant")),
        (
            "9188040d-6c67-4c5b-b112-36a304b66dad\u{200E}",
            err("tenant"),
        ),
    ];
    check_texts("tenant", p, &rows);
    let user = only("tenant", p, "miminstall@contoso.onmicrosoft.com");
    assert!(
        user.fix.contains("Give contoso.onmicrosoft.com"),
        "{}",
        user.fix
    );
    let url = only("tenant", p, "https://login.microsoftonline.com/x");
    assert!(url.fix.contains("login.microsoftonline.com"), "{}", url.fix);
    let dashes = only("tenant", p, "9188040d6c674c5bb11236a304b66dad");
    assert!(dashes.fix.contains("9188040d-6c67-4c5b-b112-36a304b66dad"));
}

#[test]
fn guid_is_8_4_4_4_12_hex_digits_without_braces() {
    let good = "3f2504e0-4f89-41d3-9a0c-0305e82c3301";
    let rows = [
        (good.to_string(), OK),
        (good.to_uppercase(), OK),
        ("00000000-0000-0000-0000-000000000001".into(), OK),
        ("00000000-0000-0000-0000-000000000000".into(), err("guid")),
        (format!("{{{good}}}"), err("guid")),
        (good.replace('-', ""), err("guid")),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c330".into(), err("guid")),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c33011".into(), err("guid")),
        ("3f2504e0-4f89-41d3-9a0c-0305e82c330g".into(), err("guid")),
        ("3f2504e04f89-41d3-9a0c-0305e82c3301-".into(), err("guid")),
        ("3f2504e0--4f89-41d3-9a0c0305e82c3301".into(), err("guid")),
        ("3f2504e0_4f89_41d3_9a0c_0305e82c3301".into(), err("guid")),
        (format!(" {good}"), err("guid")),
        (format!("{good}\u{200E}"), err("guid")),
        (format!("{{{good}"), err("guid")),
        ("".into(), err("guid")),
        ("-".into(), err("guid")),
    ];
    for p in ["mailbox_app.application_id", "mailbox_app.tenant_id"] {
        check_texts("guid", p, &rows);
    }
    let braces = only("guid", "mailbox_app.application_id", &format!("{{{good}}}"));
    assert_eq!(braces.fix, format!("Remove the braces: {good}."));
    let bare = only("guid", "mailbox_app.application_id", &good.replace('-', ""));
    assert!(bare.fix.contains(good), "{}", bare.fix);
    let zero = only(
        "guid",
        "mailbox_app.tenant_id",
        "00000000-0000-0000-0000-000000000000",
    );
    assert!(zero.evidence.unwrap().contains("all-zero"));
    assert!(zero.fix.contains("TenantId"), "{}", zero.fix);
    let app = only("guid", "mailbox_app.application_id", "x");
    assert!(app.fix.contains("ApplicationId"), "{}", app.fix);
}

#[test]
fn thumbprint_is_40_hex_digits_without_invisible_marks() {
    let p = "certificate.thumbprint";
    let t = "3B8F2A1C9D0E4F5A6B7C8D9E0F1A2B3C4D5E6F70";
    let spaced: Vec<String> = t
        .as_bytes()
        .chunks(2)
        .map(|c| String::from_utf8_lossy(c).to_string())
        .collect();
    let rows = [
        (t.to_string(), OK),
        (t.to_lowercase(), OK),
        (spaced.join(" "), OK),
        (spaced.join(":"), OK),
        (format!("{t} "), OK),
        (format!("\u{200E}{t}"), err("thumbprint-invisible")),
        (
            format!("\u{200E}{}", spaced.join(" ")),
            err("thumbprint-invisible"),
        ),
        (
            format!("{}\u{200F}{}", &t[..20], &t[20..]),
            err("thumbprint-invisible"),
        ),
        (format!("{t}\u{FEFF}"), err("thumbprint-invisible")),
        (t[..39].to_string(), err("thumbprint")),
        (format!("{t}0"), err("thumbprint")),
        (format!("{t}{}", &t[..24]), err("thumbprint")),
        (format!("{}G", &t[..39]), err("thumbprint")),
        (format!("0x{t}"), err("thumbprint")),
        (format!("{t}\t"), err("thumbprint")),
        (
            format!("{}\u{200B}{}", &t[..20], &t[20..]),
            err("thumbprint"),
        ),
        ("".into(), err("thumbprint")),
    ];
    check_texts("thumbprint", p, &rows);
    let mark = only("thumbprint", p, &format!("\u{200E}{t}"));
    assert_eq!(
        mark.message,
        "The thumbprint holds an invisible character that copying from the Windows certificate dialog adds."
    );
    assert_eq!(
        mark.evidence.as_deref(),
        Some("U+200E LEFT-TO-RIGHT MARK at position 1")
    );
    let sha256 = only("thumbprint", p, &format!("{t}{}", &t[..24]));
    assert!(sha256.evidence.unwrap().contains("SHA-256"));
    let zero_width = only(
        "thumbprint",
        p,
        &format!("{}\u{200B}{}", &t[..20], &t[20..]),
    );
    assert_eq!(
        zero_width.evidence.as_deref(),
        Some("character U+200B at position 21")
    );
}

#[test]
fn http_url_is_http_or_https_with_a_host_and_a_port() {
    let rows = [
        ("http://CorpIDM.contoso.local:8080", OK),
        ("https://sspr.contoso.com", OK),
        ("http://CorpIDM.contoso.local:8088/", OK),
        ("HTTP://corpidm:8080/register", OK),
        ("http://10.0.0.5:8080", OK),
        ("http://[2001:db8::1]:8080", OK),
        ("http://[2001:db8::1]", OK),
        ("http://corpidm.contoso.local.:8080", OK),
        ("http://corpidm:65535", OK),
        ("CorpIDM.contoso.local:8080", err("http-url")),
        ("ftp://corpidm", err("http-url")),
        ("http:/corpidm", err("http-url")),
        ("http://", err("http-url")),
        ("http://:8080", err("http-url")),
        ("http://corpidm:", err("http-url")),
        ("http://corpidm:0", err("http-url")),
        ("http://corpidm:08080", err("http-url")),
        ("http://corpidm:65536", err("http-url")),
        ("http://corpidm:80a", err("http-url")),
        ("http://corpidm:-80", err("http-url")),
        ("http://user:pw@corpidm", err("http-url")),
        ("http://corp_idm:8080", err("http-url")),
        ("http://corp idm:8080", err("http-url")),
        ("http://corpidm:8080/a b", err("http-url")),
        ("http://[::1", err("http-url")),
        ("http://[zz]:80", err("http-url")),
        ("http://[::1]x", err("http-url")),
        (" http://corpidm", err("http-url")),
        ("http://corpidm\u{200E}:8080", err("http-url")),
        ("http://corpidm:8080/\u{FEFF}", err("http-url")),
        ("http://cörpidm", err("http-url")),
    ];
    for p in ["portal.registration_url", "portal.reset_url"] {
        check_texts("http-url", p, &rows);
    }
}

#[test]
fn sharepoint_url_is_never_localhost() {
    let p = "portal.sharepoint_url";
    let rows = [
        ("http://CorpIDM.contoso.local", OK),
        ("https://mim.contoso.com/", OK),
        ("http://mim.contoso.com/sites/mim", OK),
        ("http://mim.contoso.com:8443", OK),
        ("http://localhostx.contoso.com", OK),
        ("http://mim.contoso.com/identitymanagementsite", OK),
        ("http://localhost", err("sharepoint-localhost")),
        ("HTTP://LOCALHOST/", err("sharepoint-localhost")),
        ("http://localhost:80", err("sharepoint-localhost")),
        ("http://localhost.", err("sharepoint-localhost")),
        ("http://portal.localhost", err("sharepoint-localhost")),
        ("http://127.0.0.1", err("sharepoint-localhost")),
        ("http://127.1.2.3:8080", err("sharepoint-localhost")),
        ("http://[::1]", err("sharepoint-localhost")),
        ("http://[::1]:80/", err("sharepoint-localhost")),
        ("https://localhost/sites/mim", err("sharepoint-localhost")),
        (
            "http://localhost/identitymanagement",
            err("sharepoint-localhost"),
        ),
        (
            "http://CorpIDM.contoso.local/identitymanagement",
            err("sharepoint-url-portal-path"),
        ),
        (
            "http://CorpIDM.contoso.local/IdentityManagement/",
            err("sharepoint-url-portal-path"),
        ),
        (
            "http://mim.contoso.com/sites/mim/identitymanagement",
            err("sharepoint-url-portal-path"),
        ),
        ("CorpIDM.contoso.local", err("sharepoint-url")),
        ("localhost", err("sharepoint-url")),
        ("http://corp idm", err("sharepoint-url")),
        ("file://localhost/x", err("sharepoint-url")),
        ("http://", err("sharepoint-url")),
    ];
    check_texts("sharepoint-url", p, &rows);
    let local = only("sharepoint-url", p, "http://localhost");
    assert!(local
        .message
        .contains("Make sure to replace http://localhost with a proper value"));
    assert!(
        local.why.contains("every client") || local.why.contains("Every client"),
        "{}",
        local.why
    );
    assert!(local.why.contains("Kerberos"), "{}", local.why);
    let path = only(
        "sharepoint-url",
        p,
        "http://CorpIDM.contoso.local/IdentityManagement/",
    );
    assert_eq!(path.fix, "Give http://CorpIDM.contoso.local.");
    let site = only(
        "sharepoint-url",
        p,
        "http://mim.contoso.com/sites/mim/identitymanagement",
    );
    assert_eq!(site.fix, "Give http://mim.contoso.com/sites/mim.");
}

#[test]
fn service_address_is_a_host_name_not_a_url() {
    let rows = [
        ("CORPIDM", OK),
        ("CorpIDM.contoso.local", OK),
        ("mimservice-lb.contoso.com", OK),
        ("10.0.0.5", OK),
        ("http://CorpIDM.contoso.local", err("service-address-url")),
        ("https://mim.contoso.com:5725/", err("service-address-url")),
        // Seed 003 writes the reset portal's address like this.
        (
            "CorpIDname  http://CorpIDname.domain.local",
            err("service-address-url"),
        ),
        ("http://", err("service-address-url")),
        ("CORPIDM:5725", err("service-address-port")),
        ("CORPIDM:", err("hostname")),
        ("corp_idm", err("hostname")),
        ("CORPIDM ", err("hostname")),
        ("corp idm", err("hostname")),
        ("CORPIDM\u{FEFF}", err("hostname")),
        ("", err("hostname")),
    ];
    for p in [
        "portal.service_address",
        "registration_site.service_address",
        "reset_site.service_address",
    ] {
        check_texts("service-address", p, &rows);
    }
    let p = "portal.service_address";
    let url = only("service-address", p, "http://CorpIDM.contoso.local");
    assert_eq!(url.message, "Give the host name, not a URL.");
    assert_eq!(url.fix, "Give CorpIDM.contoso.local.");
    let seed = only(
        "service-address",
        p,
        "CorpIDname  http://CorpIDname.domain.local",
    );
    assert_eq!(seed.fix, "Give CorpIDname.domain.local.");
    let port = only("service-address", p, "https://mim.contoso.com:5725/");
    assert_eq!(port.fix, "Give mim.contoso.com.");
    assert!(!only("service-address", p, "http://").fix.contains("Give ."));
}

#[test]
fn sspr_port_is_a_port_and_not_the_mim_services() {
    let rows = [
        ("8088", OK),
        ("1", OK),
        ("80", OK),
        ("443", OK),
        ("65535", OK),
        ("8080", warn("sspr-port-8080")),
        ("5725", err("sspr-port-mim-service")),
        ("5726", err("sspr-port-mim-service")),
        ("0", err("sspr-port")),
        ("65536", err("sspr-port")),
        ("99999999999999999999", err("sspr-port")),
        ("", err("sspr-port")),
        (" 8088", err("sspr-port")),
        ("8088 ", err("sspr-port")),
        ("+8088", err("sspr-port")),
        ("-1", err("sspr-port")),
        ("08088", err("sspr-port")),
        ("80.0", err("sspr-port")),
        ("eighty", err("sspr-port")),
        ("８０８８", err("sspr-port")),
        ("8088\u{200E}", err("sspr-port")),
    ];
    for p in ["registration.port", "reset.port"] {
        check_texts("sspr-port", p, &rows);
        let f = only("sspr-port", p, "8080");
        assert_eq!(f.ack_key(), format!("sspr-port-8080@{p}"));
        assert!(
            f.message.contains("Central Administration"),
            "{}",
            f.message
        );
    }
}

proptest::proptest! {
    /// Every field rule takes any text without panicking, and what it finds can be acted on.
    #[test]
    fn field_rules_take_any_text(
        s in "(\\PC|[\u{200E}\u{200F}\u{FEFF}\\\\@:/.,\\[\\]{}-]){0,40}",
    ) {
        for rule in FIELD_RULES {
            for f in run_field_rule(rule, "portal.sharepoint_url", &text(&s)) {
                proptest::prop_assert!(well_formed(&f).is_ok(), "{rule}({s:?}): {f:?}");
            }
        }
    }
}

/// The live checks screen: opting out of verified encryption is a warning the profile
/// records; the verified choices say nothing.
#[test]
fn encryption_opt_outs_on_the_checks_screen_are_recorded_warnings() {
    check_texts(
        "ldap-plain",
        "checks.ldap_security",
        &[
            ("ldaps", OK),
            ("starttls", OK),
            ("plain", warn("ldap-plain")),
        ],
    );
    check_texts(
        "sql-encryption-opt-out",
        "checks.sql_encryption",
        &[
            ("verify", OK),
            ("trust", warn("sql-encryption-opt-out")),
            ("off", warn("sql-encryption-opt-out")),
        ],
    );
    let f = only("sql-encryption-opt-out", "checks.sql_encryption", "trust");
    assert_eq!(f.ack_key(), "sql-encryption-opt-out@checks.sql_encryption");
    assert!(f.fix.contains("--ca-file"), "{}", f.fix);
}
