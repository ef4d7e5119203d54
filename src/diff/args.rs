//! The options of `mim-setup diff`, as clap reads them.
use std::io::IsTerminal as _;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The first profile or plan (the old one).
    pub a: PathBuf,
    /// The second profile or plan (the new one).
    pub b: PathBuf,
    /// Print the changes as JSON (a stable format for scripts).
    #[arg(long)]
    pub json: bool,
    /// Colour: auto (a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: Color,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

impl Color {
    /// Whether to colour standard output: `always`, or `auto` on a terminal without
    /// `NO_COLOR` (set and not empty, as no-color.org says).
    pub fn enabled(self) -> bool {
        match self {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => {
                let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
                !no_color && std::io::stdout().is_terminal()
            }
        }
    }
}
