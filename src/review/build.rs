//! Building the walk from a file: a plan through the one strict reader (`plan::read`, by way
//! of `diff`'s side reader) and the profile it records (found and hash-checked as `apply`
//! does); a profile through the one loader, planned by the one builder (`plan::build`, whose
//! properties come from the tables in `screens/msi/`). The screens, answers and setup's
//! messages are the wizard's own (`wizard::Model`); the findings are `validate`'s and, with
//! `--check`, the live checks' of `mim-setup check`.
use super::model::*;
use super::ReviewError;
use crate::answers::{path as field_path, Value};
use crate::check::args::LiveArgs;
use crate::diff::input::{self, Input};
use crate::finding::Finding;
use crate::plan::Plan;
use crate::profile::Loaded;
use crate::screens::{FieldDef, FieldKind, MessageAt, ScreenDef, Screens};
use crate::wizard::Model;
use std::path::Path;

/// A file read for review: the walk, and the profile whose answers it walks (the TUI starts
/// the wizard's model from it).
pub struct Reviewed {
    pub walk: Walk,
    pub loaded: Loaded,
}

/// Reads `file` (a plan or a profile) and walks it; `live` runs the live checks first.
pub fn read(
    screens: &'static Screens,
    file: &Path,
    live: Option<&LiveArgs>,
) -> Result<Reviewed, ReviewError> {
    let shown = file.display().to_string();
    let unusable = |e: crate::diff::DiffError| ReviewError {
        what: e.what,
        fix: e.fix,
    };
    if let Err(e) = std::fs::File::open(file) {
        return Err(ReviewError {
            what: format!("cannot read {shown}: {e}"),
            fix: "give a plan (what `mim-setup plan PROFILE -o FILE` writes) or a profile".into(),
        });
    }
    let side = input::read(screens, file).map_err(unusable)?;
    let (kind, plan, loaded, no_plan) = match side {
        Input::Plan(p) => {
            let plan = p.plan.clone();
            let profile = Input::Plan(p).into_profile(screens).map_err(unusable)?;
            ("plan", Some(plan), profile.loaded, None)
        }
        Input::Profile(p) => match crate::plan::build(screens, &p.loaded, &shown) {
            Ok(plan) => ("profile", Some(plan), p.loaded, None),
            Err(e) => ("profile", None, p.loaded, Some(e.to_string())),
        },
    };
    let report = match live {
        None => None,
        Some(args) => {
            let settings = args.settings().map_err(|e| ReviewError {
                what: e,
                fix: "correct the live check setting (see `mim-setup review --help`)".into(),
            })?;
            let r = crate::check::command::run_for(&loaded.profile, settings).map_err(|e| {
                ReviewError {
                    what: format!("cannot start the live checks: {e}"),
                    fix: "run without --check, or check the system's resources".into(),
                }
            })?;
            Some(r)
        }
    };
    let walk = walk(
        screens,
        Parts {
            file: shown,
            kind,
            plan: plan.as_ref(),
            loaded: &loaded,
            no_plan,
            report: report.as_ref(),
        },
    );
    Ok(Reviewed { walk, loaded })
}

/// What a walk is made of.
pub struct Parts<'a> {
    pub file: String,
    pub kind: &'static str,
    /// The plan read, or the one the profile gives.
    pub plan: Option<&'a Plan>,
    pub loaded: &'a Loaded,
    pub no_plan: Option<String>,
    pub report: Option<&'a crate::check::Report>,
}

/// Walks the answers screen by screen, as the wizard shows them.
pub fn walk(screens: &'static Screens, p: Parts<'_>) -> Walk {
    let profile = &p.loaded.profile;
    let acknowledged = &profile.acknowledged;
    let mut m = Model::new(screens, Some(profile), "review");
    let flow: Vec<&'static ScreenDef> = m.flow();
    let mut out: Vec<ScreenWalk> = Vec::new();
    for s in &flow {
        m.current = s.id.clone();
        let fields = s
            .fields
            .iter()
            .filter(|f| m.answers.field_active(s, f))
            .map(|f| FieldWalk {
                path: field_path(&s.id, &f.id),
                label: f.label.clone(),
                answer: answer(&m, s, f),
                goes: goes(p.plan, s, f, m.answers.get(&field_path(&s.id, &f.id))),
                findings: Vec::new(),
            })
            .collect();
        let setup_messages = crate::wizard::setup_messages(&m)
            .into_iter()
            .map(|(at, msg)| SetupMessage {
                at: match at {
                    MessageAt::Enter => "enter",
                    MessageAt::Next => "next",
                },
                title: msg.title,
                setup: msg.setup,
                means: msg.means,
                plan: msg.plan,
            })
            .collect();
        out.push(ScreenWalk {
            id: s.id.clone(),
            title: s.title.clone(),
            step: s.step.clone(),
            fields,
            findings: Vec::new(),
            checks: Vec::new(),
            setup_messages,
        });
    }
    let mut general = Vec::new();
    let rules = crate::validate::check_profile(screens, profile).findings;
    let live: Vec<Finding> = p
        .report
        .iter()
        .flat_map(|r| r.outcomes.iter().flat_map(|o| o.findings.iter().cloned()))
        .collect();
    let found = rules
        .into_iter()
        .map(|f| ReviewFinding::new("rules", f, acknowledged, &profile.reasons))
        .chain(
            live.into_iter()
                .map(|f| ReviewFinding::new("live", f, acknowledged, &profile.reasons)),
        );
    for f in found {
        place(&mut out, &mut general, f);
    }
    for o in p.report.iter().flat_map(|r| &r.outcomes) {
        let line = CheckLine {
            id: o.id.clone(),
            title: o.title.clone(),
            state: o.state,
            summary: o.summary.clone(),
            evidence: o.evidence.clone(),
        };
        let at = out.iter().position(|s| s.id == o.screen).unwrap_or(0);
        if let Some(s) = out.get_mut(at) {
            s.checks.push(line);
        }
    }
    let (subject, component, edition, option, notes, facts) = match p.plan {
        Some(plan) if p.kind == "plan" => (
            Subject {
                kind: "plan-integrity",
                sha256: plan
                    .integrity
                    .as_ref()
                    .map(|i| i.sha256.clone())
                    .unwrap_or_else(|| plan.content_sha256()),
            },
            plan.component.clone(),
            plan.edition.clone(),
            plan.deployment_option.clone(),
            plan.notes.clone(),
            recorded_facts(plan),
        ),
        _ => (
            Subject {
                kind: "profile-sha256",
                sha256: p.loaded.sha256.clone(),
            },
            profile.component().as_str().to_string(),
            profile.edition().to_string(),
            p.plan.and_then(|pl| pl.deployment_option.clone()),
            p.plan.map(|pl| pl.notes.clone()).unwrap_or_default(),
            None,
        ),
    };
    Walk {
        profile: p
            .plan
            .filter(|_| p.kind == "plan")
            .map(|pl| pl.profile.path.clone())
            .unwrap_or_else(|| p.file.clone()),
        file: p.file,
        kind: p.kind,
        subject,
        profile_sha256: p.loaded.sha256.clone(),
        component,
        edition,
        deployment_option: option,
        live_checks: match p.report {
            None => LiveChecks::NotRun,
            Some(r) if r.offline => LiveChecks::Offline,
            Some(_) => LiveChecks::Run,
        },
        no_plan: p.no_plan,
        screens: out,
        general,
        notes,
        facts,
    }
}

/// A finding goes to its field, else to its field's screen, else to the general list.
fn place(screens: &mut [ScreenWalk], general: &mut Vec<ReviewFinding>, f: ReviewFinding) {
    let Some(path) = f.finding.field.clone() else {
        general.push(f);
        return;
    };
    let screen_id = path.split_once('.').map_or(path.as_str(), |(s, _)| s);
    let Some(s) = screens.iter_mut().find(|s| s.id == screen_id) else {
        general.push(f);
        return;
    };
    match s.fields.iter_mut().find(|x| x.path == path) {
        Some(field) => field.findings.push(f),
        None => s.findings.push(f),
    }
}

/// The answer as the wizard shows it: a choice with its label, a checkbox as yes or no, a
/// secret as where it comes from.
fn answer(m: &Model, s: &ScreenDef, f: &FieldDef) -> String {
    match m.answers.get(&field_path(&s.id, &f.id)) {
        None => "(not answered)".into(),
        Some(Value::Bool(b)) => if *b { "yes" } else { "no" }.into(),
        Some(Value::Secret(r)) => format!("secret, {}", r.describe()),
        Some(Value::Text(t)) if t.is_empty() => "(empty)".into(),
        Some(Value::Text(t)) => match (f.kind, f.option(t)) {
            (FieldKind::Choice, Some(o)) if o.label != *t => format!("{t} ({})", o.label),
            _ => t.clone(),
        },
    }
}

/// Where a field's answer goes in the plan: the properties whose `from` is the field (or,
/// for a property made from a screen's checkboxes, its screen), and the interactive answers
/// it gives; else only checked.
fn goes(plan: Option<&Plan>, s: &ScreenDef, f: &FieldDef, value: Option<&Value>) -> Vec<Goes> {
    let Some(plan) = plan else {
        return vec![Goes::Unknown];
    };
    let p = field_path(&s.id, &f.id);
    let mut out = Vec::new();
    for step in &plan.steps {
        for prop in &step.properties {
            let from_screen = prop.from == s.id && f.kind == FieldKind::Checkbox;
            if prop.from == p || from_screen {
                out.push(Goes::Property {
                    step: step.id.clone(),
                    name: prop.name.clone(),
                    value: prop.value.clone(),
                    source: prop.source.clone(),
                    confirmed: prop.confirmed,
                    note: prop.note.clone(),
                });
            }
        }
    }
    for i in plan.interactive.iter().filter(|i| i.from == p) {
        out.push(Goes::Interactive {
            step: i.step.clone(),
            label: i.label.clone(),
            value: i.value.clone(),
            note: i.note.clone(),
            optional: i.optional,
        });
    }
    // The live checks' own screen says how the checks reach the environment: never setup's.
    if out.is_empty() && f.kind == FieldKind::Text && s.id != crate::profile::CHECKS_SCREEN {
        out.extend(in_commands(plan, value));
    }
    if out.is_empty() {
        out.push(Goes::OnlyChecked);
    }
    out
}

/// The steps whose command holds a typed answer (never a choice's value, which names
/// like step ids and log files may hold too) in an argument that is not one of their
/// properties (an answer of fewer than three characters says too little to be found).
fn in_commands(plan: &Plan, value: Option<&Value>) -> Vec<Goes> {
    let Some(Value::Text(t)) = value else {
        return Vec::new();
    };
    if t.trim().chars().count() < 3 {
        return Vec::new();
    }
    plan.steps
        .iter()
        .filter(|step| {
            step.argv
                .iter()
                .any(|a| step.property_of(a).is_none() && a.contains(t.as_str()))
        })
        .map(|step| Goes::Command {
            step: step.id.clone(),
        })
        .collect()
}

fn recorded_facts(plan: &Plan) -> Option<Facts> {
    (!plan.facts.is_empty()).then(|| Facts {
        when: match &plan.facts_checked_at {
            Some(t) => format!("{t}, when the live checks ran for the plan"),
            None => "when the plan was made (this plan records no time for its facts)".into(),
        },
        seen: plan
            .facts
            .iter()
            .map(|(k, v)| Fact {
                key: k.clone(),
                value: v.clone(),
            })
            .collect(),
    })
}
