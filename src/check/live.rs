//! The wizard's background executor: probes run on their own runtime while the admin types.
//! It decides nothing: the wizard's single-flight slots (`wizard::live`) say which run of a
//! key is current and drop older generations; this only starts a run (aborting the key's
//! previous task), cancels one, and hands finished runs back with their generation.
use super::{Ctx, Probe, ProbeOutput, Secrets, Settings};
use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

/// The name of the runner's threads.
pub const THREAD_NAME: &str = "mim-setup-checks";

/// A finished run.
pub struct Done {
    pub key: String,
    pub generation: u64,
    pub output: ProbeOutput,
}

pub struct Runner {
    rt: tokio::runtime::Runtime,
    settings: Settings,
    tx: mpsc::Sender<Done>,
    rx: mpsc::Receiver<Done>,
    /// The task of each key's latest run, to abort it.
    tasks: BTreeMap<String, tokio::task::AbortHandle>,
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
            tasks: BTreeMap::new(),
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Starts `probe` with `secrets` as run `generation` of its key, aborting the key's
    /// previous task: a cancelled run never reports.
    pub fn start(&mut self, generation: u64, probe: Probe, secrets: Secrets) {
        self.cancel(&probe.key);
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
        self.tasks.insert(probe.key, handle);
    }

    /// Aborts the pending run of `key`, if any.
    pub fn cancel(&mut self, key: &str) {
        if let Some(old) = self.tasks.remove(key) {
            old.abort();
        }
    }

    /// Finished runs, in the order they finished.
    pub fn poll(&mut self) -> Vec<Done> {
        self.rx.try_iter().collect()
    }

    /// Waits up to `limit` for a finished run, then takes every finished one.
    pub fn wait(&mut self, limit: Duration) -> Vec<Done> {
        match self.rx.recv_timeout(limit) {
            Ok(first) => std::iter::once(first).chain(self.rx.try_iter()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Drop for Runner {
    fn drop(&mut self) {
        for t in self.tasks.values() {
            t.abort();
        }
    }
}
