//! Golden plans of the shipped Contoso profiles, and the plan's promises: the profile's hash,
//! secrets as references only, confirmed and unconfirmed MSI properties, msiexec quoting.
//! Regenerate after a deliberate change with `UPDATE_EXPECTED=1 cargo test --test plans`.
#![allow(clippy::unwrap_used)]

use mim_setup::plan::msiexec::{msi_property, quote_arg};
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn plan(profile: &str, json: bool) -> String {
    let mut args = vec!["plan", profile];
    if json {
        args.push("--json");
    }
    let o = Command::new(BIN)
        .args(&args)
        .current_dir(ROOT)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn golden(name: &str, got: &str) {
    let path = Path::new(ROOT).join("tests/golden").join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap();
    assert_eq!(got, want, "{name} differs from the golden file");
}

#[test]
fn golden_plans_of_the_contoso_profiles() {
    golden(
        "contoso-sync.plan.toml",
        &plan("profiles/contoso-sync.toml", false),
    );
    golden(
        "contoso-sync-gmsa.plan.toml",
        &plan("profiles/contoso-sync-gmsa.toml", false),
    );
    golden(
        "contoso-sync.plan.json",
        &plan("profiles/contoso-sync.toml", true),
    );
}

#[test]
fn plan_records_the_profile_hash_and_keeps_secrets_as_references() {
    for name in ["contoso-sync", "contoso-sync-gmsa"] {
        let file = format!("profiles/{name}.toml");
        let text = plan(&file, false);
        let bytes = std::fs::read(Path::new(ROOT).join(&file)).unwrap();
        let hash: String = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        let v: toml::Value = toml::from_str(&text).unwrap();
        assert_eq!(
            v["profile"]["sha256"].as_str(),
            Some(hash.as_str()),
            "{name}"
        );
        assert!(!text.contains("Pass@word1"), "{name}");
        let steps = v["steps"].as_array().unwrap();
        let install = &steps[0];
        assert_eq!(install["id"].as_str(), Some("install-sync-service"));
        let command = install["command"].as_str().unwrap();
        assert!(
            command.starts_with("msiexec.exe /i \"Synchronization Service.msi\" /qn /L*v "),
            "{command}"
        );
        let props = install["properties"].as_array().unwrap();
        let prop = |n: &str| props.iter().find(|p| p["name"].as_str() == Some(n));
        let store = prop("SQLServerStore").unwrap();
        assert_eq!(store["confirmed"].as_bool(), Some(false));
        assert!(text.contains("SQLServerStore: not publicly confirmed"));
        assert_eq!(
            prop("STORESERVER").unwrap()["value"].as_str(),
            Some("corpsql.contoso.com")
        );
        assert!(steps.iter().any(|s| s["command"]
            .as_str()
            .is_some_and(|c| c.contains("miiskmu.exe"))));
        assert!(steps.iter().any(|s| s["kind"].as_str() == Some("manual")));
        if name.ends_with("gmsa") {
            assert!(prop("SERVICEPASSWORD").is_none(), "a gMSA has no password");
            assert!(v
                .get("secrets")
                .is_none_or(|s| s.as_table().unwrap().is_empty()));
            assert_eq!(
                prop("SERVICEACCOUNT").unwrap()["value"].as_str(),
                Some("MIMSync$")
            );
        } else {
            assert_eq!(
                prop("SERVICEPASSWORD").unwrap()["value"].as_str(),
                Some("{{secret:sync_service_password}}")
            );
            assert_eq!(
                v["secrets"]["sync_service_password"]["env"].as_str(),
                Some("MIM_SYNC_PASSWORD")
            );
        }
    }
}

/// msiexec reads `NAME=value`; a value with spaces or special characters goes in double
/// quotes, and a double quote inside is doubled. Line breaks and NUL cannot be passed.
#[test]
fn msiexec_properties_are_quoted_by_msiexec_rules() {
    let rows: &[(&str, &str)] = &[
        ("plain", "P=plain"),
        ("", "P=\"\""),
        ("C:\\Program Files\\MIM\\", "P=\"C:\\Program Files\\MIM\\\""),
        ("say \"hi\"", "P=\"say \"\"hi\"\"\""),
        ("100%", "P=\"100%\""),
        ("a;b", "P=\"a;b\""),
        ("contoso\\MIMSyncAdmins", "P=contoso\\MIMSyncAdmins"),
        ("Üser", "P=Üser"),
        ("a&b", "P=\"a&b\""),
    ];
    for (value, want) in rows {
        assert_eq!(msi_property("P", value).unwrap(), *want, "{value:?}");
    }
    assert!(msi_property("P", "a\nb").is_err());
    assert!(msi_property("P", "a\rb").is_err());
    assert!(msi_property("P", "a\0b").is_err());
}

/// Ordinary arguments follow the rules CommandLineToArgvW reads back.
#[test]
fn arguments_are_quoted_for_command_line_to_argv() {
    let rows: &[(&str, &str)] = &[
        ("plain", "plain"),
        ("", "\"\""),
        ("two words", "\"two words\""),
        ("C:\\dir with space\\", "\"C:\\dir with space\\\\\""),
        ("a\"b", "\"a\\\"b\""),
        ("a\\\"b", "\"a\\\\\\\"b\""),
    ];
    for (arg, want) in rows {
        assert_eq!(quote_arg(arg), *want, "{arg:?}");
    }
}

#[test]
fn hostile_values_reach_the_plan_quoted() {
    let text = std::fs::read_to_string(Path::new(ROOT).join("profiles/contoso-sync.toml"))
        .unwrap()
        .replace(
            "folder = 'C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\'",
            "folder = 'C:\\MIM 100% ready;x\\'",
        );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    std::fs::write(&file, text).unwrap();
    let out = plan(file.to_str().unwrap(), false);
    let v: toml::Value = toml::from_str(&out).unwrap();
    let install = &v["steps"].as_array().unwrap()[0];
    let command = install["command"].as_str().unwrap();
    assert!(
        command.contains("INSTALLDIR=\"C:\\MIM 100% ready;x\\\""),
        "{command}"
    );
    let argv: Vec<&str> = install["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(
        argv.contains(&"INSTALLDIR=C:\\MIM 100% ready;x\\"),
        "{argv:?}"
    );
}
