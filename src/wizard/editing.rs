//! Typing into the focused text or password field: the cursor, edits, and the password's
//! reference (environment variable or prompt).
use super::action::Effect;
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
        let mut text = m.answers.text(&p).to_string();
        cursor = cursor.min(text.chars().count());
        change(&mut text, &mut cursor);
        m.answers.set(p, Value::Text(text));
    }
    m.cursor = cursor;
    vec![]
}

pub(super) fn byte_at(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

pub(super) fn move_cursor(m: &mut Model, f: impl FnOnce(usize, usize) -> usize) -> Vec<Effect> {
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
