//! Secrets: what a profile or plan may hold (a reference), what only memory may hold (a
//! value), and the one way from the first to the second.
//!
//! ```text
//!   profile / plan / --set:  { env = "NAME" } | { prompt = true } | { keyring = "SERVICE/USER" }
//!        reference.rs  SecretRef, and the one parser of that syntax (profiles and `check --set`)
//!        resolve.rs    resolve(name, ref, Ask) -> Secret | SecretError   (the only resolver)
//!                      Secrets: the values of a set of field paths, with why any is missing
//!   apply   resolves each plan secret right before the first step that needs it;
//!   checks  say which field paths they need (`check::needed`) and read them from `Secrets`.
//! ```
//!
//! One rule everywhere: an empty value (variable, prompt answer, typed field, store entry) is
//! refused, with an error that names the secret and how to fix it. A `Secret` has no
//! `Serialize`, and its `Debug`/`Display` print a mask, so it cannot reach a file, a log or
//! the screen by accident; errors never hold a value.
mod reference;
mod resolve;

pub use reference::{ReferenceError, SecretRef, REFERENCE_KEYS};
pub use resolve::{resolve, Ask, SecretError, Secrets};

use std::fmt;

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
    use super::Secret;

    #[test]
    fn secret_never_prints_its_value() {
        let s = Secret::new("Pass@word1");
        assert_eq!(format!("{s}"), "***");
        assert_eq!(format!("{s:?}"), "Secret(***)");
        assert_eq!(s.expose(), "Pass@word1");
    }
}
