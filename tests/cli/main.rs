//! The command-line tier: the real `mim-setup` binary on files, and `apply` against the
//! stand-in programs in `tests/runner/` (they record their argv and exit with scripted codes).
//! No network and no lab.
mod apply;
mod bad_profiles;
mod check;
mod completions;
mod edge;
mod export;
mod plans;
mod schema;

// How msiexec and PowerShell split the command lines that plans, apply and export write.
use testkit::windows;
