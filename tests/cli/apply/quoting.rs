//! Hostile secret values (spaces, quotes, `%`, `;`, `&`, backslashes) reach the programs
//! unchanged: in argv as they are, and in the Windows command line apply builds (given to the
//! stand-ins as MIM_SETUP_COMMAND_LINE) quoted so that msiexec, and `CommandLineToArgvW` for
//! other programs, read them back exactly. A line break cannot be passed to msiexec: the
//! step is refused before it starts.
use super::{text, Lab};
use crate::windows::{command_line_to_argv, msiexec_tokens};
use serde_json::Value;

const HOSTILE: &[&str] = &[
    "two words",
    "say \"hi\" twice\"\"",
    "100% %PATH% ;x;",
    "a&b && c | d ^ e",
    "ends with backslash\\",
    "back\\\"slash quote",
    "'single' (paren) <lt> >gt, = eq",
];

fn argv(call: &Value) -> Vec<String> {
    call["argv"]
        .as_array()
        .expect("argv")
        .iter()
        .map(|a| a.as_str().expect("string").to_string())
        .collect()
}

#[test]
fn hostile_secret_values_reach_msiexec_and_miiskmu_unchanged() {
    for value in HOSTILE {
        let mut lab = Lab::new("contoso-sync");
        lab.secret = value.to_string();
        let o = lab.apply(&[]);
        assert_eq!(o.status.code(), Some(0), "{value:?}: {}", text(&o));
        let calls = lab.calls();
        let (msi, key) = (&calls[0], &calls[3]);
        assert_eq!(
            (msi["program"].as_str(), key["program"].as_str()),
            (Some("msiexec"), Some("miiskmu"))
        );
        let want = format!("SERVICEPASSWORD={value}");
        assert!(argv(msi).contains(&want), "{value:?}: {msi}");
        let line = msi["command_line"].as_str().expect("command line");
        let tokens = msiexec_tokens(line).parts;
        assert!(tokens.contains(&want), "{value:?}: {line}\n{tokens:?}");
        assert_eq!(tokens[0], "msiexec.exe");
        assert_eq!(tokens[2], "Synchronization Service.msi");
        // Every property arrives as the plan lists it.
        let n = argv(msi).len();
        assert_eq!(tokens[1..], argv(msi)[..n], "{value:?}: {line}");

        assert_eq!(argv(key)[3], *value, "{value:?}: {key}");
        let line = key["command_line"].as_str().expect("command line");
        let exe = "\"C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\Bin\\miiskmu.exe\" ";
        let rest = line.strip_prefix(exe).expect("program first");
        assert_eq!(
            command_line_to_argv(rest).parts,
            argv(key),
            "{value:?}: {line}"
        );
    }
}

#[test]
fn a_line_break_in_a_secret_cannot_reach_msiexec() {
    let mut lab = Lab::new("contoso-sync");
    lab.secret = "first line\nsecond line".into();
    let o = lab.apply(&[]);
    let out = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains(
            "SERVICEPASSWORD: the value cannot be passed to msiexec: it contains a line break"
        ),
        "{out}"
    );
    assert!(lab.calls().is_empty(), "msiexec was not started");
    assert!(!out.contains("second line"), "{out}");
}

/// Every golden plan reads back into the same plan (its text and hash come out equal), and
/// the command line apply builds from each step's `argv` is the plan's reviewed `command`.
#[test]
fn golden_plans_read_back_and_their_argv_gives_their_command() {
    let dir = std::path::Path::new(super::ROOT).join("tests/golden");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("goldens").flatten() {
        let path = entry.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        if !name.is_some_and(|n| n.ends_with(".plan.toml") || n.ends_with(".plan.json")) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("golden");
        let plan: mim_setup::plan::Plan = if path.extension().is_some_and(|e| e == "json") {
            let p: mim_setup::plan::Plan = serde_json::from_str(&text).expect("JSON plan");
            assert_eq!(p.to_json() + "\n", text, "{}", path.display());
            p
        } else {
            let p: mim_setup::plan::Plan = toml::from_str(&text).expect("TOML plan");
            assert_eq!(p.to_toml(), text, "{}", path.display());
            p
        };
        let sealed = plan.integrity.as_ref().expect("integrity");
        assert_eq!(sealed.sha256, plan.content_sha256(), "{}", path.display());
        for step in plan.steps.iter().filter(|s| !s.argv.is_empty()) {
            let line = mim_setup::apply::exec::windows_command_line(step, &step.argv);
            assert_eq!(
                line.as_deref(),
                Ok(step.command.as_str()),
                "{}: {}",
                path.display(),
                step.id
            );
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked} steps");
}
