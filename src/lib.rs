//! mim-setup: a terminal installer wizard for Microsoft Identity Manager 2016 SP2/SP3.
//!
//! Data flows one way:
//!
//! ```text
//!   screens/ (data) -> wizard (TUI) -> profile -> rules -> plan
//!                                        ^
//!          validate / plan (headless) ---+   every consumer starts from a profile
//! ```
//!
//! - `screens`: the screen definitions, embedded at build time.
//! - `answers`, `secret`: what a run holds; secrets only as references outside memory,
//!   resolved by `secret` alone (env, prompt, credential store), just in time.
//! - `rules`, `finding`: offline checks and their typed findings.
//! - `profile`: TOML profiles and drafts, with located errors.
//! - `plan`: the install plan a profile gives.
//! - `apply`: running a plan (journal, resume, drift).
//! - `export`: a plan as a PowerShell script, an Ansible playbook or Markdown.
//! - `diff`, `approve`: a reviewer's comparison of two profiles or plans, and the signed
//!   approval (SSHSIG) that `apply --allowed-signers` can require.
//! - `lab`: the demo's Contoso environment in the process (`mim-setup demo`), on loopback,
//!   reached by the checks through the address book only.
//! - `review`: a reviewer's read-only walk of a profile or plan, in the wizard's screens or
//!   as text, Markdown or JSON; comments and a verdict go to the review file beside it.
//! - `doctor`: the checklist for an installed Sync Service (seeds 001 and 004), from a
//!   collection of its registry, files, run history, events and SQL readings.
//! - `civil`: UTC calendar dates from Unix days, for the times shown and read.
//! - `lab`: the demo's Contoso servers on loopback (directory, DNS).
//! - `wizard`: the pure state machine (`update`) of the interactive run.
//! - `tui`: drawing (`view`) and the terminal runtime that executes effects.
//! - `cli`, `exit`: the edge. `cli` parses (clap), runs a command and prints its error once
//!   (`anyhow` with context); commands below take their own arguments (`check::args`,
//!   `apply::args`, `tui::Options`), return typed errors (`thiserror`) and never import
//!   from `cli`. `exit::ExitCode` is every exit code with its meaning.
pub mod answers;
pub mod apply;
pub mod approve;
pub mod atomic_file;
pub mod check;
pub mod civil;
pub mod cli;
pub mod completions;
pub mod diff;
pub mod doctor;
pub mod exit;
pub mod export;
pub mod finding;
pub mod lab;
pub mod logging;
pub mod plan;
pub mod profile;
pub mod review;
pub mod rules;
pub mod schema;
pub mod screens;
pub mod secret;
pub mod strings;
pub mod tui;
pub mod validate;
pub mod wizard;
