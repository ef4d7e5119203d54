//! Types a profile's answers into the wizard, screen by screen and field by field, as a user
//! does: a text field is cleared and typed, a choice moved with the arrow keys, a checkbox
//! ticked with Space, a secret typed only when the test gives one (otherwise the reference
//! the wizard offers stays), Enter to the next field and, on the last, to the next screen.
//! The walk keeps its own copy of what the wizard holds, to know how far to move.
use super::harness::Run;
use mim_setup::answers::{path, Answers, Value};
use mim_setup::profile::Profile;
use mim_setup::rules::flow_screens;
use mim_setup::screens::{FieldKind, MessageAt, ScreenDef, ScreenKind, Screens};
use std::collections::BTreeMap;

pub const ENTER: &str = "\r";
pub const TAB: &str = "\t";
pub const SHIFT_TAB: &str = "\x1b[Z";
pub const UP: &str = "\x1b[A";
pub const DOWN: &str = "\x1b[B";
pub const CTRL_N: &str = "\x0e";
const CTRL_E: &str = "\x05";
const CTRL_U: &str = "\x15";

/// What the user types: what the wizard must save.
pub struct Walk {
    pub screens: &'static Screens,
    /// The profile the walk types.
    pub target: Profile,
    /// What the wizard holds now: its defaults, then everything typed.
    pub now: Answers,
    /// Secrets to type, by field path.
    pub typed: BTreeMap<String, String>,
}

impl Walk {
    pub fn new(screens: &'static Screens, target: Profile) -> Walk {
        Walk {
            screens,
            target,
            now: Answers::defaults(screens),
            typed: BTreeMap::new(),
        }
    }

    /// Types `secret` into the secret field `field_path` instead of keeping its reference.
    pub fn secret(mut self, field_path: &str, secret: &str) -> Walk {
        self.typed.insert(field_path.into(), secret.into());
        self
    }

    /// The screens of the target's flow, the finish screen last.
    pub fn flow(&self) -> Vec<&'static ScreenDef> {
        let mut all = Answers::defaults(self.screens);
        all.merge(&self.target.answers);
        flow_screens(self.screens, self.target.component(), &all)
    }

    fn want(&self, p: &str) -> Option<&Value> {
        self.target.answers.get(p)
    }

    /// Waits for screen `s`, types its answers and leaves it with Enter on its last field
    /// (or on its text or Next), acknowledging the warnings the target acknowledges on it.
    pub fn screen(&mut self, r: &mut Run, s: &ScreenDef) {
        r.wait_for(&s.title);
        let fields: Vec<usize> = (0..s.fields.len())
            .filter(|i| self.now.field_active(s, &s.fields[*i]))
            .collect();
        // A licence's focus starts on its text: Tab to the checkbox.
        if s.kind == ScreenKind::Licence && !fields.is_empty() {
            r.send(TAB);
        }
        self.fields_from(r, s, 0);
        self.leave(r, s);
    }

    /// Types the answers of screen `s` from its field `first` on (the focus is there), then
    /// Enter on the last one.
    pub fn fields_from(&mut self, r: &mut Run, s: &ScreenDef, first: usize) {
        let mut i = first;
        // Activity is decided field by field: a choice can show or hide the fields after it.
        while i < s.fields.len() {
            if self.now.field_active(s, &s.fields[i]) {
                self.field(r, s, i);
            }
            i += 1;
        }
        r.send(ENTER);
    }

    /// Sets field `i` (focused) to the target's answer, then Enter unless it is the last
    /// active field (`fields_from` presses that one).
    fn field(&mut self, r: &mut Run, s: &ScreenDef, i: usize) {
        let f = &s.fields[i];
        let p = path(&s.id, &f.id);
        match f.kind {
            FieldKind::Text => {
                let want = self.want(&p).and_then(Value::as_text).unwrap_or("");
                // One write: to the end, erase to the start, and the text (no lone Esc to
                // be misread), as a person replaces a value.
                r.send(&format!("{CTRL_E}{CTRL_U}{want}"));
                if !want.is_empty() {
                    r.wait_for(tail(want));
                }
                self.now.set(p.clone(), Value::Text(want.to_string()));
            }
            FieldKind::Choice => {
                let want = self.want(&p).and_then(Value::as_text).unwrap_or("");
                let at = |v: &str| f.options.iter().position(|o| o.value == v);
                let to = at(want).unwrap_or_else(|| panic!("{p}: {want:?} is no option"));
                let from = at(self.now.text(&p)).unwrap_or(0);
                let key = if to > from { DOWN } else { UP };
                for _ in 0..from.abs_diff(to) {
                    r.send(key);
                }
                r.wait_for(&format!("(\u{25cf}) {}", f.options[to].label));
                self.now.set(p.clone(), Value::Text(want.to_string()));
            }
            FieldKind::Checkbox => {
                let want = self.want(&p).and_then(Value::as_bool).unwrap_or(false);
                if self.now.flag(&p) != want {
                    r.send(" ");
                }
                let mark = if want { "[x]" } else { "[ ]" };
                r.wait_for(&format!("{mark} {}", f.label));
                self.now.set(p.clone(), Value::Bool(want));
            }
            FieldKind::Secret => {
                if let Some(secret) = self.typed.get(&p) {
                    r.send(secret);
                    r.wait_for(&super::masked(secret));
                }
            }
        }
        let last = (i + 1..s.fields.len()).all(|j| !self.now.field_active(s, &s.fields[j]));
        if !last {
            r.send(ENTER);
        }
    }

    /// After Next: the warnings the target acknowledges on this screen are acknowledged as
    /// setup's OK does.
    fn leave(&self, r: &mut Run, s: &ScreenDef) {
        let on_screen = format!("@{}.", s.id);
        if self
            .target
            .acknowledged
            .iter()
            .any(|k| k.contains(&on_screen))
        {
            r.wait_for("OK, acknowledge");
            r.send(ENTER);
            r.wait_gone("OK, acknowledge");
        }
        // Setup's own message at this point (the SharePoint and SSPR warnings), read and
        // passed with Enter as setup's Next; Install's is left to the caller.
        if let Some(msg) = s
            .setup_message
            .as_ref()
            .filter(|m| m.at == MessageAt::Next && s.kind != ScreenKind::Summary)
        {
            r.wait_for(&msg.title);
            r.send(ENTER);
            r.wait_gone(&msg.title);
        }
    }
}

/// The end of a typed value, which a narrow field still shows (it scrolls to the cursor).
fn tail(text: &str) -> &str {
    let n = text.chars().count();
    let skip = n.saturating_sub(24);
    let at = text.char_indices().nth(skip).map_or(0, |(b, _)| b);
    &text[at..]
}
