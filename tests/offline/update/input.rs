//! `tui::input::to_action`: keys, paste and mouse to actions. Mouse positions come from
//! `tui::layout::compute`, the function that also places what `view` draws, and one test
//! checks against the drawn buffer that a click lands on the field drawn there.
use super::support::{at, fresh, run};
use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers as M, MouseButton, MouseEvent,
    MouseEventKind,
};
use mim_setup::tui::input::to_action;
use mim_setup::tui::layout::{compute, Layout, Row};
use mim_setup::tui::theme::Theme;
use mim_setup::wizard::{Action, Focus, Model};
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::Terminal;

fn key(code: KeyCode, mods: M) -> Event {
    Event::Key(KeyEvent::new_with_kind(code, mods, KeyEventKind::Press))
}

fn lay(m: &Model, w: u16, h: u16) -> Layout {
    compute(Rect::new(0, 0, w, h), m)
}

#[test]
fn keys_map_to_actions() {
    use mim_setup::wizard::Erase as E;
    use Action::*;
    use KeyCode as K;
    let ctrl_alt = M::CONTROL | M::ALT;
    let table: Vec<(&str, Event, Option<Action>)> = vec![
        ("tab", key(K::Tab, M::NONE), Some(FocusNext)),
        ("shift-tab", key(K::BackTab, M::SHIFT), Some(FocusPrev)),
        ("enter", key(K::Enter, M::NONE), Some(Enter)),
        ("esc", key(K::Esc, M::NONE), Some(Back)),
        ("F1", key(K::F(1), M::NONE), Some(Help)),
        ("F2", key(K::F(2), M::NONE), Some(CycleSecretSource)),
        ("F5", key(K::F(5), M::NONE), None),
        ("ctrl-c", key(K::Char('c'), M::CONTROL), Some(Interrupt)),
        ("ctrl-q", key(K::Char('q'), M::CONTROL), Some(Cancel)),
        ("ctrl-n", key(K::Char('n'), M::CONTROL), Some(Next)),
        ("ctrl-x", key(K::Char('x'), M::CONTROL), None),
        // The editing keys of shells and browsers.
        ("ctrl-a", key(K::Char('a'), M::CONTROL), Some(CursorHome)),
        ("ctrl-e", key(K::Char('e'), M::CONTROL), Some(CursorEnd)),
        (
            "ctrl-u",
            key(K::Char('u'), M::CONTROL),
            Some(Erase(E::ToStart)),
        ),
        (
            "ctrl-k",
            key(K::Char('k'), M::CONTROL),
            Some(Erase(E::ToEnd)),
        ),
        (
            "ctrl-w",
            key(K::Char('w'), M::CONTROL),
            Some(Erase(E::Word)),
        ),
        (
            "ctrl-h is backspace (^H)",
            key(K::Char('h'), M::CONTROL),
            Some(Backspace),
        ),
        (
            "alt-backspace",
            key(K::Backspace, M::ALT),
            Some(Erase(E::WordPart)),
        ),
        (
            "ctrl-backspace",
            key(K::Backspace, M::CONTROL),
            Some(Erase(E::WordPart)),
        ),
        (
            "AltGr u is text (ctrl+alt)",
            key(K::Char('u'), ctrl_alt),
            Some(Input('u')),
        ),
        ("alt-w is text", key(K::Char('w'), M::ALT), Some(Input('w'))),
        (
            "ctrl-r checks again",
            key(K::Char('r'), M::CONTROL),
            Some(RetryChecks),
        ),
        (
            "ctrl-o turns checks off",
            key(K::Char('o'), M::CONTROL),
            Some(ChecksOff),
        ),
        (
            "ctrl-down scrolls the findings",
            key(K::Down, M::CONTROL),
            Some(ScrollFindings(1)),
        ),
        (
            "ctrl-up scrolls the findings",
            key(K::Up, M::CONTROL),
            Some(ScrollFindings(-1)),
        ),
        (
            "alt-down scrolls the findings",
            key(K::Down, M::ALT),
            Some(ScrollFindings(1)),
        ),
        (
            "alt-up scrolls the findings",
            key(K::Up, M::ALT),
            Some(ScrollFindings(-1)),
        ),
        ("a", key(K::Char('a'), M::NONE), Some(Input('a'))),
        ("shift-A", key(K::Char('A'), M::SHIFT), Some(Input('A'))),
        ("q", key(K::Char('q'), M::NONE), Some(Input('q'))),
        ("é", key(K::Char('é'), M::NONE), Some(Input('é'))),
        ("backslash", key(K::Char('\\'), M::NONE), Some(Input('\\'))),
        (
            "AltGr backslash (Windows: ctrl+alt)",
            key(K::Char('\\'), ctrl_alt),
            Some(Input('\\')),
        ),
        (
            "AltGr @ (German AltGr+Q)",
            key(K::Char('@'), ctrl_alt),
            Some(Input('@')),
        ),
        ("alt-x", key(K::Char('x'), M::ALT), Some(Input('x'))),
        ("space", key(K::Char(' '), M::NONE), Some(Toggle)),
        ("backspace", key(K::Backspace, M::NONE), Some(Backspace)),
        ("delete", key(K::Delete, M::NONE), Some(Delete)),
        ("left", key(K::Left, M::NONE), Some(CursorLeft)),
        ("right", key(K::Right, M::NONE), Some(CursorRight)),
        ("home", key(K::Home, M::NONE), Some(CursorHome)),
        ("end", key(K::End, M::NONE), Some(CursorEnd)),
        ("up", key(K::Up, M::NONE), Some(Up)),
        ("down", key(K::Down, M::NONE), Some(Down)),
        ("page up", key(K::PageUp, M::NONE), Some(PageUp)),
        ("page down", key(K::PageDown, M::NONE), Some(PageDown)),
        ("insert", key(K::Insert, M::NONE), None),
        (
            "paste",
            Event::Paste("corpsql\r\n".into()),
            Some(Paste("corpsql\r\n".into())),
        ),
        ("resize", Event::Resize(100, 30), None),
        ("focus gained", Event::FocusGained, None),
    ];
    let m = at("sql");
    let l = lay(&m, 80, 24);
    let mut bad = Vec::new();
    for (name, ev, want) in &table {
        let got = to_action(ev, &m, &l);
        if got != *want {
            bad.push(format!("{name}: got {got:?}, want {want:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Windows consoles send a Release for every Press: only presses act.
#[test]
fn key_releases_and_repeats_are_dropped() {
    let m = at("sql");
    let l = lay(&m, 80, 24);
    for code in [
        KeyCode::Tab,
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Char('a'),
        KeyCode::Char('c'),
        KeyCode::F(1),
        KeyCode::Backspace,
    ] {
        for mods in [M::NONE, M::CONTROL] {
            for kind in [KeyEventKind::Release, KeyEventKind::Repeat] {
                let ev = Event::Key(KeyEvent::new_with_kind(code, mods, kind));
                assert_eq!(to_action(&ev, &m, &l), None, "{code:?} {mods:?} {kind:?}");
            }
        }
    }
}

fn click(x: u16, y: u16) -> Event {
    mouse(MouseEventKind::Down(MouseButton::Left), x, y)
}

fn mouse(kind: MouseEventKind, x: u16, y: u16) -> Event {
    Event::Mouse(MouseEvent {
        kind,
        column: x,
        row: y,
        modifiers: M::NONE,
    })
}

/// The screen line of a form row, if it is shown.
fn row_y(l: &Layout, want: &Row) -> u16 {
    let i = l
        .rows
        .iter()
        .position(|r| r == want)
        .unwrap_or_else(|| panic!("{want:?} not in {:?}", l.rows));
    let y = l.rows_area.y + (i - l.row_offset) as u16;
    assert!(
        y < l.rows_area.y + l.rows_area.height,
        "{want:?} is scrolled off"
    );
    y
}

#[test]
fn clicks_map_to_actions() {
    for (w, h) in [(80, 24), (120, 40)] {
        let m = at("sql");
        let l = lay(&m, w, h);
        let x = l.form_inner.x + 3;
        let mut table: Vec<(String, Event, Option<Action>)> = Vec::new();
        for (focus, r) in &l.buttons {
            let want = match focus {
                Focus::Back => Action::Back,
                Focus::Next => Action::Next,
                _ => Action::Cancel,
            };
            table.push((
                format!("button {focus:?} left"),
                click(r.x, r.y),
                Some(want.clone()),
            ));
            table.push((
                format!("button {focus:?} right"),
                click(r.x + r.width - 1, r.y),
                Some(want),
            ));
        }
        let after = l
            .buttons
            .last()
            .map(|(_, r)| r.x + r.width + 1)
            .unwrap_or(0);
        table.push((
            "between buttons and status".into(),
            click(after, l.buttons[0].1.y),
            None,
        ));
        for (i, s) in m.flow().iter().enumerate() {
            let y = l.steps.y + 1 + i as u16;
            table.push((
                format!("step {}", s.id),
                click(l.steps.x + 2, y),
                Some(Action::JumpTo(s.id.clone())),
            ));
        }
        table.extend([
            ("steps border".into(), click(l.steps.x + 2, l.steps.y), None),
            (
                "steps below the list".into(),
                click(l.steps.x + 2, l.steps.y + l.steps.height - 2),
                None,
            ),
            ("title".into(), click(10, l.title.y), None),
            ("legend".into(), click(10, l.legend.y), None),
            (
                "findings".into(),
                click(l.findings.x + 3, l.findings.y + 1),
                None,
            ),
            ("form border".into(), click(x, l.form.y), None),
            ("intro text".into(), click(x, l.form_inner.y), None),
            (
                "option local".into(),
                click(
                    x,
                    row_y(
                        &l,
                        &Row::Option {
                            field: 0,
                            option: 0,
                        },
                    ),
                ),
                Some(Action::Select {
                    field: 0,
                    option: 0,
                }),
            ),
            (
                "option default instance".into(),
                click(
                    x,
                    row_y(
                        &l,
                        &Row::Option {
                            field: 2,
                            option: 0,
                        },
                    ),
                ),
                Some(Action::Select {
                    field: 2,
                    option: 0,
                }),
            ),
            (
                "choice label".into(),
                click(x, row_y(&l, &Row::Label(0))),
                Some(Action::Focus(Focus::Field(0))),
            ),
            (
                "server input".into(),
                click(
                    x,
                    row_y(
                        &l,
                        &Row::Input {
                            field: 1,
                            inline_label: true,
                        },
                    ),
                ),
                Some(Action::Focus(Focus::Field(1))),
            ),
            (
                "right-click server".into(),
                mouse(
                    MouseEventKind::Down(MouseButton::Right),
                    x,
                    row_y(
                        &l,
                        &Row::Input {
                            field: 1,
                            inline_label: true,
                        },
                    ),
                ),
                None,
            ),
            (
                "release".into(),
                mouse(MouseEventKind::Up(MouseButton::Left), x, l.form_inner.y + 3),
                None,
            ),
            (
                "move".into(),
                mouse(MouseEventKind::Moved, x, l.form_inner.y + 3),
                None,
            ),
            (
                "wheel down".into(),
                mouse(MouseEventKind::ScrollDown, 1, 1),
                Some(Action::Down),
            ),
            (
                "wheel up".into(),
                mouse(MouseEventKind::ScrollUp, 1, 1),
                Some(Action::Up),
            ),
            (
                "wheel down over the findings".into(),
                mouse(
                    MouseEventKind::ScrollDown,
                    l.findings.x + 2,
                    l.findings.y + 1,
                ),
                Some(Action::ScrollFindings(1)),
            ),
            (
                "wheel up over the findings".into(),
                mouse(MouseEventKind::ScrollUp, l.findings.x + 2, l.findings.y + 1),
                Some(Action::ScrollFindings(-1)),
            ),
        ]);
        let mut bad = Vec::new();
        for (name, ev, want) in &table {
            let got = to_action(ev, &m, &l);
            if got != *want {
                bad.push(format!("{w}x{h} {name}: got {got:?}, want {want:?}"));
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

#[test]
fn clicks_on_checkboxes_disabled_fields_and_under_popups() {
    let m = at("security");
    let l = lay(&m, 80, 24);
    let y = row_y(
        &l,
        &Row::Input {
            field: 0,
            inline_label: true,
        },
    );
    assert_eq!(
        to_action(&click(l.form_inner.x, y), &m, &l),
        Some(Action::Select {
            field: 0,
            option: 0
        }),
        "a click on a checkbox ticks it"
    );

    let mut m = at("service_account");
    run(
        &mut m,
        [Action::Select {
            field: 0,
            option: 1,
        }],
    );
    let l = lay(&m, 80, 24);
    let y = row_y(
        &l,
        &Row::Input {
            field: 2,
            inline_label: true,
        },
    );
    let a = to_action(&click(l.form_inner.x + 30, y), &m, &l);
    assert_eq!(a, Some(Action::Focus(Focus::Field(2))));
    run(&mut m, a);
    assert_eq!(
        m.focus,
        Focus::Field(0),
        "the disabled password takes no focus"
    );

    run(&mut m, [Action::Help]);
    let l = lay(&m, 80, 24);
    let (_, next) = l.buttons[1];
    assert_eq!(
        to_action(&click(next.x, next.y), &m, &l),
        None,
        "no clicks under a popup"
    );
    assert_eq!(
        to_action(&click(l.steps.x + 2, l.steps.y + 1), &m, &l),
        None
    );
}

#[test]
fn a_step_click_only_jumps_to_visited_screens() {
    let mut m = at("groups");
    let l = lay(&m, 80, 24);
    let flow: Vec<String> = m.flow().iter().map(|s| s.id.clone()).collect();
    let y = |id: &str| l.steps.y + 1 + flow.iter().position(|s| s == id).expect("in flow") as u16;
    let a = to_action(&click(l.steps.x + 3, y("security")), &m, &l);
    run(&mut m, a);
    assert_eq!(m.current, "groups", "security was never passed");
    let a = to_action(&click(l.steps.x + 3, y("install")), &m, &l);
    run(&mut m, a);
    assert_eq!(m.current, "install");
}

/// For every screen and size, a click on the line where a field's label (or checkbox) is
/// drawn acts on that field: hit-testing and drawing agree.
#[test]
fn a_click_lands_on_the_field_drawn_there() {
    let mut checked = 0;
    let ids: Vec<String> = fresh().flow().iter().map(|s| s.id.clone()).collect();
    for id in &ids {
        for (w, h) in [(80, 24), (120, 40)] {
            let shown: Vec<usize> = {
                let m = at(id);
                let s = m.screen();
                (0..s.fields.len())
                    .filter(|&i| m.answers.field_shown(s, &s.fields[i]))
                    .collect()
            };
            for i in shown {
                // The field in focus: a form taller than the box scrolls it into view.
                let mut m = at(id);
                if m.focusables().contains(&Focus::Field(i)) {
                    m.focus = Focus::Field(i);
                }
                let f = &m.screen().fields[i];
                let mut term = Terminal::new(TestBackend::new(w, h)).expect("terminal");
                term.draw(|fr| {
                    mim_setup::tui::view(
                        &m,
                        &Theme {
                            ascii: false,
                            color: true,
                        },
                        fr,
                    )
                })
                .expect("draw");
                let buf = term.backend().buffer().clone();
                let l = lay(&m, w, h);
                let line = |y: u16| -> String {
                    (l.form_inner.x..l.form_inner.x + l.form_inner.width)
                        .map(|x| buf[(x, y)].symbol().to_string())
                        .collect()
                };
                let ys: Vec<u16> = (l.form_inner.y..l.form_inner.y + l.form_inner.height)
                    .filter(|&y| {
                        let t = line(y);
                        let lw = l.label_width as usize;
                        [
                            f.label.clone(),
                            format!("[x] {}", f.label),
                            format!("[ ] {}", f.label),
                        ]
                        .contains(&t.trim_end().to_string())
                            || t.starts_with(&format!("{:<lw$}[", f.label))
                    })
                    .collect();
                assert_eq!(
                    ys.len(),
                    1,
                    "{id} {w}x{h}: field {} drawn on lines {ys:?}",
                    f.id
                );
                let got = to_action(&click(l.form_inner.x + 1, ys[0]), &m, &l);
                let ok = matches!(got, Some(Action::Focus(Focus::Field(n))) if n == i)
                    || matches!(got, Some(Action::Select { field, .. }) if field == i);
                assert!(
                    ok,
                    "{id} {w}x{h}: a click on field {} (line {}) gave {got:?}",
                    f.id, ys[0]
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 30, "{checked} fields checked");
}
