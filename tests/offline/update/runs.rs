//! Whole runs through `wizard::update`: a draft after every screen, typed secrets that never
//! reach an effect, and where a new or resumed run starts.
use super::support::{at, contoso, fresh, outputs, pass_messages, run, screens, typed};
use super::{effect_key, PASSWORD};
use mim_setup::answers::Value;
use mim_setup::profile::{to_toml, Profile};
use mim_setup::secret::SecretRef;
use mim_setup::wizard::{update, Action::*, Effect, Exit, Focus, Model};

/// Every screen passed with Next saves a draft recording the screen reached; Install asks
/// to finish instead, with a profile that is not a draft.
#[test]
fn next_saves_a_draft_after_every_screen() {
    let mut m = fresh();
    let flow: Vec<String> = m.flow().iter().map(|s| s.id.clone()).collect();
    for pair in flow.windows(2) {
        assert_eq!(m.current, pair[0]);
        // Setup's messages and the acknowledged warning on arrival are read with Enter.
        let mut effects = update(&mut m, Next);
        effects.extend(pass_messages(&mut m));
        if pair[1] == "finish" {
            assert!(
                matches!(effects.as_slice(), [Effect::Finish(p)] if p.draft_screen.is_none()),
                "{effects:?}"
            );
            update(&mut m, Finished(Ok(outputs(&contoso_finish(&effects)))));
            // Setup's sign-out message on the finish screen, read with Enter.
            pass_messages(&mut m);
        } else {
            let keys: Vec<String> = effects.iter().map(effect_key).collect();
            assert_eq!(
                keys,
                vec![format!("draft:{}", pair[1])],
                "Next on {}",
                pair[0]
            );
            assert!(
                m.visited.contains(&pair[0]),
                "{} is marked visited",
                pair[0]
            );
        }
        assert_eq!(m.current, pair[1]);
    }
    assert_eq!(update(&mut m, Next), vec![], "Close saves nothing");
    assert_eq!(m.exit, Some(Exit::Finished));
}

fn contoso_finish(effects: &[Effect]) -> Profile {
    match effects {
        [Effect::Finish(p)] => p.clone(),
        other => panic!("expected one Finish effect, got {other:?}"),
    }
}

const CANARY: &str = "Canary-Pässwörd-7Q";

/// A typed password lives in `model.secrets` only: never in the answers, the draft, the
/// finished profile, or its TOML.
#[test]
fn typed_secrets_never_reach_an_effect() {
    let mut all = Vec::new();
    let mut m = at("service_account");
    all.extend(run(&mut m, [Focus(Focus::Field(2))]));
    all.extend(run(&mut m, typed(&CANARY[..6])));
    all.extend(run(
        &mut m,
        [
            Paste(CANARY[6..].into()),
            Input('x'),
            Backspace,
            CursorLeft,
            Delete,
        ],
    ));
    assert_eq!(m.secrets.get(PASSWORD).map(|s| s.expose()), Some(CANARY));
    assert_eq!(
        m.cursor,
        CANARY.chars().count(),
        "a secret is edited at its end"
    );
    assert_eq!(
        m.answers.get(PASSWORD),
        Some(&Value::Secret(SecretRef::Env("MIM_SYNC_PASSWORD".into())))
    );
    assert!(!m.text_of(2).contains(CANARY), "the shown text is a mask");
    // A draft on the way (ctrl-c) on a second run with the same secret.
    let mut other = at("service_account");
    run(&mut other, [Focus(Focus::Field(2))]);
    run(&mut other, typed(CANARY));
    all.extend(run(&mut other, [Interrupt]));
    let mut third = at("service_account");
    run(&mut third, [Focus(Focus::Field(2))]);
    run(&mut third, typed(CANARY));
    all.extend(run(&mut third, [Cancel, Enter]));
    // The rest of the flow, through Install.
    for _ in 0..10 {
        if m.current == "summary" {
            break;
        }
        all.extend(update(&mut m, Next));
        all.extend(pass_messages(&mut m));
    }
    all.extend(run(&mut m, [Next]));
    all.extend(pass_messages(&mut m));
    assert!(
        all.iter().any(|e| matches!(e, Effect::Finish(_))),
        "{all:?}"
    );
    assert!(all.len() >= 5, "{} effects", all.len());
    for e in &all {
        let debug = format!("{e:?}");
        assert!(
            !debug.contains(CANARY) && !debug.contains("Pässwörd"),
            "secret in {debug}"
        );
        let p = match e {
            Effect::SaveDraft(p) | Effect::Finish(p) => p,
            Effect::StartCheck(run) => &run.profile,
            Effect::CancelCheck(_)
            | Effect::OpenApply(_)
            | Effect::StartApply(_)
            | Effect::WriteReview(..)
            | Effect::SwitchFault(..) => continue,
        };
        let text = to_toml(p, screens());
        assert!(
            !text.contains(CANARY) && !text.contains("Pässwörd"),
            "secret in\n{text}"
        );
        assert!(
            text.contains("password = { env = \"MIM_SYNC_PASSWORD\" }"),
            "{text}"
        );
    }
    assert!(!format!("{:?}", m.answers).contains("Pässwörd"));
}

#[test]
fn switching_to_gmsa_forgets_a_typed_password() {
    let mut m = at("service_account");
    run(&mut m, [Focus(Focus::Field(2))]);
    run(&mut m, typed(CANARY));
    run(
        &mut m,
        [Select {
            field: 0,
            option: 1,
        }],
    );
    assert!(m.secrets.is_empty());
    assert_eq!(m.answers.get(PASSWORD), None);
    assert_eq!(m.text_of(2), "");
    run(&mut m, [Input('z'), Paste("more".into()), Backspace]);
    assert!(
        m.secrets.is_empty(),
        "the disabled password takes no typing"
    );
}

#[test]
fn a_new_run_starts_on_the_first_screen_with_the_profile() {
    let m = fresh();
    assert_eq!(m.current, "setup");
    assert_eq!(m.focus, Focus::Field(0));
    assert!(m.visited.is_empty());
    assert_eq!(m.answers.text("sql.server"), "corpsql.contoso.com");
    assert!(m
        .acknowledged
        .contains("service-account-logon-rights@service_account.name"));
    assert_eq!(
        (m.popup.clone(), m.exit, m.status.clone()),
        (None, None, None)
    );
}

#[test]
fn a_draft_resumes_where_it_was_but_never_on_the_finish_screen() {
    let mut p = contoso();
    p.draft_screen = Some("groups".into());
    let m = Model::new(screens(), Some(&p), "mim-sync");
    assert_eq!(m.current, "groups");
    assert!(m.visited.contains("service_account") && !m.visited.contains("groups"));
    p.draft_screen = Some("finish".into());
    let mut m = Model::new(screens(), Some(&p), "mim-sync");
    assert_eq!(
        m.current, "summary",
        "nothing is written yet: Install is still to do"
    );
    let effects = run(&mut m, [Next, Enter]);
    assert!(
        matches!(effects.as_slice(), [Effect::Finish(_)]),
        "Install finishes after setup's key-backup message: {effects:?}"
    );
}
