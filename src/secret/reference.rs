//! Secret references: what a profile or plan stores instead of a secret, and the one parser
//! of their syntax, `{ env = "NAME" }`, `{ prompt = true }` or `{ keyring = "SERVICE/USER" }`,
//! used by the profile reader and by `check --set`.
use serde::{Deserialize, Serialize};
use toml_edit::Item;

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

    /// Where a plan's secret comes from at install time, as exports and reviews say it.
    pub fn source_in_plan(&self) -> String {
        match self {
            SecretRef::Env(name) => format!("environment variable {name}"),
            SecretRef::Prompt => "asked for at install time".to_string(),
            SecretRef::Keyring(entry) => {
                format!("the credential store entry {entry} of the machine that applies the plan")
            }
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

/// Why a TOML item is not a secret reference. The messages never repeat a value: what was
/// written may be the secret itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("a secret is never written in clear, only a reference to it")]
    InClear,
    #[error("a secret reference is an inline table")]
    NotATable,
    #[error("a secret reference has exactly one of `env`, `prompt` or `keyring`")]
    NotOneKey,
    #[error("unknown key `{0}` in the secret reference: a secret comes from an environment variable (`env`), a prompt (`prompt`) or the credential store (`keyring`)")]
    UnknownKey(String),
    #[error("`env` is empty: it must name the environment variable that holds the secret")]
    EnvEmpty,
    #[error("`env` is not a valid environment variable name (not shown here, in case it is the secret itself)")]
    EnvInvalid,
    #[error("`env` must be the name of an environment variable, as a string in quotes")]
    EnvNotAString,
    #[error(
        "`keyring` must name a credential store entry as \"SERVICE/USER\" (both parts, in quotes)"
    )]
    KeyringEntry,
    #[error(
        "`prompt` must be true: a secret that is not read from `env` is asked for at install time"
    )]
    PromptNotTrue,
}

/// The keys a reference may have.
pub const REFERENCE_KEYS: [&str; 3] = ["env", "prompt", "keyring"];

impl SecretRef {
    /// Reads a reference from a TOML item: the one parser of the reference syntax.
    pub fn from_item(item: &Item) -> Result<SecretRef, ReferenceError> {
        let Some(table) = item.as_table_like() else {
            return Err(if item.is_str() {
                ReferenceError::InClear
            } else {
                ReferenceError::NotATable
            });
        };
        let keys: Vec<&str> = table.iter().map(|(k, _)| k).collect();
        match keys.as_slice() {
            ["env"] => match table.get("env").and_then(Item::as_str) {
                Some(name) if SecretRef::valid_env_name(name) => Ok(SecretRef::Env(name.into())),
                Some(name) if name.trim().is_empty() => Err(ReferenceError::EnvEmpty),
                Some(_) => Err(ReferenceError::EnvInvalid),
                None => Err(ReferenceError::EnvNotAString),
            },
            ["keyring"] => match table.get("keyring").and_then(Item::as_str) {
                Some(entry) if SecretRef::keyring_parts(entry).is_some() => {
                    Ok(SecretRef::Keyring(entry.into()))
                }
                _ => Err(ReferenceError::KeyringEntry),
            },
            ["prompt"] => match table.get("prompt").and_then(Item::as_bool) {
                Some(true) => Ok(SecretRef::Prompt),
                _ => Err(ReferenceError::PromptNotTrue),
            },
            _ => Err(keys
                .iter()
                .find(|k| !REFERENCE_KEYS.contains(k))
                .map_or(ReferenceError::NotOneKey, |k| {
                    ReferenceError::UnknownKey(k.to_string())
                })),
        }
    }

    /// Reads a reference written as text, as `check --set` takes it: the inline table of a
    /// profile (`{ env = "NAME" }`), or the older short forms `env:NAME` and `prompt`.
    /// Text that is not a TOML value is taken for a secret in clear.
    pub fn parse(text: &str) -> Result<SecretRef, ReferenceError> {
        let text = text.trim();
        if text == "prompt" {
            return Ok(SecretRef::Prompt);
        }
        if let Some(name) = text.strip_prefix("env:") {
            return if SecretRef::valid_env_name(name) {
                Ok(SecretRef::Env(name.into()))
            } else {
                Err(ReferenceError::EnvInvalid)
            };
        }
        match text.parse::<toml_edit::Value>() {
            Ok(v) => SecretRef::from_item(&Item::Value(v)),
            Err(_) => Err(ReferenceError::InClear),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_written_form_parses_and_every_wrong_one_says_why() {
        use ReferenceError as E;
        let env = || Ok(SecretRef::Env("MIM_SYNC_PASSWORD".into()));
        let rows: &[(&str, Result<SecretRef, ReferenceError>)] = &[
            (r#"{ env = "MIM_SYNC_PASSWORD" }"#, env()),
            ("env:MIM_SYNC_PASSWORD", env()),
            ("{ prompt = true }", Ok(SecretRef::Prompt)),
            ("prompt", Ok(SecretRef::Prompt)),
            (
                r#"{ keyring = "mim-setup/MIMSync" }"#,
                Ok(SecretRef::Keyring("mim-setup/MIMSync".into())),
            ),
            ("Pass@word1", Err(E::InClear)),
            (r#""Pass@word1""#, Err(E::InClear)),
            ("42", Err(E::NotATable)),
            ("{}", Err(E::NotOneKey)),
            (r#"{ env = "A", prompt = true }"#, Err(E::NotOneKey)),
            (r#"{ evn = "A" }"#, Err(E::UnknownKey("evn".into()))),
            (r#"{ env = " " }"#, Err(E::EnvEmpty)),
            (r#"{ env = "Pass word" }"#, Err(E::EnvInvalid)),
            ("env:1ABC", Err(E::EnvInvalid)),
            ("{ env = 1 }", Err(E::EnvNotAString)),
            (r#"{ keyring = "no-slash" }"#, Err(E::KeyringEntry)),
            ("{ prompt = false }", Err(E::PromptNotTrue)),
        ];
        for (text, want) in rows {
            assert_eq!(&SecretRef::parse(text), want, "{text}");
            if let Err(e) = want {
                assert!(!e.to_string().contains("Pass"), "{text}: {e}");
            }
        }
    }

    #[test]
    fn references_render_as_inline_tables() {
        assert_eq!(
            SecretRef::Env("MIM_SYNC_PASSWORD".into()).to_toml_inline(),
            r#"{ env = "MIM_SYNC_PASSWORD" }"#
        );
        assert_eq!(SecretRef::Prompt.to_toml_inline(), "{ prompt = true }");
        // What is written reads back the same through the one parser.
        for r in [
            SecretRef::Env("MIM_SYNC_PASSWORD".into()),
            SecretRef::Prompt,
            SecretRef::Keyring("mim-setup/contoso\\MIMSync".into()),
        ] {
            assert_eq!(
                SecretRef::parse(&r.to_toml_inline()),
                Ok(r.clone()),
                "{r:?}"
            );
        }
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
