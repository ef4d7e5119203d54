//! Runs the rules over the shown fields of one screen or a whole flow.
use super::braces::no_placeholder;
use super::characters::{self, NameKind};
use super::examples::leftover;
use super::hosts;
use super::{field_rule, screen_rule, FieldCtx};
use crate::answers::{path, Answers, Value};
use crate::finding::Finding;
use crate::screens::{Component, FieldKind, ScreenDef, Screens};

/// The screens a component's flow shows with these answers, in order.
pub fn flow_screens<'a>(
    screens: &'a Screens,
    component: Component,
    answers: &Answers,
) -> Vec<&'a ScreenDef> {
    screens
        .flow(component)
        .filter(|s| answers.screen_shown(s))
        .collect()
}

/// Findings for one screen: each active field must be answered and pass its rules (the first
/// error per field stops that field's rules; double braces in a text value, and in a name
/// field a look-alike, invisible or surrounding character, stop them before they start), then the screen's own rules.
pub fn evaluate_screen(screen: &ScreenDef, answers: &Answers) -> Vec<Finding> {
    let mut out = Vec::new();
    if !answers.screen_shown(screen) {
        return out;
    }
    for f in &screen.fields {
        if !answers.field_active(screen, f) {
            continue;
        }
        let p = path(&screen.id, &f.id);
        let value = answers.get(&p);
        let empty = match value {
            None => true,
            Some(Value::Text(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        if empty {
            if !f.optional {
                out.push(Finding::error("required", &p, format!("{} is required.", f.label))
                    .why("Setup cannot continue without this answer.")
                    .fix(match f.kind {
                        FieldKind::Secret => format!("Type the password, or reference it in the profile: {} = {{ env = \"{}\" }} or {{ prompt = true }}.", f.id, f.env.as_deref().unwrap_or("NAME")),
                        _ => format!("Fill in {}.", f.label),
                    }));
            }
            continue;
        }
        let Some(value) = value else { continue };
        if f.kind == FieldKind::Choice {
            let Some(opt) = value.as_text().and_then(|v| f.option(v)) else {
                let choices: Vec<&str> = f.options.iter().map(|o| o.value.as_str()).collect();
                out.push(
                    Finding::error(
                        "not-a-choice",
                        &p,
                        format!("{} is not one of the choices.", f.label),
                    )
                    .why("Setup offers only these options; any other value has no meaning to it.")
                    .fix(format!("Choose one of: {}.", choices.join(", "))),
                );
                continue;
            };
            if !opt.available {
                out.push(
                    Finding::error(
                        "option-unavailable",
                        &p,
                        format!("{} is {}.", opt.label, opt.note),
                    )
                    .why("This version of mim-setup has no screens for it yet.")
                    .fix(format!("Choose another {}.", f.label.to_lowercase())),
                );
                continue;
            }
        }
        let ctx = FieldCtx {
            path: &p,
            value,
            answers,
        };
        // Every text answer first: no placeholder braces, whatever the field's own rules.
        let braces = no_placeholder(&ctx);
        if !braces.is_empty() {
            out.extend(braces);
            continue;
        }
        // A URL in a host field: its host is what setup gets, and what the rules judge.
        let host_value;
        let ctx = match hosts::is_host_field(f)
            .then(|| hosts::host_of_url(value.as_text().unwrap_or_default()))
            .flatten()
        {
            Some(host) => {
                out.push(hosts::finding(&ctx, &f.label, host));
                host_value = Value::Text(host.to_string());
                FieldCtx {
                    value: &host_value,
                    ..ctx
                }
            }
            None => ctx,
        };
        // Every name field next: look-alike letters, invisible characters, outer spaces.
        if let Some(found) = NameKind::of_rules(&f.rules).and_then(|k| characters::check(&ctx, k)) {
            out.push(found);
            continue;
        }
        let before = out.len();
        for r in f.rules.iter().filter_map(|r| field_rule(r)) {
            let found = r(&ctx);
            let stop = found.iter().any(Finding::blocks);
            out.extend(found);
            if stop {
                break;
            }
        }
        if f.kind == FieldKind::Text && !out[before..].iter().any(Finding::blocks) {
            out.extend(leftover(&ctx, &f.label));
        }
    }
    for r in screen.rules.iter().filter_map(|r| screen_rule(r)) {
        out.extend(r(answers));
    }
    out
}

/// Findings for every screen the flow shows.
pub fn evaluate_flow(screens: &Screens, component: Component, answers: &Answers) -> Vec<Finding> {
    flow_screens(screens, component, answers)
        .into_iter()
        .flat_map(|s| evaluate_screen(s, answers))
        .collect()
}
