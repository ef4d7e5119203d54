//! The run itself: checks, then the steps not yet done, in order, journaled.
use super::drift::{self, FactSource};
use super::exec::{self, Exit, Mode};
use super::journal::{self, beside, History, Journal, Lock};
use super::{load, msilog, show, Options, Progress, StepEvent, StepState, Stop};
use crate::plan::{Plan, Step, StepKind};
use crate::secret::Secret;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Runs `apply` and returns why it stopped, printing nothing itself: the command line
/// (`apply::command`) and the TUI show the `Stop`.
pub fn run_plan(
    opts: &Options,
    facts: &dyn FactSource,
    out: &mut dyn Progress,
) -> Result<(), Stop> {
    let plan = load::read_plan(&opts.plan)?;
    let profile = load::check_profile(&plan, &opts.plan, opts.profile.as_deref())?;
    let hash = plan.content_sha256();
    out.note(&format!(
        "plan {} ({}, {} steps): integrity ok; profile {} matches",
        opts.plan.display(),
        plan.component,
        plan.steps.len(),
        profile.display()
    ));
    let approvals = match &opts.approvals {
        Some(gate) => super::approvals::check(gate, &opts.plan, &hash, out)?,
        None => Vec::new(),
    };
    let drift = check_drift(&plan, &profile, opts.accept_drift, facts, out)?;
    // Absolute, so that programs started in another folder write their logs beside the plan.
    let log_dir = beside(
        &std::path::absolute(&opts.plan).unwrap_or_else(|_| opts.plan.clone()),
        ".logs",
    );
    if opts.mode == Mode::DryRun {
        return show::dry_run(&plan, &log_dir, out);
    }
    let _lock = Lock::acquire(&beside(&opts.plan, ".lock"), &opts.plan)?;
    let journal_path = beside(&opts.plan, ".journal.jsonl");
    let history = journal::read(&journal_path, &hash)?;
    let total = plan.steps.len();
    if plan.steps.iter().all(|s| history.completed(&s.id)) {
        out.note(&format!(
            "all {total} steps of this plan are already done (journal {}): nothing to do, nothing changed",
            journal_path.display()
        ));
        return Ok(());
    }
    let started = plan.steps.iter().any(|s| history.last.contains_key(&s.id));
    if started && !opts.resume {
        let at = plan
            .steps
            .iter()
            .find(|s| !history.completed(&s.id))
            .map_or("?", |s| s.id.as_str());
        return Err(Stop::unusable(
            format!(
                "an earlier apply of this plan stopped before step `{at}` (journal {})",
                journal_path.display()
            ),
            "continue it with `mim-setup apply PLAN --resume` (steps already done are not run again)",
        ));
    }
    if opts.resume && !started {
        out.note("nothing to resume: no step of this plan has run yet; starting at the first step");
    }
    if history.torn_tail {
        out.note("the journal's last line was cut short (the run was killed while writing it); it is ignored");
    }
    std::fs::create_dir_all(&log_dir).map_err(|e| {
        Stop::unusable(
            format!("cannot create the log folder {}: {e}", log_dir.display()),
            "the plan's folder must be writable",
        )
    })?;
    let mut journal = Journal::open(&journal_path, &hash)?;
    let runner = match &opts.mode {
        Mode::Runner(d) => Some(d.display().to_string()),
        _ => None,
    };
    journal.write(json!({
        "event": "run",
        "resume": opts.resume,
        "accept_drift": opts.accept_drift,
        "drift": drift,
        "approvals": approvals,
        "runner": runner,
        "log_dir": log_dir.display().to_string(),
    }))?;
    let mut ctx = Ctx {
        plan: &plan,
        mode: &opts.mode,
        log_dir,
        secrets: BTreeMap::new(),
        reboot: Vec::new(),
        manual: Vec::new(),
    };
    for (i, step) in plan.steps.iter().enumerate() {
        ctx.step(i + 1, step, &history, &mut journal, out)?;
    }
    finish(&ctx, out);
    Ok(())
}

fn check_drift(
    plan: &Plan,
    profile: &Path,
    accept: bool,
    facts: &dyn FactSource,
    out: &mut dyn Progress,
) -> Result<Vec<drift::Change>, Stop> {
    if plan.facts.is_empty() {
        out.note("no facts recorded: drift not checked (make the plan with `plan --check` to record them)");
        return Ok(Vec::new());
    }
    let changes = drift::detect(&plan.facts, profile, facts).map_err(|e| {
        Stop::unusable(
            format!("the recorded facts cannot be checked again: {e}"),
            "fix the cause, then run apply again (drift is never skipped silently)",
        )
    })?;
    if changes.is_empty() {
        out.note(&format!(
            "drift: none ({} recorded facts checked again)",
            plan.facts.len()
        ));
        return Ok(changes);
    }
    let shown = drift::render(&changes);
    if !accept {
        return Err(Stop::failed(
            format!(
                "the plan is stale: {} of its recorded facts changed since it was made:\n{}",
                changes.len(),
                shown.trim_end()
            ),
            "make the plan again (`mim-setup plan PROFILE --check -o PLAN`) and review it, or run with `--accept-drift` if the change does not matter (it is recorded in the journal)",
        ));
    }
    out.note(&format!(
        "drift accepted (--accept-drift, recorded in the journal):\n{}",
        shown.trim_end()
    ));
    Ok(changes)
}

struct Ctx<'a> {
    plan: &'a Plan,
    mode: &'a Mode,
    log_dir: PathBuf,
    /// Resolved secrets, by placeholder name: memory only.
    secrets: BTreeMap<String, Secret>,
    reboot: Vec<String>,
    manual: Vec<String>,
}

impl Ctx<'_> {
    fn step(
        &mut self,
        index: usize,
        step: &Step,
        history: &History,
        journal: &mut Journal,
        out: &mut dyn Progress,
    ) -> Result<(), Stop> {
        let total = self.plan.steps.len();
        let event = |state, text: String, log: Option<PathBuf>| StepEvent {
            index,
            total,
            id: step.id.clone(),
            state,
            text,
            log,
            redact: Vec::new(),
        };
        if history.completed(&step.id) {
            out.step(&event(StepState::AlreadyDone, String::new(), None));
            return Ok(());
        }
        match history.last.get(&step.id).map(String::as_str) {
            Some(journal::STARTED) => out.note(&format!(
                "step `{}` was started before but did not finish (the run was interrupted): running it again",
                step.id
            )),
            Some(journal::FAILED) => out.note(&format!(
                "step `{}` failed before: running it again",
                step.id
            )),
            _ => {}
        }
        if step.kind == StepKind::Manual {
            out.step(&event(StepState::Shown, step.description.clone(), None));
            self.manual.push(step.description.clone());
            return journal.step(index, &step.id, journal::SHOWN, json!({}));
        }
        if let Err(stop) = self.resolve(step) {
            journal.step(
                index,
                &step.id,
                journal::FAILED,
                json!({ "reason": "secret not available" }),
            )?;
            out.step(&event(StepState::Failed, stop.what.clone(), None));
            return Err(stop);
        }
        let argv: Vec<String> = step
            .argv
            .iter()
            .map(|a| exec::fill(a, &self.log_dir, &self.secrets))
            .collect();
        let output_log = self.log_dir.join(format!("{}.output.log", step.id));
        let follow = match &step.log {
            Some(l) => PathBuf::from(exec::fill(l, &self.log_dir, &BTreeMap::new())),
            None => output_log.clone(),
        };
        journal.step(
            index,
            &step.id,
            journal::STARTED,
            json!({ "command": exec::shown_command(step, &self.log_dir) }),
        )?;
        tracing::info!(step = %step.id, command = %exec::shown_command(step, &self.log_dir), "step started");
        let values: Vec<Secret> = self.secrets.values().cloned().collect();
        out.step(&StepEvent {
            redact: values.clone(),
            ..event(
                StepState::Started,
                show::describe(step, &self.log_dir),
                Some(follow.clone()),
            )
        });
        let mut child_pid = 0;
        let exit = exec::run(self.mode, step, &argv, &values, &output_log, &mut |pid| {
            child_pid = pid
        });
        let code = match &exit {
            Exit::Code(c) => Some(*c),
            _ => None,
        };
        tracing::info!(step = %step.id, exit = ?exit, "step ended");
        match code {
            Some(0) | Some(3010) | Some(1641) => {
                let reboot = code != Some(0);
                if reboot {
                    self.reboot
                        .push(format!("{} (exit code {})", step.id, code.unwrap_or(0)));
                }
                journal.step(
                    index,
                    &step.id,
                    journal::DONE,
                    json!({ "exit_code": code, "reboot_needed": reboot, "child_pid": child_pid }),
                )?;
                let text = match code {
                    Some(0) => "exit code 0".to_string(),
                    Some(c) => format!("exit code {c}: done, a restart is needed"),
                    None => String::new(),
                };
                out.step(&event(StepState::Done, text, Some(follow)));
                Ok(())
            }
            _ => {
                let what = match &exit {
                    Exit::Code(c) => format!("exit code {c}"),
                    Exit::NoCode => "ended without an exit code (killed by a signal)".into(),
                    Exit::NotStarted(why) => format!("not started: {why}"),
                };
                journal.step(
                    index,
                    &step.id,
                    journal::FAILED,
                    json!({ "exit_code": code, "child_pid": child_pid, "reason": what }),
                )?;
                let mut text = what.clone();
                if step.kind == StepKind::Msiexec {
                    text.push_str(&self.excerpt(&follow, &values));
                }
                out.step(&event(StepState::Failed, text, Some(follow)));
                Err(failure(step, code, &what))
            }
        }
    }

    /// Fills `self.secrets` with every secret the step needs, resolving the missing ones now.
    fn resolve(&mut self, step: &Step) -> Result<(), Stop> {
        for name in &step.secrets {
            if self.secrets.contains_key(name) {
                continue;
            }
            let Some(reference) = self.plan.secrets.get(name) else {
                return Err(Stop::unusable(
                    format!("step `{}` needs the secret `{name}`, which the plan's [secrets] does not list", step.id),
                    "make the plan again with `mim-setup plan PROFILE -o PLAN`",
                ));
            };
            let secret = crate::secret::resolve(name, reference, crate::secret::Ask::Terminal)
                .map_err(|e| {
                    Stop::failed(
                        format!("step `{}` cannot run: {e}", step.id),
                        "provide the secret, then run `mim-setup apply PLAN --resume`",
                    )
                })?;
            self.secrets.insert(name.clone(), secret);
        }
        Ok(())
    }

    /// The MSI log lines around `Return value 3`, redacted, with hints.
    fn excerpt(&self, log: &Path, secrets: &[Secret]) -> String {
        let Some(text) = msilog::read_text(log) else {
            return format!("\nno MSI log at {}", log.display());
        };
        let Some(lines) = msilog::excerpt(&text) else {
            return format!(
                "\nthe MSI log {} has no `Return value 3` line",
                log.display()
            );
        };
        let mut s = format!(
            "\nfrom the MSI log {} (around `Return value 3`):",
            log.display()
        );
        for l in &lines {
            s.push_str("\n  | ");
            s.push_str(&exec::redact(l, secrets));
        }
        for h in msilog::hints(&lines) {
            s.push_str(&format!("\nhint: {h}"));
        }
        s
    }
}

fn failure(step: &Step, code: Option<i32>, what: &str) -> Stop {
    let resume = "run `mim-setup apply PLAN --resume`: steps already done are not run again";
    if code == Some(1618) {
        return Stop::failed(
            format!("step `{}`: another installation is in progress (exit code 1618)", step.id),
            &format!("wait until the other installation has finished (or restart the server), then {resume}"),
        );
    }
    Stop::failed(
        format!("step `{}` failed: {what}", step.id),
        &format!("fix the cause (see the log excerpt and the step's log), then {resume}"),
    )
}

fn finish(ctx: &Ctx, out: &mut dyn Progress) {
    out.note(&format!(
        "all {} steps done; logs in {}",
        ctx.plan.steps.len(),
        ctx.log_dir.display()
    ));
    for m in &ctx.manual {
        out.note(&format!("manual step to do: {m}"));
    }
    if !ctx.reboot.is_empty() {
        out.note(&format!(
            "RESTART NEEDED: restart the server to finish the installation ({})",
            ctx.reboot.join(", ")
        ));
    }
}
