//! The runtime's side of `mim-setup demo` in the wizard: the model gets the scenario's
//! faults, the demo's secrets and servers (`attach`); F7's switches reach the running
//! servers (`switch`); autoplay sets how long the loop waits for a key (`turn`).
use super::effects::Context;
use super::options::DemoStart;
use crate::lab::env::Scenario;
use crate::lab::faults;
use crate::wizard::autoplay::{Autoplay, Play};
use crate::wizard::demo::{Demo, FaultRow};
use crate::wizard::{Action, Model};
use std::time::{Duration, Instant};

/// Gives the model the demo: the faults that show on a screen of this walkthrough (those
/// already on ticked), the demo's own secrets (memory only), the servers, autoplay. A fault
/// of one Sync walkthrough (a regular account's, a gMSA's) is not offered in the other.
pub fn attach(m: &mut Model, d: &DemoStart) {
    let on = d.env.faults_on();
    let flow: Vec<String> = m.flow().iter().map(|s| s.id.clone()).collect();
    let faults = faults::catalogue()
        .iter()
        .filter(|e| e.shows == faults::Shows::Check)
        .filter(|e| {
            let screen = e.field.split('.').next().unwrap_or_default();
            let sync = matches!(e.scenario, Scenario::Sync | Scenario::SyncGmsa);
            e.scenario == d.env.scenario || (!sync && flow.iter().any(|s| s == screen))
        })
        .map(|e| FaultRow {
            name: e.name.to_string(),
            description: e.description.to_string(),
            field: e.field.to_string(),
            finding: e.finding.to_string(),
            on: on.contains(&e.fault),
        })
        .collect();
    m.secrets.extend(d.env.typed_secrets());
    m.demo = Some(Demo {
        scenario: d.env.scenario.name(),
        faults,
        narration: false,
        servers: d
            .env
            .servers()
            .into_iter()
            .map(|(what, addr)| (what.to_string(), addr.to_string()))
            .collect(),
        autoplay: d.autoplay.map(Autoplay::new),
    });
    m.refresh();
}

/// Switches a fault in the running server; the model hears it as `FaultSwitched`.
pub fn switch(ctx: &Context, name: String, on: bool) -> Action {
    let Some(d) = ctx.demo.as_ref() else {
        return Action::DraftSaved(Err("a demo effect outside the demo".into()));
    };
    match faults::find(&name) {
        Ok(entry) => {
            d.env.set(entry, on);
            tracing::info!(fault = %name, on, "demo fault switched");
            Action::FaultSwitched(name, on)
        }
        Err(e) => Action::DraftSaved(Err(e)),
    }
}

/// Autoplay is playing (the loop redraws each turn).
pub fn playing(m: &Model) -> bool {
    m.demo
        .as_ref()
        .and_then(|d| d.autoplay.as_ref())
        .is_some_and(|a| a.state == Play::Playing)
}

/// How long the loop waits for a key: no longer than autoplay's next keystroke.
pub fn turn(m: &Model, most: Duration) -> Duration {
    let due = m
        .demo
        .as_ref()
        .and_then(|d| d.autoplay.as_ref())
        .and_then(|a| a.due());
    match due {
        Some(d) => d.saturating_duration_since(Instant::now()).min(most),
        None => most,
    }
}
