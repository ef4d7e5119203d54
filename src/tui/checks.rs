//! Keeps the live checks current while the wizard runs: the probes of the screens the admin
//! has seen are (re)started when their answers change, after a short pause in typing, and
//! their results are handed to the model.
use crate::check::live::Runner;
use crate::check::{probes_for, Secrets, Settings};
use crate::wizard::live::{Entry, Mode};
use crate::wizard::Model;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long answers must stay unchanged before their checks start.
const SETTLE: Duration = Duration::from_millis(300);

pub struct Bridge {
    runner: Option<Runner>,
    settings: Settings,
    /// Inputs waiting to settle, by probe key: since when, and what they were.
    waiting: BTreeMap<String, (Instant, String)>,
}

impl Bridge {
    /// Live checks on, unless `offline`; a runtime that cannot start turns them off and says
    /// why in the log.
    pub fn new(m: &mut Model, settings: Settings) -> Bridge {
        let runner = if settings.offline {
            None
        } else {
            match Runner::new(settings.clone()) {
                Ok(r) => Some(r),
                Err(e) => {
                    tracing::error!("live checks cannot start: {e}");
                    None
                }
            }
        };
        m.live.mode = if runner.is_some() {
            Mode::On
        } else {
            Mode::Offline
        };
        Bridge {
            runner,
            settings,
            waiting: BTreeMap::new(),
        }
    }

    /// Starts what changed and settled, takes finished results; true when the screen must
    /// be drawn again (a result came, or a pending check's elapsed time moved on).
    pub fn sync(&mut self, m: &mut Model) -> bool {
        let Some(runner) = self.runner.as_mut() else {
            return false;
        };
        let now = Instant::now();
        let profile = m.profile(false);
        let secrets_mark = secrets_mark(m);
        for p in probes_for(m.screens, &profile, &self.settings) {
            if p.screen != m.current && !m.visited.contains(&p.screen) {
                continue;
            }
            let inputs = format!("{}|{secrets_mark}", p.inputs);
            if runner.inputs_of(&p.key) == Some(inputs.as_str()) {
                self.waiting.remove(&p.key);
                continue;
            }
            match self.waiting.get(&p.key) {
                Some((since, w)) if *w == inputs && now.duration_since(*since) >= SETTLE => {}
                Some((_, w)) if *w == inputs => continue,
                _ => {
                    self.waiting.insert(p.key.clone(), (now, inputs));
                    continue;
                }
            }
            self.waiting.remove(&p.key);
            let mut secrets =
                Secrets::resolve(&profile.answers, &crate::check::CHECK_SECRETS, false);
            for (k, v) in m.secrets.iter().filter(|(_, v)| !v.is_empty()) {
                secrets.insert(k, v.clone());
            }
            let entry = Entry {
                area: p.area,
                screen: p.screen.clone(),
                title: p.title.clone(),
                inputs: inputs.clone(),
                generation: 0,
                started: now,
                outcomes: None,
            };
            let key = p.key.clone();
            let mut p = p;
            p.inputs = inputs;
            let generation = runner.start(p, secrets);
            m.live.started(
                &key,
                Entry {
                    generation,
                    ..entry
                },
            );
        }
        let mut changed = false;
        for d in runner.poll() {
            changed |= m.live.finished(&d.key, d.generation, d.output.outcomes);
        }
        if changed {
            m.refresh();
        }
        changed || m.live.pending()
    }
}

/// A digest of the typed secrets, so that a new password re-runs the checks that use it.
/// Kept in memory only, like the secrets.
fn secrets_mark(m: &Model) -> String {
    let mut h = Sha256::new();
    for (k, v) in &m.secrets {
        h.update(k.as_bytes());
        h.update([0]);
        h.update(v.expose().as_bytes());
        h.update([0]);
    }
    h.finalize()[..6]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
