//! `mim-setup demo --autoplay [SPEED]`: the presenter. It plays the walkthrough through the
//! wizard's own actions, as a person would type it: on each screen it types every text
//! answer of the walkthrough at a readable pace, waits for the screen's live checks to
//! settle, holds the screen so that the class can read it, and presses Next. Popups that the
//! walkthrough clicks through (an acknowledged warning, setup's own message) get Enter after
//! the same hold; a new warning or a screen that Next cannot leave pauses it, so that the
//! trainer explains or fixes it (or switches the fault off) and resumes with Space.
//!
//! Pure like `update`: `next` is given the time and returns the action to dispatch, `key`
//! decides what a key does while it plays. Keys while it plays or is paused:
//! - Space pauses and resumes;
//! - Ctrl-N moves to the next step at once (the rest of the screen's typing is skipped);
//! - any other key: the trainer takes over (autoplay ends, the key acts as usual); F8 starts
//!   it again from the current screen.
use super::action::{Action, Erase};
use super::model::{Focus, Model, Popup, Status};
use crate::screens::{FieldKind, ScreenKind};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The pace at speed 1: per typed character, and how long a settled screen is held.
const TYPE_PACE: Duration = Duration::from_millis(70);
const HOLD: Duration = Duration::from_millis(2500);
/// How often a screen whose checks still run is looked at again.
const SETTLE_POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Play {
    Playing,
    Paused,
    /// At the finish screen, or taken over: `next` does nothing until F8.
    Over,
}

#[derive(Debug, Clone)]
pub struct Autoplay {
    pub state: Play,
    /// Why it paused or ended, for the status line.
    pub why: String,
    pace: Duration,
    hold: Duration,
    /// The screen the queue was planned for.
    planned: Option<String>,
    queue: VecDeque<Action>,
    due: Option<Instant>,
    /// The settled screen has been held.
    held: bool,
    /// Next was pressed on this screen.
    pressed_next: Option<String>,
}

impl Autoplay {
    /// At `speed` times the readable pace (2 is twice as fast); at most 1000.
    pub fn new(speed: f64) -> Autoplay {
        let speed = if speed.is_finite() && speed > 0.0 {
            speed.min(1000.0)
        } else {
            1.0
        };
        Autoplay {
            state: Play::Playing,
            why: String::new(),
            pace: TYPE_PACE.div_f64(speed),
            hold: HOLD.div_f64(speed),
            planned: None,
            queue: VecDeque::new(),
            due: None,
            held: false,
            pressed_next: None,
        }
    }

    /// When `next` next has something to do (the runtime waits no longer for a key).
    pub fn due(&self) -> Option<Instant> {
        (self.state == Play::Playing).then_some(self.due).flatten()
    }

    fn pause(&mut self, why: impl Into<String>) {
        self.state = Play::Paused;
        self.why = why.into();
    }

    /// Starts the current screen again (after a pause or from F8).
    fn replay(&mut self) {
        self.state = Play::Playing;
        self.why.clear();
        self.planned = None;
        self.queue.clear();
        self.due = None;
        self.held = false;
        self.pressed_next = None;
    }
}

/// The walkthrough's typing of the current screen: each text answer, cleared and typed.
fn plan(m: &Model) -> VecDeque<Action> {
    let s = m.screen();
    let mut out = VecDeque::new();
    for f in m.focusables() {
        let Focus::Field(i) = f else { continue };
        if s.fields[i].kind != FieldKind::Text {
            continue;
        }
        let value = m.answers.text(&m.field_path(i)).to_string();
        if value.is_empty() {
            continue;
        }
        out.push_back(Action::Focus(Focus::Field(i)));
        out.push_back(Action::CursorEnd);
        out.push_back(Action::Erase(Erase::ToStart));
        out.extend(value.chars().map(Action::Input));
    }
    out
}

/// The next action to play at `now`, if one is due.
pub fn next(m: &mut Model, now: Instant) -> Option<Action> {
    let current = m.current.clone();
    let finish = m.screen().kind == ScreenKind::Finish && m.outputs.is_some();
    let busy = m.live.busy();
    let popup = m.popup.clone();
    let ap = m.demo.as_mut()?.autoplay.as_mut()?;
    if ap.state != Play::Playing || ap.due.is_some_and(|d| now < d) {
        return None;
    }
    match popup {
        // Held long enough to read: the walkthrough clicks it through.
        Some(Popup::Acknowledged(_) | Popup::Setup(_) | Popup::Warnings(..)) if ap.held => {
            ap.held = false;
            ap.due = Some(now + ap.hold / 2);
            return Some(Action::Enter);
        }
        // A warning the walkthrough does not acknowledge: the trainer explains it first.
        Some(Popup::Warnings(..)) => {
            ap.pause("a warning to read: Space acknowledges it and goes on");
            ap.held = true;
            return None;
        }
        Some(Popup::Acknowledged(_) | Popup::Setup(_)) => {
            ap.held = true;
            ap.due = Some(now + ap.hold);
            return None;
        }
        Some(Popup::Error(e)) => {
            ap.state = Play::Over;
            ap.why = format!("stopped: {e}");
            return None;
        }
        Some(_) => return None,
        None => {}
    }
    if finish {
        ap.state = Play::Over;
        ap.why = "the walkthrough is finished".into();
        return None;
    }
    if ap.planned.as_deref() != Some(current.as_str()) {
        ap.planned = Some(current.clone());
        ap.pressed_next = None;
        ap.held = false;
        ap.due = Some(now + ap.hold / 3);
        ap.queue = VecDeque::new();
        // Planned from the model: `m` is borrowed again below.
        let queue = plan(m);
        let ap = m.demo.as_mut()?.autoplay.as_mut()?;
        ap.queue = queue;
        return None;
    }
    if ap.pressed_next.as_deref() == Some(current.as_str()) {
        ap.pause("this screen has errors to fix (or a fault to switch off, F7); then Space");
        return None;
    }
    if let Some(a) = ap.queue.pop_front() {
        ap.due = Some(now + ap.pace);
        return Some(a);
    }
    if busy {
        ap.due = Some(now + SETTLE_POLL);
        return None;
    }
    if !ap.held {
        ap.held = true;
        ap.due = Some(now + ap.hold);
        return None;
    }
    ap.held = false;
    ap.pressed_next = Some(current);
    ap.due = Some(now + ap.hold / 3);
    Some(Action::Next)
}

/// What a key does while autoplay is on: None when autoplay took it (Space), else the
/// action to dispatch.
pub fn key(m: &mut Model, action: Action) -> Option<Action> {
    // F8 in a demo started without autoplay starts it at the readable pace.
    if action == Action::Autoplay {
        if let Some(d) = m.demo.as_mut().filter(|d| d.autoplay.is_none()) {
            d.autoplay = Some(Autoplay::new(1.0));
            m.status = Some(Status::Info("autoplay: playing".into()));
            return None;
        }
    }
    let Some(ap) = m.demo.as_mut().and_then(|d| d.autoplay.as_mut()) else {
        return Some(action);
    };
    match (ap.state, &action) {
        (_, Action::Autoplay) => {
            ap.replay();
            m.status = Some(Status::Info("autoplay: playing".into()));
            None
        }
        (Play::Playing, Action::Toggle) => {
            ap.pause("paused: Space goes on");
            m.status = Some(Status::Info("autoplay: paused (Space goes on)".into()));
            None
        }
        (Play::Paused, Action::Toggle) => {
            let resume_popup = ap.held;
            ap.state = Play::Playing;
            ap.why.clear();
            // A pause on an error screen plans the screen again; one on a warning goes on.
            if ap.pressed_next.is_some() {
                ap.planned = None;
            }
            ap.held = resume_popup;
            ap.due = None;
            m.status = Some(Status::Info("autoplay: playing".into()));
            None
        }
        (Play::Playing | Play::Paused, Action::Next) => {
            ap.queue.clear();
            ap.held = false;
            ap.state = Play::Playing;
            ap.why.clear();
            ap.pressed_next = Some(m.current.clone());
            ap.due = None;
            Some(action)
        }
        (Play::Playing | Play::Paused, _) => {
            ap.state = Play::Over;
            ap.why = "the trainer has taken over (F8 plays on)".into();
            Some(action)
        }
        (Play::Over, _) => Some(action),
    }
}

#[cfg(test)]
#[path = "autoplay_tests.rs"]
mod tests;
