//! Two plans compared: the header, steps added, removed or moved, and per common step its
//! fields, its arguments and its MSI properties one by one (never the whole command line),
//! then secrets' references, interactive answers, acknowledgements and their reasons, notes
//! and facts.
use super::seq;
use super::{Area, Change, Op};
use crate::plan::{Interactive, Plan, Property, Step};
use serde_json::{json, Value};
use std::collections::BTreeSet;

pub fn diff(a: &Plan, b: &Plan) -> Vec<Change> {
    let mut out = Vec::new();
    header(a, b, &mut out);
    steps(a, b, &mut out);
    for name in union(a.secrets.keys(), b.secrets.keys()) {
        let old = a.secrets.get(name).map(|r| json!(r.to_toml_inline()));
        let new = b.secrets.get(name).map(|r| json!(r.to_toml_inline()));
        if old != new {
            out.push(Change::new(Area::Secret, name.clone(), old, new));
        }
    }
    interactive(&a.interactive, &b.interactive, &mut out);
    listed(
        Area::Acknowledged,
        None,
        &a.acknowledged,
        &b.acknowledged,
        &mut out,
    );
    for key in union(a.acknowledged_reasons.keys(), b.acknowledged_reasons.keys()) {
        let old = a.acknowledged_reasons.get(key).map(|r| json!(r));
        let new = b.acknowledged_reasons.get(key).map(|r| json!(r));
        if old != new {
            out.push(Change::new(Area::Acknowledged, key.clone(), old, new).attribute("reason"));
        }
    }
    listed(Area::Note, Some("note"), &a.notes, &b.notes, &mut out);
    for key in union(a.facts.keys(), b.facts.keys()) {
        let old = a.facts.get(key).map(|v| json!(v));
        let new = b.facts.get(key).map(|v| json!(v));
        if old != new {
            out.push(Change::new(Area::Fact, key.clone(), old, new));
        }
    }
    out
}

fn union<'a>(
    a: impl Iterator<Item = &'a String>,
    b: impl Iterator<Item = &'a String>,
) -> BTreeSet<&'a String> {
    a.chain(b).collect()
}

fn text(s: &str) -> Option<Value> {
    Some(json!(s))
}

fn opt(s: &Option<String>) -> Option<Value> {
    s.as_ref().map(|s| json!(s))
}

fn header(a: &Plan, b: &Plan, out: &mut Vec<Change>) {
    let integrity = |p: &Plan| p.integrity.as_ref().map(|i| json!(i.sha256));
    let fields = [
        ("component", text(&a.component), text(&b.component)),
        ("edition", text(&a.edition), text(&b.edition)),
        (
            "deployment_option",
            opt(&a.deployment_option),
            opt(&b.deployment_option),
        ),
        ("profile.path", text(&a.profile.path), text(&b.profile.path)),
        (
            "profile.sha256",
            text(&a.profile.sha256),
            text(&b.profile.sha256),
        ),
        ("generated_by", text(&a.generated_by), text(&b.generated_by)),
        ("integrity.sha256", integrity(a), integrity(b)),
    ];
    for (name, old, new) in fields {
        if old != new {
            out.push(Change::new(Area::Plan, name, old, new));
        }
    }
}

fn steps(a: &Plan, b: &Plan, out: &mut Vec<Change>) {
    let ids_a: Vec<&str> = a.steps.iter().map(|s| s.id.as_str()).collect();
    let ids_b: Vec<&str> = b.steps.iter().map(|s| s.id.as_str()).collect();
    for (i, s) in a.steps.iter().enumerate() {
        if !ids_b.contains(&s.id.as_str()) {
            out.push(Change::new(
                Area::Steps,
                &s.id,
                Some(step_summary(i, s)),
                None,
            ));
        }
    }
    for (j, s) in b.steps.iter().enumerate() {
        if !ids_a.contains(&s.id.as_str()) {
            out.push(Change::new(
                Area::Steps,
                &s.id,
                None,
                Some(step_summary(j, s)),
            ));
        }
    }
    for (id, i, j) in seq::moved(&ids_a, &ids_b) {
        let mut c = Change::new(Area::Steps, id, Some(json!(i + 1)), Some(json!(j + 1)));
        c.op = Op::Moved;
        out.push(c);
    }
    for sb in &b.steps {
        if let Some(sa) = a.steps.iter().find(|s| s.id == sb.id) {
            step(sa, sb, out);
        }
    }
}

/// A step added or removed: its position, kind and description.
fn step_summary(index: usize, s: &Step) -> Value {
    let kind = serde_json::to_value(s.kind).unwrap_or(Value::Null);
    json!(format!(
        "{} at position {}: {}",
        kind.as_str().unwrap_or("step"),
        index + 1,
        s.description
    ))
}

fn step(a: &Step, b: &Step, out: &mut Vec<Change>) {
    let kind = |s: &Step| serde_json::to_value(s.kind).ok();
    let fields = [
        ("kind", kind(a), kind(b)),
        ("description", text(&a.description), text(&b.description)),
        ("working_dir", opt(&a.working_dir), opt(&b.working_dir)),
        ("log", opt(&a.log), opt(&b.log)),
    ];
    for (name, old, new) in fields {
        if old != new {
            out.push(Change::new(Area::Step, name, old, new).scoped(&b.id));
        }
    }
    let names: BTreeSet<&str> = a
        .properties
        .iter()
        .chain(&b.properties)
        .map(|p| p.name.as_str())
        .collect();
    let plain = |s: &Step| -> Vec<String> {
        s.argv
            .iter()
            .filter(|arg| !is_property_arg(arg, &names))
            .cloned()
            .collect()
    };
    let (args_a, args_b) = (plain(a), plain(b));
    let e = seq::edits(&args_a, &args_b);
    for (_, arg) in e.removed {
        out.push(Change::new(Area::Argument, "argv", text(arg), None).scoped(&b.id));
    }
    for (_, arg) in e.added {
        out.push(Change::new(Area::Argument, "argv", None, text(arg)).scoped(&b.id));
    }
    properties(&b.id, &a.properties, &b.properties, out);
    let mut secrets = Vec::new();
    listed(
        Area::Step,
        Some("secrets"),
        &a.secrets,
        &b.secrets,
        &mut secrets,
    );
    out.extend(secrets.into_iter().map(|c| c.scoped(&b.id)));
    // The command line follows from argv; only a difference argv does not show is reported.
    let unexplained = a.argv == b.argv && a.command != b.command;
    if unexplained {
        out.push(
            Change::new(Area::Step, "command", text(&a.command), text(&b.command)).scoped(&b.id),
        );
    }
}

/// `NAME=...` where NAME is one of the step's listed properties: compared as a property.
fn is_property_arg(arg: &str, names: &BTreeSet<&str>) -> bool {
    arg.split_once('=').is_some_and(|(n, _)| names.contains(n))
}

fn properties(step: &str, a: &[Property], b: &[Property], out: &mut Vec<Change>) {
    let find = |list: &'_ [Property], name: &str| list.iter().find(|p| p.name == name).cloned();
    let mut names: Vec<&str> = b.iter().map(|p| p.name.as_str()).collect();
    names.extend(
        a.iter()
            .map(|p| p.name.as_str())
            .filter(|n| !b.iter().any(|p| p.name == *n)),
    );
    for name in names {
        match (find(a, name), find(b, name)) {
            (Some(pa), None) => {
                out.push(Change::new(Area::Property, name, text(&pa.value), None).scoped(step))
            }
            (None, Some(pb)) => {
                out.push(Change::new(Area::Property, name, None, text(&pb.value)).scoped(step))
            }
            (Some(pa), Some(pb)) => {
                let attrs = [
                    ("value", json!(pa.value), json!(pb.value)),
                    ("from", json!(pa.from), json!(pb.from)),
                    ("source", json!(pa.source), json!(pb.source)),
                    ("confirmed", json!(pa.confirmed), json!(pb.confirmed)),
                    ("note", json!(pa.note), json!(pb.note)),
                ];
                for (attr, old, new) in attrs {
                    if old != new {
                        out.push(
                            Change::new(Area::Property, name, Some(old), Some(new))
                                .scoped(step)
                                .attribute(attr),
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }
}

fn interactive(a: &[Interactive], b: &[Interactive], out: &mut Vec<Change>) {
    let key = |i: &Interactive| (i.step.clone(), i.label.clone());
    let find =
        |list: &'_ [Interactive], k: &(String, String)| list.iter().find(|i| key(i) == *k).cloned();
    let mut keys: Vec<(String, String)> = b.iter().map(key).collect();
    keys.extend(
        a.iter()
            .map(key)
            .filter(|k| !b.iter().any(|i| key(i) == *k)),
    );
    for k in keys {
        let (step, label) = (&k.0, &k.1);
        match (find(a, &k), find(b, &k)) {
            (Some(ia), None) => {
                out.push(Change::new(Area::Interactive, label, text(&ia.value), None).scoped(step))
            }
            (None, Some(ib)) => {
                out.push(Change::new(Area::Interactive, label, None, text(&ib.value)).scoped(step))
            }
            (Some(ia), Some(ib)) => {
                let attrs = [
                    ("value", json!(ia.value), json!(ib.value)),
                    ("from", json!(ia.from), json!(ib.from)),
                    ("note", json!(ia.note), json!(ib.note)),
                    ("optional", json!(ia.optional), json!(ib.optional)),
                ];
                for (attr, old, new) in attrs {
                    if old != new {
                        out.push(
                            Change::new(Area::Interactive, label, Some(old), Some(new))
                                .scoped(step)
                                .attribute(attr),
                        );
                    }
                }
            }
            (None, None) => {}
        }
    }
}

/// A list of texts (notes, acknowledgements, a step's secrets): each one removed or added,
/// named `name`, or by itself when it is its own identity (an acknowledgement's key).
fn listed(area: Area, name: Option<&str>, a: &[String], b: &[String], out: &mut Vec<Change>) {
    let e = seq::edits(a, b);
    let named = |s: &String| name.map_or_else(|| s.clone(), str::to_string);
    for (_, s) in e.removed {
        out.push(Change::new(area, named(s), text(s), None));
    }
    for (_, s) in e.added {
        out.push(Change::new(area, named(s), None, text(s)));
    }
}
