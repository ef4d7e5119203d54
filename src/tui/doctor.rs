//! `mim-setup doctor` on a terminal: the doctor screen. A worker thread works through the
//! checklist with `doctor::analyse_each` (the same checks and reports as the headless
//! command) and sends each step as it is done; the SQL readings are read live there when a
//! profile (or the demo) gives a SQL Server. The loop draws the steps' live state and takes
//! the keys; the terminal is restored on every way out, and what the run found is printed
//! once it is back: the report's last line, or the live reading's error (exit 2).
use super::doctor_screen::{Key, Msg, Screen};
use super::terminal::Guard;
use super::theme::Theme;
use crate::doctor::inputs::Collection;
use crate::doctor::report::{summary_line, STEPS};
use crate::exit::ExitCode;
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// Reads live what the profile (or the demo) gives: the SQL readings, the Sync database's
/// name and the directory's answers; its error is the message shown and printed.
pub type LiveRead = Box<dyn FnOnce() -> Result<crate::doctor::Live, String> + Send>;

/// What the doctor screen works on.
pub struct DoctorStart {
    pub collection: Collection,
    pub options: crate::doctor::Options,
    /// What the report says it read: the folder, and the SQL Server read live.
    pub from: String,
    pub live: Option<LiveRead>,
    pub ascii: bool,
}

fn worker(start: DoctorStart, tx: mpsc::Sender<Msg>) {
    let DoctorStart {
        mut collection,
        options,
        live,
        ..
    } = start;
    let failed = std::cell::RefCell::new(None::<String>);
    let mut live = live;
    let _ = tx.send(Msg::Running(0, "reading".to_string()));
    let tx_sql = tx.clone();
    let mut before_live = |c: &mut Collection| {
        if let Some(read) = live.take() {
            let _ = tx_sql.send(Msg::Running(
                4,
                "asking the directory and SQL Server live".to_string(),
            ));
            match read() {
                Ok(l) => {
                    l.fill(c);
                }
                Err(e) => {
                    let _ = tx_sql.send(Msg::Failed(e.clone()));
                    *failed.borrow_mut() = Some(e);
                }
            }
        }
    };
    let tx_step = tx.clone();
    let mut each = |mut st: crate::doctor::report::StepReport| {
        if st.id == "sql" || (st.id == "pcns" && st.state == crate::check::State::Skipped) {
            if let Some(e) = failed.borrow().as_ref() {
                st = crate::doctor::report::StepReport::new(st.id).skipped(e.clone());
            }
        }
        let next = STEPS
            .iter()
            .position(|s| s.0 == st.id)
            .map_or(STEPS.len(), |i| i + 1);
        let _ = tx_step.send(Msg::Step(st));
        if next < STEPS.len() {
            let _ = tx_step.send(Msg::Running(next, "checking".to_string()));
        }
    };
    if let Err(e) =
        crate::doctor::analyse_each(&mut collection, &options, &mut before_live, &mut each)
    {
        let _ = tx.send(Msg::Failed(format!("mim-setup doctor: {e}")));
    }
    let _ = tx.send(Msg::Finished);
}

fn key_of(ev: &Event) -> Option<Result<Key, ()>> {
    let Event::Key(k) = ev else { return None };
    if k.kind == KeyEventKind::Release {
        return None;
    }
    if k.modifiers.contains(KeyModifiers::CONTROL) && k.code == KeyCode::Char('c') {
        return Some(Err(()));
    }
    let key = match k.code {
        KeyCode::Up | KeyCode::Char('k') => Key::Up,
        KeyCode::Down | KeyCode::Char('j') => Key::Down,
        KeyCode::PageUp => Key::PageUp,
        KeyCode::PageDown | KeyCode::Char(' ') => Key::PageDown,
        KeyCode::Home | KeyCode::Char('g') => Key::Home,
        KeyCode::End | KeyCode::Char('G') => Key::End,
        KeyCode::Enter | KeyCode::Right | KeyCode::Char('l') => Key::Enter,
        KeyCode::Esc | KeyCode::Backspace | KeyCode::Left | KeyCode::Char('h') => Key::Back,
        KeyCode::Char('q') => Key::Quit,
        _ => return None,
    };
    Some(Ok(key))
}

/// Runs the doctor screen until the user leaves it; its exit code is the report's (0 or
/// 1), 2 when the live SQL readings failed, 130 when left by Ctrl-C or before the checklist
/// was done, 143 on a termination signal.
pub fn run(start: DoctorStart) -> std::io::Result<ExitCode> {
    let theme = Theme::from_env(start.ascii);
    let mut screen = Screen::new(&start.from);
    let (tx, rx) = mpsc::channel();
    let stop = Arc::new(AtomicBool::new(false));
    {
        let flag = Arc::clone(&stop);
        if let Err(e) = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst)) {
            tracing::warn!("cannot watch termination signals: {e}");
        }
    }
    std::thread::Builder::new()
        .name("doctor".to_string())
        .spawn(move || worker(start, tx))?;
    let mut guard = Guard::new(None)?;
    let mut interrupted = false;
    let result = (|| -> std::io::Result<()> {
        let mut dirty = true;
        loop {
            while let Ok(m) = rx.try_recv() {
                screen.message(m);
                dirty = true;
            }
            if stop.load(Ordering::SeqCst) {
                interrupted = true;
                return Ok(());
            }
            if dirty {
                guard
                    .terminal
                    .draw(|f| super::doctor_view::view(&mut screen, &theme, f))?;
                dirty = false;
            }
            if !event::poll(Duration::from_millis(100))? {
                continue;
            }
            let ev = event::read()?;
            dirty = true;
            match key_of(&ev) {
                Some(Err(())) => {
                    interrupted = true;
                    return Ok(());
                }
                Some(Ok(k)) => screen.key(k),
                None => {}
            }
            if screen.quit {
                return Ok(());
            }
        }
    })();
    // As for the wizard: restored by hand, the guard forgotten (ratatui's drop panics on a
    // terminal that is gone).
    std::mem::forget(guard);
    super::terminal::restore();
    result?;
    let terminated = stop.load(Ordering::SeqCst);
    let mut out = std::io::stdout();
    let mut err = std::io::stderr();
    if let Some(e) = &screen.failed {
        let _ = writeln!(err, "{e}");
        return Ok(ExitCode::Unusable);
    }
    match screen.report() {
        Some(r) if screen.finished && !interrupted => {
            let _ = writeln!(out, "{}", summary_line(&r));
            Ok(r.exit_code())
        }
        _ => {
            let _ = writeln!(
                err,
                "mim-setup doctor: left before the checklist was done; nothing was changed."
            );
            Ok(if terminated {
                ExitCode::Terminated
            } else {
                ExitCode::Interrupted
            })
        }
    }
}
