//! Text helpers shared by the exporters: comments, PowerShell
//! string expressions, YAML scalars and Jinja escaping.
//!
//! PowerShell literals follow `crate::plan`'s rules (`plan::ps_literal::single_quoted`: single
//! quotes, with `'` and the typographic single quotes doubled). A literal cannot show a line
//! break on the one line a reader checks, so a value holding CR, LF or NUL becomes a
//! concatenation: `('a' + "`n" + 'b')`, where the double-quoted parts hold only an escape.
pub use crate::plan::placeholder::{segments, Seg};
use crate::plan::ps_literal::single_quoted;

/// `text` as `# ` comment lines (each line of it prefixed), wrapped near `width`.
pub fn comment(prefix: &str, text: &str, width: usize) -> String {
    let mut out = String::new();
    for line in text.lines() {
        for wrapped in wrap(line, width) {
            out.push_str(prefix);
            if !wrapped.is_empty() {
                out.push(' ');
                out.push_str(&not_a_signature(&wrapped));
            }
            out.push('\n');
        }
    }
    if text.is_empty() {
        out.push_str(prefix);
        out.push('\n');
    }
    out
}

/// `text` as one list item in comments: `{prefix} - ` first, continuation lines indented.
pub fn comment_item(prefix: &str, text: &str, width: usize) -> String {
    let mut out = String::new();
    let one = text.replace(['\r', '\n'], " ");
    for (i, line) in wrap(&one, width).into_iter().enumerate() {
        let lead = if i == 0 { "-" } else { " " };
        out.push_str(&format!("{prefix}   {lead} {}\n", not_a_signature(&line)));
    }
    out
}

/// A comment line's text that cannot read as the start of a signature block.
///
/// PowerShell takes a line `# SIG # Begin signature block` for the start of an Authenticode
/// signature and refuses the script when what follows is no signature. Text from the plan
/// could wrap into such a line, so a comment line whose first word is `SIG` (in any case)
/// gets a `| ` before it.
pub fn not_a_signature(line: &str) -> std::borrow::Cow<'_, str> {
    let t = line.trim_start();
    let word = t.split(|c: char| !c.is_alphanumeric()).next().unwrap_or("");
    if word.eq_ignore_ascii_case("sig") {
        format!("| {line}").into()
    } else {
        line.into()
    }
}

/// Splits `line` at spaces into pieces of at most `width` characters where it can; the
/// pieces joined with one space give `line` back.
pub fn wrap(line: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for word in line.split(' ') {
        cur = Some(match cur.take() {
            None => word.to_string(),
            Some(c)
                if !c.is_empty()
                    && !word.is_empty()
                    && c.chars().count() + 1 + word.chars().count() > width =>
            {
                out.push(c);
                word.to_string()
            }
            Some(c) => format!("{c} {word}"),
        });
    }
    out.extend(cur);
    out
}

/// A PowerShell expression whose value is exactly `value`, as single-quoted literals.
pub fn ps_expr(value: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut lit = String::new();
    for c in value.chars() {
        let escape = match c {
            '\n' => "\"`n\"",
            '\r' => "\"`r\"",
            '\0' => "\"`0\"",
            _ => {
                lit.push(c);
                continue;
            }
        };
        if !lit.is_empty() {
            parts.push(ps_lit(&std::mem::take(&mut lit)));
        }
        parts.push(escape.to_string());
    }
    if !lit.is_empty() || parts.is_empty() {
        parts.push(ps_lit(&lit));
    }
    if parts.len() == 1 {
        parts.remove(0)
    } else {
        format!("({})", parts.join(" + "))
    }
}

fn ps_lit(value: &str) -> String {
    // `value` holds no CR, LF or NUL here, the only things single_quoted refuses.
    single_quoted("value", value).unwrap_or_else(|_| "''".to_string())
}

/// Escapes Jinja's openers (`{{`, `{%`, `{#`) so that Ansible shows them as text.
pub fn jinja_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '{' {
            if let Some(&n) = chars.peek() {
                if matches!(n, '{' | '%' | '#') {
                    chars.next();
                    out.push_str(&format!("{{{{ '{{{n}' }}}}"));
                    continue;
                }
            }
        }
        out.push(c);
    }
    out
}

/// A YAML scalar for `value`: single-quoted when it has no control characters, else
/// double-quoted with escapes (JSON's, which YAML reads the same).
pub fn yaml_str(value: &str) -> String {
    if value.chars().any(char::is_control) {
        serde_json::to_string(value).unwrap_or_default()
    } else {
        format!("'{}'", value.replace('\'', "''"))
    }
}

/// `value` as a YAML value at `indent`: a folded block (`>-`) wrapped at single spaces
/// when it is long and folds back exactly, else `yaml_str`.
pub fn yaml_folded(value: &str, indent: usize, width: usize) -> String {
    let foldable = !value.is_empty()
        && !value.starts_with([' ', '\t'])
        && !value.ends_with([' ', '\t'])
        && !value.contains("  ")
        && !value.chars().any(char::is_control);
    if value.chars().count() + indent < width {
        return yaml_str(value);
    }
    if !foldable {
        return yaml_quoted_lines(value, indent, width);
    }
    let pad = " ".repeat(indent);
    let mut out = String::from(">-");
    for line in wrap(value, width.saturating_sub(indent)) {
        out.push('\n');
        out.push_str(&pad);
        out.push_str(&line);
    }
    out
}

/// A long value as a YAML double-quoted scalar over several lines: each line but the last
/// ends in `\\` (an escaped line break, which adds nothing), and no line starts with a
/// space (YAML would drop it), so the value reads back exactly.
fn yaml_quoted_lines(value: &str, indent: usize, width: usize) -> String {
    let escaped = serde_json::to_string(value).unwrap_or_default();
    let inner = &escaped[1..escaped.len() - 1];
    // Units that must stay whole: an escape (`\uXXXX` or `\X`) or one character.
    let mut units: Vec<&str> = Vec::new();
    let mut i = 0;
    while i < inner.len() {
        let len = match inner[i..].chars().next() {
            Some('\\') if inner[i..].starts_with("\\u") => 6,
            Some('\\') => 2,
            Some(c) => c.len_utf8(),
            None => break,
        };
        units.push(&inner[i..i + len]);
        i += len;
    }
    let pad = " ".repeat(indent);
    let mut out = String::from("\"");
    let mut line_len = indent;
    for unit in units {
        if line_len >= width.saturating_sub(10) && unit != " " {
            out.push_str("\\\n");
            out.push_str(&pad);
            line_len = indent;
        }
        out.push_str(unit);
        line_len += unit.chars().count();
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found() {
        assert_eq!(
            segments(r"{{log_dir}}\a.log"),
            vec![Seg::LogDir, Seg::Lit(r"\a.log")]
        );
        assert_eq!(
            segments("P={{secret:x_1}}"),
            vec![Seg::Lit("P="), Seg::Secret("x_1")]
        );
        assert_eq!(segments("{{other}}"), vec![Seg::Lit("{{other}}")]);
        assert_eq!(
            segments("a{{x}}{{log_dir}}"),
            vec![Seg::Lit("a{{x}}"), Seg::LogDir]
        );
    }

    #[test]
    fn no_comment_line_starts_a_signature_block() {
        assert_eq!(not_a_signature("Sign out"), "Sign out");
        let value = format!("{} SIG # Begin signature block", "word ".repeat(19));
        for text in [
            comment("#", &value, 96),
            comment("#", "sig # begin signature block", 96),
            comment_item("#", &value, 94),
        ] {
            assert!(text.contains("| SIG") || text.contains("| sig"), "{text}");
            for line in text.lines() {
                let body = line.trim_start_matches(['#', ' ', '-']);
                assert!(!body.to_lowercase().starts_with("sig "), "{line:?}");
            }
        }
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let text = "one two three four five six";
        assert_eq!(wrap(text, 9).join(" "), text);
        assert!(wrap(text, 9).iter().all(|l| l.len() <= 9));
    }

    #[test]
    fn long_values_fold_or_continue_exactly() {
        let long = "word ".repeat(40) + "end";
        let folded = yaml_folded(&long, 4, 60);
        assert!(folded.starts_with(">-\n    word"), "{folded}");
        assert!(folded.lines().all(|l| l.len() <= 60));
        let spaced = format!("{}  x\n\u{1}", "a\"b ".repeat(30));
        let quoted = yaml_folded(&spaced, 4, 60);
        assert!(
            quoted.starts_with('"') && quoted.contains("\\\n    "),
            "{quoted}"
        );
        assert!(quoted.lines().skip(1).all(|l| !l[4..].starts_with(' ')));
        // Joining the lines back (an escaped break adds nothing) gives the JSON string.
        let joined: String = quoted.split("\\\n    ").collect();
        assert_eq!(
            serde_json::from_str::<String>(&joined).ok().as_deref(),
            Some(spaced.as_str())
        );
    }

    #[test]
    fn jinja_openers_are_escaped() {
        assert_eq!(jinja_text("a{{b}}"), "a{{ '{{' }}b}}");
        assert_eq!(jinja_text("{%x{#"), "{{ '{%' }}x{{ '{#' }}");
        assert_eq!(jinja_text("{ x }"), "{ x }");
    }
}
