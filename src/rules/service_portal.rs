//! Rules over several answers of the Service and Portal flow: which components need the MIM
//! Service, reusing a database, the MIM Service account (gMSA or not, its mailbox, the logon
//! warning setup shows) and the accounts that must differ from it.
use crate::answers::{Answers, Value};
use crate::finding::Finding;
use crate::screens::fields;

/// Components that run inside the MIM Service, with their checkbox and name.
const NEED_SERVICE: [(&str, &str); 2] = [
    (fields::features::REPORTING, "MIM Reporting"),
    (fields::features::PAM, "Privileged Access Management"),
];

const COMPONENTS: [&str; 6] = [
    fields::features::SERVICE,
    fields::features::REPORTING,
    fields::features::PORTAL,
    fields::features::REGISTRATION,
    fields::features::RESET,
    fields::features::PAM,
];

/// Reporting and PAM need the MIM Service; at least one component is selected.
pub fn feature_dependencies(a: &Answers) -> Vec<Finding> {
    if !COMPONENTS.iter().any(|f| a.flag(f)) {
        return vec![Finding::error("no-component", fields::features::SERVICE, "No component is selected.")
            .why("Setup has nothing to install, and the plan would run msiexec with an empty feature list.")
            .fix("Tick the components this server gets; the walkthrough installs the MIM Service, the MIM Portal and the two password portals.")];
    }
    if a.flag(fields::features::SERVICE) {
        return vec![];
    }
    NEED_SERVICE
        .iter()
        .filter(|(f, _)| a.flag(f))
        .map(|(field, name)| {
            Finding::error("feature-needs-service", field, format!("{name} needs the MIM Service on this server."))
                .why(format!("{name} runs inside the MIM Service (feature CommonServices); setup does not install it without the MIM Service."))
                .fix(format!("Tick MIM Service too, or untick {name}."))
        })
        .collect()
}

/// Reusing an existing database: setup warns, and it is right only for an upgrade.
pub fn database_reuse(a: &Answers) -> Vec<Finding> {
    if a.text(fields::database::MODE) != "reuse" {
        return vec![];
    }
    vec![Finding::warning("database-reuse", fields::database::MODE, "Setup warns when it installs on an existing database: reuse it only when upgrading.")
        .why("The MIM Service then keeps the data and configuration in that database. That is right for an upgrade from a previous MIM version; for a new installation it would start with another deployment's objects and policies.")
        .fix("Back up the database and acknowledge when upgrading; otherwise choose \"Create a new database\".")
        .evidence(format!(
            "{} on {}",
            a.text(fields::database::DATABASE),
            a.text(fields::database::SERVER)
        ))]
}

/// The account's kind matches the mail screen's gMSA checkbox (a gMSA's name ends in `$`, a
/// regular account's does not; a gMSA's password field is not shown, so it has none), and a
/// gMSA with a mail server leaves the mailbox to a separate user.
pub fn mim_service_account(a: &Answers) -> Vec<Finding> {
    let name = a.text(fields::mim_service::NAME);
    if name.is_empty() {
        return vec![];
    }
    if !a.flag(fields::mail::GMSA) {
        if name.ends_with('$') {
            return vec![Finding::error("regular-name-dollar", fields::mim_service::NAME, "This name ends in $, which marks a group-managed service account.")
                .why("Setup treats a name ending in $ as a gMSA: it ignores the password and expects the gMSA settings, which the mail screen did not choose.")
                .fix("Tick \"Use a group-managed service account\" on the mail screen (options F to I), or remove the $.")
                .evidence(format!("'{name}'"))];
        }
        return vec![];
    }
    if !name.ends_with('$') {
        return vec![Finding::error("gmsa-name-dollar", fields::mim_service::NAME, "A group-managed service account name ends in $.")
            .why("The mail screen chose a group-managed service account; setup tells a gMSA from a regular account by the $ at the end of its name, and asks a regular account for a password.")
            .fix(format!("Give the name with the $: {name}$, or untick \"Use a group-managed service account\" on the mail screen."))
            .evidence(format!("'{name}'"))];
    }
    if matches!(a.get(fields::mim_service::PASSWORD), Some(Value::Secret(_))) {
        return vec![Finding::error("gmsa-password-empty", fields::mim_service::PASSWORD, "A group-managed service account has no password.")
            .why("Windows manages a gMSA's password; setup asks none for options F to I and would pass a given one to a regular-account install.")
            .fix("Remove `password` from [mim_service], or untick \"Use a group-managed service account\" on the mail screen.")];
    }
    let email = a.text(fields::mim_service::EMAIL);
    let base = name.trim_end_matches('$');
    let mailbox_user = email.rsplit_once('@').map(|(local, _)| local);
    if a.text(fields::mail::SERVER_TYPE) != "none"
        && mailbox_user.is_some_and(|u| u.eq_ignore_ascii_case(base))
    {
        return vec![Finding::error("gmsa-mailbox-owner", fields::mim_service::EMAIL, "The mailbox must belong to a separate user, not to the group-managed service account.")
            .why("A gMSA cannot own the MIM Service mailbox: setup stops with \"The service account shouldn't be managed\". With a mail server, a gMSA deployment needs a separate user with the mailbox.")
            .fix("Create a user with a mailbox for the MIM Service (for example MIMServiceMail) and give that mailbox's address here.")
            .evidence(format!("mailbox '{email}', service account '{name}'"))];
    }
    vec![]
}

/// The warning setup shows for a MIM Service account that is not denied local logon. It
/// cannot be checked offline, so it always needs an acknowledgement.
pub fn mim_service_logon_rights(a: &Answers) -> Vec<Finding> {
    let account = format!(
        "{}\\{}",
        a.text(fields::mim_service::DOMAIN),
        a.text(fields::mim_service::NAME)
    );
    vec![Finding::warning("mim-service-logon-rights", fields::mim_service::NAME, "Setup will warn that the MIM Service account is not secure in its current configuration.")
        .why("The MIM Service account has full access to the MIM Service database. Microsoft recommends denying it \"Log on locally\" and \"Access this computer from the network\"; setup warns when it is not restricted and continues when you click Next.")
        .fix("Deny those rights to the account through Group Policy (User Rights Assignment), then acknowledge to continue, as the walkthrough clicks Next.")
        .evidence(account)]
}

/// The MIM Service account differs from the Synchronization Service account and from the
/// MIM Service management agent account.
pub fn service_accounts_distinct(a: &Answers) -> Vec<Finding> {
    let name = a.text(fields::mim_service::NAME);
    if name.is_empty() {
        return vec![];
    }
    let mim = format!("{}\\{}", a.text(fields::mim_service::DOMAIN), name);
    let same = |field: &str| {
        let v = a.text(field);
        !v.is_empty() && v.eq_ignore_ascii_case(&mim)
    };
    let mut out = Vec::new();
    if same(fields::sync_link::SYNC_SERVICE_ACCOUNT) {
        out.push(Finding::error("service-accounts-distinct", fields::sync_link::SYNC_SERVICE_ACCOUNT, "The MIM Service runs as the Synchronization Service account.")
            .why("MIM needs different accounts for the MIM Service and the Synchronization Service: each is given rights the other must not have (the Synchronization Service's encryption keys and connected directories; the MIM Service's database and mailbox), and a shared account is a known cause of failed installations.")
            .fix("Give the MIM Service an account of its own (MIMService), different from the Synchronization Service's (MIMSync).")
            .evidence(mim.clone()));
    }
    if same(fields::sync_link::MA_ACCOUNT) {
        out.push(Finding::error("service-accounts-distinct", fields::sync_link::MA_ACCOUNT, "The MIM Management Agent account is the MIM Service account.")
            .why("Setup registers this account as the Synchronization Service's identity in the MIM Service (SYNCHRONIZATION_SERVER_ACCOUNT); it must be an account of its own, or the MIM Service cannot tell the management agent's changes from its own.")
            .fix("Give the management agent its own account, contoso\\MIMMA in the walkthrough (the Synchronization Service's gMSA, DOMAIN\\name$, when it runs as one).")
            .evidence(mim));
    }
    out
}
