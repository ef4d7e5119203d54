//! Quoting of the plan's Windows command lines.
//!
//! msiexec properties (`msi_property(NAME, value)`), as msiexec reads its own command line:
//!
//! 1. `NAME=value` as it is when the value is not empty and holds none of space, tab, `"`,
//!    `'`, `;`, `%`, `&`, `|`, `<`, `>`, `^`, `(`, `)`, `,`, `=`.
//! 2. Otherwise `NAME="value"`, with every `"` inside written twice (`""`).
//! 3. A backslash is not an escape for msiexec: it is never doubled, so a folder's trailing
//!    backslash stays as it is (`INSTALLDIR="C:\MIM\"`).
//! 4. `%` and `;` pass unchanged (the plan's commands start msiexec directly, not through
//!    cmd.exe); they are quoted so that the value stays in one piece.
//! 5. Unicode passes unchanged (Windows command lines are UTF-16).
//! 6. A line break (CR or LF) or NUL cannot be passed: an error that names the property.
//!
//! Other arguments (`quote_arg`) follow the rules `CommandLineToArgvW` reads back: as they
//! are unless empty or holding a space, tab, line feed or `"`; otherwise in double quotes,
//! where backslashes before a `"` (or before the closing quote) are doubled and a `"` is
//! escaped with a backslash, and other backslashes stay single.
//!
//! An end-to-end test plans a profile with such values and checks that `command` holds them
//! quoted and `argv` raw.
use super::plan;
use crate::windows::command_line_to_argv;
use mim_setup::plan::msiexec::{msi_property, quote_arg, MsiQuoteError};
use proptest::prelude::*;

/// msiexec's reading of one `NAME=value` token (rule 2 backwards).
fn read_msi_property(token: &str) -> (String, String) {
    let (name, value) = token.split_once('=').expect("NAME=value");
    let value = match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => value.to_string(),
    };
    (name.to_string(), value)
}

#[test]
fn msiexec_properties_are_quoted_by_msiexec_rules() {
    let rows: &[(&str, &str)] = &[
        ("plain", "P=plain"),
        ("FIMSynchronizationService", "P=FIMSynchronizationService"),
        (r"contoso\MIMSyncAdmins", r"P=contoso\MIMSyncAdmins"),
        ("", r#"P="""#),
        (r"C:\Program Files\MIM\", r#"P="C:\Program Files\MIM\""#),
        (r"C:\MIM\", r"P=C:\MIM\"),
        (r#"say "hi""#, r#"P="say ""hi""""#),
        (r#"""#, r#"P="""""#),
        ("100%", r#"P="100%""#),
        ("%TEMP%", r#"P="%TEMP%""#),
        ("a;b", r#"P="a;b""#),
        ("a&b", r#"P="a&b""#),
        ("a|b", r#"P="a|b""#),
        ("a^b", r#"P="a^b""#),
        ("a=b", r#"P="a=b""#),
        ("O'Brien", r#"P="O'Brien""#),
        ("(x)", r#"P="(x)""#),
        ("tab\there", "P=\"tab\there\""),
        ("Üser", "P=Üser"),
        ("contoso\\Gruppe Ä", "P=\"contoso\\Gruppe Ä\""),
        ("日本語", "P=日本語"),
    ];
    for (value, want) in rows {
        let got = msi_property("P", value).unwrap();
        assert_eq!(got, *want, "{value:?}");
        assert_eq!(
            read_msi_property(&got),
            ("P".to_string(), value.to_string())
        );
    }
}

#[test]
fn line_breaks_and_nul_cannot_be_passed_to_msiexec() {
    for value in ["a\nb", "a\rb", "a\r\nb", "\n", "a\0b", "\0"] {
        let err: MsiQuoteError = msi_property("GROUPADMINS", value).unwrap_err();
        assert_eq!(err.name, "GROUPADMINS");
        let text = err.to_string();
        assert!(text.starts_with("GROUPADMINS: "), "{text}");
        assert!(!text.contains(value), "the value is not echoed: {text}");
    }
}

#[test]
fn arguments_are_quoted_for_command_line_to_argv() {
    let rows: &[(&str, &str)] = &[
        ("plain", "plain"),
        ("", r#""""#),
        ("two words", r#""two words""#),
        (r"C:\dir with space\", r#""C:\dir with space\\""#),
        (r"C:\no_space\", r"C:\no_space\"),
        (r"C:\a\\b", r"C:\a\\b"),
        (r#"a"b"#, r#""a\"b""#),
        (r#"a\"b"#, r#""a\\\"b""#),
        (r#"a\\"b"#, r#""a\\\\\"b""#),
        (r#"""#, r#""\"""#),
        ("100% ;x", r#""100% ;x""#),
        ("Ünï côde", r#""Ünï côde""#),
        ("a\tb", "\"a\tb\""),
        ("a\nb", "\"a\nb\""),
    ];
    for (arg, want) in rows {
        assert_eq!(quote_arg(arg), *want, "{arg:?}");
        assert_eq!(
            command_line_to_argv(&quote_arg(arg)).parts,
            vec![arg.to_string()],
            "{arg:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Any argument list, quoted and joined, reads back as the same list.
    #[test]
    fn quoted_arguments_read_back_unchanged(
        args in proptest::collection::vec("[a-z \\\\\"\t%;Ü]{0,12}", 1..6)
    ) {
        let line = args.iter().map(|a| quote_arg(a)).collect::<Vec<_>>().join(" ");
        prop_assert_eq!(command_line_to_argv(&line).parts, args);
    }

    /// Any value without a line break or NUL passes to msiexec and reads back unchanged;
    /// a bare value holds no character that would split or rewrite it.
    #[test]
    fn msi_values_read_back_unchanged(value in "[^\r\n\0]{0,24}") {
        let token = msi_property("INSTALLDIR", &value).unwrap();
        prop_assert_eq!(read_msi_property(&token), ("INSTALLDIR".to_string(), value.clone()));
        if !token.starts_with("INSTALLDIR=\"") {
            prop_assert!(!value.is_empty());
            prop_assert!(!value.contains([' ', '\t', '"', '%', ';', '&', '=']));
        }
    }
}

/// Values with spaces, `%`, `;`, `'`, `&`, parentheses and Unicode, where the rules allow
/// them (a `"` is allowed in no Windows path or AD name, so it reaches msiexec only through
/// the unit tests above), planned from a profile file.
#[test]
fn hostile_values_reach_the_plan_quoted() {
    let values = [
        (
            "folder = 'C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\'",
            r"folder = 'C:\MIM 100% ready;x (test) & more\'",
        ),
        ("media = 'D:\\'", r"media = 'D:\Média;2\'"),
        (
            "admins = 'contoso\\MIMSyncAdmins'",
            r"admins = 'contoso\MIM Sync Admins'",
        ),
        (
            "operators = 'contoso\\MIMSyncOperators'",
            r"operators = 'contoso\Ops 100% & (all)'",
        ),
        (
            "joiners = 'contoso\\MIMSyncJoiners'",
            r"joiners = 'contoso\Jöiners'",
        ),
        (
            "browse = 'contoso\\MIMSyncBrowse'",
            "browse = \"contoso\\\\O'Brien Browse\"",
        ),
        (
            "key_backup = 'C:\\MIMBackup\\MIMSyncKey.bin'",
            r#"key_backup = "C:\\MIM Backup's\\key 1.bin""#,
        ),
    ];
    let mut text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/contoso-sync.toml"
    ))
    .unwrap();
    for (from, to) in values {
        assert!(text.contains(from), "{from}");
        text = text.replacen(from, to, 1);
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("hostile.toml");
    std::fs::write(&file, &text).unwrap();
    let v: toml::Value = toml::from_str(&plan(file.to_str().unwrap(), false)).unwrap();
    let install = &v["steps"][0];
    let command = install["command"].as_str().unwrap();
    let argv: Vec<&str> = install["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for (quoted, raw) in [
        (
            r#"INSTALLDIR="C:\MIM 100% ready;x (test) & more\""#,
            r"INSTALLDIR=C:\MIM 100% ready;x (test) & more\",
        ),
        (
            r#"GROUPADMINS="contoso\MIM Sync Admins""#,
            r"GROUPADMINS=contoso\MIM Sync Admins",
        ),
        (
            r#"GROUPOPERATORS="contoso\Ops 100% & (all)""#,
            r"GROUPOPERATORS=contoso\Ops 100% & (all)",
        ),
        (
            r"GROUPACCOUNTJOINERS=contoso\Jöiners",
            r"GROUPACCOUNTJOINERS=contoso\Jöiners",
        ),
        (
            r#"GROUPBROWSE="contoso\O'Brien Browse""#,
            r"GROUPBROWSE=contoso\O'Brien Browse",
        ),
    ] {
        assert!(
            command.contains(&format!(" {quoted}")),
            "{quoted} in {command}"
        );
        assert!(argv.contains(&raw), "{raw} in {argv:?}");
    }
    assert_eq!(
        install["working_dir"].as_str(),
        Some(r"D:\Média;2\Synchronization Service")
    );
    // The key backup folder is created by PowerShell, in single quotes with ' doubled, and
    // miiskmu gets the file and the install folder as quoted arguments.
    let mkdir = &v["steps"][2];
    let ps = mkdir["argv"][4].as_str().unwrap();
    assert_eq!(
        ps,
        r"New-Item -ItemType Directory -Force -Path 'C:\MIM Backup''s' | Out-Null"
    );
    assert_eq!(
        command_line_to_argv(mkdir["command"].as_str().unwrap()).parts[4],
        ps
    );
    let export = &v["steps"][3];
    let export_argv: Vec<String> = export["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        export_argv[0],
        r"C:\MIM 100% ready;x (test) & more\Synchronization Service\Bin\miiskmu.exe"
    );
    assert_eq!(export_argv[2], r"C:\MIM Backup's\key 1.bin");
    assert_eq!(
        command_line_to_argv(export["command"].as_str().unwrap()).parts,
        export_argv
    );
}

/// A value msiexec cannot take never reaches a plan: nothing is written.
#[test]
fn a_line_break_in_a_value_writes_no_plan() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/profiles/contoso-sync.toml"
    ))
    .unwrap()
    .replacen(
        "admins = 'contoso\\MIMSyncAdmins'",
        "admins = \"contoso\\\\MIMSync\\nAdmins\"",
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("newline.toml");
    std::fs::write(&file, &text).unwrap();
    let out = dir.path().join("plan.toml");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_mim-setup"))
        .args(["plan", file.to_str().unwrap(), "-o", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert_ne!(o.status.code(), Some(0));
    assert!(!out.exists());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
