//! The answers of one run: field path (`screen.field`) to value, and the conditions over them.
use crate::screens::{CondValue, Condition, DefaultValue, FieldDef, FieldKind, ScreenDef, Screens};
use crate::secret::SecretRef;
use std::collections::BTreeMap;

/// One answer. Choices are text; secrets are references only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(String),
    Bool(bool),
    Secret(SecretRef),
}

impl Value {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The value a field starts with in the wizard.
    pub fn initial(field: &FieldDef) -> Option<Value> {
        match (&field.default, field.kind) {
            (Some(DefaultValue::Text(s)), FieldKind::Text | FieldKind::Choice) => {
                Some(Value::Text(s.clone()))
            }
            (Some(DefaultValue::Bool(b)), FieldKind::Checkbox) => Some(Value::Bool(*b)),
            (None, FieldKind::Checkbox) => Some(Value::Bool(false)),
            (None, FieldKind::Secret) => Some(Value::Secret(
                field
                    .env
                    .clone()
                    .map(SecretRef::Env)
                    .unwrap_or(SecretRef::Prompt),
            )),
            (None, FieldKind::Choice) => {
                field.options.first().map(|o| Value::Text(o.value.clone()))
            }
            _ => None,
        }
    }
}

/// Field path, `screen.field`.
pub fn path(screen: &str, field: &str) -> String {
    format!("{screen}.{field}")
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Answers {
    values: BTreeMap<String, Value>,
}

impl Answers {
    /// Every field of every screen at its default.
    pub fn defaults(screens: &Screens) -> Answers {
        let mut a = Answers::default();
        for s in screens.all() {
            for f in &s.fields {
                if let Some(v) = Value::initial(f) {
                    a.set(path(&s.id, &f.id), v);
                }
            }
        }
        a
    }

    pub fn get(&self, path: &str) -> Option<&Value> {
        self.values.get(path)
    }

    pub fn text(&self, path: &str) -> &str {
        self.get(path).and_then(Value::as_text).unwrap_or("")
    }

    pub fn flag(&self, path: &str) -> bool {
        self.get(path).and_then(Value::as_bool).unwrap_or(false)
    }

    pub fn set(&mut self, path: impl Into<String>, value: Value) {
        self.values.insert(path.into(), value);
    }

    pub fn remove(&mut self, path: &str) -> Option<Value> {
        self.values.remove(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.values.iter()
    }

    /// Overlay: every answer of `other` replaces ours.
    pub fn merge(&mut self, other: &Answers) {
        for (k, v) in &other.values {
            self.values.insert(k.clone(), v.clone());
        }
    }

    /// True when every condition holds.
    pub fn holds(&self, conditions: &[Condition]) -> bool {
        conditions.iter().all(|c| self.holds_one(c))
    }

    fn holds_one(&self, c: &Condition) -> bool {
        let v = self.get(&c.field);
        let is = c.is.as_ref().is_none_or(|want| matches(v, want));
        let is_not = c.is_not.as_ref().is_none_or(|want| !matches(v, want));
        is && is_not
    }

    pub fn screen_shown(&self, screen: &ScreenDef) -> bool {
        self.holds(&screen.when)
    }

    pub fn field_shown(&self, screen: &ScreenDef, field: &FieldDef) -> bool {
        self.screen_shown(screen) && self.holds(&field.when)
    }

    pub fn field_disabled(&self, field: &FieldDef) -> bool {
        !field.disabled_when.is_empty() && self.holds(&field.disabled_when)
    }

    /// Shown and not greyed out: the fields whose answers count.
    pub fn field_active(&self, screen: &ScreenDef, field: &FieldDef) -> bool {
        self.field_shown(screen, field) && !self.field_disabled(field)
    }
}

fn matches(v: Option<&Value>, want: &CondValue) -> bool {
    match (v, want) {
        (Some(Value::Bool(b)), CondValue::Bool(w)) => b == w,
        (None, CondValue::Bool(w)) => !w,
        (Some(Value::Text(s)), CondValue::Text(w)) => s == w,
        (Some(Value::Text(s)), CondValue::AnyOf(ws)) => ws.iter().any(|w| w == s),
        _ => false,
    }
}
