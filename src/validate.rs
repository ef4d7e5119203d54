//! `validate`: the rules over a whole profile, and how the result is shown.
use crate::finding::{Finding, Severity};
use crate::profile::{LoadErrors, Loaded, Profile};
use crate::rules::evaluate_flow;
use crate::rules::unused::unused_answers;
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
    let mut findings = evaluate_flow(screens, profile.component(), &profile.answers);
    // An answer whose own error already says it does not count needs no second word.
    let unused = unused_answers(screens, profile.component(), &profile.answers);
    let erred = |f: &Finding| findings.iter().any(|e| e.blocks() && e.field == f.field);
    let unused: Vec<Finding> = unused.into_iter().filter(|f| !erred(f)).collect();
    findings.extend(unused);
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
    /// Why the profile acknowledges it, where it says.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
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
            reason: f
                .is_acknowledged(&loaded.profile.acknowledged)
                .then(|| loaded.profile.reasons.get(&f.ack_key()))
                .flatten()
                .map(String::as_str),
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

/// How a finding stands in the profile, in the order the text report shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Standing {
    Error,
    Warning,
    Acknowledged,
    Info,
}

fn standing(loaded: &Loaded, f: &Finding) -> Standing {
    match f.severity {
        Severity::Error => Standing::Error,
        Severity::Warning if loaded.profile.acknowledged.contains(&f.ack_key()) => {
            Standing::Acknowledged
        }
        Severity::Warning => Standing::Warning,
        Severity::Info => Standing::Info,
    }
}

/// Longest text of a finding shown before it is cut.
const MAX_LINE: usize = 300;

/// A finding's text as the report shows it: control and invisible characters escaped, a
/// huge value cut with a note.
fn shown(s: &str) -> String {
    let n = s.chars().count();
    let mut out: String = s
        .chars()
        .take(MAX_LINE)
        .map(|c| crate::profile::echo(&c.to_string()))
        .collect();
    if n > MAX_LINE {
        out.push_str(&format!("... ({n} characters, cut)"));
    }
    out
}

/// The report as text: errors first, then unacknowledged warnings, each as a block located
/// at its key's line; then acknowledged warnings and info findings, one line each unless
/// `verbose`; then a one-line summary of the counts.
pub fn to_text(file: &str, loaded: &Loaded, report: &Verdict, verbose: bool) -> String {
    let mut out = String::new();
    let mut ordered: Vec<(Standing, &Finding)> = report
        .findings
        .iter()
        .map(|f| (standing(loaded, f), f))
        .collect();
    ordered.sort_by_key(|(s, _)| *s);
    for (standing, f) in &ordered {
        let at = locate(loaded, f);
        let line = at.map_or(String::new(), |(l, c, _)| format!("{l}:{c}:"));
        let state = if *standing == Standing::Acknowledged {
            " (acknowledged)"
        } else {
            ""
        };
        let field = f
            .field
            .as_deref()
            .map_or(String::new(), |p| format!(" `{}`", shown(p)));
        let _ = writeln!(
            out,
            "{file}:{line} {}{state} [{}]{field}: {}",
            f.severity,
            f.check,
            shown(&f.message)
        );
        if !verbose && matches!(standing, Standing::Acknowledged | Standing::Info) {
            continue;
        }
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
            let _ = writeln!(out, "  seen: {}", shown(e));
        }
        if !f.why.is_empty() {
            let _ = writeln!(out, "  why: {}", f.why);
        }
        if !f.fix.is_empty() {
            let _ = writeln!(out, "  fix: {}", shown(&f.fix));
        }
        if *standing == Standing::Acknowledged {
            if let Some(r) = loaded.profile.reasons.get(&f.ack_key()) {
                let _ = writeln!(out, "  reason: {}", crate::profile::echo_reason(r));
            }
        }
        if *standing == Standing::Warning {
            let _ = writeln!(
                out,
                "  acknowledge: add \"{}\" to `acknowledged`",
                f.ack_key()
            );
        }
    }
    let count = |s: Standing| ordered.iter().filter(|(x, _)| *x == s).count();
    let (errors, warnings, acked, info) = (
        count(Standing::Error),
        count(Standing::Warning),
        count(Standing::Acknowledged),
        count(Standing::Info),
    );
    let verdict = if report.ok() { "ok" } else { "not ok" };
    let _ = write!(
        out,
        "{file}: {verdict}: {errors} error(s), {warnings} warning(s), {acked} acknowledged warning(s), {info} info"
    );
    if !verbose && acked + info > 0 {
        let _ = write!(
            out,
            " (acknowledged and info shortened; --verbose shows them in full)"
        );
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{check_profile, to_text, Verdict};
    use crate::finding::{Finding, Severity};

    #[test]
    fn the_text_report_puts_errors_first_shortens_the_settled_and_counts_each_kind() {
        let screens = crate::screens::Screens::embedded().unwrap();
        let text = include_str!("../profiles/contoso-service-portal.toml");
        let loaded = crate::profile::load_str("p.toml", text, screens, false).unwrap();
        let shipped = check_profile(screens, &loaded.profile);
        // The shipped profile's acknowledged warnings and info, with an info first and an
        // error and an unacknowledged warning last, whose texts hold a control character
        // and a huge value.
        let huge = "x".repeat(1000);
        let mut findings = vec![
            Finding::new("note", Some("mail.server"), Severity::Info, "first")
                .why("w")
                .fix("f"),
        ];
        findings.extend(shipped.findings.clone());
        findings.push(
            Finding::warning("w-check", "mail.server", "a warning")
                .why("w")
                .fix("f")
                .evidence(format!("'{huge}'")),
        );
        findings.push(
            Finding::error("e-check", "mail.server", "an error \u{1b}[2J")
                .why("w")
                .fix("f"),
        );
        let verdict = Verdict {
            blocking: findings.iter().filter(|f| f.blocks()).cloned().collect(),
            unacknowledged: vec![findings[findings.len() - 2].clone()],
            findings,
        };
        let short = to_text("p.toml", &loaded, &verdict, false);
        let heads: Vec<&str> = short.lines().filter(|l| !l.starts_with("  ")).collect();
        let kinds: Vec<&str> = heads
            .iter()
            .map(|h| {
                if h.contains(" error [") {
                    "error"
                } else if h.contains(" warning (acknowledged) [") {
                    "acknowledged"
                } else if h.contains(" warning [") {
                    "warning"
                } else if h.contains(" info [") {
                    "info"
                } else {
                    "summary"
                }
            })
            .collect();
        let acked = shipped
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
            .count();
        let info = shipped.findings.len() - acked + 1;
        let mut want = vec!["error", "warning"];
        want.extend(std::iter::repeat_n("acknowledged", acked));
        want.extend(std::iter::repeat_n("info", info));
        want.push("summary");
        assert_eq!(kinds, want, "{short}");
        assert_eq!(
            *heads.last().unwrap(),
            format!("p.toml: not ok: 1 error(s), 1 warning(s), {acked} acknowledged warning(s), {info} info (acknowledged and info shortened; --verbose shows them in full)")
        );
        // Only the error and the warning have details.
        assert_eq!(
            short.lines().filter(|l| l.starts_with("  why: ")).count(),
            2,
            "{short}"
        );
        assert!(
            short.contains("an error \\u001B[2J") && !short.contains('\u{1b}'),
            "{short}"
        );
        assert!(
            short.contains("(1002 characters, cut)") && !short.contains(&huge),
            "{short}"
        );
        let long = to_text("p.toml", &loaded, &verdict, true);
        assert_eq!(
            long.lines().filter(|l| l.starts_with("  why: ")).count(),
            verdict.findings.len(),
            "{long}"
        );
        assert!(long.lines().last().unwrap().ends_with(" info"), "{long}");
        // The shipped profile is ok.
        let ok = to_text("p.toml", &loaded, &shipped, false);
        assert!(
            ok.lines()
                .last()
                .unwrap()
                .starts_with("p.toml: ok: 0 error(s), 0 warning(s), "),
            "{ok}"
        );
    }
}
