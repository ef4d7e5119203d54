//! The plan comparison over every kind of step and property change, on the shipped Contoso
//! Sync plan with one edit each.
use super::plans::diff;
use super::{Area, Op};
use crate::plan::{Interactive, Plan, Property, StepKind};
use crate::secret::SecretRef;
use serde_json::json;

fn sync() -> Plan {
    toml::from_str(include_str!("../../tests/golden/contoso-sync.plan.toml")).expect("golden plan")
}

fn install(p: &mut Plan) -> &mut crate::plan::Step {
    &mut p.steps[0]
}

fn set_property(p: &mut Plan, name: &str, value: &str) {
    let step = install(p);
    for a in &mut step.argv {
        if a.starts_with(&format!("{name}=")) {
            *a = format!("{name}={value}");
        }
    }
    if let Some(prop) = step.properties.iter_mut().find(|x| x.name == name) {
        prop.value = value.to_string();
    }
}

type Edit = fn(&mut Plan);

/// (what, edit, the changes it must give as (area, scope, name, attribute, op)).
/// One expected change: (area, scope, name, attribute, op).
type Want = (
    Area,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    Op,
);

fn cases() -> Vec<(&'static str, Edit, Vec<Want>)> {
    const S: Option<&str> = Some("install-sync-service");
    vec![
        ("nothing", |_| {}, vec![]),
        (
            "a property's value",
            |p| set_property(p, "SQLDB", "OtherDb"),
            vec![(Area::Property, S, "SQLDB", Some("value"), Op::Changed)],
        ),
        (
            "a property added",
            |p| {
                let s = install(p);
                s.argv.push("NEWPROP=1".into());
                s.properties.push(Property {
                    name: "NEWPROP".into(),
                    value: "1".into(),
                    from: String::new(),
                    source: "doc".into(),
                    confirmed: true,
                    note: String::new(),
                });
            },
            vec![(Area::Property, S, "NEWPROP", None, Op::Added)],
        ),
        (
            "a property removed",
            |p| {
                let s = install(p);
                s.argv.retain(|a| !a.starts_with("FIREWALL_CONF="));
                s.properties.retain(|x| x.name != "FIREWALL_CONF");
            },
            vec![(Area::Property, S, "FIREWALL_CONF", None, Op::Removed)],
        ),
        (
            "a property no longer confirmed",
            |p| {
                let s = install(p);
                let prop = s
                    .properties
                    .iter_mut()
                    .find(|x| x.name == "SQLDB")
                    .expect("SQLDB");
                prop.confirmed = false;
                prop.note = "seen in a log only".into();
            },
            vec![
                (Area::Property, S, "SQLDB", Some("confirmed"), Op::Changed),
                (Area::Property, S, "SQLDB", Some("note"), Op::Changed),
            ],
        ),
        (
            "an argument",
            |p| {
                let s = install(p);
                if let Some(a) = s.argv.iter_mut().find(|a| *a == "/qn") {
                    *a = "/qb".into();
                }
            },
            vec![
                (Area::Argument, S, "argv", None, Op::Removed),
                (Area::Argument, S, "argv", None, Op::Added),
            ],
        ),
        (
            "a description and a folder",
            |p| {
                install(p).description.push_str(" Again.");
                install(p).working_dir = Some("E:\\".into());
            },
            vec![
                (Area::Step, S, "description", None, Op::Changed),
                (Area::Step, S, "working_dir", None, Op::Changed),
            ],
        ),
        (
            "a step's kind",
            |p| p.steps[1].kind = StepKind::Manual,
            vec![(
                Area::Step,
                Some("verify-sync-service"),
                "kind",
                None,
                Op::Changed,
            )],
        ),
        (
            "a step removed",
            |p| {
                p.steps.remove(1);
            },
            vec![(Area::Steps, None, "verify-sync-service", None, Op::Removed)],
        ),
        (
            "a step added",
            |p| {
                let mut s = p.steps[3].clone();
                s.id = "verify-again".into();
                p.steps.push(s);
            },
            vec![(Area::Steps, None, "verify-again", None, Op::Added)],
        ),
        (
            "a step moved",
            |p| p.steps.swap(2, 3),
            vec![(
                Area::Steps,
                None,
                "create-key-backup-folder",
                None,
                Op::Moved,
            )],
        ),
        (
            "a step's secrets",
            |p| install(p).secrets.push("other".into()),
            vec![(Area::Step, S, "secrets", None, Op::Added)],
        ),
        (
            "a secret's reference",
            |p| {
                p.secrets
                    .insert("sync_service_password".into(), SecretRef::Prompt);
            },
            vec![(
                Area::Secret,
                None,
                "sync_service_password",
                None,
                Op::Changed,
            )],
        ),
        (
            "an interactive answer",
            |p| {
                p.interactive.push(Interactive {
                    step: "install-sync-service".into(),
                    label: "Tenant".into(),
                    value: "x".into(),
                    from: "a.b".into(),
                    note: String::new(),
                    optional: false,
                })
            },
            vec![(Area::Interactive, S, "Tenant", None, Op::Added)],
        ),
        (
            "a note and an acknowledgement",
            |p| {
                p.notes.push("new note".into());
                p.acknowledged.push("w@a.b".into());
            },
            vec![
                (Area::Acknowledged, None, "w@a.b", None, Op::Added),
                (Area::Note, None, "note", None, Op::Added),
            ],
        ),
        (
            "a fact",
            |p| {
                p.facts.insert("dns.corpsql".into(), "10.0.0.9".into());
            },
            vec![(Area::Fact, None, "dns.corpsql", None, Op::Added)],
        ),
        (
            "the header",
            |p| {
                p.deployment_option = Some("A".into());
                p.profile.sha256 = "0".repeat(64);
            },
            vec![
                (Area::Plan, None, "deployment_option", None, Op::Added),
                (Area::Plan, None, "profile.sha256", None, Op::Changed),
            ],
        ),
    ]
}

#[test]
fn each_kind_of_change_is_named_alone() {
    for (what, edit, want) in cases() {
        let a = sync();
        let mut b = sync();
        edit(&mut b);
        let got: Vec<_> = diff(&a, &b)
            .into_iter()
            .filter(|c| c.area != Area::Plan || c.name != "integrity.sha256")
            .map(|c| {
                (
                    c.area,
                    c.scope.clone(),
                    c.name.clone(),
                    c.attribute.clone(),
                    c.op,
                )
            })
            .collect();
        let want: Vec<_> = want
            .into_iter()
            .map(|(area, scope, name, attr, op)| {
                (
                    area,
                    scope.map(str::to_string),
                    name.to_string(),
                    attr.map(str::to_string),
                    op,
                )
            })
            .collect();
        assert_eq!(got, want, "{what}");
        // Back the other way: every addition is a removal, every move moves back.
        let back = diff(&b, &a)
            .into_iter()
            .filter(|c| c.area != Area::Plan || c.name != "integrity.sha256")
            .count();
        assert_eq!(back, want.len(), "{what}, reversed");
    }
}

#[test]
fn a_property_change_carries_both_values_and_never_the_whole_command_line() {
    let a = sync();
    let mut b = sync();
    set_property(&mut b, "SQLDB", "Other \"quoted\" db");
    let changes = diff(&a, &b);
    assert_eq!(changes.len(), 1, "{changes:?}");
    let c = &changes[0];
    assert_eq!(c.old, Some(json!("FIMSynchronizationService")));
    assert_eq!(c.new, Some(json!("Other \"quoted\" db")));
    assert!(changes.iter().all(|c| c.name != "command"));
}

#[test]
fn a_move_gives_both_positions() {
    let a = sync();
    let mut b = sync();
    let first = b.steps.remove(0);
    b.steps.push(first);
    let moves: Vec<_> = diff(&a, &b)
        .into_iter()
        .filter(|c| c.op == Op::Moved)
        .collect();
    assert_eq!(moves.len(), 1, "{moves:?}");
    assert_eq!(
        (moves[0].old.clone(), moves[0].new.clone()),
        (Some(json!(1)), Some(json!(b.steps.len())))
    );
}
