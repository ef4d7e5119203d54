//! Golden plans of the shipped Contoso profiles, and the plan's promises: the profile's hash,
//! secrets as references only, confirmed and unconfirmed MSI properties, and (in
//! `plans/quoting.rs`) msiexec and argument quoting, end to end.
//!
//! The goldens are what `mim-setup plan profiles/NAME.toml -o FILE` writes, run from the crate
//! root so that the recorded profile path is stable. Regenerate after a deliberate change with
//! `UPDATE_EXPECTED=1 cargo test --test cli plans` and review the diff.
#![allow(clippy::unwrap_used)]

mod quoting;
mod service;

use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Set as the password's environment variable while planning: it must never reach a plan.
const CANARY: &str = "Canary-Plan-Secret-7 \"x\"";

fn mim_setup(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(ROOT)
        .env("MIM_SYNC_PASSWORD", CANARY)
        .env("MIM_SERVICE_PASSWORD", CANARY)
        .env("MIM_SERVICE_MAILBOX_PASSWORD", CANARY)
        .env("MIM_APP_CLIENT_SECRET", CANARY)
        .env("MIM_SSPR_REGISTRATION_PASSWORD", CANARY)
        .env("MIM_SSPR_RESET_PASSWORD", CANARY)
        .output()
        .expect("run mim-setup")
}

/// `plan PROFILE -o FILE` into a temp folder: the written plan, checked to equal what the
/// same command prints without `-o`.
pub fn plan(profile: &str, json: bool) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir
        .path()
        .join(if json { "p.plan.json" } else { "p.plan.toml" });
    let mut args = vec!["plan", profile, "-o", out.to_str().unwrap()];
    if json {
        args.push("--json");
    }
    let o = mim_setup(&args);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(o.stdout.is_empty(), "-o writes nothing to stdout");
    assert!(stderr.contains("plan written to"), "{stderr}");
    let written = std::fs::read_to_string(&out).unwrap();
    // Only the plan is left in the folder: no temporary file of the atomic write.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    args.truncate(2);
    if json {
        args.push("--json");
    }
    let printed = mim_setup(&args);
    assert_eq!(printed.status.code(), Some(0));
    assert_eq!(String::from_utf8(printed.stdout).unwrap(), written);
    assert!(!written.contains("Canary-Plan-Secret"), "{written}");
    written
}

pub fn golden(name: &str, got: &str) {
    super::golden(name, got);
}

fn sha256_of(file: &str) -> String {
    let bytes = std::fs::read(Path::new(ROOT).join(file)).unwrap();
    Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
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

/// The JSON plan holds the same data as the TOML plan.
#[test]
fn json_and_toml_plans_agree() {
    let toml_plan: toml::Value =
        toml::from_str(&plan("profiles/contoso-sync.toml", false)).unwrap();
    let json_plan: serde_json::Value =
        serde_json::from_str(&plan("profiles/contoso-sync.toml", true)).unwrap();
    let as_json = serde_json::to_value(&toml_plan).unwrap();
    assert_eq!(as_json, json_plan);
}

#[test]
fn plan_records_the_profile_hash() {
    for name in ["contoso-sync", "contoso-sync-gmsa"] {
        let file = format!("profiles/{name}.toml");
        let v: toml::Value = toml::from_str(&plan(&file, false)).unwrap();
        assert_eq!(v["profile"]["path"].as_str(), Some(file.as_str()));
        assert_eq!(
            v["profile"]["sha256"].as_str(),
            Some(sha256_of(&file).as_str()),
            "{name}"
        );
        assert_eq!(v["schema_version"].as_integer(), Some(1));
        assert_eq!(v["component"].as_str(), Some("sync"));
    }
}

/// Every `{{secret:NAME}}` in a command has a reference under `[secrets]`, each reference is
/// used, and no value looks like a password written out.
pub fn secret_placeholders(text: &str) -> std::collections::BTreeSet<String> {
    text.match_indices("{{secret:")
        .map(|(i, _)| {
            let rest = &text[i + "{{secret:".len()..];
            rest[..rest.find("}}").unwrap()].to_string()
        })
        .collect()
}

/// The plan without its header comment (which explains the placeholders).
pub fn body(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn secrets_appear_only_as_references() {
    let text = body(&plan("profiles/contoso-sync.toml", false));
    let v: toml::Value = toml::from_str(&text).unwrap();
    let secrets = v["secrets"].as_table().unwrap();
    assert_eq!(secrets.len(), 1);
    let reference = secrets["sync_service_password"].as_table().unwrap();
    assert_eq!(reference.len(), 1);
    assert_eq!(reference["env"].as_str(), Some("MIM_SYNC_PASSWORD"));
    let used = secret_placeholders(&text);
    let declared: std::collections::BTreeSet<String> = secrets.keys().cloned().collect();
    assert_eq!(used, declared);
    for step in v["steps"].as_array().unwrap() {
        let command = step.get("command").and_then(|c| c.as_str()).unwrap_or("");
        let listed: std::collections::BTreeSet<String> = step
            .get("secrets")
            .and_then(|s| s.as_array())
            .map(|a| a.iter().map(|s| s.as_str().unwrap().to_string()).collect())
            .unwrap_or_default();
        assert_eq!(
            secret_placeholders(command),
            listed,
            "step {} lists the secrets its command uses",
            step["id"]
        );
    }
    let install = &v["steps"][0];
    let argv: Vec<&str> = install["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert!(argv.contains(&"SERVICEPASSWORD={{secret:sync_service_password}}"));
    let export = &v["steps"][3];
    assert_eq!(export["id"].as_str(), Some("export-encryption-key"));
    assert!(export["command"]
        .as_str()
        .unwrap()
        .contains(r"/u:contoso\MIMSync {{secret:sync_service_password}} /q"));
}

fn install_step(v: &toml::Value) -> &toml::Value {
    let install = &v["steps"][0];
    assert_eq!(install["id"].as_str(), Some("install-sync-service"));
    assert_eq!(install["kind"].as_str(), Some("msiexec"));
    install
}

pub fn property<'a>(install: &'a toml::Value, name: &str) -> Option<&'a toml::Value> {
    install["properties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"].as_str() == Some(name))
}

#[test]
fn msiexec_step_and_its_properties() {
    for name in ["contoso-sync", "contoso-sync-gmsa"] {
        let text = plan(&format!("profiles/{name}.toml"), false);
        let v: toml::Value = toml::from_str(&text).unwrap();
        let install = install_step(&v);
        let command = install["command"].as_str().unwrap();
        assert!(
            command.starts_with(
                r#"msiexec.exe /i "Synchronization Service.msi" /qn /L*v {{log_dir}}\install-sync-service.log "#
            ),
            "{command}"
        );
        assert_eq!(
            install["working_dir"].as_str(),
            Some(r"D:\Synchronization Service")
        );
        // Each property is on the command line, quoted, and in argv, raw, in the same order.
        let argv = install["argv"].as_array().unwrap();
        let props = install["properties"].as_array().unwrap();
        assert_eq!(argv.len(), 6 + props.len());
        for (p, arg) in props.iter().zip(&argv[6..]) {
            let (n, val) = (p["name"].as_str().unwrap(), p["value"].as_str().unwrap());
            assert_eq!(arg.as_str(), Some(format!("{n}={val}").as_str()));
            let quoted = mim_setup::plan::msi_property(n, val).unwrap();
            assert!(
                command.contains(&format!(" {quoted}")),
                "{quoted} in {command}"
            );
            assert!(p["source"].as_str().is_some_and(|s| !s.is_empty()), "{n}");
        }
        for (n, want) in [
            ("ACCEPT_EULA", "1"),
            ("STORESERVER", "corpsql.contoso.com"),
            ("SQLDB", "FIMSynchronizationService"),
            ("SERVICEDOMAIN", "contoso"),
            ("GROUPADMINS", r"contoso\MIMSyncAdmins"),
            ("GROUPOPERATORS", r"contoso\MIMSyncOperators"),
            ("GROUPACCOUNTJOINERS", r"contoso\MIMSyncJoiners"),
            ("GROUPBROWSE", r"contoso\MIMSyncBrowse"),
            ("GROUPPASSWORDSET", r"contoso\MIMSyncPasswordReset"),
            ("FIREWALL_CONF", "1"),
            (
                "INSTALLDIR",
                r"C:\Program Files\Microsoft Forefront Identity Manager\2010\",
            ),
        ] {
            let p = property(install, n).unwrap_or_else(|| panic!("{name}: no {n}"));
            assert_eq!(p["value"].as_str(), Some(want), "{name}: {n}");
            assert_eq!(p["confirmed"].as_bool(), Some(true), "{name}: {n}");
        }
        // A default instance has no SQLINSTANCE (facts §1: named instances only).
        assert!(property(install, "SQLINSTANCE").is_none());
        // SQLServerStore is a private property whose command-line use is disputed.
        let store = property(install, "SQLServerStore").unwrap();
        assert_eq!(store["value"].as_str(), Some("RemoteMachine"));
        assert_eq!(store["confirmed"].as_bool(), Some(false));
        assert!(store["note"].as_str().unwrap().contains("disputed"));
        let notes = v["notes"].as_array().unwrap();
        assert!(notes.iter().any(|n| n
            .as_str()
            .unwrap()
            .starts_with("SQLServerStore: not publicly confirmed")));
        // Every unconfirmed property is repeated in the notes.
        for p in install["properties"].as_array().unwrap() {
            if p["confirmed"].as_bool() == Some(false) {
                let n = p["name"].as_str().unwrap();
                assert!(
                    notes.iter().any(|x| x.as_str().unwrap().starts_with(n)),
                    "{n}"
                );
            }
        }
        let ids: Vec<&str> = v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            ids,
            [
                "install-sync-service",
                "verify-sync-service",
                "create-key-backup-folder",
                "export-encryption-key",
                "sign-out-for-group-membership"
            ]
        );
        // The service is checked before its key is exported.
        let export = v["steps"][3]["command"].as_str().unwrap();
        assert!(export.starts_with(r#""C:\Program Files\Microsoft Forefront Identity Manager\2010\Synchronization Service\Bin\miiskmu.exe" /e C:\MIMBackup\MIMSyncKey.bin "#), "{export}");
        assert_eq!(v["steps"][4]["kind"].as_str(), Some("manual"));
    }
}

#[test]
fn a_gmsa_plan_has_no_password() {
    let text = body(&plan("profiles/contoso-sync-gmsa.toml", false));
    let v: toml::Value = toml::from_str(&text).unwrap();
    let install = install_step(&v);
    assert!(property(install, "SERVICEPASSWORD").is_none());
    assert!(!text.contains("SERVICEPASSWORD"), "{text}");
    assert!(!text.contains("{{secret:"), "{text}");
    assert!(v["secrets"].as_table().unwrap().is_empty());
    for step in v["steps"].as_array().unwrap() {
        assert!(step.get("secrets").is_none(), "{}", step["id"]);
    }
    assert_eq!(
        property(install, "SERVICEACCOUNT").unwrap()["value"].as_str(),
        Some("MIMSync$")
    );
    let notes = v["notes"].as_array().unwrap();
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("4.5.26.0")));
}

/// The regular plan's password: one secret, read from the environment at install time.
#[test]
fn the_regular_plan_keeps_one_password_reference() {
    let v: toml::Value = toml::from_str(&plan("profiles/contoso-sync.toml", false)).unwrap();
    let install = install_step(&v);
    let p = property(install, "SERVICEPASSWORD").unwrap();
    assert_eq!(
        p["value"].as_str(),
        Some("{{secret:sync_service_password}}")
    );
    assert_eq!(p["from"].as_str(), Some("service_account.password"));
    assert_eq!(
        property(install, "SERVICEACCOUNT").unwrap()["value"].as_str(),
        Some("MIMSync")
    );
}
