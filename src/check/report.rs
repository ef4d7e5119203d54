//! The output of `mim-setup check`: text for people, JSON for machines.
use super::{Report, State};
use serde_json::json;
use std::fmt::Write;

fn mark(state: State) -> &'static str {
    match state {
        State::Pending => "…",
        State::Ok | State::Info => "ok",
        State::Warning => "WARNING",
        State::Error => "ERROR",
        State::Skipped => "SKIPPED",
    }
}

/// One block per check: state, title, what was seen; findings with why and fix.
pub fn to_text(file: &str, report: &Report, overridden: &[String]) -> String {
    let mut s = String::new();
    if report.offline {
        let _ = writeln!(s, "{file}: offline: no live check was run (SQL Server, Active Directory, mail and network were not checked).");
        return s;
    }
    for o in overridden {
        let _ = writeln!(s, "{file}: answer overridden for this run: {o}");
    }
    for o in &report.outcomes {
        let _ = writeln!(
            s,
            "[{}] {} {}: {} ({} ms)",
            mark(o.state),
            o.area.as_str(),
            o.title,
            o.summary,
            o.elapsed_ms
        );
        for e in &o.evidence {
            let _ = writeln!(s, "    seen: {e}");
        }
        for f in &o.findings {
            if o.findings.len() > 1 || f.message != o.summary {
                let _ = writeln!(s, "    {} [{}]: {}", f.severity, f.check, f.message);
            }
            if let Some(e) = &f.evidence {
                let _ = writeln!(s, "    seen: {e}");
            }
            if !f.why.is_empty() {
                let _ = writeln!(s, "    why: {}", f.why);
            }
            if !f.fix.is_empty() {
                let _ = writeln!(s, "    fix: {}", f.fix);
            }
        }
    }
    let _ = writeln!(
        s,
        "{file}: {} ok, {} warning(s), {} error(s), {} skipped, in {} ms",
        report.count(State::Ok) + report.count(State::Info),
        report.count(State::Warning),
        report.count(State::Error),
        report.count(State::Skipped),
        report.elapsed_ms
    );
    s
}

pub fn to_json(file: &str, report: &Report, overridden: &[String]) -> String {
    let v = json!({
        "file": file,
        "offline": report.offline,
        "overridden": overridden,
        "ok": report.blocking().next().is_none(),
        "counts": {
            "ok": report.count(State::Ok) + report.count(State::Info),
            "warning": report.count(State::Warning),
            "error": report.count(State::Error),
            "skipped": report.count(State::Skipped),
        },
        "elapsed_ms": report.elapsed_ms,
        "outcomes": report.outcomes,
        "facts": report.facts,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
