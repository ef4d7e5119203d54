//! `mim-setup diff A B`: what changed between two profiles, two plans, or a profile and a
//! plan (through the profile the plan records).
//!
//! ```text
//!   A, B --input.rs: the one plan reader / the one profile loader--> Side
//!        --profiles.rs | plans.rs--> Vec<Change> --render.rs--> text (colour) | --json
//! ```
//!
//! A change is one fact: an answer, an acknowledgement, a step added, removed or moved, one
//! MSI property (the msiexec line is compared property by property, never as one line), an
//! argument, an interactive answer, a note, a fact. Secrets appear only as their references:
//! neither profiles nor plans hold a secret value, and nothing here resolves one.
//!
//! Exit codes as `diff` and `kubectl diff`: 0 the same, 1 different, 2 unusable input.
pub mod args;
pub(crate) mod input;
mod plans;
mod profiles;
mod render;
mod seq;

pub use args::{Color, DiffArgs};
pub use input::{DiffError, Side};
pub use render::{json as render_json, text as render_text};

use crate::exit::ExitCode;
use crate::screens::Screens;
use serde::Serialize;
use serde_json::Value;

/// What happened to one thing between A and B.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Op {
    Added,
    Removed,
    Changed,
    /// A step at another position; `old` and `new` are its 1-based positions.
    Moved,
}

/// What a change is about; the JSON names are part of the stable output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Area {
    /// A profile's answer: `scope` the screen, `name` the field.
    Answer,
    /// An acknowledged warning (`check@field`); `old`/`new` its reason where one is recorded.
    Acknowledged,
    /// A plan's own header: component, edition, deployment option, profile, integrity.
    Plan,
    /// A step as a whole: added, removed or moved (`name` the step id).
    Steps,
    /// One field of a step (`scope` the step, `name` the field: kind, description, ...).
    Step,
    /// A program argument that is not an MSI property (`scope` the step).
    Argument,
    /// An MSI property (`scope` the step, `name` the property, `attribute` what changed).
    Property,
    /// A secret's reference (`name` the placeholder).
    Secret,
    /// An answer given in setup's own screens (`scope` the step, `name` the label).
    Interactive,
    Note,
    /// What the live checks saw (`name` the fact's key).
    Fact,
}

/// One difference between A and B. `old` is A's, `new` is B's; absent on the side that
/// has none. Values are JSON strings, booleans, or (for moves) positions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub area: Area,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    pub op: Op,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

impl Change {
    pub fn new(
        area: Area,
        name: impl Into<String>,
        old: Option<Value>,
        new: Option<Value>,
    ) -> Change {
        let op = match (&old, &new) {
            (None, Some(_)) => Op::Added,
            (Some(_), None) => Op::Removed,
            _ => Op::Changed,
        };
        Change {
            area,
            scope: None,
            name: name.into(),
            attribute: None,
            op,
            old,
            new,
        }
    }

    pub fn scoped(mut self, scope: impl Into<String>) -> Change {
        self.scope = Some(scope.into());
        self
    }

    pub fn attribute(mut self, attribute: impl Into<String>) -> Change {
        self.attribute = Some(attribute.into());
        self
    }
}

/// The result: both sides and every change, in a stable order (the order of B, then what
/// only A has).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    /// `profiles` or `plans`: what was compared (a plan against a profile compares profiles).
    pub compared: &'static str,
    pub a: Side,
    pub b: Side,
    pub changes: Vec<Change>,
}

impl Diff {
    pub fn same(&self) -> bool {
        self.changes.is_empty()
    }
}

/// Compares two files: two plans as plans; otherwise profiles, a plan through the profile
/// it records.
pub fn diff_files(
    screens: &Screens,
    a: &std::path::Path,
    b: &std::path::Path,
) -> Result<Diff, DiffError> {
    let a = input::read(screens, a)?;
    let b = input::read(screens, b)?;
    Ok(match (a, b) {
        (input::Input::Plan(pa), input::Input::Plan(pb)) => Diff {
            compared: "plans",
            changes: plans::diff(&pa.plan, &pb.plan),
            a: pa.side,
            b: pb.side,
        },
        (a, b) => {
            let pa = a.into_profile(screens)?;
            let pb = b.into_profile(screens)?;
            Diff {
                compared: "profiles",
                changes: profiles::in_flow_order(
                    profiles::diff(&pa.loaded.profile, &pb.loaded.profile),
                    screens,
                ),
                a: pa.side,
                b: pb.side,
            }
        }
    })
}

/// `mim-setup diff`: prints the diff; 0 the same, 1 different.
pub fn command(screens: &Screens, args: &DiffArgs) -> Result<ExitCode, DiffError> {
    let diff = diff_files(screens, &args.a, &args.b)?;
    let text = if args.json {
        render::json(&diff)
    } else {
        render::text(&diff, screens, args.color.enabled())
    };
    use std::io::Write as _;
    // A closed pipe (`| head`) is not a failure of the comparison.
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(ExitCode::blocking_if(!diff.same()))
}

#[cfg(test)]
mod tests;
