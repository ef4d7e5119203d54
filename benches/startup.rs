//! Start-up to first frame of the real binary: spawn `mim-setup profiles/contoso-sync.toml`
//! in a 120x40 pseudo-terminal and stop the clock when the first full frame (the step list
//! and the key legend) has arrived. Includes process start, terminal set-up and the draw.
use criterion::{criterion_group, criterion_main, Criterion};
use portable_pty::{native_pty_system, CommandBuilder, PtySize};
use std::io::Read;
use std::time::{Duration, Instant};

fn first_frame() -> Option<Duration> {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .ok()?;
    let state = tempfile::tempdir().ok()?;
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_mim-setup"));
    cmd.arg("profiles/contoso-sync.toml");
    cmd.arg("--out");
    cmd.arg(state.path().join("out"));
    cmd.arg("--log-file");
    cmd.arg(state.path().join("log"));
    cmd.env("MIM_SETUP_STATE_DIR", state.path());
    cmd.env("TERM", "xterm-256color");
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).ok()?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().ok()?;
    let mut parser = vt100::Parser::new(40, 120, 0);
    let mut buf = [0u8; 8192];
    let mut took = None;
    while start.elapsed() < Duration::from_secs(10) {
        let n = reader.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        parser.process(&buf[..n]);
        let screen = parser.screen().contents();
        if screen.contains("Steps") && screen.contains("F1 help") {
            took = Some(start.elapsed());
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    took
}

fn startup(c: &mut Criterion) {
    let mut group = c.benchmark_group("binary");
    group.sample_size(20);
    group.bench_function("startup_to_first_frame_pty_120x40", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| first_frame().unwrap_or(Duration::from_secs(10)))
                .sum()
        })
    });
    group.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
