//! `src/rules/relations.rs`: rules that relate several answers (account kind and name,
//! distinct groups, the service-account warning) through `screen_rule`, and the licence.
use super::*;
use mim_setup::answers::Value;
use mim_setup::rules::evaluate_flow;
use mim_setup::rules::screen_rule;
use mim_setup::screens::Component;
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

#[test]
fn licence_must_be_accepted() {
    let p = "licence.accepted";
    let rows = [
        (Value::Bool(true), OK),
        (Value::Bool(false), err("licence-not-accepted")),
        (text("true"), err("licence-not-accepted")),
        (text("yes"), err("licence-not-accepted")),
        (
            Value::Secret(SecretRef::Prompt),
            err("licence-not-accepted"),
        ),
    ];
    for (value, want) in rows {
        let got = run_field_rule("licence-accepted", p, &value);
        compare(&got, want, p).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    }
}
