//! Loads the screen files and checks that every reference in them resolves.
use super::def::{CondValue, Condition, DefaultValue, FieldKind, ScreenDef, ScreenKind};
use super::{Component, SCREEN_FILES};
use crate::rules;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// A screen file that does not parse or names something that does not exist.
#[derive(Debug, thiserror::Error)]
pub enum ScreenError {
    #[error("screens/{file}: {message}")]
    Parse { file: String, message: String },
    #[error("screens/{file}: {message}")]
    Reference { file: String, message: String },
}

/// All screens, in flow order.
#[derive(Debug)]
pub struct Screens {
    screens: Vec<ScreenDef>,
}

impl Screens {
    /// The screens embedded in this binary, parsed once.
    ///
    /// The embedded files are checked by the test suite, so an error here means a broken
    /// build; it is still reported as an error, never a panic.
    pub fn embedded() -> Result<&'static Screens, &'static ScreenError> {
        static CELL: OnceLock<Result<Screens, ScreenError>> = OnceLock::new();
        CELL.get_or_init(|| Screens::from_files(SCREEN_FILES))
            .as_ref()
    }

    /// Parses `(file name, text)` pairs: `*.toml` are screens, other files are texts that
    /// screens refer to (licences).
    pub fn from_files(files: &[(&str, &str)]) -> Result<Screens, ScreenError> {
        let mut screens = Vec::new();
        let mut names = Vec::new();
        for (name, text) in files.iter().filter(|(n, _)| n.ends_with(".toml")) {
            let mut def: ScreenDef = toml::from_str(text).map_err(|e| ScreenError::Parse {
                file: name.to_string(),
                message: e.to_string(),
            })?;
            if let Some(lic) = &def.licence {
                let found = files.iter().find(|(n, _)| n == lic);
                def.licence_text =
                    found
                        .map(|(_, t)| t.to_string())
                        .ok_or_else(|| ScreenError::Reference {
                            file: name.to_string(),
                            message: format!("licence file `{lic}` is not in screens/"),
                        })?;
            }
            screens.push(def);
            names.push(name.to_string());
        }
        let mut order: Vec<usize> = (0..screens.len()).collect();
        order.sort_by_key(|&i| screens[i].order);
        let screens: Vec<ScreenDef> = order.iter().map(|&i| screens[i].clone()).collect();
        let names: Vec<String> = order.iter().map(|&i| names[i].clone()).collect();
        let reg = Screens { screens };
        reg.check_references(&names)?;
        Ok(reg)
    }

    pub fn all(&self) -> &[ScreenDef] {
        &self.screens
    }

    pub fn screen(&self, id: &str) -> Option<&ScreenDef> {
        self.screens.iter().find(|s| s.id == id)
    }

    /// The screen and field behind a `screen.field` path.
    pub fn field(&self, path: &str) -> Option<(&ScreenDef, &super::FieldDef)> {
        let (s, f) = path.split_once('.')?;
        let screen = self.screen(s)?;
        Some((screen, screen.field(f)?))
    }

    /// The screens of one component's flow, in order (before conditions).
    pub fn flow(&self, component: Component) -> impl Iterator<Item = &ScreenDef> {
        self.screens.iter().filter(move |s| s.is_for(component))
    }

    fn check_references(&self, files: &[String]) -> Result<(), ScreenError> {
        let mut ids = BTreeSet::new();
        let mut orders = BTreeSet::new();
        for (s, file) in self.screens.iter().zip(files) {
            let err = |message: String| ScreenError::Reference {
                file: file.clone(),
                message,
            };
            if !ids.insert(s.id.as_str()) {
                return Err(err(format!("screen id `{}` is used twice", s.id)));
            }
            if !orders.insert(s.order) {
                return Err(err(format!("order {} is used twice", s.order)));
            }
            if s.components.is_empty() {
                return Err(err("`components` is empty".into()));
            }
            if (s.kind == ScreenKind::Licence) != s.licence.is_some() {
                return Err(err("a licence screen needs `licence`, and only it".into()));
            }
            for r in &s.rules {
                if !rules::screen_rule_exists(r) {
                    return Err(err(format!("unknown screen rule `{r}`")));
                }
            }
            self.check_conditions(&s.when, &err)?;
            let mut field_ids = BTreeSet::new();
            for f in &s.fields {
                let ferr = |m: String| err(format!("field `{}`: {m}", f.id));
                if !field_ids.insert(f.id.as_str()) {
                    return Err(ferr("id is used twice".into()));
                }
                if f.id.is_empty() || !f.id.chars().all(|c| c.is_ascii_lowercase() || c == '_') {
                    return Err(ferr("ids are lowercase letters and `_`".into()));
                }
                for r in &f.rules {
                    if !rules::field_rule_exists(r) {
                        return Err(ferr(format!("unknown field rule `{r}`")));
                    }
                }
                self.check_conditions(&f.when, &ferr)?;
                self.check_conditions(&f.disabled_when, &ferr)?;
                match (f.kind, &f.default) {
                    (FieldKind::Choice, Some(DefaultValue::Text(d))) if f.option(d).is_none() => {
                        return Err(ferr(format!("default `{d}` is not an option")));
                    }
                    (FieldKind::Choice, _) if f.options.is_empty() => {
                        return Err(ferr("a choice needs options".into()));
                    }
                    (FieldKind::Checkbox, Some(DefaultValue::Text(_)))
                    | (FieldKind::Text | FieldKind::Choice, Some(DefaultValue::Bool(_))) => {
                        return Err(ferr("default has the wrong type for its kind".into()));
                    }
                    (FieldKind::Secret, Some(_)) => {
                        return Err(ferr("a secret has no default".into()));
                    }
                    _ => {}
                }
                if f.kind != FieldKind::Choice && !f.options.is_empty() {
                    return Err(ferr("only a choice has options".into()));
                }
                if let Some(env) = &f.env {
                    if f.kind != FieldKind::Secret || !crate::secret::SecretRef::valid_env_name(env)
                    {
                        return Err(ferr(format!(
                            "`env = {env:?}` needs a secret field and a valid name"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    pub(crate) fn check_conditions(
        &self,
        conditions: &[Condition],
        err: &dyn Fn(String) -> ScreenError,
    ) -> Result<(), ScreenError> {
        for c in conditions {
            let Some((_, target)) = self.field(&c.field) else {
                return Err(err(format!("condition names unknown field `{}`", c.field)));
            };
            let values: Vec<&CondValue> = c.is.iter().chain(c.is_not.iter()).collect();
            if values.is_empty() {
                return Err(err(format!(
                    "condition on `{}` needs `is` or `is_not`",
                    c.field
                )));
            }
            for v in values {
                match (target.kind, v) {
                    (FieldKind::Checkbox, CondValue::Bool(_)) => {}
                    (FieldKind::Choice, CondValue::Text(_) | CondValue::AnyOf(_)) => {
                        for t in v.texts() {
                            if target.option(t).is_none() {
                                return Err(err(format!(
                                    "condition on `{}` names `{t}`, which is not one of its options",
                                    c.field
                                )));
                            }
                        }
                    }
                    _ => {
                        return Err(err(format!(
                        "condition on `{}` must test a choice (text) or a checkbox (true/false)",
                        c.field
                    )))
                    }
                }
            }
        }
        Ok(())
    }
}
