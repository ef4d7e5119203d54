//! `update`: the wizard's only way to change. Pure: no I/O, no terminal, no clock.
use super::action::{Action, Effect, Exit};
use super::editing::{byte_at, cycle_secret, edit, text_key};
use super::live::{CheckRun, Inputs, Mode};
use super::messages;
use super::model::{Focus, Model, Popup, Status};
use crate::answers::Value;
use crate::screens::{FieldKind, MessageAt, ScreenKind};
use crate::strings;

/// Applies one action; returns the effects the runtime must carry out.
pub fn update(m: &mut Model, action: Action) -> Vec<Effect> {
    if let Action::ApplyOpened(screen) = action {
        m.apply = Some(*screen);
        return vec![];
    }
    if super::apply::takes(m, &action) {
        let mut effects = super::apply::update(m, action.clone());
        // The live checks keep their time while the apply screen is up.
        if let Action::Tick(_) = action {
            effects.extend(update_live(m, action));
        }
        return effects;
    }
    update_live(m, action)
}

fn update_live(m: &mut Model, action: Action) -> Vec<Effect> {
    let mut effects = match action {
        Action::Tick(now) => {
            let mut out = replan(m);
            let profile = m.profile(false);
            let typed: std::collections::BTreeMap<_, _> = m
                .secrets
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            for (key, generation) in m.live.tick(now) {
                out.push(Effect::StartCheck(Box::new(CheckRun {
                    key,
                    generation,
                    profile: profile.clone(),
                    secrets: typed.clone(),
                })));
            }
            return out;
        }
        Action::Checked(done) => {
            if m.live.finished(*done) {
                m.refresh();
            }
            return vec![];
        }
        other => step(m, other),
    };
    effects.extend(replan(m));
    effects
}

/// The probes follow the answers: re-planned when an input changed, a dropped probe's run
/// cancelled.
fn replan(m: &mut Model) -> Vec<Effect> {
    if m.live.mode != Mode::On {
        return vec![];
    }
    let profile = m.profile(false);
    let inputs = Inputs {
        screens: m.screens,
        profile: &profile,
        secrets: &m.secrets,
        current: &m.current,
        visited: &m.visited,
    };
    let cancel = m.live.replan(&inputs);
    if !cancel.is_empty() {
        m.refresh();
    }
    cancel.into_iter().map(Effect::CancelCheck).collect()
}

fn step(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Interrupt | Action::Terminate => {
            m.exit = Some(if action == Action::Interrupt {
                Exit::Interrupted
            } else {
                Exit::Terminated
            });
            return draft(m);
        }
        Action::DraftSaved(Err(e)) => {
            m.status = Some(Status::Error(strings::draft_failed(&e)));
            return vec![];
        }
        Action::DraftSaved(Ok(_)) => return vec![],
        Action::ScrollLimit(max) => {
            m.scroll_max = max;
            m.scroll = m.scroll.min(max);
            return vec![];
        }
        Action::FindingsLimit(max) => {
            m.findings_max = max;
            m.findings_scroll = m.findings_scroll.min(max);
            return vec![];
        }
        Action::Finished(result) => {
            match result {
                Ok(out) => {
                    m.outputs = Some(out);
                    if let Some(last) = m.flow().last() {
                        m.current = last.id.clone();
                    }
                    m.status = None;
                    enter_screen(m);
                }
                Err(e) => {
                    // The "saving..." status is over; the popup says what went wrong.
                    m.status = None;
                    m.popup = Some(Popup::Error(e));
                }
            }
            return vec![];
        }
        _ => {}
    }
    if let Some(effects) = super::demo::step(m, &action) {
        return effects;
    }
    if m.review.is_some() {
        return super::review_keys::step(m, action);
    }
    if m.popup.is_some() {
        return popup_key(m, action);
    }
    m.status = None;
    let effects = match action {
        Action::FocusNext => step_focus(m, 1),
        Action::FocusPrev => step_focus(m, -1),
        Action::Focus(f) => set_focus(m, f),
        Action::Input('a' | 'A')
            if m.screen().kind == ScreenKind::Finish && m.outputs.is_some() =>
        {
            m.outputs
                .as_ref()
                .map(|o| vec![Effect::OpenApply(o.plan.clone())])
                .unwrap_or_default()
        }
        Action::Input(_)
        | Action::Paste(_)
        | Action::Backspace
        | Action::Delete
        | Action::Erase(_)
        | Action::CursorLeft
        | Action::CursorRight
        | Action::CursorHome
        | Action::CursorEnd => text_key(m, action),
        Action::Up => arrow(m, -1),
        Action::Down => arrow(m, 1),
        Action::PageUp => scroll(m, -10),
        Action::PageDown => scroll(m, 10),
        Action::ScrollFindings(by) => {
            let to = (m.findings_scroll as i32 + by as i32).clamp(0, m.findings_max as i32);
            m.findings_scroll = to as u16;
            vec![]
        }
        Action::Toggle => toggle(m),
        Action::Select { field, option } => select(m, field, option),
        Action::Enter => enter(m),
        Action::Next => next(m),
        Action::Back => back(m),
        Action::Cancel => quit(m),
        Action::Help => {
            m.popup = Some(Popup::Help);
            vec![]
        }
        Action::CycleSecretSource => cycle_secret(m),
        Action::RetryChecks => super::live_keys::retry(m),
        Action::ChecksOff => super::live_keys::checks_off(m),
        Action::JumpTo(id) => {
            if m.visited.contains(&id) && m.flow().iter().any(|s| s.id == id) && m.outputs.is_none()
            {
                m.current = id;
                enter_screen(m);
            }
            vec![]
        }
        Action::Interrupt
        | Action::Terminate
        | Action::ScrollLimit(_)
        | Action::FindingsLimit(_)
        | Action::DraftSaved(_)
        | Action::Finished(_)
        | Action::Tick(_)
        | Action::Checked(_)
        | Action::ApplyOpened(_)
        | Action::Applying(..)
        | Action::ApplyTail(_)
        | Action::ReviewWritten(_)
        | Action::Narration
        | Action::Faults
        | Action::Autoplay
        | Action::FaultSwitched(..) => {
            vec![]
        }
    };
    m.refresh();
    effects
}

pub(super) fn popup_key(m: &mut Model, action: Action) -> Vec<Effect> {
    let Some(popup) = m.popup.clone() else {
        return vec![];
    };
    match (popup, action) {
        (Popup::ConfirmQuit, Action::Enter | Action::Input('y' | 'Y')) => {
            m.popup = None;
            m.exit = Some(Exit::Cancelled);
            draft(m)
        }
        (Popup::Warnings(ws, reason), Action::Enter) => {
            m.popup = None;
            super::ack_popup::acknowledge(m, &ws, &reason);
            m.refresh();
            leave(m)
        }
        (Popup::Warnings(ws, reason), action) if super::ack_popup::edits(&action) => {
            m.popup = Some(Popup::Warnings(ws, super::ack_popup::edit(&reason, action)));
            vec![]
        }
        (Popup::Setup(p), Action::Enter) if p.advance => {
            m.popup = None;
            advance(m)
        }
        (Popup::Acknowledged(_), Action::Enter | Action::Back) => {
            m.popup = messages::setup_popup(m, MessageAt::Enter);
            vec![]
        }
        (Popup::Help, Action::Help) => {
            m.popup = Some(Popup::Keys);
            vec![]
        }
        (Popup::Keys, Action::Help)
        | (_, Action::Back | Action::Enter | Action::Input('n' | 'N')) => {
            m.popup = None;
            vec![]
        }
        _ => vec![],
    }
}

fn draft(m: &Model) -> Vec<Effect> {
    // A review keeps no draft, nor does the demo (its answers are the walkthrough's).
    if m.outputs.is_some() || m.review.is_some() || m.demo.is_some() {
        return vec![];
    }
    vec![Effect::SaveDraft(m.profile(true))]
}

pub(super) fn enter_screen(m: &mut Model) {
    m.scroll = 0;
    m.findings_scroll = 0;
    m.refresh();
    m.focus = m.first_focus();
    m.cursor = match m.focus {
        Focus::Field(i) => m.text_of(i).chars().count(),
        _ => 0,
    };
    messages::on_enter(m);
}

pub(super) fn set_focus(m: &mut Model, f: Focus) -> Vec<Effect> {
    if m.focusables().contains(&f) {
        m.focus = f;
        m.cursor = match f {
            Focus::Field(i) => m.text_of(i).chars().count(),
            _ => 0,
        };
    }
    vec![]
}

pub(super) fn step_focus(m: &mut Model, by: isize) -> Vec<Effect> {
    let all = m.focusables();
    let at = all.iter().position(|f| *f == m.focus).unwrap_or(0) as isize;
    let n = all.len() as isize;
    let f = all[((at + by) % n + n) as usize % all.len()];
    set_focus(m, f)
}

/// The focused field if it takes typed text (text or secret, not disabled).
fn arrow(m: &mut Model, by: isize) -> Vec<Effect> {
    match m.focus {
        Focus::Text => scroll(m, by),
        Focus::Field(i) if m.screen().fields[i].kind == FieldKind::Choice => {
            let f = &m.screen().fields[i];
            let cur = f
                .options
                .iter()
                .position(|o| o.value == m.answers.text(&m.field_path(i)))
                .unwrap_or(0) as isize;
            let to = cur + by;
            if to >= 0 && (to as usize) < f.options.len() {
                select(m, i, to as usize)
            } else {
                step_focus(m, by)
            }
        }
        _ => step_focus(m, by),
    }
}

pub(super) fn scroll(m: &mut Model, by: isize) -> Vec<Effect> {
    m.scroll = (m.scroll as isize + by).clamp(0, m.scroll_max as isize) as u16;
    vec![]
}

fn toggle(m: &mut Model) -> Vec<Effect> {
    let Focus::Field(i) = m.focus else {
        return vec![];
    };
    let s = m.screen();
    let f = &s.fields[i];
    let p = m.field_path(i);
    match f.kind {
        FieldKind::Checkbox => {
            let on = m.answers.flag(&p);
            m.answers.set(p, Value::Bool(!on));
            vec![]
        }
        FieldKind::Choice => {
            let cur = f
                .options
                .iter()
                .position(|o| o.value == m.answers.text(&p))
                .unwrap_or(0);
            select(m, i, (cur + 1) % f.options.len())
        }
        FieldKind::Text | FieldKind::Secret => edit(m, |t, c| {
            let at = byte_at(t, *c);
            t.insert(at, ' ');
            *c += 1;
        }),
    }
}

fn select(m: &mut Model, field: usize, option: usize) -> Vec<Effect> {
    let s = m.screen();
    let Some(f) = s.fields.get(field) else {
        return vec![];
    };
    if !m.answers.field_active(s, f) {
        return vec![];
    }
    match f.kind {
        FieldKind::Choice => {
            if let Some(o) = f.options.get(option) {
                m.answers
                    .set(m.field_path(field), Value::Text(o.value.clone()));
            }
        }
        FieldKind::Checkbox => {
            let p = m.field_path(field);
            let on = m.answers.flag(&p);
            m.answers.set(p, Value::Bool(!on));
        }
        _ => {}
    }
    m.focus = Focus::Field(field);
    vec![]
}

fn enter(m: &mut Model) -> Vec<Effect> {
    match m.focus {
        Focus::Back => back(m),
        Focus::Next => next(m),
        Focus::Cancel => quit(m),
        Focus::Text => next(m),
        Focus::Field(_) => {
            let all = m.focusables();
            let at = all.iter().position(|f| *f == m.focus).unwrap_or(0);
            match all.get(at + 1) {
                Some(Focus::Field(_)) => step_focus(m, 1),
                _ => next(m),
            }
        }
    }
}

fn next(m: &mut Model) -> Vec<Effect> {
    if m.screen().kind == ScreenKind::Finish {
        m.exit = Some(Exit::Finished);
        return vec![];
    }
    if m.has_errors() {
        let n = m.findings.iter().filter(|f| f.blocks()).count();
        let live = m.live.findings(&m.current).iter().any(|f| f.blocks());
        m.status = Some(Status::Error(if live {
            format!(
                "{} {}",
                strings::fix_errors_first(n),
                strings::LIVE_KEYS_HINT
            )
        } else {
            strings::fix_errors_first(n)
        }));
        let s = m.screen();
        let first = m
            .findings
            .iter()
            .find(|f| f.blocks())
            .and_then(|f| f.field.clone());
        if let Some(i) = first.and_then(|p| {
            s.fields
                .iter()
                .position(|f| format!("{}.{}", s.id, f.id) == p)
        }) {
            set_focus(m, Focus::Field(i));
        }
        return vec![];
    }
    let warnings = m.unacknowledged();
    if !warnings.is_empty() {
        m.popup = Some(Popup::Warnings(warnings, String::new()));
        return vec![];
    }
    leave(m)
}

/// Setup's own message for leaving this screen first, if it has one; then on.
fn leave(m: &mut Model) -> Vec<Effect> {
    if let Some(p) = messages::setup_popup(m, MessageAt::Next) {
        m.popup = Some(p);
        return vec![];
    }
    advance(m)
}

/// Leaves the current screen forwards: the summary finishes, other screens move on and
/// save the draft.
fn advance(m: &mut Model) -> Vec<Effect> {
    m.visited.insert(m.current.clone());
    if m.screen().kind == ScreenKind::Summary {
        m.status = Some(Status::Info(strings::SAVING.into()));
        return vec![Effect::Finish(m.profile(false))];
    }
    let flow = m.flow();
    let at = m.flow_index();
    if let Some(s) = flow.get(at + 1) {
        m.current = s.id.clone();
    }
    enter_screen(m);
    draft(m)
}

/// Cancel or Ctrl-Q: "really quit?"; on the finish screen everything is saved already, so
/// quitting is closing.
pub(super) fn quit(m: &mut Model) -> Vec<Effect> {
    if m.screen().kind == ScreenKind::Finish {
        m.exit = Some(Exit::Finished);
    } else {
        m.popup = Some(Popup::ConfirmQuit);
    }
    vec![]
}

pub(super) fn back(m: &mut Model) -> Vec<Effect> {
    let at = m.flow_index();
    if at == 0 || m.screen().kind == ScreenKind::Finish {
        return quit(m);
    }
    m.current = m.flow()[at - 1].id.clone();
    enter_screen(m);
    vec![]
}
