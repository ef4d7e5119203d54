//! Reading a profile's sections: each answer checked against its field's kind, and secret
//! references read without ever echoing a secret written in clear.
use super::did_you_mean;
use super::load::Reader;
use crate::answers::{path, Answers, Value};
use crate::screens::{FieldDef, FieldKind, ScreenDef};
use crate::secret::SecretRef;
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
                self.err(
                    span,
                    Some(&dotted),
                    format!("unknown key `{key}` in [{}]", screen.id),
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
        let Some(table) = item.as_table_like() else {
            let message = if item.is_str() {
                format!(
                    "\"{}\" holds a secret in clear (not shown here); profiles store only references to secrets",
                    field.label
                )
            } else {
                format!(
                    "\"{}\" must be a secret reference, found {}",
                    field.label,
                    type_name(item)
                )
            };
            self.err(span, Some(dotted), message, Some(how));
            return None;
        };
        let keys: Vec<&str> = table.iter().map(|(k, _)| k).collect();
        match keys.as_slice() {
            ["env"] => {
                let v = table.get("env").and_then(Item::as_str);
                match v {
                    Some(name) if SecretRef::valid_env_name(name) => {
                        Some(Value::Secret(SecretRef::Env(name.to_string())))
                    }
                    Some(name) => {
                        // The name is not echoed: a password typed here by mistake would show.
                        let message = if name.trim().is_empty() {
                            "`env` is empty: it must name the environment variable that holds the secret"
                        } else {
                            "`env` is not a valid environment variable name (not shown here, in case it is the secret itself)"
                        };
                        let fix = format!("use letters, digits and _ (a letter or _ first): `{} = {{ env = \"{env}\" }}`, or `{} = {{ prompt = true }}` to be asked at install time", field.id, field.id);
                        self.err(span, Some(dotted), message, Some(fix));
                        None
                    }
                    None => {
                        self.err(
                            span,
                            Some(dotted),
                            "`env` must be the name of an environment variable, as a string in quotes",
                            Some(how),
                        );
                        None
                    }
                }
            }
            ["keyring"] => match table.get("keyring").and_then(Item::as_str) {
                Some(entry) if SecretRef::keyring_parts(entry).is_some() => {
                    Some(Value::Secret(SecretRef::Keyring(entry.to_string())))
                }
                _ => {
                    self.err(
                        span,
                        Some(dotted),
                        "`keyring` must name a credential store entry as \"SERVICE/USER\" (both parts, in quotes)",
                        Some(format!("write `{} = {{ keyring = \"mim-setup/{env}\" }}`", field.id)),
                    );
                    None
                }
            },
            ["prompt"] => match table.get("prompt").and_then(Item::as_bool) {
                Some(true) => Some(Value::Secret(SecretRef::Prompt)),
                _ => {
                    self.err(
                        span,
                        Some(dotted),
                        "`prompt` must be true: a secret that is not read from `env` is asked for at install time",
                        Some(how),
                    );
                    None
                }
            },
            _ => {
                let unknown = keys
                    .iter()
                    .find(|k| !["env", "prompt", "keyring"].contains(k));
                let message = match unknown {
                    Some(k) => format!("unknown key `{k}` in the secret reference: a secret comes from an environment variable (`env`), a prompt (`prompt`) or the credential store (`keyring`)"),
                    None => "a secret reference has exactly one of `env`, `prompt` or `keyring`".to_string(),
                };
                let fix = unknown
                    .and_then(|k| did_you_mean(k, ["env", "prompt", "keyring"]))
                    .map(|h| format!("did you mean `{h}`? {how}"))
                    .unwrap_or(how);
                self.err(span, Some(dotted), message, Some(fix));
                None
            }
        }
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
