//! Table-driven tests of every rule in `src/rules/`: each row is an input and the finding it
//! must give (check id, severity, field) or none. `rules/` mirrors `src/rules/`: one file per
//! module, named alike (`names.rs` tests `src/rules/names.rs`, and so on; this file, for
//! `mod.rs`, checks that every rule a screen names is registered and tested). Field rules are
//! called as `evaluate` calls them (through `field_rule` and a `FieldCtx`); screen rules
//! through `screen_rule`; the generic `required` and `option-unavailable` checks through
//! `evaluate_screen`.
#![allow(clippy::unwrap_used)]

use mim_setup::answers::{Answers, Value};
use mim_setup::finding::{Finding, Severity};
use mim_setup::rules::{field_rule, field_rule_exists, screen_rule_exists, FieldCtx};
use mim_setup::screens::{ScreenDef, Screens};

/// The expected finding of one row: `None` for no finding, else check id and severity.
type Want = Option<(&'static str, Severity)>;
const OK: Want = None;
const fn err(check: &'static str) -> Want {
    Some((check, Severity::Error))
}
const fn warn(check: &'static str) -> Want {
    Some((check, Severity::Warning))
}

/// The rules these tests cover; every rule a screen names must be here.
const FIELD_RULES: &[&str] = &[
    "hostname",
    "sam-account-name",
    "netbios-domain",
    "group-name",
    "sql-server-no-port",
    "sql-instance-name",
    "sql-database-name",
    "windows-absolute-path",
    "windows-local-path",
    "licence-accepted",
    "sql-server-address",
    "domain-account",
    "email-address",
    "upn",
    "tenant",
    "http-url",
    "sharepoint-url",
    "service-address",
    "guid",
    "thumbprint",
    "sspr-port",
    "ldap-plain",
    "account-characters",
    "sql-encryption-opt-out",
];
const SCREEN_RULES: &[&str] = &[
    "service-account-kind",
    "groups-distinct",
    "service-account-logon-rights",
    "feature-dependencies",
    "database-reuse",
    "mail-option",
    "mim-service-account",
    "mim-service-logon-rights",
    "service-accounts-distinct",
    "sspr-ports-differ",
    "sspr-registration-sharepoint-site",
    "sspr-reset-sharepoint-site",
    "ma-account-gmsa",
    "registration-url-host",
    "reset-url-host",
];

fn screens() -> &'static Screens {
    Screens::embedded().expect("the embedded screens load")
}

fn screen(id: &str) -> &'static ScreenDef {
    screens().screen(id).expect("screen exists")
}

/// Every field at its default or, where setup has none, at the walkthrough's example, the
/// licence accepted: a run with nothing wrong.
fn valid_answers() -> Answers {
    let mut a = Answers::defaults(screens());
    for s in screens().all() {
        for f in &s.fields {
            if let Some(e) = &f.example {
                a.set(format!("{}.{}", s.id, f.id), text(e));
            }
        }
    }
    a.set("licence.accepted", Value::Bool(true));
    a
}

/// The same, for the Service and Portal component.
fn sp_answers() -> Answers {
    let mut a = valid_answers();
    a.set("setup.component", text("service-portal"));
    a
}

fn text(s: &str) -> Value {
    Value::Text(s.to_string())
}

/// A finding a user can act on: message, why and fix are all given.
fn well_formed(f: &Finding) -> Result<(), String> {
    for (name, v) in [("message", &f.message), ("why", &f.why), ("fix", &f.fix)] {
        if v.trim().is_empty() {
            return Err(format!("finding {} has an empty {name}", f.check));
        }
    }
    Ok(())
}

fn describe(f: &Finding) -> String {
    format!("{} {} at {:?}", f.check, f.severity, f.field)
}

/// Compares what a field rule gave for one input with the row's expectation.
fn compare(got: &[Finding], want: Want, path: &str) -> Result<(), String> {
    match (got, want) {
        ([], None) => Ok(()),
        ([f], Some((check, severity))) => {
            if f.check != check || f.severity != severity || f.field.as_deref() != Some(path) {
                return Err(format!(
                    "want {check} {severity} at {path}, got {}",
                    describe(f)
                ));
            }
            well_formed(f)
        }
        _ => Err(format!(
            "want {want:?}, got {:?}",
            got.iter().map(describe).collect::<Vec<_>>()
        )),
    }
}

fn run_field_rule(rule: &str, path: &str, value: &Value) -> Vec<Finding> {
    let r = field_rule(rule).unwrap_or_else(|| panic!("field rule {rule} is registered"));
    let answers = valid_answers();
    r(&FieldCtx {
        path,
        value,
        answers: &answers,
    })
}

/// Runs a field rule over text rows and reports every row that differs at once.
fn check_texts<S: AsRef<str>>(rule: &str, path: &str, rows: &[(S, Want)]) {
    let failures: Vec<String> = rows
        .iter()
        .filter_map(|(input, want)| {
            let input = input.as_ref();
            let got = run_field_rule(rule, path, &text(input));
            compare(&got, *want, path)
                .err()
                .map(|e| format!("{rule}({input:?}): {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_rule_named_by_a_screen_is_registered_and_tested() {
    for r in FIELD_RULES {
        assert!(field_rule_exists(r), "field rule {r} is not registered");
        assert!(
            !screen_rule_exists(r),
            "{r} is registered as a screen rule too"
        );
    }
    for r in SCREEN_RULES {
        assert!(screen_rule_exists(r), "screen rule {r} is not registered");
    }
    assert!(!field_rule_exists("no-such-rule") && !screen_rule_exists("no-such-rule"));
    for s in screens().all() {
        for r in &s.rules {
            assert!(
                SCREEN_RULES.contains(&r.as_str()),
                "{}: untested rule {r}",
                s.id
            );
        }
        for f in &s.fields {
            for r in &f.rules {
                assert!(
                    FIELD_RULES.contains(&r.as_str()),
                    "{}.{}: untested {r}",
                    s.id,
                    f.id
                );
            }
        }
    }
}

/// The one finding a rule gives for `input` (the test fails on none or several).
fn only(rule: &str, path: &str, input: &str) -> Finding {
    let got = run_field_rule(rule, path, &text(input));
    assert_eq!(got.len(), 1, "{rule}({input:?}): {got:?}");
    got.into_iter().next().unwrap()
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

mod addresses;
mod braces;
mod characters;
mod check_settings;
mod evaluate;
mod examples;
mod hosts;
mod ids;
mod mail;
mod names;
mod paths;
mod ports;
mod relations;
mod seed_relations;
mod service_portal;
mod sql;
mod unused;
