//! Peak RSS of `mim-setup demo --autoplay` (target: at most 50 MB): the release binary in a
//! pseudo-terminal plays the Sync walkthrough to the finish against its built-in environment;
//! its VmHWM (Linux's peak resident set) is read from /proc just before it exits. Beside it,
//! for the ratio, the peak of the wizard that only opens the shipped profile offline and quits.
//! Three runs each; the largest peak is reported.
use std::time::Instant;
use testkit::pty::{spawn, Run};

/// VmHWM of a running process, in kB.
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn finish(r: &mut Run) -> u64 {
    let kb = peak_kb(r.pid()).unwrap_or(0);
    r.send("\r");
    r.wait_exit();
    kb
}

fn autoplay() -> (u64, f64) {
    let t = Instant::now();
    let mut r = spawn(&["demo", "--autoplay", "20"]).live().start();
    r.wait_for("autoplay: the walkthrough is finished");
    let secs = t.elapsed().as_secs_f64();
    (finish(&mut r), secs)
}

fn offline_wizard() -> u64 {
    let mut r = spawn(&["profiles/contoso-sync.toml"]).start();
    r.wait_for("What do you want to set up?");
    let kb = peak_kb(r.pid()).unwrap_or(0);
    r.send("\x11");
    r.wait_for("Quit");
    r.send("\r");
    r.wait_exit();
    kb
}

fn main() {
    if !std::path::Path::new("/proc/self/status").exists() {
        println!("demo autoplay peak RSS: not measured (no /proc on this system)");
        return;
    }
    let runs: Vec<(u64, f64)> = (0..3).map(|_| autoplay()).collect();
    let peak = runs.iter().map(|r| r.0).max().unwrap_or(0);
    let wizard = (0..3).map(|_| offline_wizard()).max().unwrap_or(0);
    println!(
        "demo --autoplay 20 (Sync walkthrough to the finish, every server in the process): peak RSS {:.1} MB (target at most 50 MB), {:.1} s per walkthrough; the offline wizard alone: {:.1} MB; ratio {:.2}",
        peak as f64 / 1024.0,
        runs.iter().map(|r| r.1).sum::<f64>() / runs.len() as f64,
        wizard as f64 / 1024.0,
        peak as f64 / wizard.max(1) as f64
    );
}
