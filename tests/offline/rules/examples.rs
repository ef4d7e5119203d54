//! `src/rules/examples.rs`: a Contoso sample name left in a profile whose live checks' domain
//! is another domain, through `evaluate_screen` (the rule runs on every text field).
use super::*;
use mim_setup::rules::{evaluate_screen, CONTOSO_EXAMPLE};

/// (checks.domain, field, value, warned)
#[rustfmt::skip]
const ROWS: &[(&str, &str, &str, bool)] = &[
    // Another domain: every sample name is named, whatever its case and its place.
    ("fabrikam.com", "sql.server", "corpsql.contoso.com", true),
    ("fabrikam.com", "sql.server", "CORPSQL", true),
    ("fabrikam.com", "sql.server", "sql01.fabrikam.com", false),
    ("fabrikam.com", "service_account.domain", "contoso", true),
    ("fabrikam.com", "service_account.domain", "CONTOSO", true),
    ("fabrikam.com", "service_account.domain", "fabrikam", false),
    ("fabrikam.com", "groups.admins", "contoso\\MIMSyncAdmins", true),
    ("fabrikam.com", "groups.admins", "fabrikam\\MIMSyncAdmins", false),
    ("fabrikam.com", "security.key_backup", "C:\\Contoso\\MIMSyncKey.bin", true),
    ("fabrikam.com", "security.key_backup", "C:\\MIMBackup\\MIMSyncKey.bin", false),
    // The walkthrough's account names are not Contoso's own: many sites use them.
    ("fabrikam.com", "service_account.name", "MIMSync", false),
    // The checks screen itself: the account is judged, the domain is the yardstick.
    ("fabrikam.com", "checks.bind_account", "contoso\\miminstall", true),
    // In the Contoso domain (the shipped profiles, the demo), or with no domain: nothing.
    ("contoso.local", "sql.server", "corpsql.contoso.com", false),
    ("CONTOSO.LOCAL", "groups.admins", "contoso\\MIMSyncAdmins", false),
    ("eu.contoso.com", "sql.server", "corpsql.contoso.com", false),
    ("", "sql.server", "corpsql.contoso.com", false),
];

#[test]
fn contoso_names_are_warned_about_in_another_domain() {
    let mut bad = Vec::new();
    for (domain, field, value, warned) in ROWS {
        let mut a = valid_answers();
        a.set("checks.domain", text(domain));
        a.set(*field, text(value));
        let (screen_id, _) = field.split_once('.').unwrap();
        let found = evaluate_screen(screen(screen_id), &a);
        let got: Vec<&Finding> = found
            .iter()
            .filter(|f| f.check == CONTOSO_EXAMPLE && f.field.as_deref() == Some(*field))
            .collect();
        let ok = match (got.as_slice(), warned) {
            ([], false) => true,
            ([f], true) => {
                f.severity == Severity::Warning
                    && f.field.as_deref() == Some(*field)
                    && f.message.contains(value)
                    && f.message.contains(domain)
                    && well_formed(f).is_ok()
            }
            _ => false,
        };
        if !ok {
            bad.push(format!("{domain} / {field} = {value:?}: {got:?}"));
        }
    }
    assert!(bad.is_empty(), "\n{}", bad.join("\n"));
}

/// Each field with a Contoso name is named: one warning per field, on its own screen.
#[test]
fn every_contoso_field_of_a_screen_gets_its_own_warning() {
    let mut a = valid_answers();
    a.set("checks.domain", text("fabrikam.com"));
    let found = evaluate_screen(screen("groups"), &a);
    let mut fields: Vec<&str> = found
        .iter()
        .filter(|f| f.check == CONTOSO_EXAMPLE)
        .filter_map(|f| f.field.as_deref())
        .collect();
    fields.sort();
    assert_eq!(
        fields,
        [
            "groups.admins",
            "groups.browse",
            "groups.joiners",
            "groups.operators",
            "groups.password_set"
        ]
    );
}
