//! `--record FILE.cast`: the session as an asciicast v2 recording, which `asciinema play`
//! replays (https://docs.asciinema.org/manual/asciicast/v2/): a header line (a JSON object
//! with `version` 2, `width`, `height`, `timestamp`), then one line per output event,
//! `[seconds, "o", text]`.
//!
//! Only what the wizard draws is recorded, which is what anyone watching the screen sees:
//! a typed secret is drawn as dots, so it is never in the file. The recording goes to a
//! temporary file beside FILE, made only readable by its owner, and takes FILE's name when
//! the session ends; a session that cannot finish it leaves no half-written FILE.
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The recording in progress.
pub struct Recorder {
    file: PathBuf,
    inner: Arc<Mutex<Inner>>,
}

struct Inner {
    /// Taken at the finish.
    out: Option<io::BufWriter<tempfile::NamedTempFile>>,
    start: Instant,
    /// The end of a character split between two writes.
    pending: Vec<u8>,
    failed: Option<String>,
}

impl Recorder {
    /// Starts the recording of a `width` x `height` terminal into `file` (written at the end).
    pub fn start(file: &Path, width: u16, height: u16) -> Result<Recorder, String> {
        let dir = match file.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".mim-setup-cast")
            .tempfile_in(&dir)
            .map_err(|e| {
                format!(
                    "--record {}: cannot write in {}: {e}",
                    file.display(),
                    dir.display()
                )
            })?;
        let timestamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let header = serde_json::json!({
            "version": 2,
            "width": width,
            "height": height,
            "timestamp": timestamp,
            "title": "mim-setup demo",
            "env": { "TERM": std::env::var("TERM").unwrap_or_default() },
        });
        let mut out = io::BufWriter::new(tmp);
        writeln!(out, "{header}").map_err(|e| format!("--record {}: {e}", file.display()))?;
        Ok(Recorder {
            file: file.to_path_buf(),
            inner: Arc::new(Mutex::new(Inner {
                out: Some(out),
                start: Instant::now(),
                pending: Vec::new(),
                failed: None,
            })),
        })
    }

    /// A writer that records what goes through it.
    pub fn tap(&self) -> Tap {
        Tap {
            inner: Arc::clone(&self.inner),
        }
    }

    /// Ends the recording: FILE gets it whole, or the error says why not.
    pub fn finish(self) -> Result<PathBuf, String> {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = inner.failed.take() {
            return Err(format!("--record {}: {e}", self.file.display()));
        }
        let out = inner
            .out
            .take()
            .ok_or_else(|| format!("--record {}: already finished", self.file.display()))?;
        drop(inner);
        let tmp = out
            .into_inner()
            .map_err(|e| format!("--record {}: {}", self.file.display(), e.error()))?;
        tmp.as_file()
            .sync_all()
            .map_err(|e| format!("--record {}: {e}", self.file.display()))?;
        tmp.persist(&self.file)
            .map_err(|e| format!("--record {}: {}", self.file.display(), e.error))?;
        Ok(self.file)
    }
}

/// Records every write as one output event.
#[derive(Clone)]
pub struct Tap {
    inner: Arc<Mutex<Inner>>,
}

impl Tap {
    pub fn record(&self, bytes: &[u8]) {
        let Ok(mut g) = self.inner.lock() else {
            return;
        };
        if g.failed.is_some() {
            return;
        }
        let mut data = std::mem::take(&mut g.pending);
        data.extend_from_slice(bytes);
        // Events hold whole characters: an incomplete one at the end waits for the rest.
        let (text, rest) = match std::str::from_utf8(&data) {
            Ok(t) => (t.to_string(), Vec::new()),
            Err(e) if e.error_len().is_none() => {
                let cut = e.valid_up_to();
                (
                    String::from_utf8_lossy(&data[..cut]).into_owned(),
                    data[cut..].to_vec(),
                )
            }
            Err(_) => (String::from_utf8_lossy(&data).into_owned(), Vec::new()),
        };
        g.pending = rest;
        if text.is_empty() {
            return;
        }
        let t = g.start.elapsed().as_secs_f64();
        let event = serde_json::json!([(t * 1e6).round() / 1e6, "o", text]);
        let written = match g.out.as_mut() {
            Some(out) => writeln!(out, "{event}"),
            None => return,
        };
        if let Err(e) = written {
            g.failed = Some(e.to_string());
        }
    }
}

/// Standard output, recorded when a recording runs.
pub struct Output {
    pub stdout: io::Stdout,
    pub tap: Option<Tap>,
    /// What was written since the last flush (recorded as one event at the flush).
    buffer: Vec<u8>,
}

impl Output {
    pub fn new(tap: Option<Tap>) -> Output {
        Output {
            stdout: io::stdout(),
            tap,
            buffer: Vec::new(),
        }
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.stdout.write(buf)?;
        if self.tap.is_some() {
            self.buffer.extend_from_slice(&buf[..n]);
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        if let Some(tap) = &self.tap {
            if !self.buffer.is_empty() {
                tap.record(&std::mem::take(&mut self.buffer));
            }
        }
        self.stdout.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_asciicast_v2_and_keeps_characters_whole() {
        let dir = tempfile::tempdir().expect("dir");
        let file = dir.path().join("s.cast");
        let r = Recorder::start(&file, 100, 30).expect("start");
        let tap = r.tap();
        tap.record(b"\x1b[2Jhello ");
        // "\u{2022}" split in the middle: one event, whole.
        let dot = "\u{2022}".as_bytes();
        tap.record(&dot[..1]);
        tap.record(&dot[1..]);
        assert!(!file.exists(), "nothing at FILE before the end");
        let written = r.finish().expect("finish");
        let text = std::fs::read_to_string(written).expect("read");
        let mut lines = text.lines();
        let header: serde_json::Value =
            serde_json::from_str(lines.next().expect("header")).expect("json");
        assert_eq!(header["version"], 2);
        assert_eq!(header["width"], 100);
        assert_eq!(header["height"], 30);
        let events: Vec<serde_json::Value> = lines
            .map(|l| serde_json::from_str(l).expect("json"))
            .collect();
        assert_eq!(events.len(), 2);
        for e in &events {
            assert!(e[0].as_f64().expect("time") >= 0.0);
            assert_eq!(e[1], "o");
        }
        assert_eq!(events[0][2], "\u{1b}[2Jhello ");
        assert_eq!(events[1][2], "\u{2022}");
        let left: Vec<_> = std::fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(left.len(), 1, "no temporary file is left");
    }

    #[test]
    fn a_folder_that_does_not_exist_is_an_error_at_the_start() {
        let e = Recorder::start(Path::new("/nonexistent-dir/x.cast"), 80, 24)
            .err()
            .expect("an error");
        assert!(e.contains("--record /nonexistent-dir/x.cast"), "{e}");
    }
}
