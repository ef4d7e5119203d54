//! The wizard driven through `update` for every combination of branch choices, as the
//! runtime drives it: actions in, effects answered with their result actions.
use super::*;
use mim_setup::answers::{path, Answers};
use mim_setup::finding::Finding;
use mim_setup::profile::Profile;
use mim_setup::rules::{evaluate_screen, flow_screens};
use mim_setup::validate::check_profile;
use mim_setup::wizard::{update, Action, Effect, Exit, Focus, Model, Outputs, Popup, Status};
use std::collections::BTreeMap;

/// A branch: a choice or checkbox field and the values a run can go on with.
struct Branch {
    path: String,
    values: Vec<Value>,
}

/// Every choice (its available options) and checkbox (each value that does not block) of
/// every screen of a component's flow, but the component itself.
fn branches(component: Component) -> Vec<Branch> {
    let mut out = Vec::new();
    for s in screens().flow(component) {
        for f in &s.fields {
            let p = path(&s.id, &f.id);
            if p == COMPONENT_PATH {
                continue;
            }
            let values: Vec<Value> = match f.kind {
                FieldKind::Choice => {
                    let ok = f.options.iter().filter(|o| o.available);
                    ok.map(|o| Value::Text(o.value.clone())).collect()
                }
                FieldKind::Checkbox => [false, true]
                    .into_iter()
                    .map(Value::Bool)
                    .filter(|v| {
                        let mut a = Answers::defaults(screens());
                        a.set(COMPONENT_PATH, Value::Text(component.as_str().into()));
                        a.set(p.clone(), v.clone());
                        let found = evaluate_screen(s, &a);
                        !found
                            .iter()
                            .any(|f| f.blocks() && f.field.as_deref() == Some(&p))
                    })
                    .collect(),
                FieldKind::Text | FieldKind::Secret => continue,
            };
            assert!(!values.is_empty(), "{p}: no value lets the run go on");
            out.push(Branch { path: p, values });
        }
    }
    out
}

type Combo = BTreeMap<String, Value>;

/// Every combination of branch values of a flow.
fn combinations(component: Component) -> Vec<Combo> {
    let mut first = Combo::new();
    first.insert(
        COMPONENT_PATH.to_string(),
        Value::Text(component.as_str().into()),
    );
    let mut combos = vec![first];
    for b in branches(component) {
        let mut next = Vec::new();
        for c in &combos {
            for v in &b.values {
                let mut c = c.clone();
                c.insert(b.path.clone(), v.clone());
                next.push(c);
            }
        }
        combos = next;
    }
    combos
}

const MAIL: [&str; 3] = ["mail.server_type", "mail.auth", "mail.gmsa"];

/// Whether setup's rules let a run go on with these branch answers: no blocking finding on
/// any screen of the flow (text answers as `valid_text` gives them).
fn allowed(combo: &Combo) -> bool {
    let mut a = Answers::defaults(screens());
    for (p, v) in combo {
        a.set(p.clone(), v.clone());
    }
    for s in screens().all() {
        for f in &s.fields {
            let p = path(&s.id, &f.id);
            if let Some(v) = valid_text(&p, &a) {
                a.set(p, Value::Text(v.into()));
            } else if let (Some(e), "") = (&f.example, a.text(&p)) {
                // The driver takes the walkthrough's example where setup has no default.
                a.set(p, Value::Text(e.clone()));
            }
        }
    }
    if a.flag("mail.gmsa") {
        a.remove("mim_service.password");
    }
    let component = Component::parse(a.text(COMPONENT_PATH)).expect("component");
    let blocking: Vec<Finding> = flow_screens(screens(), component, &a)
        .iter()
        .flat_map(|s| evaluate_screen(s, &a))
        .filter(Finding::blocks)
        .collect();
    if std::env::var_os("SHOW_BLOCKING").is_some() {
        eprintln!("{combo:?}: {blocking:?}");
    }
    blocking.is_empty()
}

/// The Service and Portal runs: every mail combination the screen shows that the rules allow
/// (options A to I), every value of every other branch at least once, and every pair of
/// values of the component checkboxes that the rules allow.
fn service_combinations() -> Vec<Combo> {
    let c = Component::ServicePortal;
    let all = branches(c);
    let base: Combo = std::iter::once((COMPONENT_PATH.to_string(), Value::Text(c.as_str().into())))
        .chain(all.iter().map(|b| {
            // The field's default where it lets the run go on (an unticked licence does not).
            let (_, f) = screens().field(&b.path).expect("field");
            let v = Value::initial(f)
                .filter(|v| b.values.contains(v))
                .unwrap_or_else(|| b.values[0].clone());
            (b.path.clone(), v)
        }))
        .collect();
    let values = |p: &str| {
        all.iter()
            .find(|b| b.path == p)
            .unwrap_or_else(|| panic!("{p}"))
            .values
            .clone()
    };
    let mut out: Vec<Combo> = Vec::new();
    let push = |combo: Combo, out: &mut Vec<Combo>| {
        if !out.contains(&combo) {
            out.push(combo);
        }
    };
    for t in values("mail.server_type") {
        let auths = if t.as_text() == Some("none") {
            vec![base["mail.auth"].clone()]
        } else {
            values("mail.auth")
        };
        for auth in auths {
            for g in values("mail.gmsa") {
                let mut combo = base.clone();
                combo.insert(MAIL[0].into(), t.clone());
                combo.insert(MAIL[1].into(), auth.clone());
                combo.insert(MAIL[2].into(), g.clone());
                if allowed(&combo) {
                    push(combo, &mut out);
                }
            }
        }
    }
    for b in all.iter().filter(|b| !MAIL.contains(&b.path.as_str())) {
        for v in &b.values {
            let mut combo = base.clone();
            combo.insert(b.path.clone(), v.clone());
            if allowed(&combo) {
                push(combo, &mut out);
            }
        }
    }
    let features: Vec<&Branch> = all
        .iter()
        .filter(|b| b.path.starts_with("features."))
        .collect();
    for (i, a) in features.iter().enumerate() {
        for b in &features[i + 1..] {
            for va in &a.values {
                for vb in &b.values {
                    let mut combo = base.clone();
                    combo.insert(a.path.clone(), va.clone());
                    combo.insert(b.path.clone(), vb.clone());
                    if allowed(&combo) {
                        push(combo, &mut out);
                    }
                }
            }
        }
    }
    out
}

/// Valid answers for text fields whose default does not fit every branch.
fn valid_text(p: &str, answers: &Answers) -> Option<&'static str> {
    match p {
        "service_account.name" if answers.text("service_account.kind") == "gmsa" => {
            Some("MIMSync$")
        }
        "service_account.name" => Some("MIMSync"),
        "mim_service.name" if answers.flag("mail.gmsa") => Some("svcMIMService$"),
        "mim_service.name" => Some("MIMService"),
        "mailbox_app.application_id" => Some("3f2504e0-4f89-41d3-9a0c-0305e82c3301"),
        "mailbox_app.tenant_id" => Some("9188040d-6c67-4c5b-b112-36a304b66dad"),
        "certificate.thumbprint" => Some("3B8F2A1C9D0E4F5A6B7C8D9E0F1A2B3C4D5E6F70"),
        _ => None,
    }
}

const PASSWORD: &str = "Correct-Horse-9";
const MAX_ACTIONS: usize = 300;

/// Drives `update` as the runtime does: effects are answered with their result actions.
struct Driver {
    m: Model,
    actions: usize,
    /// Screens in the order they were shown.
    trace: Vec<String>,
    /// Warnings acknowledged in a popup, with the screen they came on.
    acked: Vec<(String, Finding)>,
    finished: Option<Profile>,
}

impl Driver {
    fn new() -> Driver {
        Driver::on(screens())
    }

    /// A run over another screen set.
    fn on(set: &'static Screens) -> Driver {
        let m = Model::new(set, None, "test");
        let trace = vec![m.current.clone()];
        Driver {
            m,
            actions: 0,
            trace,
            acked: Vec::new(),
            finished: None,
        }
    }

    fn act(&mut self, action: Action) {
        self.actions += 1;
        assert!(
            self.actions <= MAX_ACTIONS,
            "no finish after {MAX_ACTIONS} actions"
        );
        for effect in update(&mut self.m, action) {
            match effect {
                Effect::SaveDraft(p) => {
                    assert!(p.draft_screen.is_some(), "a draft records its screen");
                    self.act(Action::DraftSaved(Ok(PathBuf::from("draft.toml"))));
                }
                Effect::Finish(p) => {
                    assert!(p.draft_screen.is_none(), "the final profile is no draft");
                    self.finished = Some(p);
                    let out = Outputs {
                        profile: "test.toml".into(),
                        plan: "test.plan.toml".into(),
                        steps: vec![],
                    };
                    self.act(Action::Finished(Ok(out)));
                }
                // Live checks are detached here: none are started; nothing is applied.
                Effect::StartCheck(_)
                | Effect::CancelCheck(_)
                | Effect::OpenApply(_)
                | Effect::StartApply(_) => {}
                Effect::WriteReview(..) => panic!("the wizard writes no review"),
                Effect::SwitchFault(..) => panic!("only the demo switches faults"),
            }
        }
        if self.trace.last() != Some(&self.m.current) {
            self.trace.push(self.m.current.clone());
        }
    }

    fn type_into(&mut self, field: usize, text: &str) {
        self.act(Action::Focus(Focus::Field(field)));
        assert_eq!(self.m.focus, Focus::Field(field));
        self.act(Action::CursorEnd);
        for _ in 0..self.m.text_of(field).chars().count() {
            self.act(Action::Backspace);
        }
        for c in text.chars() {
            self.act(Action::Input(c));
        }
    }

    /// Answers the current screen's fields as the combination and valid answers say.
    fn fill(&mut self, combo: &BTreeMap<String, Value>) {
        let s = self.m.screen();
        for (i, f) in s.fields.iter().enumerate() {
            if !self.m.answers.field_active(s, f) {
                continue;
            }
            let p = path(&s.id, &f.id);
            let now = self.m.answers.get(&p).cloned();
            match (f.kind, combo.get(&p)) {
                (FieldKind::Choice, Some(want)) if now.as_ref() != Some(want) => {
                    let v = want.as_text().expect("a choice value");
                    let option = f.options.iter().position(|o| o.value == v).expect("option");
                    self.act(Action::Select { field: i, option });
                }
                (FieldKind::Checkbox, Some(want)) if now.as_ref() != Some(want) => {
                    self.act(Action::Select {
                        field: i,
                        option: 0,
                    });
                }
                (FieldKind::Text, _) => {
                    if let Some(v) = valid_text(&p, &self.m.answers) {
                        if self.m.answers.text(&p) != v {
                            self.type_into(i, v);
                        }
                    } else if self.m.answers.text(&p).is_empty() && f.example.is_some() {
                        // The walkthrough's example, taken with Right as a user does.
                        self.act(Action::Focus(Focus::Field(i)));
                        self.act(Action::CursorRight);
                        assert_eq!(Some(self.m.answers.text(&p)), f.example.as_deref(), "{p}");
                    }
                }
                (FieldKind::Secret, _) if !self.m.secrets.contains_key(&p) => {
                    self.type_into(i, PASSWORD);
                }
                _ => {}
            }
            if let Some(want) = combo.get(&p) {
                assert_eq!(self.m.answers.get(&p), Some(want), "{p} was set");
            }
        }
    }

    /// Fills the screen and presses Next, acknowledging warnings as the UI does (Enter).
    fn next(&mut self, combo: &BTreeMap<String, Value>) {
        let here = self.m.current.clone();
        self.fill(combo);
        let errors: Vec<&Finding> = self.m.findings.iter().filter(|f| f.blocks()).collect();
        assert!(
            errors.is_empty(),
            "{here}: valid answers have errors: {errors:?}"
        );
        self.act(Action::Next);
        let mut popups = 0;
        while let Some(popup) = self.m.popup.clone() {
            match popup {
                Popup::Warnings(ws, _) => {
                    self.acked.extend(ws.into_iter().map(|w| (here.clone(), w)));
                }
                // Setup's own messages and acknowledged warnings are read and passed.
                Popup::Setup(_) | Popup::Acknowledged(_) => {}
                _ => panic!("{here}: unexpected popup {popup:?}"),
            }
            self.act(Action::Enter);
            popups += 1;
            assert!(popups < 5, "{here}: the popups come back");
        }
        let moved = self.m.exit.is_some() || self.m.current != here;
        assert!(moved, "{here}: Next did not leave ({:?})", self.m.status);
    }
}

/// Drives one run from the first screen to the end and checks what every run must give:
/// each screen of the flow in order, the summary then the finish, a valid profile with the
/// branch answers, and no typed password in it.
fn run_to_the_end(combo: &Combo) -> Driver {
    let mut d = Driver::new();
    let mut screens_seen = 0;
    while d.m.exit.is_none() {
        screens_seen += 1;
        assert!(
            screens_seen <= 2 * screens().all().len(),
            "{combo:?}: no end"
        );
        d.next(combo);
    }
    let ctx = format!("{combo:?} after {:?}", d.trace);
    assert_eq!(d.m.exit, Some(Exit::Finished), "{ctx}");
    assert!(d.m.outputs.is_some(), "{ctx}");
    let component = d.m.component();
    let flow: Vec<String> = flow_screens(screens(), component, &d.m.answers)
        .iter()
        .map(|s| s.id.clone())
        .collect();
    assert_eq!(d.trace, flow, "every screen of the flow, in order: {ctx}");
    let kinds: Vec<ScreenKind> = d
        .trace
        .iter()
        .map(|id| screens().screen(id).expect("screen").kind)
        .collect();
    assert_eq!(
        kinds[kinds.len() - 2..],
        [ScreenKind::Summary, ScreenKind::Finish]
    );
    assert!(d.actions <= MAX_ACTIONS);
    let profile = d.finished.as_ref().expect("Install gave a profile");
    for (p, v) in combo {
        let (s, f) = screens().field(p).expect("field");
        let want = d.m.answers.field_active(s, f).then_some(v);
        assert_eq!(profile.answers.get(p), want, "{p}: {ctx}");
    }
    let report = check_profile(screens(), profile);
    assert!(
        report.ok(),
        "{ctx}: {:?} {:?}",
        report.blocking,
        report.unacknowledged
    );
    for (p, v) in profile.answers.iter() {
        assert!(
            v.as_text() != Some(PASSWORD),
            "{p} holds the typed password"
        );
    }
    d
}

#[test]
fn every_branch_combination_reaches_the_summary_and_the_finish() {
    let known = [
        "setup.edition",
        "sql.location",
        "sql.instance",
        "service_account.kind",
        "security.firewall_rpc",
    ];
    let all = branches(Component::Sync);
    for k in known {
        let b = all
            .iter()
            .find(|b| b.path == k)
            .unwrap_or_else(|| panic!("{k}"));
        assert!(b.values.len() >= 2, "{k} has two ways to go");
    }
    let licence = all
        .iter()
        .find(|b| b.path == "licence.accepted")
        .expect("licence");
    assert_eq!(
        licence.values,
        [Value::Bool(true)],
        "only an accepted licence goes on"
    );
    let combos = combinations(Component::Sync);
    let expected: usize = all.iter().map(|b| b.values.len()).product();
    assert_eq!(combos.len(), expected);
    // 32 ways through the setup screens, times the 18 ways to reach the environment for the
    // live checks (directory connection, SQL login, SQL encryption).
    assert_eq!(combos.len(), 576, "{} combinations", combos.len());

    for combo in &combos {
        let d = run_to_the_end(combo);
        let ctx = format!("{combo:?} after {:?}", d.trace);
        assert!(d.m.visited.contains("summary"), "{ctx}");
        // Setup's own warning comes when Install is pressed on the summary.
        let on_summary = d
            .acked
            .iter()
            .any(|(id, w)| id == "summary" && w.check == "service-account-logon-rights");
        assert!(on_summary, "{ctx}: {:?}", d.acked);
        let profile = d.finished.as_ref().expect("profile");
        let gmsa = combo.get("service_account.kind") == Some(&Value::Text("gmsa".into()));
        let password = profile.answers.get("service_account.password");
        assert_eq!(password.is_none(), gmsa, "{ctx}: {password:?}");
        assert_eq!(
            profile.answers.text("service_account.name"),
            if gmsa { "MIMSync$" } else { "MIMSync" }
        );
    }
}

#[test]
fn the_service_and_portal_runs_reach_the_summary_and_the_finish() {
    let combos = service_combinations();
    // The nine mail options, each other value once, the allowed pairs of components.
    let options: BTreeSet<char> = combos
        .iter()
        .filter_map(|c| {
            mim_setup::rules::mail_option_for(
                c["mail.server_type"].as_text().unwrap(),
                c["mail.auth"].as_text().unwrap(),
                c["mail.gmsa"].as_bool().unwrap(),
            )
        })
        .map(|o| o.0)
        .collect();
    assert_eq!(options, ('A'..='I').collect());
    // 42 for the setup screens, and five more for the live checks screen's values.
    assert_eq!(combos.len(), 47, "{} runs", combos.len());
    // Every value of every branch is in some run.
    for b in branches(Component::ServicePortal) {
        for v in &b.values {
            assert!(
                combos.iter().any(|c| c.get(&b.path) == Some(v)),
                "{} = {v:?} is never run",
                b.path
            );
        }
    }
    let mut gmsa_runs = 0;
    for combo in &combos {
        let d = run_to_the_end(combo);
        let ctx = format!("{combo:?} after {:?}", d.trace);
        assert!(d.m.visited.contains("service_summary"), "{ctx}");
        let profile = d.finished.as_ref().expect("profile");
        if profile.answers.flag("mail.gmsa") && profile.answers.flag("features.service") {
            gmsa_runs += 1;
            assert!(
                profile.answers.get("mim_service.password").is_none(),
                "{ctx}"
            );
            assert!(
                profile.answers.text("mim_service.name").ends_with('$'),
                "{ctx}"
            );
        }
        let acked: BTreeSet<&str> = d.acked.iter().map(|(_, w)| w.check.as_str()).collect();
        if profile.answers.flag("features.service") {
            assert!(
                acked.contains("mim-service-logon-rights"),
                "{ctx}: {acked:?}"
            );
        }
    }
    assert!(gmsa_runs >= 4, "{gmsa_runs}");
}

#[test]
fn a_gmsa_on_the_mail_screen_drops_the_password_and_unticking_brings_it_back() {
    let mut d = Driver::new();
    let combo = service_combinations().into_iter().next().expect("a run");
    while d.m.current != "mail" {
        d.next(&combo);
    }
    let gmsa =
        d.m.screen()
            .fields
            .iter()
            .position(|f| f.id == "gmsa")
            .unwrap();
    let reference = d.m.answers.get("mim_service.password").cloned();
    assert!(matches!(reference, Some(Value::Secret(_))), "{reference:?}");
    d.act(Action::Select {
        field: gmsa,
        option: 0,
    });
    assert!(d.m.answers.flag("mail.gmsa"));
    assert_eq!(d.m.answers.get("mim_service.password"), None);
    d.act(Action::Select {
        field: gmsa,
        option: 0,
    });
    assert!(!d.m.answers.flag("mail.gmsa"));
    assert_eq!(d.m.answers.get("mim_service.password").cloned(), reference);
}

/// The shipped screens with the Service and Portal component marked unavailable, as an
/// option that a version does not offer yet is written.
fn with_an_unavailable_option() -> &'static Screens {
    let files: Vec<(&str, String)> = SCREEN_FILES
        .iter()
        .map(|(n, t)| {
            let t = if *n == "00-setup.toml" {
                t.replace(
                    r#"{ value = "service-portal", label = "Service and Portal" }"#,
                    r#"{ value = "service-portal", label = "Service and Portal", available = false, note = "not available in this version" }"#,
                )
            } else {
                t.to_string()
            };
            (*n, t)
        })
        .collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    Box::leak(Box::new(
        Screens::from_files(&refs).expect("the edited screens"),
    ))
}

#[test]
fn an_unavailable_option_cannot_be_chosen_to_go_on() {
    let set = with_an_unavailable_option();
    let combo = combinations(Component::Sync)
        .into_iter()
        .next()
        .expect("a combination");
    let mut tested = 0;
    for s in set.all() {
        for (i, f) in s.fields.iter().enumerate() {
            for (o, opt) in f.options.iter().enumerate().filter(|(_, o)| !o.available) {
                let p = path(&s.id, &f.id);
                let mut d = Driver::on(set);
                while d.m.current != s.id {
                    assert!(d.m.exit.is_none(), "{} was never reached", s.id);
                    d.next(&combo);
                }
                let blocked = |d: &Driver, how: &str| {
                    assert_eq!(d.m.current, s.id, "{p} = {} via {how}", opt.value);
                    assert!(d.m.exit.is_none() && d.m.popup.is_none(), "{how}");
                    assert!(d.finished.is_none(), "{how}");
                    assert!(matches!(d.m.status, Some(Status::Error(_))), "{how}");
                    let found =
                        d.m.findings.iter().any(|x| {
                            x.check == "option-unavailable" && x.field.as_deref() == Some(&p)
                        });
                    assert!(found, "{how}: {:?}", d.m.findings);
                };
                d.act(Action::Select {
                    field: i,
                    option: o,
                });
                assert_eq!(d.m.answers.text(&p), opt.value);
                d.act(Action::Next);
                blocked(&d, "Next");
                d.act(Action::Focus(Focus::Next));
                d.act(Action::Enter);
                blocked(&d, "Enter on Next");
                // Space walks the options; stopping on the unavailable one blocks too.
                d.act(Action::Select {
                    field: i,
                    option: (o + 1) % f.options.len(),
                });
                d.act(Action::Focus(Focus::Field(i)));
                while d.m.answers.text(&p) != opt.value {
                    d.act(Action::Toggle);
                }
                d.act(Action::Next);
                blocked(&d, "Space then Next");
                // An available option opens the way again.
                let ok = f.options.iter().position(|o| o.available).expect("usable");
                d.act(Action::Select {
                    field: i,
                    option: ok,
                });
                d.act(Action::Next);
                assert_ne!(d.m.current, s.id, "{p}: an available option goes on");
                tested += 1;
            }
        }
    }
    assert!(tested >= 1, "the edited set has an unavailable option");
}
