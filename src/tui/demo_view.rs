//! What `mim-setup demo` draws on top of the wizard: the narration panel (F6, in place of
//! the step list, wider), the fault panel (F7, a popup) and the autoplay state (the status
//! line). Only reads the model.
use super::layout::wrap;
use super::theme::Theme;
use crate::check::State;
use crate::wizard::autoplay::Play;
use crate::wizard::demo::Demo;
use crate::wizard::Model;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub const NARRATION_TITLE: &str = "Narration (F6 hides)";
pub const FAULTS_TITLE: &str = "Demo faults";
pub const FAULTS_KEYS: &str = "[Space/Enter] switch on/off   [Up/Down] move   [Esc/F7] close";

/// The narration is shown in place of the step list.
pub fn narrating(m: &Model) -> bool {
    m.demo.as_ref().is_some_and(|d| d.narration)
}

/// The fault panel's lines: one per fault, the selected one marked, this screen's first.
pub fn fault_lines(m: &Model, selected: usize, w: usize) -> Vec<String> {
    let Some(demo) = m.demo.as_ref() else {
        return vec![];
    };
    let mut out = wrap(
        &format!(
            "Each fault is a real change in a running demo server of the {} scenario; the checks run again when it is switched. Faults marked * show on this screen.",
            demo.scenario
        ),
        w,
    );
    if let Some(f) = demo.faults.get(selected) {
        out.push(String::new());
        let state = if f.on { "on" } else { "off" };
        out.extend(wrap(
            &format!(
                "{} ({state}): {}; its finding is {} on {}.",
                f.name, f.description, f.finding, f.field
            ),
            w,
        ));
    }
    out.push(String::new());
    for (i, f) in demo.faults.iter().enumerate() {
        let mark = if i == selected { ">" } else { " " };
        let on = if f.on { "[x]" } else { "[ ]" };
        let here = if f.screen() == m.current { "*" } else { " " };
        out.push(format!("{mark} {on}{here} {}", f.name));
    }
    out
}

/// The status line's autoplay part, when autoplay is on.
pub fn autoplay_status(m: &Model) -> Option<String> {
    let ap = m.demo.as_ref()?.autoplay.as_ref()?;
    Some(match ap.state {
        Play::Playing => "autoplay: Space pauses, Ctrl-N next step".to_string(),
        Play::Paused => format!("autoplay {}", ap.why),
        Play::Over => format!("autoplay: {}", ap.why),
    })
}

/// The narration of the current screen, as lines.
pub fn narration(m: &Model, demo: &Demo, w: usize) -> Vec<(String, bool)> {
    let s = m.screen();
    let mut out: Vec<(String, bool)> = Vec::new();
    let head = |out: &mut Vec<(String, bool)>, t: &str| {
        if !out.is_empty() {
            out.push((String::new(), false));
        }
        out.push((t.to_string(), true));
    };
    head(&mut out, "The walkthrough");
    let walk = if s.walkthrough.is_empty() {
        "mim-setup's own screen: setup does not show it.".to_string()
    } else {
        s.walkthrough.clone()
    };
    out.extend(wrap(&walk, w).into_iter().map(|l| (l, false)));

    head(&mut out, "What the checks just asked");
    let mut asked = 0;
    for slot in m.live.slots.values().filter(|sl| sl.screen == m.current) {
        asked += 1;
        out.extend(wrap(&slot.title, w).into_iter().map(|l| (l, false)));
        for (what, addr) in demo.servers_of(slot.area) {
            let text = format!("asked the demo's {what} at {addr}");
            out.extend(
                wrap(&text, w.saturating_sub(2))
                    .into_iter()
                    .map(|l| (format!("  {l}"), false)),
            );
        }
        // What came back, counted: the findings panel beside it has each one.
        let said = match slot.run.as_ref().and_then(|r| r.output.as_ref()) {
            None => "running".to_string(),
            Some(o) => {
                let here: Vec<_> = o
                    .outcomes
                    .iter()
                    .filter(|o| o.screen == m.current)
                    .collect();
                let count = |st: &[State]| here.iter().filter(|o| st.contains(&o.state)).count();
                format!(
                    "{} ok, {} warning(s), {} error(s), {} not run",
                    count(&[State::Ok, State::Info]),
                    count(&[State::Warning]),
                    count(&[State::Error]),
                    count(&[State::Skipped, State::Pending]),
                )
            }
        };
        out.extend(
            wrap(&said, w.saturating_sub(2))
                .into_iter()
                .map(|l| (format!("  {l}"), false)),
        );
    }
    if asked == 0 {
        out.extend(
            wrap("No live check belongs to this screen.", w)
                .into_iter()
                .map(|l| (l, false)),
        );
    }

    head(&mut out, "In a real environment they catch");
    let here: Vec<_> = demo
        .faults
        .iter()
        .filter(|f| f.screen() == m.current)
        .collect();
    if here.is_empty() {
        out.extend(
            wrap("No demo fault shows on this screen.", w)
                .into_iter()
                .map(|l| (l, false)),
        );
    }
    for f in here {
        let on = if f.on { " (on now)" } else { "" };
        let text = format!("- {}{on}: {} (F7 switches it)", f.description, f.finding);
        out.extend(wrap(&text, w).into_iter().map(|l| (l, false)));
    }
    out
}

pub fn draw_narration(m: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    let Some(demo) = m.demo.as_ref() else {
        return;
    };
    let w = area.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = narration(m, demo, w)
        .into_iter()
        .map(|(text, heading)| {
            let style = if heading {
                theme.label()
            } else {
                Style::default()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(format!(" {NARRATION_TITLE} "), theme.title()));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
