//! Placeholder injection: only the plan makes `{{secret:NAME}}` and `{{log_dir}}`.
//!
//! Every placeholder form goes into every text value of every shipped profile (both
//! components: the Synchronization Service, and the Service and Portal with each deployment
//! option). The plan must refuse each one with the `no-placeholder` finding on that field,
//! and no secret may ever be filled into an answer. A field the profile's answers hide is not
//! in the plan at all; then the plan must not carry the value.
#![allow(clippy::unwrap_used)]

use mim_setup::apply::exec::fill;
use mim_setup::plan::{build_from_text, PlanError};
use mim_setup::rules::NO_PLACEHOLDER;
use mim_setup::screens::{FieldKind, Screens};
use mim_setup::secret::Secret;
use std::collections::BTreeMap;
use std::path::Path;

/// What a profile value could carry: every placeholder the plan knows, malformed ones, and
/// lone braces.
const FORMS: &[&str] = &[
    "{{secret:mim_service_password}}",
    "{{secret:sync_service_password}}",
    "{{secret:sspr_registration_password}}",
    "{{secret:sspr_reset_password}}",
    "{{secret:mim_service_mailbox_password}}",
    "{{secret:mailbox_app_client_secret}}",
    "{{secret:x}}",
    "{{log_dir}}",
    "{{ log_dir }}",
    "{{secret:}}",
    "{{",
    "}}",
];

const CANARY: &str = "Canary-Secret-Filled";

/// `(section.key, value)` for every string in the profile's sections.
fn text_values(profile: &toml::Table) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (section, v) in profile {
        let Some(table) = v.as_table() else { continue };
        for (key, v) in table {
            if let Some(s) = v.as_str() {
                out.push((format!("{section}.{key}"), s.to_string()));
            }
        }
    }
    out
}

fn with_value(profile: &toml::Table, path: &str, value: &str) -> String {
    let (section, key) = path.split_once('.').unwrap();
    let mut p = profile.clone();
    p.get_mut(section)
        .and_then(|s| s.as_table_mut())
        .unwrap()
        .insert(key.to_string(), toml::Value::String(value.to_string()));
    toml::to_string(&p).unwrap()
}

#[test]
fn no_profile_value_can_make_a_placeholder() {
    let screens = Screens::embedded().unwrap();
    let mut profiles: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/profiles"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    profiles.sort();
    assert_eq!(profiles.len(), 12, "the shipped profiles");
    let (mut refused, mut hidden) = (0, 0);
    for file in &profiles {
        let text = std::fs::read_to_string(file).unwrap();
        let profile: toml::Table = text.parse().unwrap();
        // Text fields: a choice's value is refused at load unless it is one of its options.
        let values: Vec<_> = text_values(&profile)
            .into_iter()
            .filter(|(p, _)| matches!(screens.field(p), Some((_, f)) if f.kind == FieldKind::Text))
            .collect();
        assert!(values.len() > 10, "{}: text values", file.display());
        for (path, original) in &values {
            for form in FORMS {
                for value in [form.to_string(), format!("{original}{form}")] {
                    let case = format!("{}: {path} = {value:?}", file.display());
                    match build_from_text(screens, &with_value(&profile, path, &value), "p.toml") {
                        Err(PlanError::Blocked(found)) => {
                            let f = found
                                .iter()
                                .find(|f| f.field.as_deref() == Some(path.as_str()))
                                .unwrap_or_else(|| {
                                    panic!("{case}: no finding on the field: {found:?}")
                                });
                            assert!(f.check == NO_PLACEHOLDER, "{case}: {f:?}");
                            refused += 1;
                        }
                        Ok(plan) => {
                            // A field these answers hide: the plan must not carry it.
                            let shown = plan.canonical_toml();
                            assert!(!shown.contains(value.as_str()), "{case}: in the plan");
                            let secrets: BTreeMap<String, Secret> = plan
                                .secrets
                                .keys()
                                .map(|k| (k.clone(), Secret::new(CANARY)))
                                .collect();
                            for step in &plan.steps {
                                for arg in &step.argv {
                                    let filled = fill(arg, Path::new("C:\\logs"), &secrets);
                                    if filled.contains(CANARY) {
                                        let (name, rest) = arg.split_once('=').unwrap();
                                        assert!(
                                            rest.starts_with("{{secret:")
                                                && step.properties.iter().any(|p| p.name == name),
                                            "{case}: a secret filled into {arg}"
                                        );
                                    }
                                }
                            }
                            hidden += 1;
                        }
                        Err(e) => panic!("{case}: {e}"),
                    }
                }
            }
        }
    }
    assert!(
        refused > 1000 && hidden < refused,
        "{refused} refused, {hidden} hidden"
    );
}
