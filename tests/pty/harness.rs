//! A real `mim-setup` in a pseudo-terminal: a reader thread feeds a vt100 parser and keeps
//! the raw bytes; every wait has a deadline, and the child is killed when the run is dropped.
use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

pub struct Run {
    pub dir: tempfile::TempDir,
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Run {
    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    pub fn log(&self) -> PathBuf {
        self.dir.path().join("mim-setup.log")
    }

    /// Starts the binary with `args` in a `cols`x`rows` terminal, in its own temp folders
    /// (or in `reuse`'s, to resume a draft).
    pub fn start(args: &[&str], cols: u16, rows: u16, reuse: Option<tempfile::TempDir>) -> Run {
        Run::spawn(args, cols, rows, reuse, false)
    }

    /// As `start`, with `NO_COLOR=1` when `no_color`.
    pub fn start_with(args: &[&str], cols: u16, rows: u16, no_color: bool) -> Run {
        Run::spawn(args, cols, rows, None, no_color)
    }

    fn spawn(
        args: &[&str],
        cols: u16,
        rows: u16,
        reuse: Option<tempfile::TempDir>,
        no_color: bool,
    ) -> Run {
        let dir = reuse.unwrap_or_else(|| tempfile::tempdir().expect("temp dir"));
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_mim-setup"));
        for a in args {
            cmd.arg(a);
        }
        cmd.arg("--out");
        cmd.arg(dir.path().join("out"));
        cmd.arg("--log-file");
        cmd.arg(dir.path().join("mim-setup.log"));
        cmd.env("MIM_SETUP_STATE_DIR", dir.path().join("state"));
        cmd.env("TERM", "xterm-256color");
        if no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        let child = pair.slave.spawn_command(cmd).expect("spawn mim-setup");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().expect("parser").process(&buf[..n]);
                r.lock().expect("raw").extend_from_slice(&buf[..n]);
            }
        });
        Run {
            dir,
            master: pair.master,
            writer,
            child,
            parser,
            raw,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "waited {WAIT:?} for {text:?}; the screen:\n{}",
            self.screen()
        );
    }

    pub fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // Lets crossterm read a lone Esc as Esc, not as the start of a sequence.
        std::thread::sleep(Duration::from_millis(60));
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.parser.lock().expect("parser").set_size(rows, cols);
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Waits for the exit code, killing the child after the deadline.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                // Let the reader drain the last output.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        panic!("mim-setup did not exit; the screen:\n{}", self.screen());
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

/// Every file under `dir`, recursively.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push(p);
        }
    }
    out
}
