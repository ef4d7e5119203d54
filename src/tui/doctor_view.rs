//! Draws the doctor screen (`doctor_screen::Screen`): the checklist with each step's live
//! state, or an opened step with its findings and evidence; for the run history, a table of
//! every run with its status coloured by class and the selected run's status explained
//! beside it.
use super::doctor_screen::{state_of, Screen, Slot, View};
use super::theme::Theme;
use crate::check::State;
use crate::doctor::report::{RunRow, STEPS};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table, TableState, Wrap};
use ratatui::Frame;

fn block<'a>(theme: &Theme, title: String) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(title, theme.title()))
}

/// The mark, word and style of a step's state.
fn state_look(theme: &Theme, slot: &Slot) -> (&'static str, &'static str, Style) {
    match state_of(slot) {
        None if matches!(slot, Slot::Running(_)) => (
            if theme.ascii { "." } else { "\u{2026}" },
            "running",
            theme.dim(),
        ),
        None => (theme.mark_todo(), "waiting", theme.dim()),
        Some(State::Ok | State::Info) => (theme.mark_done(), "ok", theme.ok()),
        Some(State::Warning) => (theme.mark_warning(), "warning", theme.warning()),
        Some(State::Error) => (theme.mark_error(), "error", theme.error()),
        Some(State::Skipped) => ("-", "not checked", theme.dim()),
        Some(State::Pending) => (theme.mark_todo(), "waiting", theme.dim()),
    }
}

/// The style of a run status by its class.
pub fn status_style(theme: &Theme, class: &str) -> Style {
    match class {
        "ok" => theme.ok(),
        "running" => theme.title(),
        "no-start" | "stopped" => theme.error(),
        _ => theme.warning(),
    }
}

pub fn view(s: &mut Screen, theme: &Theme, f: &mut Frame) {
    let [main, foot] = Layout::default()
        .direction(Direction::Vertical)
        .constraints([Constraint::Min(3), Constraint::Length(2)])
        .areas(f.area());
    match s.view {
        View::List => list(s, theme, f, main),
        View::Step { index, scroll, row } => step(s, theme, f, main, (index, scroll, row)),
    }
    footer(s, theme, f, foot);
}

fn list(s: &mut Screen, theme: &Theme, f: &mut Frame, area: Rect) {
    let [steps, preview] = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(STEPS.len() as u16 + 2),
            Constraint::Min(3),
        ])
        .areas(area);
    let mut lines = Vec::new();
    for (i, slot) in s.slots.iter().enumerate() {
        let (mark, word, style) = state_look(theme, slot);
        let (_, n, title) = STEPS[i];
        let summary = match slot {
            Slot::Done(st) => st.summary.clone(),
            Slot::Running(what) => format!("{what}…"),
            Slot::Waiting => String::new(),
        };
        let cursor = if i == s.selected {
            theme.mark_current()
        } else {
            " "
        };
        let line = Line::from(vec![
            Span::raw(format!("{cursor} ")),
            Span::styled(format!("{mark} {word:<11} "), style),
            Span::styled(format!("{n}. {title}"), theme.label()),
            Span::styled(format!("  {summary}"), theme.dim()),
        ]);
        lines.push(if i == s.selected {
            line.style(theme.focus())
        } else {
            line
        });
    }
    f.render_widget(
        Paragraph::new(lines).block(block(
            theme,
            format!(
                " Doctor: the Sync troubleshooting checklist (seeds 001 and 004): {} ",
                s.from
            ),
        )),
        steps,
    );
    let text: Vec<Line> = s
        .lines(s.selected)
        .into_iter()
        .map(|l| tone_line(theme, l))
        .collect();
    f.render_widget(
        Paragraph::new(text)
            .wrap(Wrap { trim: false })
            .block(block(theme, " Enter opens the step ".to_string())),
        preview,
    );
}

/// A report line, coloured by what it is.
fn tone_line<'a>(theme: &Theme, l: String) -> Line<'a> {
    let t = l.trim_start();
    let style = if t.starts_with("error ") || t.starts_with("[ERROR]") {
        theme.error()
    } else if t.starts_with("warning ") || t.starts_with("[WARNING]") {
        theme.warning()
    } else if t.starts_with("seen:") {
        theme.dim()
    } else if t.starts_with("why:") || t.starts_with("fix:") {
        Style::new()
    } else if t.starts_with("[ok]") {
        theme.ok()
    } else {
        Style::new()
    };
    Line::styled(l, style)
}

fn step(s: &mut Screen, theme: &Theme, f: &mut Frame, area: Rect, at: (usize, usize, usize)) {
    let (index, scroll, row) = at;
    let (_, n, title) = STEPS[index];
    let runs: Vec<RunRow> = s.runs(index).into_iter().cloned().collect();
    let text_area = if runs.is_empty() {
        area
    } else {
        let [top, bottom] = Layout::default()
            .direction(Direction::Vertical)
            .constraints([Constraint::Percentage(55), Constraint::Min(4)])
            .areas(area);
        run_table(theme, f, top, &runs, row);
        s.page = top.height.saturating_sub(3) as usize;
        bottom
    };
    let lines: Vec<Line> = s
        .lines(index)
        .into_iter()
        .map(|l| tone_line(theme, l))
        .collect();
    if runs.is_empty() {
        s.page = text_area.height.saturating_sub(2) as usize;
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll.min(u16::MAX as usize) as u16, 0))
            .block(block(
                theme,
                format!(" {n}. {title}: findings and what was seen "),
            )),
        text_area,
    );
}

/// The width of a column: its widest value, at least `min` (the header), at most `max`.
fn widest(runs: &[RunRow], f: impl Fn(&RunRow) -> &String, min: usize, max: usize) -> u16 {
    runs.iter()
        .map(|r| f(r).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(min, max) as u16
}

fn run_table(theme: &Theme, f: &mut Frame, area: Rect, runs: &[RunRow], row: usize) {
    let [left, right] = Layout::default()
        .direction(Direction::Horizontal)
        .constraints([Constraint::Percentage(70), Constraint::Percentage(30)])
        .areas(area);
    let rows = runs.iter().map(|r| {
        Row::new(vec![
            Cell::from(r.ma.clone()),
            Cell::from(r.number.to_string()),
            Cell::from(r.profile.clone()),
            Cell::from(Span::styled(
                r.status.clone(),
                status_style(theme, &r.class),
            )),
            Cell::from(r.start.clone()),
            Cell::from(if r.errors > 0 {
                r.errors.to_string()
            } else {
                String::new()
            }),
        ])
    });
    let table = Table::new(
        rows,
        [
            Constraint::Length(widest(runs, |r| &r.ma, 2, 20)),
            Constraint::Length(5),
            Constraint::Length(widest(runs, |r| &r.profile, 7, 20)),
            Constraint::Length(widest(runs, |r| &r.status, 6, 40)),
            Constraint::Length(19),
            Constraint::Length(6),
        ],
    )
    .header(
        Row::new(vec![
            "MA",
            "Run",
            "Profile",
            "Status",
            "Start (UTC)",
            "Errors",
        ])
        .style(theme.label()),
    )
    .row_highlight_style(theme.focus())
    .block(block(
        theme,
        format!(" Run history: {} run(s), newest first ", runs.len()),
    ));
    let mut state =
        TableState::default().with_selected(Some(row.min(runs.len().saturating_sub(1))));
    f.render_stateful_widget(table, left, &mut state);
    let explain = match runs.get(row) {
        Some(r) => vec![
            Line::from(vec![
                Span::styled(format!("{} ", r.status), status_style(theme, &r.class)),
                Span::styled(format!("({})", r.class), theme.dim()),
            ]),
            Line::raw(""),
            Line::raw(r.meaning.clone()),
            Line::raw(""),
            Line::styled(
                format!("{} run {}: {} -> {}", r.ma, r.number, r.start, r.end),
                theme.dim(),
            ),
            Line::styled(
                format!("{} object error(s) in the run's details", r.errors),
                theme.dim(),
            ),
        ],
        None => vec![Line::raw("no run")],
    };
    f.render_widget(
        Paragraph::new(explain)
            .wrap(Wrap { trim: false })
            .block(block(theme, " What the status means ".to_string())),
        right,
    );
}

fn footer(s: &Screen, theme: &Theme, f: &mut Frame, area: Rect) {
    let keys = match s.view {
        View::List => "Up/Down: step   Enter: open   q: quit",
        View::Step { .. } => {
            "Up/Down: run or line   PgUp/PgDn: findings   Esc or Enter: back   q: quit"
        }
    };
    let status = if let Some(e) = &s.failed {
        Line::styled(e.clone(), theme.error())
    } else if s.finished {
        match s.report() {
            Some(r) => {
                let code = r.exit_code().code();
                let style = if code == 0 {
                    theme.ok()
                } else {
                    theme.warning()
                };
                Line::styled(
                    format!(
                        "done: {} ok, {} with warnings, {} with errors, {} not checked; exit code {code}",
                        r.count(State::Ok) + r.count(State::Info),
                        r.count(State::Warning),
                        r.count(State::Error),
                        r.count(State::Skipped)
                    ),
                    style,
                )
            }
            None => Line::raw("done"),
        }
    } else {
        Line::styled("working through the checklist…", theme.dim())
    };
    f.render_widget(
        Paragraph::new(vec![status, Line::styled(keys, theme.dim())]),
        area,
    );
}
