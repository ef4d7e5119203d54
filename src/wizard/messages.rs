//! Popups that say what setup itself will show, at the points where the seeds put them:
//!
//! ```text
//!   Next on a screen ──► its unacknowledged warnings? ──► setup's message (at = "next")? ──► on
//!   arriving at a screen the first time ──► its acknowledged warnings, once (dismissed)
//!                                      └──► setup's message (at = "enter")
//! ```
//!
//! A warning the profile acknowledged is still shown on its screen's first visit, as setup
//! shows it (a trainer following seed 000 expects the service-account warning), unless the
//! run was started with `--quiet-acknowledged`.
use super::model::{Model, Popup, SetupPopup};
use crate::answers::path;
use crate::finding::{Finding, Severity};
use crate::screens::MessageAt;

/// Setup's message of the current screen shown at `at`, with its answers filled in.
pub(super) fn setup_popup(m: &Model, at: MessageAt) -> Option<Popup> {
    let msg = m
        .screen()
        .setup_message
        .as_ref()
        .filter(|msg| msg.at == at)?;
    Some(Popup::Setup(SetupPopup {
        title: msg.title.clone(),
        setup: fill(m, &msg.setup),
        means: fill(m, &msg.means),
        plan: fill(m, &msg.plan),
        advance: at == MessageAt::Next,
    }))
}

/// `{screen.field}` replaced by the answer as the wizard shows it; other braces stay.
fn fill(m: &Model, text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if is_path(&after[..close]) => {
                let p = &after[..close];
                let (screen, field) = p.split_once('.').unwrap_or((p, ""));
                let v = m.answers.text(&path(screen, field));
                out.push_str(if v.is_empty() { "(not answered)" } else { v });
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_path(s: &str) -> bool {
    s.split_once('.').is_some_and(|(a, b)| {
        [a, b]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    })
}

/// The warnings of the current screen that the starting profile acknowledged, on the
/// screen's first visit, each once in the run (a warning acknowledged in this run was read
/// in its own popup already).
pub(super) fn acknowledged_once(m: &mut Model) -> Option<Popup> {
    if m.quiet_acknowledged || m.visited.contains(&m.current) {
        return None;
    }
    let shown: Vec<Finding> = m
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Warning)
        .filter(|f| m.preacknowledged.contains(&f.ack_key()))
        .filter(|f| !m.acknowledged_shown.contains(&f.ack_key()))
        .cloned()
        .collect();
    m.acknowledged_shown
        .extend(shown.iter().map(Finding::ack_key));
    (!shown.is_empty()).then_some(Popup::Acknowledged(shown))
}

/// What arriving at the current screen shows: its acknowledged warnings first, then setup's
/// message for this point.
pub(super) fn on_enter(m: &mut Model) {
    if m.popup.is_some() {
        return;
    }
    m.popup = acknowledged_once(m).or_else(|| setup_popup(m, MessageAt::Enter));
}

/// Setup's messages of the current screen, on arriving and on leaving, its answers filled
/// in: what a review lists for the screen.
pub fn setup_messages(m: &Model) -> Vec<(MessageAt, SetupPopup)> {
    [MessageAt::Enter, MessageAt::Next]
        .into_iter()
        .filter_map(|at| match setup_popup(m, at) {
            Some(Popup::Setup(p)) => Some((at, p)),
            _ => None,
        })
        .collect()
}
