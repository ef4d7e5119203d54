//! Resolving secret references into values, just in time and in this one place.
//!
//! ```text
//!   plan [secrets] name -> SecretRef --resolve--> Secret (memory only) --> child process
//!                          env | prompt | keyring
//! ```
//!
//! Only the executor (`apply`) calls `resolve`, right before the first step that needs the
//! secret. A `Secret` prints as `***` and cannot be serialised (see `crate::secret`); errors
//! name the secret and where it was looked for, never a value.
use crate::secret::{Secret, SecretRef};
use std::io::IsTerminal;

/// Why a secret could not be resolved.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("secret `{name}`: the environment variable {var} is not set (or not valid Unicode); set it before running, e.g. `export {var}=...` or `$env:{var} = ...`")]
    EnvMissing { name: String, var: String },
    #[error(
        "secret `{name}`: the environment variable {var} is empty; set it to the secret's value"
    )]
    EnvEmpty { name: String, var: String },
    #[error("secret `{name}` is to be asked for, but standard input is not a terminal; run in a terminal, or change its reference to {{ env = \"NAME\" }} and set that variable")]
    NoTerminal { name: String },
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
}

/// Resolves the secret called `name` (its placeholder name in the plan) from its reference.
pub fn resolve(name: &str, reference: &SecretRef) -> Result<Secret, SecretError> {
    match reference {
        SecretRef::Env(var) => match std::env::var(var) {
            Ok(v) if v.is_empty() => Err(SecretError::EnvEmpty {
                name: name.into(),
                var: var.clone(),
            }),
            Ok(v) => Ok(Secret::new(v)),
            Err(_) => Err(SecretError::EnvMissing {
                name: name.into(),
                var: var.clone(),
            }),
        },
        SecretRef::Prompt => prompt(name),
        SecretRef::Keyring(entry) => keyring_entry(name, entry),
    }
}

fn prompt(name: &str) -> Result<Secret, SecretError> {
    if !std::io::stdin().is_terminal() {
        return Err(SecretError::NoTerminal { name: name.into() });
    }
    // rpassword reads from the terminal without echo; the prompt names the secret only.
    let value =
        rpassword::prompt_password(format!("Secret `{name}` (not shown): ")).map_err(|e| {
            SecretError::Prompt {
                name: name.into(),
                reason: e.to_string(),
            }
        })?;
    if value.is_empty() {
        return Err(SecretError::PromptEmpty { name: name.into() });
    }
    Ok(Secret::new(value))
}

fn keyring_entry(name: &str, entry: &str) -> Result<Secret, SecretError> {
    let Some((service, user)) = SecretRef::keyring_parts(entry) else {
        return Err(SecretError::KeyringEntry {
            name: name.into(),
            entry: entry.into(),
        });
    };
    let failed = |e: keyring::Error| SecretError::Keyring {
        name: name.into(),
        entry: entry.into(),
        // The crate's messages name the entry and the platform error, never the password.
        reason: e.to_string(),
    };
    let value = keyring::Entry::new(service, user)
        .and_then(|e| e.get_password())
        .map_err(failed)?;
    Ok(Secret::new(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_references_are_read_and_errors_name_the_variable_only() {
        // A variable no other test sets.
        let var = "MIM_SETUP_SECRETS_UNIT_TEST_UNSET_7";
        let err = resolve("x", &SecretRef::Env(var.into())).expect_err("unset variable");
        assert!(err.to_string().contains(var), "{err}");
        let path = std::env::var("PATH").unwrap_or_default();
        let got = resolve("x", &SecretRef::Env("PATH".into())).expect("PATH is set");
        assert_eq!(got.expose(), path);
    }

    #[test]
    fn malformed_keyring_entries_are_refused_before_the_store_is_asked() {
        for entry in ["no-slash", "/user", "service/", " /x"] {
            let err = resolve("x", &SecretRef::Keyring(entry.into())).expect_err(entry);
            assert!(
                matches!(err, SecretError::KeyringEntry { .. }),
                "{entry}: {err}"
            );
        }
    }
}
