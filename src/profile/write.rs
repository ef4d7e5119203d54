//! Writing a profile: the top-level keys, then one section per shown screen with the fields
//! that count, in screen order. Secrets are written as references only.
use super::{Profile, SCHEMA_VERSION};
use crate::answers::{path, Value};
use crate::rules::flow_screens;
use crate::screens::Screens;
use std::fmt::Write as _;

/// The profile as TOML text.
pub fn to_toml(profile: &Profile, screens: &Screens) -> String {
    let a = &profile.answers;
    let component = profile.component();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# mim-setup profile: {} setup.",
        component.display_name()
    );
    out.push_str("# Secrets are references only: { env = \"NAME\" } or { prompt = true }.\n");
    let _ = writeln!(out, "schema_version = {SCHEMA_VERSION}");
    let _ = writeln!(out, "component = {}", string(component.as_str()));
    let _ = writeln!(out, "edition = {}", string(profile.edition()));
    if let Some(screen) = &profile.draft_screen {
        let _ = writeln!(out, "draft_screen = {}", string(screen));
    }
    if !profile.acknowledged.is_empty() {
        out.push_str("acknowledged = [\n");
        for k in &profile.acknowledged {
            match profile.reasons.get(k) {
                Some(r) => {
                    let _ = writeln!(
                        out,
                        "  {{ warning = {}, reason = {} }},",
                        string(k),
                        string(r)
                    );
                }
                None => {
                    let _ = writeln!(out, "  {},", string(k));
                }
            }
        }
        out.push_str("]\n");
    }
    for screen in flow_screens(screens, component, a) {
        if screen.id == "setup" {
            continue;
        }
        let lines: Vec<String> = screen
            .fields
            .iter()
            .filter(|f| a.field_active(screen, f))
            .filter_map(|f| {
                let v = match a.get(&path(&screen.id, &f.id))? {
                    Value::Text(s) => string(s),
                    Value::Bool(b) => b.to_string(),
                    Value::Secret(r) => r.to_toml_inline(),
                };
                Some(format!("{} = {v}", f.id))
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n[{}]", screen.id);
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// A TOML string: a literal string ('...') when the text has backslashes and can be one,
/// so that Windows paths and DOMAIN\names read as typed; a basic string otherwise.
fn string(s: &str) -> String {
    let literal_ok = !s.contains('\'') && !s.chars().any(|c| c.is_control());
    if s.contains('\\') && literal_ok {
        format!("'{s}'")
    } else {
        toml::Value::String(s.to_string()).to_string()
    }
}
