//! Rules over several fields, and the checks every field gets (`required`,
//! `option-unavailable`), through `evaluate_screen` and `evaluate_flow` as the wizard and
//! `validate` run them.
use super::*;
use mim_setup::answers::{Answers, Value};
use mim_setup::finding::{Finding, Severity};
use mim_setup::rules::{evaluate_flow, evaluate_screen, screen_rule};
use mim_setup::screens::{Component, CondValue, FieldKind, ScreenDef, Screens};
use mim_setup::secret::SecretRef;

/// Expected findings of a screen rule: (check, severity, field), in any order.
pub(super) type Expect = Vec<(&'static str, Severity, &'static str)>;

pub(super) fn check_screen_rule(rule: &str, answers: &Answers, want: &Expect, row: &str) {
    let r = screen_rule(rule).unwrap_or_else(|| panic!("screen rule {rule} is registered"));
    let got = r(answers);
    let mut got_keys: Vec<(String, Severity, String)> = got
        .iter()
        .map(|f| {
            (
                f.check.clone(),
                f.severity,
                f.field.clone().unwrap_or_default(),
            )
        })
        .collect();
    let mut want_keys: Vec<(String, Severity, String)> = want
        .iter()
        .map(|(c, s, f)| (c.to_string(), *s, f.to_string()))
        .collect();
    got_keys.sort();
    want_keys.sort();
    assert_eq!(got_keys, want_keys, "{rule}, {row}");
    for f in &got {
        well_formed(f).unwrap_or_else(|e| panic!("{rule}, {row}: {e}"));
        let path = f.field.as_deref().unwrap_or_default();
        assert!(
            screens().field(path).is_some(),
            "{rule}: unknown field {path}"
        );
    }
}

#[test]
fn service_account_kind_matches_name_and_password() {
    use Severity::Error as E;
    let env = || Some(SecretRef::Env("MIM_SYNC_PASSWORD".into()));
    let name_dollar = ("regular-name-dollar", E, "service_account.name");
    let gmsa_dollar = ("gmsa-name-dollar", E, "service_account.name");
    let gmsa_pw = ("gmsa-password-empty", E, "service_account.password");
    let rows: Vec<(&str, &str, Option<SecretRef>, Expect)> = vec![
        ("regular", "MIMSync", env(), vec![]),
        ("regular", "MIMSync", Some(SecretRef::Prompt), vec![]),
        ("regular", "MIMSync", None, vec![]),
        ("regular", "", env(), vec![]),
        ("regular", "MIMSync$", env(), vec![name_dollar]),
        ("regular", "$", None, vec![name_dollar]),
        ("gmsa", "MIMSync$", None, vec![]),
        ("gmsa", "", None, vec![]),
        ("gmsa", "MIMSync", None, vec![gmsa_dollar]),
        ("gmsa", "MIMSync$ ", None, vec![gmsa_dollar]),
        ("gmsa", "MIMSync$", env(), vec![gmsa_pw]),
        ("gmsa", "MIMSync$", Some(SecretRef::Prompt), vec![gmsa_pw]),
        ("gmsa", "MIMSync", env(), vec![gmsa_dollar, gmsa_pw]),
    ];
    for (kind, name, password, want) in rows {
        let mut a = valid_answers();
        a.set("service_account.kind", text(kind));
        a.set("service_account.name", text(name));
        a.remove("service_account.password");
        if let Some(p) = password.clone() {
            a.set("service_account.password", Value::Secret(p));
        }
        let row = format!("kind {kind}, name {name:?}, password {password:?}");
        check_screen_rule("service-account-kind", &a, &want, &row);
    }
}

#[test]
fn groups_distinct_warns_on_shared_groups() {
    use Severity::Warning as W;
    let g = |f: &'static str| ("groups-distinct", W, f);
    let rows: Vec<([&str; 5], Expect)> = vec![
        (["c\\A", "c\\O", "c\\J", "c\\B", "c\\P"], vec![]),
        (
            ["c\\A", "c\\A", "c\\J", "c\\B", "c\\P"],
            vec![g("groups.operators")],
        ),
        (
            ["c\\A", "C\\a", "c\\J", "c\\B", "c\\P"],
            vec![g("groups.operators")],
        ),
        (
            ["c\\A", "c\\O", "c\\J", "c\\B", "c\\A"],
            vec![g("groups.password_set")],
        ),
        (["", "c\\J", "c\\J", "", ""], vec![g("groups.joiners")]),
        (["", "", "", "", ""], vec![]),
        (["c\\A", "A", "c\\J", "c\\B", "c\\P"], vec![]),
        (
            ["c\\A", "c\\A", "c\\A", "c\\A", "c\\A"],
            vec![
                g("groups.operators"),
                g("groups.joiners"),
                g("groups.browse"),
                g("groups.password_set"),
            ],
        ),
    ];
    let fields = ["admins", "operators", "joiners", "browse", "password_set"];
    for (values, want) in rows {
        let mut a = valid_answers();
        for (f, v) in fields.iter().zip(values) {
            a.set(format!("groups.{f}"), text(v));
        }
        check_screen_rule("groups-distinct", &a, &want, &format!("{values:?}"));
    }
}

#[test]
fn service_account_logon_rights_always_needs_acknowledging() {
    let want: Expect = vec![(
        "service-account-logon-rights",
        Severity::Warning,
        "service_account.name",
    )];
    for (domain, name) in [("contoso", "MIMSync"), ("contoso", "MIMSync$"), ("", "")] {
        let mut a = valid_answers();
        a.set("service_account.domain", text(domain));
        a.set("service_account.name", text(name));
        check_screen_rule("service-account-logon-rights", &a, &want, name);
        let f = &screen_rule("service-account-logon-rights").expect("registered")(&a)[0];
        assert_eq!(
            f.evidence.as_deref(),
            Some(format!("{domain}\\{name}").as_str())
        );
        assert_eq!(
            f.ack_key(),
            "service-account-logon-rights@service_account.name"
        );
    }
    // The summary runs it, so a full flow of valid answers has exactly this one warning.
    let findings = evaluate_flow(screens(), Component::Sync, &valid_answers());
    let keys: Vec<String> = findings.iter().map(describe).collect();
    assert_eq!(
        keys,
        ["service-account-logon-rights warning at Some(\"service_account.name\")"]
    );
}

/// Makes `field` of `screen` shown by setting what its `when` conditions ask for.
fn show_field(a: &mut Answers, s: &ScreenDef, field: &str) {
    let f = s.field(field).expect("field");
    for c in s.when.iter().chain(&f.when) {
        match &c.is {
            Some(CondValue::Bool(b)) => a.set(c.field.clone(), Value::Bool(*b)),
            Some(v) => a.set(c.field.clone(), text(v.texts()[0])),
            None => {}
        }
    }
    assert!(a.field_active(s, f), "{}.{field} can be shown", s.id);
}

#[test]
fn every_required_field_left_empty_is_reported() {
    for (component, min) in [(Component::Sync, 20), (Component::ServicePortal, 60)] {
        let mut checked = 0;
        for s in screens().flow(component) {
            for f in &s.fields {
                let p = format!("{}.{}", s.id, f.id);
                let mut base = valid_answers();
                base.set("setup.component", text(component.as_str()));
                show_field(&mut base, s, &f.id);
                let mut blanks = vec![None];
                if f.kind == FieldKind::Text {
                    blanks.extend([Some(text("")), Some(text("   ")), Some(text("\t"))]);
                }
                for blank in blanks {
                    let mut a = base.clone();
                    match &blank {
                        Some(v) => a.set(p.clone(), v.clone()),
                        None => {
                            a.remove(&p);
                        }
                    }
                    // Warnings and notes a screen rule gives on the field anyway (the logon
                    // warning on the account name) are not about the empty answer.
                    let on_field: Vec<Finding> = evaluate_screen(s, &a)
                        .into_iter()
                        .filter(|x| x.field.as_deref() == Some(p.as_str()))
                        .filter(|x| component == Component::Sync || x.blocks())
                        .collect();
                    if f.optional {
                        assert!(on_field.is_empty(), "{p} is optional: {on_field:?}");
                        continue;
                    }
                    compare(&on_field, err("required"), &p)
                        .unwrap_or_else(|e| panic!("{p} = {blank:?}: {e}"));
                    assert!(on_field[0].message.contains(&f.label), "{p}");
                    if f.kind == FieldKind::Secret {
                        let env = f.env.as_deref().unwrap_or("NAME");
                        assert!(on_field[0].fix.contains(env), "{p}: {}", on_field[0].fix);
                    }
                    checked += 1;
                }
            }
        }
        assert!(
            checked >= min,
            "{component:?}: only {checked} required checks ran"
        );
    }
}

#[test]
fn hidden_and_disabled_fields_are_not_required() {
    let cases = [
        ("sql", "sql.location", "local", "sql.server"),
        ("sql", "sql.instance", "default", "sql.instance_name"),
        (
            "service_account",
            "service_account.kind",
            "gmsa",
            "service_account.password",
        ),
    ];
    for (id, choice, value, hidden) in cases {
        let mut a = valid_answers();
        a.set("service_account.name", text("MIMSync$"));
        a.set(choice, text(value));
        a.remove(hidden);
        let found = evaluate_screen(screen(id), &a);
        assert!(found.is_empty(), "{choice} = {value}: {found:?}");
        // A bad value in a hidden field is not checked either.
        a.set(hidden, text("corpsql,1433 \\ bad"));
        let found = evaluate_screen(screen(id), &a);
        assert!(found.is_empty(), "{choice} = {value}: {found:?}");
    }
}

/// The embedded screens, with the Service and Portal component marked unavailable as it was
/// before its screens existed.
fn screens_with_an_unavailable_component() -> Screens {
    let available = r#"{ value = "service-portal", label = "Service and Portal" }"#;
    let unavailable = r#"{ value = "service-portal", label = "Service and Portal", available = false, note = "not available in this version of mim-setup" }"#;
    let mut replaced = 0;
    let files: Vec<(&str, String)> = mim_setup::screens::SCREEN_FILES
        .iter()
        .map(|(name, text)| {
            let t = text.replace(available, unavailable);
            if t != *text {
                replaced += 1;
            }
            (*name, t)
        })
        .collect();
    assert_eq!(replaced, 1, "the component choice is in one screen file");
    let pairs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    Screens::from_files(&pairs).expect("the changed screens load")
}

#[test]
fn an_unavailable_option_is_an_error() {
    // Every option of the shipped screens is available.
    for s in screens().all() {
        for f in s.fields.iter().filter(|f| f.kind == FieldKind::Choice) {
            assert!(
                f.options.iter().all(|o| o.available),
                "{}.{} has an unavailable option",
                s.id,
                f.id
            );
        }
    }
    // The check itself, on a screen set that has one.
    let changed = screens_with_an_unavailable_component();
    let setup = changed.screen("setup").expect("setup screen");
    for (value, want) in [("sync", OK), ("service-portal", err("option-unavailable"))] {
        let mut a = valid_answers();
        a.set("setup.component", text(value));
        let on_field: Vec<Finding> = evaluate_screen(setup, &a)
            .into_iter()
            .filter(|x| x.field.as_deref() == Some("setup.component"))
            .collect();
        compare(&on_field, want, "setup.component").unwrap_or_else(|e| panic!("{value}: {e}"));
        if want.is_some() {
            assert!(on_field[0].message.contains("Service and Portal"));
            assert!(on_field[0].message.contains("not available"));
        }
    }
    let mut a = valid_answers();
    a.set("setup.component", text("service-portal"));
    let found = evaluate_flow(&changed, Component::ServicePortal, &a);
    let on_component: Vec<String> = found
        .iter()
        .filter(|f| f.field.as_deref() == Some("setup.component"))
        .map(describe)
        .collect();
    assert_eq!(
        on_component,
        ["option-unavailable error at Some(\"setup.component\")"]
    );
    // A profile that asks for it is refused as unusable, with the available choice as the fix.
    let profile =
        "schema_version = 1\ncomponent = \"service-portal\"\nedition = \"volume-license\"\n";
    let errors = mim_setup::profile::load_str("p.toml", profile, &changed, false)
        .expect_err("an unavailable component is refused")
        .0;
    let e = errors
        .iter()
        .find(|e| e.key.as_deref() == Some("component"))
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert_eq!(
        e.message,
        "Service and Portal is not available in this version of mim-setup"
    );
    assert_eq!(
        e.fix.as_deref(),
        Some("choose one that this version sets up: component = \"sync\"")
    );
}

#[test]
fn the_first_error_of_a_field_stops_its_other_rules() {
    let s = screen("sql");
    let on_server = |v: &str| -> Vec<String> {
        let mut a = valid_answers();
        a.set("sql.location", text("remote"));
        a.set("sql.server", text(v));
        evaluate_screen(s, &a)
            .iter()
            .filter(|f| f.field.as_deref() == Some("sql.server"))
            .map(|f| f.check.clone())
            .collect()
    };
    assert_eq!(on_server("corpsql,1433"), ["sql-server-port"]);
    assert_eq!(on_server("corpsql:1433"), ["sql-server-port"]);
    assert_eq!(on_server("corpsql\\MIMSYNC"), ["sql-server-instance"]);
    assert_eq!(on_server("corp_sql"), ["hostname"]);
    assert_eq!(on_server("-corpsql"), ["hostname"]);
    assert!(on_server("corpsql.contoso.com").is_empty());
}

#[test]
fn a_value_that_is_not_an_option_is_an_error_naming_the_choices() {
    for s in screens().all() {
        for f in s.fields.iter().filter(|f| f.kind == FieldKind::Choice) {
            let p = format!("{}.{}", s.id, f.id);
            let mut a = valid_answers();
            show_field(&mut a, s, &f.id);
            a.set(p.clone(), text("elsewhere"));
            let on_field: Vec<Finding> = evaluate_screen(s, &a)
                .into_iter()
                .filter(|x| x.field.as_deref() == Some(p.as_str()))
                .collect();
            compare(&on_field, err("not-a-choice"), &p).unwrap_or_else(|e| panic!("{p}: {e}"));
            for o in &f.options {
                assert!(
                    on_field[0].fix.contains(&o.value),
                    "{p}: {:?}",
                    on_field[0].fix
                );
            }
        }
    }
}
