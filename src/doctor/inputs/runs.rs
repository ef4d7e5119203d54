//! Run history in the Sync Service's own format: `<run-history>` with one `<run-details>`
//! per run (what `MIIS_ManagementAgent.RunDetails()`, `MIIS_RunHistory.RunDetails()` and
//! Synchronization Service Manager's run-history export give; schema: RunHistory.xsd of
//! lithnet/miis-client). Read as a stream: `read_runs` calls back once per run and keeps
//! nothing, so 10,000 runs take the memory of one.
//!
//! Kept of each run: `ma-id`, `ma-name`, `run-number`, `run-profile-name`, and of each
//! `step-details`: `step-number`, `start-date`, `end-date`, `step-result`,
//! `ma-connection/connection-result` and the connection incident's `cd-error`, and every
//! object error: `ma-discovery-errors/ma-object-error`, `synchronization-errors/import-error`
//! and `export-error`, `mv-retry-errors/retry-error`, each with its `dn`, `cs-guid`,
//! `error-type`, `algorithm-step`, `first-occurred`, `retry-count`, `cd-error` and
//! `extension-error-info` (`extension-name`, `extension-callsite`, `extension-context`,
//! `call-stack`). `error-type` and `step-result` are kept as written, also values the
//! schema does not list (the FIM Service MA's `failed-creation-via-web-services`).
use super::xml::{Item, XmlStream};
use super::InputError;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    Discovery,
    Import,
    Export,
    Retry,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtensionError {
    pub name: String,
    pub callsite: String,
    pub context: String,
    pub call_stack: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CdError {
    pub code: String,
    pub literal: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectError {
    pub kind: ErrorKind,
    pub dn: String,
    pub cs_guid: String,
    pub error_type: String,
    pub algorithm_step: String,
    pub first_occurred: String,
    pub retry_count: String,
    pub extension: Option<ExtensionError>,
    pub cd_error: Option<CdError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Step {
    pub number: u32,
    pub result: String,
    pub start: String,
    pub end: String,
    pub connection_result: String,
    pub connection_error: Option<CdError>,
    pub errors: Vec<ObjectError>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Run {
    pub ma_id: String,
    pub ma_name: String,
    pub run_number: u32,
    pub profile: String,
    pub steps: Vec<Step>,
}

impl Run {
    /// The run's result: the result of its last step (the one that ended the run).
    pub fn status(&self) -> &str {
        self.steps
            .iter()
            .max_by_key(|s| s.number)
            .map(|s| s.result.as_str())
            .unwrap_or("")
    }

    /// When the run started: its first step's start.
    pub fn start(&self) -> &str {
        self.steps
            .iter()
            .min_by_key(|s| s.number)
            .map(|s| s.start.as_str())
            .unwrap_or("")
    }

    pub fn end(&self) -> &str {
        self.steps
            .iter()
            .max_by_key(|s| s.number)
            .map(|s| s.end.as_str())
            .unwrap_or("")
    }
}

fn attr(attrs: &[(String, String)], name: &str) -> String {
    attrs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// Calls `each` with every run of the file, in file order; returns how many there were.
pub fn read_runs(path: &Path, mut each: impl FnMut(Run)) -> Result<usize, InputError> {
    let mut x = XmlStream::open(path)?;
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    let mut run: Option<Run> = None;
    let mut step: Option<Step> = None;
    let mut err: Option<ObjectError> = None;
    let mut count = 0usize;
    loop {
        match x.next()? {
            Item::Eof => break,
            Item::Text(t) => text.push_str(&t),
            Item::Start(name, attrs) => {
                text.clear();
                if stack.is_empty() && name != "run-history" {
                    return Err(x.error(
                        format!("not a run-history file: the root element is <{name}>"),
                        "save the run history as the Sync Service writes it: <run-history> with <run-details> per run (RunDetails() of MIIS_RunHistory, or `doctor --collect`)",
                    ));
                }
                match name.as_str() {
                    "run-details" => run = Some(Run::default()),
                    "step-details" => {
                        let n = attr(&attrs, "step-number");
                        let number = n.parse().map_err(|_| {
                            x.error(
                                format!("step-number {n:?} is not a number"),
                                "each <step-details> has step-number=\"1\", \"2\", ... (RunHistory.xsd)",
                            )
                        })?;
                        step = Some(Step {
                            number,
                            ..Step::default()
                        });
                    }
                    "import-error" | "export-error" | "ma-object-error" | "retry-error" => {
                        let kind = match name.as_str() {
                            "import-error" => ErrorKind::Import,
                            "export-error" => ErrorKind::Export,
                            "ma-object-error" => ErrorKind::Discovery,
                            _ => ErrorKind::Retry,
                        };
                        let dn = match kind {
                            ErrorKind::Retry => attr(&attrs, "displayName"),
                            _ => attr(&attrs, "dn"),
                        };
                        err = Some(ObjectError {
                            kind,
                            dn,
                            cs_guid: attr(&attrs, "cs-guid"),
                            error_type: String::new(),
                            algorithm_step: String::new(),
                            first_occurred: String::new(),
                            retry_count: String::new(),
                            extension: None,
                            cd_error: None,
                        });
                    }
                    "extension-error-info" => {
                        if let Some(e) = err.as_mut() {
                            e.extension = Some(ExtensionError::default());
                        }
                    }
                    "cd-error" => {
                        if let Some(e) = err.as_mut() {
                            e.cd_error = Some(CdError::default());
                        } else if let Some(s) = step.as_mut() {
                            s.connection_error = Some(CdError::default());
                        }
                    }
                    _ => {}
                }
                stack.push(name);
            }
            Item::End(name) => {
                stack.pop();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let value = std::mem::take(&mut text);
                let value = value.trim();
                match (parent, name.as_str()) {
                    (_, "run-details") => {
                        if let Some(r) = run.take() {
                            count += 1;
                            each(r);
                        }
                    }
                    (_, "step-details") => {
                        if let (Some(r), Some(s)) = (run.as_mut(), step.take()) {
                            r.steps.push(s);
                        }
                    }
                    (_, "import-error" | "export-error" | "ma-object-error" | "retry-error") => {
                        if let (Some(s), Some(e)) = (step.as_mut(), err.take()) {
                            s.errors.push(e);
                        }
                    }
                    ("run-details", field) => {
                        if let Some(r) = run.as_mut() {
                            match field {
                                "ma-id" => r.ma_id = value.to_string(),
                                "ma-name" => r.ma_name = value.to_string(),
                                "run-profile-name" => r.profile = value.to_string(),
                                "run-number" => {
                                    r.run_number = value.parse().map_err(|_| {
                                        x.error(
                                            format!("run-number {value:?} is not a number"),
                                            "<run-number> holds the run's number (RunHistory.xsd)",
                                        )
                                    })?
                                }
                                _ => {}
                            }
                        }
                    }
                    ("step-details", field) => {
                        if let Some(s) = step.as_mut() {
                            match field {
                                "start-date" => s.start = value.to_string(),
                                "end-date" => s.end = value.to_string(),
                                "step-result" => s.result = value.to_string(),
                                _ => {}
                            }
                        }
                    }
                    ("ma-connection", "connection-result") => {
                        if let Some(s) = step.as_mut() {
                            s.connection_result = value.to_string();
                        }
                    }
                    ("extension-error-info", field) => {
                        if let Some(x) = err.as_mut().and_then(|e| e.extension.as_mut()) {
                            match field {
                                "extension-name" => x.name = value.to_string(),
                                "extension-callsite" => x.callsite = value.to_string(),
                                "extension-context" => x.context = value.to_string(),
                                "call-stack" => x.call_stack = value.to_string(),
                                _ => {}
                            }
                        }
                    }
                    ("cd-error", field) => {
                        let cd = match err.as_mut() {
                            Some(e) => e.cd_error.as_mut(),
                            None => step.as_mut().and_then(|s| s.connection_error.as_mut()),
                        };
                        if let Some(cd) = cd {
                            match field {
                                "error-code" => cd.code = value.to_string(),
                                "error-literal" => cd.literal = value.to_string(),
                                "server-error-detail" => cd.detail = value.to_string(),
                                _ => {}
                            }
                        }
                    }
                    (
                        "import-error" | "export-error" | "ma-object-error" | "retry-error",
                        field,
                    ) => {
                        if let Some(e) = err.as_mut() {
                            match field {
                                "error-type" => e.error_type = value.to_string(),
                                "algorithm-step" => e.algorithm_step = value.to_string(),
                                "first-occurred" => e.first_occurred = value.to_string(),
                                "retry-count" => e.retry_count = value.to_string(),
                                "dn" => e.dn = value.to_string(),
                                _ => {}
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{read_runs, ErrorKind};

    #[test]
    fn every_kind_of_object_error_and_the_connection_incident_are_read() {
        let xml = r#"<?xml version="1.0"?>
<run-history><run-details><ma-id>{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6A}</ma-id><ma-name>A &amp; B</ma-name><run-number>7</run-number><run-profile-name>Full Import</run-profile-name><security-id>C\s</security-id>
<step-details step-number="2" step-id="{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6B}"><start-date>2026-11-30 01:05:00.000</start-date><end-date>2026-11-30 01:06:00.000</end-date><step-result>stopped-connectivity</step-result><step-description><x><start-date>not this</start-date></x></step-description>
<ma-connection><connection-result>dropped-connection</connection-result><server>dc01</server><connection-log><incident><connection-result>dropped-connection</connection-result><date>2026-11-30 01:05:30.000</date><server>dc01</server><cd-error><error-code>0x51</error-code><error-literal>Server Down</error-literal></cd-error></incident></connection-log></ma-connection>
<ma-discovery-errors><ma-object-error><error-type>duplicate-object</error-type><dn>EMP-1</dn></ma-object-error></ma-discovery-errors>
<synchronization-errors/><mv-retry-errors><retry-error displayName="Jane Doe"><date-occurred>2026-11-30 01:05:00.000</date-occurred><error-type>locking-error-needs-retry</error-type><algorithm-step>import-flow</algorithm-step></retry-error></mv-retry-errors></step-details>
<step-details step-number="1" step-id="{4C2A0E1B-6B7D-4E2B-9A61-1F2E3D4C5B6C}"><start-date>2026-11-30 01:00:00.000</start-date><end-date>2026-11-30 01:05:00.000</end-date><step-result>success</step-result></step-details>
</run-details></run-history>"#;
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("run-history.xml");
        std::fs::write(&p, xml).unwrap();
        let mut runs = Vec::new();
        assert_eq!(read_runs(&p, |r| runs.push(r)).unwrap(), 1);
        let r = &runs[0];
        assert_eq!(
            (r.ma_name.as_str(), r.run_number, r.profile.as_str()),
            ("A & B", 7, "Full Import")
        );
        assert_eq!(r.status(), "stopped-connectivity");
        assert_eq!(r.start(), "2026-11-30 01:00:00.000");
        assert_eq!(r.end(), "2026-11-30 01:06:00.000");
        let s = &r.steps[0];
        assert_eq!(s.start, "2026-11-30 01:05:00.000");
        assert_eq!(s.connection_result, "dropped-connection");
        assert_eq!(s.connection_error.as_ref().unwrap().literal, "Server Down");
        let kinds: Vec<(ErrorKind, &str, &str)> = s
            .errors
            .iter()
            .map(|e| (e.kind, e.dn.as_str(), e.error_type.as_str()))
            .collect();
        assert_eq!(
            kinds,
            [
                (ErrorKind::Discovery, "EMP-1", "duplicate-object"),
                (ErrorKind::Retry, "Jane Doe", "locking-error-needs-retry")
            ]
        );
    }
}
