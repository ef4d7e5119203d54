//! The scrolling text of the licence, summary and finish screens.
use super::layout::wrap;
use super::theme::Theme;
use crate::answers::{path, Value};
use crate::screens::{FieldKind, ScreenKind};
use crate::strings;
use crate::wizard::{Focus, Model};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// The lines of the current text page, before scrolling.
pub fn lines(m: &Model, width: usize) -> Vec<Line<'static>> {
    let s = m.screen();
    match s.kind {
        ScreenKind::Licence => licence(&s.licence_text, width)
            .into_iter()
            .map(Line::from)
            .collect(),
        ScreenKind::Summary => summary(m, width),
        ScreenKind::Finish => finish(m, width),
        ScreenKind::Form => Vec::new(),
    }
}

/// How far the text page drawn in `area` scrolls (its last line holds the position).
pub fn scroll_max(m: &Model, area: Rect) -> u16 {
    scroll_max_of(lines(m, area.width.saturating_sub(1) as usize).len(), area)
}

fn scroll_max_of(lines: usize, area: Rect) -> u16 {
    let text_h = area.height.saturating_sub(1) as usize;
    u16::try_from(lines.saturating_sub(text_h)).unwrap_or(u16::MAX)
}

/// Draws the page's text; its last line is kept for the scroll position ("3/40"), so the
/// position never covers the text.
pub fn draw_text(m: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let all = lines(m, area.width.saturating_sub(1) as usize);
    let text_h = area.height - 1;
    let max = scroll_max_of(all.len(), area);
    let scroll = m.scroll.min(max);
    let mut text: Vec<Line> = all
        .into_iter()
        .skip(scroll as usize)
        .take(text_h as usize)
        .collect();
    if m.focus == Focus::Text {
        if let Some(first) = text.first_mut() {
            first.spans.insert(0, Span::styled(" ", theme.focus()));
        }
    }
    frame.render_widget(
        Paragraph::new(text),
        Rect::new(area.x, area.y, area.width, text_h),
    );
    if max > 0 {
        let more = format!("{}/{}", scroll, max);
        let w = (more.len() as u16).min(area.width);
        let at = Rect::new(area.x + area.width - w, area.y + area.height - 1, w, 1);
        frame.render_widget(Paragraph::new(Span::styled(more, theme.dim())), at);
    }
}

/// The licence text reflowed to `width`: paragraphs and list items are joined and wrapped;
/// a heading underlined with a rule (`----`) keeps its own lines.
fn licence(text: &str, width: usize) -> Vec<String> {
    let is_rule = |l: &str| {
        let t = l.trim();
        !t.is_empty() && t.chars().all(|c| matches!(c, '-' | '=' | '_'))
    };
    let source: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        if !run.is_empty() {
            out.extend(wrap(&run.join("\n"), width));
            run.clear();
        }
    };
    for (i, line) in source.iter().enumerate() {
        let heading = source.get(i + 1).is_some_and(|next| is_rule(next));
        if line.trim().is_empty() {
            flush(&mut run, &mut out);
            out.push(String::new());
        } else if is_rule(line) {
            flush(&mut run, &mut out);
            out.push(line.trim().chars().take(width).collect());
        } else if heading {
            flush(&mut run, &mut out);
            out.extend(wrap(line, width));
        } else {
            run.push(line);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn summary(m: &Model, width: usize) -> Vec<Line<'static>> {
    let mut out: Vec<Line> = wrap(&m.screen().intro, width)
        .into_iter()
        .map(Line::from)
        .collect();
    out.push(Line::from(""));
    for s in m.flow() {
        let fields: Vec<_> = s
            .fields
            .iter()
            .filter(|f| m.answers.field_active(s, f))
            .collect();
        if fields.is_empty() {
            continue;
        }
        out.push(Line::from(Span::raw(s.step.clone())));
        for f in fields {
            let p = path(&s.id, &f.id);
            let value = match (f.kind, m.answers.get(&p)) {
                (FieldKind::Choice, Some(Value::Text(v))) => {
                    f.option(v).map_or(v.clone(), |o| o.label.clone())
                }
                (_, Some(Value::Text(v))) => v.clone(),
                (_, Some(Value::Bool(b))) => if *b { "yes" } else { "no" }.to_string(),
                (_, Some(Value::Secret(r))) => format!("(not shown; {})", r.describe()),
                (_, None) => String::new(),
            };
            let wrapped = wrap(&format!("{}: {value}", f.label), width.saturating_sub(4));
            for (n, l) in wrapped.into_iter().enumerate() {
                let indent = if n == 0 { "  " } else { "    " };
                out.push(Line::from(format!("{indent}{l}")));
            }
        }
    }
    if !m.acknowledged.is_empty() {
        out.push(Line::from(""));
        out.push(Line::from(format!(
            "Acknowledged warnings: {}",
            m.acknowledged.len()
        )));
        // The ones with a reason, each with it.
        for (key, reason) in m
            .reasons
            .iter()
            .filter(|(k, _)| m.acknowledged.contains(*k))
        {
            let text = format!("{key}: {}", crate::profile::echo_reason(reason));
            for (n, l) in wrap(&text, width.saturating_sub(4)).into_iter().enumerate() {
                let indent = if n == 0 { "  " } else { "    " };
                out.push(Line::from(format!("{indent}{l}")));
            }
        }
    }
    out
}

fn finish(m: &Model, width: usize) -> Vec<Line<'static>> {
    // Lines that fit are kept as they are (aligned columns); longer ones are wrapped.
    let fit = |l: String| -> Vec<String> {
        if l.chars().count() <= width {
            vec![l]
        } else {
            wrap(&l, width)
        }
    };
    let mut out = fit(m.screen().intro.clone());
    out.push(String::new());
    if let Some(o) = &m.outputs {
        let files = strings::finished(
            &o.profile.display().to_string(),
            &o.plan.display().to_string(),
        );
        out.extend(files.into_iter().flat_map(fit));
        out.extend(o.steps.iter().flat_map(|s| fit(format!("  {s}"))));
    }
    out.into_iter().map(Line::from).collect()
}
