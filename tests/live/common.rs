//! The lab as the tests see it: its settings file, and the `mim-setup` binary run against it.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Lab {
    pub dir: PathBuf,
    /// What `lab.sh start` wrote: MIM_SETUP_DNS, MIM_SETUP_CA_FILE, ...
    pub env: BTreeMap<String, String>,
}

/// The running lab; fails the test, saying how to start it, when it is not up.
pub fn lab() -> Lab {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::var_os("LAB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/lab"));
    let file = dir.join("env");
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        panic!(
            "the test lab is not running ({}: {e}); start it with `sudo tests/lab/lab.sh start` (the README's test command does)",
            file.display()
        )
    });
    let env = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Lab { dir, env }
}

impl Lab {
    pub fn ca_file(&self) -> PathBuf {
        self.dir.join("ca/ca.pem")
    }

    /// `mim-setup ARGS` with the lab's settings in its environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mim-setup"));
        c.args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("MIM_SETUP_DNS")
            .env_remove("MIM_SETUP_CA_FILE")
            .envs(&self.env);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("mim-setup runs")
    }
}

/// The exit code and standard output of a finished run.
pub fn code_and_stdout(o: &Output) -> (i32, String) {
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// The JSON of `mim-setup check --json`.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "check --json printed no JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

/// The outcomes of a JSON report with this id.
pub fn outcomes<'a>(report: &'a serde_json::Value, id: &str) -> Vec<&'a serde_json::Value> {
    report["outcomes"]
        .as_array()
        .map(|a| a.iter().filter(|o| o["id"] == id).collect())
        .unwrap_or_default()
}
