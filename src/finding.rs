//! Findings: what a rule or check reports, in a form a MIM admin can act on.
use serde::Serialize;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Blocks Next, and makes `validate` exit 1.
    Error,
    /// Needs an acknowledgement, which the profile records.
    Warning,
    /// For the record only.
    Info,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id of the check, e.g. `sql-server-port`.
    pub check: String,
    /// The field path (`screen.field`) it is about, if any.
    pub field: Option<String>,
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// Why it matters for MIM.
    pub why: String,
    /// How to fix it.
    pub fix: String,
    /// What the check saw.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// An error that says only that a server gave no answer (no answer in time, connection
    /// refused, host unreachable): nothing was learnt about the answer itself. A profile may
    /// acknowledge it like a warning, to go on away from the network; it is then counted as
    /// acknowledged and not checked, never as passed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub unreached: bool,
}

impl Finding {
    pub fn new(
        check: &str,
        field: Option<&str>,
        severity: Severity,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            check: check.to_string(),
            field: field.map(str::to_string),
            severity,
            message: message.into(),
            why: String::new(),
            fix: String::new(),
            evidence: None,
            unreached: false,
        }
    }

    /// An error for a server that gave no answer (see `unreached`): acknowledgeable as
    /// `check@field`, which is why its id is collected by the build like a warning's.
    pub fn unreached(check: &str, field: &str, message: impl Into<String>) -> Self {
        let mut f = Finding::new(check, Some(field), Severity::Error, message);
        f.unreached = true;
        f
    }

    pub fn error(check: &str, field: &str, message: impl Into<String>) -> Self {
        Finding::new(check, Some(field), Severity::Error, message)
    }

    pub fn warning(check: &str, field: &str, message: impl Into<String>) -> Self {
        Finding::new(check, Some(field), Severity::Warning, message)
    }

    pub fn why(mut self, why: impl Into<String>) -> Self {
        self.why = why.into();
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = fix.into();
        self
    }

    pub fn evidence(mut self, evidence: impl Into<String>) -> Self {
        self.evidence = Some(evidence.into());
        self
    }

    /// How an acknowledgement of this finding is written in a profile: `check@field`.
    pub fn ack_key(&self) -> String {
        match &self.field {
            Some(f) => format!("{}@{}", self.check, f),
            None => self.check.clone(),
        }
    }

    /// An error that no acknowledgement lifts (a server that gave no answer is `needs_ack`'s).
    pub fn blocks(&self) -> bool {
        self.severity == Severity::Error && !self.unreached
    }

    /// True for a warning, and for an error about a server that gave no answer.
    pub fn acknowledgeable(&self) -> bool {
        self.severity == Severity::Warning || self.unreached
    }

    /// An acknowledgeable finding that `acknowledged` (a profile's `check@field` keys) does
    /// not cover: it blocks like an error until acknowledged. The one rule, for offline rules
    /// and live checks alike.
    pub fn needs_ack(&self, acknowledged: &std::collections::BTreeSet<String>) -> bool {
        self.acknowledgeable() && !acknowledged.contains(&self.ack_key())
    }

    /// An acknowledged finding: a warning accepted, or a check acknowledged as not run.
    pub fn is_acknowledged(&self, acknowledged: &std::collections::BTreeSet<String>) -> bool {
        self.acknowledgeable() && acknowledged.contains(&self.ack_key())
    }
}

include!(concat!(env!("OUT_DIR"), "/warning_checks.rs"));

/// True when some rule or live check makes warnings with this check id.
pub fn is_warning_check(check: &str) -> bool {
    WARNING_CHECKS.contains(&check)
}

/// True when a profile's `acknowledged` may name this check id: a warning's, or a live
/// check's that reports a server giving no answer.
pub fn is_acknowledgeable_check(check: &str) -> bool {
    is_warning_check(check) || UNREACHED_CHECKS.contains(&check)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    /// Every warning's check id is a literal where it is made, or a `const NAME: &str` of the
    /// same file, so that the build finds it (and `acknowledged` accepts it).
    #[test]
    fn every_warning_is_made_with_a_literal_check_id_that_the_build_collected() {
        fn walk(dir: &std::path::Path, out: &mut Vec<(String, String, String)>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") {
                    let text = std::fs::read_to_string(&p).unwrap();
                    for (at, _) in text.match_indices(concat!("Finding::", "warning(")) {
                        let rest = text[at..].split_once('(').unwrap().1.trim_start();
                        out.push((
                            p.display().to_string(),
                            rest.chars().take(60).collect(),
                            text.clone(),
                        ));
                    }
                }
            }
        }
        let mut calls = Vec::new();
        walk(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut calls,
        );
        assert!(calls.len() >= 20, "{calls:?}");
        for (file, rest, text) in calls {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            let id = rest
                .strip_prefix('"')
                .and_then(|r| r.split('"').next())
                .or_else(|| {
                    let decl = format!("const {name}: &str = \"");
                    (!name.is_empty())
                        .then(|| text.split_once(decl.as_str()))
                        .flatten()
                        .and_then(|(_, r)| r.split('"').next())
                });
            let id = id.unwrap_or_else(|| panic!("{file}: a warning without a literal id: {rest}"));
            assert!(
                super::is_warning_check(id),
                "{file}: {id} was not collected"
            );
        }
        assert!(super::is_warning_check("group-no-domain"));
        assert!(!super::is_warning_check("sql-server-port"));
    }

    /// The ids of errors about a server that gave no answer: every kind of no answer the
    /// checks report, none that is an answer, and none that is also a warning's.
    #[test]
    fn the_build_collected_every_no_answer_check_and_no_answer_that_is_one() {
        for id in [
            "sql-timeout",
            "sql-refused",
            "sql-unreachable",
            "sql-dns-timeout",
            "ad-timeout",
            "ad-refused",
            "ad-unreachable",
            "ad-dc-dns-timeout",
            "dns-timeout",
            "mail-timeout",
            "net-timeout",
            "mail-smtp-timeout",
            "mail-smtp-refused",
            "mail-smtp-unreachable",
            "mail-smtp-tls-timeout",
            "mail-smtp-sender-timeout",
            "mail-ews-timeout",
            "mail-ews-refused",
            "mail-office365-token-timeout",
            "mail-office365-token-refused",
            "mail-office365-ews-timeout",
            "sharepoint-timeout",
            "sharepoint-unreachable",
        ] {
            assert!(
                super::UNREACHED_CHECKS.contains(&id),
                "{id}: {:?}",
                super::UNREACHED_CHECKS
            );
            assert!(super::is_acknowledgeable_check(id));
        }
        for id in [
            "sql-dns",
            "sql-login-failed",
            "sql-login",
            "dns-failed",
            "ad-connect-failed",
            "ad-tls-certificate",
            "sql-server-port",
        ] {
            assert!(!super::is_acknowledgeable_check(id), "{id}");
        }
        for id in super::UNREACHED_CHECKS {
            assert!(!super::is_warning_check(id), "{id} is a warning's id too");
        }
        // Only a finding made as one is lifted by its acknowledgement.
        let acked: std::collections::BTreeSet<String> =
            ["sql-refused@sql.server".to_string()].into();
        let silent = super::Finding::unreached("sql-refused", "sql.server", "refused");
        assert!(!silent.blocks() && !silent.needs_ack(&acked) && silent.is_acknowledged(&acked));
        assert!(silent.needs_ack(&Default::default()));
        let answer = super::Finding::error("sql-refused", "sql.server", "an answer");
        assert!(answer.blocks() && !answer.is_acknowledged(&acked));
    }
}
