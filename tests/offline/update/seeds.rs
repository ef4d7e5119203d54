//! The wizard as the seeds walk it: setup's own messages as popups at the points the seeds
//! put them, an acknowledged warning shown once on its screen's first visit, a run without a
//! profile that shows the walkthrough's values as examples instead of answers, and a loaded
//! profile's errors in the step list from the start.
use super::support::{at, fresh, fresh_from, pass_messages, run, screens, walk};
use mim_setup::answers::Value;
use mim_setup::wizard::{Action::*, Effect, Focus, Model, Popup};

fn setup_title(m: &Model) -> Option<String> {
    match &m.popup {
        Some(Popup::Setup(p)) => Some(p.title.clone()),
        _ => None,
    }
}

/// Walks a shipped profile to `screen`, where Next must show setup's message `title`, Esc
/// stay, and Next then Enter reach `then`.
fn message_on_next(profile: &str, screen: &str, title: &str, then: &str) {
    let start = |_: ()| {
        let mut m = fresh_from(profile);
        walk(&mut m, screen);
        m
    };
    let mut m = start(());
    run(&mut m, [Next]);
    let got = setup_title(&m);
    assert!(
        got.as_deref().is_some_and(|t| t.contains(title)),
        "{profile} {screen}: {got:?}"
    );
    if let Some(Popup::Setup(p)) = &m.popup {
        assert!(p.advance, "{screen}: Enter goes on");
        for text in [&p.setup, &p.means, &p.plan] {
            assert!(
                !text.trim().is_empty() && !text.contains("{"),
                "{screen}: {text:?}"
            );
        }
    }
    run(&mut m, [Back]);
    assert_eq!(
        (m.popup.as_ref(), m.current.as_str()),
        (None, screen),
        "Esc stays"
    );
    let effects = run(&mut m, [Next, Enter]);
    pass_messages(&mut m);
    if then == "finish" {
        assert!(
            effects.iter().any(|e| matches!(e, Effect::Finish(_))),
            "{effects:?}"
        );
    } else {
        assert_eq!(m.current, then, "{screen}: Enter goes on");
    }
}

#[test]
fn setup_messages_show_where_the_seeds_put_them() {
    #[rustfmt::skip]
    let rows = [
        ("contoso-sync", "summary", "back up the encryption key", "finish"),
        ("contoso-sync-gmsa", "summary", "back up the encryption key", "finish"),
        ("contoso-service-portal", "portal", "SharePoint site collection", "access"),
        ("contoso-service-portal", "registration", "Registration Portal", "registration_site"),
        ("contoso-service-portal", "reset", "Reset Portal", "reset_site"),
        ("contoso-aadp-option-h", "portal", "SharePoint site collection", "access"),
    ];
    for (profile, screen, title, then) in rows {
        message_on_next(profile, screen, title, then);
    }
}

/// Screens where setup shows nothing of its own go on at once.
#[test]
fn other_screens_show_no_setup_message() {
    for (profile, screen) in [
        ("contoso-sync", "sql"),
        ("contoso-sync", "groups"),
        ("contoso-service-portal", "access"),
        ("contoso-service-portal", "registration_site"),
    ] {
        let mut m = fresh_from(profile);
        walk(&mut m, screen);
        run(&mut m, [Next]);
        assert_eq!(setup_title(&m), None, "{profile} {screen}");
        assert_ne!(m.current, screen, "{profile} {screen}: Next went on");
    }
}

#[test]
fn the_message_fills_in_the_answers() {
    let mut m = at("summary");
    run(&mut m, [Next]);
    let Some(Popup::Setup(p)) = &m.popup else {
        panic!("{:?}", m.popup)
    };
    assert!(
        p.plan.contains("C:\\MIMBackup\\MIMSyncKey.bin"),
        "{}",
        p.plan
    );
}

/// The sign-out message comes when setup has finished: on the finish screen, closed with
/// Enter, which then leaves the wizard as before.
#[test]
fn the_sign_out_message_comes_on_the_finish_screen() {
    let mut m = at("summary");
    let effects = run(&mut m, [Next, Enter]);
    let Some(Effect::Finish(p)) = effects.into_iter().find(|e| matches!(e, Effect::Finish(_)))
    else {
        panic!("no finish")
    };
    run(&mut m, [Finished(Ok(super::support::outputs(&p)))]);
    assert_eq!(m.current, "finish");
    let title = setup_title(&m).unwrap_or_default();
    assert!(title.contains("sign out"), "{title}");
    run(&mut m, [Enter]);
    assert_eq!((m.popup.as_ref(), m.exit), (None, None));
    run(&mut m, [Enter]);
    assert!(m.exit.is_some());
}

/// Seed 000's service-account warning, acknowledged in the shipped profile: shown on the
/// summary's first visit, dismissed with Enter, not again; not at all when quiet.
#[test]
fn an_acknowledged_warning_is_shown_once_on_the_first_visit() {
    const LOGON: &str = "service-account-logon-rights@service_account.name";
    let mut m = fresh();
    walk(&mut m, "security");
    run(&mut m, [Next]);
    assert_eq!(m.current, "summary");
    let Some(Popup::Acknowledged(ws)) = &m.popup else {
        panic!("{:?}", m.popup)
    };
    assert_eq!(ws.iter().map(|w| w.ack_key()).collect::<Vec<_>>(), [LOGON]);
    run(&mut m, [Enter]);
    assert_eq!(m.popup, None);
    assert!(m.acknowledged.contains(LOGON));
    // Back and forth: not again.
    run(&mut m, [Back]);
    run(&mut m, [Next]);
    assert_eq!((m.current.as_str(), m.popup.as_ref()), ("summary", None));

    let mut quiet = fresh();
    quiet.quiet_acknowledged = true;
    walk(&mut quiet, "security");
    run(&mut quiet, [Next]);
    assert_eq!(
        (quiet.current.as_str(), quiet.popup.as_ref()),
        ("summary", None)
    );
}

/// Without a profile: setup's own defaults are answers, the walkthrough's values only
/// examples; Right in an empty field takes its example.
#[test]
fn a_fresh_wizard_shows_examples_instead_of_contoso_answers() {
    let m = Model::new(screens(), None, "mim-setup");
    for (field, default) in [
        ("sql.server", ""),
        ("sql.instance_name", ""),
        ("service_account.name", ""),
        ("service_account.domain", ""),
        ("groups.admins", ""),
        ("security.key_backup", ""),
        ("portal.service_address", ""),
        ("registration.host", ""),
        ("registration.port", ""),
        ("sync_link.ma_account", ""),
        ("checks.domain", ""),
        // Setup's own defaults stay.
        ("sql.database", "FIMSynchronizationService"),
        ("database.database", "FIMService"),
        (
            "install.folder",
            "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\",
        ),
        ("sync_link.server", "localhost"),
    ] {
        assert_eq!(m.answers.text(field), default, "{field}");
    }
    for s in screens().all() {
        for f in &s.fields {
            let v = m.answers.text(&format!("{}.{}", s.id, f.id));
            assert!(
                mim_setup::rules::contoso_name(v).is_none(),
                "{}.{}: a fresh run answers {v:?}",
                s.id,
                f.id
            );
        }
    }

    // Right takes the example; in a field with text it moves the cursor only.
    let mut m = Model::new(screens(), None, "mim-setup");
    m.current = "sql".into();
    m.answers.set("sql.location", Value::Text("remote".into()));
    m.refresh();
    run(&mut m, [Focus(Focus::Field(1)), CursorRight]);
    assert_eq!(m.answers.text("sql.server"), "corpsql.contoso.com");
    assert_eq!(m.cursor, "corpsql.contoso.com".chars().count());
    run(&mut m, [CursorHome, CursorRight]);
    assert_eq!(
        (m.answers.text("sql.server"), m.cursor),
        ("corpsql.contoso.com", 1)
    );
}

/// The shipped Contoso profiles keep the walkthrough's values.
#[test]
fn the_contoso_profiles_keep_the_walkthrough_values() {
    let m = fresh();
    assert_eq!(m.answers.text("sql.server"), "corpsql.contoso.com");
    assert_eq!(m.answers.text("service_account.name"), "MIMSync");
    let sp = fresh_from("contoso-service-portal");
    assert_eq!(sp.answers.text("portal.service_address"), "CORPIDM");
}

/// A loaded profile is judged whole: the step list marks a later screen's error at once; a
/// fresh run marks only what was visited.
#[test]
fn a_loaded_profiles_errors_are_marked_from_the_start() {
    let mut p = super::support::contoso();
    p.answers.set("groups.admins", Value::Text("".into()));
    p.answers
        .set("sql.server", Value::Text("corpsql,1433".into()));
    let m = Model::new(screens(), Some(&p), "contoso-sync");
    assert_eq!(m.current, "setup");
    let marked: Vec<&str> = m.screens_with_errors.iter().map(String::as_str).collect();
    assert_eq!(marked, ["groups", "sql"]);

    let fresh = Model::new(screens(), None, "mim-setup");
    assert!(
        fresh.screens_with_errors.is_empty(),
        "{:?}",
        fresh.screens_with_errors
    );
}
