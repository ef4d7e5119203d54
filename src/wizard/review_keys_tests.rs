use super::READ_ONLY;
use crate::approve::Verdict;
use crate::review::{Session, Stage};
use crate::screens::{ScreenKind, Screens};
use crate::wizard::{update, Action, Effect, Erase, Exit, Focus, Model, Popup, Status};
use std::path::Path;

fn model() -> Model {
    let screens = Screens::embedded().expect("screens");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles/contoso-aadp-option-h.toml");
    let reviewed = crate::review::build::read(screens, &file, None).expect("reads");
    let mut m = Model::new(screens, Some(&reviewed.loaded.profile), "review");
    m.review = Some(Session::new(
        reviewed.walk,
        "alice".into(),
        "h.review.toml".into(),
    ));
    m
}

fn stage(m: &Model) -> Stage {
    m.review.as_ref().expect("a review").stage.clone()
}

/// Next until the verdict, passing setup's messages with Enter; the effects on the way.
fn to_verdict(m: &mut Model) -> Vec<Effect> {
    let mut effects = Vec::new();
    for _ in 0..200 {
        if stage(m) == Stage::Verdict {
            return effects;
        }
        let a = if m.popup.is_some() {
            Action::Enter
        } else {
            Action::Next
        };
        effects.extend(update(m, a));
    }
    panic!("no verdict after 200 keys, at {}", m.current);
}

#[test]
fn no_key_changes_an_answer_on_any_screen() {
    let mut m = model();
    let before = m.answers.clone();
    let editing = [
        Action::Input('x'),
        Action::Paste("pasted".into()),
        Action::Backspace,
        Action::Delete,
        Action::Erase(Erase::ToStart),
        Action::Toggle,
        Action::CycleSecretSource,
        Action::CursorLeft,
    ];
    let flow: Vec<String> = m.flow().iter().map(|s| s.id.clone()).collect();
    for id in flow {
        update(&mut m, Action::JumpTo(id.clone()));
        m.popup = None;
        assert_eq!(m.current, id);
        for f in m.focusables() {
            update(&mut m, Action::Focus(f));
            for a in &editing {
                let effects = update(&mut m, a.clone());
                assert!(effects.is_empty(), "{id} {f:?} {a:?}: {effects:?}");
                assert_eq!(m.status, Some(Status::Error(READ_ONLY.into())));
            }
            if let Focus::Field(i) = f {
                for option in 0..3 {
                    update(&mut m, Action::Select { field: i, option });
                }
            }
            assert_eq!(m.answers, before, "{id} {f:?}");
        }
    }
}

#[test]
fn the_walk_keeps_no_draft_and_ends_in_a_written_verdict_with_the_comments() {
    let mut m = model();
    // A comment on the first field of the component screen.
    let first = m.focusables()[0];
    assert!(matches!(first, Focus::Field(_)));
    update(&mut m, Action::Focus(first));
    update(&mut m, Action::Input('c'));
    assert!(matches!(stage(&m), Stage::Comment { .. }));
    for c in "why not ".chars() {
        let a = if c == ' ' {
            Action::Toggle
        } else {
            Action::Input(c)
        };
        update(&mut m, a);
    }
    update(&mut m, Action::Paste("sync?\nplease".into()));
    update(&mut m, Action::Enter);
    assert_eq!(stage(&m), Stage::Browse);
    let r = m.review.as_ref().expect("review");
    assert_eq!(r.comments.len(), 1);
    assert_eq!(r.comments[0].field.as_deref(), Some("setup.component"));
    assert_eq!(r.comments[0].text, "why not sync? please");
    // Esc drops a comment being typed.
    update(&mut m, Action::Input('c'));
    update(&mut m, Action::Input('x'));
    update(&mut m, Action::Back);
    assert_eq!(m.review.as_ref().expect("review").comments.len(), 1);
    let effects = to_verdict(&mut m);
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(m.screen().kind, ScreenKind::Summary);
    // Ctrl-C on the way keeps no draft either.
    let mut other = model();
    assert!(update(&mut other, Action::Interrupt).is_empty());
    assert_eq!(other.exit, Some(Exit::Interrupted));
    // The verdict, its note, the file.
    update(&mut m, Action::Input('x'));
    assert_eq!(stage(&m), Stage::Verdict);
    update(&mut m, Action::Input('r'));
    for c in "no".chars() {
        update(&mut m, Action::Input(c));
    }
    let effects = update(&mut m, Action::Enter);
    let [Effect::WriteReview(file, record)] = effects.as_slice() else {
        panic!("{effects:?}");
    };
    assert_eq!(file, Path::new("h.review.toml"));
    assert_eq!(record.verdict, Verdict::Rejected);
    assert_eq!(record.note, "no");
    assert_eq!(record.reviewer, "alice");
    assert_eq!(record.subject, "profile-sha256");
    assert_eq!(record.comments.len(), 1);
    // A failed write says so and asks again; a good one ends the run.
    update(&mut m, Action::ReviewWritten(Err("disk full".into())));
    assert!(matches!(&m.popup, Some(Popup::Error(e)) if e.contains("disk full")));
    assert_eq!(m.exit, None);
    update(&mut m, Action::Enter);
    to_verdict(&mut m);
    update(&mut m, Action::Input('a'));
    let effects = update(&mut m, Action::Enter);
    assert!(matches!(effects.as_slice(), [Effect::WriteReview(..)]));
    update(&mut m, Action::ReviewWritten(Ok("h.review.toml".into())));
    assert_eq!(m.exit, Some(Exit::Finished));
}
