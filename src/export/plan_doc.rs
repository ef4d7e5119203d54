//! The install plan as the exporters read it back from a file (TOML as `mim-setup plan`
//! writes it, or JSON with `--json`).
//!
//! The file is read and checked by the one strict reader (`crate::plan::read`: types,
//! schema version, integrity hash), so a plan that `apply` refuses is refused here with the
//! same message. These types are the exporters' view of that checked text; `facts`, when
//! present, is kept as it is for the Markdown review.
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The plan schema versions the exporters understand.
pub const SUPPORTED_SCHEMA: u32 = 1;

#[derive(Debug, Clone, Deserialize)]
pub struct PlanDoc {
    pub schema_version: u32,
    #[serde(default)]
    pub generated_by: String,
    pub component: String,
    #[serde(default)]
    pub edition: String,
    pub profile: ProfileDoc,
    #[serde(default)]
    pub acknowledged: Vec<String>,
    #[serde(default)]
    pub notes: Vec<String>,
    #[serde(default)]
    pub deployment_option: Option<String>,
    #[serde(default)]
    pub secrets: BTreeMap<String, serde_json::Value>,
    #[serde(default)]
    pub interactive: Vec<InteractiveDoc>,
    pub steps: Vec<StepDoc>,
    /// What the plan's checks saw, when the plan records it.
    #[serde(default)]
    pub facts: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ProfileDoc {
    pub path: String,
    #[serde(default)]
    pub sha256: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct InteractiveDoc {
    pub step: String,
    pub label: String,
    pub value: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Msiexec,
    Command,
    Manual,
}

#[derive(Debug, Clone, Deserialize)]
pub struct StepDoc {
    pub id: String,
    pub kind: Kind,
    pub description: String,
    #[serde(default)]
    pub argv: Vec<String>,
    #[serde(default)]
    pub command: String,
    #[serde(default)]
    pub working_dir: Option<String>,
    #[serde(default)]
    pub secrets: Vec<String>,
    #[serde(default)]
    pub log: Option<String>,
    #[serde(default)]
    pub properties: Vec<PropertyDoc>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PropertyDoc {
    pub name: String,
    pub value: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub confirmed: bool,
    #[serde(default)]
    pub note: String,
}

/// Where a secret comes from at install time, as the plan records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// `{ env = "NAME" }`.
    Env(String),
    /// `"prompt"` or `{ prompt = true }`: asked for.
    Prompt,
    /// `{ keyring = "SERVICE/USER" }`: the OS credential store.
    Keyring(String),
}

impl SecretSource {
    pub fn describe(&self) -> String {
        match self {
            SecretSource::Env(name) => format!("environment variable {name}"),
            SecretSource::Prompt => "asked for at install time".to_string(),
            SecretSource::Keyring(entry) => {
                format!("the credential store entry {entry} of the machine that applies the plan")
            }
        }
    }
}

fn unknown_reference(name: &str) -> String {
    format!(
        "secret {name:?} has a reference this mim-setup does not know (expected {{ env = \"NAME\" }}, {{ keyring = \"SERVICE/USER\" }} or \"prompt\")"
    )
}

/// Why a plan file cannot be exported. Messages name the file and never quote a value.
#[derive(Debug, thiserror::Error)]
pub enum PlanReadError {
    /// Refused by the strict plan reader, exactly as `apply` refuses it.
    #[error(transparent)]
    Strict(#[from] crate::plan::read::ReadError),
    #[error("{path}: cannot read the plan: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: not a readable install plan ({format}): {message}\n  Write the plan again with `mim-setup plan PROFILE -o FILE` rather than editing it.")]
    Malformed {
        path: String,
        format: &'static str,
        message: String,
    },
    #[error("{path}: {message}\n  Write the plan again with `mim-setup plan PROFILE -o FILE`.")]
    Invalid { path: String, message: String },
}

impl PlanDoc {
    /// Reads a plan file: JSON when its name ends in `.json` or its text starts with `{`,
    /// TOML otherwise.
    pub fn read(path: &Path) -> Result<PlanDoc, PlanReadError> {
        let checked = crate::plan::read::read(path)?;
        PlanDoc::parse(&path.display().to_string(), &checked.text, checked.json)
    }

    pub fn parse(shown: &str, text: &str, json: bool) -> Result<PlanDoc, PlanReadError> {
        let malformed = |format, message: String| PlanReadError::Malformed {
            path: shown.to_string(),
            format,
            message: message.trim_end().to_string(),
        };
        let doc: PlanDoc = if json {
            serde_json::from_str(text).map_err(|e| malformed("JSON", e.to_string()))?
        } else {
            toml::from_str(text).map_err(|e| malformed("TOML", e.to_string()))?
        };
        doc.check().map_err(|message| PlanReadError::Invalid {
            path: shown.to_string(),
            message,
        })?;
        Ok(doc)
    }

    /// What the exporters rely on: a known schema, known secret references, runnable steps.
    fn check(&self) -> Result<(), String> {
        if self.schema_version != SUPPORTED_SCHEMA {
            return Err(format!(
                "plan schema version {} is not one this mim-setup reads (it reads version {SUPPORTED_SCHEMA})",
                self.schema_version
            ));
        }
        for name in self.secrets.keys() {
            self.secret_source(name)?;
        }
        let mut seen = std::collections::BTreeSet::new();
        for step in &self.steps {
            if !seen.insert(step.id.as_str()) {
                return Err(format!("step id {:?} appears twice", step.id));
            }
            if step.kind != Kind::Manual && step.argv.is_empty() {
                return Err(format!("step {:?} has no argv to run", step.id));
            }
            if step.kind == Kind::Msiexec && step.argv.get(1).map(String::as_str) != Some("/i") {
                return Err(format!(
                    "step {:?}: an msiexec step must start `msiexec.exe /i PACKAGE`",
                    step.id
                ));
            }
            for arg in &step.argv {
                for seg in super::text::segments(arg) {
                    if let super::text::Seg::Secret(name) = seg {
                        if !self.secrets.contains_key(name) {
                            return Err(format!(
                                "step {:?} uses the secret placeholder {name:?}, which [secrets] does not list",
                                step.id
                            ));
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// The reference of secret `name`, as a known kind.
    pub fn secret_source(&self, name: &str) -> Result<SecretSource, String> {
        let value = self
            .secrets
            .get(name)
            .ok_or_else(|| format!("secret {name:?} is not listed under [secrets]"))?;
        match value {
            serde_json::Value::String(s) if s == "prompt" => Ok(SecretSource::Prompt),
            serde_json::Value::Object(map) if map.len() == 1 => {
                match (map.get("env"), map.get("prompt"), map.get("keyring")) {
                    (Some(serde_json::Value::String(env)), None, None) => {
                        Ok(SecretSource::Env(env.clone()))
                    }
                    (None, Some(serde_json::Value::Bool(true)), None) => Ok(SecretSource::Prompt),
                    (None, None, Some(serde_json::Value::String(entry))) => {
                        Ok(SecretSource::Keyring(entry.clone()))
                    }
                    _ => Err(unknown_reference(name)),
                }
            }
            _ => Err(unknown_reference(name)),
        }
    }

    /// The interactive answers setup asks for during `step`.
    pub fn interactive_for<'a>(
        &'a self,
        step: &'a str,
    ) -> impl Iterator<Item = &'a InteractiveDoc> {
        self.interactive.iter().filter(move |i| i.step == step)
    }
}

impl StepDoc {
    /// Whether msiexec runs this step silently (`/qn` on its command line).
    pub fn is_silent(&self) -> bool {
        self.argv.iter().any(|a| a.eq_ignore_ascii_case("/qn"))
    }

    /// The property an argument sets, if `arg` is `NAME=value` for one of the step's
    /// recorded properties.
    pub fn property_of(&self, arg: &str) -> Option<&PropertyDoc> {
        let (name, value) = arg.split_once('=')?;
        self.properties
            .iter()
            .find(|p| p.name == name && p.value == value)
    }
}
