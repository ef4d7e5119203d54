//! `src/rules/seed_relations.rs`: the MA account of a Synchronization Service gMSA, and the
//! portal's SSPR URLs against the SSPR sites' hosts and ports.
use super::*;
use mim_setup::rules::screen_rule;

/// The answers a row sets, what the rule must give, and at which field.
type Row<'a> = (&'a [(&'a str, &'a str)], Want, &'a str);

fn run(rule: &str, set: &[(&str, &str)]) -> Vec<Finding> {
    let mut a = sp_answers();
    for (p, v) in set {
        a.set(*p, text(v));
    }
    screen_rule(rule).unwrap()(&a)
}

fn check(rule: &str, rows: &[Row]) {
    let mut bad = Vec::new();
    for (set, want, field) in rows {
        let got = run(rule, set);
        if let Err(e) = compare(&got, *want, field) {
            bad.push(format!("{set:?}: {e}"));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

const MA: &str = "sync_link.ma_account";
const SYNC: &str = "sync_link.sync_service_account";

#[test]
fn the_ma_account_of_a_sync_gmsa_ends_in_dollar() {
    #[rustfmt::skip]
    let rows: &[Row] = &[
        // Seed 002: the Sync gMSA is the MA account, with its $.
        (&[(SYNC, "contoso\\MIMSyncGMSAsvc$"), (MA, "contoso\\MIMSyncGMSAsvc$")], OK, MA),
        (&[(SYNC, "contoso\\MIMSyncGMSAsvc$"), (MA, "contoso\\MIMSyncGMSAsvc")], warn("ma-account-gmsa"), MA),
        (&[(SYNC, "contoso\\MIMSyncGMSAsvc$"), (MA, "contoso\\MIMMA")], warn("ma-account-gmsa"), MA),
        // Seed 003: regular accounts on both sides.
        (&[(SYNC, "contoso\\MIMSync"), (MA, "contoso\\MIMMA")], OK, MA),
        // A gMSA as MA account while the Sync account is a regular one.
        (&[(SYNC, "contoso\\MIMSync"), (MA, "contoso\\MIMSyncGMSAsvc$")], warn("ma-account-gmsa"), MA),
        // The Sync account is optional: nothing to compare.
        (&[(SYNC, ""), (MA, "contoso\\MIMMA")], OK, MA),
        (&[(SYNC, ""), (MA, "contoso\\MIMSyncGMSAsvc$")], OK, MA),
        (&[(SYNC, "  contoso\\MIMSyncGMSAsvc$ "), (MA, "")], OK, MA),
    ];
    check("ma-account-gmsa", rows);
}

const REG_URL: &str = "portal.registration_url";
const RESET_URL: &str = "portal.reset_url";

#[test]
fn the_sspr_urls_name_the_sites_hosts_and_ports() {
    #[rustfmt::skip]
    let reg: &[Row] = &[
        // Seed 003's own values: CORPIDM and CorpIDM.contoso.local are one computer.
        (&[(REG_URL, "http://CorpIDM.contoso.local:8080"), ("registration.host", "CORPIDM"), ("registration.port", "8080")], OK, "registration.host"),
        (&[(REG_URL, "https://corpidm:8080/"), ("registration.host", "CorpIDM.contoso.local"), ("registration.port", "8080")], OK, "registration.host"),
        // No port in the URL: the host alone is compared.
        (&[(REG_URL, "http://corpidm"), ("registration.host", "CORPIDM"), ("registration.port", "8080")], OK, "registration.host"),
        // Another computer, another port.
        (&[(REG_URL, "http://sspr.contoso.local:8080"), ("registration.host", "CORPIDM"), ("registration.port", "8080")], warn("sspr-url-host"), "registration.host"),
        (&[(REG_URL, "http://CorpIDM.contoso.local:8088"), ("registration.host", "CORPIDM"), ("registration.port", "8080")], warn("sspr-url-host"), "registration.host"),
        // No URL (optional), or a URL the field's own rule refuses: nothing here.
        (&[(REG_URL, ""), ("registration.host", "CORPIDM")], OK, "registration.host"),
        (&[(REG_URL, "CorpIDM:8080"), ("registration.host", "other")], OK, "registration.host"),
    ];
    check("registration-url-host", reg);
    #[rustfmt::skip]
    let reset: &[Row] = &[
        (&[(RESET_URL, "http://CorpIDM.contoso.local:8088"), ("reset.host", "CORPIDM"), ("reset.port", "8088")], OK, "reset.host"),
        (&[(RESET_URL, "http://CorpIDM.contoso.local:8080"), ("reset.host", "CORPIDM"), ("reset.port", "8088")], warn("sspr-url-host"), "reset.host"),
        (&[(RESET_URL, "http://reset.contoso.local:8088"), ("reset.host", "CORPIDM"), ("reset.port", "8088")], warn("sspr-url-host"), "reset.host"),
    ];
    check("reset-url-host", reset);
}

/// The warning says which is used where: the URL, and the site's host and port.
#[test]
fn the_sspr_warning_names_both_places() {
    let got = run(
        "registration-url-host",
        &[
            (REG_URL, "http://sspr.contoso.local:8080"),
            ("registration.host", "CORPIDM"),
            ("registration.port", "8080"),
        ],
    );
    let f = &got[0];
    assert!(
        f.message.contains("http://sspr.contoso.local:8080"),
        "{}",
        f.message
    );
    assert!(f.message.contains("CORPIDM:8080"), "{}", f.message);
}
