//! Host fields given a URL: setup gets the URL's host.
//!
//! Seed 003 gives the SSPR portals' MIM Service server address as `http://CorpIDM.contoso.local`,
//! where setup wants a host name. Refusing it stops a user who follows the seed; so a host
//! field (one whose rules include `hostname`, `service-address` or `sql-server-address`)
//! that holds a URL with a valid host is read as that host, with an info finding saying what
//! was typed and what setup gets. The field's own rules then judge the host. A URL whose host is not a host name
//! (or that holds a user name) is left to those rules, which refuse it: setup cannot use it.
//! The plan reads the same host through `with_hosts`, so what it gives setup is what the
//! finding said.
use super::FieldCtx;
use crate::answers::{path, Answers, Value};
use crate::finding::{Finding, Severity};
use crate::screens::{FieldDef, FieldKind, Screens};

/// The check id of the finding.
pub const CHECK: &str = "host-from-url";

/// The field rules that make a field a host field.
const HOST_RULES: &[&str] = &["hostname", "service-address", "sql-server-address"];

pub fn is_host_field(f: &FieldDef) -> bool {
    f.kind == FieldKind::Text && f.rules.iter().any(|r| HOST_RULES.contains(&r.as_str()))
}

/// The host of `value` when it is a URL (`scheme://host[:port][/path]`) whose host is a host
/// name; None otherwise.
pub fn host_of_url(value: &str) -> Option<&str> {
    let (scheme, after) = value.trim().split_once("://")?;
    if scheme.is_empty() || !scheme.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) => (h, Some(p)),
        None => (authority, None),
    };
    if port.is_some_and(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    super::names::hostname_problem(host)
        .is_none()
        .then_some(host.strip_suffix('.').unwrap_or(host))
}

/// The info finding for a URL in a host field.
pub fn finding(ctx: &FieldCtx, label: &str, host: &str) -> Finding {
    Finding::new(
        CHECK,
        Some(ctx.path),
        Severity::Info,
        format!("{label}: '{}' is a URL; setup gets its host, {host}.", ctx.text()),
    )
    .why("Setup asks for a host name here and builds its own addresses from it; the walkthrough (seed 003) writes this address as a URL.")
    .fix(format!("Nothing to do; write {host} to say it as setup does."))
    .evidence(format!("typed '{}'; setup gets '{host}'", ctx.text()))
}

/// The answers with every host field's URL replaced by its host, and what was replaced:
/// `(field path, typed, host)`.
pub fn with_hosts(
    screens: &Screens,
    answers: &Answers,
) -> (Answers, Vec<(String, String, String)>) {
    let mut out = answers.clone();
    let mut replaced = Vec::new();
    for s in screens.all() {
        for f in s.fields.iter().filter(|f| is_host_field(f)) {
            let p = path(&s.id, &f.id);
            let typed = answers.text(&p);
            if let Some(host) = host_of_url(typed) {
                replaced.push((p.clone(), typed.to_string(), host.to_string()));
                out.set(p, Value::Text(host.to_string()));
            }
        }
    }
    (out, replaced)
}
