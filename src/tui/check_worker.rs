//! Runs the wizard's check effects: `Effect::StartCheck` rebuilds the probe of its key from
//! the profile it carries and starts it on the background executor, `Effect::CancelCheck`
//! aborts one, and finished runs come back as `Action::Checked`. What is pending, and which
//! generation is current, only the model's slots know.
use crate::check::live::Runner;
use crate::check::{needed, probes_for, ProbeOutput, Secrets, Settings};
use crate::secret::Ask;
use crate::wizard::live::{CheckDone, CheckRun};
use crate::wizard::{Action, Model};
use std::time::Duration;

pub struct Checks {
    runner: Option<Runner>,
}

impl Checks {
    /// Live checks on, unless `offline`; a runtime that cannot start turns them off and says
    /// why in the log.
    pub fn new(m: &mut Model, settings: Settings) -> Checks {
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
        if runner.is_some() {
            m.live.attach(settings);
        } else {
            m.live.mode = crate::wizard::live::Mode::Offline;
        }
        Checks { runner }
    }

    pub fn start(&mut self, run: CheckRun) -> Option<Action> {
        let runner = self.runner.as_mut()?;
        let probe = probes_for(&run.profile, runner.settings())
            .into_iter()
            .find(|p| p.key == run.key);
        let Some(probe) = probe else {
            // The answers that asked for it no longer make it: the slot hears it ended.
            return Some(Action::Checked(Box::new(CheckDone {
                key: run.key,
                generation: run.generation,
                output: ProbeOutput::default(),
            })));
        };
        let needed = needed(&run.profile.answers, &Default::default());
        let secrets = Secrets::resolve(&run.profile.answers, &needed, Ask::Typed(&run.secrets));
        runner.start(run.generation, probe, secrets);
        None
    }

    pub fn cancel(&mut self, key: &str) {
        if let Some(r) = self.runner.as_mut() {
            r.cancel(key);
        }
    }

    /// Finished runs as actions; waits up to `limit` for the first one.
    pub fn results(&mut self, limit: Duration) -> Vec<Action> {
        let Some(r) = self.runner.as_mut() else {
            return vec![];
        };
        let done = if limit.is_zero() {
            r.poll()
        } else {
            r.wait(limit)
        };
        done.into_iter()
            .map(|d| {
                tracing::info!(key = %d.key, generation = d.generation, facts = d.output.facts.len(), blocking = d.output.outcomes.iter().filter(|o| o.blocks()).count(), "live check finished");
                Action::Checked(Box::new(CheckDone {
                    key: d.key,
                    generation: d.generation,
                    output: d.output,
                }))
            })
            .collect()
    }
}
