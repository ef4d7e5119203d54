//! Profiles: the saved answers of one run, as TOML.
//!
//! ```toml
//! schema_version = 1
//! component = "sync"
//! edition = "volume-license"
//! acknowledged = [
//!   "group-no-domain@groups.admins",
//!   { warning = "sql-timeout@sql.server", reason = "prepared off site; checked on the day" },
//! ]
//!
//! [sql]
//! location = "remote"
//! server = "corpsql.contoso.com"
//!
//! [service_account]
//! password = { env = "MIM_SYNC_PASSWORD" }   # references only, never the password
//! ```
//!
//! Sections are screen ids and keys are field ids, so the screen files define the schema.
//! `load` reports every problem with file, line, column and key; `write` emits only the
//! fields the flow shows. Drafts (`draft`) are profiles with one more key, kept in the
//! per-user state folder.
mod ack_entry;
mod acks;
pub mod draft;
mod error;
mod fields;
mod load;
mod shown;
mod suggest;
mod syntax;
mod write;

pub use ack_entry::{reason_problem, MAX_REASON};
pub use error::{LoadError, LoadErrors};
pub use load::{load_file, load_str, Loaded};
pub use shown::{echo, echo_reason};
pub use suggest::did_you_mean;
pub use write::to_toml;

use crate::answers::Answers;
use crate::screens::Component;
use std::collections::{BTreeMap, BTreeSet};

/// The profile format this build reads and writes.
pub const SCHEMA_VERSION: i64 = 1;
/// Field paths of the top-level `component` and `edition` keys.
pub const COMPONENT_PATH: &str = crate::screens::fields::setup::COMPONENT;
pub const EDITION_PATH: &str = crate::screens::fields::setup::EDITION;
/// The screen that says how the live checks reach the environment.
pub const CHECKS_SCREEN: &str = "checks";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub answers: Answers,
    /// Acknowledged warnings, as `check@field`.
    pub acknowledged: BTreeSet<String>,
    /// Why an acknowledged warning is accepted, by its `check@field` key, where the profile
    /// says (`{ warning = "check@field", reason = "..." }`); one line of text each.
    pub reasons: BTreeMap<String, String>,
    /// Drafts only: the screen the user was on.
    pub draft_screen: Option<String>,
}

impl Profile {
    pub fn component(&self) -> Component {
        Component::parse(self.answers.text(COMPONENT_PATH)).unwrap_or(Component::Sync)
    }

    pub fn edition(&self) -> &str {
        self.answers.text(EDITION_PATH)
    }
}
