//! The rule every text answer gets: no `{{` or `}}`.
//!
//! A plan writes `{{secret:NAME}}` and `{{log_dir}}` into its commands, and `apply` and the
//! exports fill them in at install time. Only the plan may create them: a value typed into a
//! profile that held one would be filled in with a password (into an MSI log, a portal's
//! configuration, or PowerShell code) or with the log folder. No MIM field needs double
//! braces, so a value holding them is refused outright.
use super::FieldCtx;
use crate::finding::Finding;

/// The check id of the finding.
pub const CHECK: &str = "no-placeholder";

/// Refuses a text value holding `{{` or `}}`.
pub fn no_placeholder(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let Some(at) = [v.find("{{"), v.find("}}")].into_iter().flatten().min() else {
        return Vec::new();
    };
    let pair = &v[at..at + 2];
    vec![Finding::error(
        CHECK,
        ctx.path,
        "This value holds double braces, which mim-setup reserves for the plan's placeholders.",
    )
    .why("The plan fills in {{secret:NAME}} and {{log_dir}} at install time; braces typed into a value would be filled in too, putting a password or the log folder where the value should be.")
    .fix("Remove the double braces from the value; no setup answer needs them (a secret is referenced as `{ env = \"NAME\" }` or `{ prompt = true }`).")
    .evidence(format!("'{pair}' at position {}", v[..at].chars().count() + 1))]
}
