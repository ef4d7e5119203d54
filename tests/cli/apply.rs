//! `mim-setup apply` end to end on Linux: the real binary runs plans against the stand-in
//! programs in `tests/runner/` (they record their argv in a file outside the plan's folder
//! and exit with scripted codes), with the journal, resume, the lock, drift and secrets.
//!
//! Each test makes its own plan: the shipped profile is copied into a temporary folder and
//! `mim-setup plan p.toml -o p.plan.toml` is run there, so the plan records `p.toml`.
mod dns;
mod drift;
/// The pseudo-terminal harness of the pty suite, for the apply screen.
use testkit::pty as harness;
mod quoting;
mod refuse;
mod runs;
mod secrets;
mod tui;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_mim-setup");
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");
/// The value of every secret's environment variable: it must reach the stand-ins' argv and
/// nothing apply writes.
pub const CANARY: &str = "Canary-Apply-Secret-42 q\"uo%te;&";
pub use super::SECRET_VARS;

/// A plan in a folder of its own, and a folder outside it for the stand-ins' record.
pub struct Lab {
    pub dir: tempfile::TempDir,
    pub outside: tempfile::TempDir,
    pub secret: String,
}

impl Lab {
    /// `profiles/NAME.toml` copied as `p.toml`, planned into `p.plan.toml` (with `extra`
    /// arguments for `plan`).
    pub fn with(name: &str, extra: &[&str]) -> Lab {
        let lab = Lab {
            dir: tempfile::tempdir().expect("plan folder"),
            outside: tempfile::tempdir().expect("record folder"),
            secret: CANARY.to_string(),
        };
        std::fs::copy(
            Path::new(ROOT).join(format!("profiles/{name}.toml")),
            lab.dir.path().join("p.toml"),
        )
        .expect("copy the profile");
        let mut args = vec!["plan", "p.toml", "-o", "p.plan.toml"];
        args.extend_from_slice(extra);
        let o = lab.run(&args);
        assert_eq!(o.status.code(), Some(0), "plan: {}", text(&o));
        lab
    }

    /// `profiles/NAME.toml`, changed by `edit`, as `p.toml`; not planned yet.
    pub fn with_profile(name: &str, edit: impl FnOnce(String) -> String) -> Lab {
        let lab = Lab {
            dir: tempfile::tempdir().expect("plan folder"),
            outside: tempfile::tempdir().expect("record folder"),
            secret: CANARY.to_string(),
        };
        let text = std::fs::read_to_string(Path::new(ROOT).join(format!("profiles/{name}.toml")))
            .expect("read the profile");
        std::fs::write(lab.dir.path().join("p.toml"), edit(text)).expect("write the profile");
        lab
    }

    pub fn new(name: &str) -> Lab {
        Lab::with(name, &[])
    }

    pub fn plan(&self) -> PathBuf {
        self.dir.path().join("p.plan.toml")
    }

    pub fn record(&self) -> PathBuf {
        self.outside.path().join("record.jsonl")
    }

    pub fn scenario(&self, text: &str) {
        std::fs::write(self.outside.path().join("scenario"), text).expect("scenario");
    }

    /// `mim-setup ARGS` in the plan's folder with the stand-ins' settings and the secrets.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_of(BIN, args)
    }

    /// `PROGRAM ARGS` with the same folder and environment as `command`.
    pub fn command_of(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.args(args)
            .current_dir(self.dir.path())
            .env("MIM_STANDIN_RECORD", self.record())
            .env("MIM_STANDIN_SCENARIO", self.outside.path().join("scenario"))
            .env_remove("MIM_SETUP_RUNNER")
            .env_remove("MIM_SETUP_DNS");
        for v in SECRET_VARS {
            c.env(v, &self.secret);
        }
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("run mim-setup")
    }

    /// `apply p.plan.toml --runner tests/runner ARGS`.
    pub fn apply(&self, args: &[&str]) -> Output {
        let runner = runner();
        let mut all = vec!["apply", "p.plan.toml", "--runner", runner.as_str()];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// The stand-ins' calls, in order.
    pub fn calls(&self) -> Vec<Value> {
        match std::fs::read_to_string(self.record()) {
            Ok(t) => t
                .lines()
                .map(|l| serde_json::from_str(l).expect("record line is JSON"))
                .collect(),
            Err(_) => Vec::new(),
        }
    }

    /// The programs called, in order.
    pub fn programs(&self) -> Vec<String> {
        self.calls()
            .iter()
            .map(|c| c["program"].as_str().unwrap_or("?").to_string())
            .collect()
    }

    pub fn journal_text(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("p.plan.toml.journal.jsonl"))
            .unwrap_or_default()
    }

    /// (step, state) of every step line of the journal.
    pub fn states(&self) -> Vec<(String, String)> {
        self.journal_text()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("journal line is JSON"))
            .filter(|v| v["step"].is_string())
            .map(|v| {
                (
                    v["step"].as_str().unwrap_or("").to_string(),
                    v["state"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    }
}

pub fn runner() -> String {
    Path::new(ROOT).join("tests/runner").display().to_string()
}

/// Exit code, standard output and standard error, for messages.
pub fn text(o: &Output) -> String {
    format!(
        "exit {:?}\n--- stdout\n{}--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Every file under a folder.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                todo.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out
}
