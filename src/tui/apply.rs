//! The apply screen's effects, carried out for the one loop: reading the plan (`open`), and
//! the same `apply` as `mim-setup apply PLAN` on a worker thread (`Applier`), whose progress
//! and log tail the loop turns into actions each turn. The screen's state and keys are
//! `wizard::apply`'s; its drawing is `apply_view`'s.
//!
//! Secrets come from environment variables or the credential store; a plan with a secret to
//! be typed at a prompt is sent to the headless command (the prompt needs the terminal the
//! screen holds).
use crate::apply::{self, Mode, Options, StepEvent};
use crate::screens::Screens;
use crate::secret::SecretRef;
use crate::wizard::apply::{ApplyScreen, Phase, Progress, Row};
use crate::wizard::Action;
use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::{Duration, Instant};

/// Progress sent to the loop.
struct Events(Sender<Progress>);

impl apply::Progress for Events {
    fn note(&mut self, text: &str) {
        let _ = self.0.send(Progress::Note(text.to_string()));
    }

    fn step(&mut self, event: &StepEvent) {
        let _ = self.0.send(Progress::Step(event.clone()));
    }
}

fn mode() -> Mode {
    apply::command::mode(None).unwrap_or(Mode::DryRun)
}

/// The apply screen for `plan`: its steps to confirm, or why it cannot run from here.
pub fn open(plan: &Path) -> ApplyScreen {
    let mut state = ApplyScreen {
        plan: plan.to_path_buf(),
        mode: match &mode() {
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
        started: None,
    };
    match apply::load::read_plan(plan) {
        Ok(p) => {
            state.rows = p
                .steps
                .iter()
                .map(|s| Row {
                    id: s.id.clone(),
                    command: if s.command.is_empty() {
                        format!("(by hand) {}", s.description)
                    } else {
                        s.command.clone()
                    },
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
    state
}

/// The running plan, as the loop sees it: its progress channel.
#[derive(Default)]
pub struct Applier {
    rx: Option<Receiver<Progress>>,
}

impl Applier {
    /// Starts `plan` on a worker thread (resuming from its journal, as headless apply does).
    pub fn start(&mut self, plan: PathBuf, screens: &'static Screens) {
        let (tx, rx) = channel();
        let opts = Options {
            plan,
            resume: true,
            accept_drift: false,
            profile: None,
            mode: mode(),
            // The same gate as headless apply, from MIM_SETUP_ALLOWED_SIGNERS.
            approvals: apply::approvals::gate(None, None).unwrap_or_default(),
        };
        std::thread::spawn(move || {
            let facts = |profile: &Path, keys: &BTreeSet<String>| {
                apply::command::live_facts(screens, None, profile, keys)
            };
            let mut events = Events(tx.clone());
            let msg = match apply::run_plan(&opts, &facts, &mut events) {
                Ok(()) => Progress::Finished(0, None),
                Err(stop) => Progress::Finished(stop.code, Some(stop.to_string())),
            };
            let _ = tx.send(msg);
        });
        self.rx = Some(rx);
    }

    /// What arrived since the last turn, as actions; while a step runs, the tail of its log.
    pub fn poll(&mut self, following: Option<&PathBuf>) -> Vec<Action> {
        let Some(rx) = &self.rx else {
            return Vec::new();
        };
        let now = Instant::now();
        let mut out: Vec<Action> = rx
            .try_iter()
            .map(|p| Action::Applying(Box::new(p), now))
            .collect();
        if let Some(log) = following {
            out.push(Action::ApplyTail(tail(log, 200)));
        }
        out
    }
}

/// The last `max` lines of a log, read from its last 64 KiB. UTF-16 MSI logs read as text
/// once their NUL bytes are dropped (their lines are ASCII).
fn tail(path: &Path, max: usize) -> Vec<String> {
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
