//! Rules: offline checks of answers, each returning typed findings.
//!
//! Field rules look at one value and are named in the screen files (`rules = [...]` on a
//! field); screen rules relate several fields and are named on a screen. `evaluate` runs
//! them over the shown fields of a screen or a whole flow, plus the checks every field gets
//! (answered, available option).
mod evaluate;
mod names;
mod paths;
mod relations;
mod sql;

pub use evaluate::{evaluate_flow, evaluate_screen, flow_screens};

use crate::answers::{Answers, Value};
use crate::finding::Finding;

/// What a field rule sees.
pub struct FieldCtx<'a> {
    /// `screen.field`
    pub path: &'a str,
    pub value: &'a Value,
    pub answers: &'a Answers,
}

impl FieldCtx<'_> {
    pub fn text(&self) -> &str {
        self.value.as_text().unwrap_or("")
    }
}

pub type FieldRule = fn(&FieldCtx) -> Vec<Finding>;
pub type ScreenRule = fn(&Answers) -> Vec<Finding>;

const FIELD_RULES: &[(&str, FieldRule)] = &[
    ("hostname", names::hostname),
    ("sam-account-name", names::sam_account_name),
    ("netbios-domain", names::netbios_domain),
    ("group-name", names::group_name),
    ("sql-server-no-port", sql::server_no_port),
    ("sql-instance-name", sql::instance_name),
    ("sql-database-name", sql::database_name),
    ("windows-absolute-path", paths::absolute_path),
    ("windows-local-path", paths::local_path),
    ("licence-accepted", relations::licence_accepted),
];

const SCREEN_RULES: &[(&str, ScreenRule)] = &[
    ("service-account-kind", relations::service_account_kind),
    ("groups-distinct", relations::groups_distinct),
    (
        "service-account-logon-rights",
        relations::service_account_logon_rights,
    ),
];

pub fn field_rule(name: &str) -> Option<FieldRule> {
    FIELD_RULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| *r)
}

pub fn screen_rule(name: &str) -> Option<ScreenRule> {
    SCREEN_RULES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, r)| *r)
}

pub fn field_rule_exists(name: &str) -> bool {
    field_rule(name).is_some()
}

pub fn screen_rule_exists(name: &str) -> bool {
    screen_rule(name).is_some()
}

/// Describes the first character of `s` that `bad` rejects, for a finding's evidence.
pub(crate) fn first_bad_char(s: &str, bad: impl Fn(char) -> bool) -> Option<String> {
    s.chars().enumerate().find(|(_, c)| bad(*c)).map(|(i, c)| {
        let shown = if c.is_control() {
            format!("U+{:04X}", c as u32)
        } else {
            format!("'{c}'")
        };
        format!("character {shown} at position {}", i + 1)
    })
}
