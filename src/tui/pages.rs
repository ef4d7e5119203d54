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
        ScreenKind::Licence => s
            .licence_text
            .lines()
            .flat_map(|l| {
                if l.is_empty() {
                    vec![String::new()]
                } else {
                    wrap(l, width)
                }
            })
            .map(Line::from)
            .collect(),
        ScreenKind::Summary => summary(m, width),
        ScreenKind::Finish => finish(m),
        ScreenKind::Form => Vec::new(),
    }
}

pub fn draw_text(m: &Model, theme: &Theme, frame: &mut Frame, area: Rect) {
    if area.height == 0 {
        return;
    }
    let all = lines(m, area.width.saturating_sub(1) as usize);
    let max = all.len().saturating_sub(area.height as usize) as u16;
    let scroll = m.scroll.min(max);
    let mut text: Vec<Line> = all
        .into_iter()
        .skip(scroll as usize)
        .take(area.height as usize)
        .collect();
    if m.focus == Focus::Text {
        if let Some(first) = text.first_mut() {
            first.spans.insert(0, Span::styled(" ", theme.focus()));
        }
    }
    frame.render_widget(Paragraph::new(text), area);
    if max > 0 {
        let more = format!("{}/{}", scroll, max);
        let at = Rect::new(
            area.x + area.width.saturating_sub(more.len() as u16),
            area.y + area.height - 1,
            more.len() as u16,
            1,
        );
        frame.render_widget(Paragraph::new(Span::styled(more, theme.dim())), at);
    }
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
    }
    out
}

fn finish(m: &Model) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(m.screen().intro.clone()), Line::from("")];
    if let Some(o) = &m.outputs {
        out.extend(
            strings::finished(
                &o.profile.display().to_string(),
                &o.plan.display().to_string(),
            )
            .into_iter()
            .map(Line::from),
        );
        out.extend(o.steps.iter().map(|s| Line::from(format!("  {s}"))));
    }
    out
}
