//! An output path that is the command's own input: `plan P -o P` (and `export PLAN -o PLAN`)
//! under every spelling of the same file is refused with exit 2, and the input is left as it
//! was. And `--verbose`, which shows acknowledged warnings and info findings in full.
use super::{rendered, run_in, ROOT};
use std::path::Path;

const PROFILE: &str = "profiles/contoso-sync.toml";

/// A folder holding a copy of the shipped Sync profile as `p.toml`.
fn with_profile() -> (tempfile::TempDir, Vec<u8>) {
    let tmp = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(Path::new(ROOT).join(PROFILE)).unwrap();
    std::fs::write(tmp.path().join("p.toml"), &bytes).unwrap();
    (tmp, bytes)
}

#[test]
fn plan_refuses_an_output_path_that_is_its_profile() {
    let (tmp, bytes) = with_profile();
    let dir = tmp.path();
    let abs = dir.join("p.toml");
    std::fs::create_dir(dir.join("sub")).unwrap();
    #[allow(unused_mut)]
    let mut outputs: Vec<String> = vec![
        "p.toml".into(),
        "./p.toml".into(),
        "sub/../p.toml".into(),
        abs.display().to_string(),
    ];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&abs, dir.join("link.toml")).unwrap();
        std::fs::hard_link(&abs, dir.join("hard.toml")).unwrap();
        outputs.extend(["link.toml".into(), "hard.toml".into()]);
    }
    for out in &outputs {
        for extra in [&[][..], &["--json"][..]] {
            let mut args = vec!["plan", "p.toml", "-o", out.as_str()];
            args.extend(extra);
            let o = run_in(dir, &args);
            let got = rendered(&o);
            assert_eq!(o.status.code(), Some(2), "-o {out}: {got}");
            assert!(o.stdout.is_empty(), "-o {out}: {got}");
            assert!(
                got.contains(&format!("mim-setup: no plan written: -o {out} is the profile p.toml itself, which the plan would overwrite\n  fix: give another output file with -o, for example -o p.plan.toml")),
                "-o {out}: {got}"
            );
            assert_eq!(
                std::fs::read(&abs).unwrap(),
                bytes,
                "-o {out} changed the profile"
            );
        }
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with(".mim-setup-"))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
    // Another file, or a file of the same name elsewhere, is fine.
    for out in ["p.plan.toml", "sub/p.toml"] {
        let o = run_in(dir, &["plan", "p.toml", "-o", out]);
        assert_eq!(o.status.code(), Some(0), "-o {out}: {}", rendered(&o));
        assert!(dir.join(out).exists());
    }
    assert_eq!(std::fs::read(&abs).unwrap(), bytes);
}

#[test]
fn export_refuses_an_output_path_that_is_its_plan() {
    let (tmp, _) = with_profile();
    let dir = tmp.path();
    let o = run_in(dir, &["plan", "p.toml", "-o", "p.plan.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", rendered(&o));
    let plan = std::fs::read(dir.join("p.plan.toml")).unwrap();
    for out in ["p.plan.toml", "./p.plan.toml"] {
        let o = run_in(
            dir,
            &["export", "p.plan.toml", "--format", "markdown", "-o", out],
        );
        let got = rendered(&o);
        assert_eq!(o.status.code(), Some(2), "{got}");
        assert!(
            got.contains(&format!(
                "no export written: -o {out} is the plan p.plan.toml itself"
            )),
            "{got}"
        );
        assert_eq!(std::fs::read(dir.join("p.plan.toml")).unwrap(), plan);
    }
}

#[test]
fn verbose_shows_acknowledged_warnings_and_info_in_full() {
    let file = "profiles/contoso-service-portal.toml";
    let short = rendered(&super::run(&["validate", file]));
    let long = rendered(&super::run(&["validate", "--verbose", file]));
    assert!(
        short.starts_with("exit: 0\n") && long.starts_with("exit: 0\n"),
        "{short}{long}"
    );
    let head = |s: &str| {
        s.lines()
            .filter(|l| l.starts_with(file))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    // The same findings, in the same order; only their details differ.
    let (hs, hl) = (head(&short), head(&long));
    assert_eq!(hs.len(), hl.len());
    assert!(hs.iter().any(|l| l.contains("(acknowledged)")), "{short}");
    assert!(hs.iter().any(|l| l.contains(" info [")), "{short}");
    assert!(!short.contains("\n  why: "), "{short}");
    assert!(
        long.contains("\n  why: ") && long.contains("\n  fix: "),
        "{long}"
    );
    assert!(
        hs.last()
            .unwrap()
            .contains("(acknowledged and info shortened; --verbose shows them in full)"),
        "{short}"
    );
    assert!(!hl.last().unwrap().contains("shortened"), "{long}");
}

/// An acknowledgement's reason: `--verbose` shows it under the acknowledged warning, the
/// short form does not, and the JSON has it beside the acknowledgement.
#[test]
fn verbose_and_json_show_the_reason_of_an_acknowledged_warning() {
    const KEY: &str = "service-account-logon-rights@service_account.name";
    let root = std::path::Path::new(super::ROOT);
    let text = std::fs::read_to_string(root.join("profiles/contoso-sync.toml")).expect("read");
    let with = text.replacen(
        &format!("\"{KEY}\""),
        &format!("{{ warning = \"{KEY}\", reason = \"denied by GPO MIM-Sync (CHG-42)\" }}"),
        1,
    );
    assert_ne!(with, text);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("reasoned.toml");
    std::fs::write(&file, with).expect("write");
    let file = file.to_str().expect("path");
    let short = rendered(&super::run(&["validate", file]));
    let long = rendered(&super::run(&["validate", "--verbose", file]));
    assert!(
        short.starts_with("exit: 0\n") && long.starts_with("exit: 0\n"),
        "{short}{long}"
    );
    assert!(!short.contains("reason:"), "{short}");
    let at = long
        .find("warning (acknowledged) [service-account-logon-rights]")
        .expect("listed");
    let block: String = long[at..]
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        block.contains("  reason: denied by GPO MIM-Sync (CHG-42)"),
        "{long}"
    );
    let o = super::run(&["validate", "--json", file]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let f = v["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["ack_key"] == KEY))
        .expect("the acknowledged warning");
    assert_eq!(f["acknowledged"], true);
    assert_eq!(f["reason"], "denied by GPO MIM-Sync (CHG-42)");
}
