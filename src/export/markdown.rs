//! The plan for a reviewer, in Markdown: what it installs, every step with its exact command
//! line and every MSI property (value, profile field, where the name is documented, whether
//! it is confirmed), the warnings the profile acknowledged, the answers setup takes on its
//! own screens, the notes, and the facts the plan's checks saw.
//!
//! Values go into table cells and code spans escaped (`|`, backticks, line breaks), so a
//! hostile value cannot change the table's shape.
use crate::plan::{Plan, StepKind};

pub fn review(plan: &Plan, shown: &str) -> String {
    let mut md = format!("# Install plan review: {}\n\n", inline(&plan.component));
    let mut about = vec![
        ("Plan file", code(shown)),
        ("Component", inline(&plan.component)),
        ("Edition", inline(&plan.edition)),
        ("Profile", code(&plan.profile.path)),
        ("Profile SHA-256", code(&plan.profile.sha256)),
        ("Plan written by", inline(&plan.generated_by)),
    ];
    if let Some(option) = &plan.deployment_option {
        about.push(("Deployment option", inline(option)));
    }
    md.push_str("| | |\n|---|---|\n");
    for (k, v) in about {
        md.push_str(&format!("| {k} | {v} |\n"));
    }
    md.push_str(&format!(
        "\n`{{{{log_dir}}}}` is the log folder beside the plan; `{{{{secret:NAME}}}}` is filled in from the secret's reference at install time.\n\n## Steps ({})\n\n",
        plan.steps.len()
    ));
    for (n, step) in plan.steps.iter().enumerate() {
        let kind = match step.kind {
            StepKind::Msiexec => "msiexec",
            StepKind::Command => "command",
            StepKind::Manual => "by hand",
        };
        md.push_str(&format!("### {}. {} ({kind})\n\n", n + 1, inline(&step.id)));
        md.push_str(&format!("{}\n\n", block_text(&step.description)));
        if !step.command.is_empty() {
            md.push_str(&format!("Command line:\n\n{}", fence(&step.command)));
        }
        for (label, value) in [
            ("Working folder", step.working_dir.as_deref()),
            ("Log", step.log.as_deref()),
        ] {
            if let Some(v) = value {
                md.push_str(&format!("- {label}: {}\n", code(v)));
            }
        }
        if !step.secrets.is_empty() {
            let names: Vec<String> = step.secrets.iter().map(|s| code(s)).collect();
            md.push_str(&format!("- Secrets: {}\n", names.join(", ")));
        }
        if step.working_dir.is_some() || step.log.is_some() || !step.secrets.is_empty() {
            md.push('\n');
        }
        if !step.properties.is_empty() {
            md.push_str("| Property | Value | From | Source | Confirmed | Note |\n|---|---|---|---|---|---|\n");
            for p in &step.properties {
                md.push_str(&format!(
                    "| {} | {} | {} | {} | {} | {} |\n",
                    code(&p.name),
                    code(&p.value),
                    if p.from.is_empty() {
                        "(fixed)".to_string()
                    } else {
                        code(&p.from)
                    },
                    cell(&p.source),
                    if p.confirmed { "yes" } else { "**no**" },
                    cell(&p.note)
                ));
            }
            md.push('\n');
        }
        let answers: Vec<_> = plan.interactive_for(&step.id).collect();
        if !answers.is_empty() {
            md.push_str("Answers setup takes on its own screens:\n\n| Label | Value | From | Optional | Note |\n|---|---|---|---|---|\n");
            for a in answers {
                md.push_str(&format!(
                    "| {} | {} | {} | {} | {} |\n",
                    cell(&a.label),
                    code(&a.value),
                    code(&a.from),
                    if a.optional { "yes" } else { "no" },
                    cell(&a.note)
                ));
            }
            md.push('\n');
        }
    }
    md.push_str("## Secrets\n\n");
    if plan.secrets.is_empty() {
        md.push_str("No secrets.\n\n");
    } else {
        md.push_str("| Placeholder | Source |\n|---|---|\n");
        for name in plan.secrets.keys() {
            let source = plan
                .secret_ref(name)
                .map(|s| s.source_in_plan())
                .unwrap_or_else(|e| e);
            md.push_str(&format!("| {} | {} |\n", code(name), cell(&source)));
        }
        md.push('\n');
    }
    list(
        &mut md,
        "Acknowledged warnings",
        &plan.acknowledged,
        "None.",
        true,
    );
    if !plan.acknowledged_reasons.is_empty() {
        md.push_str("## Why they are acknowledged\n\n");
        for (key, reason) in &plan.acknowledged_reasons {
            md.push_str(&format!("- {}: {}\n", code(key), block_text(reason)));
        }
        md.push('\n');
    }
    let orphans: Vec<_> = plan
        .interactive
        .iter()
        .filter(|i| !plan.steps.iter().any(|s| s.id == i.step))
        .map(|i| format!("{} ({}): {}", i.label, i.step, i.value))
        .collect();
    list(
        &mut md,
        "Answers for no step of this plan",
        &orphans,
        "",
        false,
    );
    list(&mut md, "Notes", &plan.notes, "None.", false);
    md.push_str("## Facts seen\n\n");
    if plan.facts.is_empty() {
        md.push_str("No facts recorded.\n");
    } else {
        md.push_str("| Fact | Value |\n|---|---|\n");
        for (k, v) in &plan.facts {
            md.push_str(&format!("| {} | {} |\n", code(k), code(v)));
        }
    }
    md
}

fn list(md: &mut String, title: &str, items: &[String], none: &str, as_code: bool) {
    if items.is_empty() && none.is_empty() {
        return;
    }
    md.push_str(&format!("## {title}\n\n"));
    if items.is_empty() {
        md.push_str(&format!("{none}\n\n"));
        return;
    }
    for item in items {
        let text = if as_code {
            code(item)
        } else {
            block_text(item)
        };
        md.push_str(&format!("- {text}\n"));
    }
    md.push('\n');
}

/// Text on one line: line breaks become spaces.
fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// Plain text for a paragraph or list item: one line, with Markdown's markup characters
/// escaped so that a value shows as written.
fn block_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Text for a table cell.
fn cell(s: &str) -> String {
    block_text(s)
}

/// Inline text in a heading or table.
fn inline(s: &str) -> String {
    block_text(s)
}

/// A code span that holds `s` exactly (one line), safe inside a table cell.
fn code(s: &str) -> String {
    let s = one_line(s).replace('|', "\\|");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') || s.is_empty() {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{s}{pad}{ticks}")
}

/// A fenced code block that `s` cannot close.
fn fence(s: &str) -> String {
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let ticks = "`".repeat(longest.max(2) + 1);
    format!("{ticks}text\n{s}\n{ticks}\n\n")
}
