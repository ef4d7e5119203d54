//! How a key or value of the profile is echoed in a message: never a control or invisible
//! character raw (it would move the cursor, recolour the terminal or reverse the text after
//! it), shown as its TOML escape instead; and never a huge key or value in full, cut with a
//! note saying so.

/// Characters echoed at most; a longer text shows its first `KEPT` characters.
pub const MAX_ECHO: usize = 60;
const KEPT: usize = 40;

/// `s` as messages show it.
pub fn echo(s: &str) -> String {
    echo_within(s, MAX_ECHO, KEPT)
}

/// An acknowledgement's reason as output shows it: escaped as `echo` does, and cut only
/// beyond the longest reason a profile may hold.
pub fn echo_reason(s: &str) -> String {
    let max = super::MAX_REASON;
    echo_within(s, max, max)
}

fn echo_within(s: &str, max: usize, kept: usize) -> String {
    let n = s.chars().count();
    let keep = if n > max { kept } else { max };
    let mut out: String = s.chars().take(keep).map(escaped).collect();
    if n > max {
        out.push_str(&format!("... ({n} characters, cut)"));
    }
    out
}

fn escaped(c: char) -> String {
    if c.is_control() || crate::rules::invisible(c) {
        match c as u32 {
            u @ 0..=0xFFFF => format!("\\u{u:04X}"),
            u => format!("\\U{u:08X}"),
        }
    } else {
        c.to_string()
    }
}

/// Said after "unknown key `...`" when the key holds a letter outside ASCII, which no key of a
/// profile has: the reason the key is unknown, though it may look right.
pub(super) fn non_ascii_note(key: &str) -> String {
    match key.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        Some((i, c)) => format!(
            " (non-ASCII character in a key: '{}' (U+{:04X}) at position {}; keys are ASCII)",
            echo(&c.to_string()),
            c as u32,
            i + 1
        ),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::echo;

    #[test]
    fn control_and_invisible_characters_are_escaped_and_long_texts_cut() {
        let long = "k".repeat(5000);
        let cases: Vec<(&str, String)> = vec![
            ("server", "server".into()),
            ("", String::new()),
            ("a\u{1b}[31mred", "a\\u001B[31mred".into()),
            ("tab\there", "tab\\u0009here".into()),
            ("new\nline", "new\\u000Aline".into()),
            ("del\u{7f}", "del\\u007F".into()),
            ("csi\u{9b}", "csi\\u009B".into()),
            ("rlo\u{202e}txt", "rlo\\u202Etxt".into()),
            ("zw\u{200b}sp", "zw\\u200Bsp".into()),
            ("Müller", "Müller".into()),
            (
                &long,
                format!("{}... (5000 characters, cut)", "k".repeat(40)),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(echo(input), want, "{input:?}");
        }
        let exactly = "x".repeat(super::MAX_ECHO);
        assert_eq!(echo(&exactly), exactly);
        let over = "é".repeat(super::MAX_ECHO + 1);
        assert!(echo(&over).starts_with(&"é".repeat(40)));
        assert!(echo(&over).ends_with("(61 characters, cut)"));
    }
}
