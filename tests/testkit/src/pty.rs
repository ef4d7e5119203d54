//! A real `mim-setup` in a pseudo-terminal: a reader thread feeds a vt100 parser and keeps
//! the raw bytes; every wait has a deadline (a failed wait dumps the screen), and the child
//! is killed and reaped when the run is dropped, so no test can hang.
use portable_pty::{native_pty_system, Child, CommandBuilder, MasterPty, PtySize};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous for a loaded 2-core machine, but bounded.
pub const WAIT: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(20);

/// Leave the alternate screen, show the cursor, mouse capture off (crossterm's
/// `DisableMouseCapture` undoes its five modes; 1000 is the last), bracketed paste off.
pub const LEAVE_ALT: &[u8] = b"\x1b[?1049l";
pub const ENTER_ALT: &[u8] = b"\x1b[?1049h";
pub const SHOW_CURSOR: &[u8] = b"\x1b[?25h";
pub const MOUSE_ON: &[u8] = b"\x1b[?1000h";
pub const MOUSE_OFF: &[u8] = b"\x1b[?1006l\x1b[?1015l\x1b[?1003l\x1b[?1002l\x1b[?1000l";
pub const PASTE_OFF: &[u8] = b"\x1b[?2004l";

/// How to start one run: arguments, terminal size, environment, folders.
pub struct Spawn {
    args: Vec<String>,
    cols: u16,
    rows: u16,
    env: Vec<(String, String)>,
    dir: Option<tempfile::TempDir>,
    stderr_to_file: bool,
    offline: bool,
    wizard: bool,
}

/// `mim-setup ARGS` in a 120x40 terminal with its own state, out and log.
pub fn spawn(args: &[&str]) -> Spawn {
    Spawn {
        args: args.iter().map(|a| a.to_string()).collect(),
        cols: 120,
        rows: 40,
        env: Vec::new(),
        dir: None,
        stderr_to_file: false,
        offline: true,
        wizard: true,
    }
}

impl Spawn {
    pub fn size(mut self, cols: u16, rows: u16) -> Spawn {
        self.cols = cols;
        self.rows = rows;
        self
    }
    pub fn env(mut self, key: &str, value: &str) -> Spawn {
        self.env.push((key.into(), value.into()));
        self
    }
    /// Reuses an earlier run's folders (state, out, log), to resume its draft.
    pub fn dir(mut self, dir: tempfile::TempDir) -> Spawn {
        self.dir = Some(dir);
        self
    }
    /// Standard error to `Run::stderr_file` instead of the terminal (stdin and stdout stay
    /// the terminal), to tell the two streams apart.
    pub fn stderr_to_file(mut self) -> Spawn {
        self.stderr_to_file = true;
        self
    }

    /// Live checks on (the lab's suite): without `--offline`.
    #[allow(dead_code)]
    pub fn live(mut self) -> Spawn {
        self.offline = false;
        self
    }

    /// A command other than the wizard (`check`): only ARGS, without the wizard's `--out`,
    /// `--offline` and `--log-file`.
    #[allow(dead_code)]
    pub fn command(mut self) -> Spawn {
        self.wizard = false;
        self
    }

    pub fn start(self) -> Run {
        let dir = self
            .dir
            .unwrap_or_else(|| tempfile::tempdir().expect("temp dir"));
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: self.rows,
                cols: self.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let bin = crate::bin();
        let mut cmd = if self.stderr_to_file {
            // `exec` keeps the pid: the shell becomes mim-setup.
            let mut c = CommandBuilder::new("/bin/sh");
            c.arg("-c");
            c.arg("exec \"$0\" \"$@\" 2>\"$MIM_TEST_STDERR\"");
            c.arg(bin);
            c.env("MIM_TEST_STDERR", dir.path().join("stderr.txt"));
            c
        } else {
            CommandBuilder::new(bin)
        };
        for a in &self.args {
            cmd.arg(a);
        }
        if self.wizard {
            cmd.arg("--out");
            cmd.arg(dir.path().join("out"));
            // No lab in the pty suite: the live checks have their own, which asks for `live()`.
            if self.offline {
                cmd.arg("--offline");
            }
            cmd.arg("--log-file");
            cmd.arg(dir.path().join("mim-setup.log"));
        }
        cmd.env("MIM_SETUP_STATE_DIR", dir.path().join("state"));
        cmd.env("TERM", "xterm-256color");
        cmd.env_remove("NO_COLOR");
        cmd.env_remove("MIM_SYNC_PASSWORD");
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        cmd.cwd(crate::root());
        let child = pair.slave.spawn_command(cmd).expect("spawn mim-setup");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(self.rows, self.cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let eof = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (p, r, e, halt) = (
            Arc::clone(&parser),
            Arc::clone(&raw),
            Arc::clone(&eof),
            Arc::clone(&stop),
        );
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // EOF or EIO once the child and every copy of the slave are gone.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().expect("parser").process(&buf[..n]);
                r.lock().expect("raw").extend_from_slice(&buf[..n]);
                if halt.load(Ordering::SeqCst) {
                    break;
                }
            }
            // Closes this copy of the master: `hang_up` needs every copy gone.
            drop(reader);
            e.store(true, Ordering::SeqCst);
        });
        Run {
            dir,
            master: Some(pair.master),
            writer: Some(writer),
            child,
            parser,
            raw,
            eof,
            stop,
            exited: false,
        }
    }
}

pub struct Run {
    pub dir: tempfile::TempDir,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn Child + Send + Sync>,
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    eof: Arc<AtomicBool>,
    /// Tells the reader to stop after its next read.
    stop: Arc<AtomicBool>,
    exited: bool,
}

impl Run {
    pub fn state(&self) -> PathBuf {
        self.dir.path().join("state")
    }
    pub fn draft(&self) -> PathBuf {
        self.state().join("draft.toml")
    }
    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }
    pub fn log(&self) -> PathBuf {
        self.dir.path().join("mim-setup.log")
    }
    /// What the child wrote to standard error (with `stderr_to_file`).
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.txt")).unwrap_or_default()
    }

    /// The parsed screen as text.
    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    /// Every byte the child wrote to the terminal so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("raw").clone()
    }

    pub fn raw_len(&self) -> usize {
        self.raw.lock().expect("raw").len()
    }

    fn dump(&self) -> String {
        let raw = self.raw();
        let tail = &raw[raw.len().saturating_sub(600)..];
        format!(
            "the screen:\n{}\nlast raw bytes: {:?}\nstderr file: {}",
            self.screen(),
            String::from_utf8_lossy(tail),
            self.stderr()
        )
    }

    /// Waits until `ok(screen)` holds; panics with the screen after `WAIT`.
    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if ok(&self.screen()) {
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!("waited {WAIT:?} for {what}; {}", self.dump());
    }

    pub fn wait_for(&self, text: &str) {
        self.wait_until(&format!("{text:?}"), |s| s.contains(text));
    }

    pub fn wait_gone(&self, text: &str) {
        self.wait_until(&format!("{text:?} to go"), |s| !s.contains(text));
    }

    /// Waits for a file to appear (the draft is written by the child).
    pub fn wait_file(&self, file: &Path) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if file.exists() {
                return;
            }
            std::thread::sleep(POLL);
        }
        panic!("waited {WAIT:?} for {}; {}", file.display(), self.dump());
    }

    /// Waits until `file` holds `needle` (the child rewrites it atomically); returns its text.
    pub fn wait_file_text(&self, file: &Path, needle: &str) -> String {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Ok(text) = std::fs::read_to_string(file) {
                if text.contains(needle) {
                    return text;
                }
            }
            std::thread::sleep(POLL);
        }
        panic!(
            "waited {WAIT:?} for {needle:?} in {}; {}",
            file.display(),
            self.dump()
        );
    }

    /// Types `bytes`, then pauses so that a lone Esc is read as Esc and not as the start of
    /// an escape sequence merged with the next key.
    pub fn send(&mut self, bytes: &str) {
        let w = self.writer.as_mut().expect("terminal open");
        w.write_all(bytes.as_bytes()).expect("write");
        w.flush().expect("flush");
        std::thread::sleep(Duration::from_millis(60));
    }

    /// Sends each key of `keys` on its own.
    pub fn keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k);
        }
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        self.parser.lock().expect("parser").set_size(rows, cols);
        self.master
            .as_ref()
            .expect("terminal open")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize");
    }

    /// Closes the terminal as a terminal emulator whose window is closed does: every copy
    /// of the master side goes, and the kernel hangs up the child's terminal (SIGHUP, then
    /// reads and writes fail).
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // A resize makes the wizard redraw, which wakes the reader so that it can stop.
        let start = Instant::now();
        let mut wide = false;
        while !self.eof.load(Ordering::SeqCst) {
            assert!(
                start.elapsed() < WAIT,
                "the reader did not stop; {}",
                self.dump()
            );
            wide = !wide;
            self.resize(if wide { 121 } else { 120 }, 40);
            std::thread::sleep(Duration::from_millis(100));
        }
        self.writer = None;
        self.master = None;
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("pid")
    }

    /// Waits for the exit code and for the last output to be read; kills the child and
    /// panics after the deadline.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.exited = true;
                // The reader sees EOF once the child's output is drained.
                let drain = Instant::now();
                while !self.eof.load(Ordering::SeqCst) && drain.elapsed() < Duration::from_secs(5) {
                    std::thread::sleep(POLL);
                }
                return status.exit_code();
            }
            std::thread::sleep(POLL);
        }
        let _ = self.child.kill();
        panic!("mim-setup did not exit within {WAIT:?}; {}", self.dump());
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        if !self.exited {
            // SIGHUP, then SIGKILL after a short grace period; then reap.
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
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

pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The last position of `needle` in `hay`.
pub fn rposition(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The terminal is back as it was: after the last time the wizard took it (or after
/// `from`), it left the alternate screen, showed the cursor and turned the mouse and
/// bracketed paste off.
pub fn assert_restored(raw: &[u8], from: usize) {
    let after = &raw[from.min(raw.len())..];
    let shown = String::from_utf8_lossy(after);
    for (what, seq) in [
        ("leave the alternate screen", LEAVE_ALT),
        ("show the cursor", SHOW_CURSOR),
        ("mouse capture off", MOUSE_OFF),
        ("bracketed paste off", PASTE_OFF),
    ] {
        assert!(contains(after, seq), "no {what} in {shown:?}");
    }
    if let Some(entered) = rposition(raw, ENTER_ALT) {
        let left = rposition(raw, LEAVE_ALT).expect("left");
        assert!(left > entered, "the alternate screen is left last");
    }
    // The mouse was captured, and released after the last capture.
    let on = rposition(raw, MOUSE_ON).expect("mouse capture was enabled");
    assert!(rposition(raw, MOUSE_OFF).expect("mouse off") > on);
}
