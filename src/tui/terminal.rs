//! The terminal guard: raw mode, alternate screen and mouse capture on, and all of it undone
//! on every way out: normal return, error, panic (a chained panic hook), and the signals the
//! runtime turns into actions.
use super::record::{Output, Tap};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    disable_raw_mode, enable_raw_mode, EnterAlternateScreen, LeaveAlternateScreen,
};
use crossterm::{cursor, execute};
use ratatui::backend::CrosstermBackend;
use ratatui::Terminal;
use std::io;

/// The terminal, drawn through standard output (recorded with `--record`).
pub type Term = Terminal<CrosstermBackend<Output>>;

/// Owns the terminal while the wizard runs; dropping it restores the terminal.
pub struct Guard {
    pub terminal: Term,
}

impl Guard {
    /// Takes the terminal; with a `tap`, what is drawn is also recorded.
    pub fn new(tap: Option<Tap>) -> io::Result<Guard> {
        install_panic_hook();
        enable_raw_mode()?;
        let mut out = Output::new(tap);
        if let Err(e) = execute!(
            out,
            EnterAlternateScreen,
            EnableMouseCapture,
            EnableBracketedPaste
        ) {
            restore();
            return Err(e);
        }
        match Terminal::new(CrosstermBackend::new(out)) {
            Ok(terminal) => Ok(Guard { terminal }),
            Err(e) => {
                restore();
                Err(e)
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Puts the terminal back as it was; safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // A live check that panics is reported on its screen as a failed check; the wizard
        // goes on, so its terminal stays as it is and the panic goes to the log only.
        if std::thread::current()
            .name()
            .is_some_and(|n| n.starts_with(crate::check::live::THREAD_NAME))
        {
            tracing::error!("a live check panicked: {info}");
            return;
        }
        restore();
        previous(info);
    }));
}
