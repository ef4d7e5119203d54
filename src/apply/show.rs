//! What apply shows of a step: its description, folder and command line (secrets as
//! placeholders), and the dry run that shows every step without running any, with the
//! answers to type into setup's own screens.
use super::exec;
use super::{Progress, StepEvent, StepState, Stop};
use crate::plan::{Plan, Step, StepKind};
use std::path::Path;

pub fn dry_run(plan: &Plan, log_dir: &Path, out: &mut dyn Progress) -> Result<(), Stop> {
    out.note("dry run (not on Windows): nothing is run; this is what would run, in order, secrets shown as {{secret:NAME}}. `--runner DIR` runs stand-in programs instead.");
    out.note(&format!("log folder: {}", log_dir.display()));
    let total = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate() {
        let state = if step.kind == StepKind::Manual {
            StepState::Shown
        } else {
            StepState::WouldRun
        };
        out.step(&StepEvent {
            index: i + 1,
            total,
            id: step.id.clone(),
            state,
            text: with_interactive(plan, step, describe(step, log_dir)),
            log: None,
            redact: Vec::new(),
        });
    }
    Ok(())
}

/// The answers setup asks for on its own screens while `step` runs, as the plan lists them
/// under `interactive` (a secret as its placeholder): what to type, and where.
fn with_interactive(plan: &Plan, step: &Step, mut text: String) -> String {
    let asked: Vec<_> = plan
        .interactive
        .iter()
        .filter(|i| i.step == step.id)
        .collect();
    if !asked.is_empty() {
        text.push_str(&format!(
            "
setup asks on its own screens for {} answer(s); type:",
            asked.len()
        ));
        for i in asked {
            text.push_str(&format!(
                "
  {}: {}  (from {})",
                i.label, i.value, i.from
            ));
        }
    }
    text
}

/// The description, the working folder and the command line as shown (secrets as placeholders).
pub fn describe(step: &Step, log_dir: &Path) -> String {
    let mut text = step.description.clone();
    if let Some(w) = &step.working_dir {
        text.push_str(&format!("\nin {w}"));
    }
    if !step.command.is_empty() {
        text.push_str(&format!("\n$ {}", exec::shown_command(step, log_dir)));
    }
    for name in &step.secrets {
        text.push_str(&format!(
            "\nthe secret `{name}` is passed on this command line: filled in just before the run, shown and logged only as {}",
            Plan::secret_placeholder(name)
        ));
    }
    text
}
