//! `view`: draws the model. It only reads the model and the layout; it changes nothing.
use super::findings;
use super::layout::{self, Layout, Row};
use super::legend;
use super::pages;
use super::popup;
use super::theme::Theme;
use crate::answers::Value;
use crate::finding::Severity;
use crate::screens::FieldKind;
use crate::strings;
use crate::wizard::{Focus, Model, Status};
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use ratatui::Frame;

pub fn view(m: &Model, theme: &Theme, frame: &mut Frame) {
    if let Some(apply) = &m.apply {
        super::apply_view::draw(apply, theme, frame);
        return;
    }
    let area = frame.area();
    let lay = layout::compute(area, m);
    if lay.too_small {
        let (w, h) = (area.width, area.height);
        frame.render_widget(Clear, area);
        frame.render_widget(
            Paragraph::new(strings::too_small(w, h))
                .style(theme.error())
                .wrap(Wrap { trim: true }),
            area,
        );
        return;
    }
    draw_title(m, theme, frame, &lay);
    draw_steps(m, theme, frame, &lay);
    let cursor = draw_form(m, theme, frame, &lay);
    draw_findings(m, theme, frame, &lay);
    draw_buttons(m, theme, frame, &lay);
    legend::draw(m, theme, frame, &lay, status(m, theme));
    if super::review_view::draw_popup(m, theme, frame, area) {
        return;
    }
    match &m.popup {
        Some(p) => popup::draw(m, p, theme, frame, area),
        None => {
            if let Some(pos) = cursor {
                frame.set_cursor_position(pos);
            }
        }
    }
}

fn block<'a>(theme: &Theme, title: &'a str) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(format!(" {title} "), theme.title()))
}

fn draw_title(m: &Model, theme: &Theme, frame: &mut Frame, lay: &Layout) {
    let flow = m.flow();
    let what = super::review_view::title(m)
        .unwrap_or_else(|| format!("{} setup", m.component().display_name()));
    let text = format!(
        " {} \u{2014} {what}   step {} of {}",
        strings::APP,
        m.flow_index() + 1,
        flow.len()
    );
    let text = if theme.ascii {
        text.replace('\u{2014}', "-")
    } else {
        text
    };
    frame.render_widget(Paragraph::new(text).style(theme.title()), lay.title);
}

fn draw_steps(m: &Model, theme: &Theme, frame: &mut Frame, lay: &Layout) {
    if super::demo_view::narrating(m) {
        super::demo_view::draw_narration(m, theme, frame, lay.steps);
        return;
    }
    let lines: Vec<Line> = m
        .flow()
        .iter()
        .map(|s| {
            // The model's verdict: the rules and the live checks of the screen (of every
            // screen from the start when a profile was loaded).
            let (mark, style) = if s.id == m.current {
                (theme.mark_current(), theme.label())
            } else if m.screens_with_errors.contains(&s.id) {
                (theme.mark_error(), theme.error())
            } else if m.visited.contains(&s.id) {
                (theme.mark_done(), theme.ok())
            } else {
                (theme.mark_todo(), theme.dim())
            };
            Line::from(vec![
                Span::styled(format!("{mark} "), style),
                Span::styled(s.step.clone(), style),
            ])
        })
        .collect();
    frame.render_widget(
        Paragraph::new(lines).block(block(theme, strings::STEPS)),
        lay.steps,
    );
}

/// Draws the form; returns where the terminal cursor belongs (the focused text field).
fn draw_form(m: &Model, theme: &Theme, frame: &mut Frame, lay: &Layout) -> Option<Position> {
    let s = m.screen();
    let mut form = block(theme, &s.title);
    if let Some(more) = theme.more_rows(lay.hidden_rows()) {
        form = form.title_bottom(Line::from(Span::styled(more, theme.dim())).right_aligned());
    }
    frame.render_widget(form, lay.form);
    let inner = lay.rows_area;
    if layout::has_text_page(s.kind) {
        // The text above the fields; its last line (the scroll position) spaces them apart.
        pages::draw_text(m, theme, frame, lay.text_area());
    }
    let mut cursor = None;
    for (n, row) in lay
        .rows
        .iter()
        .skip(lay.row_offset)
        .take(inner.height as usize)
        .enumerate()
    {
        let area = Rect::new(inner.x, inner.y + n as u16, inner.width, 1);
        if let Some(pos) = draw_row(m, theme, frame, lay, row, area) {
            cursor = Some(pos);
        }
    }
    cursor
}

fn draw_row(
    m: &Model,
    theme: &Theme,
    frame: &mut Frame,
    lay: &Layout,
    row: &Row,
    area: Rect,
) -> Option<Position> {
    let s = m.screen();
    let line = match row {
        Row::Text(t) => Line::from(t.clone()),
        Row::Label(i) => Line::from(Span::styled(
            s.fields[*i].label.clone(),
            label_style(m, theme, *i),
        )),
        Row::Option { field, option } => {
            let f = &s.fields[*field];
            let o = &f.options[*option];
            let on = m.answers.text(&m.field_path(*field)) == o.value;
            let focused = m.focus == Focus::Field(*field) && on;
            let mut style = if focused { theme.focus() } else { Style::new() };
            if !o.available {
                style = style.patch(theme.dim());
            }
            let mut spans = vec![
                Span::raw("  "),
                Span::styled(format!("{} {}", theme.radio(on), o.label), style),
            ];
            if !o.available {
                // The note, or a short one when the full note does not fit the line.
                let used = 2 + theme.radio(on).chars().count() + 1 + o.label.chars().count();
                let note = if used + 4 + o.note.chars().count() <= area.width as usize {
                    o.note.as_str()
                } else {
                    strings::NOT_AVAILABLE
                };
                spans.push(Span::styled(format!("  ({note})"), theme.dim()));
            }
            Line::from(spans)
        }
        Row::Note(i) => Line::from(Span::styled(
            secret_note(m, *i, area.width as usize),
            theme.dim(),
        )),
        Row::Input {
            field,
            inline_label,
        } => return draw_input(m, theme, frame, lay, *field, *inline_label, area),
    };
    frame.render_widget(Paragraph::new(line), area);
    None
}

fn label_style(m: &Model, theme: &Theme, i: usize) -> Style {
    let p = m.field_path(i);
    let worst = m.findings_for(&p).map(|f| f.severity).min();
    match worst {
        Some(Severity::Error) => theme.error(),
        Some(Severity::Warning) => theme.warning(),
        _ => theme.label(),
    }
}

fn draw_input(
    m: &Model,
    theme: &Theme,
    frame: &mut Frame,
    lay: &Layout,
    i: usize,
    inline: bool,
    area: Rect,
) -> Option<Position> {
    let s = m.screen();
    let f = &s.fields[i];
    let focused = m.focus == Focus::Field(i);
    let disabled = m.answers.field_disabled(f);
    let mut spans = Vec::new();
    let mut x = area.x;
    if inline && f.kind != FieldKind::Checkbox {
        let w = lay.label_width as usize;
        spans.push(Span::styled(
            format!("{:<w$}", f.label),
            label_style(m, theme, i),
        ));
        x += lay.label_width;
    }
    if f.kind == FieldKind::Checkbox {
        let on = m.answers.flag(&m.field_path(i));
        let style = if focused {
            theme.focus()
        } else {
            label_style(m, theme, i)
        };
        spans.push(Span::styled(
            format!("{} {}", theme.checkbox(on), f.label),
            style,
        ));
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        return None;
    }
    let box_w = (area.x + area.width).saturating_sub(x + 2) as usize;
    let text: String = match f.kind {
        FieldKind::Secret => m
            .secrets
            .get(&m.field_path(i))
            .map(|s| theme.mask().to_string().repeat(s.char_count()))
            .unwrap_or_default(),
        _ => m.text_of(i),
    };
    let chars: Vec<char> = text.chars().collect();
    let cursor = if focused {
        m.cursor.min(chars.len())
    } else {
        0
    };
    let start = cursor.saturating_sub(box_w.saturating_sub(1));
    let mut shown: String = chars.iter().skip(start).take(box_w).collect();
    if !focused && chars.len() > box_w && box_w > 1 {
        // Out of focus a long value shows its start and says that more follows.
        shown = chars.iter().take(box_w - 1).collect();
        shown.push(theme.ellipsis());
    }
    let example = f
        .example
        .as_deref()
        .filter(|_| chars.is_empty() && !disabled && f.kind == FieldKind::Text);
    let body = if disabled {
        format!("{:<box_w$}", "")
    } else if let Some(e) = example {
        let hint = strings::example(e, focused);
        let hint: String = hint.chars().take(box_w).collect();
        format!("{hint:<box_w$}")
    } else {
        format!("{shown:<box_w$}")
    };
    let style = if example.is_some() {
        let base = if focused { theme.focus() } else { Style::new() };
        base.patch(theme.dim())
    } else if focused {
        theme.focus()
    } else if disabled {
        theme.dim()
    } else {
        Style::new()
    };
    spans.push(Span::raw("["));
    spans.push(Span::styled(body, style));
    spans.push(Span::raw("]"));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
    (focused && !disabled).then(|| Position::new(x + 1 + (cursor - start) as u16, area.y))
}

/// The line under a password: where its reference points, shortened to fit `width` so that
/// the variable's name and the F2 hint stay visible.
fn secret_note(m: &Model, i: usize, width: usize) -> String {
    let f = &m.screen().fields[i];
    if m.answers.field_disabled(f) {
        return format!("  ({})", strings::GMSA_NO_PASSWORD);
    }
    let Some(Value::Secret(r)) = m.answers.get(&m.field_path(i)) else {
        return String::new();
    };
    let full = format!(
        "  {}: {} (F2 to change)",
        strings::SECRET_NEVER_STORED,
        r.describe()
    );
    if full.chars().count() <= width {
        return full;
    }
    format!("  never stored; {} (F2 to change)", r.short())
}

fn draw_findings(m: &Model, theme: &Theme, frame: &mut Frame, lay: &Layout) {
    let width = lay.findings.width.saturating_sub(2) as usize;
    let lines: Vec<Line> = findings::lines(m, width)
        .into_iter()
        .map(|l| {
            let (mark, style) = theme.tone(l.tone);
            if l.marked {
                Line::from(vec![
                    Span::styled(format!("{mark} "), style),
                    Span::styled(l.text, style),
                ])
            } else {
                Line::from(Span::styled(l.text, style))
            }
        })
        .collect();
    // Lines that do not fit scroll (Ctrl-Up/Ctrl-Down); the border says where more is.
    let max = findings_max(lines.len(), lay);
    let at = m.findings_scroll.min(max);
    let mut b = block(theme, strings::FINDINGS);
    let more = strings::findings_more(at > 0, at < max);
    if !more.is_empty() {
        b = b.title_bottom(Line::from(Span::styled(more, theme.dim())).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).block(b).scroll((at, 0)), lay.findings);
}

/// How far the findings panel scrolls: its lines beyond its inner height.
pub fn findings_max(lines: usize, lay: &Layout) -> u16 {
    let inner = lay.findings.height.saturating_sub(2) as usize;
    lines.saturating_sub(inner).min(u16::MAX as usize) as u16
}

fn draw_buttons(m: &Model, theme: &Theme, frame: &mut Frame, lay: &Layout) {
    for ((focus, label), (_, rect)) in layout::button_labels(m).into_iter().zip(&lay.buttons) {
        let blocked = focus == Focus::Next && m.has_errors();
        let style = match (m.focus == focus, blocked) {
            (true, _) => theme.focus(),
            (false, true) => theme.dim(),
            _ => theme.label(),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(format!("[ {label} ]"), style)),
            *rect,
        );
    }
    if let Some(status) = status(m, theme) {
        // A status longer than the room beside the buttons takes the legend's line.
        let area = if status.width() > lay.status.width as usize {
            Rect::new(
                lay.legend.x + 1,
                lay.legend.y,
                lay.legend.width.saturating_sub(1),
                1,
            )
        } else {
            lay.status
        };
        frame.render_widget(Paragraph::new(status), area);
    }
}

pub(super) fn status(m: &Model, theme: &Theme) -> Option<Span<'static>> {
    match &m.status {
        Some(Status::Error(e)) => Some(Span::styled(e.clone(), theme.error())),
        Some(Status::Info(i)) => Some(Span::styled(i.clone(), theme.ok())),
        None => super::demo_view::autoplay_status(m).map(|a| Span::styled(a, theme.dim())),
    }
}
