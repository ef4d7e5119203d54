//! The key legend on the bottom line: the keys of the screen, the optional ones left out
//! while they do not fit; F1 lists them all.
use super::layout::Layout;
use super::theme::Theme;
use crate::screens::ScreenKind;
use crate::strings;
use crate::wizard::Model;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Keys left out of the legend, in this order, while it does not fit (Shift-Tab is Tab's
/// twin; F2 is also named under every password; F1 lists every key, Ctrl-U among them).
const LEGEND_OPTIONAL: [&str; 3] = ["Ctrl-U", "Shift-Tab", "F2"];

pub(super) fn draw(
    m: &Model,
    theme: &Theme,
    frame: &mut Frame,
    lay: &Layout,
    status: Option<Span<'static>>,
) {
    if status.is_some_and(|s| s.width() > lay.status.width as usize) {
        return;
    }
    let width = |entries: &[&(&str, &str)]| -> usize {
        entries
            .iter()
            .map(|(k, w)| format!(" {k} {w} ").chars().count())
            .sum()
    };
    let legend = if m.review.is_some() {
        strings::LEGEND_REVIEW
    } else if m.screen().kind == ScreenKind::Finish {
        strings::LEGEND_FINISH
    } else if m.demo.is_some() {
        strings::LEGEND_DEMO
    } else {
        strings::LEGEND
    };
    let mut entries: Vec<&(&str, &str)> = legend.iter().collect();
    for optional in LEGEND_OPTIONAL {
        if width(&entries) <= lay.legend.width as usize {
            break;
        }
        entries.retain(|(k, _)| *k != optional);
    }
    let mut spans = Vec::new();
    let mut used = 0usize;
    for (key, what) in entries {
        let piece = format!(" {key} {what} ");
        used += piece.chars().count();
        if used > lay.legend.width as usize {
            break;
        }
        spans.push(Span::styled(format!(" {key}"), theme.label()));
        spans.push(Span::styled(format!(" {what} "), theme.dim()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), lay.legend);
}
