//! Building blocks shared by the components' plans: a command step from its arguments, a
//! PowerShell step from its script, a manual step, and Windows path joining.
use super::ps_literal::{single_quoted, PsQuoteError};
use super::{quote_arg, Step, StepKind};

/// A program run with these arguments; the command line is quoted for `CommandLineToArgvW`.
pub(super) fn command_step(
    id: &str,
    description: String,
    argv: Vec<String>,
    secrets: Vec<String>,
) -> Step {
    let command = argv
        .iter()
        .map(|a| quote_arg(a))
        .collect::<Vec<_>>()
        .join(" ");
    Step {
        id: id.into(),
        kind: StepKind::Command,
        description,
        argv,
        command,
        working_dir: None,
        secrets,
        log: None,
        properties: vec![],
    }
}

/// `powershell.exe -NoProfile -NonInteractive -Command SCRIPT`. The script stops at the
/// first error, so that a failed check fails the step (exit code 1).
pub(super) fn powershell_step(id: &str, description: String, script: &str) -> Step {
    command_step(
        id,
        description,
        vec![
            "powershell.exe".into(),
            "-NoProfile".into(),
            "-NonInteractive".into(),
            "-Command".into(),
            format!("$ErrorActionPreference = 'Stop'; {script}"),
        ],
        vec![],
    )
}

/// Something a person does; the plan shows it and the runner waits for it.
pub(super) fn manual_step(id: &str, description: String) -> Step {
    Step {
        id: id.into(),
        kind: StepKind::Manual,
        description,
        argv: vec![],
        command: String::new(),
        working_dir: None,
        secrets: vec![],
        log: None,
        properties: vec![],
    }
}

/// A value for a PowerShell script, single-quoted (`what` names it in errors).
pub(super) fn ps(what: &str, value: &str) -> Result<String, PsQuoteError> {
    single_quoted(what, value)
}

/// Joins Windows path parts with exactly one backslash between them.
pub(super) fn join(base: &str, rest: &str) -> String {
    format!(
        "{}\\{}",
        base.trim_end_matches('\\'),
        rest.trim_start_matches('\\')
    )
}

/// The folder part of a Windows path.
pub(super) fn parent(path: &str) -> String {
    match path.rfind('\\') {
        Some(i) if i > 2 => path[..i].to_string(),
        Some(i) => path[..=i].to_string(),
        None => path.to_string(),
    }
}
