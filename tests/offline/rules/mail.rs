//! The deployment options A to I: every combination of mail server type x authentication x
//! gMSA that the mail screen can show is exactly one option or a blocking `mail-option`
//! finding, and no other answer changes which.
use super::*;
use mim_setup::rules::{evaluate_screen, mail_option, mail_option_for, screen_rule};
use mim_setup::secret::SecretRef;
use proptest::prelude::*;

/// The options of seed 002, as (server type, authentication or None when not shown, gMSA).
const OPTIONS: [(&str, Option<&str>, bool, char); 9] = [
    ("exchange", Some("integrated"), false, 'A'),
    ("office365", Some("basic"), false, 'B'),
    ("office365", Some("app-context"), false, 'C'),
    ("smtp", Some("integrated"), false, 'D'),
    ("none", None, false, 'E'),
    ("exchange", Some("integrated"), true, 'F'),
    ("office365", Some("basic"), true, 'G'),
    ("office365", Some("app-context"), true, 'H'),
    ("none", None, true, 'I'),
];

fn with_combination(server_type: &str, auth: Option<&str>, gmsa: bool) -> Answers {
    let mut a = sp_answers();
    a.set("mail.server_type", text(server_type));
    match auth {
        Some(x) => a.set("mail.auth", text(x)),
        None => {
            a.remove("mail.auth");
        }
    }
    a.set("mail.gmsa", Value::Bool(gmsa));
    a
}

/// Every combination the mail screen can show: the authentication only with a mail server.
fn shown_combinations() -> Vec<(String, Option<String>, bool)> {
    let mail = screen("mail");
    let options = |id: &str| -> Vec<String> {
        mail.field(id)
            .unwrap()
            .options
            .iter()
            .map(|o| o.value.clone())
            .collect()
    };
    let auth_field = mail.field("auth").unwrap();
    let mut out = Vec::new();
    for st in options("server_type") {
        let probe = with_combination(&st, Some("integrated"), false);
        let auths: Vec<Option<String>> = if probe.field_active(mail, auth_field) {
            options("auth").into_iter().map(Some).collect()
        } else {
            vec![None]
        };
        for auth in auths {
            for gmsa in [false, true] {
                out.push((st.clone(), auth.clone(), gmsa));
            }
        }
    }
    out
}

/// What the mail screen says about a combination: the option's letter, and the check,
/// severity, field and message of each finding of its rule.
type Outcome = (Option<char>, Vec<(String, Severity, String, String)>);

fn outcome(a: &Answers) -> Outcome {
    let found = screen_rule("mail-option").unwrap()(a);
    let found = found
        .into_iter()
        .map(|f| (f.check, f.severity, f.field.unwrap_or_default(), f.message))
        .collect();
    (mail_option(a).map(|o| o.0), found)
}

#[test]
fn every_combination_is_one_option_or_blocked() {
    let mail = screen("mail");
    let combos = shown_combinations();
    assert_eq!(combos.len(), 4 * 3 * 2 - 3 * 2 + 2, "{combos:?}");
    let mut letters = Vec::new();
    let mut blocked = 0;
    for (st, auth, gmsa) in &combos {
        let a = with_combination(st, auth.as_deref(), *gmsa);
        let row = format!("{st} {auth:?} gmsa {gmsa}");
        let all = evaluate_screen(mail, &a);
        let own: Vec<&Finding> = all.iter().filter(|f| f.check == "mail-option").collect();
        assert_eq!(own.len(), 1, "{row}: {all:?}");
        let f = own[0];
        well_formed(f).unwrap_or_else(|e| panic!("{row}: {e}"));
        match mail_option(&a) {
            Some(o) => {
                letters.push(o.0);
                let want = OPTIONS
                    .iter()
                    .find(|(s, x, g, _)| s == st && *x == auth.as_deref() && g == gmsa)
                    .map(|o| o.3);
                assert_eq!(want, Some(o.0), "{row}");
                assert_eq!(f.severity, Severity::Info, "{row}");
                assert_eq!(f.field.as_deref(), Some("mail.server_type"));
                assert!(f
                    .message
                    .starts_with(&format!("Option {}: {}", o.0, o.title())));
                assert!(!all.iter().any(Finding::blocks), "{row}: {all:?}");
            }
            None => {
                blocked += 1;
                assert!(f.blocks(), "{row}");
                let field = f.field.as_deref().unwrap();
                let (s, fd) = screens().field(field).unwrap();
                assert!(
                    s.id == "mail" && a.field_active(s, fd),
                    "{row}: on {field}, which the screen does not show"
                );
                // The fix names the options this server type allows.
                for (_, _, _, letter) in OPTIONS.iter().filter(|o| o.0 == st) {
                    assert!(
                        f.fix.contains(&format!("(option {letter})")),
                        "{row}: {}",
                        f.fix
                    );
                }
                assert!(f.evidence.as_deref().unwrap().contains(st.as_str()));
            }
        }
    }
    letters.sort();
    assert_eq!(letters, ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']);
    assert_eq!(blocked, combos.len() - 9);
}

#[test]
fn the_finding_is_on_the_field_that_makes_the_combination_incompatible() {
    let rule = screen_rule("mail-option").unwrap();
    let on = |st: &str, auth: &str, gmsa: bool| -> Finding {
        let found = rule(&with_combination(st, Some(auth), gmsa));
        assert_eq!(found.len(), 1, "{found:?}");
        found.into_iter().next().unwrap()
    };
    let smtp_gmsa = on("smtp", "integrated", true);
    assert_eq!(smtp_gmsa.field.as_deref(), Some("mail.gmsa"));
    assert!(smtp_gmsa.why.contains(
        "only works with a regular service account and Integrated Windows Authentication, and does not permit the Outlook add-in for approvals"
    ));
    assert!(smtp_gmsa.fix.contains("(option D)"), "{}", smtp_gmsa.fix);
    // What a gMSA can do instead: F, G, H and I.
    for o in ['F', 'G', 'H', 'I'] {
        assert!(
            smtp_gmsa.fix.contains(&format!("{o} (")),
            "{}",
            smtp_gmsa.fix
        );
    }
    for (st, auth, gmsa) in [
        ("smtp", "basic", false),
        ("smtp", "app-context", true),
        ("exchange", "basic", false),
        ("exchange", "app-context", true),
        ("office365", "integrated", false),
        ("office365", "integrated", true),
    ] {
        let f = on(st, auth, gmsa);
        assert_eq!(f.field.as_deref(), Some("mail.auth"), "{st} {auth} {gmsa}");
        assert_eq!(f.check, "mail-option");
        assert!(f.why.contains("Setup shows an error"), "{}", f.why);
    }
    assert!(on("exchange", "basic", false)
        .why
        .contains("Integrated Windows Authentication only"));
    assert!(on("office365", "integrated", false)
        .fix
        .contains("(option B)"));
}

#[test]
fn office365_basic_authentication_warns_that_it_is_retired() {
    for (st, auth, gmsa, letter) in OPTIONS {
        let a = with_combination(st, auth, gmsa);
        let warnings: Vec<Finding> = screen_rule("mail-option").unwrap()(&a)
            .into_iter()
            .filter(|f| f.severity == Severity::Warning)
            .collect();
        if auth == Some("basic") {
            assert_eq!(warnings.len(), 1, "{letter}");
            let w = &warnings[0];
            assert_eq!(w.ack_key(), "office365-basic-retired@mail.auth");
            well_formed(w).unwrap();
            let instead = if gmsa { "option H" } else { "option C" };
            assert!(w.fix.contains(instead), "{letter}: {}", w.fix);
            assert!(w.fix.contains("4.6.421.0"), "{}", w.fix);
        } else {
            assert!(warnings.is_empty(), "{letter}: {warnings:?}");
        }
    }
}

#[test]
fn values_that_are_not_choices_are_left_to_the_choice_check() {
    let rule = screen_rule("mail-option").unwrap();
    for (st, auth) in [
        ("elsewhere", "integrated"),
        ("exchange", "elsewhere"),
        ("", ""),
    ] {
        let a = with_combination(st, Some(auth), false);
        assert!(rule(&a).is_empty(), "{st} {auth}");
        assert_eq!(mail_option_for(st, auth, false), None);
    }
}

/// Every answer path except the three that make the option (and the authentication, which
/// counts only with a mail server), plus paths no screen has; the mail screen's own first,
/// as `near` picks among them.
fn other_paths(server_type: &str) -> (Vec<String>, usize) {
    let all: Vec<String> = screens()
        .all()
        .iter()
        .flat_map(|s| s.fields.iter().map(move |f| format!("{}.{}", s.id, f.id)))
        .filter(|p| p != "mail.server_type" && p != "mail.gmsa")
        .filter(|p| p != "mail.auth" || server_type == "none")
        .chain(["mail.option".into(), "mail".into(), String::new()])
        .collect();
    let (mut near, far): (Vec<String>, Vec<String>) = all
        .into_iter()
        .partition(|p| p.starts_with("mail") || p.starts_with("features."));
    let n = near.len();
    near.extend(far);
    (near, n)
}

fn any_value() -> impl Strategy<Value = Value> {
    let words = prop::sample::select(vec![
        "none",
        "smtp",
        "exchange",
        "office365",
        "integrated",
        "basic",
        "app-context",
        "true",
        "svcMIMService$",
        "MIMService@contoso.com",
    ]);
    prop_oneof![
        2 => any::<bool>().prop_map(Value::Bool),
        3 => words.prop_map(text),
        1 => "\\PC{0,24}".prop_map(|s| text(&s)),
        1 => Just(Value::Secret(SecretRef::Prompt)),
        1 => "[A-Z_]{1,12}".prop_map(|s| Value::Secret(SecretRef::Env(s))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]
    #[test]
    fn other_answers_never_change_the_outcome(
        combo in 0usize..64,
        edits in prop::collection::vec((any::<bool>(), 0usize..4096, any_value()), 0..16),
        removals in prop::collection::vec((any::<bool>(), 0usize..4096), 0..6),
    ) {
        let combos = shown_combinations();
        let (st, auth, gmsa) = &combos[combo % combos.len()];
        let base = with_combination(st, auth.as_deref(), *gmsa);
        let want = outcome(&base);
        let (others, near) = other_paths(st);
        let pick = |near_only: bool, i: usize| -> String {
            let n = if near_only { near } else { others.len() };
            others[i % n].clone()
        };
        let mut a = base.clone();
        for (near_only, i, v) in edits {
            a.set(pick(near_only, i), v);
        }
        for (near_only, i) in removals {
            a.remove(&pick(near_only, i));
        }
        prop_assert_eq!(outcome(&a), want);
    }
}
