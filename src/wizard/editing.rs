//! Typing into the focused text or password field: the cursor, edits, and the password's
//! reference (environment variable or prompt).
//!
//! The editing keys are the ones shells and browsers taught: Left/Right, Home/End and
//! Ctrl-A/Ctrl-E move; Backspace and Delete erase a character; Ctrl-U erases to the start,
//! Ctrl-K to the end, Ctrl-W the word before the cursor (up to a space) and Alt-Backspace
//! its last part (up to a punctuation mark); a paste types its text. A password is edited at
//! its end only: its characters are hidden, so the cursor does not move inside it. Right in
//! an empty field that shows the walkthrough's example ("e.g. corpsql.contoso.com") takes it.
use super::action::{Action, Effect, Erase};
use super::model::{Focus, Model};
use crate::answers::Value;
use crate::screens::FieldKind;
use crate::secret::{Secret, SecretRef};

fn typed_field(m: &Model) -> Option<(usize, FieldKind)> {
    let Focus::Field(i) = m.focus else {
        return None;
    };
    let s = m.screen();
    let f = &s.fields[i];
    (matches!(f.kind, FieldKind::Text | FieldKind::Secret) && m.answers.field_active(s, f))
        .then_some((i, f.kind))
}

/// A typing, erasing or cursor key on the focused field; nothing on anything else.
pub(super) fn text_key(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Input(c) => edit(m, |text, cur| insert(text, cur, c)),
        Action::Paste(pasted) => edit(m, |text, cur| {
            for c in pasted.chars().filter(|c| !c.is_control()) {
                insert(text, cur, c);
            }
        }),
        Action::Backspace => edit(m, |text, cur| {
            if *cur > 0 {
                remove(text, *cur - 1, *cur);
                *cur -= 1;
            }
        }),
        Action::Delete => edit(m, |text, cur| {
            if *cur < text.chars().count() {
                remove(text, *cur, *cur + 1);
            }
        }),
        Action::Erase(what) => edit(m, |text, cur| erase(text, cur, what)),
        Action::CursorLeft => move_cursor(m, |c, _| c.saturating_sub(1)),
        Action::CursorRight if take_example(m) => vec![],
        Action::CursorRight => move_cursor(m, |c, len| (c + 1).min(len)),
        Action::CursorHome => move_cursor(m, |_, _| 0),
        Action::CursorEnd => move_cursor(m, |_, len| len),
        _ => vec![],
    }
}

/// Right in an empty text field that shows the walkthrough's example types the example.
fn take_example(m: &mut Model) -> bool {
    let Some((i, FieldKind::Text)) = typed_field(m) else {
        return false;
    };
    let Some(example) = m.screen().fields[i].example.clone() else {
        return false;
    };
    if !m.text_of(i).is_empty() {
        return false;
    }
    m.cursor = example.chars().count();
    m.answers.set(m.field_path(i), Value::Text(example));
    true
}

fn insert(text: &mut String, cur: &mut usize, c: char) {
    let at = byte_at(text, *cur);
    text.insert(at, c);
    *cur += 1;
}

/// Removes the characters `from..to` (in characters).
fn remove(text: &mut String, from: usize, to: usize) {
    let (a, b) = (byte_at(text, from), byte_at(text, to));
    text.replace_range(a..b, "");
}

/// Erases from the cursor as `what` says; the cursor stays where the erased text began.
fn erase(text: &mut String, cur: &mut usize, what: Erase) {
    let chars: Vec<char> = text.chars().collect();
    let at = (*cur).min(chars.len());
    let start = match what {
        Erase::ToStart => 0,
        Erase::ToEnd => {
            remove(text, at, chars.len());
            *cur = at;
            return;
        }
        Erase::Word => word_start(&chars[..at], |c| !c.is_whitespace()),
        Erase::WordPart => word_start(&chars[..at], |c| c.is_alphanumeric() || c == '_'),
    };
    remove(text, start, at);
    *cur = start;
}

/// Where the word that ends `before` starts: first the separators just before the cursor,
/// then the word's characters.
fn word_start(before: &[char], in_word: impl Fn(char) -> bool) -> usize {
    let mut i = before.len();
    while i > 0 && !in_word(before[i - 1]) {
        i -= 1;
    }
    while i > 0 && in_word(before[i - 1]) {
        i -= 1;
    }
    i
}

pub(super) fn edit(m: &mut Model, change: impl FnOnce(&mut String, &mut usize)) -> Vec<Effect> {
    let Some((i, kind)) = typed_field(m) else {
        return vec![];
    };
    let p = m.field_path(i);
    let mut cursor = m.cursor;
    if kind == FieldKind::Secret {
        // Secrets are edited at the end only: no cursor moves inside a masked value.
        let mut text = m
            .secrets
            .get(&p)
            .map(|s| s.expose().to_string())
            .unwrap_or_default();
        cursor = text.chars().count();
        change(&mut text, &mut cursor);
        m.secrets.insert(p, Secret::new(text));
    } else {
        let before = m.answers.text(&p).to_string();
        let mut text = before.clone();
        cursor = cursor.min(text.chars().count());
        change(&mut text, &mut cursor);
        // A key that changes nothing (Ctrl-U on an empty field) leaves an unanswered
        // optional field unanswered.
        if text != before {
            m.answers.set(p, Value::Text(text));
        }
    }
    m.cursor = cursor;
    vec![]
}

pub(super) fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

fn move_cursor(m: &mut Model, f: impl FnOnce(usize, usize) -> usize) -> Vec<Effect> {
    if let Some((i, FieldKind::Text)) = typed_field(m) {
        let len = m.text_of(i).chars().count();
        m.cursor = f(m.cursor.min(len), len);
    }
    vec![]
}

pub(super) fn cycle_secret(m: &mut Model) -> Vec<Effect> {
    let Some((i, FieldKind::Secret)) = typed_field(m) else {
        return vec![];
    };
    let f = &m.screen().fields[i];
    let p = m.field_path(i);
    let env = f.env.clone().unwrap_or_else(|| "MIM_SETUP_SECRET".into());
    let next = match m.answers.get(&p) {
        Some(Value::Secret(SecretRef::Env(_))) => SecretRef::Prompt,
        _ => SecretRef::Env(env),
    };
    m.answers.set(p, Value::Secret(next));
    vec![]
}
