//! `mim-setup schema`: every shipped profile is valid against it; a wrong key, a wrong type,
//! an unknown choice and a secret in clear are not.
use serde_json::Value;
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn schema() -> jsonschema::Validator {
    let o = Command::new(BIN)
        .arg("schema")
        .output()
        .expect("run mim-setup");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: Value = serde_json::from_slice(&o.stdout).expect("the schema is JSON");
    jsonschema::draft202012::new(&v).expect("a valid JSON Schema")
}

/// A profile's TOML as the JSON value an editor's TOML support checks.
fn profile(text: &str) -> Value {
    let t: toml::Value = toml::from_str(text).expect("TOML");
    serde_json::to_value(t).expect("as JSON")
}

fn errors(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn every_shipped_profile_is_valid_against_the_schema() {
    let v = schema();
    let mut n = 0;
    for entry in std::fs::read_dir(Path::new(ROOT).join("profiles")).expect("profiles/") {
        let path = entry.expect("entry").path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let doc = profile(&std::fs::read_to_string(&path).expect("read"));
        let errs = errors(&v, &doc);
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
        n += 1;
    }
    assert_eq!(n, 12, "the twelve shipped profiles");
}

#[test]
fn a_wrong_key_type_choice_or_clear_secret_is_rejected() {
    let v = schema();
    let good =
        std::fs::read_to_string(Path::new(ROOT).join("profiles/contoso-sync.toml")).expect("read");
    assert!(errors(&v, &profile(&good)).is_empty());
    // An acknowledgement with its reason is valid, as the loader reads it.
    let with_reason = good.replacen(
        "\"service-account-logon-rights@service_account.name\",",
        "{ warning = \"service-account-logon-rights@service_account.name\", reason = \"setup shows it; OK as in the walkthrough\" },",
        1,
    );
    assert_ne!(with_reason, good);
    assert!(errors(&v, &profile(&with_reason)).is_empty());
    let long = format!(
        "{{ warning = \"service-account-logon-rights@service_account.name\", reason = \"{}\" }},",
        "x".repeat(201)
    );
    for (what, from, to) in [
        ("unknown key", "[sql]\n", "[sql]\nservr = \"x\"\n"),
        (
            "unknown table",
            "[sql]\n",
            "[sqll]\nserver = \"x\"\n[sql]\n",
        ),
        (
            "text as a number",
            "server = \"corpsql.contoso.com\"",
            "server = 5",
        ),
        (
            "unknown choice",
            "location = \"remote\"",
            "location = \"far\"",
        ),
        ("checkbox as text", "accepted = true", "accepted = \"yes\""),
        (
            "secret in clear",
            "password = { env = \"MIM_SYNC_PASSWORD\" }",
            "password = \"Pa55w0rd\"",
        ),
        (
            "secret with two forms",
            "password = { env = \"MIM_SYNC_PASSWORD\" }",
            "password = { env = \"MIM_SYNC_PASSWORD\", prompt = true }",
        ),
        (
            "unknown top key",
            "schema_version = 1",
            "schema_version = 1\nfavourite = 2",
        ),
        ("other version", "schema_version = 1", "schema_version = 2"),
        (
            "acknowledgement without its warning",
            "\"service-account-logon-rights@service_account.name\",",
            "{ reason = \"walkthrough\" },",
        ),
        (
            "acknowledgement with an unknown key",
            "\"service-account-logon-rights@service_account.name\",",
            "{ warning = \"service-account-logon-rights@service_account.name\", resaon = \"x\" },",
        ),
        (
            "reason on two lines",
            "\"service-account-logon-rights@service_account.name\",",
            "{ warning = \"service-account-logon-rights@service_account.name\", reason = \"a\\nb\" },",
        ),
        (
            "reason too long",
            "\"service-account-logon-rights@service_account.name\",",
            long.as_str(),
        ),
    ] {
        assert!(good.contains(from), "{what}: fixture has no {from}");
        let bad = good.replacen(from, to, 1);
        assert!(
            !errors(&v, &profile(&bad)).is_empty(),
            "{what}: accepted by the schema"
        );
    }
}
