//! The one builder of an msiexec run's properties, for both components: each property with
//! the profile field it comes from, where its name was seen and whether it is confirmed
//! (unless its note starts with `[?]`), and the secrets the run uses.
use super::{Plan, Property};
use crate::answers::{Answers, Value};

/// The properties of one msiexec run, with the secrets they use.
pub(super) struct Props<'a> {
    pub(super) a: &'a Answers,
    pub(super) list: Vec<Property>,
    pub(super) secrets: Vec<String>,
}

impl<'a> Props<'a> {
    pub(super) fn new(a: &'a Answers) -> Self {
        Props {
            a,
            list: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// A property; it is confirmed unless its note starts with `[?]` (then the note says why
    /// not, and the plan repeats it in its notes).
    pub(super) fn add(&mut self, name: &str, value: &str, from: &str, source: &str, note: &str) {
        self.list.push(Property {
            name: name.into(),
            value: value.into(),
            from: from.into(),
            source: source.into(),
            confirmed: !note.starts_with("[?]"),
            note: note.into(),
        });
    }

    /// A property from a text field.
    pub(super) fn field(&mut self, name: &str, from: &str, source: &str) {
        let v = self.a.text(from).to_string();
        self.add(name, &v, from, source, "");
    }

    /// A 0/1 property from a checkbox.
    pub(super) fn flag(&mut self, name: &str, from: &str, source: &str) {
        let v = if self.a.flag(from) { "1" } else { "0" };
        self.add(name, v, from, source, "");
    }

    /// A secret property: its placeholder, with the reference recorded in the plan.
    pub(super) fn secret(&mut self, plan: &mut Plan, name: &str, from: &str, secret: &str) {
        if let Some(Value::Secret(r)) = self.a.get(from) {
            let placeholder = plan.add_secret(secret, r.clone());
            if !self.secrets.iter().any(|s| s == secret) {
                self.secrets.push(secret.to_string());
            }
            self.add(name, &placeholder, from, "script", "");
        }
    }
}
