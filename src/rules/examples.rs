//! The rule every text answer gets: no leftover Contoso example.
//!
//! The walkthroughs (seeds 000 and 003) use the sample names of a company called Contoso and
//! say to replace them with your own: the domain `contoso`, the computers corpdc, corpsql,
//! corpsync, corpservice and CORPIDM. A profile copied from a shipped one can keep some of
//! them by mistake. When the live checks' domain (`checks.domain`) is another domain, a text
//! answer that still names Contoso or one of its computers gets a warning naming the field:
//! setup would be pointed at servers, accounts or groups of the example company. Without a
//! domain, or in the Contoso domain itself (the shipped profiles, the demo), nothing is said.
use super::FieldCtx;
use crate::finding::Finding;

/// The check id of the finding.
pub const CHECK: &str = "contoso-example";

/// The field the answers are compared with.
pub const DOMAIN: &str = "checks.domain";

/// The walkthroughs' sample names, lower case.
const NAMES: &[&str] = &[
    "contoso",
    "corpdc",
    "corpsql",
    "corpsync",
    "corpservice",
    "corpidm",
];

/// The first Contoso sample name in `value` (case-insensitive), if any.
pub fn contoso_name(value: &str) -> Option<&'static str> {
    let lower = value.to_lowercase();
    NAMES.iter().copied().find(|n| lower.contains(n))
}

/// Warns about a text answer that names Contoso while the checks' domain is another one.
pub fn leftover(ctx: &FieldCtx, label: &str) -> Vec<Finding> {
    let domain = ctx.answers.text(DOMAIN).trim();
    if ctx.path == DOMAIN || domain.is_empty() || contoso_name(domain).is_some() {
        return Vec::new();
    }
    let value = ctx.text();
    let Some(name) = contoso_name(value) else {
        return Vec::new();
    };
    vec![Finding::warning(
        CHECK,
        ctx.path,
        format!("{label} holds '{value}', a name from the Contoso walkthrough, but the live checks' domain is {domain}."),
    )
    .why("The walkthrough's names are examples to replace: setup would be given a server, account or group of the example company, which this domain does not have.")
    .fix(format!("Replace '{value}' with this environment's {}, or acknowledge the warning if the name is really used here.", label.to_lowercase()))
    .evidence(format!("'{name}' in '{value}'; {DOMAIN} = '{domain}'"))]
}
