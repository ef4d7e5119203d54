//! The wizard as `mim-setup demo` shows it: the same screens, answers and live checks, and
//! three things a trainer has on top, all plain data in the model (the servers themselves
//! are the runtime's):
//!
//! - the narration panel (F6): per screen, what the seed's walkthrough does at this step,
//!   what the live checks just asked the demo servers, and what they catch in a real
//!   environment (the faults of the catalogue that show on this screen);
//! - the fault panel (F7): the scenario's faults, switched on and off with Space or Enter;
//!   `Effect::SwitchFault` changes the running server, `Action::FaultSwitched` comes back,
//!   and every finished check runs again with the same inputs;
//! - autoplay (`autoplay.rs`), whose state lives here so that the view can say it.
use super::action::{Action, Effect};
use super::autoplay::Autoplay;
use super::model::{Model, Popup, Status};
use crate::check::Area;

/// One fault of the panel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaultRow {
    pub name: String,
    pub description: String,
    /// The field whose finding it causes (`screen.field`).
    pub field: String,
    /// The check id of that finding.
    pub finding: String,
    pub on: bool,
}

impl FaultRow {
    /// The screen that shows its finding.
    pub fn screen(&self) -> &str {
        self.field.split('.').next().unwrap_or_default()
    }
}

/// What the demo adds to the wizard.
#[derive(Debug, Clone, Default)]
pub struct Demo {
    /// The scenario's name (sync, service-portal, aadp-a, ...).
    pub scenario: String,
    pub faults: Vec<FaultRow>,
    /// The narration panel is shown (F6).
    pub narration: bool,
    /// Where each demo server listens: (what, address), for the narration.
    pub servers: Vec<(String, String)>,
    pub autoplay: Option<Autoplay>,
}

impl Demo {
    /// The servers a check of `area` asks.
    pub fn servers_of(&self, area: Area) -> Vec<&(String, String)> {
        let wanted: &[&str] = match area {
            Area::Sql => &["SQL Server"],
            Area::Ad => &["LDAP"],
            Area::Mail => &["SMTP", "HTTPS"],
            Area::Net => &["DNS"],
        };
        self.servers
            .iter()
            .filter(|(what, _)| wanted.iter().any(|w| what.starts_with(w)))
            .collect()
    }
}

/// The demo's keys and results; None for an action that is not the demo's.
pub(super) fn step(m: &mut Model, action: &Action) -> Option<Vec<Effect>> {
    let demo = m.demo.as_mut()?;
    match action {
        Action::Narration => {
            demo.narration = !demo.narration;
            Some(vec![])
        }
        Action::Faults => {
            if matches!(m.popup, Some(Popup::Faults(_))) {
                m.popup = None;
            } else if m.popup.is_none() {
                let first = demo
                    .faults
                    .iter()
                    .position(|f| f.screen() == m.current)
                    .unwrap_or(0);
                m.popup = Some(Popup::Faults(first));
            }
            Some(vec![])
        }
        Action::FaultSwitched(name, on) => {
            if let Some(f) = demo.faults.iter_mut().find(|f| &f.name == name) {
                f.on = *on;
            }
            let again = recheck_all(m);
            m.status = Some(Status::Info(format!(
                "fault {name} {}: {again} check(s) run again",
                if *on { "on" } else { "off" }
            )));
            Some(vec![])
        }
        _ => {
            let Some(Popup::Faults(at)) = m.popup else {
                return None;
            };
            Some(panel_key(m, at, action))
        }
    }
}

fn panel_key(m: &mut Model, at: usize, action: &Action) -> Vec<Effect> {
    let Some(demo) = m.demo.as_ref() else {
        return vec![];
    };
    let n = demo.faults.len();
    match action {
        Action::Up | Action::FocusPrev if n > 0 => {
            m.popup = Some(Popup::Faults((at + n - 1) % n));
            vec![]
        }
        Action::Down | Action::FocusNext if n > 0 => {
            m.popup = Some(Popup::Faults((at + 1) % n));
            vec![]
        }
        Action::Toggle | Action::Enter => match demo.faults.get(at) {
            Some(f) => vec![Effect::SwitchFault(f.name.clone(), !f.on)],
            None => vec![],
        },
        Action::Back | Action::Help => {
            m.popup = None;
            vec![]
        }
        _ => vec![],
    }
}

/// Every finished run of every screen starts again with the same inputs (a fault changed a
/// server, not an answer); returns how many.
fn recheck_all(m: &mut Model) -> usize {
    if m.live.mode != super::live::Mode::On {
        return 0;
    }
    let mut again = 0;
    for slot in m.live.slots.values_mut() {
        if let Some(run) = slot.run.as_ref().filter(|r| r.output.is_some()) {
            slot.waiting = Some((run.inputs.clone(), None));
            again += 1;
        }
    }
    again
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::Screens;

    fn model() -> Model {
        let screens = Screens::embedded().expect("screens");
        let mut m = Model::new(screens, None, "demo-sync");
        m.demo = Some(Demo {
            scenario: "sync".into(),
            faults: vec![
                FaultRow {
                    name: "sql-too-old".into(),
                    description: "old".into(),
                    field: "sql.server".into(),
                    finding: "sql-version-unsupported".into(),
                    on: false,
                },
                FaultRow {
                    name: "ad-account-disabled".into(),
                    description: "disabled".into(),
                    field: "service_account.name".into(),
                    finding: "ad-account-disabled".into(),
                    on: false,
                },
            ],
            ..Demo::default()
        });
        m
    }

    #[test]
    fn f7_opens_the_panel_and_space_asks_the_runtime_to_switch_the_fault() {
        let mut m = model();
        assert!(step(&mut m, &Action::Faults).is_some());
        assert_eq!(m.popup, Some(Popup::Faults(0)));
        step(&mut m, &Action::Down);
        assert_eq!(m.popup, Some(Popup::Faults(1)));
        step(&mut m, &Action::Down);
        assert_eq!(m.popup, Some(Popup::Faults(0)), "the list wraps");
        step(&mut m, &Action::Up);
        let effects = step(&mut m, &Action::Toggle).expect("the panel's key");
        assert_eq!(
            effects,
            vec![Effect::SwitchFault("ad-account-disabled".into(), true)]
        );
        // Nothing changes in the model until the runtime says the server changed.
        assert!(!m.demo.as_ref().expect("the demo").faults[1].on);
        step(
            &mut m,
            &Action::FaultSwitched("ad-account-disabled".into(), true),
        );
        assert!(m.demo.as_ref().expect("the demo").faults[1].on);
        let effects = step(&mut m, &Action::Enter).expect("the panel's key");
        assert_eq!(
            effects,
            vec![Effect::SwitchFault("ad-account-disabled".into(), false)]
        );
        step(&mut m, &Action::Back);
        assert_eq!(m.popup, None);
    }

    #[test]
    fn the_panel_opens_on_the_first_fault_of_this_screen() {
        let mut m = model();
        m.current = "service_account".into();
        step(&mut m, &Action::Faults);
        assert_eq!(m.popup, Some(Popup::Faults(1)));
        step(&mut m, &Action::Faults);
        assert_eq!(m.popup, None, "F7 closes it again");
    }

    #[test]
    fn not_a_demo_no_demo_keys() {
        let screens = Screens::embedded().expect("screens");
        let mut m = Model::new(screens, None, "x");
        assert!(step(&mut m, &Action::Faults).is_none());
        assert!(step(&mut m, &Action::Narration).is_none());
        assert_eq!(m.popup, None);
    }

    #[test]
    fn f6_toggles_the_narration() {
        let mut m = model();
        step(&mut m, &Action::Narration);
        assert!(m.demo.as_ref().expect("the demo").narration);
        step(&mut m, &Action::Narration);
        assert!(!m.demo.as_ref().expect("the demo").narration);
    }
}
