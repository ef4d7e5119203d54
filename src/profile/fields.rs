//! Reading a profile's sections: each answer checked against its field's kind, and secret
//! references read without ever echoing a secret written in clear.
use super::did_you_mean;
use super::load::Reader;
use super::shown::echo;
use crate::answers::{path, Answers, Value};
use crate::screens::{FieldDef, FieldKind, ScreenDef};
use crate::secret::{ReferenceError, SecretRef, REFERENCE_KEYS};
use std::ops::Range;
use toml_edit::{Item, TableLike};

impl Reader<'_> {
    pub(super) fn read_section(
        &mut self,
        screen: &ScreenDef,
        table: &dyn TableLike,
        answers: &mut Answers,
    ) {
        for (key, item) in table.iter() {
            let dotted = path(&screen.id, key);
            let span = table.get_key_value(key).and_then(|(k, _)| k.span());
            let Some(field) = screen.field(key) else {
                let fix = match did_you_mean(key, screen.fields.iter().map(|f| f.id.as_str())) {
                    Some(h) => format!("did you mean `{h}`?"),
                    None => format!(
                        "the keys of [{}] are: {}",
                        screen.id,
                        screen
                            .fields
                            .iter()
                            .map(|f| f.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                let shown = echo(key);
                self.err(
                    span,
                    Some(&path(&screen.id, &shown)),
                    format!(
                        "unknown key `{shown}` in [{}]{}",
                        screen.id,
                        super::shown::non_ascii_note(key)
                    ),
                    Some(fix),
                );
                continue;
            };
            let (line, column) = self.line_col(span.clone());
            self.lines.insert(dotted.clone(), line);
            self.columns.insert(dotted.clone(), column);
            let value = match field.kind {
                FieldKind::Text | FieldKind::Choice => match item.as_str() {
                    Some(s)
                        if field.kind == FieldKind::Choice
                            && !self.check_choice(field, s, span.clone(), &dotted) =>
                    {
                        None
                    }
                    Some(s) => Some(Value::Text(s.to_string())),
                    None => {
                        self.err(
                            span,
                            Some(&dotted),
                            format!(
                                "\"{}\" must be a string (text in quotes), found {}",
                                field.label,
                                type_name(item)
                            ),
                            Some(format!("write `{key} = \"...\"`")),
                        );
                        None
                    }
                },
                FieldKind::Checkbox => match item.as_bool() {
                    Some(b) => Some(Value::Bool(b)),
                    None => {
                        self.err(
                            span,
                            Some(&dotted),
                            format!(
                                "\"{}\" must be true or false (without quotes), found {}",
                                field.label,
                                type_name(item)
                            ),
                            Some(format!("write `{key} = true` or `{key} = false`")),
                        );
                        None
                    }
                },
                FieldKind::Secret => self.read_secret(field, &dotted, item, span),
            };
            if let Some(v) = value {
                answers.set(dotted, v);
            }
        }
    }

    fn read_secret(
        &mut self,
        field: &FieldDef,
        dotted: &str,
        item: &Item,
        span: Option<Range<usize>>,
    ) -> Option<Value> {
        let env = field.env.as_deref().unwrap_or("NAME");
        let how = format!("write `{} = {{ env = \"{env}\" }}` to read it from an environment variable, or `{} = {{ prompt = true }}` to be asked at install time", field.id, field.id);
        // The one parser of the reference syntax; this reader adds where and how to fix.
        let e = match SecretRef::from_item(item) {
            Ok(r) => return Some(Value::Secret(r)),
            Err(e) => e,
        };
        let (message, fix) = match &e {
            ReferenceError::InClear => (
                format!(
                    "\"{}\" holds a secret in clear (not shown here); profiles store only references to secrets",
                    field.label
                ),
                how,
            ),
            ReferenceError::NotATable => (
                format!(
                    "\"{}\" must be a secret reference, found {}",
                    field.label,
                    type_name(item)
                ),
                how,
            ),
            // The name is not echoed: a password typed here by mistake would show.
            ReferenceError::EnvEmpty | ReferenceError::EnvInvalid => (
                e.to_string(),
                format!("use letters, digits and _ (a letter or _ first): `{} = {{ env = \"{env}\" }}`, or `{} = {{ prompt = true }}` to be asked at install time", field.id, field.id),
            ),
            ReferenceError::KeyringEntry => (
                e.to_string(),
                format!("write `{} = {{ keyring = \"mim-setup/{env}\" }}`", field.id),
            ),
            ReferenceError::UnknownKey(k) => (
                e.to_string(),
                did_you_mean(k, REFERENCE_KEYS)
                    .map(|h| format!("did you mean `{h}`? {how}"))
                    .unwrap_or(how),
            ),
            ReferenceError::NotOneKey
            | ReferenceError::EnvNotAString
            | ReferenceError::PromptNotTrue => (e.to_string(), how),
        };
        self.err(span, Some(dotted), message, Some(fix));
        None
    }
}

pub(super) fn type_name(item: &Item) -> &'static str {
    match item {
        Item::None => "nothing",
        Item::Table(_) => "a table",
        Item::ArrayOfTables(_) => "an array of tables",
        Item::Value(v) => match v {
            toml_edit::Value::String(_) => "a string",
            toml_edit::Value::Integer(_) => "an integer",
            toml_edit::Value::Float(_) => "a float",
            toml_edit::Value::Boolean(_) => "a boolean",
            toml_edit::Value::Datetime(_) => "a date-time",
            toml_edit::Value::Array(_) => "an array",
            toml_edit::Value::InlineTable(_) => "an inline table",
        },
    }
}
