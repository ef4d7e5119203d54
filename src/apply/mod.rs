//! `mim-setup apply PLAN`: runs an install plan exactly as it was reviewed.
//!
//! ```text
//!   plan file --load: integrity hash, profile hash--> Plan
//!     --approvals: signed approvals beside the plan, if --allowed-signers--> refuse unless N
//!     --drift: recorded facts vs a FactSource--> refuse unless --accept-drift
//!     --lock PLAN.lock, read PLAN.journal.jsonl--> steps not yet done, in order:
//!         resolve secrets (crate::secret) -> journal "started" -> child process
//!         -> journal "done" | "failed" (MSI log excerpt, hint) ; manual steps "shown"
//! ```
//!
//! Off Windows the default is a dry run that prints what would run; `--runner DIR` (or
//! `MIM_SETUP_RUNNER`) runs stand-in executables instead of the real programs. Progress goes
//! through the `Progress` trait: plain lines headless (`Lines`), a view in the TUI.
//!
//! `args.rs` holds the clap options, `command.rs` turns them into `Options` and returns
//! what stopped the run (`ApplyError`); `crate::cli` prints it and exits with its code.
pub mod approvals;
pub mod args;
pub mod command;
pub mod drift;
pub mod exec;
pub mod journal;
pub mod load;
pub mod msilog;
mod run;
mod show;

pub use drift::{Change, FactSource, Facts};
pub use exec::Mode;
pub use run::run_plan;

use std::fmt;
use std::path::PathBuf;

/// What `apply` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub plan: PathBuf,
    pub resume: bool,
    pub accept_drift: bool,
    /// The profile to check the plan against, instead of the path it records.
    pub profile: Option<PathBuf>,
    pub mode: Mode,
    /// Approvals the plan needs before it runs (`--allowed-signers`); none: no gate.
    pub approvals: Option<approvals::Gate>,
}

/// A reason to stop, with its exit code: 1 refused or failed, 2 unusable input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stop {
    pub code: i32,
    pub what: String,
    pub fix: String,
}

impl Stop {
    pub fn unusable(what: impl Into<String>, fix: &str) -> Stop {
        Stop {
            code: 2,
            what: what.into(),
            fix: fix.into(),
        }
    }

    pub fn failed(what: impl Into<String>, fix: &str) -> Stop {
        Stop {
            code: 1,
            what: what.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mim-setup: {}\n  fix: {}", self.what, self.fix)
    }
}

/// A step's state as progress reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepState {
    /// Running now; `log` is the file to follow.
    Started,
    Done,
    Failed,
    /// A manual step, shown to the person installing.
    Shown,
    /// Done in an earlier run; not run again.
    AlreadyDone,
    /// Would run (dry run).
    WouldRun,
}

/// One step's progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepEvent {
    /// 1-based.
    pub index: usize,
    pub total: usize,
    pub id: String,
    pub state: StepState,
    /// What to show: the description, the command, an exit code, an excerpt.
    pub text: String,
    pub log: Option<PathBuf>,
    /// The secret values the step was given, for whoever shows `log`: programs such as
    /// msiexec write their own logs, which only we can redact (Debug shows them as ***).
    pub redact: Vec<crate::secret::Secret>,
}

/// Where progress goes.
pub trait Progress {
    /// A line for the person installing.
    fn note(&mut self, text: &str);
    fn step(&mut self, event: &StepEvent);
}

/// Plain progress lines on standard output (headless).
pub struct Lines;

impl Progress for Lines {
    fn note(&mut self, text: &str) {
        println!("{text}");
    }

    fn step(&mut self, e: &StepEvent) {
        let state = match e.state {
            StepState::Started => "running",
            StepState::Done => "done",
            StepState::Failed => "FAILED",
            StepState::Shown => "manual step (do it yourself)",
            StepState::AlreadyDone => "already done, not run again",
            StepState::WouldRun => "would run",
        };
        println!("[{}/{}] {}: {state}", e.index, e.total, e.id);
        for line in e.text.lines() {
            println!("      {line}");
        }
    }
}
