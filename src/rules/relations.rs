//! Rules that relate several answers: account kind and name, distinct groups, the licence,
//! and the service-account warning setup shows before it installs.
use super::FieldCtx;
use crate::answers::{Answers, Value};
use crate::finding::Finding;
use crate::screens::fields;

pub fn licence_accepted(ctx: &FieldCtx) -> Vec<Finding> {
    if ctx.value.as_bool() == Some(true) {
        return vec![];
    }
    vec![Finding::error("licence-not-accepted", ctx.path, "The licence terms are not accepted.")
        .why("Setup does not install without an accepted licence; the plan passes ACCEPT_EULA=1 on your behalf only when you have accepted.")
        .fix("Read the licence terms and tick \"I accept the terms in the License Agreement\" (in a profile: [licence] accepted = true).")]
}

/// gMSA names end in `$` and have no password; regular account names do not end in `$`.
pub fn service_account_kind(a: &Answers) -> Vec<Finding> {
    let name = a.text(fields::service_account::NAME);
    match a.text(fields::service_account::KIND) {
        "gmsa" => {
            let mut out = Vec::new();
            if !name.is_empty() && !name.ends_with('$') {
                out.push(Finding::error("gmsa-name-dollar", fields::service_account::NAME, "A group-managed service account name ends in $.")
                    .why("Setup tells a gMSA from a regular account by the $ at the end of its name; without it, it asks for a password the gMSA does not have.")
                    .fix(format!("Give the name with the $: {name}$."))
                    .evidence(format!("'{name}'")));
            }
            if matches!(
                a.get(fields::service_account::PASSWORD),
                Some(Value::Secret(_))
            ) {
                out.push(Finding::error("gmsa-password-empty", fields::service_account::PASSWORD, "A group-managed service account has no password.")
                    .why("Windows manages a gMSA's password; setup expects the password field empty and disabled.")
                    .fix("Remove `password` from [service_account]."));
            }
            out
        }
        _ if name.ends_with('$') => vec![Finding::error(
            "regular-name-dollar",
            fields::service_account::NAME,
            "This name ends in $, which marks a group-managed service account.",
        )
        .why("Setup treats a name ending in $ as a gMSA and ignores the password.")
        .fix("Choose \"Group-managed service account\" as the account type, or remove the $.")
        .evidence(format!("'{name}'"))],
        _ => vec![],
    }
}

const GROUP_FIELDS: [(&str, &str); 5] = [
    (fields::groups::ADMINS, "Administrator"),
    (fields::groups::OPERATORS, "Operator"),
    (fields::groups::JOINERS, "Joiner"),
    (fields::groups::BROWSE, "Connector Browse"),
    (fields::groups::PASSWORD_SET, "WMI Password Management"),
];

/// Each role gets a group of its own.
pub fn groups_distinct(a: &Answers) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, (path, role)) in GROUP_FIELDS.iter().enumerate() {
        let v = a.text(path);
        if v.is_empty() {
            continue;
        }
        if let Some((_, earlier)) = GROUP_FIELDS[..i]
            .iter()
            .find(|(p, _)| a.text(p).eq_ignore_ascii_case(v))
        {
            out.push(Finding::warning("groups-distinct", path, format!("The {role} role uses the same group as the {earlier} role."))
                .why("Members of a shared group get both roles; MIM's role separation (who may run, join, browse or set passwords) is lost.")
                .fix("Give each role its own group, as in the walkthrough (MIMSyncAdmins, MIMSyncOperators, MIMSyncJoiners, MIMSyncBrowse, MIMSyncPasswordReset), or acknowledge.")
                .evidence(format!("'{v}'")));
        }
    }
    out
}

/// The warning setup shows when Install is pressed: the service account is not denied
/// interactive and network logon. It cannot be checked offline, so it always needs an
/// acknowledgement.
pub fn service_account_logon_rights(a: &Answers) -> Vec<Finding> {
    let account = format!(
        "{}\\{}",
        a.text(fields::service_account::DOMAIN),
        a.text(fields::service_account::NAME)
    );
    vec![Finding::warning("service-account-logon-rights", fields::service_account::NAME, "Setup will warn that the Synchronization Service account is not secured against interactive and network logon.")
        .why("The account holds the keys to every connected directory. Microsoft recommends denying it \"Log on locally\" and \"Access this computer from the network\"; setup shows this warning and continues when you click OK.")
        .fix("Deny those rights to the account through Group Policy (User Rights Assignment), then acknowledge to continue, as the walkthrough clicks OK.")
        .evidence(account)]
}
