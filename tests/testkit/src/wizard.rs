//! Shared by `tests/offline/update.rs` and `tests/offline/snapshots.rs`: the shipped Contoso
//! profile, and a driver that walks the wizard to a screen the way a user does, with Next.
#![allow(dead_code)]

use mim_setup::profile::{load_str, to_toml, Profile};
use mim_setup::screens::Screens;
use mim_setup::wizard::{update, Action, Effect, Model, Outputs, Popup};

pub const CONTOSO: &str = include_str!("../../../profiles/contoso-sync.toml");
pub const OUT_PROFILE: &str = "mim-setup-output/contoso-sync.toml";
pub const OUT_PLAN: &str = "mim-setup-output/contoso-sync.plan.toml";

pub fn screens() -> &'static Screens {
    Screens::embedded().expect("the embedded screens load")
}

pub fn contoso() -> Profile {
    load_str("profiles/contoso-sync.toml", CONTOSO, screens(), false)
        .expect("the shipped Contoso profile loads")
        .profile
}

/// A new run on the Contoso profile, at the first screen.
pub fn fresh() -> Model {
    Model::new(screens(), Some(&contoso()), "contoso-sync")
}

/// A new run on the Contoso profile, walked to screen `id` with Next.
pub fn at(id: &str) -> Model {
    let mut m = fresh();
    walk(&mut m, id);
    m
}

/// Presses Next until the wizard is on `id`. Install's Finish effect is answered with a
/// successful result, so `"finish"` is reachable too. Setup's own messages and the
/// acknowledged warnings shown on a first visit are read and passed with Enter, as a user
/// does; any other popup stops the walk.
pub fn walk(m: &mut Model, id: &str) {
    for _ in 0..40 {
        if m.current == id {
            return;
        }
        let mut effects = update(m, Action::Next);
        effects.extend(pass_messages(m));
        assert!(
            m.popup.is_none(),
            "walking to {id}: popup {:?} on {}",
            m.popup,
            m.current
        );
        for e in effects {
            if let Effect::Finish(p) = e {
                update(m, Action::Finished(Ok(outputs(&p))));
                pass_messages(m);
            }
        }
    }
    panic!(
        "cannot walk to {id}: stuck on {} with {:?}",
        m.current, m.findings
    );
}

/// Enter on setup's messages and on acknowledged warnings until none is open (at most a few).
pub fn pass_messages(m: &mut Model) -> Vec<Effect> {
    let mut effects = Vec::new();
    for _ in 0..5 {
        if !matches!(m.popup, Some(Popup::Setup(_) | Popup::Acknowledged(_))) {
            break;
        }
        effects.extend(update(m, Action::Enter));
    }
    effects
}

/// What the runtime reports after Install: the plan is made from the profile exactly as
/// `tui::effects` does, so the finish screen shows the real steps.
pub fn outputs(p: &Profile) -> Outputs {
    let text = to_toml(p, screens());
    let plan = mim_setup::plan::build_from_text(screens(), &text, OUT_PROFILE)
        .expect("the wizard's profile gives a plan");
    Outputs {
        profile: OUT_PROFILE.into(),
        plan: OUT_PLAN.into(),
        steps: plan
            .steps
            .iter()
            .map(|s| format!("{:<32} {:?}", s.id, s.kind).to_lowercase())
            .collect(),
    }
}

/// Applies actions in order; returns every effect they asked for.
pub fn run(m: &mut Model, actions: impl IntoIterator<Item = Action>) -> Vec<Effect> {
    actions.into_iter().flat_map(|a| update(m, a)).collect()
}

/// One `Input` per character.
pub fn typed(s: &str) -> Vec<Action> {
    s.chars().map(Action::Input).collect()
}

/// A new run on a shipped profile (`profiles/NAME.toml`), at the first screen.
pub fn fresh_from(name: &str) -> Model {
    let file = format!("{}/profiles/{name}.toml", crate::root().display());
    let text = std::fs::read_to_string(&file).expect("the shipped profile");
    let profile = load_str(&file, &text, screens(), false)
        .expect("the shipped profile loads")
        .profile;
    Model::new(screens(), Some(&profile), name)
}

/// A new run on a shipped profile, walked to screen `id` with Next.
pub fn at_from(name: &str, id: &str) -> Model {
    let mut m = fresh_from(name);
    walk(&mut m, id);
    m
}
