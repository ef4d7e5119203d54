//! `validate`: the rules over a whole profile, and how the result is shown.
use crate::finding::{Finding, Severity};
use crate::profile::{LoadErrors, Loaded, Profile};
use crate::rules::evaluate_flow;
use crate::screens::Screens;
use serde::Serialize;
use std::fmt::Write as _;

/// The findings for one profile, sorted into what blocks and what needs acknowledging.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub findings: Vec<Finding>,
    /// Errors.
    pub blocking: Vec<Finding>,
    /// Warnings the profile has not acknowledged.
    pub unacknowledged: Vec<Finding>,
}

impl Verdict {
    pub fn ok(&self) -> bool {
        self.blocking.is_empty() && self.unacknowledged.is_empty()
    }
}

pub fn check_profile(screens: &Screens, profile: &Profile) -> Verdict {
    let findings = evaluate_flow(screens, profile.component(), &profile.answers);
    let blocking = findings.iter().filter(|f| f.blocks()).cloned().collect();
    let unacknowledged = findings
        .iter()
        .filter(|f| f.needs_ack(&profile.acknowledged))
        .cloned()
        .collect();
    Verdict {
        findings,
        blocking,
        unacknowledged,
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    line: Option<usize>,
    column: Option<usize>,
    acknowledged: bool,
    ack_key: String,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    file: &'a str,
    ok: bool,
    findings: Vec<JsonFinding<'a>>,
}

/// A profile that cannot be used, as JSON: `ok` is false and `errors` holds the located
/// load errors (file, line, column, key, message, fix); there are no findings.
pub fn errors_to_json(file: &str, errors: &LoadErrors) -> String {
    #[derive(Serialize)]
    struct JsonErrors<'a> {
        file: &'a str,
        ok: bool,
        unusable: bool,
        errors: &'a [crate::profile::LoadError],
    }
    serde_json::to_string_pretty(&JsonErrors {
        file,
        ok: false,
        unusable: true,
        errors: &errors.0,
    })
    .unwrap_or_default()
}

/// The report as JSON.
pub fn to_json(file: &str, loaded: &Loaded, report: &Verdict) -> String {
    let findings = report
        .findings
        .iter()
        .map(|f| JsonFinding {
            finding: f,
            line: locate(loaded, f).map(|l| l.0),
            column: locate(loaded, f).map(|l| l.1),
            acknowledged: loaded.profile.acknowledged.contains(&f.ack_key()),
            ack_key: f.ack_key(),
        })
        .collect();
    serde_json::to_string_pretty(&JsonReport {
        file,
        ok: report.ok(),
        findings,
    })
    .unwrap_or_default()
}

/// Where a finding stands in the profile: line, column, and whether that is its own key
/// (`true`) or, for a key the profile lacks, the header of its section (`false`).
fn locate(loaded: &Loaded, f: &Finding) -> Option<(usize, usize, bool)> {
    let field = f.field.as_deref()?;
    let at = |p: &str| Some((*loaded.lines.get(p)?, *loaded.columns.get(p)?));
    if let Some((l, c)) = at(field) {
        return Some((l, c, true));
    }
    let (l, c) = at(field.split_once('.')?.0)?;
    Some((l, c, false))
}

/// The report as text: one block per finding, located at the key's line.
pub fn to_text(file: &str, loaded: &Loaded, report: &Verdict) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let at = locate(loaded, f);
        let line = at.map_or(String::new(), |(l, c, _)| format!("{l}:{c}:"));
        let acked = loaded.profile.acknowledged.contains(&f.ack_key());
        let state = if f.severity == Severity::Warning && acked {
            " (acknowledged)"
        } else {
            ""
        };
        let field = f
            .field
            .as_deref()
            .map_or(String::new(), |p| format!(" `{p}`"));
        let _ = writeln!(
            out,
            "{file}:{line} {}{state} [{}]{field}: {}",
            f.severity, f.check, f.message
        );
        if let (Some(p), None | Some((_, _, false))) = (&f.field, at) {
            let (section, key) = p.split_once('.').unwrap_or(("", p));
            let _ = match at {
                Some(_) => writeln!(out, "  where: [{section}] has no `{key}`; add it there"),
                None => writeln!(
                    out,
                    "  where: the profile has no [{section}] section; add it, with `{key}`"
                ),
            };
        }
        if let Some(e) = &f.evidence {
            let _ = writeln!(out, "  seen: {e}");
        }
        if !f.why.is_empty() {
            let _ = writeln!(out, "  why: {}", f.why);
        }
        if !f.fix.is_empty() {
            let _ = writeln!(out, "  fix: {}", f.fix);
        }
        if f.severity == Severity::Warning && !acked {
            let _ = writeln!(
                out,
                "  acknowledge: add \"{}\" to `acknowledged`",
                f.ack_key()
            );
        }
    }
    let errors = report.blocking.len();
    let warnings = report.unacknowledged.len();
    if report.ok() {
        let _ = writeln!(
            out,
            "{file}: ok ({} finding(s), all acknowledged or informational)",
            report.findings.len()
        );
    } else {
        let _ = writeln!(
            out,
            "{file}: {errors} error(s), {warnings} unacknowledged warning(s)"
        );
    }
    out
}
