//! `mim-setup export`: golden exports of the Contoso plans in all three formats, secrets as
//! references only (a canary secret in the environment reaches no export), the reviewer's
//! Markdown holds everything the plan holds, bad input exits 2 with a clear message, and (in
//! `export/quoting.rs`) hostile values round-trip through the PowerShell script.
//!
//! The goldens under `tests/golden/export/` are what `mim-setup export tests/golden/NAME.plan.toml
//! --format F -o OUT` writes, run from the crate root. Regenerate after a deliberate change
//! with `UPDATE_EXPECTED=1 cargo test --test cli export` and review the diff.
mod input;
mod quoting;

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// Set as every secret's environment variable: it must never reach an export.
const CANARY: &str = "Canary-Export-Secret-9 'x' \"y\"";
/// The plans exported to goldens: both Sync plans, the Service plan, options C and H.
const GOLDEN: [&str; 5] = [
    "contoso-sync",
    "contoso-sync-gmsa",
    "contoso-service-portal",
    "contoso-aadp-option-c",
    "contoso-aadp-option-h",
];

pub fn mim_setup(args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).current_dir(ROOT);
    for env in super::SECRET_VARS {
        cmd.env(env, CANARY);
    }
    cmd.output().expect("run mim-setup")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `export PLAN --format F -o DIR/`: every file written, by name, after checking that
/// nothing went to standard output and no secret anywhere.
pub fn export(plan: &str, format: &str) -> Vec<(String, String)> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    std::fs::create_dir(&out).expect("out dir");
    let o = mim_setup(&[
        "export",
        plan,
        "--format",
        format,
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(o.stdout.is_empty(), "-o writes nothing to stdout");
    assert!(!stderr.contains("Canary-Export"), "{stderr}");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&out)
        .expect("read out")
        .map(|e| {
            let e = e.expect("entry");
            let name = e.file_name().to_string_lossy().into_owned();
            (
                name,
                std::fs::read_to_string(e.path()).expect("read export"),
            )
        })
        .collect();
    files.sort();
    for (name, body) in &files {
        assert!(!body.contains("Canary-Export"), "{name} holds the canary");
        assert!(
            !name.starts_with(".mim-setup-"),
            "a temporary file was left: {name}"
        );
    }
    files
}

/// The golden file `tests/golden/export/REL` (see `super::golden`).
fn golden(rel: &str, got: &str) {
    super::golden(&format!("export/{rel}"), got);
}

/// A hand-made plan (JSON) sealed with its integrity hash, as `mim-setup plan` would seal it,
/// so that it passes the strict plan reader and reaches the exporters' own checks.
pub fn seal(plan: &serde_json::Value) -> String {
    let mut p: mim_setup::plan::Plan =
        serde_json::from_value(plan.clone()).expect("a plan the strict reader reads");
    p.integrity = None;
    let sha256 = p.content_sha256();
    p.integrity = Some(mim_setup::plan::Integrity { sha256 });
    serde_json::to_string_pretty(&p).expect("json")
}

pub fn plan_path(name: &str) -> String {
    format!("tests/golden/{name}.plan.toml")
}

fn plan_value(name: &str) -> toml::Value {
    let text = std::fs::read_to_string(Path::new(ROOT).join(plan_path(name))).expect("plan");
    toml::from_str(&text).expect("plan parses")
}

#[test]
fn golden_exports_of_the_contoso_plans() {
    for name in GOLDEN {
        let plan = plan_path(name);
        let ps = export(&plan, "powershell");
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].0, format!("{name}.ps1"));
        golden(&format!("{name}.ps1"), &ps[0].1);
        let md = export(&plan, "markdown");
        assert_eq!(md[0].0, format!("{name}.md"));
        golden(&format!("{name}.md"), &md[0].1);
        let ansible = export(&plan, "ansible");
        let names: Vec<&str> = ansible.iter().map(|(n, _)| n.as_str()).collect();
        let playbook = format!("{name}.yml");
        assert_eq!(names, vec![playbook.as_str(), "inventory.yml"]);
        for (file, body) in &ansible {
            golden(&format!("ansible/{name}/{file}"), body);
        }
        // Without -o, one-file formats print exactly the file.
        let o = mim_setup(&["export", &plan, "--format", "powershell"]);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(text(&o.stdout), ps[0].1);
    }
}

#[test]
fn json_plans_export_like_toml_plans() {
    for name in ["contoso-sync", "contoso-service-portal"] {
        for format in ["powershell", "ansible", "markdown"] {
            let toml_files = export(&plan_path(name), format);
            let json_files = export(&format!("tests/golden/{name}.plan.json"), format);
            assert_eq!(toml_files.len(), json_files.len());
            for ((tn, tb), (jn, jb)) in toml_files.iter().zip(&json_files) {
                assert_eq!(tn, jn);
                let jb = jb.replace(".plan.json", ".plan.toml");
                assert!(
                    *tb == jb,
                    "{name} {format} {tn}: JSON and TOML plans export differently"
                );
            }
        }
    }
}

#[test]
fn secrets_are_references_in_every_export() {
    for name in GOLDEN {
        let plan = plan_value(name);
        let secrets: Vec<String> = plan
            .get("secrets")
            .and_then(|s| s.as_table())
            .map(|t| t.keys().cloned().collect())
            .unwrap_or_default();
        let ps = &export(&plan_path(name), "powershell")[0].1;
        assert!(ps.contains("$ErrorActionPreference = 'Stop'"));
        let playbook = &export(&plan_path(name), "ansible")[0].1;
        let steps = plan.get("steps").and_then(|s| s.as_array()).expect("steps");
        for s in &secrets {
            let placeholder = format!("{{{{secret:{s}}}}}");
            let used = steps.iter().any(|step| {
                step.get("argv")
                    .and_then(|a| a.as_array())
                    .is_some_and(|a| {
                        a.iter()
                            .any(|a| a.as_str().expect("str").contains(&placeholder))
                    })
            });
            // Only a secret a command uses is asked for; one that setup's screen takes is not.
            assert_eq!(
                ps.contains(&format!("$Secrets['{s}'] = Read-PlanSecret -Name '{s}'")),
                used,
                "{name}: {s} is read at run time when a command uses it"
            );
            assert!(
                playbook.contains(&format!("- vault_{s} is defined")),
                "{name}: {s}"
            );
        }
        // A placeholder never reaches a command in clear: only through the helpers.
        for line in ps.lines().filter(|l| !l.starts_with('#')) {
            if line.contains("{{secret:") {
                assert!(
                    line.contains(" -Shown ") || line.starts_with("Write-Host"),
                    "{name}: {line}"
                );
            }
        }
        assert!(
            !playbook.contains("{{secret:"),
            "{name}: raw placeholder in the playbook"
        );
        // Every Ansible task that uses a vault variable hides its output.
        for task in playbook.split("\n    - name: ").skip(1) {
            if task.contains("{{ vault_") {
                assert!(task.contains("no_log: true"), "{name}: {task}");
            }
        }
    }
}

#[test]
fn a_canary_secret_reaches_no_export_of_a_fresh_plan() {
    let dir = tempfile::tempdir().expect("temp dir");
    for profile in ["contoso-sync", "contoso-aadp-option-c"] {
        let plan = dir.path().join(format!("{profile}.plan.toml"));
        let o = mim_setup(&[
            "plan",
            &format!("profiles/{profile}.toml"),
            "-o",
            plan.to_str().expect("utf-8"),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        for format in ["powershell", "ansible", "markdown"] {
            // `export` checks every written file, stdout and stderr for the canary.
            let files = export(plan.to_str().expect("utf-8"), format);
            assert!(!files.is_empty());
        }
    }
}

#[test]
fn markdown_shows_every_step_property_acknowledgement_answer_and_note() {
    for name in GOLDEN {
        let plan = plan_value(name);
        let md = &export(&plan_path(name), "markdown")[0].1;
        let strs = |key: &str| -> Vec<String> {
            plan.get(key)
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default()
        };
        for ack in strs("acknowledged") {
            assert!(md.contains(&format!("- `{ack}`")), "{name}: {ack}");
        }
        assert!(!strs("notes").is_empty() || name.ends_with("gmsa"));
        assert!(md.contains("## Notes"));
        for step in plan["steps"].as_array().expect("steps") {
            let id = step["id"].as_str().expect("id");
            assert!(md.contains(&format!(". {id} (")), "{name}: step {id}");
            for p in step
                .get("properties")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
            {
                let row = format!(
                    "| `{}` | `{}` | ",
                    p["name"].as_str().expect("name"),
                    p["value"].as_str().expect("value")
                );
                assert!(md.contains(&row), "{name}: {row}");
                let confirmed = if p["confirmed"].as_bool() == Some(true) {
                    "| yes |"
                } else {
                    "| **no** |"
                };
                let line = md.lines().find(|l| l.starts_with(&row)).expect("row");
                assert!(line.contains(confirmed), "{line}");
            }
        }
        for i in plan
            .get("interactive")
            .and_then(|v| v.as_array())
            .into_iter()
            .flatten()
        {
            let value = format!("`{}`", i["value"].as_str().expect("value"));
            assert!(md.contains(&value), "{name}: {value}");
        }
        assert!(md.contains("## Facts seen\n\nNo facts recorded."), "{name}");
    }
}

/// A profile that keeps its password in the credential store: every format exports its plan,
/// Markdown names the entry, and the script asks for the secret (it cannot read another
/// machine's credential store).
#[test]
fn a_credential_store_reference_exports_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text_in = std::fs::read_to_string(Path::new(ROOT).join("profiles/contoso-sync.toml"))
        .expect("shipped profile")
        .replace(
            r#"password = { env = "MIM_SYNC_PASSWORD" }"#,
            r#"password = { keyring = "mim-setup/MIMSync" }"#,
        );
    assert!(text_in.contains("keyring"));
    let profile = dir.path().join("keyring.toml");
    std::fs::write(&profile, text_in).expect("write profile");
    let plan = dir.path().join("keyring.plan.toml");
    let o = mim_setup(&[
        "plan",
        profile.to_str().expect("utf-8"),
        "-o",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let plan = plan.to_str().expect("utf-8");
    let md = export(plan, "markdown");
    assert!(
        md[0].1.contains("credential store entry mim-setup/MIMSync"),
        "{}",
        md[0].1
    );
    let ps = export(plan, "powershell");
    assert!(
        ps[0]
            .1
            .contains("Read-PlanSecret -Name 'sync_service_password' -EnvName ''"),
        "{}",
        ps[0].1
    );
    assert!(!export(plan, "ansible").is_empty());
}

#[test]
fn the_script_resolves_log_dir_and_can_start_from_any_step() {
    for name in GOLDEN {
        let ps = &export(&plan_path(name), "powershell")[0].1;
        let resolve = ps
            .find("$LogDir = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($LogDir)")
            .expect("a relative -LogDir is made absolute");
        let first_use = ps
            .find("New-Item -ItemType Directory -Force -Path $LogDir")
            .expect("mkdir");
        assert!(resolve < first_use, "{name}: resolved before use");
        assert!(ps.contains("[int] $FromStep = 1"), "{name}");
        assert!(ps.contains("run this script again from this step: -FromStep $Step."));
        let steps = plan_value(name)["steps"].as_array().expect("steps").len();
        for n in 1..=steps {
            assert!(
                ps.contains(&format!("\nif ($FromStep -gt {n}) {{ Write-Host '==> ")),
                "{name}: step {n}"
            );
        }
        let calls = ps.matches("\nInvoke-PlanStep -Step ").count();
        let manual = ps.matches("Read-Host -Prompt 'Do this by hand").count();
        assert_eq!(calls + manual, steps, "{name}: every step numbered");
    }
}

/// The reasons a plan carries beside its acknowledgements, in every format: each one once,
/// beside its key; a line break in a hand-made plan's reason stays inside the comment (the
/// script and the playbook gain no line of their own from it).
#[test]
fn every_format_shows_the_reasons_of_the_acknowledgements() {
    const KEY: &str = "service-account-logon-rights@service_account.name";
    let text =
        std::fs::read_to_string(Path::new(ROOT).join(plan_path("contoso-sync"))).expect("plan");
    let mut plan: mim_setup::plan::Plan = toml::from_str(&text).expect("plan parses");
    plan.acknowledged_reasons.insert(
        KEY.into(),
        "denied by GPO MIM-Sync\nWrite-Host injected".into(),
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("reasons.plan.json");
    let value = serde_json::to_value(&plan).expect("json");
    std::fs::write(&path, seal(&value)).expect("write plan");
    let path = path.to_str().expect("utf-8");
    for format in ["markdown", "powershell", "ansible"] {
        let files = export(path, format);
        let all: String = files.iter().map(|(_, b)| b.as_str()).collect();
        assert!(
            all.contains("Why they are acknowledged") && all.contains("denied by GPO"),
            "{format}: {all}"
        );
        let lines: Vec<&str> = all.lines().filter(|l| l.contains("injected")).collect();
        assert_eq!(lines.len(), 1, "{format}: {lines:?}");
        for line in lines {
            let t = line.trim_start();
            assert!(
                t.starts_with('#') || t.starts_with("- `"),
                "{format}: {line}"
            );
        }
    }
}
