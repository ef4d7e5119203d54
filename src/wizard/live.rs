//! What the live checks say about each screen, as the wizard keeps it: pending runs with
//! their start time, finished ones with their outcomes. The runtime feeds it; `update` stays
//! pure and reads it through `Model::refresh`, where blocking findings close Next.
use crate::check::{Area, Outcome, State};
use crate::finding::Finding;
use std::collections::BTreeMap;
use std::time::Instant;

/// Whether checks run in this wizard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Not attached (tests of the state machine): nothing is shown.
    #[default]
    Detached,
    /// `--offline`: the panel says that nothing was checked.
    Offline,
    On,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub area: Area,
    /// The screen the probe belongs to.
    pub screen: String,
    pub title: String,
    pub inputs: String,
    pub generation: u64,
    pub started: Instant,
    /// None while pending.
    pub outcomes: Option<Vec<Outcome>>,
}

#[derive(Debug, Clone, Default)]
pub struct LiveChecks {
    pub mode: Mode,
    /// By probe key.
    pub entries: BTreeMap<String, Entry>,
}

/// One line of the checks list of a screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckLine {
    pub state: State,
    pub text: String,
}

impl LiveChecks {
    /// A run started (the previous one of the key, if any, was cancelled).
    pub fn started(&mut self, key: &str, mut entry: Entry) {
        entry.outcomes = None;
        self.entries.insert(key.to_string(), entry);
    }

    /// A run finished; results of an older generation are dropped.
    pub fn finished(&mut self, key: &str, generation: u64, outcomes: Vec<Outcome>) -> bool {
        match self.entries.get_mut(key) {
            Some(e) if e.generation == generation => {
                e.outcomes = Some(outcomes);
                true
            }
            _ => false,
        }
    }

    pub fn pending(&self) -> bool {
        self.entries.values().any(|e| e.outcomes.is_none())
    }

    /// Outcomes shown on `screen`, from any probe.
    fn outcomes_on<'a>(&'a self, screen: &'a str) -> impl Iterator<Item = &'a Outcome> {
        self.entries
            .values()
            .filter_map(|e| e.outcomes.as_ref())
            .flatten()
            .filter(move |o| o.screen == screen)
    }

    /// The findings the checks made about `screen`.
    pub fn findings(&self, screen: &str) -> Vec<Finding> {
        self.outcomes_on(screen)
            .flat_map(|o| o.findings.iter().cloned())
            .collect()
    }

    /// The checks list of `screen` at `now`: pending runs with their elapsed time, then
    /// each outcome's state and one line.
    pub fn lines(&self, screen: &str, now: Instant) -> Vec<CheckLine> {
        if self.mode == Mode::Offline {
            return vec![CheckLine {
                state: State::Skipped,
                text: "Live checks are off (--offline): nothing on this screen was checked.".into(),
            }];
        }
        let mut out: Vec<CheckLine> = self
            .entries
            .values()
            .filter(|e| e.outcomes.is_none() && e.screen == screen)
            .map(|e| CheckLine {
                state: State::Pending,
                text: format!(
                    "{}: checking ({:.1} s)",
                    e.title,
                    now.duration_since(e.started).as_secs_f32()
                ),
            })
            .collect();
        for o in self.outcomes_on(screen) {
            let text = match o.state {
                State::Skipped => format!("{}: not checked: {}", o.title, o.summary),
                State::Ok | State::Info => format!("{}: {}", o.title, o.summary),
                _ => o.title.clone(),
            };
            out.push(CheckLine {
                state: o.state,
                text,
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Finding;
    use std::time::Duration;

    fn entry(screen: &str, generation: u64, started: Instant) -> Entry {
        Entry {
            area: Area::Sql,
            screen: screen.into(),
            title: "SQL Server".into(),
            inputs: "corpsql".into(),
            generation,
            started,
            outcomes: None,
        }
    }

    #[test]
    fn pending_shows_elapsed_time_and_a_stale_result_is_dropped() {
        let t0 = Instant::now();
        let mut live = LiveChecks {
            mode: Mode::On,
            ..Default::default()
        };
        live.started("sql", entry("sql", 1, t0));
        // The answer changed: a second run replaces the first.
        live.started("sql", entry("sql", 2, t0));
        let lines = live.lines("sql", t0 + Duration::from_millis(1250));
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].state, State::Pending);
        assert_eq!(lines[0].text, "SQL Server: checking (1.2 s)");
        assert!(live.pending());
        let old = Outcome::found(
            "sql-connect",
            Area::Sql,
            "sql",
            "SQL Server",
            vec![Finding::error("sql-refused", "sql.server", "refused")],
        );
        assert!(!live.finished("sql", 1, vec![old]), "generation 1 is stale");
        assert!(live.findings("sql").is_empty());
        let ok = Outcome::ok(
            "sql-version",
            Area::Sql,
            "sql",
            "SQL Server version",
            "SQL Server 2019",
        );
        assert!(live.finished("sql", 2, vec![ok]));
        assert!(!live.pending());
        let lines = live.lines("sql", t0);
        assert_eq!(lines[0].state, State::Ok);
        assert_eq!(lines[0].text, "SQL Server version: SQL Server 2019");
        assert!(
            live.lines("groups", t0).is_empty(),
            "other screens show nothing"
        );
    }

    #[test]
    fn blocking_findings_reach_their_screen_and_skipped_is_never_passed() {
        let t0 = Instant::now();
        let mut live = LiveChecks {
            mode: Mode::On,
            ..Default::default()
        };
        live.started("ad", entry("checks", 7, t0));
        let denied = Outcome::found(
            "ad-account",
            Area::Ad,
            "service_account",
            "Account contoso\\MIMSync",
            vec![Finding::error(
                "ad-account-disabled",
                "service_account.name",
                "disabled",
            )],
        );
        let skipped = Outcome::skipped(
            "ad-gmsa",
            Area::Ad,
            "service_account",
            "gMSA",
            "no password",
        );
        assert!(live.finished("ad", 7, vec![denied, skipped]));
        let f = live.findings("service_account");
        assert_eq!(f.len(), 1);
        assert!(f[0].blocks());
        let lines = live.lines("service_account", t0);
        assert_eq!(lines[1].state, State::Skipped);
        assert_eq!(lines[1].text, "gMSA: not checked: no password");
        live.mode = Mode::Offline;
        let off = live.lines("sql", t0);
        assert_eq!(off[0].state, State::Skipped);
        assert!(off[0].text.contains("--offline"));
    }
}
