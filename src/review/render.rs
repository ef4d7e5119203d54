//! The walk as text (a terminal), Markdown (a change ticket) and JSON (scripts): each
//! prints the same `Walk`, screen by screen: answer -> where it goes -> findings and
//! evidence, then setup's messages at that point.
use super::markdown::{code, prose, prose_keep_code};
use super::model::*;
use crate::finding::Severity;

/// Pretty JSON of the walk, with a final newline; the field names are stable.
pub fn json(w: &Walk) -> String {
    serde_json::to_string_pretty(w).unwrap_or_default() + "\n"
}

/// What `live_checks` says, in words.
fn live_words(l: LiveChecks) -> &'static str {
    match l {
        LiveChecks::NotRun => {
            "not run (`mim-setup review --check` runs them, as `mim-setup check` does)"
        }
        LiveChecks::Run => "run for this review (the engine of `mim-setup check`)",
        LiveChecks::Offline => "asked for, but offline: none ran",
    }
}

fn severity_word(f: &ReviewFinding) -> &'static str {
    match (f.finding.severity, &f.acknowledged) {
        (Severity::Error, _) => "error",
        (Severity::Warning, Some(_)) => "warning (acknowledged)",
        (Severity::Warning, None) => "warning",
        (Severity::Info, _) => "info",
    }
}

/// One line for a destination, in the words of both outputs; `code` quotes a value.
pub fn goes_words(g: &Goes, code: &dyn Fn(&str) -> String) -> String {
    match g {
        Goes::Property {
            step,
            name,
            value,
            source,
            confirmed,
            note,
        } => {
            let mut s = format!(
                "MSI property {} = {} (step {}; name seen in: {source})",
                code(name),
                code(value),
                code(step)
            );
            if !confirmed {
                s.push_str(&format!(" - not publicly confirmed: {note}"));
            }
            s
        }
        Goes::Interactive {
            step,
            label,
            value,
            note,
            optional,
        } => {
            let mut s = format!(
                "answered interactively in setup (step {}): at \"{label}\" type {}",
                code(step),
                code(value)
            );
            if *optional {
                s.push_str(" (optional: setup keeps its own default in a silent run)");
            }
            if !note.is_empty() {
                s.push_str(&format!(" - {note}"));
            }
            s
        }
        Goes::Command { step } => format!(
            "appears in an argument of the command of step {} (not an MSI property)",
            code(step)
        ),
        Goes::OnlyChecked => "only checked: setup never sees this answer".into(),
        Goes::Unknown => "not known: no plan could be made from these answers".into(),
    }
}

fn header_lines(w: &Walk, code: &dyn Fn(&str) -> String) -> Vec<(String, String)> {
    let mut out = vec![];
    let subject = match w.subject.kind {
        "plan-integrity" => "plan integrity (SHA-256)",
        _ => "profile SHA-256",
    };
    out.push((subject.to_string(), code(&w.subject.sha256)));
    if w.kind == "plan" {
        out.push((
            "profile".into(),
            format!(
                "{} (SHA-256 {}), as the plan records it",
                code(&w.profile),
                code(&w.profile_sha256)
            ),
        ));
    }
    out.push((
        "component".into(),
        format!("{}, edition {}", w.component, w.edition),
    ));
    if let Some(o) = &w.deployment_option {
        out.push(("deployment option".into(), o.clone()));
    }
    out.push(("live checks".into(), live_words(w.live_checks).into()));
    if let Some(why) = &w.no_plan {
        out.push((
            "no plan".into(),
            format!("{why}; where each answer goes is not known"),
        ));
    }
    out
}

fn at_words(at: &str) -> &'static str {
    if at == "enter" {
        "on arriving at this screen"
    } else {
        "on Next"
    }
}

/// Plain text for a terminal or a log.
pub fn text(w: &Walk) -> String {
    let plain = |s: &str| s.to_string();
    let mut o = format!("Review of the {} {}\n", w.kind, w.file);
    for (k, v) in header_lines(w, &plain) {
        o.push_str(&format!("  {k}: {v}\n"));
    }
    for (n, s) in w.screens.iter().enumerate() {
        o.push_str(&format!("\n{}. {}: {}\n", n + 1, s.step, s.title));
        for f in &s.fields {
            o.push_str(&format!("  {} ({}) = {}\n", f.path, f.label, f.answer));
            for g in &f.goes {
                o.push_str(&format!("    -> {}\n", goes_words(g, &plain)));
            }
            text_findings(&mut o, &f.findings, "    ");
        }
        text_findings(&mut o, &s.findings, "  ");
        for c in &s.checks {
            o.push_str(&format!(
                "  live check {} [{}]: {}\n",
                c.title,
                serde_json::to_value(c.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                c.summary
            ));
            for e in &c.evidence {
                o.push_str(&format!("    seen: {e}\n"));
            }
        }
        for msg in &s.setup_messages {
            let hang = |t: &str| t.replace('\n', "\n      ");
            o.push_str(&format!(
                "  setup shows {}: {}\n    setup: {}\n    means: {}\n    the plan: {}\n",
                at_words(msg.at),
                msg.title,
                hang(&msg.setup),
                hang(&msg.means),
                hang(&msg.plan)
            ));
        }
    }
    if !w.general.is_empty() {
        o.push_str("\nOther findings\n");
        text_findings(&mut o, &w.general, "  ");
    }
    if !w.notes.is_empty() {
        o.push_str("\nPlan notes\n");
        for n in &w.notes {
            o.push_str(&format!("  - {n}\n"));
        }
    }
    if let Some(facts) = &w.facts {
        o.push_str(&format!("\nFacts the plan recorded, {}\n", facts.when));
        for f in &facts.seen {
            o.push_str(&format!("  {} = {}\n", f.key, f.value));
        }
    }
    o
}

fn text_findings(o: &mut String, list: &[ReviewFinding], indent: &str) {
    for f in list {
        let x = &f.finding;
        o.push_str(&format!(
            "{indent}{} [{} {}]: {}\n",
            severity_word(f),
            f.origin,
            x.check,
            x.message
        ));
        for (name, v) in [
            ("seen", x.evidence.as_deref().unwrap_or("")),
            ("why", x.why.as_str()),
            ("fix", x.fix.as_str()),
        ] {
            if !v.is_empty() {
                o.push_str(&format!("{indent}  {name}: {v}\n"));
            }
        }
        if let Some(a) = &f.acknowledged {
            o.push_str(&format!(
                "{indent}  acknowledged in the profile as {}\n",
                a.key
            ));
        }
    }
}

/// Markdown for a change ticket: one section per screen, one list per field.
pub fn markdown(w: &Walk) -> String {
    let mut o = format!("# Review of the {} {}\n\n", w.kind, code(&w.file));
    for (k, v) in header_lines(w, &code) {
        o.push_str(&format!("- **{}**: {}\n", k, prose_keep_code(&v)));
    }
    for (n, s) in w.screens.iter().enumerate() {
        o.push_str(&format!(
            "\n## {}. {}: {}\n\n",
            n + 1,
            prose(&s.step),
            prose(&s.title)
        ));
        if s.fields.is_empty() && s.findings.is_empty() && s.setup_messages.is_empty() {
            o.push_str("No answers on this screen.\n");
        }
        for f in &s.fields {
            o.push_str(&format!(
                "- {} ({}): {}\n",
                code(&f.path),
                prose(&f.label),
                code(&f.answer)
            ));
            for g in &f.goes {
                o.push_str(&format!("  - goes to: {}\n", goes_md(g)));
            }
            md_findings(&mut o, &f.findings, "  ");
        }
        md_findings(&mut o, &s.findings, "");
        for c in &s.checks {
            let state = serde_json::to_value(c.state)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            o.push_str(&format!(
                "- live check {} \\[{state}\\]: {}\n",
                prose(&c.title),
                prose(&c.summary)
            ));
            for e in &c.evidence {
                o.push_str(&format!("  - seen: {}\n", code(e)));
            }
        }
        for msg in &s.setup_messages {
            o.push_str(&format!(
                "\n> **Setup shows {}: {}**\n>\n> {}\n>\n> What it means: {}\n>\n> The plan: {}\n",
                at_words(msg.at),
                prose(&msg.title),
                prose(&msg.setup),
                prose(&msg.means),
                prose(&msg.plan)
            ));
        }
    }
    if !w.general.is_empty() {
        o.push_str("\n## Other findings\n\n");
        md_findings(&mut o, &w.general, "");
    }
    if !w.notes.is_empty() {
        o.push_str("\n## Plan notes\n\n");
        for n in &w.notes {
            o.push_str(&format!("- {}\n", prose(n)));
        }
    }
    if let Some(facts) = &w.facts {
        o.push_str(&format!(
            "\n## Facts the plan recorded\n\nSeen {}.\n\n",
            prose(&facts.when)
        ));
        for f in &facts.seen {
            o.push_str(&format!("- {} = {}\n", code(&f.key), code(&f.value)));
        }
    }
    o
}

fn goes_md(g: &Goes) -> String {
    // The words are prose; the values are already code spans.
    prose_keep_code(&goes_words(g, &code))
}

fn md_findings(o: &mut String, list: &[ReviewFinding], indent: &str) {
    for f in list {
        let x = &f.finding;
        o.push_str(&format!(
            "{indent}- **{}** ({}, {}): {}\n",
            severity_word(f),
            f.origin,
            code(&x.check),
            prose(&x.message)
        ));
        for (name, v) in [
            ("seen", x.evidence.as_deref().unwrap_or("")),
            ("why", x.why.as_str()),
            ("fix", x.fix.as_str()),
        ] {
            if !v.is_empty() {
                o.push_str(&format!("{indent}  - {name}: {}\n", prose(v)));
            }
        }
        if let Some(a) = &f.acknowledged {
            o.push_str(&format!(
                "{indent}  - acknowledged in the profile as {}\n",
                code(&a.key)
            ));
        }
    }
}
