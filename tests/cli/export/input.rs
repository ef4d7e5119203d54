//! Plans as input: newer plans (facts, unknown fields), where the output goes, and bad
//! input (missing file, malformed plan, unknown format or schema, a secret placeholder
//! without a reference), which exits 2 with a message naming the file and the fix.
use super::{mim_setup, plan_path, text, ROOT};
use std::path::{Path, PathBuf};

/// A plan file in a temp folder, made from a golden plan by `edit`.
fn edited_plan(name: &str, edit: impl FnOnce(&mut toml::Table)) -> (tempfile::TempDir, PathBuf) {
    let mut table: toml::Table = toml::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join(plan_path(name))).expect("plan"),
    )
    .expect("parses");
    edit(&mut table);
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(format!("{name}.plan.toml"));
    std::fs::write(&path, toml::to_string(&table).expect("toml")).expect("write");
    (dir, path)
}

#[test]
fn a_tampered_plan_is_refused_like_apply_in_all_three_formats() {
    // Facts added by hand, a value changed, an unknown field: the content no longer matches
    // the integrity hash, so export refuses it exactly as `apply` does (exit 2, same message).
    type Edit = Box<dyn Fn(&mut toml::Table)>;
    let edits: [(&str, Edit); 3] = [
        (
            "was changed after it was made",
            Box::new(|t: &mut toml::Table| {
                let mut facts = toml::Table::new();
                facts.insert("sql.version".into(), "15.0.2000.5".into());
                t.insert("facts".into(), facts.into());
            }),
        ),
        (
            "was changed after it was made",
            Box::new(|t: &mut toml::Table| {
                t.insert("deployment_option".into(), "H".into());
            }),
        ),
        (
            "unknown field `extra`",
            Box::new(|t: &mut toml::Table| {
                t.insert("extra".into(), 1.into());
            }),
        ),
    ];
    for (wanted, edit) in edits {
        let (_dir, path) = edited_plan("contoso-sync", edit);
        let p = path.to_str().expect("utf-8");
        for format in ["powershell", "ansible", "markdown"] {
            let stderr = fails_with(
                &["export", p, "--format", format],
                &[wanted, "fix: make the plan again"],
            );
            assert!(!stderr.contains("written"), "{stderr}");
        }
    }
    // The message is the strict reader's, the one `apply` prints (tests/apply/refuse.rs).
}

fn fails_with(args: &[&str], wanted: &[&str]) -> String {
    let o = mim_setup(args);
    let stderr = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(o.stdout.is_empty(), "{args:?}");
    for w in wanted {
        assert!(stderr.contains(w), "{args:?}: {w:?} not in {stderr}");
    }
    stderr
}

#[test]
fn bad_input_exits_2_with_a_clear_message() {
    fails_with(
        &[
            "export",
            "tests/golden/no-such.plan.toml",
            "--format",
            "markdown",
        ],
        &["tests/golden/no-such.plan.toml", "cannot read the plan"],
    );
    fails_with(
        &["export", &plan_path("contoso-sync"), "--format", "pdf"],
        &["invalid value 'pdf'", "powershell", "ansible", "markdown"],
    );
    fails_with(&["export", &plan_path("contoso-sync")], &["--format"]);
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.plan.toml");
    std::fs::write(&bad, "schema_version = 1\nsteps = [\n").expect("write");
    let bad = bad.to_str().expect("utf-8");
    fails_with(
        &["export", bad, "--format", "powershell"],
        &[
            "bad.plan.toml",
            "is not an install plan this version can read",
            "mim-setup plan",
        ],
    );
    let json = dir.path().join("bad.plan.json");
    std::fs::write(&json, "{\"schema_version\": 1}").expect("write");
    fails_with(
        &[
            "export",
            json.to_str().expect("utf-8"),
            "--format",
            "markdown",
        ],
        &[
            "is not an install plan this version can read",
            "missing field",
        ],
    );
    let profile = "profiles/contoso-sync.toml";
    fails_with(
        &["export", profile, "--format", "markdown"],
        &["is not an install plan this version can read"],
    );

    let (_d1, newer) = edited_plan("contoso-sync", |t| {
        t.insert("schema_version".into(), 99.into());
    });
    fails_with(
        &[
            "export",
            newer.to_str().expect("utf-8"),
            "--format",
            "ansible",
        ],
        &["schema_version 99"],
    );
    let (_d2, unknown_secret) = edited_plan("contoso-sync", |t| {
        t.insert("secrets".into(), toml::Table::new().into());
    });
    fails_with(
        &[
            "export",
            unknown_secret.to_str().expect("utf-8"),
            "--format",
            "powershell",
        ],
        &["was changed after it was made"],
    );
    let (_d3, odd_kind) = edited_plan("contoso-sync", |t| {
        let steps = t
            .get_mut("steps")
            .and_then(|s| s.as_array_mut())
            .expect("steps");
        steps[0]
            .as_table_mut()
            .expect("step")
            .insert("kind".into(), "reboot".into());
    });
    fails_with(
        &[
            "export",
            odd_kind.to_str().expect("utf-8"),
            "--format",
            "markdown",
        ],
        &["unknown variant `reboot`"],
    );

    // Ansible writes two files: -o naming a file is refused, and nothing is written.
    let file = dir.path().join("taken.yml");
    std::fs::write(&file, "x").expect("write");
    fails_with(
        &[
            "export",
            &plan_path("contoso-sync"),
            "--format",
            "ansible",
            "-o",
            file.to_str().expect("utf-8"),
        ],
        &["must name a folder", "inventory.yml"],
    );
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "x");
}

#[test]
fn output_goes_to_the_named_file_or_folder() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = plan_path("contoso-sync");
    // One-file formats: -o names the file (its folder is made).
    let file = dir.path().join("sub/install.ps1");
    let o = mim_setup(&[
        "export",
        &plan,
        "--format",
        "powershell",
        "-o",
        file.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("install.ps1"));
    let want =
        std::fs::read_to_string(Path::new(ROOT).join("tests/golden/export/contoso-sync.ps1"))
            .expect("golden");
    assert_eq!(std::fs::read_to_string(&file).expect("written"), want);
    // ... or an existing folder, where the file takes the plan's name.
    let o = mim_setup(&[
        "export",
        &plan,
        "--format",
        "markdown",
        "-o",
        dir.path().to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(dir.path().join("contoso-sync.md").is_file());
    // Ansible without -o prints both files, each under its name.
    let o = mim_setup(&["export", &plan, "--format", "ansible"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.starts_with("# ==> contoso-sync.yml <==\n---\n"),
        "{out}"
    );
    assert!(out.contains("\n# ==> inventory.yml <==\n---\n"), "{out}");
}

/// A plan whose hash is right but whose steps cannot be run as written (a hand-made plan
/// sealed again): the strict reader refuses it for `export` and `apply` alike, naming the step.
#[test]
fn a_sealed_plan_with_unrunnable_steps_is_refused_by_export_and_apply() {
    let golden: toml::Value = toml::from_str(
        &std::fs::read_to_string(Path::new(ROOT).join(plan_path("contoso-sync"))).expect("plan"),
    )
    .expect("parses");
    let base: serde_json::Value = serde_json::to_value(golden).expect("json");
    type Edit = fn(&mut serde_json::Value);
    let cases: [(&str, Edit); 5] = [
        ("step id \"verify-sync-service\" appears twice", |p| {
            let steps = p["steps"].as_array_mut().expect("steps");
            let again = steps
                .iter()
                .find(|s| s["id"] == "verify-sync-service")
                .expect("step")
                .clone();
            steps.push(again);
        }),
        ("step \"verify-sync-service\" has no argv to run", |p| {
            for s in p["steps"].as_array_mut().expect("steps") {
                if s["id"] == "verify-sync-service" {
                    s["argv"] = serde_json::json!([]);
                }
            }
        }),
        ("an msiexec step must start `msiexec.exe /i PACKAGE`", |p| {
            p["steps"][0]["argv"][1] = "/x".into();
        }),
        (
            "uses the secret placeholder \"nowhere\", which [secrets] does not list",
            |p| {
                let argv = p["steps"][0]["argv"].as_array_mut().expect("argv");
                argv.push("EXTRA={{secret:nowhere}}".into());
            },
        ),
        (
            "uses the secret placeholder \"sync_service_password\"",
            |p| {
                p["secrets"] = serde_json::json!({});
            },
        ),
    ];
    for (wanted, edit) in cases {
        let mut plan = base.clone();
        edit(&mut plan);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("sealed.plan.json");
        std::fs::write(&path, super::seal(&plan)).expect("write");
        let p = path.to_str().expect("utf-8");
        for format in ["powershell", "ansible", "markdown"] {
            fails_with(
                &["export", p, "--format", format],
                &[wanted, "sealed.plan.json"],
            );
        }
        let o = mim_setup(&["apply", p]);
        let stderr = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "apply: {stderr}");
        assert!(stderr.contains(wanted), "apply: {wanted:?} not in {stderr}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "apply wrote nothing beside the plan");
    }
}
