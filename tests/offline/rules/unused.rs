//! `src/rules/unused.rs`: answers a profile gives that the flow does not show, one table over
//! the shipped profiles with one answer added or changed.
use super::*;
use mim_setup::profile::load_file;
use mim_setup::rules::unused::{unused_answers, CHECK};
use std::path::Path;

fn shipped(name: &str) -> Answers {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("profiles")
        .join(name);
    load_file(&file, screens(), false).unwrap().profile.answers
}

fn unused(a: &Answers) -> Vec<Finding> {
    let component = mim_setup::screens::Component::parse(a.text("setup.component")).unwrap();
    unused_answers(screens(), component, a)
}

#[test]
fn no_shipped_profile_has_an_answer_the_flow_does_not_show() {
    for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles")).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().to_string();
        let found = unused(&shipped(&name));
        assert!(found.is_empty(), "{name}: {found:?}");
    }
}

/// The unused field (or section), words of the message, and words of the evidence.
type Want3 = Option<(&'static str, &'static str, &'static str)>;
/// The answers a row sets.
type Answers3 = Vec<(&'static str, Value)>;

#[test]
fn an_answer_the_flow_does_not_show_is_a_warning_naming_the_answer_that_hides_it() {
    let vl = "contoso-service-portal.toml";
    let aadp = "contoso-aadp-option-a.toml";
    let sync = "contoso-sync.toml";
    // (profile, answers set, the unused field, words of the message, the evidence)
    let rows: Vec<(&str, Answers3, Want3)> = vec![
        // A whole screen hidden: the Azure AD Premium screens in a Volume License profile.
        (vl, vec![("cloud.instance", text("global"))], Some(("cloud", "[cloud] is not used: it is shown only when `edition` is \"azure-ad-premium\"; its answers `instance` are not used", "the profile has `edition = \"volume-license\"`"))),
        (vl, vec![("tenant.domain", text("contoso.onmicrosoft.com"))], Some(("tenant", "[tenant] is not used: it is shown only when `edition` is \"azure-ad-premium\"", "`edition = \"volume-license\"`"))),
        // A whole section with several answers: one finding, naming them.
        (vl, vec![("features.service", Value::Bool(false))], Some(("mail", "[mail] is not used: it is shown only when `features.service` is true; its answers `auth`, `gmsa`, `poll_exchange`, `server`, `server_type`, `use_ssl` are not used", "`features.service = false`"))),
        // A field hidden by another answer of its screen.
        (vl, vec![("mail.server_type", text("none")), ("mail.server", text("mail.contoso.com"))], Some(("mail.server", "this field is shown only when `mail.server_type` is \"exchange\" or \"smtp\"", "the profile has `mail.server_type = \"none\"`"))),
        (vl, vec![("certificate.thumbprint", text("3B8F2A1C9D0E4F5A6B7C8D9E0F1A2B3C4D5E6F70"))], Some(("certificate.thumbprint", "shown only when `certificate.source` is \"existing\"", "`certificate.source = \"generate\"`"))),
        // A screen hidden by its second condition.
        (vl, vec![("features.reporting", Value::Bool(false)), ("reporting.scsm_server", text("corpscsm"))], Some(("reporting", "it is shown only when `features.reporting` is true; its answers `scsm_server` are not used", "`features.reporting = false`"))),
        // A field hidden by a checkbox.
        (vl, vec![("mail.gmsa", Value::Bool(true))], Some(("mim_service.password", "shown only when `mail.gmsa` is false", "`mail.gmsa = true`"))),
        // The live checks screen: a SQL login with Windows authentication.
        (sync, vec![("checks.sql_login", text("sa"))], Some(("checks.sql_login", "shown only when `checks.sql_auth` is \"sql\"", "`checks.sql_auth = \"integrated\"`"))),
        // Shown answers are used: no finding.
        (aadp, vec![("cloud.instance", text("global"))], None),
        (vl, vec![("mail.server", text("mail2.contoso.com"))], None),
        (vl, vec![], None),
    ];
    for (profile, set, want) in rows {
        let mut a = shipped(profile);
        for (k, v) in &set {
            a.set(*k, v.clone());
        }
        let found = unused(&a);
        match want {
            None => assert!(found.is_empty(), "{profile} {set:?}: {found:?}"),
            Some((field, words, evidence)) => {
                let f = found
                    .iter()
                    .find(|f| f.field.as_deref() == Some(field))
                    .unwrap_or_else(|| {
                        panic!("{profile} {set:?}: no finding on {field}: {found:?}")
                    });
                assert_eq!(f.check, CHECK);
                assert_eq!(f.severity, Severity::Warning);
                // A hidden field is named; a hidden section once, on the section.
                let (named, removed) = match field.contains('.') {
                    true => (
                        format!("`{field}` is not used"),
                        format!("Remove `{field}`"),
                    ),
                    false => (
                        format!("[{field}] is not used"),
                        format!("Remove the [{field}] section"),
                    ),
                };
                assert!(f.message.contains(&named), "{}", f.message);
                assert!(f.message.contains(words), "{}", f.message);
                let e = f.evidence.clone().unwrap_or_default();
                assert!(e.contains(evidence), "{e}");
                assert!(f.fix.contains(&removed), "{}", f.fix);
                assert_eq!(
                    found
                        .iter()
                        .filter(|f| f.field.as_deref().is_some_and(|x| x.starts_with(field)))
                        .count(),
                    1,
                    "{found:?}"
                );
                well_formed(f).unwrap();
            }
        }
    }
}
