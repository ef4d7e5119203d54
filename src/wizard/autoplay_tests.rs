use super::*;
use crate::profile::{self, Profile};
use crate::screens::Screens;
use crate::wizard::demo::Demo;
use crate::wizard::{update, Effect, Outputs};

fn screens() -> &'static Screens {
    Screens::embedded().expect("screens")
}

fn shipped(file: &str) -> Profile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    profile::load_file(&path, screens(), false)
        .expect("shipped profile")
        .profile
}

fn playing(profile: &Profile) -> Model {
    let mut m = Model::new(screens(), Some(profile), "demo");
    m.demo = Some(Demo {
        autoplay: Some(Autoplay::new(1000.0)),
        ..Demo::default()
    });
    m
}

/// Dispatches an action as the runtime does; a finish is answered as if the files were
/// written.
fn dispatch(m: &mut Model, a: Action) {
    for e in update(m, a) {
        if let Effect::Finish(_) = e {
            update(
                m,
                Action::Finished(Ok(Outputs {
                    profile: "demo.toml".into(),
                    plan: "demo.plan.toml".into(),
                    steps: vec![],
                })),
            );
        }
    }
}

/// Plays until autoplay stops acting (at most `turns` turns of 5 ms each); returns the
/// actions played.
fn play(m: &mut Model, turns: usize) -> Vec<Action> {
    let start = Instant::now();
    let mut played = Vec::new();
    for t in 0..turns {
        let now = start + Duration::from_millis(5 * t as u64);
        if let Some(a) = next(m, now) {
            played.push(a.clone());
            dispatch(m, a);
        }
        let ap = m
            .demo
            .as_ref()
            .expect("the demo")
            .autoplay
            .as_ref()
            .expect("autoplay");
        if ap.state != Play::Playing {
            break;
        }
    }
    played
}

fn state(m: &Model) -> (Play, String) {
    let ap = m
        .demo
        .as_ref()
        .expect("the demo")
        .autoplay
        .as_ref()
        .expect("autoplay");
    (ap.state, ap.why.clone())
}

#[test]
fn plays_the_sync_walkthrough_to_the_finish_typing_its_answers() {
    let profile = shipped("profiles/contoso-sync.toml");
    let mut m = playing(&profile);
    let played = play(&mut m, 20_000);
    assert_eq!(
        state(&m),
        (Play::Over, "the walkthrough is finished".into())
    );
    assert_eq!(m.screen().kind, ScreenKind::Finish);
    // Every screen of the flow was passed with Next.
    let flow: Vec<String> = m.flow().iter().map(|s| s.id.clone()).collect();
    for id in &flow[..flow.len() - 1] {
        assert!(m.visited.contains(id), "{id} was not passed");
    }
    // It typed the walkthrough's answers, and they are what the profile says.
    let typed: String = played
        .iter()
        .filter_map(|a| match a {
            Action::Input(c) => Some(*c),
            _ => None,
        })
        .collect();
    assert!(typed.contains("corpsql.contoso.com"), "{typed}");
    assert!(typed.contains("MIMSync"), "{typed}");
    for (path, value) in profile.answers.iter() {
        assert_eq!(m.answers.get(path), Some(value), "{path}");
    }
}

#[test]
fn a_screen_next_cannot_leave_pauses_and_space_plays_it_again() {
    let mut profile = shipped("profiles/contoso-sync.toml");
    profile.answers.set(
        "sql.server",
        crate::answers::Value::Text("corpsql,1433".into()),
    );
    let mut m = playing(&profile);
    play(&mut m, 20_000);
    let (st, why) = state(&m);
    assert_eq!(st, Play::Paused);
    assert!(why.contains("errors to fix"), "{why}");
    assert_eq!(m.current, "sql");
    // The trainer fixes it and goes on.
    m.answers.set(
        "sql.server",
        crate::answers::Value::Text("corpsql.contoso.com".into()),
    );
    assert_eq!(key(&mut m, Action::Toggle), None);
    assert_eq!(state(&m).0, Play::Playing);
    play(&mut m, 20_000);
    assert_eq!(
        state(&m),
        (Play::Over, "the walkthrough is finished".into())
    );
}

#[test]
fn space_pauses_ctrl_n_skips_another_key_takes_over_and_f8_plays_on() {
    let profile = shipped("profiles/contoso-sync.toml");
    let mut m = playing(&profile);
    assert_eq!(key(&mut m, Action::Toggle), None);
    assert_eq!(state(&m).0, Play::Paused);
    let now = Instant::now() + Duration::from_secs(60);
    assert_eq!(next(&mut m, now), None, "a paused autoplay plays nothing");
    assert_eq!(key(&mut m, Action::Toggle), None);
    assert_eq!(state(&m).0, Play::Playing);
    assert_eq!(key(&mut m, Action::Next), Some(Action::Next));
    assert_eq!(state(&m).0, Play::Playing);
    assert_eq!(key(&mut m, Action::Input('x')), Some(Action::Input('x')));
    assert_eq!(state(&m).0, Play::Over);
    assert!(state(&m).1.contains("taken over"));
    assert_eq!(next(&mut m, now), None);
    // Over: keys act as usual, Space among them.
    assert_eq!(key(&mut m, Action::Toggle), Some(Action::Toggle));
    assert_eq!(key(&mut m, Action::Autoplay), None);
    assert_eq!(state(&m).0, Play::Playing);
}

#[test]
fn without_autoplay_every_key_acts() {
    let mut m = Model::new(screens(), None, "x");
    assert_eq!(key(&mut m, Action::Toggle), Some(Action::Toggle));
    assert_eq!(next(&mut m, Instant::now()), None);
}

#[test]
fn speed_scales_the_pace_and_nonsense_is_speed_one() {
    assert_eq!(Autoplay::new(2.0).pace, TYPE_PACE / 2);
    assert_eq!(Autoplay::new(f64::NAN).pace, TYPE_PACE);
    assert_eq!(Autoplay::new(-3.0).hold, HOLD);
}
