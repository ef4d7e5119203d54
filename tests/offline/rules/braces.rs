//! `src/rules/braces.rs`: double braces in any text answer, one table, through
//! `evaluate_screen` (the rule runs on every text field before the field's own rules).
use super::*;
use mim_setup::rules::{evaluate_screen, NO_PLACEHOLDER};

#[test]
fn double_braces_are_refused_in_every_text_answer() {
    let rows = [
        ("C:\\MIM", false),
        ("C:\\{MIM}", false),
        ("C:\\{ {MIM} }", false),
        ("{{log_dir}}\\MIM", true),
        ("C:\\{{secret:sync_service_password}}", true),
        ("C:\\MIM{{", true),
        ("C:\\MIM}}", true),
        ("C:\\}}{{", true),
    ];
    let s = screen("install");
    for (value, refused) in rows {
        let mut a = valid_answers();
        a.set("install.folder", text(value));
        let found = evaluate_screen(s, &a);
        let braces: Vec<_> = found.iter().filter(|f| f.check == NO_PLACEHOLDER).collect();
        assert_eq!(braces.len(), usize::from(refused), "{value:?}: {found:?}");
        if let Some(f) = braces.first() {
            well_formed(f).unwrap();
            assert_eq!(f.field.as_deref(), Some("install.folder"));
            assert_eq!(f.severity, Severity::Error);
            // The field's own rules do not run on top of it.
            assert_eq!(
                found
                    .iter()
                    .filter(|f| f.field.as_deref() == Some("install.folder"))
                    .count(),
                1
            );
        }
    }
}
