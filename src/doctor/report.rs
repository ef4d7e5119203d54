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

/// The checklist, in the seeds' order: id, step and title.
pub const STEPS: [(&str, u8, &str); 8] = [
    ("build", 1, "Build currency"),
    ("connectors", 2, "Connector pack"),
    ("runs", 3, "Run history"),
    ("extension", 4, "extension-dll-exception"),
    ("pcns", 5, "PCNS event 6025"),
    ("sql", 6, "TempDB and the Sync database"),
    ("web-services", 7, "failed-creation-via-web-services"),
    ("configs", 8, "Customised .config files after an upgrade"),
];

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
    /// Step 3 only: every run the history holds (after `--since` and `--ma`), for the
    /// doctor screen's table; the text and JSON reports list the recent ones as evidence.
    #[serde(skip)]
    pub runs: Vec<RunRow>,
}

/// One run of the run history, with its status's class and meaning (the table of every
/// run status, or the status's prefix when the table does not hold it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunRow {
    pub ma: String,
    pub number: u32,
    pub profile: String,
    pub status: String,
    pub start: String,
    pub end: String,
    /// Object errors in the run's details.
    pub errors: usize,
    /// `ok`, `completed`, `running`, `no-start`, `stopped` or `unknown`.
    pub class: String,
    pub meaning: String,
}

impl StepReport {
    /// The step `id` of `STEPS`, not yet checked.
    pub fn new(id: &'static str) -> StepReport {
        let (step, title) = STEPS
            .iter()
            .find(|s| s.0 == id)
            .map_or((0, id), |s| (s.1, s.2));
        StepReport {
            id,
            step,
            title,
            state: State::Ok,
            summary: String::new(),
            evidence: Vec::new(),
            findings: Vec::new(),
            runs: Vec::new(),
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

/// One step's block of the text report: its line, then what was seen and its findings
/// (the doctor screen shows the same lines when a step is opened).
pub fn step_lines(st: &StepReport) -> Vec<String> {
    let mut v = Vec::new();
    let summary = match st.state {
        State::Skipped => format!("not checked: {}", st.summary),
        _ => st.summary.clone(),
    };
    v.push(format!(
        "[{}] {}. {}: {}",
        mark(st.state),
        st.step,
        st.title,
        summary
    ));
    for e in &st.evidence {
        v.push(format!("    seen: {e}"));
    }
    for f in &st.findings {
        v.push(format!("    {} [{}]: {}", f.severity, f.check, f.message));
        if let Some(e) = &f.evidence {
            for line in e.lines() {
                v.push(format!("      seen: {line}"));
            }
        }
        if !f.why.is_empty() {
            v.push(format!("      why: {}", f.why));
        }
        if !f.fix.is_empty() {
            v.push(format!("      fix: {}", f.fix));
        }
    }
    v
}

pub fn to_text(report: &Report) -> String {
    let mut s = String::new();
    for st in &report.steps {
        for line in step_lines(st) {
            let _ = writeln!(s, "{line}");
        }
    }
    let _ = writeln!(s, "{}", summary_line(report));
    s
}

/// The report's last line: what was checked, the counts and the exit code.
pub fn summary_line(report: &Report) -> String {
    let findings = report.steps.iter().map(|s| s.findings.len()).sum::<usize>();
    format!(
        "{}: {} step(s) checked: {} ok, {} with warnings, {} with errors; {} not checked (not in the collection), not counted as passed; {findings} finding(s); exit code {}",
        report.from,
        report.steps.len() - report.count(State::Skipped),
        report.count(State::Ok) + report.count(State::Info),
        report.count(State::Warning),
        report.count(State::Error),
        report.count(State::Skipped),
        report.exit_code().code()
    )
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
