//! `mim-setup review FILE --format text|markdown|json`: the walk of every shipped profile's
//! plan as Markdown (goldens), the option H plan as text (golden) and as JSON (parsed, and
//! stable from run to run), a profile reviewed directly, a canary secret in no output, and
//! bad input (a missing file, a tampered plan, an unknown format, `--set`) exiting 2 with
//! nothing written.
//!
//! The plans are made with `mim-setup plan` into a temporary folder; the folder's path is
//! written `TMP` in the goldens under `tests/golden/review/`. Regenerate after a deliberate
//! change with `UPDATE_EXPECTED=1 cargo test --test cli review` and review the diff.
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const CANARY: &str = "Canary-Review-Secret-4 'q' \"z\"";

/// Every shipped profile, by name.
fn shipped() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("profiles"))
        .expect("profiles/")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".toml").map(str::to_string))
        .collect();
    names.sort();
    names
}

fn canary_env() -> Vec<(&'static str, &'static str)> {
    super::SECRET_VARS.iter().map(|v| (*v, CANARY)).collect()
}

/// `plan profiles/NAME.toml -o DIR/NAME.plan.toml`; returns the plan's path.
fn make_plan(dir: &Path, name: &str) -> PathBuf {
    let out = dir.join(format!("{name}.plan.toml"));
    let (code, _, err) = super::run(&[
        "plan",
        &format!("profiles/{name}.toml"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{name}: {err}");
    out
}

fn review(file: &Path, format: &str) -> (i32, String, String) {
    super::run_with(
        &["review", file.to_str().expect("utf-8"), "--format", format],
        &canary_env(),
    )
}

/// Each file of a folder with its content, by name.
fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect();
    out.sort();
    out
}

/// The golden file `tests/golden/review/REL` (see `super::golden`).
fn golden(rel: &str, got: &str) {
    super::golden(&format!("review/{rel}"), got);
}

#[test]
fn markdown_of_every_shipped_profiles_plan_matches_its_golden_and_writes_nothing() {
    let names = shipped();
    assert_eq!(names.len(), 12, "{names:?}");
    let dir = tempfile::tempdir().expect("temp dir");
    let tmp = dir.path().to_str().expect("utf-8").to_string();
    for name in &names {
        let plan = make_plan(dir.path(), name);
        let before = listing(dir.path());
        let (code, out, err) = review(&plan, "markdown");
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(listing(dir.path()), before, "{name}: review wrote a file");
        assert!(!out.contains("Canary-Review") && !err.contains("Canary-Review"));
        assert!(out.starts_with("# Review of the plan"), "{out}");
        golden(&format!("{name}.md"), &out.replace(&tmp, "TMP"));
    }
}

#[test]
fn text_of_the_option_h_plan_matches_its_golden() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = make_plan(dir.path(), "contoso-aadp-option-h");
    let (code, out, err) = review(&plan, "text");
    assert_eq!(code, 0, "{err}");
    let tmp = dir.path().to_str().expect("utf-8");
    golden("contoso-aadp-option-h.txt", &out.replace(tmp, "TMP"));
    // What a reviewer looks for: an exact property value, an interactive answer, an
    // acknowledged warning with its acknowledgement, and setup's own messages.
    for needle in [
        "-> MSI property SERVICE_ACCOUNT_NAME = svcMIMService$ (step install-service-portal",
        "-> answered interactively in setup (step install-service-portal): at \"Application ID\" type 3f2504e0",
        "warning (acknowledged) [rules mim-service-logon-rights]",
        "acknowledged in the profile as mim-service-logon-rights@mim_service.name",
        "setup shows on Next: Setup: a warning after the SharePoint site collection",
        "-> only checked: setup never sees this answer",
    ] {
        assert!(out.contains(needle), "missing {needle:?}:\n{out}");
    }
}

#[test]
fn json_is_parsed_stable_and_names_the_plans_integrity_hash() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = make_plan(dir.path(), "contoso-aadp-option-h");
    let (code, out, err) = review(&plan, "json");
    assert_eq!(code, 0, "{err}");
    let (_, again, _) = review(&plan, "json");
    assert_eq!(out, again, "the JSON is the same from run to run");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let read = mim_setup::plan::read::read(&plan).expect("the plan reads");
    let sealed = read.plan.integrity.expect("sealed").sha256;
    assert_eq!(v["kind"], "plan");
    assert_eq!(v["subject"]["kind"], "plan-integrity");
    assert_eq!(v["subject"]["sha256"], sealed.as_str());
    assert_eq!(v["profile"], "profiles/contoso-aadp-option-h.toml");
    assert_eq!(v["live_checks"], "not-run");
    let screens = v["screens"].as_array().expect("screens");
    assert!(screens.len() > 10, "{}", screens.len());
    let fields: Vec<&serde_json::Value> = screens
        .iter()
        .flat_map(|s| s["fields"].as_array().expect("fields").iter())
        .collect();
    // Every field says where it goes, in one of the stable words.
    for f in &fields {
        let goes = f["goes"].as_array().expect("goes");
        assert!(!goes.is_empty(), "{f}");
        for g in goes {
            let to = g["to"].as_str().expect("to");
            assert!(
                ["property", "interactive", "command", "only-checked"].contains(&to),
                "{g}"
            );
        }
    }
    let field = |p: &str| {
        *fields
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("no field {p}"))
    };
    let name = field("mim_service.name");
    assert_eq!(name["goes"][0]["to"], "property");
    assert_eq!(name["goes"][0]["name"], "SERVICE_ACCOUNT_NAME");
    assert_eq!(name["goes"][0]["value"], "svcMIMService$");
    let ack = &name["findings"][0];
    assert_eq!(ack["severity"], "warning");
    assert_eq!(ack["origin"], "rules");
    assert_eq!(
        ack["acknowledged"]["key"],
        "mim-service-logon-rights@mim_service.name"
    );
    // A secret is its reference: the placeholder in setup, the variable in the answer.
    let secret = field("mailbox_app.client_secret");
    assert_eq!(
        secret["answer"],
        "secret, from environment variable MIM_APP_CLIENT_SECRET"
    );
    assert_eq!(secret["goes"][0]["to"], "interactive");
    assert_eq!(
        secret["goes"][0]["value"],
        "{{secret:mailbox_app_client_secret}}"
    );
    assert_eq!(field("checks.domain")["goes"][0]["to"], "only-checked");
    let portal = screens
        .iter()
        .find(|s| s["id"] == "portal")
        .expect("portal screen");
    assert_eq!(portal["setup_messages"][0]["at"], "next");
    // `--check` runs the engine of `check`; offline, it says that none ran.
    let (code, out, err) = super::run_with(
        &[
            "review",
            plan.to_str().expect("utf-8"),
            "--format",
            "json",
            "--check",
            "--offline",
        ],
        &canary_env(),
    );
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    assert_eq!(v["live_checks"], "offline");
    assert!(!out.contains("Canary-Review") && !err.contains("Canary-Review"));
}

#[test]
fn a_profile_is_reviewed_by_its_own_sha256_and_through_the_plan_it_gives() {
    let file = Path::new(ROOT).join("profiles/contoso-sync.toml");
    let (code, out, err) = review(&file, "json");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let sha = mim_setup::plan::sha256_hex(&std::fs::read(&file).expect("read"));
    assert_eq!(v["kind"], "profile");
    assert_eq!(v["subject"]["kind"], "profile-sha256");
    assert_eq!(v["subject"]["sha256"], sha.as_str());
    assert!(out.contains("\"name\": \"STORESERVER\""), "{out}");
    assert!(!out.contains("Canary-Review"));
}

#[test]
fn bad_input_exits_2_with_a_fix_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = make_plan(dir.path(), "contoso-aadp-option-h");
    let tampered = dir.path().join("tampered.plan.toml");
    let text = std::fs::read_to_string(&plan).expect("read");
    std::fs::write(&tampered, text.replace("svcMIMService$", "svcOther$")).expect("write");
    let before = listing(dir.path());
    let missing = dir.path().join("missing.plan.toml");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "review".into(),
                missing.display().to_string(),
                "--format".into(),
                "text".into(),
            ],
            "cannot read",
        ),
        (
            vec![
                "review".into(),
                tampered.display().to_string(),
                "--format".into(),
                "json".into(),
            ],
            "was changed after it was made",
        ),
        (
            vec![
                "review".into(),
                plan.display().to_string(),
                "--format".into(),
                "yaml".into(),
            ],
            "invalid value 'yaml'",
        ),
        (
            vec![
                "review".into(),
                plan.display().to_string(),
                "--format".into(),
                "text".into(),
                "--set".into(),
                "sql.server=x".into(),
            ],
            "--set changes answers",
        ),
    ];
    for (args, wanted) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, out, err) = super::run(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(wanted), "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: {out}");
        if wanted != "invalid value 'yaml'" {
            assert!(err.contains("fix:"), "{args:?}: {err}");
        }
    }
    // Without a terminal the screens refuse before anything is read or written.
    let (code, _, err) = super::run(&[
        "review",
        plan.to_str().expect("utf-8"),
        "--reviewer",
        "alice",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("interactive terminal"), "{err}");
    assert_eq!(listing(dir.path()), before, "nothing was written");
}

/// The option H profile with a reason beside each acknowledgement (the table form).
fn with_reasons(dir: &Path) -> PathBuf {
    let text = std::fs::read_to_string(Path::new(ROOT).join("profiles/contoso-aadp-option-h.toml"))
        .expect("read the option H profile");
    let text = text
        .replace(
            "  \"mim-service-logon-rights@mim_service.name\",",
            "  { warning = \"mim-service-logon-rights@mim_service.name\", reason = \"CHG-4711: the gMSA's logon rights are set by GPO <b>\" },",
        )
        .replace(
            "  \"sspr-port-8080@registration.port\",",
            "  { warning = \"sspr-port-8080@registration.port\", reason = \"Central Administration is on 2016 here\" },",
        );
    assert!(text.contains("CHG-4711") && text.contains("on 2016 here"));
    let file = dir.join("option-h-reasons.toml");
    std::fs::write(&file, text).expect("write");
    file
}

#[test]
fn acknowledgement_reasons_show_in_every_format_from_a_profile_and_from_its_plan() {
    let dir = tempfile::tempdir().expect("tempdir");
    let profile = with_reasons(dir.path());
    let plan = dir.path().join("option-h-reasons.plan.toml");
    let (code, _, err) = super::run(&[
        "plan",
        profile.to_str().expect("utf-8"),
        "-o",
        plan.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    for file in [&profile, &plan] {
        let (code, text, err) = review(file, "text");
        assert_eq!(code, 0, "{err}");
        assert!(
            text.contains(
                "acknowledged in the profile as mim-service-logon-rights@mim_service.name"
            ) && text.contains("reason: CHG-4711: the gMSA's logon rights are set by GPO <b>"),
            "{text}"
        );
        let (code, md, err) = review(file, "markdown");
        assert_eq!(code, 0, "{err}");
        assert!(md.contains("- reason: CHG-4711"), "{md}");
        assert!(!md.contains("GPO <b>"), "raw HTML in Markdown: {md}");
        let (code, json, err) = review(file, "json");
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        let reasons: Vec<String> = v["screens"]
            .as_array()
            .expect("screens")
            .iter()
            .flat_map(|s| {
                let fields = s["fields"].as_array().cloned().unwrap_or_default();
                fields
                    .into_iter()
                    .flat_map(|f| f["findings"].as_array().cloned().unwrap_or_default())
                    .chain(s["findings"].as_array().cloned().unwrap_or_default())
            })
            .filter_map(|f| f["acknowledged"]["reason"].as_str().map(str::to_string))
            .collect();
        assert!(
            reasons.iter().any(|r| r.starts_with("CHG-4711")),
            "{}: {reasons:?}",
            file.display()
        );
    }
}
