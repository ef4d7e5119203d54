//! The apply screen as a state of the one loop: key A on the finish screen opens it, Y starts
//! the plan, and the backend's progress comes back as actions like everything else.
//!
//! ```text
//!   finish --A--> Effect::OpenApply(plan) --runtime reads the plan--> Action::ApplyOpened
//!   Confirm --Y--> Effect::StartApply(plan) --worker: apply::run_plan--> Action::Applying(..)
//!      |N/Esc                                  Action::ApplyTail(log lines), Action::Tick
//!      v                                                      |
//!   Exit::Applied(0)                Done(code) --any key--> Exit::Applied(code)
//! ```
//!
//! Pure like `update`: the runtime reads files and spawns the worker; this only keeps what
//! the screen shows. The log tail is redacted here, with the running step's secrets.
use super::action::{Action, Effect, Exit};
use super::model::Model;
use crate::apply::{StepEvent, StepState};
use crate::secret::Secret;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// One step as the screen shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub id: String,
    /// What the step runs, as the plan writes it (placeholders, never a secret), or for a
    /// manual step what to do.
    pub command: String,
    /// `None`: not reached yet.
    pub state: Option<StepState>,
    /// How long it has run (running) or ran.
    pub elapsed: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for Y (run) or N/Esc (leave without running).
    Confirm,
    Running,
    /// Finished with this exit code; any key closes.
    Done(i32),
}

/// Everything the apply screen draws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplyScreen {
    pub plan: PathBuf,
    /// What will run: real programs, stand-ins, or a dry run.
    pub mode: String,
    pub phase: Phase,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
    pub log: Option<PathBuf>,
    /// The running step's secrets, replaced by *** in the log tail.
    pub redact: Vec<Secret>,
    pub tail: Vec<String>,
    /// When the running step started, as the runtime stamped its event.
    pub started: Option<Instant>,
}

impl ApplyScreen {
    /// The log the runtime follows while a step runs.
    pub fn following(&self) -> Option<&PathBuf> {
        match self.phase {
            Phase::Running => self.log.as_ref(),
            _ => None,
        }
    }
}

/// What the backend reports while it applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Note(String),
    Step(StepEvent),
    /// The exit code, and the reason it stopped (if it did).
    Finished(i32, Option<String>),
}

/// Whether the apply screen takes this action; the wizard's own handling is skipped then.
pub fn takes(m: &Model, action: &Action) -> bool {
    m.apply.is_some() && !matches!(action, Action::Checked(_) | Action::DraftSaved(_))
}

/// The apply screen's `update`.
pub fn update(m: &mut Model, action: Action) -> Vec<Effect> {
    let Some(s) = m.apply.as_mut() else {
        return vec![];
    };
    match action {
        Action::Tick(now) => {
            if let (Some(t), Some(row)) = (s.started, running(s)) {
                row.elapsed = now.saturating_duration_since(t);
            }
        }
        Action::Applying(progress, at) => receive(s, *progress, at),
        Action::ApplyTail(lines) => {
            s.tail = lines
                .iter()
                .map(|l| crate::apply::exec::redact(l, &s.redact))
                .collect();
        }
        Action::Terminate => m.exit = Some(Exit::Terminated),
        // A running install is not interrupted from here.
        _ if s.phase == Phase::Running => {}
        Action::Input('y' | 'Y') if s.phase == Phase::Confirm => {
            s.phase = Phase::Running;
            return vec![Effect::StartApply(s.plan.clone())];
        }
        Action::Input('n' | 'N') | Action::Back | Action::Interrupt
            if s.phase == Phase::Confirm =>
        {
            m.exit = Some(Exit::Applied(0));
        }
        Action::Input(_) | Action::Back => {
            if let Phase::Done(code) = s.phase {
                m.exit = Some(Exit::Applied(code));
            }
        }
        other if is_key(&other) => {
            if let Phase::Done(code) = s.phase {
                m.exit = Some(Exit::Applied(code));
            }
        }
        _ => {}
    }
    vec![]
}

/// Actions that come from a key press (any key closes a finished run).
fn is_key(a: &Action) -> bool {
    matches!(
        a,
        Action::FocusNext
            | Action::FocusPrev
            | Action::Enter
            | Action::Toggle
            | Action::Interrupt
            | Action::Cancel
            | Action::Next
            | Action::Backspace
            | Action::Delete
            | Action::Erase(_)
            | Action::ScrollFindings(_)
            | Action::Up
            | Action::Down
            | Action::PageUp
            | Action::PageDown
            | Action::CursorLeft
            | Action::CursorRight
            | Action::CursorHome
            | Action::CursorEnd
            | Action::Help
            | Action::CycleSecretSource
            | Action::RetryChecks
            | Action::ChecksOff
    )
}

fn running(s: &mut ApplyScreen) -> Option<&mut Row> {
    s.rows
        .iter_mut()
        .find(|r| r.state == Some(StepState::Started))
}

fn receive(s: &mut ApplyScreen, p: Progress, at: Instant) {
    match p {
        Progress::Note(n) => s.notes.push(n),
        Progress::Step(e) => {
            if let Some(row) = s.rows.get_mut(e.index.saturating_sub(1)) {
                if e.state == StepState::Started {
                    s.started = Some(at);
                    s.log = e.log.clone();
                    s.redact = e.redact.clone();
                } else if let Some(t) = s.started.take() {
                    row.elapsed = at.saturating_duration_since(t);
                }
                row.state = Some(e.state);
            }
            if e.state == StepState::Failed {
                s.notes.push(format!(
                    "{} failed: {}",
                    e.id,
                    e.text.lines().next().unwrap_or("")
                ));
            }
        }
        Progress::Finished(code, stop) => {
            s.phase = Phase::Done(code);
            if let Some(stop) = stop {
                s.notes.extend(stop.lines().map(str::to_string));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::Screens;

    fn model(phase: Phase) -> Model {
        let mut m = Model::new(Screens::embedded().expect("screens"), None, "t");
        m.apply = Some(ApplyScreen {
            plan: PathBuf::from("p.plan.toml"),
            mode: "dry run".into(),
            phase,
            rows: vec![Row {
                id: "install".into(),
                command: "msiexec /i x.msi".into(),
                state: None,
                elapsed: Duration::ZERO,
            }],
            notes: vec![],
            log: None,
            redact: vec![],
            tail: vec![],
            started: None,
        });
        m
    }

    fn event(state: StepState, secret: &str) -> Progress {
        Progress::Step(StepEvent {
            index: 1,
            total: 1,
            id: "install".into(),
            state,
            text: "msiexec failed\nmore".into(),
            log: Some(PathBuf::from("install.log")),
            redact: vec![Secret::new(secret)],
        })
    }

    #[test]
    fn y_starts_the_plan_and_n_or_esc_close_without_running() {
        let mut m = model(Phase::Confirm);
        let fx = update(&mut m, Action::Input('y'));
        assert_eq!(fx, vec![Effect::StartApply(PathBuf::from("p.plan.toml"))]);
        assert_eq!(
            m.apply.as_ref().map(|a| a.phase.clone()),
            Some(Phase::Running)
        );
        for close in [Action::Input('n'), Action::Back, Action::Interrupt] {
            let mut m = model(Phase::Confirm);
            assert!(update(&mut m, close).is_empty());
            assert_eq!(m.exit, Some(Exit::Applied(0)));
        }
    }

    #[test]
    fn keys_do_nothing_while_it_runs_and_any_key_closes_when_done() {
        let mut m = model(Phase::Running);
        for key in [
            Action::Input('n'),
            Action::Back,
            Action::Enter,
            Action::Cancel,
        ] {
            let _ = update(&mut m, key);
            assert_eq!(m.exit, None);
        }
        let _ = update(
            &mut m,
            Action::Applying(Box::new(Progress::Finished(3, None)), Instant::now()),
        );
        let _ = update(&mut m, Action::Enter);
        assert_eq!(m.exit, Some(Exit::Applied(3)));
        assert_eq!(Exit::Applied(3).code(), 3);
    }

    #[test]
    fn progress_moves_the_rows_and_the_tail_is_redacted_with_the_steps_secrets() {
        let mut m = model(Phase::Running);
        let t0 = Instant::now();
        let _ = update(
            &mut m,
            Action::Applying(Box::new(event(StepState::Started, "canary-42")), t0),
        );
        let _ = update(&mut m, Action::Tick(t0 + Duration::from_secs(7)));
        let _ = update(
            &mut m,
            Action::ApplyTail(vec!["Property(C): PASSWORD = canary-42".into()]),
        );
        let s = m.apply.as_ref().expect("apply");
        assert_eq!(s.rows[0].state, Some(StepState::Started));
        assert_eq!(s.rows[0].elapsed, Duration::from_secs(7));
        assert_eq!(s.following(), Some(&PathBuf::from("install.log")));
        assert!(!s.tail[0].contains("canary-42"), "{:?}", s.tail);
        let _ = update(
            &mut m,
            Action::Applying(
                Box::new(event(StepState::Failed, "canary-42")),
                t0 + Duration::from_secs(9),
            ),
        );
        let s = m.apply.as_ref().expect("apply");
        assert_eq!(s.rows[0].elapsed, Duration::from_secs(9));
        assert_eq!(s.notes, vec!["install failed: msiexec failed".to_string()]);
    }
}
