//! The only resolver: a reference becomes a value, just in time, by one set of rules.
//!
//! ```text
//!   SecretRef --resolve(name, ref, Ask)--> Secret (memory only) --> server / child process
//!   env: the variable | prompt: the terminal, or the wizard's field | keyring: the OS store
//! ```
//!
//! `apply` resolves a plan secret right before the first step that needs it; the checks get a
//! `Secrets` for the field paths they say they need. Errors name the secret and where it was
//! looked for, never a value; an empty value is refused wherever it comes from.
use super::{Secret, SecretRef};
use crate::answers::{Answers, Value};
use std::collections::BTreeMap;
use std::io::IsTerminal;

/// Why a secret could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("secret `{name}`: the environment variable {var} is not set (or not valid Unicode); set it before running, e.g. `export {var}=...` or `$env:{var} = ...`")]
    EnvMissing { name: String, var: String },
    #[error(
        "secret `{name}`: the environment variable {var} is empty; set it to the secret's value"
    )]
    EnvEmpty { name: String, var: String },
    #[error("secret `{name}` is to be asked for, but standard input is not a terminal; run in a terminal, or change its reference to {{ env = \"NAME\" }} and set that variable")]
    NoTerminal { name: String },
    #[error("secret `{name}` is to be asked for, and nothing is asked at this point (a drift check runs unattended); change its reference to {{ env = \"NAME\" }} or {{ keyring = \"SERVICE/USER\" }}")]
    NotAsked { name: String },
    #[error("secret `{name}` is to be asked for, and its field is empty; type it into the field")]
    NotTyped { name: String },
    #[error("secret `{name}`: reading it from the terminal failed: {reason}")]
    Prompt { name: String, reason: String },
    #[error("secret `{name}`: the empty answer was refused; run again and type the secret")]
    PromptEmpty { name: String },
    #[error(
        "secret `{name}`: `{entry}` is not a credential store entry; write it as \"SERVICE/USER\""
    )]
    KeyringEntry { name: String, entry: String },
    #[error("secret `{name}`: the credential store has no usable entry {entry}: {reason}; store it first (Windows: Credential Manager, generic credential with that target; Linux: the kernel keyring)")]
    Keyring {
        name: String,
        entry: String,
        reason: String,
    },
    #[error("secret `{name}`: the credential store entry {entry} is empty; store the secret's value in it")]
    KeyringEmpty { name: String, entry: String },
    #[error("secret `{name}`: the profile gives no reference for it; give one, e.g. {{ env = \"NAME\" }} or {{ prompt = true }}")]
    NoReference { name: String },
}

/// Who answers a `{ prompt = true }` reference.
#[derive(Debug, Clone, Copy)]
pub enum Ask<'a> {
    /// The terminal, when standard input is one (`apply`, `check`, `plan --check`).
    Terminal,
    /// Nobody: the run is unattended (the drift checks before `apply`).
    Never,
    /// The wizard: what was typed into its secret fields, by field path. A typed value
    /// stands in for any reference of that path; an empty one counts as not typed.
    Typed(&'a BTreeMap<String, Secret>),
}

/// Resolves the secret called `name` (its placeholder name in a plan, or its field path)
/// from its reference.
pub fn resolve(name: &str, reference: &SecretRef, ask: Ask) -> Result<Secret, SecretError> {
    resolve_on(&mut System, name, reference, ask)
}

/// What the resolver reads from: the real one is `System`; tests give their own.
trait Host {
    fn var(&self, var: &str) -> Option<String>;
    fn is_terminal(&self) -> bool;
    fn read_hidden(&mut self, prompt: &str) -> std::io::Result<String>;
    fn keyring(&self, service: &str, user: &str) -> Result<String, keyring::Error>;
}

struct System;

impl Host for System {
    fn var(&self, var: &str) -> Option<String> {
        std::env::var(var).ok()
    }
    fn is_terminal(&self) -> bool {
        std::io::stdin().is_terminal()
    }
    fn read_hidden(&mut self, prompt: &str) -> std::io::Result<String> {
        // rpassword reads from the terminal without echo.
        rpassword::prompt_password(prompt)
    }
    fn keyring(&self, service: &str, user: &str) -> Result<String, keyring::Error> {
        keyring::Entry::new(service, user).and_then(|e| e.get_password())
    }
}

fn resolve_on(
    host: &mut dyn Host,
    name: &str,
    reference: &SecretRef,
    ask: Ask,
) -> Result<Secret, SecretError> {
    if let Ask::Typed(typed) = ask {
        if let Some(v) = typed.get(name).filter(|v| !v.is_empty()) {
            return Ok(v.clone());
        }
    }
    let name_ = || name.to_string();
    match reference {
        SecretRef::Env(var) => match host.var(var) {
            Some(v) if v.is_empty() => Err(SecretError::EnvEmpty {
                name: name_(),
                var: var.clone(),
            }),
            Some(v) => Ok(Secret::new(v)),
            None => Err(SecretError::EnvMissing {
                name: name_(),
                var: var.clone(),
            }),
        },
        SecretRef::Prompt => match ask {
            Ask::Never => Err(SecretError::NotAsked { name: name_() }),
            Ask::Typed(_) => Err(SecretError::NotTyped { name: name_() }),
            Ask::Terminal if !host.is_terminal() => Err(SecretError::NoTerminal { name: name_() }),
            Ask::Terminal => {
                // The prompt names the secret only.
                let value = host
                    .read_hidden(&format!("Secret `{name}` (not shown): "))
                    .map_err(|e| SecretError::Prompt {
                        name: name_(),
                        reason: e.to_string(),
                    })?;
                if value.is_empty() {
                    return Err(SecretError::PromptEmpty { name: name_() });
                }
                Ok(Secret::new(value))
            }
        },
        SecretRef::Keyring(entry) => {
            let Some((service, user)) = SecretRef::keyring_parts(entry) else {
                return Err(SecretError::KeyringEntry {
                    name: name_(),
                    entry: entry.clone(),
                });
            };
            // The crate's messages name the entry and the platform error, never the password.
            let value = host
                .keyring(service, user)
                .map_err(|e| SecretError::Keyring {
                    name: name_(),
                    entry: entry.clone(),
                    reason: e.to_string(),
                })?;
            if value.is_empty() {
                return Err(SecretError::KeyringEmpty {
                    name: name_(),
                    entry: entry.clone(),
                });
            }
            Ok(Secret::new(value))
        }
    }
}

/// Secrets by field path (`checks.bind_password`), resolved once for a run. Memory only.
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    values: BTreeMap<String, Secret>,
    /// Why a secret is missing, by field path: shown by the checks that needed it.
    missing: BTreeMap<String, SecretError>,
}

impl Secrets {
    /// Resolves the secrets of `paths` from their references in `answers` (or what the
    /// wizard typed). Unresolvable ones are remembered with the reason, for the checks that
    /// need them to say.
    pub fn resolve(answers: &Answers, paths: &[&str], ask: Ask) -> Secrets {
        let mut s = Secrets::default();
        for path in paths {
            let got = match answers.get(path) {
                Some(Value::Secret(r)) => resolve(path, r, ask),
                _ => match ask {
                    Ask::Typed(typed) => typed
                        .get(*path)
                        .filter(|v| !v.is_empty())
                        .cloned()
                        .ok_or_else(|| SecretError::NoReference {
                            name: path.to_string(),
                        }),
                    _ => Err(SecretError::NoReference {
                        name: path.to_string(),
                    }),
                },
            };
            match got {
                Ok(v) => {
                    s.values.insert(path.to_string(), v);
                }
                Err(why) => {
                    s.missing.insert(path.to_string(), why);
                }
            }
        }
        s
    }

    /// The secret, or why it is not there.
    pub fn get(&self, path: &str) -> Result<&Secret, String> {
        self.values.get(path).ok_or_else(|| {
            self.missing.get(path).map_or_else(
                || {
                    SecretError::NoReference {
                        name: path.to_string(),
                    }
                    .to_string()
                },
                ToString::to_string,
            )
        })
    }
}

#[cfg(test)]
#[path = "resolve_tests.rs"]
mod tests;
