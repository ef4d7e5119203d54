//! `mim-setup completions SHELL` and `mim-setup man`: both generated from the clap
//! definitions that `cli.rs` passes in (with `check::args`, `apply::args`), so they never
//! drift from the options the binary accepts.
use std::io::Write;

/// The shells `completions` writes a script for.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
    Powershell,
}

/// Writes the completion script of `shell` for the `mim-setup` command `cmd`. The script is built
/// in memory first, so that a closed pipe is an error here, not a panic in the generator.
pub fn completions(
    shell: Shell,
    mut cmd: clap::Command,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    use clap_complete::Shell as S;
    let s = match shell {
        Shell::Bash => S::Bash,
        Shell::Zsh => S::Zsh,
        Shell::Fish => S::Fish,
        Shell::Powershell => S::PowerShell,
    };
    let mut script = Vec::new();
    clap_complete::generate(s, &mut cmd, "mim-setup", &mut script);
    out.write_all(&script)?;
    out.flush()
}

/// Writes the man page (roff, section 1) of the `mim-setup` command `cmd`: its options and
/// its subcommands.
pub fn man(cmd: clap::Command, out: &mut dyn Write) -> std::io::Result<()> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd).render(&mut page)?;
    out.write_all(&page)?;
    out.flush()
}
