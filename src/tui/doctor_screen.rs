//! The doctor screen's state and keys, without a terminal: the checklist of
//! `doctor::report::STEPS` with each step's live state (waiting, running, its result as it
//! comes from `doctor::analyse_each`), a step opened with Enter (its findings and evidence,
//! the lines of the text report), and for the run history a table of every run with the
//! selected run's status explained.
use crate::check::State;
use crate::doctor::report::{step_lines, Report, RunRow, StepReport, STEPS};

/// What the worker sends while it works through the checklist.
#[derive(Debug)]
pub enum Msg {
    /// The worker is on this step (the SQL step may read SQL Server live first).
    Running(usize, String),
    Step(StepReport),
    /// The live SQL readings failed: the command exits 2 after the screen, as headless.
    Failed(String),
    Finished,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Enter,
    Back,
    Quit,
}

#[derive(Debug, Clone)]
pub enum Slot {
    Waiting,
    Running(String),
    Done(Box<StepReport>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    List,
    /// A step opened: `scroll` is the first line of its findings shown; for the run
    /// history, `row` is the selected run of the table (newest first).
    Step {
        index: usize,
        scroll: usize,
        row: usize,
    },
}

pub struct Screen {
    pub from: String,
    pub slots: Vec<Slot>,
    pub selected: usize,
    pub view: View,
    pub finished: bool,
    pub failed: Option<String>,
    pub quit: bool,
    /// Rows of the opened step's findings box and of the run table, set by the view.
    pub page: usize,
}

impl Screen {
    pub fn new(from: &str) -> Screen {
        Screen {
            from: from.to_string(),
            slots: vec![Slot::Waiting; STEPS.len()],
            selected: 0,
            view: View::List,
            finished: false,
            failed: None,
            quit: false,
            page: 10,
        }
    }

    pub fn step(&self, i: usize) -> Option<&StepReport> {
        match self.slots.get(i) {
            Some(Slot::Done(s)) => Some(s),
            _ => None,
        }
    }

    pub fn message(&mut self, m: Msg) {
        match m {
            Msg::Running(i, what) => {
                if let Some(s) = self.slots.get_mut(i) {
                    *s = Slot::Running(what);
                }
            }
            Msg::Step(st) => {
                if let Some(i) = STEPS.iter().position(|s| s.0 == st.id) {
                    self.slots[i] = Slot::Done(Box::new(st));
                }
            }
            Msg::Failed(e) => self.failed = Some(e),
            Msg::Finished => self.finished = true,
        }
    }

    /// The report, once every step is done.
    pub fn report(&self) -> Option<Report> {
        let steps: Option<Vec<StepReport>> = (0..self.slots.len())
            .map(|i| self.step(i).cloned())
            .collect();
        Some(Report {
            from: self.from.clone(),
            steps: steps?,
        })
    }

    /// The opened step's lines (the text report's block of the step).
    pub fn lines(&self, i: usize) -> Vec<String> {
        match self.slots.get(i) {
            Some(Slot::Done(s)) => step_lines(s),
            Some(Slot::Running(what)) => vec![format!("{what}…")],
            _ => vec!["not checked yet".to_string()],
        }
    }

    /// The run table's rows, newest first.
    pub fn runs(&self, i: usize) -> Vec<&RunRow> {
        let mut v: Vec<&RunRow> = self
            .step(i)
            .map(|s| s.runs.iter().collect())
            .unwrap_or_default();
        v.sort_by(|a, b| (b.start.as_str(), b.number).cmp(&(a.start.as_str(), a.number)));
        v
    }

    pub fn key(&mut self, k: Key) {
        let page = self.page.max(1);
        match (self.view, k) {
            (_, Key::Quit) => self.quit = true,
            (View::List, Key::Back) => self.quit = true,
            (View::List, Key::Up) => self.selected = self.selected.saturating_sub(1),
            (View::List, Key::Down) => self.selected = (self.selected + 1).min(STEPS.len() - 1),
            (View::List, Key::Home | Key::PageUp) => self.selected = 0,
            (View::List, Key::End | Key::PageDown) => self.selected = STEPS.len() - 1,
            (View::List, Key::Enter) => {
                self.view = View::Step {
                    index: self.selected,
                    scroll: 0,
                    row: 0,
                }
            }
            (View::Step { .. }, Key::Back | Key::Enter) => self.view = View::List,
            (View::Step { index, scroll, row }, k) => {
                let runs = self.runs(index).len();
                let lines = self.lines(index).len();
                let table = runs > 0;
                let (mut scroll, mut row) = (scroll, row);
                match k {
                    Key::Up if table => row = row.saturating_sub(1),
                    Key::Down if table => row = (row + 1).min(runs - 1),
                    Key::Up => scroll = scroll.saturating_sub(1),
                    Key::Down => scroll += 1,
                    Key::PageUp => scroll = scroll.saturating_sub(page),
                    Key::PageDown => scroll += page,
                    Key::Home if table => row = 0,
                    Key::End if table => row = runs - 1,
                    Key::Home => scroll = 0,
                    Key::End => scroll = lines,
                    _ => {}
                }
                self.view = View::Step {
                    index,
                    scroll: scroll.min(lines.saturating_sub(1)),
                    row,
                };
            }
        }
    }
}

/// The state mark's tone: a step not yet done is waiting or running.
pub fn state_of(slot: &Slot) -> Option<State> {
    match slot {
        Slot::Done(s) => Some(s.state),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::report::RunRow;

    fn runs_step() -> StepReport {
        let mut st = StepReport::new("runs");
        for (n, status, start) in [
            (1, "success", "2026-11-30 01:00:00"),
            (2, "stopped-server", "2026-11-30 02:00:00"),
        ] {
            st.runs.push(RunRow {
                ma: "AD".into(),
                number: n,
                profile: "Full Import".into(),
                status: status.into(),
                start: start.into(),
                end: start.into(),
                errors: 0,
                class: "ok".into(),
                meaning: "m".into(),
            });
        }
        st.summary = "2 runs".into();
        st
    }

    #[test]
    fn steps_arrive_in_any_order_and_the_report_waits_for_all() {
        let mut s = Screen::new("x");
        s.message(Msg::Running(0, "reading".into()));
        assert!(matches!(s.slots[0], Slot::Running(_)));
        s.message(Msg::Step(runs_step()));
        assert!(s.step(2).is_some());
        assert!(s.report().is_none());
        for (id, _, _) in STEPS {
            s.message(Msg::Step(StepReport::new(id)));
        }
        assert_eq!(s.report().map(|r| r.steps.len()), Some(8));
    }

    #[test]
    fn enter_opens_a_step_the_table_moves_and_back_returns() {
        let mut s = Screen::new("x");
        s.message(Msg::Step(runs_step()));
        s.key(Key::Down);
        s.key(Key::Down);
        s.key(Key::Enter);
        assert_eq!(
            s.view,
            View::Step {
                index: 2,
                scroll: 0,
                row: 0
            }
        );
        // Newest first: run 2 is the first row.
        assert_eq!(s.runs(2)[0].number, 2);
        s.key(Key::Down);
        s.key(Key::Down);
        assert!(matches!(s.view, View::Step { row: 1, .. }));
        s.key(Key::Back);
        assert_eq!(s.view, View::List);
        assert!(!s.quit);
        s.key(Key::Back);
        assert!(s.quit);
    }

    #[test]
    fn the_list_stops_at_both_ends_and_scroll_stays_in_the_text() {
        let mut s = Screen::new("x");
        s.key(Key::Up);
        assert_eq!(s.selected, 0);
        for _ in 0..20 {
            s.key(Key::Down);
        }
        assert_eq!(s.selected, STEPS.len() - 1);
        s.key(Key::Enter);
        for _ in 0..5 {
            s.key(Key::PageDown);
        }
        assert!(matches!(s.view, View::Step { scroll: 0, .. }));
    }
}
