//! No input makes the profile loader, the rules or the plan panic; profiles survive a
//! write-and-read round trip, including text with quotes, backslashes, `'''` and Unicode.
#![allow(clippy::unwrap_used)]

use mim_setup::answers::Value;
use mim_setup::plan::{build, build_from_text, Plan};
use mim_setup::profile::{load_str, to_toml, Profile};
use mim_setup::screens::Screens;
use mim_setup::secret::SecretRef;
use mim_setup::validate::{check_profile, to_json, to_text};
use proptest::prelude::*;

const SYNC: &str = include_str!("../../profiles/contoso-sync.toml");
const GMSA: &str = include_str!("../../profiles/contoso-sync-gmsa.toml");

fn screens() -> &'static Screens {
    Screens::embedded().unwrap()
}

/// Every consumer of a profile's text, as `validate` and `plan` run them.
fn consume(text: &str) {
    match load_str("p.toml", text, screens(), false) {
        Ok(loaded) => {
            let report = check_profile(screens(), &loaded.profile);
            let _ = report.ok();
            let _ = to_text("p.toml", &loaded, &report, true);
            let _ = to_json("p.toml", &loaded, &report);
            if let Ok(p) = build(screens(), &loaded, "p.toml") {
                let _ = (p.to_toml(), p.to_json());
            }
        }
        Err(errors) => {
            // Every error is located inside the text.
            let lines = text.split('\n').count();
            for e in &errors.0 {
                assert!(e.line >= 1 && e.line <= lines, "{e}");
                assert!(e.column >= 1, "{e}");
            }
            let _ = errors.to_string();
        }
    }
    let _ = load_str("p.toml", text, screens(), true);
    let plan: Option<Plan> = build_from_text(screens(), text, "p.toml").ok();
    if let Some(p) = plan {
        let _ = (p.to_toml(), p.to_json());
    }
}

/// Line-level edits of a shipped profile: delete, duplicate, swap, or replace a value.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Duplicate(usize),
    Swap(usize, usize),
    Value(usize, String),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (0usize..64).prop_map(Edit::Delete),
        (0usize..64).prop_map(Edit::Duplicate),
        (0usize..64, 0usize..64).prop_map(|(a, b)| Edit::Swap(a, b)),
        (
            0usize..64,
            prop_oneof![
                Just("1".to_string()),
                Just("true".to_string()),
                Just("[]".to_string()),
                Just("{}".to_string()),
                Just("{ env = \"\" }".to_string()),
                Just("{ prompt = false }".to_string()),
                Just("\"\"".to_string()),
                Just("'C:\\'".to_string()),
                "\"[\\PC]{0,20}\"",
                "'[^'\\n]{0,20}'",
            ]
        )
            .prop_map(|(a, v)| Edit::Value(a, v)),
    ]
}

fn apply(base: &str, edits: &[Edit]) -> String {
    let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
    for e in edits {
        let n = lines.len().max(1);
        match e {
            Edit::Delete(i) if !lines.is_empty() => {
                lines.remove(i % n);
            }
            Edit::Duplicate(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
            }
            Edit::Swap(a, b) if !lines.is_empty() => lines.swap(a % n, b % n),
            Edit::Value(i, v) if !lines.is_empty() => {
                let l = &mut lines[i % n];
                if let Some((key, _)) = l.split_once('=') {
                    *l = format!("{key}= {v}");
                }
            }
            _ => {}
        }
    }
    lines.join("\n")
}

/// Text that is hard to write as TOML: quotes of both kinds, `'''`, `"""`, backslashes,
/// escapes that must stay literal, comment and table syntax, tabs, line breaks, Unicode.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("'''"),
        Just("\"\"\""),
        Just("'"),
        Just("\""),
        Just("\\"),
        Just("\\\\"),
        Just("\\n"),
        Just("\\u0041"),
        Just("C:\\Program Files\\"),
        Just("contoso\\"),
        Just("#"),
        Just("="),
        Just("[sql]"),
        Just("{ env = \"X\" }"),
        Just(" "),
        Just("\t"),
        Just("\n"),
        Just("\r\n"),
        Just("é"),
        Just("日本"),
        Just("🦀"),
        Just("\u{200b}"),
        Just("a"),
        Just("MIM"),
    ];
    proptest::collection::vec(piece, 1..12).prop_map(|v| v.concat())
}

/// The text fields a round trip sets; all are active in the Contoso profile.
const TEXT_FIELDS: &[&str] = &[
    "install.media",
    "install.folder",
    "sql.server",
    "sql.database",
    "service_account.name",
    "service_account.domain",
    "groups.admins",
    "groups.browse",
    "security.key_backup",
];

/// Warnings a Synchronization Service profile can acknowledge.
const SYNC_WARNINGS: &[&str] = &[
    "service-account-logon-rights@service_account.name",
    "group-no-domain@groups.admins",
    "group-no-domain@groups.password_set",
    "netbios-domain-dns@service_account.domain",
    "gmsa-name-length@service_account.name",
    "groups-distinct@groups.operators",
    "sql-collation-case-sensitive@sql.database",
];

fn round_trip(profile: &Profile) -> Result<Profile, TestCaseError> {
    let text = to_toml(profile, screens());
    let again = load_str("p.toml", &text, screens(), profile.draft_screen.is_some())
        .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    prop_assert_eq!(
        to_toml(&again.profile, screens()),
        text,
        "writing is stable"
    );
    Ok(again.profile)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        consume(&text);
    }

    #[test]
    fn arbitrary_text_with_line_breaks_and_toml_syntax_never_panics(
        text in "[a-z_=\\[\\]{}\"'.,#\\\\0-9 \\n\\r\\t\u{0}-\u{1f}é日]{0,300}"
    ) {
        consume(&text);
    }

    #[test]
    fn mutated_contoso_profiles_never_panic(
        gmsa in any::<bool>(),
        at in 0usize..2000,
        cut in 0usize..40,
        insert in "[\\PC\\n\\[\\]={}\"'\\\\,.$]{0,12}",
    ) {
        let base = if gmsa { GMSA } else { SYNC };
        let chars: Vec<char> = base.chars().collect();
        let at = at % (chars.len() + 1);
        let end = (at + cut).min(chars.len());
        let text: String = chars[..at]
            .iter()
            .chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars[end..].iter())
            .collect();
        consume(&text);
    }

    #[test]
    fn line_edited_contoso_profiles_never_panic(
        gmsa in any::<bool>(),
        edits in proptest::collection::vec(edit_strategy(), 1..5),
    ) {
        let base = if gmsa { GMSA } else { SYNC };
        consume(&apply(base, &edits));
    }

    #[test]
    fn text_values_survive_a_round_trip(
        field in proptest::sample::select(TEXT_FIELDS),
        value in prop_oneof![awkward_text(), "[\\PC'\"\\\\]{1,40}"],
    ) {
        let mut profile = load_str("p.toml", SYNC, screens(), false).unwrap().profile;
        profile.answers.set(field, Value::Text(value.clone()));
        let again = round_trip(&profile)?;
        prop_assert_eq!(again.answers.get(field), Some(&Value::Text(value)));
        prop_assert_eq!(again, profile);
    }

    #[test]
    fn secret_references_and_acknowledgements_survive_a_round_trip(
        env in "[A-Za-z_][A-Za-z0-9_]{0,30}",
        prompt in any::<bool>(),
        // Entries that match no warning are refused on load, so these are real ones; awkward
        // text and its quoting are the text values' round trip above.
        acks in proptest::collection::btree_set(proptest::sample::select(SYNC_WARNINGS), 0..4),
        draft in proptest::option::of(proptest::sample::select(&["sql", "groups", "security"][..])),
    ) {
        let mut profile = load_str("p.toml", SYNC, screens(), false).unwrap().profile;
        let reference = if prompt { SecretRef::Prompt } else { SecretRef::Env(env) };
        profile
            .answers
            .set("service_account.password", Value::Secret(reference));
        profile.acknowledged.extend(acks.into_iter().map(str::to_string));
        profile.draft_screen = draft.map(str::to_string);
        let again = round_trip(&profile)?;
        prop_assert_eq!(again, profile);
    }
}

/// Every shipped profile (`profiles/*.toml`), read from the folder so that a new one is
/// covered as soon as it ships.
fn shipped_profiles() -> Vec<(String, String)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut profiles: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    profiles.sort();
    profiles
}

#[test]
fn shipped_profiles_survive_a_round_trip() {
    let profiles = shipped_profiles();
    assert_eq!(profiles.len(), 12, "the shipped profiles: {profiles:?}");
    for (name, text) in &profiles {
        let first = load_str("p.toml", text, screens(), false).unwrap().profile;
        let written = to_toml(&first, screens());
        let second = load_str("p.toml", &written, screens(), false)
            .unwrap()
            .profile;
        assert_eq!(first.answers, second.answers, "{name}\n{written}");
        assert_eq!(first, second, "{name}\n{written}");
        assert_eq!(
            to_toml(&second, screens()),
            written,
            "{name}: writing is stable"
        );
        // The written profile checks and plans as the original does.
        assert!(check_profile(screens(), &second).ok(), "{name}");
        let a = build_from_text(screens(), text, "p.toml").unwrap();
        let b = build_from_text(screens(), &written, "p.toml").unwrap();
        assert_eq!(
            serde_json::to_value(&a.steps).unwrap(),
            serde_json::to_value(&b.steps).unwrap(),
            "{name}"
        );
    }
}
