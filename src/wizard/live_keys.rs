//! The keys for when a server cannot be reached from here:
//!
//! - Ctrl-R: check this screen again: every finished run of the screen's probes starts a
//!   new generation with the same inputs (the stale result of the old one is dropped);
//! - Ctrl-O: turn the live checks off for the rest of this run: pending runs are cancelled,
//!   their results forgotten, and every screen then says that nothing was checked (what
//!   could not be checked is never shown as passed).
use super::action::Effect;
use super::live::Mode;
use super::model::{Model, Status};
use crate::strings;

pub(super) fn retry(m: &mut Model) -> Vec<Effect> {
    if m.live.mode != Mode::On {
        return vec![];
    }
    let mut again = 0;
    for slot in m.live.slots.values_mut().filter(|s| s.screen == m.current) {
        if let Some(run) = slot.run.as_ref().filter(|r| r.output.is_some()) {
            slot.waiting = Some((run.inputs.clone(), None));
            again += 1;
        }
    }
    m.status = Some(Status::Info(strings::checks_again(again)));
    vec![]
}

pub(super) fn checks_off(m: &mut Model) -> Vec<Effect> {
    if m.live.mode != Mode::On {
        return vec![];
    }
    let pending: Vec<String> = m
        .live
        .slots
        .iter()
        .filter(|(_, s)| s.run.as_ref().is_some_and(|r| r.output.is_none()))
        .map(|(k, _)| k.clone())
        .collect();
    m.live.slots.clear();
    m.live.mode = Mode::Offline;
    m.live.switched_off = true;
    m.refresh();
    m.status = Some(Status::Info(strings::CHECKS_OFF.into()));
    pending.into_iter().map(Effect::CancelCheck).collect()
}
