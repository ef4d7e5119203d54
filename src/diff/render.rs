//! A diff as text for a terminal (colour unless `NO_COLOR` or `--color never`) and as JSON.
//!
//! Text shows one line per change under a heading per screen or step; a value is quoted
//! with its control characters escaped (a newline shows as `\n`, an escape character never
//! reaches the terminal), and a long value is folded onto lines of its own with the first
//! character that differs.
use super::{Area, Change, Diff, Op};
use crate::screens::Screens;
use serde_json::{json, Value};
use std::fmt::Write as _;

/// The stable JSON form; `format` names its version.
pub fn json(diff: &Diff) -> String {
    let doc = json!({
        "format": "mim-setup-diff/1",
        "same": diff.same(),
        "compared": diff.compared,
        "a": diff.a,
        "b": diff.b,
        "changes": diff.changes,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default() + "\n"
}

/// Lines longer than this are folded.
const WIDTH: usize = 100;

struct Paint(bool);

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.0 {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn old(&self, s: &str) -> String {
        self.wrap("31", s)
    }
    fn added(&self, s: &str) -> String {
        self.wrap("32", s)
    }
    fn changed(&self, s: &str) -> String {
        self.wrap("33", s)
    }
    fn moved(&self, s: &str) -> String {
        self.wrap("36", s)
    }
    fn heading(&self, s: &str) -> String {
        self.wrap("1", s)
    }
}

pub fn text(diff: &Diff, screens: &Screens, colour: bool) -> String {
    let p = Paint(colour);
    let side = |s: &super::Side| match &s.through {
        Some(profile) => format!(
            "{} {} (through its profile {})",
            s.kind,
            quoted(&s.path),
            quoted(profile)
        ),
        None => format!("{} {}", s.kind, quoted(&s.path)),
    };
    let mut out = format!("--- {}\n+++ {}\n", side(&diff.a), side(&diff.b));
    if diff.same() {
        out.push_str(&format!(
            "the same: no difference in the {} compared\n",
            diff.compared
        ));
        return out;
    }
    let mut last = String::new();
    for c in &diff.changes {
        let h = heading(c, screens);
        if h != last {
            out.push_str(&format!("\n{}\n", p.heading(&h)));
            last = h;
        }
        line(&mut out, c, screens, &p);
    }
    let n = diff.changes.len();
    out.push_str(&format!(
        "\n{n} change{} in the {} compared\n",
        if n == 1 { "" } else { "s" },
        diff.compared
    ));
    out
}

fn heading(c: &Change, screens: &Screens) -> String {
    let scope = c.scope.as_deref().unwrap_or("");
    match c.area {
        Area::Answer => match screens.screen(scope) {
            Some(s) => format!("screen {scope} ({})", s.title),
            None => format!("screen {scope}"),
        },
        Area::Acknowledged => "acknowledged warnings".into(),
        Area::Plan => "plan".into(),
        Area::Steps => "steps".into(),
        Area::Step | Area::Argument | Area::Property => format!("step {scope}"),
        Area::Secret => "secrets (references only)".into(),
        Area::Interactive => format!("interactive answers of step {scope}"),
        Area::Note => "notes".into(),
        Area::Fact => "facts the live checks saw".into(),
    }
}

/// What the change is about, as the line names it.
fn subject(c: &Change, screens: &Screens) -> String {
    let base = match c.area {
        Area::Answer => {
            let path = format!("{}.{}", c.scope.as_deref().unwrap_or(""), c.name);
            match screens.field(&path) {
                Some((_, f)) if !f.label.is_empty() => format!("{} ({})", c.name, f.label),
                _ => c.name.clone(),
            }
        }
        Area::Steps => format!("step {}", c.name),
        Area::Argument => "argument".into(),
        Area::Property => format!("property {}", c.name),
        Area::Interactive => quoted(&c.name),
        Area::Secret => format!("secret {}", c.name),
        Area::Acknowledged if c.attribute.is_some() => c.name.clone(),
        Area::Note | Area::Acknowledged => String::new(),
        _ => c.name.clone(),
    };
    match &c.attribute {
        Some(a) => format!("{base} {a}"),
        None => base,
    }
}

fn line(out: &mut String, c: &Change, screens: &Screens, p: &Paint) {
    let subject = subject(c, screens);
    let old = c.old.as_ref().map(shown).unwrap_or_default();
    let new = c.new.as_ref().map(shown).unwrap_or_default();
    let _ = match c.op {
        Op::Added => fold(out, &p.added("+"), &subject, None, Some(new.as_str()), p),
        Op::Removed => fold(out, &p.old("-"), &subject, Some(old.as_str()), None, p),
        Op::Changed => {
            let r = fold(
                out,
                &p.changed("~"),
                &subject,
                Some(old.as_str()),
                Some(new.as_str()),
                p,
            );
            // Where two long texts part, counted in the values themselves (not their quoting).
            if let (Some(Value::String(o)), Some(Value::String(n))) = (&c.old, &c.new) {
                if !fits(&subject, Some(&old), Some(&new)) {
                    let at = o.chars().zip(n.chars()).take_while(|(x, y)| x == y).count();
                    let _ = writeln!(out, "      (first difference at character {})", at + 1);
                }
            }
            r
        }
        Op::Moved => writeln!(
            out,
            "  {} {subject} moved: position {old} -> {new}",
            p.moved(">")
        ),
    };
}

/// Whether a change's line fits in `WIDTH` characters.
fn fits(label: &str, old: Option<&str>, new: Option<&str>) -> bool {
    let values = match (old, new) {
        (Some(o), Some(n)) => o.chars().count() + n.chars().count() + 4,
        (Some(v), None) | (None, Some(v)) => v.chars().count(),
        (None, None) => 0,
    };
    label.chars().count() + values + 6 <= WIDTH
}

/// One line when it fits; else each value on lines of its own (under the subject, or, for
/// a change that has none, such as a note, starting on the change's own line).
fn fold(
    out: &mut String,
    mark: &str,
    label: &str,
    old: Option<&str>,
    new: Option<&str>,
    p: &Paint,
) -> std::fmt::Result {
    let sep = if label.is_empty() { "" } else { ": " };
    if fits(label, old, new) {
        let painted = match (old, new) {
            (Some(o), Some(n)) => format!("{} -> {}", p.old(o), p.added(n)),
            (Some(v), None) => p.old(v),
            (None, Some(v)) => p.added(v),
            (None, None) => String::new(),
        };
        return writeln!(out, "  {mark} {label}{sep}{painted}");
    }
    if label.is_empty() {
        // A single value with no subject: its own mark, folded under it.
        let (v, paint): (&str, fn(&Paint, &str) -> String) = match (old, new) {
            (Some(v), None) => (v, Paint::old),
            (_, Some(v)) => (v, Paint::added),
            (None, None) => ("", Paint::added),
        };
        for (i, piece) in pieces(v).iter().enumerate() {
            let lead = if i == 0 {
                format!("  {mark} ")
            } else {
                "    ".to_string()
            };
            writeln!(out, "{lead}{}", paint(p, piece))?;
        }
        return Ok(());
    }
    writeln!(out, "  {mark} {label}")?;
    if let Some(o) = old {
        for piece in pieces(o) {
            writeln!(out, "      {}", p.old(&format!("- {piece}")))?;
        }
    }
    if let Some(n) = new {
        for piece in pieces(n) {
            writeln!(out, "      {}", p.added(&format!("+ {piece}")))?;
        }
    }
    Ok(())
}

/// A shown value cut into lines of at most `WIDTH - 10` characters, after a space where one
/// is near the end of a line, else in the middle of a word.
fn pieces(s: &str) -> Vec<String> {
    let width = WIDTH - 10;
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut end = (start + width).min(chars.len());
        if end < chars.len() {
            if let Some(space) = chars[start + width / 2..end]
                .iter()
                .rposition(|c| *c == ' ')
            {
                end = start + width / 2 + space + 1;
            }
        }
        out.push(chars[start..end].iter().collect());
        start = end;
    }
    if out.is_empty() {
        out.push(String::new());
    }
    out
}

/// A value as text: a string quoted and escaped, anything else as JSON writes it.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => quoted(s),
        other => other.to_string(),
    }
}

/// `"..."` with `"` and `\` escaped, control characters and bidirectional overrides as
/// `\n`, `\t`, `\u{..}`: what reaches the terminal is always visible text.
pub fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() || is_bidi(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that reorder the text around them (the "Trojan Source" class).
fn is_bidi(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

#[cfg(test)]
mod tests {
    use super::{pieces, quoted, WIDTH};

    #[test]
    fn hostile_text_stays_visible_and_on_one_line() {
        let cases = [
            ("plain", "\"plain\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("C:\\MIM\\", "\"C:\\\\MIM\\\\\""),
            ("a\nb\r\n", "\"a\\nb\\r\\n\""),
            ("tab\there", "\"tab\\there\""),
            ("\x1b[31mred", "\"\\u{1b}[31mred\""),
            ("bell\x07", "\"bell\\u{7}\""),
            ("rtl\u{202e}txt", "\"rtl\\u{202e}txt\""),
            ("", "\"\""),
            ("Ünïcødé", "\"Ünïcødé\""),
        ];
        for (raw, want) in cases {
            let got = quoted(raw);
            assert_eq!(got, want, "{raw:?}");
            assert!(!got.chars().any(|c| c.is_control()), "{got:?}");
        }
    }

    #[test]
    fn long_values_fold_into_bounded_lines_that_join_back() {
        for len in [0, 1, WIDTH - 10, WIDTH - 9, 5000] {
            let s: String = "ab€ c".chars().cycle().take(len).collect();
            let p = pieces(&s);
            assert!(p.iter().all(|l| l.chars().count() <= WIDTH - 10));
            assert_eq!(p.concat(), s);
        }
    }
}
