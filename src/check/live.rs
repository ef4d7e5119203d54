//! The wizard's background runner: probes run on their own runtime while the admin types.
//! Each probe key has at most one pending run; a run whose inputs changed is cancelled, and a
//! result that arrives after a newer run started (an older generation) is dropped.
use super::{Ctx, Probe, ProbeOutput, Secrets, Settings};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Arc;

/// The name of the runner's threads.
pub const THREAD_NAME: &str = "mim-setup-checks";

/// A finished run.
pub struct Done {
    pub key: String,
    pub generation: u64,
    pub output: ProbeOutput,
}

struct Running {
    generation: u64,
    inputs: String,
    task: tokio::task::AbortHandle,
}

pub struct Runner {
    rt: tokio::runtime::Runtime,
    settings: Settings,
    tx: mpsc::Sender<Done>,
    rx: mpsc::Receiver<Done>,
    running: BTreeMap<String, Running>,
    next: u64,
}

impl Runner {
    pub fn new(settings: Settings) -> std::io::Result<Runner> {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name(THREAD_NAME)
            .enable_all()
            .build()?;
        let (tx, rx) = mpsc::channel();
        Ok(Runner {
            rt,
            settings,
            tx,
            rx,
            running: BTreeMap::new(),
            next: 0,
        })
    }

    /// Starts `probe` with `secrets`, cancelling a pending run of the same key. Returns the
    /// new run's generation.
    pub fn start(&mut self, probe: Probe, secrets: Secrets) -> u64 {
        self.next += 1;
        let generation = self.next;
        if let Some(old) = self.running.remove(&probe.key) {
            old.task.abort();
        }
        let key = probe.key.clone();
        let inputs = probe.inputs.clone();
        let tx = self.tx.clone();
        let ctx = Arc::new(Ctx::new(self.settings.clone(), secrets));
        let timeout = super::engine::backstop(self.settings.timeout);
        let (k, area, screen, title) = (
            probe.key.clone(),
            probe.area,
            probe.screen.clone(),
            probe.title.clone(),
        );
        let fut = (probe.run)(ctx);
        let run = self.rt.spawn(async move {
            let started = std::time::Instant::now();
            let mut output = match tokio::time::timeout(timeout, fut).await {
                Ok(o) => o,
                Err(_) => super::engine::overran(&k, area, &screen, &title, timeout),
            };
            let ms = started.elapsed().as_millis() as u64;
            for o in &mut output.outcomes {
                if o.elapsed_ms == 0 {
                    o.elapsed_ms = ms;
                }
            }
            output
        });
        let handle = run.abort_handle();
        let (k, area, screen, title) = (
            probe.key.clone(),
            probe.area,
            probe.screen.clone(),
            probe.title.clone(),
        );
        self.rt.spawn(async move {
            let output = match run.await {
                Ok(o) => o,
                // Cancelled because the answers changed: nobody waits for it.
                Err(e) if e.is_cancelled() => return,
                Err(_) => super::engine::crashed(&k, area, &screen, &title),
            };
            // The wizard may have gone: nobody to tell.
            let _ = tx.send(Done {
                key: k,
                generation,
                output,
            });
        });
        self.running.insert(
            key,
            Running {
                generation,
                inputs,
                task: handle,
            },
        );
        generation
    }

    /// The inputs of the latest run of `key`, pending or done.
    pub fn inputs_of(&self, key: &str) -> Option<&str> {
        self.running.get(key).map(|r| r.inputs.as_str())
    }

    /// Finished runs of the latest generation; older ones are dropped.
    pub fn poll(&mut self) -> Vec<Done> {
        let mut out = Vec::new();
        while let Ok(done) = self.rx.try_recv() {
            if self
                .running
                .get(&done.key)
                .is_some_and(|r| r.generation == done.generation)
            {
                out.push(done);
            }
        }
        out
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        for r in self.running.values() {
            r.task.abort();
        }
    }
}
