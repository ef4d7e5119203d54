//! The doctor's report: one block per step of the seeds' checklist, each with the check
//! machinery's state (`check::State`), what was seen, and `crate::finding::Finding`s (what
//! is wrong, why it matters for MIM, how to fix it, what was seen). Text for people and JSON
//! for machines, as `check` prints them; exit codes 0 (nothing needs action), 1 (a warning or
//! an error finding), 2 (unusable input, before any report).
use crate::check::State;
use crate::exit::ExitCode;
use crate::finding::{Finding, Severity};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, Serialize)]
pub struct StepReport {
    /// Stable id: `build`, `connectors`, `runs`, `extension`, `pcns`, `sql`, `web-services`,
    /// `configs`.
    pub id: &'static str,
    /// The step of the seeds (1 to 7; 8 is "after an upgrade").
    pub step: u8,
    pub title: &'static str,
    pub state: State,
    pub summary: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<Finding>,
}

impl StepReport {
    pub fn new(id: &'static str, step: u8, title: &'static str) -> StepReport {
        StepReport {
            id,
            step,
            title,
            state: State::Ok,
            summary: String::new(),
            evidence: Vec::new(),
            findings: Vec::new(),
        }
    }

    /// A step whose input the collection does not hold: never counted as passed.
    pub fn skipped(mut self, why: impl Into<String>) -> StepReport {
        self.state = State::Skipped;
        self.summary = why.into();
        self
    }

    /// Sets the state from the worst finding (the summary is the caller's).
    pub fn settle(mut self) -> StepReport {
        if self.state == State::Skipped {
            return self;
        }
        self.state = match self.findings.iter().map(|f| f.severity).min() {
            Some(Severity::Error) => State::Error,
            Some(Severity::Warning) => State::Warning,
            Some(Severity::Info) => State::Info,
            None => State::Ok,
        };
        self
    }
}

/// A doctor finding. Its severity is a value, not a literal: doctor warnings are not
/// acknowledgements a profile can hold.
pub fn finding(check: &str, severity: Severity, message: impl Into<String>) -> Finding {
    Finding::new(check, None, severity, message)
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub from: String,
    pub steps: Vec<StepReport>,
}

impl Report {
    pub fn count(&self, state: State) -> usize {
        self.steps.iter().filter(|s| s.state == state).count()
    }

    pub fn exit_code(&self) -> ExitCode {
        ExitCode::blocking_if(
            self.steps
                .iter()
                .flat_map(|s| s.findings.iter())
                .any(|f| f.severity != Severity::Info),
        )
    }
}

fn mark(state: State) -> &'static str {
    match state {
        State::Pending => "…",
        State::Ok | State::Info => "ok",
        State::Warning => "WARNING",
        State::Error => "ERROR",
        State::Skipped => "SKIPPED",
    }
}

pub fn to_text(report: &Report) -> String {
    let mut s = String::new();
    for st in &report.steps {
        let summary = match st.state {
            State::Skipped => format!("not checked: {}", st.summary),
            _ => st.summary.clone(),
        };
        let _ = writeln!(
            s,
            "[{}] {}. {}: {}",
            mark(st.state),
            st.step,
            st.title,
            summary
        );
        for e in &st.evidence {
            let _ = writeln!(s, "    seen: {e}");
        }
        for f in &st.findings {
            let _ = writeln!(s, "    {} [{}]: {}", f.severity, f.check, f.message);
            if let Some(e) = &f.evidence {
                for line in e.lines() {
                    let _ = writeln!(s, "      seen: {line}");
                }
            }
            if !f.why.is_empty() {
                let _ = writeln!(s, "      why: {}", f.why);
            }
            if !f.fix.is_empty() {
                let _ = writeln!(s, "      fix: {}", f.fix);
            }
        }
    }
    let findings = report.steps.iter().map(|s| s.findings.len()).sum::<usize>();
    let _ = writeln!(
        s,
        "{}: {} step(s) checked: {} ok, {} with warnings, {} with errors; {} not checked (not in the collection), not counted as passed; {findings} finding(s); exit code {}",
        report.from,
        report.steps.len() - report.count(State::Skipped),
        report.count(State::Ok) + report.count(State::Info),
        report.count(State::Warning),
        report.count(State::Error),
        report.count(State::Skipped),
        report.exit_code().code()
    );
    s
}

pub fn to_json(report: &Report) -> String {
    let exit = report.exit_code();
    let v = serde_json::json!({
        "from": report.from,
        "ok": exit == ExitCode::Ok,
        "exit_code": exit.code(),
        "counts": {
            "ok": report.count(State::Ok) + report.count(State::Info),
            "warning": report.count(State::Warning),
            "error": report.count(State::Error),
            "skipped": report.count(State::Skipped),
        },
        "steps": report.steps,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
