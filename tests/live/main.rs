//! Live checks against the lab: real servers on 127.0.0.0/8 (Samba AD DC, an SMTP server,
//! HTTPS stand-ins for Office 365, and a TDS test server that FreeTDS also accepts), and the
//! demo's own directory and DNS servers before independent clients (demo_dir, no lab needed).
//!
//! The lab is started by `tests/lab/lab.sh start` (the README's test command and `.ci/run`
//! do it). Without it these tests fail and say so: nothing is skipped silently.
//!
//! The tier is built only with `--features lab` (`tests/run` passes it). `demo.rs` needs
//! none of the lab's servers: it runs independent clients against the demo's own.

use testkit::tds;
// The wizard in a pseudo-terminal, for the live TUI tests.
#[cfg(unix)]
use testkit::pty as harness;

mod ad;
mod ad_faults;
mod demo;
// Each area uses part of it.
#[allow(dead_code)]
mod common;
mod demo_dir;
mod demo_fidelity;
mod dns_silence;
mod doctor;
mod mail;
mod net;
mod sql;
mod sql_props;
#[cfg(unix)]
mod tui;
