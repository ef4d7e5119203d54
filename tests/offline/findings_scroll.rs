//! The findings panel scrolls: a screen whose findings do not fit says so on the panel's
//! border, Ctrl-Down (an action here) brings the hidden lines in, the offset stops at the
//! limit the runtime measures and at 0, and a new screen starts at the top.
use mim_setup::answers::Value;
use mim_setup::tui::theme::Theme;
use mim_setup::tui::view;
use mim_setup::wizard::{update, Action, Model};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use testkit::wizard::at;

fn shown(m: &Model) -> String {
    let mut term = Terminal::new(TestBackend::new(80, 24)).expect("test terminal");
    term.draw(|f| view(m, &Theme::from_env(true), f))
        .expect("draw");
    let buf = term.backend().buffer().clone();
    (0..buf.area.height)
        .map(|y| {
            (0..buf.area.width)
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The groups screen with every group refused: five errors, more than 80x24 shows.
fn crowded() -> Model {
    let mut m = at("groups");
    for g in ["admins", "operators", "joiners", "browse", "password_set"] {
        m.answers
            .set(format!("groups.{g}"), Value::Text("a\\b\\c".into()));
    }
    m.refresh();
    m
}

#[test]
fn the_findings_panel_scrolls_and_says_where_more_is() {
    let mut m = crowded();
    assert!(m.findings.len() >= 5, "{:?}", m.findings);
    let top = shown(&m);
    assert!(top.contains("Ctrl-Down: more"), "{top}");
    assert!(!top.contains("Ctrl-Up"), "{top}");
    let last = m
        .findings
        .last()
        .map(|f| f.message.clone())
        .unwrap_or_default();
    let tail: String = last.chars().take(20).collect();
    // The runtime measures the limit from the layout; give a generous one here.
    update(&mut m, Action::FindingsLimit(40));
    for _ in 0..40 {
        update(&mut m, Action::ScrollFindings(1));
    }
    assert_eq!(m.findings_scroll, 40, "stops at the limit");
    let bottom = shown(&m);
    assert!(bottom.contains("Ctrl-Up: more"), "{bottom}");
    assert!(bottom.contains(&tail) || top.contains(&tail), "{bottom}");
    assert_ne!(top, bottom, "scrolling shows other lines");
    for _ in 0..50 {
        update(&mut m, Action::ScrollFindings(-1));
    }
    assert_eq!(m.findings_scroll, 0, "stops at the top");
    // A smaller limit clamps the offset; a new screen starts at the top.
    update(&mut m, Action::ScrollFindings(3));
    update(&mut m, Action::FindingsLimit(2));
    assert_eq!(m.findings_scroll, 2);
    update(&mut m, Action::Back);
    assert_eq!(m.findings_scroll, 0);
}

/// A screen whose findings fit says nothing on the border.
#[test]
fn findings_that_fit_show_no_hint() {
    let m = at("sql");
    let s = shown(&m);
    assert!(
        !s.contains("Ctrl-Down: more") && !s.contains("Ctrl-Up: more"),
        "{s}"
    );
}
