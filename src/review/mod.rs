//! `mim-setup review PROFILE|PLAN`: a reviewer's read-only walk of the answers a profile (or
//! the profile a plan records) gives, in the wizard's own screens or, headless, as text,
//! Markdown or JSON for a change ticket.
//!
//! ```text
//!   FILE --build.rs: plan::read + the recorded profile | profile::load + plan::build-->
//!        Walk (model.rs: screen -> field -> answer, where it goes, findings, setup's messages)
//!        |--render.rs--> text | markdown | json                 (--format)
//!        `--session.rs + wizard (read-only keys) + tui--> comments, verdict
//!                 --record.rs--> FILE.review.toml (atomic), the only file a review writes
//! ```
//!
//! Where an answer goes comes from the plan's properties and interactive answers, which the
//! one property builder (`plan::table`, `Props::table`) made. The findings are `validate`'s
//! and, with `--check`, the live checks of `mim-setup check`; an acknowledged warning shows
//! with its acknowledgement. Secrets appear only as their references: nothing here resolves
//! one unless `--check` runs the live checks, which keep them in memory.
pub mod build;
pub mod markdown;
pub mod model;
pub mod record;
pub mod render;
pub mod session;

pub use model::Walk;
pub use session::{Session, Stage};

use crate::check::args::LiveArgs;
use crate::exit::ExitCode;
use crate::screens::Screens;
use std::path::PathBuf;

/// Why a file cannot be reviewed: what, where, how to fix. Exit code 2, nothing written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("mim-setup review: {what}\n  fix: {fix}")]
pub struct ReviewError {
    pub what: String,
    pub fix: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReviewArgs {
    /// The plan (as `plan -o FILE` wrote it) or the profile to review.
    pub file: PathBuf,
    /// Print the walk instead of opening the screens: text, markdown (a change ticket) or
    /// json (stable, for scripts). Nothing is written.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Run the live checks too (the engine of `mim-setup check`); else the offline rules only.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub live: LiveArgs,
    /// Who reviews, as the review file records it (default: the USER or USERNAME variable).
    #[arg(long, value_name = "NAME")]
    pub reviewer: Option<String>,
    /// ASCII borders and no colour (also: the NO_COLOR environment variable).
    #[arg(long)]
    pub ascii: bool,
}

impl ReviewArgs {
    fn live(&self) -> Result<Option<&LiveArgs>, ReviewError> {
        if !self.live.set.is_empty() {
            return Err(ReviewError {
                what: "--set changes answers, and a review shows the file as written".into(),
                fix:
                    "leave out --set; to try other answers, use `mim-setup check PROFILE --set ...`"
                        .into(),
            });
        }
        Ok(self.check.then_some(&self.live))
    }

    /// The reviewer's name: `--reviewer`, else the user's; never empty or with a control
    /// character.
    pub fn reviewer(&self) -> Result<String, ReviewError> {
        let name = self
            .reviewer
            .clone()
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("USERNAME").ok())
            .unwrap_or_default();
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return Err(ReviewError {
                what: "no reviewer: --reviewer was not given and USER / USERNAME name no one (or hold a control character)".into(),
                fix: "give --reviewer NAME (for an approval later, the principal of your key in allowed_signers)".into(),
            });
        }
        Ok(name.trim().to_string())
    }
}

/// The walk as `format` gives it.
pub fn render(walk: &Walk, format: Format) -> String {
    match format {
        Format::Text => render::text(walk),
        Format::Markdown => render::markdown(walk),
        Format::Json => render::json(walk),
    }
}

/// `review FILE --format F`: prints the walk; writes nothing.
pub fn print(
    screens: &'static Screens,
    args: &ReviewArgs,
    format: Format,
) -> Result<ExitCode, ReviewError> {
    let reviewed = build::read(screens, &args.file, args.live()?)?;
    use std::io::Write as _;
    // A closed pipe (`| head`) is not a failure of the review.
    let _ = std::io::stdout().write_all(render(&reviewed.walk, format).as_bytes());
    Ok(ExitCode::Ok)
}

/// What the screens start from: the session, and the profile whose answers they show.
#[derive(Debug, Clone)]
pub struct Start {
    pub session: Session,
    pub profile: crate::profile::Profile,
    /// Run the wizard's live checks (`--check`).
    pub check: bool,
    /// With `--check`: how the checks reach the environment (`--timeout`, `--dns`, ...).
    pub settings: Option<crate::check::Settings>,
    pub ascii: bool,
}

/// `review FILE` on a terminal: reads and walks the file before the terminal is taken (the
/// wizard runs its own live checks, screen by screen, with `--check`).
pub fn start(screens: &'static Screens, args: &ReviewArgs) -> Result<Start, ReviewError> {
    let settings = match args.live()? {
        Some(live) => Some(live.settings().map_err(|e| ReviewError {
            what: e,
            fix: "correct the live check setting (see `mim-setup review --help`)".into(),
        })?),
        None => None,
    };
    let reviewer = args.reviewer()?;
    let reviewed = build::read(screens, &args.file, None)?;
    let out = record::path_for(&args.file);
    Ok(Start {
        session: Session::new(reviewed.walk, reviewer, out),
        profile: reviewed.loaded.profile,
        check: args.check,
        settings,
        ascii: args.ascii,
    })
}
