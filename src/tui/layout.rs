//! Where everything is on the screen. One function computes it for both drawing and mouse
//! hit-testing, so a click always lands on what is drawn there.
//!
//! ```text
//!  title ------------------------------------------------------------------
//!  +Steps------+ +Screen title-------------------------------------------+
//!  | > Welcome | | intro                                                 |
//!  |   Licence | | Label            [value                             ] |
//!  |   ...     | +Findings-----------------------------------------------+
//!  |           | | x Field: message / fix                                |
//!  +-----------+ +-------------------------------------------------------+
//!  [ Back ] [ Next ] [ Cancel ]                         status
//!  legend
//! ```
use super::findings;
use crate::screens::{FieldKind, ScreenKind};
use crate::wizard::{Focus, Model};
use ratatui::layout::{Constraint, Direction, Layout as Split, Rect};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// One line of the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    Text(String),
    /// A field's label on a line of its own.
    Label(usize),
    /// The field's input; `inline_label` when the label stands on the same line.
    Input {
        field: usize,
        inline_label: bool,
    },
    /// Option `option` of choice `field`.
    Option {
        field: usize,
        option: usize,
    },
    /// A line of explanation under a field (secret source, disabled reason).
    Note(usize),
}

#[derive(Debug, Clone)]
pub struct Layout {
    pub too_small: bool,
    pub title: Rect,
    pub steps: Rect,
    pub form: Rect,
    pub findings: Rect,
    pub buttons: Vec<(Focus, Rect)>,
    pub status: Rect,
    pub legend: Rect,
    /// Inner area of the form block.
    pub form_inner: Rect,
    /// Where the form rows are drawn: all of `form_inner`, or on the licence, summary and
    /// finish screens the lines below their scrolling text.
    pub rows_area: Rect,
    pub rows: Vec<Row>,
    /// First row shown (the form scrolls to keep the focus visible).
    pub row_offset: usize,
    /// Width of the label column for inline labels.
    pub label_width: u16,
}

impl Layout {
    /// How many form rows the scrolled form hides above and below what it shows.
    pub fn hidden_rows(&self) -> (usize, usize) {
        let shown = self.rows_area.height as usize;
        let below = self.rows.len().saturating_sub(self.row_offset + shown);
        (self.row_offset.min(self.rows.len()), below)
    }

    /// The scrolling text of a licence, summary or finish screen: the form above its rows.
    pub fn text_area(&self) -> Rect {
        let form = self.form_inner;
        Rect::new(
            form.x,
            form.y,
            form.width,
            form.height.saturating_sub(self.rows_area.height),
        )
    }

    /// The form row drawn at screen line `y`, if any.
    pub fn row_at(&self, y: u16) -> Option<&Row> {
        let inner = self.rows_area;
        if y < inner.y || y >= inner.y + inner.height {
            return None;
        }
        self.rows.get(self.row_offset + (y - inner.y) as usize)
    }
}

pub fn compute(area: Rect, m: &Model) -> Layout {
    let too_small = area.width < MIN_WIDTH || area.height < MIN_HEIGHT;
    let v = Split::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(1),
            Constraint::Min(8),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .split(area);
    // `mim-setup demo`'s narration takes the step list's place, wider.
    let steps_w = if super::demo_view::narrating(m) {
        (area.width * 2 / 5).max(32)
    } else if area.width >= 110 {
        24
    } else {
        20
    };
    let h = Split::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Length(steps_w), Constraint::Min(40)])
        .split(v[1]);
    // The form's rows and the findings' lines depend on the width only; the findings panel
    // then gets the height its lines need, between its minimum and what the form leaves.
    let form_width = h[1].width.saturating_sub(4);
    let label_width = (form_width * 2 / 5).clamp(12, 34);
    let rows = form_rows(m, form_width, label_width);
    let avail = h[1].height;
    let min_findings = if area.height >= 36 { 10 } else { 6 };
    let form_wants = if has_text_page(m.screen().kind) {
        avail
    } else {
        rows.len() as u16 + 2
    };
    let form_h = form_wants.clamp(6, avail.saturating_sub(min_findings).max(6));
    let wanted = findings::lines(m, h[1].width.saturating_sub(2) as usize).len() as u16 + 2;
    // On a form, up to half the height even when the form then scrolls: what to fix must be
    // readable. The licence and summary texts keep their room (their warnings pop up).
    let half = if has_text_page(m.screen().kind) {
        0
    } else {
        avail / 2
    };
    let most = avail.saturating_sub(form_h).max(half).max(min_findings);
    let findings_h = wanted.clamp(min_findings, most);
    let right = Split::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(6), Constraint::Length(findings_h)])
        .split(h[1]);
    let form = right[0];
    let form_inner = Rect::new(
        form.x + 2,
        form.y + 1,
        form.width.saturating_sub(4),
        form.height.saturating_sub(2),
    );
    let mut buttons = Vec::new();
    let mut x = v[2].x + 1;
    for (focus, label) in button_labels(m) {
        let w = label.chars().count() as u16 + 4;
        buttons.push((focus, Rect::new(x, v[2].y, w, 1)));
        x += w + 2;
    }
    let status = Rect::new(x, v[2].y, (v[2].x + v[2].width).saturating_sub(x), 1);
    let rows_area = if has_text_page(m.screen().kind) {
        let h = (rows.len() as u16).min(form_inner.height);
        Rect::new(
            form_inner.x,
            form_inner.y + form_inner.height - h,
            form_inner.width,
            h,
        )
    } else {
        form_inner
    };
    let row_offset = offset_for_focus(m, &rows, rows_area.height as usize);
    Layout {
        too_small,
        title: v[0],
        steps: h[0],
        form,
        findings: right[1],
        buttons,
        status,
        legend: v[3],
        form_inner,
        rows_area,
        rows,
        row_offset,
        label_width,
    }
}

/// The buttons of the current screen with their labels.
pub fn button_labels(m: &Model) -> Vec<(Focus, &'static str)> {
    use crate::strings::{BACK, CANCEL, CLOSE, INSTALL, NEXT};
    let kind = m.screen().kind;
    let next = match kind {
        ScreenKind::Summary => INSTALL,
        ScreenKind::Finish => CLOSE,
        _ => NEXT,
    };
    let mut out = Vec::new();
    if kind != ScreenKind::Finish {
        out.push((Focus::Back, BACK));
    }
    out.push((Focus::Next, next));
    if kind != ScreenKind::Finish {
        out.push((Focus::Cancel, CANCEL));
    }
    out
}

fn form_rows(m: &Model, width: u16, label_width: u16) -> Vec<Row> {
    let s = m.screen();
    let mut rows = Vec::new();
    if has_text_page(s.kind) {
        // These screens draw their text in a scrolling area above the fields.
    } else if !s.intro.is_empty() {
        rows.extend(wrap(&s.intro, width as usize).into_iter().map(Row::Text));
        // A blank row between the intro and the fields, if any are shown.
        if s.fields.iter().any(|f| m.answers.field_shown(s, f)) {
            rows.push(Row::Text(String::new()));
        }
    }
    for (i, f) in s.fields.iter().enumerate() {
        if !m.answers.field_shown(s, f) {
            continue;
        }
        match f.kind {
            FieldKind::Choice => {
                rows.push(Row::Label(i));
                rows.extend((0..f.options.len()).map(|o| Row::Option {
                    field: i,
                    option: o,
                }));
            }
            FieldKind::Checkbox => rows.push(Row::Input {
                field: i,
                inline_label: true,
            }),
            FieldKind::Text | FieldKind::Secret => {
                let fits = f.label.chars().count() < label_width as usize;
                if !fits {
                    rows.push(Row::Label(i));
                }
                rows.push(Row::Input {
                    field: i,
                    inline_label: fits,
                });
                if f.kind == FieldKind::Secret {
                    rows.push(Row::Note(i));
                }
            }
        }
    }
    rows
}

/// Licence, summary and finish screens draw a scrolling text above their fields.
pub fn has_text_page(kind: ScreenKind) -> bool {
    matches!(
        kind,
        ScreenKind::Licence | ScreenKind::Summary | ScreenKind::Finish
    )
}

/// The first row to show so that the focused field's rows are visible.
fn offset_for_focus(m: &Model, rows: &[Row], height: usize) -> usize {
    let Focus::Field(focus) = m.focus else {
        return 0;
    };
    let last = rows
        .iter()
        .rposition(|r| row_field(r) == Some(focus))
        .unwrap_or(0);
    let first = rows
        .iter()
        .position(|r| row_field(r) == Some(focus))
        .unwrap_or(0);
    if last < height {
        0
    } else {
        (last + 1 - height).min(first)
    }
}

pub fn row_field(r: &Row) -> Option<usize> {
    match r {
        Row::Text(_) => None,
        Row::Label(i) | Row::Note(i) => Some(*i),
        Row::Input { field, .. } | Row::Option { field, .. } => Some(*field),
    }
}

/// Word wrap to `width` columns. Lines of the source text are joined into paragraphs;
/// a blank line, or a line starting a list item (`- `, `1. `), starts a new one. A list
/// item keeps its indentation, and its wrapped lines line up with its text.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(10);
    // (first-line prefix, prefix of the following lines, text)
    let mut paragraphs: Vec<(String, String, String)> = Vec::new();
    for line in text.trim_matches('\n').split('\n') {
        let trimmed = line.trim_start();
        let marker = if trimmed.starts_with("- ") {
            Some(2)
        } else {
            trimmed
                .split_once(". ")
                .filter(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
                .map(|(n, _)| n.len() + 2)
        };
        match paragraphs.last_mut() {
            // A list item goes on over indented lines; an unindented line ends it.
            Some((_, indent, body))
                if !trimmed.is_empty()
                    && !body.is_empty()
                    && marker.is_none()
                    && (indent.is_empty() || line.len() > trimmed.len()) =>
            {
                body.push(' ');
                body.push_str(trimmed);
            }
            _ => {
                let (lead, indent) = match marker {
                    Some(w) => {
                        let lead = " ".repeat(line.len() - trimmed.len());
                        let indent = format!("{lead}{}", " ".repeat(w));
                        (lead, indent)
                    }
                    None => (String::new(), String::new()),
                };
                paragraphs.push((lead, indent, trimmed.to_string()));
            }
        }
    }
    let mut out = Vec::new();
    for (lead, indent, body) in paragraphs {
        let mut line = lead;
        for word in body.split_whitespace() {
            let len = line.chars().count();
            if !line.trim().is_empty() && len + 1 + word.chars().count() > width {
                out.push(std::mem::take(&mut line));
                line.push_str(&indent);
            }
            if !line.trim().is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wraps_paragraphs_and_list_items() {
        let text = "One two three\nfour five.\n\n- item one\n  goes on\n1. first";
        assert_eq!(
            wrap(text, 12),
            vec![
                "One two",
                "three four",
                "five.",
                "",
                "- item one",
                "  goes on",
                "1. first"
            ]
        );
        let items = "  1. one two three\n     four\n  10. five six seven";
        assert_eq!(
            wrap(items, 14),
            vec![
                "  1. one two",
                "     three",
                "     four",
                "  10. five six",
                "      seven"
            ]
        );
        let after = "1. one\n   two\nA paragraph after the list.";
        assert_eq!(
            wrap(after, 40),
            vec!["1. one two", "A paragraph after the list."]
        );
    }
}
