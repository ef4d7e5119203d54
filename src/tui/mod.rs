//! The terminal side of the wizard: drawing (`view`), input mapping, the terminal guard, and
//! the runtime loop that feeds actions to `wizard::update` and runs its effects.
//!
//! The runtime only executes: file effects in `effects`, check effects in `checks` (start or
//! cancel a run on the background executor), and it turns what comes back (keys, check
//! results, the time while checks settle or run) into actions. An idle wizard draws nothing
//! and plans nothing between events.
//!
//! `run` takes plain `Options` (the command line converts its clap arguments) and returns an
//! `ExitCode` or a `WizardError`, which the command line prints once the terminal is back.
mod apply;
mod apply_view;
mod check_worker;
mod demo;
mod demo_view;
pub mod doctor;
mod doctor_screen;
mod doctor_view;
mod effects;
mod findings;
pub mod input;
pub mod layout;
mod legend;
mod options;
mod pages;
mod popup;
mod record;
mod review_view;
mod runtime;
mod terminal;
pub mod theme;
mod view;

pub use effects::Context;
pub use options::{DemoStart, Options, WizardError};
pub use runtime::run;
pub use view::view;
