//! Answers a profile gives that the flow does not show: a `[cloud]` section in a Volume
//! License profile, `mail.server` when the mail server type is "none". Setup never sees them
//! and the plan does not use them, so each is a warning naming the key and the answer that
//! hides it (one for a whole section the flow does not show), for a reviewer who would
//! otherwise read the value as used. A greyed-out field is shown: its own rule says why its
//! answer does not count, as for a gMSA's password.
use crate::answers::{Answers, Value};
use crate::finding::Finding;
use crate::screens::{Component, CondValue, Condition, Screens};
use std::collections::BTreeMap;

/// The check id; the findings below spell it out, as the build collects warning ids from
/// the literal each warning is made with.
pub const CHECK: &str = "answer-not-used";

/// One warning per section the flow does not show (on the section, naming its keys), and one
/// per answer whose own field the flow does not show.
pub fn unused_answers(screens: &Screens, component: Component, answers: &Answers) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut hidden_sections: BTreeMap<&str, (&Condition, Vec<&str>)> = BTreeMap::new();
    for (p, _) in answers.iter() {
        let Some((screen, field)) = screens.field(p) else {
            continue;
        };
        if screen.id == "setup" || !screen.is_for(component) {
            continue;
        }
        if let Some(c) = failing(answers, &screen.when) {
            hidden_sections
                .entry(screen.id.as_str())
                .or_insert((c, Vec::new()))
                .1
                .push(field.id.as_str());
            continue;
        }
        let Some(cond) = failing(answers, &field.when) else {
            continue;
        };
        let key = profile_key(&cond.field);
        out.push(
            Finding::warning("answer-not-used", p, format!("`{p}` is not used: this field is shown only when {}.", wanted(cond)))
                .why(WHY)
                .fix(format!("Remove `{p}` from the profile, or change `{key}` if the answer is meant to be used."))
                .evidence(format!("the profile has {}", current(answers, cond))),
        );
    }
    for (section, (cond, keys)) in hidden_sections {
        let key = profile_key(&cond.field);
        let list = keys
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        out.push(
            Finding::warning("answer-not-used", section, format!("[{section}] is not used: it is shown only when {}; its answers {list} are not used.", wanted(cond)))
                .why(WHY)
                .fix(format!("Remove the [{section}] section from the profile, or change `{key}` if its answers are meant to be used."))
                .evidence(format!("the profile has {}", current(answers, cond))),
        );
    }
    out
}

const WHY: &str = "Setup never sees these answers and the plan does not use them; a reviewer reading the profile could take them for ones that count.";

/// The first condition that does not hold.
fn failing<'a>(answers: &Answers, when: &'a [Condition]) -> Option<&'a Condition> {
    when.iter()
        .find(|c| !answers.holds(std::slice::from_ref(*c)))
}

/// `setup.edition` is the top-level `edition` in a profile.
fn profile_key(field: &str) -> &str {
    field.strip_prefix("setup.").unwrap_or(field)
}

fn values(v: &CondValue) -> String {
    match v {
        CondValue::Bool(b) => b.to_string(),
        CondValue::Text(s) => format!("\"{s}\""),
        CondValue::AnyOf(v) => v
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(" or "),
    }
}

/// What the condition asks for, as a sentence tail: `` `edition` is "azure-ad-premium" ``.
fn wanted(c: &Condition) -> String {
    let key = profile_key(&c.field);
    match (&c.is, &c.is_not) {
        (Some(v), _) => format!("`{key}` is {}", values(v)),
        (None, Some(v)) => format!("`{key}` is not {}", values(v)),
        (None, None) => format!("`{key}` is set"),
    }
}

/// The answer the condition reads, as the profile has it.
fn current(answers: &Answers, c: &Condition) -> String {
    let key = profile_key(&c.field);
    match answers.get(&c.field) {
        Some(Value::Text(s)) => format!("`{key} = \"{}\"`", crate::profile::echo(s)),
        Some(Value::Bool(b)) => format!("`{key} = {b}`"),
        Some(Value::Secret(_)) => format!("`{key}` as a secret reference"),
        None => format!("no `{key}`"),
    }
}
