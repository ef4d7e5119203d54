//! Secrets: what a profile or plan may hold (a reference), and what only memory may hold.
//!
//! `SecretRef` is stored; `Secret` is the value a user typed. `Secret` has no `Serialize`,
//! and its `Debug`/`Display` print a mask, so it cannot reach a file, a log or the screen by
//! accident.
use serde::{Deserialize, Serialize};
use std::fmt;

/// Where a secret comes from at install time. Profiles and plans store only this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretRef {
    /// `{ env = "NAME" }`: read from an environment variable.
    Env(String),
    /// `{ prompt = true }`: asked for when it is needed.
    Prompt,
    /// `{ keyring = "SERVICE/USER" }`: read from the operating system's credential store.
    Keyring(String),
}

impl SecretRef {
    /// The TOML inline-table form, as written in profiles.
    pub fn to_toml_inline(&self) -> String {
        match self {
            SecretRef::Env(name) => format!("{{ env = {} }}", toml_string(name)),
            SecretRef::Prompt => "{ prompt = true }".to_string(),
            SecretRef::Keyring(entry) => format!("{{ keyring = {} }}", toml_string(entry)),
        }
    }

    /// A short human description for screens and summaries.
    pub fn describe(&self) -> String {
        match self {
            SecretRef::Env(name) => format!("from environment variable {name}"),
            SecretRef::Prompt => "asked for at install time".to_string(),
            SecretRef::Keyring(entry) => format!("from the credential store entry {entry}"),
        }
    }

    /// A few words for a form row: where the secret will come from.
    pub fn short(&self) -> String {
        match self {
            SecretRef::Env(name) => format!("env {name}"),
            SecretRef::Prompt => "asked at install".to_string(),
            SecretRef::Keyring(entry) => format!("credential store {entry}"),
        }
    }

    /// A credential store entry as `SERVICE/USER`: both parts present, no control characters.
    /// Returns (service, user).
    pub fn keyring_parts(entry: &str) -> Option<(&str, &str)> {
        let (service, user) = entry.split_once('/')?;
        let ok = |s: &str| !s.trim().is_empty() && !s.chars().any(char::is_control);
        (ok(service) && ok(user)).then_some((service, user))
    }

    /// An environment variable name as Windows and POSIX both accept it.
    pub fn valid_env_name(name: &str) -> bool {
        let mut chars = name.chars();
        matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A secret value held in memory only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The clear value, for the one place that hands it to a server or a process.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }

    pub fn push(&mut self, c: char) {
        self.0.push(c);
    }

    pub fn pop(&mut self) {
        self.0.pop();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("Pass@word1");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "Pass@word1");
    }

    #[test]
    fn references_render_as_inline_tables() {
        assert_eq!(
            SecretRef::Env("MIM_SYNC_PASSWORD".into()).to_toml_inline(),
            r#"{ env = "MIM_SYNC_PASSWORD" }"#
        );
        assert_eq!(SecretRef::Prompt.to_toml_inline(), "{ prompt = true }");
    }

    #[test]
    fn env_names() {
        assert!(SecretRef::valid_env_name("MIM_SYNC_PASSWORD"));
        assert!(SecretRef::valid_env_name("_x1"));
        assert!(!SecretRef::valid_env_name("1ABC"));
        assert!(!SecretRef::valid_env_name("A-B"));
        assert!(!SecretRef::valid_env_name(""));
    }
}
