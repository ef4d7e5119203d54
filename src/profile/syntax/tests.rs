//! The syntax errors of whole profiles and the helpers that read the text around them.
#![allow(clippy::unwrap_used)]
use super::{assigned_key, depth, integer_on, non_ascii_key};

/// The shipped Sync profile with one line replaced: its one load error, as
/// (line, key, message, fix).
fn load_error(from: &str, to: &str) -> (usize, Option<String>, String, String) {
    let sync = include_str!("../../../profiles/contoso-sync.toml");
    assert!(sync.contains(from), "{from}");
    let text = sync.replacen(from, to, 1);
    let screens = crate::screens::Screens::embedded().unwrap();
    let e = crate::profile::load_str("p.toml", &text, screens, false).unwrap_err();
    assert_eq!(e.0.len(), 1, "{e}");
    let e = e.0.into_iter().next().unwrap();
    (e.line, e.key, e.message, e.fix.unwrap_or_default())
}

#[test]
fn syntax_errors_name_the_key_and_never_echo_raw_or_huge_text() {
    let server = "server = \"corpsql.contoso.com\"";
    let database = "database = \"FIMSynchronizationService\"";
    let huge = "v".repeat(3000);
    // (line replaced, by, line, key, message holds, fix holds)
    let rows: Vec<(&str, String, usize, &str, &str, &str)> = vec![
        // A non-ASCII letter in a bare key, a header or a table header of an array.
        (
            server,
            "sërver = \"x\"".into(),
            33,
            "sql.sërver",
            "non-ASCII character in a key: 'ë' (U+00EB)",
            "did you mean `server`?",
        ),
        (
            server,
            "ѕerver = \"x\"".into(),
            33,
            "sql.ѕerver",
            "'ѕ' (U+0455)",
            "did you mean `server`?",
        ),
        (
            server,
            "  databäse = \"x\"".into(),
            33,
            "sql.databäse",
            "'ä' (U+00E4)",
            "did you mean `database`?",
        ),
        (
            "[sql]",
            "[sqł]".into(),
            31,
            "sqł",
            "'ł' (U+0142)",
            "did you mean `sql`?",
        ),
        (
            "[groups]",
            "[grоups]".into(),
            43,
            "grоups",
            "'о' (U+043E)",
            "did you mean `groups`?",
        ),
        (
            "schema_version = 1",
            "schéma_version = 1".into(),
            4,
            "schéma_version",
            "'é' (U+00E9)",
            "did you mean `schema_version`?",
        ),
        (
            server,
            "日本 = \"x\"".into(),
            33,
            "sql.日本",
            "'日' (U+65E5)",
            "type the key again",
        ),
        // Integers beyond 64 bits, in any key and any base.
        (
            "firewall_rpc = true",
            "firewall_rpc = 99999999999999999999".into(),
            51,
            "security.firewall_rpc",
            "the number 99999999999999999999 is too large",
            "ports are 1 to 65535",
        ),
        (
            "schema_version = 1",
            "schema_version = -9223372036854775809".into(),
            4,
            "schema_version",
            "-9223372036854775809 is too large",
            "",
        ),
        (
            database,
            "database = 0xFFFFFFFFFFFFFFFFFFFF".into(),
            35,
            "sql.database",
            "0xFFFFFFFFFFFFFFFFFFFF is too large",
            "",
        ),
        // Nesting too deep: arrays, inline tables, both, over lines.
        (
            database,
            format!("database = {}", "[".repeat(200)),
            35,
            "sql.database",
            "nested too deep",
            "",
        ),
        (
            database,
            format!("database = {}", "{ a = ".repeat(200)),
            35,
            "sql.database",
            "nested too deep",
            "",
        ),
        (
            database,
            format!("database = [\n{}", "[{ a = ".repeat(100)),
            36,
            "sql.database",
            "nested too deep",
            "",
        ),
    ];
    for (from, to, line, key, message, fix) in rows {
        let (l, k, m, f) = load_error(from, &to);
        let row = to.chars().take(40).collect::<String>();
        assert_eq!((l, k.as_deref()), (line, Some(key)), "{row}: {m}");
        assert!(m.contains(message), "{row}: {m}");
        assert!(f.contains(fix), "{row}: {f}");
        assert!(m.chars().count() < 300, "{row}: {m}");
    }
    // Other syntax errors keep the parser's message, one line, without raw or huge text.
    let (_, key, m, f) = load_error(database, &format!("database = \"{huge}\u{1b}"));
    assert_eq!(key, None);
    assert!(m.starts_with("this is not valid TOML: "), "{m}");
    assert!(
        !m.contains('\u{1b}') && !m.contains('\n') && m.chars().count() < 300,
        "{m}"
    );
    assert!(f.contains("matching quotes"), "{f}");
}

#[test]
fn nesting_depth_counts_arrays_and_tables_outside_strings() {
    let cases = [
        ("a = 1", 0),
        ("a = [1, [2]]", 2),
        ("a = { b = [ { c = 1 } ] }", 3),
        ("a = \"[[[[\"", 0),
        ("a = '{{{{' ", 0),
        ("a = [[]] + [[[", 3),
    ];
    for (text, want) in cases {
        assert_eq!(depth(text), want, "{text}");
    }
    assert_eq!(depth(&format!("a = {}", "[".repeat(300))), 300);
}

#[test]
fn non_ascii_letters_in_keys_are_found_and_quoted_keys_left_to_the_reader() {
    let cases = [
        ("sërver = \"x\"", Some(("sërver", 'ë', 1))),
        ("  dätabase=1", Some(("dätabase", 'ä', 3))),
        ("[sqł]", Some(("sqł", 'ł', 3))),
        ("[[grоups]]", Some(("grоups", 'о', 4))),
        ("server = \"sërver\"", None),
        ("\"sërver\" = 1", None),
        ("server = 1", None),
    ];
    for (line, want) in cases {
        let got = non_ascii_key(line);
        let want = want.map(|(k, c, i)| (k.to_string(), c, i));
        assert_eq!(got, want, "{line}");
    }
}

#[test]
fn integers_beyond_64_bits_are_found() {
    let cases = [
        ("port = 99999999999999999999", true),
        ("port = 9223372036854775807", false),
        ("port = 9223372036854775808", true),
        ("port = -99999999999999999999", true),
        ("port = 1_000_000_000_000_000_000_000", true),
        ("port = 0xFFFFFFFFFFFFFFFFFF", true),
        ("port = 0x7F", false),
        ("ports = [1, 99999999999999999999]", false),
        ("port = \"99999999999999999999\"", false),
        ("port = 1e999", false),
    ];
    for (line, want) in cases {
        assert_eq!(integer_on(line).is_some(), want, "{line}");
    }
}

#[test]
fn assigned_keys_are_read_bare_or_quoted() {
    assert_eq!(assigned_key("server = 1").as_deref(), Some("server"));
    assert_eq!(assigned_key("  \"port\" = [").as_deref(), Some("port"));
    assert_eq!(assigned_key("[sql]"), None);
    assert_eq!(assigned_key("# a = 1"), None);
    assert_eq!(assigned_key("  [1, 2],"), None);
}
