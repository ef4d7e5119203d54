//! The acknowledgement popup's reason: a one-line text typed below the warnings (letters,
//! Space, Backspace, Ctrl-U, paste), at most `profile::MAX_REASON` characters, without control or
//! invisible characters (what the profile would refuse is never typed in). Enter
//! acknowledges every finding shown, each with the reason when one was typed.
use super::action::{Action, Erase};
use super::model::Model;
use crate::finding::Finding;
use crate::profile::{reason_problem, MAX_REASON};

/// True for the keys that edit the reason.
pub(super) fn edits(action: &Action) -> bool {
    matches!(
        action,
        Action::Input(_)
            | Action::Toggle
            | Action::Paste(_)
            | Action::Backspace
            | Action::Erase(Erase::ToStart)
    )
}

/// The reason after one editing key.
pub(super) fn edit(reason: &str, action: Action) -> String {
    let mut out = reason.to_string();
    match action {
        Action::Input(c) => push(&mut out, c),
        // Space is the key that ticks a checkbox elsewhere.
        Action::Toggle => push(&mut out, ' '),
        Action::Paste(text) => text.chars().for_each(|c| push(&mut out, c)),
        Action::Backspace => {
            out.pop();
        }
        Action::Erase(Erase::ToStart) => out.clear(),
        _ => {}
    }
    out
}

fn push(reason: &mut String, c: char) {
    let allowed = !c.is_control() && !crate::rules::invisible(c);
    if allowed && reason.chars().count() < MAX_REASON {
        reason.push(c);
    }
}

/// Records the acknowledgement of each finding, with the reason when there is one.
pub(super) fn acknowledge(m: &mut Model, findings: &[Finding], reason: &str) {
    let reason = reason.trim();
    for f in findings {
        let key = f.ack_key();
        if !reason.is_empty() && reason_problem(reason).is_none() {
            m.reasons.insert(key.clone(), reason.to_string());
        }
        m.acknowledged.insert(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reason_takes_plain_text_only_and_stops_at_its_limit() {
        let typed = |keys: Vec<Action>| keys.into_iter().fold(String::new(), |r, a| edit(&r, a));
        assert_eq!(
            typed(vec![Action::Input('o'), Action::Toggle, Action::Input('k')]),
            "o k"
        );
        assert_eq!(
            typed(vec![
                Action::Input('a'),
                Action::Input('\u{1b}'),
                Action::Input('\u{202e}'),
                Action::Input('b'),
                Action::Backspace,
            ]),
            "a"
        );
        assert_eq!(
            typed(vec![Action::Paste("line\u{7}one\u{200b}".into())]),
            "lineone"
        );
        assert_eq!(
            typed(vec![Action::Input('x'), Action::Erase(Erase::ToStart)]),
            ""
        );
        let long = typed(vec![Action::Paste("y".repeat(MAX_REASON + 50))]);
        assert_eq!(long.chars().count(), MAX_REASON);
        assert!(reason_problem(&long).is_none());
        assert!(!edits(&Action::Enter) && !edits(&Action::Back));
    }
}
