//! Install plans: the exact steps that install a component, derived from a checked profile.
//!
//! A plan is TOML a reviewer can read: ordered steps, each with an id, a kind, a description
//! and the exact command line. Secrets stand in commands as `{{secret:NAME}}` placeholders
//! whose references are listed under `[secrets]`; `{{log_dir}}` is the log folder beside the
//! plan. Properties whose names are not publicly confirmed are marked `confirmed = false`
//! with a note, and listed again in the plan's notes. The acknowledgements' reasons are kept
//! beside them (`acknowledged_reasons`), and a live check the profile acknowledges as not
//! run (its server gave no answer) is a note, so that a reviewer sees what was never checked.
pub mod msiexec;
pub mod placeholder;
mod props;
pub mod ps_literal;
pub mod read;
mod service_after;
mod service_mim;
mod service_portal;
mod steps;
mod sync;
pub mod table;
pub mod update;

pub use msiexec::{msi_property, quote_arg, MsiQuoteError};

use crate::finding::Finding;
use crate::profile::Loaded;
use crate::screens::{Component, Screens};
use crate::secret::SecretRef;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub const PLAN_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub schema_version: u32,
    pub generated_by: String,
    pub component: String,
    pub edition: String,
    pub profile: ProfileRef,
    /// Warnings the profile acknowledged, as `check@field`.
    pub acknowledged: Vec<String>,
    /// Why, by acknowledgement, where the profile says (`{ warning, reason }` entries).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub acknowledged_reasons: BTreeMap<String, String>,
    /// What a reviewer must know: unconfirmed properties, omitted options.
    pub notes: Vec<String>,
    /// The Service and Portal deployment option (A to I) and its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment_option: Option<String>,
    /// Placeholder name to the reference it is filled from at install time.
    pub secrets: BTreeMap<String, SecretRef>,
    /// Answers setup takes only on its screens: no public property name is known for them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interactive: Vec<Interactive>,
    /// What the live checks saw when the plan was made (`plan --check`); `apply` re-checks
    /// them and refuses a plan whose environment changed.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub facts: BTreeMap<String, String>,
    /// When the live checks saw `facts` (UTC, RFC 3339); absent in plans without facts and in
    /// plans made before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts_checked_at: Option<String>,
    pub steps: Vec<Step>,
    /// The SHA-256 of the plan's canonical TOML text without this section; written last.
    /// `apply` refuses a plan whose content no longer gives this hash (edited by hand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub integrity: Option<Integrity>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integrity {
    pub sha256: String,
}

/// An answer a person enters in setup's own screens while the step runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interactive {
    /// The step whose setup asks for it.
    pub step: String,
    /// Setup's label for it.
    pub label: String,
    /// What to enter (a `{{secret:NAME}}` reference for a secret, never the secret).
    pub value: String,
    /// The profile field it comes from.
    pub from: String,
    pub note: String,
    /// A silent run can do without it (setup keeps its own default); setup then runs with
    /// /qn when every interactive answer is optional.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileRef {
    pub path: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StepKind {
    /// A Windows Installer package, run with msiexec.
    Msiexec,
    /// Any other program.
    Command,
    /// Something a person does; the plan only shows it.
    Manual,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub id: String,
    pub kind: StepKind,
    pub description: String,
    /// The program and its arguments, one argument per entry, unquoted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub argv: Vec<String>,
    /// The exact command line (quoted for Windows), empty for manual steps.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub command: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    /// Placeholders this step needs filled in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub properties: Vec<Property>,
}

impl Step {
    /// Whether msiexec runs this step silently (`/qn` on its command line).
    pub fn is_silent(&self) -> bool {
        self.argv.iter().any(|a| a.eq_ignore_ascii_case("/qn"))
    }

    /// The property an argument sets, if `arg` is `NAME=value` for one of the step's
    /// recorded properties.
    pub fn property_of(&self, arg: &str) -> Option<&Property> {
        let (name, value) = arg.split_once('=')?;
        self.properties
            .iter()
            .find(|p| p.name == name && p.value == value)
    }
}

/// One MSI property on a command line, with where its name is documented.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Property {
    pub name: String,
    /// The value as passed (a placeholder for secrets).
    pub value: String,
    /// The profile field it comes from; empty for fixed values.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub from: String,
    /// `doc`, `script`, `log`: where the property name was seen.
    pub source: String,
    pub confirmed: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// Why no plan could be made.
#[derive(Debug, thiserror::Error)]
pub enum PlanError {
    #[error("the profile has {} blocking finding(s); run `mim-setup validate` and fix them first", .0.len())]
    Blocked(Vec<Finding>),
    #[error("the profile has unacknowledged warnings: {}", .0.join(", "))]
    Unacknowledged(Vec<String>),
    #[error(transparent)]
    Quote(#[from] MsiQuoteError),
    #[error(transparent)]
    PsQuote(#[from] ps_literal::PsQuoteError),
    #[error("the profile cannot be read back:\n{0}")]
    Profile(#[from] crate::profile::LoadErrors),
    #[error("the built-in MSI property table is broken: {0}")]
    Table(#[from] table::TableError),
}

/// Builds the plan for a loaded, checked profile; `profile_path` is recorded as given.
pub fn build(screens: &Screens, loaded: &Loaded, profile_path: &str) -> Result<Plan, PlanError> {
    ready(screens, loaded)?;
    // What setup gets: a URL in a host field is its host (the info finding said so).
    let (answers, hosts) = crate::rules::hosts::with_hosts(screens, &loaded.profile.answers);
    let profile = &crate::profile::Profile {
        answers,
        ..loaded.profile.clone()
    };
    let mut plan = Plan::header(profile, &loaded.sha256, profile_path);
    for (field, typed, host) in hosts {
        plan.notes.push(format!(
            "{field}: '{typed}' is a URL; setup is given its host, {host}."
        ));
    }
    match profile.component() {
        Component::Sync => sync::steps(profile, &mut plan)?,
        Component::ServicePortal => service_portal::steps(screens, profile, &mut plan)?,
    }
    Ok(plan)
}

/// A plan is made only from a profile without blocking findings or unacknowledged warnings.
fn ready(screens: &Screens, loaded: &Loaded) -> Result<(), PlanError> {
    let report = crate::validate::check_profile(screens, &loaded.profile);
    if !report.blocking.is_empty() {
        return Err(PlanError::Blocked(report.blocking));
    }
    if !report.unacknowledged.is_empty() {
        return Err(PlanError::Unacknowledged(
            report.unacknowledged.iter().map(Finding::ack_key).collect(),
        ));
    }
    Ok(())
}

/// A note for each live check the profile acknowledges as not run (its server gave no
/// answer where the profile was prepared), so that a reviewer sees what was never checked.
fn not_checked(profile: &crate::profile::Profile) -> Vec<String> {
    profile
        .acknowledged
        .iter()
        .filter(|k| {
            let check = k.split_once('@').map_or(k.as_str(), |(c, _)| c);
            crate::finding::UNREACHED_CHECKS.contains(&check)
        })
        .map(|k| {
            let reason = profile
                .reasons
                .get(k)
                .map(|r| format!(" (reason: {})", crate::profile::echo_reason(r)))
                .unwrap_or_default();
            format!(
                "Not checked: the live check {k} got no answer from its server, and the profile acknowledges going on without it{reason}. Run `mim-setup check` where the server can be reached before apply."
            )
        })
        .collect()
}

impl Plan {
    /// A plan for `profile` (read from `profile_path`, whose text has this SHA-256) with
    /// no step yet: what every plan records of its profile.
    fn header(profile: &crate::profile::Profile, sha256: &str, profile_path: &str) -> Plan {
        Plan {
            schema_version: PLAN_SCHEMA_VERSION,
            generated_by: format!("mim-setup {}", env!("CARGO_PKG_VERSION")),
            component: profile.component().as_str().to_string(),
            edition: profile.edition().to_string(),
            profile: ProfileRef {
                path: profile_path.replace('\\', "/"),
                sha256: sha256.to_string(),
            },
            acknowledged: profile.acknowledged.iter().cloned().collect(),
            acknowledged_reasons: profile
                .reasons
                .iter()
                .filter(|(k, _)| profile.acknowledged.contains(*k))
                .map(|(k, r)| (k.clone(), r.clone()))
                .collect(),
            notes: not_checked(profile),
            deployment_option: None,
            secrets: BTreeMap::new(),
            interactive: Vec::new(),
            facts: BTreeMap::new(),
            facts_checked_at: None,
            steps: Vec::new(),
            integrity: None,
        }
    }

    /// Records what the live checks saw, and when (now); no facts, no time.
    pub fn record_facts(&mut self, facts: BTreeMap<String, String>) {
        self.facts_checked_at =
            (!facts.is_empty()).then(|| crate::approve::time::format(crate::approve::time::now()));
        self.facts = facts;
    }

    /// The plan as TOML, ending with its `[integrity]` section.
    pub fn to_toml(&self) -> String {
        let body = self.canonical_toml();
        format!(
            "{body}\n[integrity]\nsha256 = \"{}\"\n",
            sha256_hex(body.as_bytes())
        )
    }

    /// The plan as JSON; `integrity` holds the same hash as the TOML form's.
    pub fn to_json(&self) -> String {
        let mut sealed = self.clone();
        sealed.integrity = Some(Integrity {
            sha256: self.content_sha256(),
        });
        serde_json::to_string_pretty(&sealed).unwrap_or_default()
    }

    /// The TOML text the integrity hash covers: the plan without its `integrity`.
    pub fn canonical_toml(&self) -> String {
        let head = "# mim-setup install plan. Review every step before running it.\n\
                    # {{secret:NAME}} is filled in from [secrets] at install time; {{log_dir}} is the\n\
                    # log folder beside the plan.\n";
        let mut bare = self.clone();
        bare.integrity = None;
        // Serialising plain data to TOML cannot fail; an empty body would show if it did.
        format!(
            "{head}{}",
            toml::to_string_pretty(&bare).unwrap_or_default()
        )
    }

    /// SHA-256 (hex) of the canonical text: what `integrity.sha256` must be.
    pub fn content_sha256(&self) -> String {
        sha256_hex(self.canonical_toml().as_bytes())
    }

    /// Placeholder text for a secret in a command.
    pub fn secret_placeholder(name: &str) -> String {
        placeholder::secret(name)
    }

    /// Registers a secret reference under `name` and returns its placeholder.
    /// The reference of the secret placeholder `name`.
    pub fn secret_ref(&self, name: &str) -> Result<&SecretRef, String> {
        self.secrets
            .get(name)
            .ok_or_else(|| format!("secret {name:?} is not listed under [secrets]"))
    }

    /// The interactive answers setup asks for during `step`.
    pub fn interactive_for<'a>(&'a self, step: &'a str) -> impl Iterator<Item = &'a Interactive> {
        self.interactive.iter().filter(move |i| i.step == step)
    }

    pub fn add_secret(&mut self, name: &str, reference: SecretRef) -> String {
        self.secrets.insert(name.to_string(), reference);
        Plan::secret_placeholder(name)
    }
}

/// Builds the plan from a profile's text, as the `plan` command does from a file: the wizard
/// saves its profile, then goes through this same path so that replay and interactive runs
/// cannot diverge.
pub fn build_from_text(
    screens: &Screens,
    text: &str,
    profile_path: &str,
) -> Result<Plan, PlanError> {
    let loaded = crate::profile::load_str(profile_path, text, screens, false)?;
    build(screens, &loaded, profile_path)
}

/// Lowercase hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
