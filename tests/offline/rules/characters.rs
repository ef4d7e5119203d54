//! `src/rules/characters.rs`: look-alike letters, invisible characters and surrounding white
//! space in every name field, through `evaluate_screen` (the check runs before the field's
//! own rules). One table of values, run on a field of each kind of name.
use super::*;
use mim_setup::rules::evaluate_screen;

/// A field of each kind of name, with a good value, and what the finding says fails.
const FIELDS: &[(&str, &str, bool, &str)] = &[
    // (field path, good value, Service and Portal flow, what is not found)
    (
        "service_account.name",
        "MIMSync",
        false,
        "will not find the account",
    ),
    (
        "service_account.domain",
        "contoso",
        false,
        "will not find the domain",
    ),
    (
        "groups.admins",
        "contoso\\MIMSyncAdmins",
        false,
        "will not find the group",
    ),
    (
        "sql.server",
        "corpsql.contoso.com",
        false,
        "will not find the host",
    ),
    (
        "sync_link.ma_account",
        "contoso\\MIMMA",
        true,
        "will not find the account",
    ),
    (
        "sync_link.server",
        "corpsync.contoso.com",
        true,
        "will not find the host",
    ),
    (
        "mim_service.email",
        "mimservice@contoso.com",
        true,
        "will not find the mailbox",
    ),
    (
        "portal.sharepoint_url",
        "http://corpidm.contoso.local",
        true,
        "will not find the host",
    ),
];

/// How each value is changed from the field's good value, and the check (with the text its
/// evidence must hold) it must give; None for no finding of this check.
fn variants(good: &str) -> Vec<(String, Option<(&'static str, String)>)> {
    let n = good.chars().count();
    let at = |i: usize, len: usize| format!("at position {i} of {len}");
    let swap = |from: char, to: char| good.replacen(from, &to.to_string(), 1);
    let pos_of = |c: char| good.chars().position(|x| x == c).map_or(0, |i| i + 1);
    // Every good value has a 'c'; the Greek look-alike replaces an 'o', else an 'M'.
    let c = pos_of('c');
    let (greek_of, greek, greek_code) = if good.contains('o') {
        ('o', 'ο', "03BF")
    } else {
        ('M', 'Μ', "039C")
    };
    let g = pos_of(greek_of);
    vec![
        (good.to_string(), None),
        // Another alphabet, each letter passing for a Latin one.
        (
            swap('c', 'с'),
            Some((
                "name-lookalike",
                format!(
                    "Cyrillic 'с' (U+0441) {}, which looks like the Latin 'c'",
                    at(c, n)
                ),
            )),
        ),
        (
            swap(greek_of, greek),
            Some((
                "name-lookalike",
                format!("Greek '{greek}' (U+{greek_code}) {}", at(g, n)),
            )),
        ),
        (
            swap('c', 'ｃ'),
            Some((
                "name-lookalike",
                format!("fullwidth 'ｃ' (U+FF43) {}", at(c, n)),
            )),
        ),
        // Characters that take no room.
        (
            format!("{good}\u{200B}"),
            Some((
                "name-invisible",
                format!("zero-width space (U+200B) {}", at(n + 1, n + 1)),
            )),
        ),
        (
            format!("\u{200D}{good}"),
            Some((
                "name-invisible",
                format!("zero-width joiner (U+200D) {}", at(1, n + 1)),
            )),
        ),
        (
            format!("\u{202E}{good}"),
            Some(("name-invisible", "right-to-left override".into())),
        ),
        (
            format!("{good}\u{200E}"),
            Some(("name-invisible", "left-to-right mark (U+200E)".into())),
        ),
        (
            format!("\u{FEFF}{good}"),
            Some(("name-invisible", "byte-order mark".into())),
        ),
        (
            format!("{good}\u{2066}"),
            Some(("name-invisible", "directional isolate (U+2066)".into())),
        ),
        (
            format!("{good}\u{00AD}"),
            Some(("name-invisible", "soft hyphen (U+00AD)".into())),
        ),
        (
            format!("{good}\u{0007}"),
            Some(("name-invisible", "control character (U+0007)".into())),
        ),
        (
            format!("{good}\u{00A0}"),
            Some((
                "name-invisible",
                format!("no-break space (U+00A0) {}", at(n + 1, n + 1)),
            )),
        ),
        // White space around the name.
        (
            format!("{good} "),
            Some(("name-spaces", format!("a space {}", at(n + 1, n + 1)))),
        ),
        (
            format!("{good}  "),
            Some(("name-spaces", format!("a space {}", at(n + 2, n + 2)))),
        ),
        (
            format!(" {good}"),
            Some(("name-spaces", format!("a space {}", at(1, n + 1)))),
        ),
        (
            format!("{good}\t"),
            Some(("name-spaces", "a tab (U+0009)".into())),
        ),
    ]
}

fn findings_at(path: &str, sp: bool, value: &str) -> Vec<Finding> {
    let (screen_id, _) = path.split_once('.').unwrap();
    let mut a = if sp { sp_answers() } else { valid_answers() };
    a.set(path, text(value));
    evaluate_screen(screen(screen_id), &a)
        .into_iter()
        .filter(|f| f.field.as_deref() == Some(path))
        .collect()
}

#[test]
fn look_alike_invisible_and_surrounding_characters_are_errors_in_every_name_field() {
    let mut failures = Vec::new();
    for (path, good, sp, not_found) in FIELDS {
        for (value, want) in variants(good) {
            let got = findings_at(path, *sp, &value);
            let ours: Vec<&Finding> = got
                .iter()
                .filter(|f| f.check.starts_with("name-"))
                .collect();
            match (&want, ours.as_slice()) {
                (None, []) => {}
                (Some((check, evidence)), [f]) => {
                    let e = f.evidence.clone().unwrap_or_default();
                    if f.check != *check
                        || !e.contains(evidence.as_str())
                        || f.severity != Severity::Error
                    {
                        failures.push(format!(
                            "{path} = {value:?}: want {check} with {evidence:?}, got {} {e:?}",
                            f.check
                        ));
                    }
                    if !f.why.contains(not_found) {
                        failures.push(format!(
                            "{path}: why does not say it {not_found}: {}",
                            f.why
                        ));
                    }
                    well_formed(f).unwrap();
                    // The field's own rules do not run on top of it.
                    if got.len() != 1 {
                        failures.push(format!("{path} = {value:?}: more findings {got:?}"));
                    }
                }
                _ => failures.push(format!("{path} = {value:?}: want {want:?}, got {ours:?}")),
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn names_of_one_other_alphabet_and_latin_accents_are_not_look_alikes() {
    let rows = [
        // Latin letters with accents are Latin: not look-alikes.
        ("service_account.name", "Müller", None),
        ("service_account.name", "Jośé", None),
        // A name in Cyrillic with letters that do not pass for Latin ones is a real name.
        ("service_account.name", "Иванов", None),
        // One look-alike among Latin letters, or a word made only of look-alikes, is not.
        (
            "service_account.name",
            "MIMSуnc",
            Some("Cyrillic 'у' (U+0443) at position 5 of 7, which looks like the Latin 'y'"),
        ),
        (
            "service_account.name",
            "МІМ",
            Some("Cyrillic 'М' (U+041C) at position 1 of 3"),
        ),
        (
            "service_account.name",
            "MIM\u{0131}",
            Some("Turkish dotless 'ı' (U+0131)"),
        ),
        (
            "service_account.name",
            "MIM１",
            Some("fullwidth '１' (U+FF11)"),
        ),
        // Spaces inside a name are the name's own.
        ("groups.admins", "contoso\\MIM Sync Admins", None),
    ];
    for (path, value, want) in rows {
        let got = findings_at(path, false, value);
        let ours: Vec<&Finding> = got
            .iter()
            .filter(|f| f.check.starts_with("name-"))
            .collect();
        match (want, ours.as_slice()) {
            (None, []) => {}
            (Some(evidence), [f]) => {
                let e = f.evidence.clone().unwrap_or_default();
                assert!(e.contains(evidence), "{value:?}: {e}");
            }
            _ => panic!("{value:?}: want {want:?}, got {ours:?}"),
        }
    }
    // The fix spells the name as it was meant.
    let f = &findings_at("service_account.name", false, "MIMSуnc")[0];
    assert!(f.fix.contains("'MIMSync'"), "{}", f.fix);
    let f = &findings_at("service_account.name", false, "MIMSync ")[0];
    assert!(f.fix.contains("after the name: 'MIMSync'"), "{}", f.fix);
}
