//! Applying the plan from the wizard's finish screen (key A): a confirmation, then the same
//! `apply` as `mim-setup apply PLAN` on a worker thread, its progress drawn by `apply_view`.
//!
//! ```text
//!   finish screen --A--> confirm --Y--> worker: apply::run_plan(.., Events) --channel-->
//!                          |N/Esc                    draw every 100 ms: bars + log tail
//!                          v                                        |
//!                        close                      Done(code) --any key--> close
//! ```
//!
//! Secrets come from environment variables or the credential store; a plan with a secret to
//! be typed at a prompt is sent to the headless command (the prompt needs the terminal the
//! screen holds).
use super::apply_view::{draw, ApplyState, Phase, Row};
use super::terminal::Term;
use super::theme::Theme;
use crate::apply::{self, Mode, Options, Progress, StepEvent, StepState};
use crate::screens::Screens;
use crate::secret::SecretRef;
use crossterm::event::{self, Event, KeyCode, KeyEventKind};
use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant};

enum Msg {
    Note(String),
    Step(StepEvent),
    Finished(i32, Option<String>),
}

/// Progress sent to the screen.
struct Events(Sender<Msg>);

impl Progress for Events {
    fn note(&mut self, text: &str) {
        let _ = self.0.send(Msg::Note(text.to_string()));
    }

    fn step(&mut self, event: &StepEvent) {
        let _ = self.0.send(Msg::Step(event.clone()));
    }
}

/// Shows the confirmation, runs the plan if confirmed; returns the exit code (0 when the
/// person closed without running).
pub fn run(
    term: &mut Term,
    theme: &Theme,
    screens: &'static Screens,
    plan: &Path,
) -> std::io::Result<i32> {
    let mode = apply::command::mode(None).unwrap_or(Mode::DryRun);
    let mut state = ApplyState {
        plan: plan.to_path_buf(),
        mode: match &mode {
            Mode::DryRun => "none: a dry run (not on Windows) shows what would run".into(),
            Mode::Runner(d) => format!("stand-ins from {}", d.display()),
            Mode::Native => "the real programs (msiexec, ...) on this computer".into(),
        },
        phase: Phase::Confirm,
        rows: Vec::new(),
        notes: Vec::new(),
        log: None,
        redact: Vec::new(),
        tail: Vec::new(),
    };
    match apply::load::read_plan(plan) {
        Ok(p) => {
            state.rows = p
                .steps
                .iter()
                .map(|s| Row {
                    id: s.id.clone(),
                    state: None,
                    elapsed: Duration::ZERO,
                })
                .collect();
            if p.secrets.values().any(|r| *r == SecretRef::Prompt) {
                state.phase = Phase::Done(2);
                state.tail = vec![
                    "This plan asks for a secret at a prompt, which needs this terminal.".into(),
                    format!(
                        "Run it headless instead: mim-setup apply {}",
                        plan.display()
                    ),
                ];
            }
        }
        Err(stop) => {
            state.phase = Phase::Done(stop.code);
            state.tail = stop.to_string().lines().map(str::to_string).collect();
        }
    }
    let mut rx: Option<Receiver<Msg>> = None;
    let mut started: Option<Instant> = None;
    loop {
        term.draw(|f| draw(&state, theme, f))?;
        if let Some(r) = &rx {
            while let Ok(msg) = r.try_recv() {
                receive(&mut state, msg, &mut started);
            }
            if let (Some(t), Some(row)) = (
                started,
                state
                    .rows
                    .iter_mut()
                    .find(|r| r.state == Some(StepState::Started)),
            ) {
                row.elapsed = t.elapsed();
            }
            if let Some(log) = &state.log {
                state.tail = tail(log, 200)
                    .iter()
                    .map(|l| apply::exec::redact(l, &state.redact))
                    .collect();
            }
        }
        if !event::poll(Duration::from_millis(100))? {
            continue;
        }
        let Event::Key(key) = event::read()? else {
            continue;
        };
        if key.kind != KeyEventKind::Press {
            continue;
        }
        match (&state.phase, key.code) {
            (Phase::Confirm, KeyCode::Char('y' | 'Y')) => {
                state.phase = Phase::Running;
                rx = Some(start(plan, mode.clone(), screens));
            }
            (Phase::Confirm, KeyCode::Char('n' | 'N') | KeyCode::Esc) => return Ok(0),
            (Phase::Done(code), _) => return Ok(*code),
            // A running install is not interrupted from here.
            _ => {}
        }
    }
}

fn start(plan: &Path, mode: Mode, screens: &'static Screens) -> Receiver<Msg> {
    let (tx, rx) = channel();
    let opts = Options {
        plan: plan.to_path_buf(),
        resume: true,
        accept_drift: false,
        profile: None,
        mode,
    };
    std::thread::spawn(move || {
        let facts = |profile: &Path, keys: &BTreeSet<String>| {
            apply::command::live_facts(screens, None, profile, keys)
        };
        let mut events = Events(tx.clone());
        let msg = match apply::run_plan(&opts, &facts, &mut events) {
            Ok(()) => Msg::Finished(0, None),
            Err(stop) => Msg::Finished(stop.code, Some(stop.to_string())),
        };
        let _ = tx.send(msg);
    });
    rx
}

fn receive(state: &mut ApplyState, msg: Msg, started: &mut Option<Instant>) {
    match msg {
        Msg::Note(n) => state.notes.push(n),
        Msg::Step(e) => {
            if let Some(row) = state.rows.get_mut(e.index.saturating_sub(1)) {
                if e.state == StepState::Started {
                    *started = Some(Instant::now());
                    state.log = e.log.clone();
                    state.redact = e.redact.clone();
                } else if let Some(t) = started.take() {
                    row.elapsed = t.elapsed();
                }
                row.state = Some(e.state);
            }
            if e.state == StepState::Failed {
                state.notes.push(format!(
                    "{} failed: {}",
                    e.id,
                    e.text.lines().next().unwrap_or("")
                ));
            }
        }
        Msg::Finished(code, stop) => {
            state.phase = Phase::Done(code);
            if let Some(s) = stop {
                state.notes.extend(s.lines().map(str::to_string));
            }
        }
    }
}

/// The last `max` lines of a log, read from its last 64 KiB. UTF-16 MSI logs read as text
/// once their NUL bytes are dropped (their lines are ASCII).
fn tail(path: &PathBuf, max: usize) -> Vec<String> {
    let Ok(mut f) = std::fs::File::open(path) else {
        return Vec::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(64 * 1024)));
    let mut bytes = Vec::new();
    let _ = f.read_to_end(&mut bytes);
    bytes.retain(|b| *b != 0);
    let text = String::from_utf8_lossy(&bytes);
    let lines: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
    lines[lines.len().saturating_sub(max)..].to_vec()
}
