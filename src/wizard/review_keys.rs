//! The keys of `mim-setup review`: the wizard's screens, read-only. Moving about works as
//! in the wizard (Tab, Enter, Esc, Ctrl-N, the step list, F1, setup's messages); every key
//! that would change an answer is refused with a status line. `c` comments on the focused
//! field (or the screen), and Next on the summary asks for the verdict and its note; then
//! the review file is written, the only file a review writes.
use super::action::{Action, Effect, Exit};
use super::messages;
use super::model::{Focus, Model, Popup, Status};
use super::update::{back, enter_screen, popup_key, quit, scroll, set_focus, step_focus};
use crate::approve::Verdict;
use crate::review::record::Comment;
use crate::review::session::MAX_TEXT;
use crate::review::Stage;
use crate::screens::{MessageAt, ScreenKind};

/// What an editing key gets in a review.
pub const READ_ONLY: &str =
    "Review: read-only, answers cannot be changed here. c comments; Next on the summary approves or rejects.";

pub(super) fn step(m: &mut Model, action: Action) -> Vec<Effect> {
    if let Action::ReviewWritten(result) = action {
        return written(m, result);
    }
    let Some(stage) = m.review.as_ref().map(|r| r.stage.clone()) else {
        return vec![];
    };
    match stage {
        Stage::Comment { .. } | Stage::Note { .. } => return typing(m, action),
        Stage::Verdict => return verdict(m, action),
        Stage::Writing => return vec![],
        Stage::Browse => {}
    }
    if let Some(popup) = m.popup.clone() {
        return match (popup, action) {
            (Popup::Setup(p), Action::Enter) if p.advance => {
                m.popup = None;
                advance(m)
            }
            (_, a) => popup_key(m, a),
        };
    }
    m.status = None;
    let effects = match action {
        Action::Input('c' | 'C') => {
            comment(m);
            vec![]
        }
        Action::FocusNext => step_focus(m, 1),
        Action::FocusPrev => step_focus(m, -1),
        Action::Focus(f) => set_focus(m, f),
        Action::Up | Action::Down => {
            let by = if action == Action::Up { -1 } else { 1 };
            if m.focus == Focus::Text {
                scroll(m, by)
            } else {
                step_focus(m, by)
            }
        }
        Action::PageUp => scroll(m, -10),
        Action::PageDown => scroll(m, 10),
        Action::ScrollFindings(by) => {
            let to = (m.findings_scroll as i32 + by as i32).clamp(0, m.findings_max as i32);
            m.findings_scroll = to as u16;
            vec![]
        }
        Action::Enter => match m.focus {
            Focus::Back => back(m),
            Focus::Cancel => quit(m),
            Focus::Next | Focus::Text => next(m),
            Focus::Field(_) => {
                let all = m.focusables();
                let at = all.iter().position(|f| *f == m.focus).unwrap_or(0);
                match all.get(at + 1) {
                    Some(Focus::Field(_)) => step_focus(m, 1),
                    _ => next(m),
                }
            }
        },
        Action::Next => next(m),
        Action::Back => back(m),
        Action::Cancel => quit(m),
        Action::Help => {
            m.popup = Some(Popup::Help);
            vec![]
        }
        Action::RetryChecks => super::live_keys::retry(m),
        Action::ChecksOff => super::live_keys::checks_off(m),
        Action::JumpTo(id) => {
            // Every screen of the walk can be looked at, in any order.
            if m.flow().iter().any(|s| s.id == id) {
                m.current = id;
                enter_screen(m);
            }
            vec![]
        }
        Action::Input(_)
        | Action::Paste(_)
        | Action::Backspace
        | Action::Delete
        | Action::Erase(_)
        | Action::CursorLeft
        | Action::CursorRight
        | Action::CursorHome
        | Action::CursorEnd
        | Action::Toggle
        | Action::Select { .. }
        | Action::CycleSecretSource => {
            m.status = Some(Status::Error(READ_ONLY.into()));
            vec![]
        }
        _ => vec![],
    };
    m.refresh();
    effects
}

/// Next: setup's message for leaving this screen first, if it has one, then on; on the
/// summary, the verdict.
fn next(m: &mut Model) -> Vec<Effect> {
    if let Some(p) = messages::setup_popup(m, MessageAt::Next) {
        m.popup = Some(p);
        return vec![];
    }
    advance(m)
}

fn advance(m: &mut Model) -> Vec<Effect> {
    m.visited.insert(m.current.clone());
    if matches!(m.screen().kind, ScreenKind::Summary | ScreenKind::Finish) {
        set_stage(m, Stage::Verdict);
        return vec![];
    }
    let flow = m.flow();
    let at = m.flow_index();
    if let Some(s) = flow.get(at + 1) {
        m.current = s.id.clone();
    }
    enter_screen(m);
    vec![]
}

/// `c`: a comment on the focused field, or on the screen.
fn comment(m: &mut Model) {
    let screen = m.current.clone();
    let field = match m.focus {
        Focus::Field(i) => Some(m.field_path(i)),
        _ => None,
    };
    set_stage(
        m,
        Stage::Comment {
            screen,
            field,
            text: String::new(),
        },
    );
}

fn set_stage(m: &mut Model, stage: Stage) {
    if let Some(r) = m.review.as_mut() {
        r.stage = stage;
    }
}

/// Typing a comment or the note: text keys type, Enter keeps it, Esc drops it.
fn typing(m: &mut Model, action: Action) -> Vec<Effect> {
    let Some(r) = m.review.as_mut() else {
        return vec![];
    };
    let text = match &mut r.stage {
        Stage::Comment { text, .. } | Stage::Note { text, .. } => text,
        _ => return vec![],
    };
    let push = |text: &mut String, s: &str| {
        for c in s.chars().filter(|c| !c.is_control()) {
            if text.chars().count() < MAX_TEXT {
                text.push(c);
            }
        }
    };
    match action {
        Action::Input(c) => push(text, &c.to_string()),
        Action::Toggle => push(text, " "),
        Action::Paste(s) => push(text, &s.replace(['\r', '\n'], " ")),
        Action::Backspace => {
            text.pop();
        }
        Action::Erase(_) => text.clear(),
        Action::Back => {
            r.stage = match r.stage {
                Stage::Note { .. } => Stage::Verdict,
                _ => Stage::Browse,
            };
        }
        Action::Enter => return keep(m),
        _ => {}
    }
    vec![]
}

/// Enter on a comment or the note.
fn keep(m: &mut Model) -> Vec<Effect> {
    let Some(r) = m.review.as_mut() else {
        return vec![];
    };
    match r.stage.clone() {
        Stage::Comment {
            screen,
            field,
            text,
        } => {
            r.stage = Stage::Browse;
            if text.trim().is_empty() {
                m.status = Some(Status::Info("No comment kept (it was empty).".into()));
                return vec![];
            }
            let on = field
                .clone()
                .unwrap_or_else(|| format!("the screen {screen}"));
            r.comments.push(Comment {
                screen,
                field,
                text: text.trim().to_string(),
            });
            let n = r.comments.len();
            m.status = Some(Status::Info(format!(
                "Comment on {on} kept ({n} in all); it is written with the verdict."
            )));
            vec![]
        }
        Stage::Note { verdict, text } => {
            let record = r.record(verdict, &text);
            let out = r.out.clone();
            r.stage = Stage::Writing;
            m.status = Some(Status::Info(format!("Writing {}...", out.display())));
            vec![Effect::WriteReview(out, Box::new(record))]
        }
        _ => vec![],
    }
}

/// The verdict: a approves, r rejects, Esc goes back to the screens.
fn verdict(m: &mut Model, action: Action) -> Vec<Effect> {
    let chosen = match action {
        Action::Input('a' | 'A') => Verdict::Approved,
        Action::Input('r' | 'R') => Verdict::Rejected,
        Action::Back => {
            set_stage(m, Stage::Browse);
            return vec![];
        }
        _ => return vec![],
    };
    set_stage(
        m,
        Stage::Note {
            verdict: chosen,
            text: String::new(),
        },
    );
    vec![]
}

fn written(m: &mut Model, result: Result<std::path::PathBuf, String>) -> Vec<Effect> {
    let Some(r) = m.review.as_mut() else {
        return vec![];
    };
    match result {
        Ok(path) => {
            r.written = Some(path);
            m.exit = Some(Exit::Finished);
        }
        Err(e) => {
            r.stage = Stage::Browse;
            m.status = None;
            m.popup = Some(Popup::Error(format!(
                "{e}\nNothing was written; Next on the summary asks again."
            )));
        }
    }
    vec![]
}

#[cfg(test)]
#[path = "review_keys_tests.rs"]
mod tests;
