//! Drawing the apply screen: a confirmation first, then one progress bar per step, the
//! latest notes, and the tail of the running step's log.
//!
//! ```text
//!   +- Apply mim-sync.plan.toml --------------------------------+
//!   | [1/5] install-sync-service   ################## done      |
//!   | [2/5] create-key-backup...   #######----------- 12 s      |
//!   | [3/5] export-encryption-key  ------------------ waiting   |
//!   | notes (drift, resume, restart needed)                      |
//!   +- log: ...install-sync-service.log -------------------------+
//!   | last lines of the step's log                               |
//!   +------------------------------------------------------------+
//! ```
use super::theme::Theme;
use crate::apply::StepState;
use crate::wizard::apply::{ApplyScreen as ApplyState, Phase, Row};
use ratatui::layout::{Constraint, Direction, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, LineGauge, Paragraph, Wrap};
use ratatui::Frame;
use std::time::Duration;

/// A bar's fill for a running step: grows with time and never reaches the end.
fn running_ratio(elapsed: Duration) -> f64 {
    let t = elapsed.as_secs_f64();
    0.95 * t / (t + 30.0)
}

fn bar(row: &Row, theme: &Theme) -> (f64, String, ratatui::style::Style) {
    let secs = row.elapsed.as_secs();
    match row.state {
        None => (0.0, "waiting".into(), theme.dim()),
        Some(StepState::Started) => (
            running_ratio(row.elapsed),
            format!("running {secs} s"),
            theme.focus(),
        ),
        Some(StepState::Done) => (1.0, format!("done ({secs} s)"), theme.ok()),
        Some(StepState::AlreadyDone) => (1.0, "done before".into(), theme.ok()),
        Some(StepState::Shown) => (1.0, "manual: shown".into(), theme.warning()),
        Some(StepState::WouldRun) => (0.0, "would run".into(), theme.dim()),
        Some(StepState::Failed) => (1.0, "FAILED".into(), theme.error()),
    }
}

pub fn draw(s: &ApplyState, theme: &Theme, frame: &mut Frame) {
    let area = frame.area();
    let name = s
        .plan
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let outer = Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border())
        .title(Span::styled(format!(" Apply {name} "), theme.title()));
    let inner = outer.inner(area);
    frame.render_widget(outer, area);
    if s.phase == Phase::Confirm {
        let mut text = vec![
            Line::from(format!(
                "Run the {} steps of this plan on this computer now?",
                s.rows.len()
            )),
            Line::from(""),
            Line::from(format!("Plan: {}", s.plan.display())),
            Line::from(format!("Programs: {}", s.mode)),
            Line::from("Steps already done (journal beside the plan) are not run again."),
            Line::from(Span::styled(
                "Y  run the plan      N or Esc  close without running",
                theme.label(),
            )),
            Line::from(Span::styled(
                "Later: mim-setup apply PLAN (headless, same checks)",
                theme.dim(),
            )),
            Line::from(""),
        ];
        // What each step will run, secrets as their placeholders.
        let total = s.rows.len();
        for (i, row) in s.rows.iter().enumerate() {
            text.push(Line::from(Span::styled(
                format!("[{}/{total}] {}", i + 1, row.id),
                theme.label(),
            )));
            text.push(Line::from(Span::styled(
                format!("      {}", row.command),
                theme.dim(),
            )));
        }
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    let rows = s.rows.len() as u16;
    let parts = Layout::default()
        .direction(Direction::Vertical)
        .constraints([
            Constraint::Length(rows.min(inner.height.saturating_sub(6))),
            Constraint::Length(3),
            Constraint::Min(3),
        ])
        .split(inner);
    draw_rows(s, theme, frame, parts[0]);
    let last: Vec<Line> = s
        .notes
        .iter()
        .rev()
        .take(3)
        .rev()
        .map(|n| Line::from(n.lines().next().unwrap_or("").to_string()))
        .collect();
    frame.render_widget(Paragraph::new(last).wrap(Wrap { trim: true }), parts[1]);
    let title = match (&s.phase, &s.log) {
        (Phase::Done(code), _) => format!(" finished: exit code {code}; any key closes "),
        (_, Some(log)) => format!(" log: {} ", log.display()),
        _ => " log ".to_string(),
    };
    let block = Block::default()
        .borders(Borders::TOP)
        .border_set(theme.border())
        .title(Span::styled(title, theme.label()));
    let height = parts[2].height.saturating_sub(1) as usize;
    let tail: Vec<Line> = s
        .tail
        .iter()
        .skip(s.tail.len().saturating_sub(height))
        .map(|l| Line::from(l.clone()))
        .collect();
    frame.render_widget(Paragraph::new(tail).block(block), parts[2]);
}

fn draw_rows(s: &ApplyState, theme: &Theme, frame: &mut Frame, area: Rect) {
    let total = s.rows.len();
    // Keep the running step in view when not every row fits.
    let current = s
        .rows
        .iter()
        .position(|r| r.state == Some(StepState::Started))
        .unwrap_or(0);
    let first = current.saturating_sub(area.height.saturating_sub(1) as usize);
    // Wide enough for the longest "[n/N] id", up to half the screen.
    let longest = s
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| format!("[{}/{}] {}", i + 1, total, r.id).chars().count())
        .max()
        .unwrap_or(0);
    let label_width = longest.max(20).min(area.width as usize / 2);
    for (i, row) in s
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(area.height as usize)
    {
        let y = area.y + (i - first) as u16;
        let label = format!("[{}/{}] {}", i + 1, total, row.id);
        let label: String = label.chars().take(label_width).collect();
        let (ratio, text, style) = bar(row, theme);
        let left = Rect {
            x: area.x,
            y,
            width: label_width as u16,
            height: 1,
        };
        let right = Rect {
            x: area.x + label_width as u16 + 1,
            y,
            width: area.width.saturating_sub(label_width as u16 + 1),
            height: 1,
        };
        frame.render_widget(Paragraph::new(label), left);
        let gauge = LineGauge::default()
            .filled_style(style)
            .unfilled_style(theme.dim())
            .label(Span::styled(format!("{text:<14}"), style))
            .ratio(ratio.clamp(0.0, 1.0));
        frame.render_widget(gauge, right);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::backend::TestBackend;
    use ratatui::Terminal;
    use std::path::PathBuf;

    fn screen(s: &ApplyState) -> String {
        screen_at(s, 80, 24)
    }

    fn screen_at(s: &ApplyState, w: u16, h: u16) -> String {
        let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        let theme = Theme::from_env(true);
        t.draw(|f| draw(s, &theme, f)).expect("draw");
        let buf = t.backend().buffer().clone();
        let mut out = String::new();
        for y in 0..buf.area.height {
            for x in 0..buf.area.width {
                out.push_str(buf[(x, y)].symbol());
            }
            out.push('\n');
        }
        out
    }

    fn state(phase: Phase) -> ApplyState {
        let row = |id: &str, state, secs| Row {
            id: id.into(),
            command: format!("{id}.exe /run"),
            state,
            elapsed: Duration::from_secs(secs),
        };
        ApplyState {
            plan: PathBuf::from("/x/mim-sync.plan.toml"),
            mode: "stand-ins from tests/runner".into(),
            phase,
            rows: vec![
                row("install-sync-service", Some(StepState::Done), 40),
                row("create-key-backup-folder", Some(StepState::Started), 12),
                row("verify-sync-service", None, 0),
            ],
            notes: vec!["no facts recorded: drift not checked".into()],
            log: Some(PathBuf::from("/x/logs/create-key-backup-folder.output.log")),
            redact: Vec::new(),
            tail: (1..=40).map(|i| format!("log line {i}")).collect(),
            started: None,
        }
    }

    #[test]
    fn a_bar_per_step_and_the_tail_of_the_running_steps_log() {
        let got = screen(&state(Phase::Running));
        assert!(got.contains("Apply mim-sync.plan.toml"), "{got}");
        assert!(got.contains("[1/3] install-sync-service"), "{got}");
        assert!(got.contains("done (40 s)"), "{got}");
        assert!(got.contains("running 12 s"), "{got}");
        assert!(got.contains("waiting"), "{got}");
        assert!(got.contains("drift not checked"), "{got}");
        assert!(
            got.contains("log: /x/logs/create-key-backup-folder.output.log"),
            "{got}"
        );
        // The newest lines of the log, down to the last.
        assert!(got.contains("log line 40"), "{got}");
        assert!(!got.contains("log line 1\n"), "{got}");
    }

    #[test]
    fn the_confirmation_comes_first_and_says_what_runs() {
        let got = screen(&state(Phase::Confirm));
        assert!(got.contains("Run the 3 steps of this plan"), "{got}");
        assert!(got.contains("stand-ins from tests/runner"), "{got}");
        assert!(got.contains("Y  run the plan"), "{got}");
        // The commands it will run, under each step.
        assert!(got.contains("[2/3] create-key-backup-folder"), "{got}");
        assert!(got.contains("create-key-backup-folder.exe /run"), "{got}");
        assert!(!got.contains("running 12 s"), "{got}");
        let done = screen(&state(Phase::Done(1)));
        assert!(
            done.contains("finished: exit code 1; any key closes"),
            "{done}"
        );
    }

    /// The longest step ids of the Service and Portal plan are not cut at 120 columns.
    #[test]
    fn long_step_ids_are_shown_whole() {
        let mut s = state(Phase::Running);
        for id in ["add-portal-to-local-intranet", "enable-own-attributes-mpr"] {
            s.rows.push(Row {
                id: id.into(),
                command: String::new(),
                state: None,
                elapsed: Duration::ZERO,
            });
        }
        for _ in 0..7 {
            s.rows.push(s.rows[2].clone());
        }
        let got = screen_at(&s, 120, 40);
        assert!(
            got.contains("[4/12] add-portal-to-local-intranet "),
            "{got}"
        );
        assert!(got.contains("[5/12] enable-own-attributes-mpr "), "{got}");
    }

    #[test]
    fn running_bars_grow_and_stay_short_of_full() {
        assert_eq!(running_ratio(Duration::ZERO), 0.0);
        assert!(running_ratio(Duration::from_secs(10)) < running_ratio(Duration::from_secs(60)));
        assert!(running_ratio(Duration::from_secs(100_000)) < 0.96);
    }
}
