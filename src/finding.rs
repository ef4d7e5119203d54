//! Findings: what a rule or check reports, in a form a MIM admin can act on.
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks Next, and makes `validate` exit 1.
    Error,
    /// Needs an acknowledgement, which the profile records.
    Warning,
    /// For the record only.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id of the check, e.g. `sql-server-port`.
    pub check: String,
    /// The field path (`screen.field`) it is about, if any.
    pub field: Option<String>,
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Why it matters for MIM.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// What the check saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
}

impl Finding {
    pub fn new(
        check: &str,
        field: Option<&str>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            check: check.to_string(),
            field: field.map(str::to_string),
            severity,
            message: message.into(),
            why: String::new(),
            fix: String::new(),
            evidence: None,
        }
    }

    pub fn error(check: &str, field: &str, message: impl Into<String>) -> Self {
        Finding::new(check, Some(field), Severity::Error, message)
    }

    pub fn warning(check: &str, field: &str, message: impl Into<String>) -> Self {
        Finding::new(check, Some(field), Severity::Warning, message)
    }

    pub fn why(mut self, why: impl Into<String>) -> Self {
        self.why = why.into();
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }

    /// How an acknowledgement of this finding is written in a profile: `check@field`.
    pub fn ack_key(&self) -> String {
        match &self.field {
            Some(f) => format!("{}@{}", self.check, f),
            None => self.check.clone(),
        }
    }

    pub fn blocks(&self) -> bool {
        self.severity == Severity::Error
    }

    /// A warning that `acknowledged` (a profile's `check@field` keys) does not cover: it
    /// blocks like an error until acknowledged. The one rule, for offline rules and live
    /// checks alike.
    pub fn needs_ack(&self, acknowledged: &std::collections::BTreeSet<String>) -> bool {
        self.severity == Severity::Warning && !acknowledged.contains(&self.ack_key())
    }
}
