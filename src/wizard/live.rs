//! The live checks as the wizard keeps them: one single-flight slot per probe key, the only
//! place that knows what is pending. The runtime feeds it through `update` only:
//!
//! ```text
//!   an answer changes -> update re-plans the probes (only then) -> slot waits SETTLE
//!   Action::Tick(now) -> a settled slot takes a new generation -> Effect::StartCheck
//!   runtime runs it -> Action::Checked{key, generation, output} -> slot keeps the latest
//!   a probe no longer wanted -> Effect::CancelCheck(key); an older generation is dropped
//! ```
//!
//! Blocking findings reach `Model::refresh`, where they close Next and mark the step.
use crate::check::{probes_for, Area, Facts, Outcome, ProbeOutput, Settings, State};
use crate::finding::Finding;
use crate::profile::Profile;
use crate::screens::Screens;
use crate::secret::Secret;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

/// How long answers must stay unchanged before their checks start.
pub const SETTLE: Duration = Duration::from_millis(300);

/// Whether checks run in this wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Not attached (tests of the state machine): nothing is shown.
    #[default]
    Detached,
    /// `--offline`: the panel says that nothing was checked.
    Offline,
    On,
}

/// The latest run of a slot.
#[derive(Debug, Clone)]
pub struct Run {
    pub generation: u64,
    /// The inputs it was started with.
    pub inputs: String,
    pub started: Instant,
    /// None while pending.
    pub output: Option<ProbeOutput>,
}

/// One probe key: what it checks, the inputs waiting to settle, and its latest run.
#[derive(Debug, Clone)]
pub struct Slot {
    pub area: Area,
    /// The screen the probe belongs to.
    pub screen: String,
    pub title: String,
    /// New inputs not yet started, and since when they are unchanged (None until the next
    /// tick says what time it is).
    pub waiting: Option<(String, Option<Instant>)>,
    pub run: Option<Run>,
}

/// A run to start: the runtime rebuilds the probe of `key` from `profile` and runs it with
/// the typed `secrets` over the profile's references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckRun {
    pub key: String,
    pub generation: u64,
    pub profile: Profile,
    pub secrets: BTreeMap<String, Secret>,
}

/// A finished run, as the runtime hands it back.
#[derive(Debug, Clone)]
pub struct CheckDone {
    pub key: String,
    pub generation: u64,
    pub output: ProbeOutput,
}

impl PartialEq for CheckDone {
    fn eq(&self, other: &Self) -> bool {
        // Outcomes have no equality of their own: their serialized form is what they say.
        let said = |d: &CheckDone| serde_json::to_value(&d.output.outcomes).ok();
        self.key == other.key
            && self.generation == other.generation
            && self.output.facts == other.output.facts
            && said(self) == said(other)
    }
}

impl Eq for CheckDone {}

#[derive(Debug, Clone, Default)]
pub struct LiveChecks {
    pub mode: Mode,
    /// How the probes reach the environment; None: nothing is planned.
    pub settings: Option<Settings>,
    /// By probe key.
    pub slots: BTreeMap<String, Slot>,
    /// The last generation handed out.
    next: u64,
    /// What the probes were last planned from; they are rebuilt only when it changes.
    planned: Option<String>,
    /// Turned off in this run (Ctrl-O), not by `--offline`.
    pub switched_off: bool,
}

/// One line of the checks list of a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub state: State,
    pub text: String,
}

/// What the re-planning reads from the model.
pub struct Inputs<'a> {
    pub screens: &'a Screens,
    pub profile: &'a Profile,
    pub secrets: &'a BTreeMap<String, Secret>,
    pub current: &'a str,
    pub visited: &'a BTreeSet<String>,
}

impl LiveChecks {
    /// Checks on with `settings`.
    pub fn attach(&mut self, settings: Settings) {
        self.mode = Mode::On;
        self.settings = Some(settings);
        self.planned = None;
    }

    /// Re-plans the probes of the screens seen so far when an input changed: new inputs wait
    /// to settle, a probe no longer wanted is dropped (its pending run cancelled: the keys
    /// returned).
    pub fn replan(&mut self, i: &Inputs) -> Vec<String> {
        let Some(settings) = self.settings.as_ref().filter(|_| self.mode == Mode::On) else {
            return vec![];
        };
        let mark = format!(
            "{:?}|{}|{:?}|{}",
            i.profile,
            secrets_mark(i.secrets),
            i.visited,
            i.current
        );
        if self.planned.as_deref() == Some(mark.as_str()) {
            return vec![];
        }
        self.planned = Some(mark);
        let typed = secrets_mark(i.secrets);
        let mut wanted = BTreeSet::new();
        for p in probes_for(i.profile, settings) {
            if p.screen != i.current && !i.visited.contains(&p.screen) {
                continue;
            }
            wanted.insert(p.key.clone());
            let inputs = format!("{}|{typed}", p.inputs);
            let slot = self.slots.entry(p.key.clone()).or_insert_with(|| Slot {
                area: p.area,
                screen: p.screen.clone(),
                title: p.title.clone(),
                waiting: None,
                run: None,
            });
            slot.area = p.area;
            slot.screen = p.screen.clone();
            slot.title = p.title.clone();
            if slot.run.as_ref().is_some_and(|r| r.inputs == inputs) {
                slot.waiting = None;
            } else if slot.waiting.as_ref().is_none_or(|(w, _)| *w != inputs) {
                slot.waiting = Some((inputs, None));
            }
        }
        let gone: Vec<String> = self
            .slots
            .keys()
            .filter(|k| !wanted.contains(*k))
            .cloned()
            .collect();
        let mut cancel = Vec::new();
        for k in gone {
            if let Some(s) = self.slots.remove(&k) {
                if s.run.is_some_and(|r| r.output.is_none()) {
                    cancel.push(k);
                }
            }
        }
        cancel
    }

    /// The time is `now`: inputs unchanged for `SETTLE` start a new generation; returns the
    /// keys and generations to start.
    pub fn tick(&mut self, now: Instant) -> Vec<(String, u64)> {
        let mut start = Vec::new();
        for (key, slot) in &mut self.slots {
            let Some((inputs, since)) = slot.waiting.as_mut() else {
                continue;
            };
            let since = *since.get_or_insert(now);
            if now.duration_since(since) < SETTLE {
                continue;
            }
            self.next += 1;
            slot.run = Some(Run {
                generation: self.next,
                inputs: std::mem::take(inputs),
                started: now,
                output: None,
            });
            slot.waiting = None;
            start.push((key.clone(), self.next));
        }
        start
    }

    /// A run finished; results of an older generation are dropped.
    pub fn finished(&mut self, done: CheckDone) -> bool {
        match self.slots.get_mut(&done.key).and_then(|s| s.run.as_mut()) {
            Some(r) if r.generation == done.generation && r.output.is_none() => {
                r.output = Some(done.output);
                true
            }
            _ => false,
        }
    }

    /// A run is pending.
    pub fn pending(&self) -> bool {
        self.slots
            .values()
            .any(|s| s.run.as_ref().is_some_and(|r| r.output.is_none()))
    }

    /// Something will change with time alone: nothing is planned yet, a run is pending, or
    /// inputs wait to settle.
    pub fn busy(&self) -> bool {
        self.mode == Mode::On
            && ((self.settings.is_some() && self.planned.is_none())
                || self.pending()
                || self.slots.values().any(|s| s.waiting.is_some()))
    }

    /// What the finished runs of the current answers saw (recorded in the plan, as
    /// `plan --check` does); a run whose answers changed since says nothing.
    pub fn facts(&self) -> Facts {
        self.slots
            .values()
            .filter(|s| s.waiting.is_none())
            .filter_map(|s| s.run.as_ref()?.output.as_ref())
            .flat_map(|o| o.facts.clone())
            .collect()
    }

    /// Outcomes shown on `screen`, from any probe.
    fn outcomes_on<'a>(&'a self, screen: &'a str) -> impl Iterator<Item = &'a Outcome> {
        self.slots
            .values()
            .filter_map(|s| s.run.as_ref()?.output.as_ref())
            .flat_map(|o| o.outcomes.iter())
            .filter(move |o| o.screen == screen)
    }

    /// The findings the checks made about `screen`.
    pub fn findings(&self, screen: &str) -> Vec<Finding> {
        self.outcomes_on(screen)
            .flat_map(|o| o.findings.iter().cloned())
            .collect()
    }

    /// The checks list of `screen` at `now`: pending runs with their elapsed time, then
    /// each outcome's state and one line.
    pub fn lines(&self, screen: &str, now: Instant) -> Vec<CheckLine> {
        if self.mode == Mode::Offline {
            return vec![CheckLine {
                state: State::Skipped,
                text: if self.switched_off {
                    crate::strings::CHECKS_OFF_LINE
                } else {
                    "Live checks are off (--offline): nothing on this screen was checked."
                }
                .into(),
            }];
        }
        let mut out: Vec<CheckLine> = self
            .slots
            .values()
            .filter(|s| s.screen == screen)
            .filter_map(|s| match &s.run {
                Some(r) if r.output.is_none() => Some(CheckLine {
                    state: State::Pending,
                    text: format!(
                        "{}: checking ({:.1} s)",
                        s.title,
                        now.saturating_duration_since(r.started).as_secs_f32()
                    ),
                }),
                _ => None,
            })
            .collect();
        for o in self.outcomes_on(screen) {
            let text = match o.state {
                State::Skipped => format!("{}: not checked: {}", o.title, o.summary),
                State::Ok | State::Info => format!("{}: {}", o.title, o.summary),
                _ => o.title.clone(),
            };
            out.push(CheckLine {
                state: o.state,
                text,
            });
        }
        out
    }
}

/// A digest of the typed secrets, so that a new password re-runs the checks that use it.
/// Kept in memory only, like the secrets.
fn secrets_mark(secrets: &BTreeMap<String, Secret>) -> String {
    let mut h = Sha256::new();
    for (k, v) in secrets {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.expose().as_bytes());
        h.update([0]);
    }
    h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
#[path = "live_tests.rs"]
pub(super) mod tests;
