//! What can happen to the wizard (actions) and what it asks the runtime to do (effects).
use super::apply::{ApplyScreen, Progress};
use super::live::{CheckDone, CheckRun};
use super::model::Focus;
use crate::profile::Profile;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    FocusNext,
    FocusPrev,
    /// Focus a field or button (mouse).
    Focus(Focus),
    Input(char),
    /// Pasted text, typed into the focused field (line breaks dropped).
    Paste(String),
    Backspace,
    Delete,
    /// Ctrl-U, Ctrl-K, Ctrl-W, Alt-Backspace: erase more than one character.
    Erase(Erase),
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    Up,
    Down,
    PageUp,
    PageDown,
    /// Space: tick a checkbox, or move a choice to its next option.
    Toggle,
    /// Pick option `option` of field `field` (mouse).
    Select {
        field: usize,
        option: usize,
    },
    /// Enter: next field, or the focused button.
    Enter,
    Next,
    /// Esc: back one screen, or close a popup.
    Back,
    /// The Cancel button or Ctrl-Q: asks "really quit?".
    Cancel,
    Help,
    /// F2 on a secret: switch between an environment variable and a prompt at install time.
    CycleSecretSource,
    /// Ctrl-R: run this screen's live checks again.
    RetryChecks,
    /// Ctrl-O: turn the live checks off for the rest of this run.
    ChecksOff,
    /// Go to a screen already visited (step list click).
    JumpTo(String),
    /// Ctrl-C: leave now, keeping the draft.
    Interrupt,
    /// SIGTERM/SIGHUP: leave now, keeping the draft.
    Terminate,
    /// How far the current text page can scroll at the terminal's size (from the layout).
    ScrollLimit(u16),
    /// Ctrl-Up / Ctrl-Down (or the wheel over it): scroll the findings panel by lines.
    ScrollFindings(i16),
    /// How far the findings panel can scroll at the terminal's size (from the layout).
    FindingsLimit(u16),
    DraftSaved(Result<PathBuf, String>),
    Finished(Result<Outputs, String>),
    /// The time, from the runtime while checks wait to settle or run (update has no clock).
    Tick(Instant),
    /// A live check run finished.
    Checked(Box<CheckDone>),
    /// The apply screen, read from the plan the finish wrote (key A).
    ApplyOpened(Box<ApplyScreen>),
    /// Progress of the running plan, stamped with when the runtime received it.
    Applying(Box<Progress>, Instant),
    /// The last lines of the running step's log, as read (redacted by `update`).
    ApplyTail(Vec<String>),
    /// The review file was written (its path), or why not.
    ReviewWritten(Result<PathBuf, String>),
    /// `mim-setup demo`, F6: show or hide the narration panel.
    Narration,
    /// `mim-setup demo`, F7: open or close the fault panel.
    Faults,
    /// `mim-setup demo`, F8: autoplay plays on from this screen.
    Autoplay,
    /// The demo server now has the fault (name) on or off.
    FaultSwitched(String, bool),
}

/// What an erasing key removes, from the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erase {
    /// Ctrl-U: everything before the cursor.
    ToStart,
    /// Ctrl-K: everything from the cursor on.
    ToEnd,
    /// Ctrl-W: the word before the cursor, up to a space (`contoso\MIMSync` goes whole).
    Word,
    /// Alt-Backspace: the word before the cursor, up to a punctuation mark or a space
    /// (`contoso\MIMSync` loses `MIMSync`).
    WordPart,
}

/// Work for the runtime; its results come back as actions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Save the draft (answers so far, references only) to the state folder.
    SaveDraft(Profile),
    /// Save the profile, write the plan from it (with the facts the live checks saw), and
    /// discard the draft.
    Finish(Profile),
    /// Start a live check run (cancelling the key's pending one); it ends in `Action::Checked`.
    StartCheck(Box<CheckRun>),
    /// Cancel the pending run of a probe key that is no longer wanted.
    CancelCheck(String),
    /// Read the plan and open the apply screen on it; ends in `Action::ApplyOpened`.
    OpenApply(PathBuf),
    /// Apply the plan (confirmed); progress comes back as `Action::Applying`.
    StartApply(PathBuf),
    /// Write the review file (stamped with the time now); ends in `Action::ReviewWritten`.
    WriteReview(PathBuf, Box<crate::review::record::Record>),
    /// `mim-setup demo`: switch the named fault on or off in the running demo server; ends
    /// in `Action::FaultSwitched`.
    SwitchFault(String, bool),
}

/// Where the finished run wrote its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outputs {
    pub profile: PathBuf,
    pub plan: PathBuf,
    /// One line per plan step, for the finish screen.
    pub steps: Vec<String>,
}

/// Why the wizard stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Finished,
    /// Finished, and the apply screen was opened from the finish screen: the exit code of
    /// the apply (0 when it was closed without running).
    Applied(i32),
    Cancelled,
    Interrupted,
    Terminated,
}

impl Exit {
    pub fn code(self) -> i32 {
        match self {
            Exit::Finished => 0,
            Exit::Applied(code) => code,
            Exit::Cancelled => 1,
            Exit::Interrupted => 130,
            Exit::Terminated => 143,
        }
    }
}
