//! The one model of a review: the walk, screen by screen, of the answers a profile (or the
//! profile a plan records) gives. The TUI draws it beside the wizard's own screens, and the
//! text, Markdown and JSON outputs print it; nothing walks the answers a second time.
//!
//! A field has its answer (a secret only as its reference), where the answer goes (an MSI
//! property with the exact value passed, an answer to type in setup's own screen, or only
//! checked), and its findings: the offline rules, the live checks when asked for, each
//! acknowledged warning with its acknowledgement.
use crate::finding::Finding;
use serde::Serialize;

/// The whole walk. JSON field names are part of the stable output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Walk {
    /// The file reviewed, as given.
    pub file: String,
    /// `plan` or `profile`.
    pub kind: &'static str,
    /// What a review of this file names: a plan's integrity hash, or a profile's SHA-256.
    pub subject: Subject,
    /// The profile whose answers are walked: the file itself, or the one the plan records.
    pub profile: String,
    pub profile_sha256: String,
    pub component: String,
    pub edition: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deployment_option: Option<String>,
    /// Whether the live checks ran for this walk (`--check`); else only the offline rules.
    pub live_checks: LiveChecks,
    /// Why no field says where its answer goes: the profile gives no plan (its findings say
    /// why). `None` when there is a plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_plan: Option<String>,
    pub screens: Vec<ScreenWalk>,
    /// Findings about no field of a shown screen.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub general: Vec<ReviewFinding>,
    /// The plan's notes (unconfirmed properties, options left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// What the live checks saw when the plan was made (`plan --check`), from the plan.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facts: Option<Facts>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    /// `plan-integrity` or `profile-sha256`.
    pub kind: &'static str,
    pub sha256: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LiveChecks {
    /// Not asked for: `review --check` runs them.
    NotRun,
    /// Run for this review, with the same engine as `mim-setup check`.
    Run,
    /// Asked for, but the run was offline (`--offline`).
    Offline,
}

/// The facts a plan recorded and when (`facts_checked_at`; a plan made before that was
/// recorded says so in `when`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub when: String,
    pub seen: Vec<Fact>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScreenWalk {
    pub id: String,
    pub title: String,
    pub step: String,
    pub fields: Vec<FieldWalk>,
    /// Findings of the screen about none of its shown fields.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<ReviewFinding>,
    /// The live checks the wizard shows on this screen (with `--check`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckLine>,
    /// The messages setup itself shows at this point, its answers filled in.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub setup_messages: Vec<SetupMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckLine {
    pub id: String,
    pub title: String,
    pub state: crate::check::State,
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SetupMessage {
    /// `enter` (on arriving at the screen) or `next` (on leaving it).
    pub at: &'static str,
    pub title: String,
    pub setup: String,
    pub means: String,
    pub plan: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldWalk {
    /// `screen.field`, as in the profile.
    pub path: String,
    pub label: String,
    /// The answer as the wizard shows it; a secret as its reference, never a value.
    pub answer: String,
    /// Where the answer goes; `[only-checked]` when nowhere.
    pub goes: Vec<Goes>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<ReviewFinding>,
}

/// Where an answer goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "to", rename_all = "kebab-case")]
pub enum Goes {
    /// An MSI property on a step's command line, with the exact value passed.
    Property {
        step: String,
        name: String,
        value: String,
        /// Where the name was seen: doc, script, log; `confirmed` false with a note when no
        /// public source confirms it.
        source: String,
        confirmed: bool,
        #[serde(skip_serializing_if = "String::is_empty")]
        note: String,
    },
    /// Setup asks for it on its own screen: the value to type.
    Interactive {
        step: String,
        label: String,
        value: String,
        #[serde(skip_serializing_if = "String::is_empty")]
        note: String,
        optional: bool,
    },
    /// Not a property: the answer is part of an argument of a step's command (a package
    /// path, a folder, a file the plan's own commands use).
    Command { step: String },
    /// Setup never sees it: the rules and the live checks use it.
    OnlyChecked,
    /// No plan was made (see `no_plan`).
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReviewFinding {
    /// `rules` (offline) or `live`.
    pub origin: &'static str,
    #[serde(flatten)]
    pub finding: Finding,
    /// For a warning the profile acknowledged: its acknowledgement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged: Option<Acknowledgement>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Acknowledgement {
    /// `check@field`, as the profile records it.
    pub key: String,
    /// The reason the profile gives beside it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl ReviewFinding {
    pub fn new(
        origin: &'static str,
        finding: Finding,
        acknowledged: &std::collections::BTreeSet<String>,
        reasons: &std::collections::BTreeMap<String, String>,
    ) -> ReviewFinding {
        let key = finding.ack_key();
        let acknowledged = finding
            .is_acknowledged(acknowledged)
            .then(|| Acknowledgement {
                reason: reasons.get(&key).cloned(),
                key,
            });
        ReviewFinding {
            origin,
            finding,
            acknowledged,
        }
    }
}

impl Walk {
    /// The field at `path`, with its screen.
    pub fn field(&self, path: &str) -> Option<(&ScreenWalk, &FieldWalk)> {
        self.screens
            .iter()
            .find_map(|s| s.fields.iter().find(|f| f.path == path).map(|f| (s, f)))
    }

    pub fn screen(&self, id: &str) -> Option<&ScreenWalk> {
        self.screens.iter().find(|s| s.id == id)
    }

    /// Every finding of the walk.
    pub fn findings(&self) -> impl Iterator<Item = &ReviewFinding> {
        self.screens
            .iter()
            .flat_map(|s| s.fields.iter().flat_map(|f| &f.findings).chain(&s.findings))
            .chain(&self.general)
    }
}
