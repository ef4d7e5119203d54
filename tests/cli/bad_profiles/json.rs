//! `validate --json` on bad profiles: findings with their fields and locations, and unusable
//! input as located errors.
use super::{rel, run};

#[test]
fn json_reports_findings_with_their_fields() {
    for (name, check, field) in [
        ("sql-server-with-port", "sql-server-port", "sql.server"),
        (
            "account-too-long",
            "account-name-length",
            "service_account.name",
        ),
        ("groups-duplicate", "groups-distinct", "groups.operators"),
        ("required-field-missing", "required", "sql.server"),
    ] {
        let o = run(&["validate", "--json", &rel(name)]);
        assert_eq!(o.status.code(), Some(1), "{name}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
        assert_eq!(v["file"].as_str(), Some(rel(name).as_str()));
        assert_eq!(v["ok"].as_bool(), Some(false));
        let findings = v["findings"].as_array().unwrap();
        let f = findings
            .iter()
            .find(|f| f["check"].as_str() == Some(check))
            .unwrap_or_else(|| panic!("{name}: no {check} in {v}"));
        assert_eq!(f["field"].as_str(), Some(field), "{name}");
        assert!(matches!(f["severity"].as_str(), Some("error" | "warning")));
        for key in ["message", "why", "fix", "ack_key"] {
            assert!(
                f[key].as_str().is_some_and(|s| !s.is_empty()),
                "{name}: {key} in {f}"
            );
        }
        assert!(f["line"].as_u64().is_some_and(|l| l >= 1), "{name}: {f}");
        assert!(f["column"].as_u64().is_some_and(|c| c >= 1), "{name}: {f}");
        assert_eq!(
            f["ack_key"].as_str(),
            Some(format!("{check}@{field}").as_str())
        );
        assert!(f["acknowledged"].is_boolean());
    }
}

#[test]
fn json_reports_unusable_input_as_located_errors() {
    for (name, key) in [
        ("unknown-field-typo", Some("sql.sevrer")),
        ("secret-in-clear", Some("service_account.password")),
        ("malformed-unclosed-string", None),
    ] {
        let o = run(&["validate", "--json", &rel(name)]);
        assert_eq!(o.status.code(), Some(2), "{name}");
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON on stdout");
        assert_eq!(v["ok"].as_bool(), Some(false));
        assert_eq!(v["unusable"].as_bool(), Some(true));
        let e = &v["errors"][0];
        assert_eq!(e["file"].as_str(), Some(rel(name).as_str()));
        assert!(e["line"].as_u64().is_some_and(|l| l >= 1), "{name}: {e}");
        assert!(e["column"].as_u64().is_some_and(|c| c >= 1), "{name}: {e}");
        assert_eq!(e["key"].as_str(), key, "{name}");
        assert!(e["message"].as_str().is_some_and(|s| !s.is_empty()));
        assert!(e["fix"].as_str().is_some_and(|s| !s.is_empty()));
    }
}
