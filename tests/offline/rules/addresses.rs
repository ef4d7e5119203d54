//! `src/rules/addresses.rs`: mail addresses, user principal names, the tenant, http(s) URLs, the
//! SharePoint site collection and the MIM Service address, one table each.
use super::*;

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
