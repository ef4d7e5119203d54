//! The screen files: they parse, every reference in them resolves, and the wizard's pure
//! state machine reaches the summary and the finish screen for every combination of branch
//! choices, which are enumerated from the screen data so that a new choice is covered as
//! soon as a screen file has it.
#![allow(clippy::unwrap_used)]

use mim_setup::answers::Value;
use mim_setup::profile::{COMPONENT_PATH, EDITION_PATH};
use mim_setup::rules::{field_rule_exists, screen_rule_exists};
use mim_setup::screens::{
    Component, CondValue, Condition, FieldKind, ScreenDef, ScreenKind, Screens, SCREEN_FILES,
};
use mim_setup::secret::SecretRef;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn screens() -> &'static Screens {
    Screens::embedded().expect("the embedded screens load")
}

#[test]
fn every_screen_file_parses_and_is_embedded() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("screens");
    let files_in = |dir: &std::path::Path| {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_file())
            .map(|p| p.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let embedded: Vec<String> = SCREEN_FILES.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(
        embedded,
        files_in(&dir),
        "every file of screens/ is embedded"
    );
    // The MSI property tables in screens/msi/ are embedded by the plan builder.
    let mut tables: Vec<String> = mim_setup::plan::table::FILES
        .iter()
        .map(|(n, _)| n.trim_start_matches("screens/msi/").to_string())
        .collect();
    tables.sort();
    assert_eq!(
        tables,
        files_in(&dir.join("msi")),
        "every property table is embedded"
    );

    let mut parsed = 0;
    for (name, text) in SCREEN_FILES {
        if name.ends_with(".toml") {
            let def: ScreenDef =
                toml::from_str(text).unwrap_or_else(|e| panic!("screens/{name}: {e}"));
            assert!(
                screens().screen(&def.id).is_some(),
                "{name}: {} missing",
                def.id
            );
            assert!(!def.title.trim().is_empty(), "{name}: no title");
            assert!(!def.step.trim().is_empty(), "{name}: no step label");
            assert!(!def.help.trim().is_empty(), "{name}: no F1 help");
            for f in &def.fields {
                assert!(!f.label.trim().is_empty(), "{name}: {} has no label", f.id);
                assert!(!f.help.trim().is_empty(), "{name}: {} has no help", f.id);
            }
            parsed += 1;
        } else {
            // Any other file is a text a screen refers to.
            let user = screens()
                .all()
                .iter()
                .find(|s| s.licence.as_deref() == Some(name))
                .unwrap_or_else(|| panic!("screens/{name} is used by no screen"));
            assert_eq!(user.licence_text, *text, "{name}");
            assert!(!text.trim().is_empty(), "{name} is empty");
        }
    }
    assert_eq!(parsed, screens().all().len());
    assert!(parsed >= 10, "only {parsed} screens");
}

#[test]
fn ids_and_orders_are_unique() {
    let all = screens().all();
    let ids: BTreeSet<&str> = all.iter().map(|s| s.id.as_str()).collect();
    let orders: BTreeSet<u32> = all.iter().map(|s| s.order).collect();
    assert_eq!(ids.len(), all.len(), "screen ids are unique");
    assert_eq!(orders.len(), all.len(), "screen orders are unique");
    assert!(
        all.windows(2).all(|w| w[0].order < w[1].order),
        "flow order"
    );
    for s in all {
        let fields: BTreeSet<&str> = s.fields.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(
            fields.len(),
            s.fields.len(),
            "{}: field ids are unique",
            s.id
        );
        for f in &s.fields {
            let ok = !f.id.is_empty() && f.id.chars().all(|c| c.is_ascii_lowercase() || c == '_');
            assert!(ok, "{}.{}: ids are lowercase letters and _", s.id, f.id);
            let values: BTreeSet<&str> = f.options.iter().map(|o| o.value.as_str()).collect();
            assert_eq!(
                values.len(),
                f.options.len(),
                "{}.{}: option values",
                s.id,
                f.id
            );
        }
    }
}

/// Checks one condition of `owner` (a screen, or a field of it when `on_field`).
fn check_condition(owner: &ScreenDef, on_field: bool, c: &Condition) {
    let at = format!("{} condition on {}", owner.id, c.field);
    let (target_screen, target) = screens()
        .field(&c.field)
        .unwrap_or_else(|| panic!("{at}: no such field"));
    // Answered before it is used: on an earlier screen (or this one, for a field).
    let earlier = target_screen.order < owner.order || (on_field && target_screen.id == owner.id);
    assert!(earlier, "{at}: the field comes after what it controls");
    for comp in &owner.components {
        assert!(
            target_screen.is_for(*comp),
            "{at}: not in the {comp:?} flow"
        );
    }
    let values: Vec<&CondValue> = c.is.iter().chain(c.is_not.iter()).collect();
    assert!(!values.is_empty(), "{at}: needs is or is_not");
    for v in values {
        match (target.kind, v) {
            (FieldKind::Checkbox, CondValue::Bool(_)) => {}
            (FieldKind::Choice, CondValue::Text(_) | CondValue::AnyOf(_)) => {
                assert!(!v.texts().is_empty(), "{at}: empty list");
                for t in v.texts() {
                    assert!(target.option(t).is_some(), "{at}: `{t}` is not an option");
                }
            }
            (kind, v) => panic!("{at}: {v:?} cannot test a {kind:?} field"),
        }
    }
}

#[test]
fn every_reference_resolves() {
    let mut conditions = 0;
    for s in screens().all() {
        assert!(!s.components.is_empty(), "{}: no components", s.id);
        for r in &s.rules {
            assert!(screen_rule_exists(r), "{}: unknown screen rule {r}", s.id);
        }
        assert_eq!(
            s.kind == ScreenKind::Licence,
            s.licence.is_some(),
            "{}",
            s.id
        );
        if let Some(lic) = &s.licence {
            assert!(
                SCREEN_FILES.iter().any(|(n, _)| n == lic),
                "{}: {lic}",
                s.id
            );
            assert!(!s.licence_text.trim().is_empty(), "{}: empty licence", s.id);
        }
        for c in &s.when {
            check_condition(s, false, c);
            conditions += 1;
        }
        for f in &s.fields {
            let at = format!("{}.{}", s.id, f.id);
            for r in &f.rules {
                assert!(field_rule_exists(r), "{at}: unknown field rule {r}");
            }
            for c in f.when.iter().chain(&f.disabled_when) {
                check_condition(s, true, c);
                conditions += 1;
            }
            if f.kind == FieldKind::Choice {
                assert!(
                    f.options.iter().any(|o| o.available),
                    "{at}: no usable option"
                );
                let first = Value::initial(f);
                let start = first.as_ref().and_then(Value::as_text).unwrap_or("");
                let opt = f
                    .option(start)
                    .unwrap_or_else(|| panic!("{at}: bad default"));
                assert!(opt.available, "{at}: the default is unavailable");
                for o in f.options.iter().filter(|o| !o.available) {
                    assert!(!o.note.trim().is_empty(), "{at}: {} needs a note", o.value);
                }
            } else {
                assert!(f.options.is_empty(), "{at}: only a choice has options");
            }
            if let Some(env) = &f.env {
                assert_eq!(f.kind, FieldKind::Secret, "{at}");
                assert!(SecretRef::valid_env_name(env), "{at}: env {env}");
            }
        }
    }
    assert!(conditions >= 3, "only {conditions} conditions checked");
    // The paths the profile format names are choice fields whose values are components.
    for p in [COMPONENT_PATH, EDITION_PATH] {
        let (_, f) = screens().field(p).unwrap_or_else(|| panic!("{p}"));
        assert_eq!(f.kind, FieldKind::Choice, "{p}");
    }
    let (_, component) = screens().field(COMPONENT_PATH).expect("component field");
    for o in &component.options {
        assert!(
            Component::parse(&o.value).is_some(),
            "component {}",
            o.value
        );
    }
}

#[test]
fn the_registry_rejects_broken_references() {
    let cases = [
        (
            "sync-40-sql.toml",
            "\"hostname\"]",
            "\"hostnam\"]",
            "unknown field rule",
        ),
        (
            "sync-60-groups.toml",
            "[\"groups-distinct\"]",
            "[\"x\"]",
            "unknown screen rule",
        ),
        (
            "sync-40-sql.toml",
            "\"sql.location\"",
            "\"sql.locaton\"",
            "unknown field",
        ),
        (
            "sync-40-sql.toml",
            "is = \"remote\"",
            "is = \"remot\"",
            "not one of its options",
        ),
        (
            "sync-50-service-account.toml",
            "is = \"gmsa\"",
            "is = \"gMSA\"",
            "not one",
        ),
        (
            "sync-40-sql.toml",
            "is = \"named\"",
            "is = true",
            "must test a choice",
        ),
        (
            "sync-20-licence.toml",
            "\"licence.txt\"",
            "\"licenses.txt\"",
            "licence file",
        ),
        (
            "sync-90-finish.toml",
            "order = 90",
            "order = 80",
            "used twice",
        ),
        (
            "sync-90-finish.toml",
            "id = \"finish\"",
            "id = \"summary\"",
            "used twice",
        ),
        (
            "sync-40-sql.toml",
            "default = \"remote\"",
            "default = \"far\"",
            "not an option",
        ),
        (
            "sync-40-sql.toml",
            "id = \"database\"",
            "id = \"server\"",
            "used twice",
        ),
        (
            "sync-10-welcome.toml",
            "components = [\"sync\"]",
            "components = []",
            "empty",
        ),
        (
            "sync-10-welcome.toml",
            "order = 10",
            "order = 10\ncolour = 1",
            "unknown field",
        ),
    ];
    for (file, from, to, want) in cases {
        let files: Vec<(&str, String)> = SCREEN_FILES
            .iter()
            .map(|(n, t)| {
                let t = t.to_string();
                if *n != file {
                    return (*n, t);
                }
                assert!(t.contains(from), "{file} no longer has {from}");
                (*n, t.replacen(from, to, 1))
            })
            .collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
        let e = Screens::from_files(&refs).expect_err(&format!("{file}: {from} -> {to}"));
        let msg = e.to_string();
        assert!(
            msg.contains(want) && msg.contains(file),
            "{from} -> {to}: {msg}"
        );
    }
    // The real files pass the same check.
    Screens::from_files(SCREEN_FILES).expect("the shipped screens");
}

/// Components a user can choose.
fn available_components() -> Vec<Component> {
    let (_, f) = screens().field(COMPONENT_PATH).expect("component field");
    let comps = f.options.iter().filter(|o| o.available);
    comps.filter_map(|o| Component::parse(&o.value)).collect()
}

#[test]
fn every_available_flow_ends_with_a_summary_then_a_finish() {
    assert!(!available_components().is_empty());
    for c in Component::ALL {
        let flow: Vec<&ScreenDef> = screens().flow(c).collect();
        let first = flow.first().expect("a flow has screens");
        assert!(
            first.field("component").is_some(),
            "{c:?} starts with the component"
        );
        if !available_components().contains(&c) {
            continue;
        }
        let kinds: Vec<ScreenKind> = flow.iter().map(|s| s.kind).collect();
        let count = |k| kinds.iter().filter(|x| **x == k).count();
        assert_eq!(count(ScreenKind::Summary), 1, "{c:?}: one summary");
        assert_eq!(count(ScreenKind::Finish), 1, "{c:?}: one finish");
        assert_eq!(kinds.last(), Some(&ScreenKind::Finish), "{c:?}");
        assert_eq!(kinds[kinds.len() - 2], ScreenKind::Summary, "{c:?}");
        for s in &flow[flow.len() - 2..] {
            assert!(
                s.when.is_empty(),
                "{}: summary and finish always show",
                s.id
            );
        }
    }
}

mod flow;
