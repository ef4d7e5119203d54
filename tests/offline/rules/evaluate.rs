//! `src/rules/evaluate.rs`: the checks every field gets (`required`, `option-unavailable`)
//! through `evaluate_screen`, and whole flows through `evaluate_flow` as `validate` runs them,
//! with the shipped profiles.
use super::*;
use mim_setup::answers::Value;
use mim_setup::finding::Severity::{Error as E, Info as I, Warning as W};
use mim_setup::profile::load_file;
use mim_setup::rules::evaluate_flow;
use mim_setup::rules::evaluate_screen;
use mim_setup::screens::Component;
use mim_setup::screens::CondValue;
use mim_setup::screens::FieldKind;
use mim_setup::validate::check_profile;
use std::path::Path;

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

/// `(check, severity, field)` of every finding, sorted.
fn keys(found: &[Finding]) -> Vec<(String, Severity, String)> {
    let mut k: Vec<_> = found
        .iter()
        .map(|f| {
            (
                f.check.clone(),
                f.severity,
                f.field.clone().unwrap_or_default(),
            )
        })
        .collect();
    k.sort();
    k
}

fn owned(want: &[(&str, Severity, &str)]) -> Vec<(String, Severity, String)> {
    let mut k: Vec<_> = want
        .iter()
        .map(|(c, s, f)| (c.to_string(), *s, f.to_string()))
        .collect();
    k.sort();
    k
}

#[test]
fn the_default_answers_give_only_the_walkthroughs_warnings() {
    let found = evaluate_flow(screens(), Component::ServicePortal, &sp_answers());
    assert_eq!(
        keys(&found),
        owned(&[
            ("mail-option", I, "mail.server_type"),
            ("mim-service-logon-rights", W, "mim_service.name"),
            ("sspr-port-8080", W, "registration.port"),
        ])
    );
    for f in &found {
        well_formed(f).unwrap();
    }
    assert!(found.iter().any(|f| f.message.starts_with("Option A:")));
}

#[test]
fn flow_findings_come_from_the_screen_that_shows_the_field() {
    // A finding of a hidden screen never shows: without the MIM Service, no mail, account or
    // database rules run, even with answers they would refuse.
    let mut a = sp_answers();
    a.set("features.service", Value::Bool(false));
    a.set("mail.server_type", text("smtp"));
    a.set("mail.gmsa", Value::Bool(true));
    a.set("mim_service.name", text("MIMSync"));
    a.set("database.mode", text("reuse"));
    let found = evaluate_flow(screens(), Component::ServicePortal, &a);
    assert_eq!(
        keys(&found),
        owned(&[("sspr-port-8080", W, "registration.port")])
    );
    // With it, each is reported once, on its field.
    a.set("features.service", Value::Bool(true));
    let found = evaluate_flow(screens(), Component::ServicePortal, &a);
    assert_eq!(
        keys(&found),
        owned(&[
            ("database-reuse", W, "database.mode"),
            ("gmsa-name-dollar", E, "mim_service.name"),
            ("mail-option", E, "mail.gmsa"),
            ("mim-service-logon-rights", W, "mim_service.name"),
            (
                "service-accounts-distinct",
                E,
                "sync_link.sync_service_account"
            ),
            ("sspr-port-8080", W, "registration.port"),
        ])
    );
}

#[test]
fn every_shipped_profile_validates_with_exactly_its_acknowledged_warnings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 12, "{names:?}");
    let mut options = Vec::new();
    for name in &names {
        let loaded = load_file(&dir.join(name), screens(), false)
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
        let report = check_profile(screens(), &loaded.profile);
        assert!(report.ok(), "{name}: {:?}", report.findings);
        let mut warnings: Vec<String> = report
            .findings
            .iter()
            .filter(|f| f.severity == W)
            .map(Finding::ack_key)
            .collect();
        warnings.sort();
        let mut acked: Vec<String> = loaded.profile.acknowledged.iter().cloned().collect();
        acked.sort();
        assert_eq!(warnings, acked, "{name}: every acknowledgement is used");
        // An option profile is the option its name says.
        if let Some(letter) = name
            .strip_prefix("contoso-aadp-option-")
            .and_then(|r| r.strip_suffix(".toml"))
        {
            let want = format!("Option {}:", letter.to_uppercase());
            let info: Vec<&Finding> = report.findings.iter().filter(|f| f.severity == I).collect();
            assert_eq!(info.len(), 1, "{name}");
            assert!(
                info[0].message.starts_with(&want),
                "{name}: {}",
                info[0].message
            );
            options.push(letter.to_uppercase());
        }
    }
    assert_eq!(options.join(""), "ABCDEFGHI");
}
