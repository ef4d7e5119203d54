//! Terminal events to actions. Key releases and repeats are dropped here, in one place:
//! Windows consoles send a Release for every Press.
use super::layout::{Layout, Row};
use crate::wizard::{Action, Erase, Focus, Model};
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};

pub fn to_action(event: &Event, m: &Model, lay: &Layout) -> Option<Action> {
    match event {
        Event::Key(k) if k.kind == KeyEventKind::Press => key(k),
        Event::Mouse(me) => mouse(me, m, lay),
        Event::Paste(text) => Some(Action::Paste(text.clone())),
        _ => None,
    }
}

fn key(k: &KeyEvent) -> Option<Action> {
    // Windows reports AltGr as Ctrl+Alt: AltGr characters (`\`, `@`, `{` on many layouts)
    // are typed text, not Ctrl shortcuts.
    let ctrl =
        k.modifiers.contains(KeyModifiers::CONTROL) && !k.modifiers.contains(KeyModifiers::ALT);
    Some(match k.code {
        KeyCode::Char('c') if ctrl => Action::Interrupt,
        KeyCode::Char('q') if ctrl => Action::Cancel,
        KeyCode::Char('n') if ctrl => Action::Next,
        KeyCode::Char('r') if ctrl => Action::RetryChecks,
        KeyCode::Char('o') if ctrl => Action::ChecksOff,
        KeyCode::Char('a') if ctrl => Action::CursorHome,
        KeyCode::Char('e') if ctrl => Action::CursorEnd,
        KeyCode::Char('u') if ctrl => Action::Erase(Erase::ToStart),
        KeyCode::Char('k') if ctrl => Action::Erase(Erase::ToEnd),
        KeyCode::Char('w') if ctrl => Action::Erase(Erase::Word),
        KeyCode::Up
            if k.modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Action::ScrollFindings(-1)
        }
        KeyCode::Down
            if k.modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Action::ScrollFindings(1)
        }
        // Some terminals send Ctrl-H (^H) for Backspace.
        KeyCode::Char('h') if ctrl => Action::Backspace,
        // Alt-Backspace, and Ctrl-Backspace where the terminal tells it apart.
        KeyCode::Backspace
            if k.modifiers
                .intersects(KeyModifiers::ALT | KeyModifiers::CONTROL) =>
        {
            Action::Erase(Erase::WordPart)
        }
        // Space ticks a checkbox or moves a choice on; in a text field it types a space.
        KeyCode::Char(' ') if !ctrl => Action::Toggle,
        KeyCode::Char(c) if !ctrl => Action::Input(c),
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Enter => Action::Enter,
        KeyCode::Esc => Action::Back,
        KeyCode::Backspace => Action::Backspace,
        KeyCode::Delete => Action::Delete,
        KeyCode::Left => Action::CursorLeft,
        KeyCode::Right => Action::CursorRight,
        KeyCode::Home => Action::CursorHome,
        KeyCode::End => Action::CursorEnd,
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::F(1) => Action::Help,
        KeyCode::F(2) => Action::CycleSecretSource,
        // `mim-setup demo` only (elsewhere `update` ignores them).
        KeyCode::F(6) => Action::Narration,
        KeyCode::F(7) => Action::Faults,
        KeyCode::F(8) => Action::Autoplay,
        _ => return None,
    })
}

fn inside(r: ratatui::layout::Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height
}

fn mouse(me: &MouseEvent, m: &Model, lay: &Layout) -> Option<Action> {
    let (x, y) = (me.column, me.row);
    if inside(lay.findings, x, y) && m.popup.is_none() {
        match me.kind {
            MouseEventKind::ScrollDown => return Some(Action::ScrollFindings(1)),
            MouseEventKind::ScrollUp => return Some(Action::ScrollFindings(-1)),
            _ => {}
        }
    }
    match me.kind {
        MouseEventKind::ScrollDown => return Some(Action::Down),
        MouseEventKind::ScrollUp => return Some(Action::Up),
        MouseEventKind::Down(MouseButton::Left) => {}
        _ => return None,
    }
    if m.popup.is_some() {
        return None;
    }
    if let Some((focus, _)) = lay.buttons.iter().find(|(_, r)| inside(*r, x, y)) {
        return Some(match focus {
            Focus::Back => Action::Back,
            Focus::Next => Action::Next,
            _ => Action::Cancel,
        });
    }
    if inside(lay.steps, x, y) && !super::demo_view::narrating(m) {
        let index = y.checked_sub(lay.steps.y + 1)? as usize;
        return m.flow().get(index).map(|s| Action::JumpTo(s.id.clone()));
    }
    match lay.row_at(y)? {
        Row::Option { field, option } => Some(Action::Select {
            field: *field,
            option: *option,
        }),
        Row::Input { field, .. }
            if m.screen().fields[*field].kind == crate::screens::FieldKind::Checkbox =>
        {
            Some(Action::Select {
                field: *field,
                option: 0,
            })
        }
        Row::Input { field, .. } | Row::Label(field) => Some(Action::Focus(Focus::Field(*field))),
        _ => None,
    }
}
