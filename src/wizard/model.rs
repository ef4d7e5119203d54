//! The wizard's state: answers, typed secrets (memory only), where the user is, and what
//! the rules say about the current screen.
use super::action::{Exit, Outputs};
use crate::answers::{path, Answers, Value};
use crate::finding::Finding;
use crate::profile::{Profile, COMPONENT_PATH};
use crate::rules::{evaluate_screen, flow_screens};
use crate::screens::{Component, FieldKind, ScreenDef, ScreenKind, Screens};
use crate::secret::Secret;
use std::collections::{BTreeMap, BTreeSet};

/// What has the keyboard focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The scrolling text of a licence or summary screen.
    Text,
    /// A field, by its index in the screen definition.
    Field(usize),
    Back,
    Next,
    Cancel,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Popup {
    /// F1: the screen's help from the walkthrough, and the focused field's.
    Help,
    /// F1 on the help: every key.
    Keys,
    /// Warnings to acknowledge before going on (the seed's service-account warning is one),
    /// and checks that could not reach their server; with the reason typed so far (saved
    /// beside each acknowledgement when not empty).
    Warnings(Vec<Finding>, String),
    /// Warnings the profile acknowledged, shown once on their screen's first visit.
    Acknowledged(Vec<Finding>),
    /// A message setup itself shows at this point.
    Setup(SetupPopup),
    /// "Really quit?"
    ConfirmQuit,
    /// Something went wrong in an effect.
    Error(String),
    /// `mim-setup demo`, F7: the scenario's faults, with the selected row.
    Faults(usize),
}

/// Setup's own message, its answers filled in (from the screen's `setup_message`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetupPopup {
    pub title: String,
    /// What setup shows.
    pub setup: String,
    pub means: String,
    /// What the plan does about it.
    pub plan: String,
    /// Shown on Next: Enter goes on to the next screen (Esc stays).
    pub advance: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

pub struct Model {
    pub screens: &'static Screens,
    pub answers: Answers,
    /// Typed secrets, by field path. Never written anywhere.
    pub secrets: BTreeMap<String, Secret>,
    pub acknowledged: BTreeSet<String>,
    /// Why an acknowledgement was given, by its key (from the profile or the popup).
    pub reasons: BTreeMap<String, String>,
    /// The current screen's id.
    pub current: String,
    /// Screens the user has passed with Next.
    pub visited: BTreeSet<String>,
    pub focus: Focus,
    /// Cursor in the focused text field, in characters.
    pub cursor: usize,
    /// Scroll offset of the licence or summary text.
    pub scroll: u16,
    /// The furthest `scroll` goes, as the runtime last measured it.
    pub scroll_max: u16,
    /// Scroll offset of the findings panel, and the furthest it goes (from the runtime).
    pub findings_scroll: u16,
    pub findings_max: u16,
    pub popup: Option<Popup>,
    pub status: Option<Status>,
    /// Findings of the current screen, kept up to date by `refresh`.
    pub findings: Vec<Finding>,
    /// Screens that have blocking findings now (the step list marks them): the visited
    /// ones, and with a loaded profile every screen of the flow from the start.
    pub screens_with_errors: BTreeSet<String>,
    /// The run started from a profile (not a draft, not empty): its answers are all there
    /// to judge, so the step list marks errors before their screen is visited.
    pub judge_all: bool,
    pub outputs: Option<Outputs>,
    pub exit: Option<Exit>,
    /// Base name of the files the run writes.
    pub name: String,
    /// What the live checks said, screen by screen.
    pub live: super::live::LiveChecks,
    /// The apply screen, once key A on the finish screen opened it.
    pub apply: Option<super::apply::ApplyScreen>,
    /// What the starting profile acknowledged: shown once on their screen's first visit.
    pub preacknowledged: BTreeSet<String>,
    /// The acknowledgements of `preacknowledged` shown so far.
    pub acknowledged_shown: BTreeSet<String>,
    /// `--quiet-acknowledged`: acknowledged warnings are not shown again.
    pub quiet_acknowledged: bool,
    /// `mim-setup review`: the screens are read-only, no draft is kept, and the only file
    /// written is the review.
    pub review: Option<crate::review::Session>,
    /// `mim-setup demo`: the narration, the fault panel and autoplay.
    pub demo: Option<super::demo::Demo>,
}

impl Model {
    /// A new run at the first screen, starting from `profile`'s answers over the defaults.
    pub fn new(screens: &'static Screens, profile: Option<&Profile>, name: &str) -> Model {
        let mut answers = Answers::defaults(screens);
        let mut acknowledged = BTreeSet::new();
        let mut reasons = BTreeMap::new();
        let mut current = screens
            .all()
            .first()
            .map(|s| s.id.clone())
            .unwrap_or_default();
        if let Some(p) = profile {
            answers.merge(&p.answers);
            acknowledged = p.acknowledged.clone();
            reasons = p.reasons.clone();
            if let Some(s) = &p.draft_screen {
                current = s.clone();
            }
        }
        let preacknowledged = acknowledged.clone();
        let mut m = Model {
            screens,
            answers,
            secrets: BTreeMap::new(),
            acknowledged,
            reasons,
            current,
            visited: BTreeSet::new(),
            focus: Focus::Next,
            cursor: 0,
            scroll: 0,
            scroll_max: u16::MAX,
            findings_scroll: 0,
            findings_max: u16::MAX,
            popup: None,
            status: None,
            findings: Vec::new(),
            screens_with_errors: BTreeSet::new(),
            outputs: None,
            exit: None,
            name: name.to_string(),
            live: Default::default(),
            apply: None,
            preacknowledged,
            acknowledged_shown: BTreeSet::new(),
            quiet_acknowledged: false,
            review: None,
            demo: None,
            judge_all: profile.is_some_and(|p| p.draft_screen.is_none()),
        };
        if m.flow().iter().all(|s| s.id != m.current) {
            m.current = m.flow().first().map(|s| s.id.clone()).unwrap_or_default();
        }
        // Nothing is written yet: a draft resumes at the latest on the summary.
        if m.screen().kind == ScreenKind::Finish {
            let at = m.flow_index();
            if let Some(s) = at.checked_sub(1).and_then(|i| m.flow().get(i).copied()) {
                m.current = s.id.clone();
            }
        }
        // Screens before the resumed one count as visited.
        let here = m.flow_index();
        let before: Vec<String> = m.flow()[..here].iter().map(|s| s.id.clone()).collect();
        m.visited.extend(before);
        m.refresh();
        m.focus = m.first_focus();
        m
    }

    pub fn component(&self) -> Component {
        Component::parse(self.answers.text(COMPONENT_PATH)).unwrap_or(Component::Sync)
    }

    /// The screens the flow shows now, in order.
    pub fn flow(&self) -> Vec<&'static ScreenDef> {
        flow_screens(self.screens, self.component(), &self.answers)
    }

    pub fn flow_index(&self) -> usize {
        self.flow()
            .iter()
            .position(|s| s.id == self.current)
            .unwrap_or(0)
    }

    pub fn screen(&self) -> &'static ScreenDef {
        let flow = self.flow();
        flow.iter()
            .find(|s| s.id == self.current)
            .or_else(|| flow.first())
            .copied()
            .unwrap_or(&self.screens.all()[0])
    }

    pub fn field_path(&self, index: usize) -> String {
        let s = self.screen();
        path(&s.id, &s.fields[index].id)
    }

    /// What Tab walks through on this screen, in order.
    pub fn focusables(&self) -> Vec<Focus> {
        let s = self.screen();
        let mut out = Vec::new();
        if matches!(
            s.kind,
            ScreenKind::Licence | ScreenKind::Summary | ScreenKind::Finish
        ) {
            out.push(Focus::Text);
        }
        for (i, f) in s.fields.iter().enumerate() {
            if self.answers.field_active(s, f) {
                out.push(Focus::Field(i));
            }
        }
        if s.kind != ScreenKind::Finish {
            out.push(Focus::Back);
        }
        out.push(Focus::Next);
        if s.kind != ScreenKind::Finish {
            out.push(Focus::Cancel);
        }
        out
    }

    /// The text or the first field; Next on a screen without either, so that Enter goes on.
    pub fn first_focus(&self) -> Focus {
        self.focusables()
            .into_iter()
            .find(|f| matches!(f, Focus::Text | Focus::Field(_)))
            .unwrap_or(Focus::Next)
    }

    /// The value of a text or choice field as shown.
    pub fn text_of(&self, index: usize) -> String {
        let p = self.field_path(index);
        match self.screen().fields[index].kind {
            FieldKind::Secret => self
                .secrets
                .get(&p)
                .map(|s| "\u{2022}".repeat(s.char_count()))
                .unwrap_or_default(),
            _ => self.answers.text(&p).to_string(),
        }
    }

    pub fn findings_for(&self, field_path: &str) -> impl Iterator<Item = &Finding> {
        let fp = field_path.to_string();
        self.findings
            .iter()
            .filter(move |f| f.field.as_deref() == Some(fp.as_str()))
    }

    pub fn has_errors(&self) -> bool {
        self.findings.iter().any(Finding::blocks)
    }

    /// The warnings Next asks to acknowledge: the screen's own; on the summary also the live
    /// warnings of every other screen, since a check may finish after its screen was left
    /// (one of each `check@field`).
    pub fn unacknowledged(&self) -> Vec<Finding> {
        let mut out: Vec<Finding> = self
            .findings
            .iter()
            .filter(|f| f.needs_ack(&self.acknowledged))
            .cloned()
            .collect();
        if self.screen().kind == ScreenKind::Summary {
            for s in self.flow().into_iter().filter(|s| s.id != self.current) {
                for f in self.live.findings(&s.id) {
                    let key = f.ack_key();
                    if f.needs_ack(&self.acknowledged) && !out.iter().any(|o| o.ack_key() == key) {
                        out.push(f);
                    }
                }
            }
        }
        out
    }

    /// Keeps secrets consistent with their fields (a secret the answers disable or hide, such
    /// as a gMSA's password, holds nothing) and re-runs the current screen's rules.
    pub fn refresh(&mut self) {
        for s in self.screens.all() {
            for f in s.fields.iter().filter(|f| f.kind == FieldKind::Secret) {
                let p = path(&s.id, &f.id);
                if !self.answers.field_active(s, f) {
                    self.answers.remove(&p);
                    self.secrets.remove(&p);
                } else if self.answers.get(&p).is_none() {
                    if let Some(v) = Value::initial(f) {
                        self.answers.set(p, v);
                    }
                }
            }
        }
        self.findings = evaluate_screen(self.screen(), &self.answers);
        self.findings.extend(self.live.findings(&self.current));
        self.screens_with_errors = self
            .flow()
            .into_iter()
            .filter(|s| self.judge_all || self.visited.contains(&s.id))
            .filter(|s| {
                evaluate_screen(s, &self.answers)
                    .iter()
                    .chain(self.live.findings(&s.id).iter())
                    .any(|f| f.blocks() || (f.unreached && f.needs_ack(&self.acknowledged)))
            })
            .map(|s| s.id.clone())
            .collect();
    }

    /// The answers as a profile (references only); drafts also record the current screen.
    pub fn profile(&self, draft: bool) -> Profile {
        let mut answers = Answers::default();
        for s in self.flow() {
            for f in s.fields.iter().filter(|f| self.answers.field_active(s, f)) {
                let p = path(&s.id, &f.id);
                if let Some(v) = self.answers.get(&p) {
                    answers.set(p, v.clone());
                }
            }
        }
        Profile {
            answers,
            acknowledged: self.acknowledged.clone(),
            reasons: self
                .reasons
                .iter()
                .filter(|(k, _)| self.acknowledged.contains(*k))
                .map(|(k, r)| (k.clone(), r.clone()))
                .collect(),
            draft_screen: draft.then(|| self.current.clone()),
        }
    }
}

#[cfg(test)]
#[path = "model_tests.rs"]
mod tests;
