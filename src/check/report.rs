//! The output of `mim-setup check`: text for people, JSON for machines. Both say how many
//! checks ran, list the skipped ones with their reason (never counted as passed), and give
//! each warning's acknowledgement key (`check@field`) or say that the profile has it, with
//! its reason. A check whose server gave no answer blocks like an error until the profile
//! acknowledges it; then it is counted apart, as acknowledged and not checked.
use super::{Report, State};
use crate::exit::ExitCode;
use crate::finding::{Finding, Severity};
use crate::validate::Verdict;
use serde_json::json;
use std::fmt::Write;

fn mark(report: &Report, o: &super::Outcome) -> &'static str {
    match o.state {
        State::Pending => "…",
        State::Ok | State::Info => "ok",
        State::Warning
            if o.findings
                .iter()
                .all(|f| !f.needs_ack(&report.acknowledged)) =>
        {
            "warning, acknowledged"
        }
        State::Warning => "WARNING",
        State::Error if report.acknowledged_unreached(o) => "NOT CHECKED, acknowledged",
        State::Error => "ERROR",
        State::Skipped => "SKIPPED",
    }
}

/// What an acknowledgement stands at, as one line: a warning's, or that of a check whose
/// server gave no answer.
fn ack_line(report: &Report, f: &Finding) -> Option<String> {
    if !f.acknowledgeable() {
        return None;
    }
    let key = f.ack_key();
    Some(match (report.is_acknowledged(f), f.unreached) {
        (true, unreached) => {
            let what = if unreached {
                "acknowledged as not checked"
            } else {
                "acknowledged"
            };
            match report.reasons.get(&key) {
                Some(r) => format!(
                    "{what}: the profile has \"{key}\", reason: {}",
                    crate::profile::echo_reason(r)
                ),
                None => format!("{what}: the profile has \"{key}\""),
            }
        }
        (false, false) => format!("acknowledge: add \"{key}\" to `acknowledged` in the profile"),
        (false, true) => format!(
            "to go on without this check (away from the network), add \"{key}\" to `acknowledged` in the profile: it is then recorded as not checked"
        ),
    })
}

/// The closing line: how many checks ran and what they found; skipped apart from passes.
fn summary(file: &str, report: &Report) -> String {
    let ran = report.ran();
    let skipped = report.count(State::Skipped);
    if report.offline {
        return format!(
            "{file}: nothing was checked: 0 checks ran (--offline); exit code {}",
            ExitCode::NothingChecked.code()
        );
    }
    if report.checked() == 0
        && ran > 0
        && report.blocking().next().is_none()
        && report.unacknowledged().next().is_none()
    {
        return format!(
            "{file}: nothing was checked: {ran} check(s) got no answer, acknowledged as not checked; {skipped} skipped; exit code {}",
            ExitCode::NothingChecked.code()
        );
    }
    if ran == 0 {
        return format!(
            "{file}: nothing was checked: 0 checks ran, {skipped} skipped (see why above); exit code {}",
            ExitCode::NothingChecked.code()
        );
    }
    let warnings = report.count(State::Warning);
    let unacked = report
        .unacknowledged()
        .filter(|f| f.severity == Severity::Warning)
        .count();
    let not_checked = ran - report.checked();
    let unreached = if not_checked > 0 {
        format!(", {not_checked} acknowledged as not checked (no answer)")
    } else {
        String::new()
    };
    format!(
        "{file}: {ran} check(s) ran: {} ok, {warnings} with warnings ({unacked} unacknowledged warning(s)), {} with errors{unreached}; {skipped} skipped, not counted as passed; in {} ms",
        report.count(State::Ok) + report.count(State::Info),
        report.count(State::Error) - not_checked,
        report.elapsed_ms
    )
}

/// One block per check: state, title, what was seen; findings with why and fix.
pub fn to_text(file: &str, report: &Report, overridden: &[String]) -> String {
    let mut s = String::new();
    if report.offline {
        let _ = writeln!(s, "{file}: offline: no live check was run (SQL Server, Active Directory, mail and network were not checked).");
        let _ = writeln!(s, "{}", summary(file, report));
        return s;
    }
    for o in overridden {
        let _ = writeln!(s, "{file}: answer overridden for this run: {o}");
    }
    for o in &report.outcomes {
        let summary = match o.state {
            State::Skipped => format!("not checked: {}", o.summary),
            _ => o.summary.clone(),
        };
        let _ = writeln!(
            s,
            "[{}] {} {}: {} ({} ms)",
            mark(report, o),
            o.area.as_str(),
            o.title,
            summary,
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
            if let Some(line) = ack_line(report, f) {
                let _ = writeln!(s, "    {line}");
            }
        }
    }
    let _ = writeln!(s, "{}", summary(file, report));
    s
}

/// The exit code of a `check` run: the offline rules' verdict (`rules`) first, then the
/// live report's. Blocking wins over nothing checked, which wins over ok.
pub fn exit_code(rules: &Verdict, report: &Report) -> ExitCode {
    if !rules.ok() {
        ExitCode::Blocking
    } else {
        report.exit_code()
    }
}

/// The JSON of a `check` run. `live` is false when the offline rules stopped it before any
/// live check (then `outcomes` is empty).
pub fn to_json(
    file: &str,
    rules: &Verdict,
    report: &Report,
    live: bool,
    overridden: &[String],
) -> String {
    let keys = |acked: bool| -> Vec<String> {
        report
            .outcomes
            .iter()
            .flat_map(|o| o.findings.iter())
            .filter(|f| f.acknowledgeable() && report.is_acknowledged(f) == acked)
            .map(Finding::ack_key)
            .collect()
    };
    let acknowledged = keys(true);
    let reasons: std::collections::BTreeMap<&String, &String> = report
        .reasons
        .iter()
        .filter(|(k, _)| acknowledged.contains(k))
        .collect();
    let exit = exit_code(rules, report);
    let rule = |f: &Finding| json!({"finding": f, "ack_key": f.ack_key()});
    let v = json!({
        "file": file,
        "offline": report.offline,
        "live": live,
        "rules": {
            "ok": rules.ok(),
            "errors": rules.blocking.iter().map(rule).collect::<Vec<_>>(),
            "unacknowledged": rules.unacknowledged.iter().map(rule).collect::<Vec<_>>(),
        },
        "overridden": overridden,
        "ok": exit == ExitCode::Ok,
        "exit_code": exit.code(),
        "counts": {
            "ran": report.ran(),
            "ok": report.count(State::Ok) + report.count(State::Info),
            "warning": report.count(State::Warning),
            "error": report.count(State::Error) - (report.ran() - report.checked()),
            "not_checked_acknowledged": report.ran() - report.checked(),
            "skipped": report.count(State::Skipped),
        },
        "reasons": reasons,
        "unacknowledged": keys(false),
        "acknowledged": acknowledged,
        "elapsed_ms": report.elapsed_ms,
        "outcomes": report.outcomes,
        "facts": report.facts,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
