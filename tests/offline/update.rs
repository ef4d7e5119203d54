//! The wizard's pure state machine, `wizard::update`, table-driven: each row starts on a
//! screen of the Contoso walkthrough (reached with Next, as a user does), applies actions and
//! checks where the wizard is, what it holds, and the effects it asked for. The input mapping
//! (`tui::input::to_action`) is tested in `update/input.rs`, whole runs (drafts, secrets,
//! resuming) in `update/runs.rs`.
#![allow(clippy::unwrap_used)]

use testkit::wizard as support;

mod editing;
mod input;
mod live_keys;

mod runs;

mod seeds;

use mim_setup::answers::Value;
use mim_setup::secret::SecretRef;
use mim_setup::wizard::{update, Action, Effect, Exit, Focus, Model, Outputs, Popup, Status};
use support::{at, run, typed};
use Action::*;

/// An effect, as a row expects it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Eff {
    /// `SaveDraft` recording this screen.
    Draft(&'static str),
    Finish,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Pop {
    None,
    Help,
    /// F1 on the help: every key.
    Keys,
    /// Setup's own message, by its title.
    Setup(&'static str),
    Quit,
    /// The ack keys of the warnings shown.
    Warnings(&'static [&'static str]),
    Error,
}

#[derive(Debug, Clone)]
enum St {
    Any,
    None,
    Error(&'static str),
    Info(&'static str),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Src {
    Env(&'static str),
    Prompt,
    Absent,
}

/// What a row expects; unset fields are not checked, except popup, effects and exit.
struct Want {
    screen: Option<&'static str>,
    focus: Option<Focus>,
    cursor: Option<usize>,
    scroll: Option<u16>,
    texts: &'static [(&'static str, &'static str)],
    flags: &'static [(&'static str, bool)],
    secret: Option<Src>,
    popup: Pop,
    effects: &'static [Eff],
    exit: Option<Exit>,
    status: St,
    acked: &'static [&'static str],
    /// Ack keys that must not be acknowledged.
    unacked: &'static [&'static str],
    blocked: Option<bool>,
}

/// A row's defaults: the start screen, no popup, no effects, no exit; the rest unchecked.
const W: Want = Want {
    screen: None,
    focus: None,
    cursor: None,
    scroll: None,
    texts: &[],
    flags: &[],
    secret: None,
    popup: Pop::None,
    effects: &[],
    exit: None,
    status: St::Any,
    acked: &[],
    unacked: &[],
    blocked: None,
};

struct Case {
    name: &'static str,
    at: &'static str,
    focus: Option<Focus>,
    prep: fn(&mut Model),
    actions: Vec<Action>,
    want: Want,
}

fn c(
    name: &'static str,
    at: &'static str,
    focus: Option<Focus>,
    actions: Vec<Action>,
    want: Want,
) -> Case {
    Case {
        name,
        at,
        focus,
        prep: |_| {},
        actions,
        want,
    }
}

impl Case {
    fn prep(mut self, prep: fn(&mut Model)) -> Case {
        self.prep = prep;
        self
    }
}

const F0: Option<Focus> = Some(Focus::Field(0));
const F1: Option<Focus> = Some(Focus::Field(1));
const F2: Option<Focus> = Some(Focus::Field(2));
const TEXT: Option<Focus> = Some(Focus::Text);
const PASSWORD: &str = "service_account.password";

fn set_text(m: &mut Model, path: &str, v: &str) {
    m.answers.set(path, Value::Text(v.into()));
    m.refresh();
}

/// The rows. Kept one row per action sequence, so rustfmt leaves the table alone.
#[rustfmt::skip]
fn cases() -> Vec<Case> {
    use Focus::{Back as BackBtn, Cancel as CancelBtn, Field, Next as NextBtn};
    let groups_dup: fn(&mut Model) = |m| set_text(m, "groups.operators", "contoso\\MIMSyncAdmins");
    const DUP: &[&str] = &["groups-distinct@groups.operators"];
    const LOGON: &[&str] = &["service-account-logon-rights@service_account.name"];
    const KEY_BACKUP: &str = "Setup: back up the encryption key";
    const SIGN_OUT: &str = "Setup: sign out to apply the group membership";
    vec![
        // Focus: Tab order, wrap-around, hidden and disabled fields.
        c("tab walks fields and buttons and wraps", "sql", F0, vec![FocusNext; 7],
            Want { focus: F0, ..W }),
        c("tab order on sql: location, server, instance, database", "sql", F0,
            vec![FocusNext, FocusNext, FocusNext],
            Want { focus: Some(Field(4)), ..W }),
        c("shift-tab from the first field wraps to Cancel", "sql", F0, vec![FocusPrev],
            Want { focus: Some(CancelBtn), ..W }),
        c("shift-tab from Back goes to the last field", "sql", Some(BackBtn), vec![FocusPrev],
            Want { focus: Some(Field(4)), ..W }),
        c("a named instance shows its field in the tab order", "sql", Some(Field(2)),
            vec![Select { field: 2, option: 1 }, FocusNext],
            Want { focus: Some(Field(3)), texts: &[("sql.instance", "named")], ..W }),
        c("regular account: tab reaches the password", "service_account", F1, vec![FocusNext],
            Want { focus: F2, ..W }),
        c("gMSA: tab skips the disabled password", "service_account", F0,
            vec![Select { field: 0, option: 1 }, FocusNext, FocusNext],
            Want { focus: Some(Field(3)), texts: &[("service_account.kind", "gmsa")], secret: Some(Src::Absent), ..W }),
        c("gMSA: shift-tab skips the disabled password", "service_account", Some(Field(3)),
            vec![Focus(Field(0)), Select { field: 0, option: 1 }, Focus(Field(3)), FocusPrev],
            Want { focus: F1, ..W }),
        c("a click on the disabled password is refused", "service_account", F0,
            vec![Select { field: 0, option: 1 }, Focus(Field(2))],
            Want { focus: F0, ..W }),
        c("a click on a hidden field is refused", "sql", F1, vec![Focus(Field(3))],
            Want { focus: F1, ..W }),
        c("screens without fields start on Next", "welcome", None, vec![],
            Want { focus: Some(NextBtn), ..W }),
        // Text editing, by characters (not bytes).
        c("typing appends at the cursor", "install", F0, typed("MIM"),
            Want { texts: &[("install.media", "D:\\MIM")], cursor: Some(6), ..W }),
        c("unicode: insert, move, backspace, delete", "install", F0,
            vec![Input('é'), Input('日'), CursorLeft, Input('ß'), Backspace, CursorRight, Backspace],
            Want { texts: &[("install.media", "D:\\é")], cursor: Some(4), ..W }),
        c("home, delete, end, right stops at the end", "install", F0,
            vec![CursorHome, Delete, CursorEnd, CursorRight, Input('x')],
            Want { texts: &[("install.media", ":\\x")], cursor: Some(3), ..W }),
        c("left stops at the start; backspace there does nothing", "install", F0,
            vec![CursorLeft, CursorLeft, CursorLeft, CursorLeft, Backspace, Input('E')],
            Want { texts: &[("install.media", "ED:\\")], cursor: Some(1), ..W }),
        c("delete at the end does nothing", "install", F0, vec![Delete],
            Want { texts: &[("install.media", "D:\\")], cursor: Some(3), ..W }),
        c("paste drops line breaks and tabs", "install", F0,
            vec![Backspace, Backspace, Backspace, Paste("E:\\MIM\tx\r\n".into())],
            Want { texts: &[("install.media", "E:\\MIMx")], cursor: Some(7), ..W }),
        c("space (Toggle) in a text field types a space", "groups", F0, vec![CursorHome, Toggle],
            Want { texts: &[("groups.admins", " contoso\\MIMSyncAdmins")], cursor: Some(1), ..W }),
        c("typing on a checkbox changes nothing", "security", F0, typed("x "),
            Want { flags: &[("security.firewall_rpc", true)], ..W }),
        c("typing on a button changes nothing", "install", Some(NextBtn), vec![Input('x'), Backspace],
            Want { texts: &[("install.media", "D:\\")], focus: Some(NextBtn), ..W }),
        // Toggle, Select, arrows.
        c("toggle unticks a checkbox", "security", F0, vec![Toggle],
            Want { flags: &[("security.firewall_rpc", false)], ..W }),
        c("toggle twice restores a checkbox", "security", F0, vec![Toggle, Toggle],
            Want { flags: &[("security.firewall_rpc", true)], ..W }),
        c("toggle moves a choice on and wraps", "sql", Some(Field(2)), vec![Toggle, Toggle],
            Want { texts: &[("sql.instance", "default")], focus: Some(Field(2)), ..W }),
        c("select (mouse) picks an option and focuses its field", "sql", Some(Field(4)),
            vec![Select { field: 0, option: 0 }],
            Want { texts: &[("sql.location", "local")], focus: F0, ..W }),
        c("select on a hidden or unknown field or option is ignored", "sql", F1,
            vec![Select { field: 3, option: 0 }, Select { field: 99, option: 0 }, Select { field: 0, option: 9 }],
            Want { texts: &[("sql.location", "remote")], ..W }),
        c("select on a checkbox flips it", "licence", TEXT, vec![Select { field: 0, option: 0 }],
            Want { flags: &[("licence.accepted", false)], focus: F0, ..W }),
        c("up moves a choice to its previous option", "sql", F0, vec![Up],
            Want { texts: &[("sql.location", "local")], focus: F0, ..W }),
        c("down past the last option leaves the choice", "sql", F0, vec![Down],
            Want { texts: &[("sql.location", "remote")], focus: F1, ..W }),
        c("down on a text field moves focus", "install", F0, vec![Down],
            Want { focus: F1, ..W }),
        // Enter.
        c("enter on a field goes to the next field", "install", F0, vec![Enter],
            Want { focus: F1, ..W }),
        c("enter on the last field goes to the next screen", "install", F1, vec![Enter],
            Want { screen: Some("sql"), focus: F0, effects: &[Eff::Draft("sql")], ..W }),
        c("enter on Next goes on", "welcome", Some(NextBtn), vec![Enter],
            Want { screen: Some("licence"), focus: TEXT, effects: &[Eff::Draft("licence")], ..W }),
        c("enter on Back goes back", "sql", Some(BackBtn), vec![Enter],
            Want { screen: Some("install"), ..W }),
        c("enter on Cancel asks to quit", "sql", Some(CancelBtn), vec![Enter],
            Want { popup: Pop::Quit, ..W }),
        c("enter on a choice goes to the next field", "setup", F0, vec![Enter],
            Want { focus: F1, ..W }),
        // Next: errors block, warnings ask.
        c("an error blocks Next: status, findings, focus on the field", "sql", Some(NextBtn),
            vec![Focus(Field(1)), CursorEnd, Input(','), Input('1'), Focus(NextBtn), Next],
            Want { focus: F1, status: St::Error("1 error(s)"), blocked: Some(true),
                texts: &[("sql.server", "corpsql.contoso.com,1")], ..W }),
        c("fixing the error opens Next again", "sql", F1, vec![Input(','), Next, Backspace, Next],
            Want { screen: Some("service_account"), effects: &[Eff::Draft("service_account")], ..W }),
        c("an empty required field blocks Next", "security", Some(Field(1)), vec![Next],
            Want { status: St::Error("1 error(s)"), blocked: Some(true), ..W })
            .prep(|m| set_text(m, "security.key_backup", "")),
        c("the licence must be accepted before Next", "licence", TEXT,
            vec![Select { field: 0, option: 0 }, Focus(NextBtn), Next],
            Want { focus: F0, status: St::Error("error"), blocked: Some(true), ..W }),
        c("a warning asks on Next", "groups", Some(NextBtn), vec![Next],
            Want { popup: Pop::Warnings(DUP), ..W }).prep(groups_dup),
        c("enter acknowledges the warning and goes on", "groups", Some(NextBtn), vec![Next, Enter],
            Want { screen: Some("security"), acked: DUP, effects: &[Eff::Draft("security")], ..W }).prep(groups_dup),
        c("letters on the warning type its reason; enter acknowledges", "groups", Some(NextBtn), vec![Next, Input('a'), Input('n'), Enter],
            Want { screen: Some("security"), acked: DUP, effects: &[Eff::Draft("security")], ..W }).prep(groups_dup),
        c("esc on the warning stays, unacknowledged", "groups", Some(NextBtn), vec![Next, Back],
            Want { unacked: DUP, ..W }).prep(groups_dup),
        c("install shows the logon-rights warning first", "summary", Some(NextBtn), vec![Next],
            Want { popup: Pop::Warnings(LOGON), ..W }).prep(|m| m.acknowledged.clear()),
        c("acknowledging it shows setup's key-backup message, then installs", "summary", TEXT, vec![Next, Enter, Enter],
            Want { acked: LOGON, effects: &[Eff::Finish], status: St::Info("Saving"), ..W })
            .prep(|m| m.acknowledged.clear()),
        c("with the warning acknowledged, Install shows setup's key-backup message", "summary", Some(NextBtn), vec![Next],
            Want { popup: Pop::Setup(KEY_BACKUP), ..W }),
        c("enter on the key-backup message installs", "summary", Some(NextBtn), vec![Next, Enter],
            Want { effects: &[Eff::Finish], status: St::Info("Saving"), ..W }),
        c("esc on the key-backup message stays", "summary", Some(NextBtn), vec![Next, Back],
            Want { screen: Some("summary"), ..W }),
        // Back, Cancel, Help.
        c("back goes one screen back without saving", "sql", F1, vec![Back],
            Want { screen: Some("install"), focus: F0, cursor: Some(3), ..W }),
        c("back on the first screen asks to quit", "setup", F0, vec![Back],
            Want { popup: Pop::Quit, ..W }),
        c("back closes a popup first", "sql", F1, vec![Help, Back],
            Want { focus: F1, ..W }),
        c("cancel asks; enter quits and keeps the draft", "sql", F1, vec![Cancel, Enter],
            Want { exit: Some(Exit::Cancelled), effects: &[Eff::Draft("sql")], ..W }),
        c("cancel asks; y quits", "groups", F0, vec![Cancel, Input('y')],
            Want { exit: Some(Exit::Cancelled), effects: &[Eff::Draft("groups")], ..W }),
        c("cancel asks; n stays", "groups", F0, vec![Cancel, Input('n')],
            Want { focus: F0, ..W }),
        c("cancel asks; esc stays", "groups", F0, vec![Cancel, Back],
            Want { ..W }),
        c("keys other than the popup's do nothing", "install", F0,
            vec![Cancel, Input('x'), Next, Toggle, Cancel, Help, JumpTo("setup".into())],
            Want { popup: Pop::Quit, texts: &[("install.media", "D:\\")], ..W }),
        c("F1 opens help", "sql", F1, vec![Help],
            Want { popup: Pop::Help, ..W }),
        c("F1 on the help lists the keys", "sql", F1, vec![Help, Help],
            Want { popup: Pop::Keys, focus: F1, ..W }),
        c("F1 on the keys closes them", "sql", F1, vec![Help, Help, Help],
            Want { focus: F1, ..W }),
        c("esc closes the keys", "sql", F1, vec![Help, Help, Back],
            Want { focus: F1, screen: Some("sql"), ..W }),
        c("enter closes help", "sql", F1, vec![Help, Enter],
            Want { ..W }),
        // Secrets: the source of the reference.
        c("F2 switches the password to a prompt", "service_account", F2, vec![CycleSecretSource],
            Want { secret: Some(Src::Prompt), ..W }),
        c("F2 twice goes back to the environment variable", "service_account", F2,
            vec![CycleSecretSource, CycleSecretSource],
            Want { secret: Some(Src::Env("MIM_SYNC_PASSWORD")), ..W }),
        c("F2 on a text field does nothing", "service_account", F1, vec![CycleSecretSource],
            Want { secret: Some(Src::Env("MIM_SYNC_PASSWORD")), ..W }),
        c("back to regular after gMSA restores the reference", "service_account", F0,
            vec![Select { field: 0, option: 1 }, Select { field: 0, option: 0 }],
            Want { secret: Some(Src::Env("MIM_SYNC_PASSWORD")), ..W }),
        // JumpTo (step list).
        c("jump to a visited screen", "groups", F0, vec![JumpTo("sql".into())],
            Want { screen: Some("sql"), focus: F0, ..W }),
        c("jump to a screen not visited is refused", "sql", F1, vec![JumpTo("groups".into())],
            Want { focus: F1, ..W }),
        c("jump to an unknown screen is refused", "sql", F1, vec![JumpTo("nowhere".into())],
            Want { ..W }),
        c("jump after finishing is refused", "finish", None, vec![JumpTo("sql".into())],
            Want { ..W }),
        // Leaving at once.
        c("ctrl-c leaves with 130 and saves the draft", "sql", F1, vec![Interrupt],
            Want { exit: Some(Exit::Interrupted), effects: &[Eff::Draft("sql")], ..W }),
        c("SIGTERM leaves with 143 and saves the draft", "groups", F0, vec![Terminate],
            Want { exit: Some(Exit::Terminated), effects: &[Eff::Draft("groups")], ..W }),
        c("ctrl-c works under a popup", "sql", F1, vec![Cancel, Interrupt],
            Want { exit: Some(Exit::Interrupted), popup: Pop::Quit, effects: &[Eff::Draft("sql")], ..W }),
        c("ctrl-c after finishing saves no draft", "finish", None, vec![Interrupt],
            Want { exit: Some(Exit::Interrupted), ..W }),
        // Results of effects.
        c("a saved draft changes nothing", "sql", F1, vec![DraftSaved(Ok("/state/draft.toml".into()))],
            Want { focus: F1, status: St::None, ..W }),
        c("a draft that cannot be saved shows in the status", "sql", F1,
            vec![DraftSaved(Err("disk full".into()))],
            Want { status: St::Error("disk full"), ..W }),
        c("finished: the finish screen, focus on its text", "summary", TEXT,
            vec![Finished(Ok(Outputs { profile: "p.toml".into(), plan: "p.plan.toml".into(), steps: vec![] }))],
            Want { screen: Some("finish"), focus: TEXT, status: St::None, popup: Pop::Setup(SIGN_OUT), ..W }),
        c("a failed finish shows an error popup and stays", "summary", TEXT,
            vec![Next, Enter, Finished(Err("cannot write".into()))],
            Want { popup: Pop::Error, effects: &[Eff::Finish], status: St::None, ..W }),
        c("the error popup closes with enter", "summary", TEXT,
            vec![Next, Enter, Finished(Err("cannot write".into())), Enter],
            Want { effects: &[Eff::Finish], ..W }),
        c("enter on the finish screen exits 0", "finish", None, vec![Enter],
            Want { exit: Some(Exit::Finished), ..W }),
        c("the Close button exits 0", "finish", Some(NextBtn), vec![Enter],
            Want { exit: Some(Exit::Finished), ..W }),
        c("esc on the finish screen exits 0, not cancelled", "finish", None, vec![Back],
            Want { exit: Some(Exit::Finished), ..W }),
        c("ctrl-q on the finish screen exits 0, not cancelled", "finish", None, vec![Cancel],
            Want { exit: Some(Exit::Finished), ..W }),
        // Licence, summary and finish text.
        c("licence: down and up scroll", "licence", TEXT, vec![Down, Down, Down, Up],
            Want { scroll: Some(2), focus: TEXT, ..W }),
        c("licence: page down and page up", "licence", TEXT, vec![PageDown, PageDown, PageUp],
            Want { scroll: Some(10), ..W }),
        c("licence: scrolling stops at the top", "licence", TEXT, vec![Down, PageUp, Up],
            Want { scroll: Some(0), ..W }),
        c("licence: enter on the text goes on once accepted", "licence", TEXT, vec![PageDown, Enter],
            Want { screen: Some("checks"), scroll: Some(0), effects: &[Eff::Draft("checks")], ..W }),
        c("licence: scrolling stops at the measured end", "licence", TEXT,
            vec![ScrollLimit(12), PageDown, PageDown, PageDown, PageUp],
            Want { scroll: Some(2), ..W }),
        c("licence: a smaller limit (larger terminal) pulls the scroll back", "licence", TEXT,
            vec![PageDown, PageDown, ScrollLimit(5)],
            Want { scroll: Some(5), ..W }),
        c("summary: page down scrolls", "summary", TEXT, vec![PageDown],
            Want { scroll: Some(10), ..W }),
        c("finish: up and down scroll the plan steps", "finish", None, vec![Down, Down, Up],
            Want { scroll: Some(1), focus: TEXT, ..W }),
    ]
}

fn source(m: &Model) -> Src {
    match m.answers.get(PASSWORD) {
        Some(Value::Secret(SecretRef::Env(n))) if n == "MIM_SYNC_PASSWORD" => {
            Src::Env("MIM_SYNC_PASSWORD")
        }
        Some(Value::Secret(SecretRef::Prompt)) => Src::Prompt,
        None => Src::Absent,
        other => panic!("unexpected password answer {other:?}"),
    }
}

fn eff_key(e: &Eff) -> String {
    match e {
        Eff::Draft(s) => format!("draft:{s}"),
        Eff::Finish => "finish".into(),
    }
}

fn effect_key(e: &Effect) -> String {
    match e {
        Effect::SaveDraft(p) => format!("draft:{}", p.draft_screen.as_deref().unwrap_or("?")),
        Effect::Finish(p) if p.draft_screen.is_none() => "finish".into(),
        Effect::Finish(_) => "finish with a draft screen".into(),
        Effect::StartCheck(run) => format!("check:{}", run.key),
        Effect::CancelCheck(key) => format!("cancel:{key}"),
        Effect::OpenApply(plan) => format!("open-apply:{}", plan.display()),
        Effect::StartApply(plan) => format!("apply:{}", plan.display()),
        Effect::WriteReview(file, _) => format!("review:{}", file.display()),
        Effect::SwitchFault(name, on) => format!("fault:{name}:{on}"),
    }
}

fn pop_key(p: &Pop) -> String {
    match p {
        Pop::None => "none".into(),
        Pop::Help => "help".into(),
        Pop::Keys => "keys".into(),
        Pop::Setup(title) => format!("setup:{title}"),
        Pop::Quit => "quit".into(),
        Pop::Error => "error".into(),
        Pop::Warnings(keys) => format!("warnings:{keys:?}"),
    }
}

fn popup_key(p: &Option<Popup>) -> String {
    match p {
        None => "none".into(),
        Some(Popup::Help) => "help".into(),
        Some(Popup::Keys) => "keys".into(),
        Some(Popup::Setup(p)) => format!("setup:{}", p.title),
        Some(Popup::Acknowledged(ws)) => {
            let keys: Vec<String> = ws.iter().map(|w| w.ack_key()).collect();
            format!("acknowledged:{keys:?}")
        }
        Some(Popup::ConfirmQuit) => "quit".into(),
        Some(Popup::Error(_)) => "error".into(),
        Some(Popup::Warnings(ws, _)) => {
            let keys: Vec<String> = ws.iter().map(|w| w.ack_key()).collect();
            format!("warnings:{keys:?}")
        }
        Some(Popup::Faults(at)) => format!("faults:{at}"),
    }
}

#[test]
fn update_table() {
    let mut failures = Vec::new();
    for case in cases().into_iter().chain(editing::cases()) {
        let mut m = at(case.at);
        if let Some(f) = case.focus {
            update(&mut m, Focus(f));
            assert_eq!(m.focus, f, "{}: the start focus is refused", case.name);
        }
        (case.prep)(&mut m);
        let effects = run(&mut m, case.actions.clone());
        let w = &case.want;
        let mut bad = Vec::new();
        let mut check = |what: &str, ok: bool, seen: String| {
            if !ok {
                bad.push(format!("{what}: {seen}"));
            }
        };
        let screen = w.screen.unwrap_or(case.at);
        check("screen", m.current == screen, m.current.clone());
        if let Some(f) = w.focus {
            check("focus", m.focus == f, format!("{:?}", m.focus));
        }
        if let Some(cur) = w.cursor {
            check("cursor", m.cursor == cur, m.cursor.to_string());
        }
        if let Some(s) = w.scroll {
            check("scroll", m.scroll == s, m.scroll.to_string());
        }
        for (p, v) in w.texts {
            check(
                p,
                m.answers.text(p) == *v,
                format!("{:?}", m.answers.text(p)),
            );
        }
        for (p, v) in w.flags {
            check(p, m.answers.flag(p) == *v, m.answers.flag(p).to_string());
        }
        if let Some(src) = w.secret {
            check(
                "password reference",
                source(&m) == src,
                format!("{:?}", source(&m)),
            );
        }
        let popup = popup_key(&m.popup);
        check("popup", popup == pop_key(&w.popup), popup);
        let effs: Vec<String> = effects.iter().map(effect_key).collect();
        let want: Vec<String> = w.effects.iter().map(eff_key).collect();
        check("effects", effs == want, format!("{effs:?}"));
        check("exit", m.exit == w.exit, format!("{:?}", m.exit));
        let status_ok = match (&w.status, &m.status) {
            (St::Any, _) | (St::None, None) => true,
            (St::Error(s), Some(Status::Error(e))) => e.contains(s),
            (St::Info(s), Some(Status::Info(i))) => i.contains(s),
            _ => false,
        };
        check("status", status_ok, format!("{:?}", m.status));
        for k in w.acked {
            check(
                "acknowledged",
                m.acknowledged.contains(*k),
                format!("{:?}", m.acknowledged),
            );
        }
        for k in w.unacked {
            check(
                "not acknowledged",
                !m.acknowledged.contains(*k),
                format!("{:?}", m.acknowledged),
            );
        }
        if let Some(b) = w.blocked {
            check(
                "blocking findings",
                m.has_errors() == b,
                format!("{:?}", m.findings),
            );
        }
        if !bad.is_empty() {
            failures.push(format!(
                "{} (on {}): {}",
                case.name,
                case.at,
                bad.join("; ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} row(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn exit_codes() {
    for (exit, code) in [
        (Exit::Finished, 0),
        (Exit::Cancelled, 1),
        (Exit::Interrupted, 130),
        (Exit::Terminated, 143),
    ] {
        assert_eq!(exit.code(), code, "{exit:?}");
    }
}
