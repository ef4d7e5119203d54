//! `mim-setup diff A B`: the exit codes (0 the same, 1 different, 2 unusable), the text a
//! terminal shows (colour, NO_COLOR, hostile values kept on bounded, visible lines) and the
//! JSON for scripts, on the shipped profiles and plans and on plans with one edit each.
use super::run;
use mim_setup::plan::Plan;
use serde_json::Value;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn golden_plan(name: &str) -> Plan {
    let text =
        std::fs::read_to_string(Path::new(ROOT).join(format!("tests/golden/{name}.plan.toml")))
            .expect("golden plan");
    toml::from_str(&text).expect("golden plan parses")
}

/// Writes a plan sealed as `mim-setup plan` seals it.
fn write_plan(dir: &Path, name: &str, plan: &Plan) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, plan.to_toml()).expect("write plan");
    path
}

fn diff(args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["diff"];
    all.extend_from_slice(args);
    run(&all)
}

#[test]
fn the_same_input_exits_0_and_says_so() {
    let cases = [
        (
            "tests/golden/contoso-sync.plan.toml",
            "tests/golden/contoso-sync.plan.toml",
        ),
        // The JSON and the TOML form of one plan are the same plan.
        (
            "tests/golden/contoso-sync.plan.toml",
            "tests/golden/contoso-sync.plan.json",
        ),
        (
            "profiles/contoso-service-portal.toml",
            "profiles/contoso-service-portal.toml",
        ),
        // A plan against the profile it was made from, through its recorded profile.
        (
            "tests/golden/contoso-sync.plan.toml",
            "profiles/contoso-sync.toml",
        ),
        (
            "profiles/contoso-aadp-option-h.toml",
            "tests/golden/contoso-aadp-option-h.plan.toml",
        ),
    ];
    for (a, b) in cases {
        let (code, out, err) = diff(&[a, b]);
        assert_eq!(code, 0, "{a} {b}\n{out}{err}");
        assert!(out.contains("the same"), "{out}");
        let (code, out, _) = diff(&[a, b, "--json"]);
        assert_eq!(code, 0);
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(
            (v["same"].as_bool(), v["changes"].as_array().map(Vec::len)),
            (Some(true), Some(0))
        );
    }
}

#[test]
fn different_plans_exit_1_property_by_property() {
    let (code, out, err) = diff(&[
        "--color",
        "never",
        "tests/golden/contoso-sync.plan.toml",
        "tests/golden/contoso-sync-gmsa.plan.toml",
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("step install-sync-service"), "{out}");
    assert!(
        out.contains("property SERVICEACCOUNT value: \"MIMSync\" -> "),
        "{out}"
    );
    // The msiexec line (about 1,000 characters here) is never one line of the output.
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    assert!(!out.contains("msiexec.exe /i"), "{out}");
    assert!(!out.contains('\x1b'), "--color never: {out}");
}

#[test]
fn colour_follows_the_option_and_no_color() {
    let args = [
        "tests/golden/contoso-sync.plan.toml",
        "tests/golden/contoso-sync-gmsa.plan.toml",
    ];
    let (_, always, _) = diff(&["--color", "always", args[0], args[1]]);
    assert!(
        always.contains("\x1b[32m") && always.contains("\x1b[31m"),
        "{always}"
    );
    // Not a terminal: auto gives none, and NO_COLOR none either.
    let (_, auto, _) = diff(&args);
    assert!(!auto.contains('\x1b'));
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mim-setup"))
        .args(["diff", args[0], args[1]])
        .current_dir(ROOT)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!String::from_utf8_lossy(&o.stdout).contains('\x1b'));
}

#[test]
fn different_profiles_per_screen_and_field_with_secrets_as_references() {
    let dir = tempfile::tempdir().expect("dir");
    let a = Path::new(ROOT).join("profiles/contoso-sync.toml");
    let text = std::fs::read_to_string(&a).expect("profile");
    let b = dir.path().join("b.toml");
    let changed = text
        .replace("corpsql.contoso.com", "corpsql2.contoso.com")
        .replace("MIM_SYNC_PASSWORD", "OTHER_SYNC_PASSWORD");
    assert_ne!(changed, text, "the edits apply");
    std::fs::write(&b, changed).expect("write");
    let (code, out, err) = diff(&[
        "--json",
        a.to_str().expect("path"),
        b.to_str().expect("path"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["format"], "mim-setup-diff/1");
    assert_eq!(v["compared"], "profiles");
    let changes = v["changes"].as_array().expect("changes");
    let find = |scope: &str, name: &str| {
        changes
            .iter()
            .find(|c| c["scope"] == scope && c["name"] == name)
            .cloned()
    };
    let server = find("sql", "server").expect("sql.server changed");
    assert_eq!(
        (server["area"].as_str(), server["op"].as_str()),
        (Some("answer"), Some("changed"))
    );
    assert_eq!(server["new"], "corpsql2.contoso.com");
    let secret = find("service_account", "password").expect("the password's reference changed");
    assert_eq!(secret["new"], "{ env = \"OTHER_SYNC_PASSWORD\" }");
    // The text groups by screen and names the field's label.
    let (_, text_out, _) = diff(&[a.to_str().expect("path"), b.to_str().expect("path")]);
    assert!(text_out.contains("screen sql ("), "{text_out}");
}

#[test]
fn a_canary_secret_in_the_environment_reaches_no_output() {
    let canary = "Canary-Diff-Secret-7 \"q\"";
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mim-setup"))
        .args([
            "diff",
            "profiles/contoso-sync.toml",
            "profiles/contoso-sync-gmsa.toml",
        ])
        .current_dir(ROOT)
        .envs(super::SECRET_VARS.iter().map(|v| (v, canary)))
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!all.contains("Canary-Diff"), "{all}");
}

#[test]
fn hostile_values_stay_visible_on_bounded_lines() {
    let dir = tempfile::tempdir().expect("dir");
    let a = golden_plan("contoso-sync");
    let mut b = a.clone();
    let long = "x".repeat(3000);
    let hostile = [
        ("SQLDB", "q\"uote'd\nnew line\x1b[2J\u{202e}"),
        ("STORESERVER", long.as_str()),
    ];
    for (name, value) in hostile {
        let p = b.steps[0]
            .properties
            .iter_mut()
            .find(|p| p.name == name)
            .expect("property");
        p.value = value.to_string();
    }
    b.notes.push("a note\r\nwith\ttabs".into());
    let pa = write_plan(dir.path(), "a.plan.toml", &a);
    let pb = write_plan(dir.path(), "b.plan.toml", &b);
    let (code, out, err) = diff(&[
        "--color",
        "never",
        pa.to_str().expect("p"),
        pb.to_str().expect("p"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    assert!(!out.chars().any(|c| c.is_control() && c != '\n'), "{out:?}");
    assert!(
        out.contains("\\\"uote'd\\nnew line\\u{1b}[2J\\u{202e}"),
        "{out}"
    );
    assert!(out.contains("a note\\r\\nwith\\ttabs"), "{out}");
    // The long value is folded in full, not cut.
    let xs: usize = out
        .lines()
        .filter(|l| l.contains("+ \"x") || l.trim_start().starts_with("+ xxx"))
        .map(|l| l.matches('x').count())
        .sum();
    assert!(xs >= 3000, "{xs}\n{out}");
    assert!(out.contains("first difference at character"), "{out}");
    // JSON keeps the values exactly.
    let (_, json, _) = diff(&["--json", pa.to_str().expect("p"), pb.to_str().expect("p")]);
    let v: Value = serde_json::from_str(&json).expect("json");
    let sqldb = v["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .find(|c| c["name"] == "SQLDB")
        .expect("SQLDB")
        .clone();
    assert_eq!(sqldb["new"], hostile[0].1);
}

#[test]
fn unusable_input_exits_2_with_what_and_how_to_fix() {
    let dir = tempfile::tempdir().expect("dir");
    let edited = dir.path().join("edited.plan.toml");
    let text = std::fs::read_to_string(Path::new(ROOT).join("tests/golden/contoso-sync.plan.toml"))
        .expect("plan");
    std::fs::write(
        &edited,
        text.replace("SQLDB=FIMSynchronizationService", "SQLDB=Other"),
    )
    .expect("write");
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "schema_version = 1\ncomponent = \"sync\"\n[sql\n").expect("write");
    let unknown = dir.path().join("unknown.toml");
    std::fs::write(&unknown, "schema_version = 1\ncomponent = \"sync\"\nedition = \"volume-license\"\n[sqll]\nserver = \"x\"\n").expect("write");
    // A plan whose recorded profile is elsewhere, compared with a profile.
    let moved = dir.path().join("moved.plan.toml");
    let mut plan = golden_plan("contoso-sync");
    plan.profile.path = "nowhere/p.toml".into();
    std::fs::write(&moved, plan.to_toml()).expect("write");
    let cases: [(&Path, &str, &str); 5] = [
        (
            Path::new("no/such/file.toml"),
            "profiles/contoso-sync.toml",
            "cannot read",
        ),
        (
            &edited,
            "tests/golden/contoso-sync.plan.toml",
            "changed after it was made",
        ),
        (&broken, "profiles/contoso-sync.toml", "broken.toml"),
        (&unknown, "profiles/contoso-sync.toml", "sqll"),
        (&moved, "profiles/contoso-sync.toml", "missing"),
    ];
    for (a, b, says) in cases {
        let a = a.to_str().expect("path");
        for (x, y) in [(a, b), (b, a)] {
            let (code, out, err) = diff(&[x, y]);
            assert_eq!(code, 2, "{x} {y}\n{out}{err}");
            assert!(err.contains(says) && err.contains("fix:"), "{x} {y}: {err}");
            assert!(out.is_empty(), "{out}");
        }
    }
}

/// A reason added, changed or removed beside an acknowledgement, in two profiles and in two
/// plans: exit 1, one line each in the text, `attribute = "reason"` in the JSON; a hostile
/// reason cannot be in a profile, so the plan's is shown escaped.
#[test]
fn reasons_added_changed_and_removed_in_profiles_and_plans() {
    const KEY: &str = "service-account-logon-rights@service_account.name";
    let dir = tempfile::tempdir().expect("temp dir");
    let shipped =
        std::fs::read_to_string(Path::new(ROOT).join("profiles/contoso-sync.toml")).expect("read");
    let with = |name: &str, reason: Option<&str>| {
        let entry = match reason {
            Some(r) => format!("{{ warning = \"{KEY}\", reason = \"{r}\" }}"),
            None => format!("\"{KEY}\""),
        };
        let text = shipped.replacen(&format!("\"{KEY}\""), &entry, 1);
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.display().to_string()
    };
    let plain = with("plain.toml", None);
    let gpo = with("gpo.toml", Some("denied by GPO MIM-Sync"));
    let ticket = with("ticket.toml", Some("CHG-42"));
    // (A, B, the line the text shows, op)
    let rows = [
        (&plain, &gpo, "+ service-account-logon-rights@service_account.name reason: \"denied by GPO MIM-Sync\"", "added"),
        (&gpo, &plain, "- service-account-logon-rights@service_account.name reason: \"denied by GPO MIM-Sync\"", "removed"),
        (&gpo, &ticket, "~ service-account-logon-rights@service_account.name reason: \"denied by GPO MIM-Sync\" -> \"CHG-42\"", "changed"),
    ];
    for (a, b, line, op) in rows {
        let (code, out, err) = diff(&["--color", "never", a, b]);
        assert_eq!(code, 1, "{out}{err}");
        assert!(out.contains("acknowledged warnings"), "{out}");
        assert!(out.lines().any(|l| l.trim() == line), "{line}\n{out}");
        assert!(out.contains("1 change in the profiles compared"), "{out}");
        let (code, out, _) = diff(&[a, b, "--json"]);
        assert_eq!(code, 1);
        let v: Value = serde_json::from_str(&out).expect("json");
        let c = &v["changes"][0];
        assert_eq!(
            (
                c["area"].as_str(),
                c["name"].as_str(),
                c["attribute"].as_str(),
                c["op"].as_str()
            ),
            (Some("acknowledged"), Some(KEY), Some("reason"), Some(op)),
            "{v:#}"
        );
    }
    // Plans: the reasons they carry.
    let mut a = golden_plan("contoso-sync");
    let mut b = a.clone();
    a.acknowledged_reasons.insert(KEY.into(), "first".into());
    b.acknowledged_reasons
        .insert(KEY.into(), "second \u{1b}[2J".into());
    let pa = write_plan(dir.path(), "a.plan.toml", &a);
    let pb = write_plan(dir.path(), "b.plan.toml", &b);
    let (code, out, err) = diff(&[
        "--color",
        "never",
        pa.to_str().expect("path"),
        pb.to_str().expect("path"),
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(&format!("~ {KEY} reason: \"first\" -> ")),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "escaped: {out}");
}
