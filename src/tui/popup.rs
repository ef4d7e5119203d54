//! Popups: help (F1), the keys (F1 again), setup's own messages, warnings to acknowledge
//! with a reason field (and checks whose server gave no answer, to go on without them;
//! acknowledged ones once, on their first visit, with the profile's reason), "really quit?",
//! errors.
use super::layout::wrap;
use super::theme::Theme;
use crate::strings;
use crate::wizard::{Focus, Model, Popup};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use ratatui::Frame;

pub fn draw(m: &Model, popup: &Popup, theme: &Theme, frame: &mut Frame, area: Rect) {
    let (title, body, keys) = content(m, popup, inner_width(area));
    let style = match popup {
        Popup::Error(_) => theme.error(),
        Popup::Warnings(..) | Popup::Acknowledged(_) => theme.warning(),
        _ => theme.title(),
    };
    draw_box(theme, frame, area, (&title, style), body, keys);
}

/// The width of a popup's text at this terminal size.
pub fn inner_width(area: Rect) -> usize {
    area.width.saturating_sub(8).min(76).saturating_sub(4) as usize
}

/// A popup box in the middle of `area`: its title, body lines and the key line, which
/// stays visible when the body does not fit.
pub fn draw_box(
    theme: &Theme,
    frame: &mut Frame,
    area: Rect,
    (title, style): (&str, ratatui::style::Style),
    body: Vec<String>,
    keys: &str,
) {
    let width = area.width.saturating_sub(8).min(76);
    let keys = keys.to_string();
    let mut lines: Vec<Line> = body.into_iter().map(Line::from).collect();
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(keys, theme.label())));
    let max_h = area.height.saturating_sub(2);
    let height = (lines.len() as u16 + 2).min(max_h);
    if (lines.len() as u16 + 2) > max_h {
        // Keep the key line visible: drop body lines from the end.
        let keep = max_h.saturating_sub(4) as usize;
        let keys_line = lines.split_off(lines.len() - 2);
        lines.truncate(keep);
        lines.push(Line::from("..."));
        lines.extend(keys_line);
    }
    let rect = Rect::new(
        area.x + (area.width - width) / 2,
        area.y + (area.height - height) / 2,
        width,
        height,
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .border_style(style)
        .title(Span::styled(format!(" {title} "), style));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines).block(block.padding(ratatui::widgets::Padding::horizontal(1))),
        rect,
    );
}

fn content(m: &Model, popup: &Popup, w: usize) -> (String, Vec<String>, &'static str) {
    match popup {
        Popup::Help => {
            let s = m.screen();
            let mut body = wrap(&s.help, w);
            if let Focus::Field(i) = m.focus {
                let f = &s.fields[i];
                body.push(String::new());
                body.extend(wrap(&format!("{}: {}", f.label, f.help), w));
            }
            (
                format!("{} - {}", strings::HELP_TITLE, s.step),
                body,
                strings::HELP_KEYS,
            )
        }
        Popup::Keys => {
            let kw = strings::KEYS.iter().map(|(k, _)| k.chars().count()).max();
            let kw = kw.unwrap_or(0);
            let mut body = Vec::new();
            for (k, what) in strings::KEYS {
                let indent = " ".repeat(kw + 2);
                for (n, line) in wrap(what, w.saturating_sub(kw + 2).max(10))
                    .into_iter()
                    .enumerate()
                {
                    let lead = if n == 0 {
                        format!("{k:<kw$}  ")
                    } else {
                        indent.clone()
                    };
                    body.push(format!("{lead}{line}"));
                }
            }
            (strings::KEYS_TITLE.to_string(), body, strings::CLOSE_KEYS)
        }
        Popup::Warnings(ws, reason) => {
            let mut body = Vec::new();
            for (n, f) in ws.iter().enumerate() {
                if n > 0 {
                    body.push(String::new());
                }
                body.extend(wrap(&f.message, w));
                if f.unreached {
                    body.extend(wrap(strings::UNREACHED_ACK, w));
                }
                body.extend(wrap(&format!("Why: {}", f.why), w));
                body.extend(wrap(&format!("Fix: {}", f.fix), w));
            }
            body.push(String::new());
            body.extend(wrap(&format!("{} {reason}_", strings::REASON_LABEL), w));
            let keys = if ws.iter().any(|f| f.unreached) {
                strings::UNREACHED_KEYS
            } else {
                strings::WARNINGS_KEYS
            };
            (strings::WARNINGS_TITLE.to_string(), body, keys)
        }
        Popup::Acknowledged(ws) => {
            let mut body = wrap(strings::ACKNOWLEDGED_TEXT, w);
            for f in ws {
                body.push(String::new());
                body.extend(wrap(&f.message, w));
                if let Some(r) = m.reasons.get(&f.ack_key()) {
                    let r = crate::profile::echo_reason(r);
                    body.extend(wrap(&format!("{} {r}", strings::ACKNOWLEDGED_REASON), w));
                }
                body.extend(wrap(&format!("Why: {}", f.why), w));
                body.extend(wrap(&format!("Fix: {}", f.fix), w));
            }
            (
                strings::ACKNOWLEDGED_TITLE.to_string(),
                body,
                strings::ACKNOWLEDGED_KEYS,
            )
        }
        Popup::Setup(p) => {
            let mut body = wrap(&p.setup, w);
            body.push(String::new());
            body.extend(wrap(&format!("{} {}", strings::SETUP_MEANS, p.means), w));
            body.push(String::new());
            body.extend(wrap(&format!("{} {}", strings::SETUP_PLAN, p.plan), w));
            let keys = if p.advance {
                strings::SETUP_NEXT_KEYS
            } else {
                strings::CLOSE_KEYS
            };
            (p.title.clone(), body, keys)
        }
        Popup::ConfirmQuit => (
            strings::QUIT_TITLE.to_string(),
            wrap(strings::QUIT_TEXT, w),
            strings::QUIT_KEYS,
        ),
        Popup::Error(e) => (
            strings::ERROR_TITLE.to_string(),
            wrap(e, w),
            strings::CLOSE_KEYS,
        ),
        Popup::Faults(selected) => (
            super::demo_view::FAULTS_TITLE.to_string(),
            super::demo_view::fault_lines(m, *selected, w),
            super::demo_view::FAULTS_KEYS,
        ),
    }
}
