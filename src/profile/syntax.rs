//! A profile that is not valid TOML: one located error, as helpful as the others where the
//! cause can be read from the text around it, and never echoing the source line (it may
//! hold a secret), a huge key or value, or a control character.
//!
//! - a letter outside ASCII in a bare key (`sërver = ...`): said so, with the nearest key of
//!   that section (or the nearest section for a header);
//! - an integer beyond what TOML holds (64 bits): the key named, with the limit;
//! - arrays or inline tables nested too deep for the reader: the key named.
use super::did_you_mean;
use super::load::Reader;
use super::shown::echo;
use std::ops::Range;

pub(super) const TOML_SYNTAX_FIX: &str = "correct the TOML at that line and column: text needs matching quotes, every key needs `=`, each [section] appears once, and Windows paths are easiest in single quotes ('C:\\MIM\\')";

/// Top-level keys of every profile.
pub(super) const TOP_KEYS: [&str; 5] = [
    "schema_version",
    "component",
    "edition",
    "acknowledged",
    "draft_screen",
];

impl Reader<'_> {
    /// Reports a parse error of the whole file.
    pub(super) fn syntax_error(&mut self, message: &str, span: Option<Range<usize>>) {
        let at = span.as_ref().map_or(0, |s| s.start.min(self.text.len()));
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        let line = &self.text[line_start..line_end];
        if let Some((key, c, col)) = non_ascii_key(line) {
            let known = self.keys_at(line_start);
            let hint = did_you_mean(&key, known.iter().map(String::as_str))
                .map_or(String::new(), |h| format!(" (did you mean `{h}`?)"));
            let section = self.section_at(line_start);
            let dotted = match &section {
                Some(s) if !line.trim_start().starts_with('[') => format!("{s}.{key}"),
                _ => key.clone(),
            };
            self.err(
                Some(line_start + col..line_start + col),
                Some(&echo(&dotted)),
                format!(
                    "non-ASCII character in a key: '{}' (U+{:04X}); keys are ASCII letters, digits, _ and -",
                    echo(&c.to_string()),
                    c as u32
                ),
                Some(format!(
                    "type the key again with plain ASCII letters{hint}"
                )),
            );
            return;
        }
        let key = self.key_before(at);
        if let (Some(key), Some(n)) = (&key, integer_on(line)) {
            self.err(
                span,
                Some(&echo(key)),
                format!(
                    "the number {} is too large: TOML integers are at most {} ({} digits)",
                    echo(&n),
                    i64::MAX,
                    i64::MAX.to_string().len()
                ),
                Some("give the value the field expects (see `mim-setup schema`); ports are 1 to 65535".into()),
            );
            return;
        }
        let text = cleaned(message);
        let deep = text.contains("recursion") || depth(&self.text[line_start..at]) >= DEEP;
        if let (Some(key), true) = (&key, deep) {
            self.err(
                span,
                Some(&echo(key)),
                "the value is nested too deep (arrays or inline tables inside each other beyond what a profile can hold)".to_string(),
                Some("no profile value nests: write the value as the field expects (see `mim-setup schema`)".into()),
            );
            return;
        }
        self.err(
            span,
            None,
            format!("this is not valid TOML: {text}"),
            Some(TOML_SYNTAX_FIX.into()),
        );
    }

    /// The `[section]` header in force at a byte offset, if any.
    fn section_at(&self, at: usize) -> Option<String> {
        self.text[..at].lines().rev().find_map(|l| {
            let t = l.trim();
            let inner = t.strip_prefix('[')?.split(']').next()?;
            Some(inner.trim().trim_matches('[').to_string())
        })
    }

    /// The keys that may stand at a line: the fields of its section, or the sections and
    /// top-level keys.
    fn keys_at(&self, line_start: usize) -> Vec<String> {
        let is_header = self.text[line_start..].trim_start().starts_with('[');
        let section = self.section_at(line_start).filter(|_| !is_header);
        let screens = self.screens.all();
        match section.and_then(|s| screens.iter().find(|x| x.id == s)) {
            Some(screen) => screen.fields.iter().map(|f| f.id.clone()).collect(),
            None => screens
                .iter()
                .filter(|s| !s.fields.is_empty() && s.id != "setup")
                .map(|s| s.id.clone())
                .chain(TOP_KEYS.iter().map(|k| k.to_string()))
                .collect(),
        }
    }

    /// The dotted key whose value holds the byte offset: the last `key =` at or before it
    /// (a value may run over several lines), under its section.
    fn key_before(&self, at: usize) -> Option<String> {
        let before = &self.text[..at.min(self.text.len())];
        let end = before.len() + self.text[before.len()..].find('\n').unwrap_or(0);
        let (offset, key) = self.text[..end]
            .lines()
            .scan(0usize, |pos, l| {
                let start = *pos;
                *pos += l.len() + 1;
                Some((start, l))
            })
            .filter_map(|(start, l)| Some((start, assigned_key(l)?)))
            .last()?;
        Some(match self.section_at(offset) {
            Some(s) => format!("{s}.{key}"),
            None => key,
        })
    }
}

/// The key of a `key = value` line, when it is a plain (bare or quoted) key.
fn assigned_key(line: &str) -> Option<String> {
    let t = line.trim_start();
    if t.starts_with('[') || t.starts_with('#') {
        return None;
    }
    let (k, _) = t.split_once('=')?;
    let k = k.trim();
    let plain = k.trim_matches(|c| c == '"' || c == '\'');
    let bare = !plain.is_empty()
        && plain
            .chars()
            .all(|c| c.is_alphanumeric() || "_-.".contains(c));
    bare.then(|| plain.to_string())
}

/// A key (before `=`, or a `[header]`) holding a character outside ASCII, unquoted: the key,
/// that character and its byte column in the line.
fn non_ascii_key(line: &str) -> Option<(String, char, usize)> {
    let lead = line.len() - line.trim_start().len();
    let t = line.trim_start();
    let (key, from) = if let Some(h) = t.strip_prefix('[') {
        let h = h.trim_start_matches('[');
        (h.split(']').next()?, lead + (t.len() - h.len()))
    } else {
        (t.split('=').next()?, lead)
    };
    if key.contains('"') || key.contains('\'') {
        return None;
    }
    let (i, c) = key.char_indices().find(|(_, c)| !c.is_ascii())?;
    let key = key.trim().to_string();
    Some((key, c, from + i))
}

/// The integer after `=` on a line, when it does not fit 64 bits.
fn integer_on(line: &str) -> Option<String> {
    let v = line.split_once('=')?.1.trim();
    let v = v.split(['#', ',', ']', '}']).next()?.trim();
    let digits = v.trim_start_matches(['+', '-']).replace('_', "");
    let (radix, body) = match digits.get(..2) {
        Some("0x") => (16, &digits[2..]),
        Some("0o") => (8, &digits[2..]),
        Some("0b") => (2, &digits[2..]),
        _ => (10, digits.as_str()),
    };
    let all_digits = !body.is_empty() && body.chars().all(|c| c.is_digit(radix));
    (all_digits && i64::from_str_radix(body, radix).is_err()).then(|| v.to_string())
}

/// Nesting this deep is never a profile's (the reader stops at about 128).
const DEEP: usize = 32;

/// The deepest nesting of arrays and inline tables in `text`, outside quoted strings.
fn depth(text: &str) -> usize {
    let (mut now, mut max, mut quote) = (0usize, 0usize, None);
    for c in text.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                now += 1;
                max = max.max(now);
            }
            (None, ']' | '}') => now = now.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// The parser's message on one line, each backquoted part as `echo` shows it.
fn cleaned(message: &str) -> String {
    let one_line = message.trim().replace('\n', "; ");
    one_line
        .split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                echo(part)
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

#[cfg(test)]
mod tests;
