//! `src/rules/ports.rs`: the SSPR portals' ports, each one and the two together.
use super::relations::check_screen_rule;
use super::relations::Expect;
use super::*;
use mim_setup::answers::Value;
use mim_setup::finding::Severity::Error as E;

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

#[test]
fn the_two_sspr_portals_need_different_ports() {
    let same = ("sspr-ports-differ", E, "reset.port");
    // registration selected, reset selected, registration port, reset port
    let rows: Vec<(bool, bool, &str, &str, Expect)> = vec![
        (true, true, "8080", "8088", vec![]),
        (true, true, "8088", "8088", vec![same]),
        (true, true, "8080", "8080", vec![same]),
        (true, true, "443", "443", vec![same]),
        (true, true, "eighty", "eighty", vec![same]),
        (true, true, "", "", vec![]),
        (true, true, "8088", "08088", vec![]),
        (true, false, "8088", "8088", vec![]),
        (false, true, "8088", "8088", vec![]),
        (false, false, "8088", "8088", vec![]),
    ];
    for (registration, reset, rp, sp, want) in rows {
        let mut a = sp_answers();
        a.set("features.registration", Value::Bool(registration));
        a.set("features.reset", Value::Bool(reset));
        a.set("registration.port", text(rp));
        a.set("reset.port", text(sp));
        let row = format!("{registration} {reset} {rp:?} {sp:?}");
        check_screen_rule("sspr-ports-differ", &a, &want, &row);
    }
}

#[test]
fn an_sspr_portal_on_the_sharepoint_sites_host_and_port_is_a_warning() {
    use mim_setup::finding::Severity::Warning as W;
    // SharePoint URL, portal host, portal port, portal installed: whether it clashes.
    let rows: Vec<(&str, &str, &str, bool, bool)> = vec![
        (
            "http://CorpIDM.contoso.local",
            "CorpIDM.contoso.local",
            "80",
            true,
            true,
        ),
        (
            "http://CorpIDM.contoso.local",
            "corpidm.contoso.local.",
            "80",
            true,
            true,
        ),
        ("http://CorpIDM.contoso.local", "CORPIDM", "80", true, true),
        ("http://CORPIDM", "corpidm.contoso.local", "80", true, true),
        (
            "https://CorpIDM.contoso.local",
            "CorpIDM.contoso.local",
            "443",
            true,
            true,
        ),
        (
            "http://CorpIDM.contoso.local:8080",
            "CORPIDM",
            "8080",
            true,
            true,
        ),
        (
            "http://CorpIDM.contoso.local/sites/mim",
            "CORPIDM",
            "80",
            true,
            true,
        ),
        // The walkthrough: the portals on ports of their own.
        (
            "http://CorpIDM.contoso.local",
            "CORPIDM",
            "8080",
            true,
            false,
        ),
        (
            "https://CorpIDM.contoso.local",
            "CORPIDM",
            "80",
            true,
            false,
        ),
        (
            "http://CorpIDM.contoso.local",
            "CORPIDM",
            "443",
            true,
            false,
        ),
        (
            "http://CorpIDM.contoso.local",
            "sspr.contoso.local",
            "80",
            true,
            false,
        ),
        (
            "http://CorpIDM.contoso.local",
            "corpidm.fabrikam.com",
            "80",
            true,
            false,
        ),
        (
            "http://CorpIDM.contoso.local",
            "corpidm2",
            "80",
            true,
            false,
        ),
        ("http://CorpIDM.contoso.local", "", "80", true, false),
        ("not a url", "CORPIDM", "80", true, false),
        // Without the portal, no SharePoint site is set up.
        (
            "http://CorpIDM.contoso.local",
            "CORPIDM",
            "80",
            false,
            false,
        ),
    ];
    for (rule, host, port) in [
        (
            "sspr-registration-sharepoint-site",
            "registration.host",
            "registration.port",
        ),
        ("sspr-reset-sharepoint-site", "reset.host", "reset.port"),
    ] {
        for (url, h, p, portal, clash) in &rows {
            let mut a = sp_answers();
            a.set("features.portal", Value::Bool(*portal));
            a.set("portal.sharepoint_url", text(url));
            a.set(host, text(h));
            a.set(port, text(p));
            let want: Expect = if *clash {
                vec![("sspr-sharepoint-site", W, port)]
            } else {
                vec![]
            };
            check_screen_rule(rule, &a, &want, &format!("{url} {h}:{p} portal={portal}"));
        }
    }
    let mut a = sp_answers();
    a.set(
        "portal.sharepoint_url",
        text("http://CorpIDM.contoso.local"),
    );
    a.set("registration.host", text("CORPIDM"));
    a.set("registration.port", text("80"));
    let f = &screen_rule_of("sspr-registration-sharepoint-site")(&a)[0];
    assert_eq!(
        f.evidence.as_deref(),
        Some("portal CORPIDM:80, SharePoint site CorpIDM.contoso.local:80")
    );
    assert_eq!(f.ack_key(), "sspr-sharepoint-site@registration.port");
}

fn screen_rule_of(name: &str) -> mim_setup::rules::ScreenRule {
    mim_setup::rules::screen_rule(name).unwrap()
}
