//! The wizard's finish screen starts apply with key A (the apply screen then asks for a
//! confirmation; its drawing is unit-tested in src/tui/apply_view.rs). Before the files are
//! written, A is an ordinary key.
use mim_setup::screens::Screens;
use mim_setup::wizard::{update, Action, Exit, Model, Outputs};
use std::path::PathBuf;

fn screens() -> &'static Screens {
    Screens::embedded().expect("built-in screens")
}

#[test]
fn key_a_on_the_finish_screen_asks_to_apply_the_plan() {
    let mut m = Model::new(screens(), None, "mim-setup");
    let _ = update(&mut m, Action::Input('a'));
    assert_eq!(m.exit, None, "an ordinary key before the finish screen");
    let _ = update(
        &mut m,
        Action::Finished(Ok(Outputs {
            profile: PathBuf::from("out/mim-sync.toml"),
            plan: PathBuf::from("out/mim-sync.plan.toml"),
            steps: vec![],
        })),
    );
    assert_eq!(m.exit, None);
    let effects = update(&mut m, Action::Input('A'));
    assert!(effects.is_empty());
    assert_eq!(m.exit, Some(Exit::Apply));
    assert_eq!(Exit::Apply.code(), 0);
}
