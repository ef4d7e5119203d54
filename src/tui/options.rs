//! What the interactive run is started with: plain options (the command line converts its
//! arguments into them), and why it could not run.
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A profile whose answers the wizard starts from.
    pub profile: Option<PathBuf>,
    /// Continue the saved draft.
    pub resume: bool,
    /// ASCII borders and no colour.
    pub ascii: bool,
    /// Run no live check.
    pub offline: bool,
    /// Acknowledged warnings are not shown on their screen's first visit.
    pub quiet_acknowledged: bool,
    /// Folder for the saved profile and the install plan.
    pub out: PathBuf,
    /// `mim-setup review`: the screens read-only on this walk; only the review is written.
    pub review: Option<Box<crate::review::Start>>,
    /// `mim-setup demo`: the running demo environment the wizard checks against.
    pub demo: Option<std::rc::Rc<DemoStart>>,
}

/// What `mim-setup demo` starts the wizard with.
pub struct DemoStart {
    pub env: crate::lab::env::Environment,
    /// `--autoplay [SPEED]`.
    pub autoplay: Option<f64>,
    /// `--record FILE.cast`.
    pub record: Option<PathBuf>,
}

impl std::fmt::Debug for DemoStart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DemoStart")
            .field("scenario", &self.env.scenario)
            .field("autoplay", &self.autoplay)
            .field("record", &self.record)
            .finish()
    }
}

/// Why the wizard did not run, or stopped on a terminal error; every one is exit code 2.
#[derive(Debug, thiserror::Error)]
pub enum WizardError {
    /// The starting answers (a profile, the draft) cannot be read.
    #[error("{0}")]
    Start(String),
    #[error("mim-setup: the wizard needs an interactive terminal. Without one, use `mim-setup validate PROFILE` and `mim-setup plan PROFILE`.")]
    NoTerminal,
    /// A check setting from the environment is unusable.
    #[error("mim-setup: {0}")]
    Settings(String),
    #[error("mim-setup: terminal error: {0}")]
    Terminal(std::io::Error),
}
