//! Names: host names (RFC 1123), sAMAccountName, NetBIOS domains, `DOMAIN\Group` and
//! `DOMAIN\account`.
use super::{first_bad_char, FieldCtx};
use crate::finding::{Finding, Severity};

/// Characters AD refuses in a sAMAccountName.
const SAM_FORBIDDEN: &str = "\"/\\[]:;|=,+*?<>@";
/// Characters Windows refuses in a NetBIOS domain or computer name.
const NETBIOS_FORBIDDEN: &str = "\\/:*?\"<>|";

/// RFC 1123 host name: dot-separated labels of letters, digits and hyphens, 1-63 characters
/// each, not starting or ending with a hyphen, 253 characters at most.
pub fn hostname(ctx: &FieldCtx) -> Vec<Finding> {
    match hostname_problem(ctx.text()) {
        None => vec![],
        Some(evidence) => vec![Finding::error("hostname", ctx.path, "This is not a valid host name.")
            .why("Setup and every MIM component resolve this name through DNS; an invalid name fails late, in the middle of setup.")
            .fix("Give a host name of letters, digits and hyphens, with dots between labels (corpsql.contoso.com), or a SQL client alias with such a name.")
            .evidence(evidence)],
    }
}

/// Why `name` is not an RFC 1123 host name, or None when it is one.
pub fn hostname_problem(name: &str) -> Option<String> {
    let trimmed = name.strip_suffix('.').unwrap_or(name);
    if trimmed.is_empty() {
        return Some("the name is empty".into());
    }
    if trimmed.len() > 253 {
        return Some(format!(
            "{} characters; at most 253 are allowed",
            trimmed.len()
        ));
    }
    if let Some(bad) = first_bad_char(trimmed, |c| {
        !(c.is_ascii_alphanumeric() || c == '-' || c == '.')
    }) {
        return Some(bad);
    }
    for label in trimmed.split('.') {
        if label.is_empty() {
            return Some("an empty label (two dots in a row, or a leading dot)".into());
        }
        if label.len() > 63 {
            return Some(format!(
                "label '{label}' has {} characters; at most 63 are allowed",
                label.len()
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Some(format!("label '{label}' starts or ends with a hyphen"));
        }
    }
    None
}

/// sAMAccountName: at most 20 characters, none of `"/\[]:;|=,+*?<>@`, not only dots and
/// spaces, not ending in a dot. A gMSA name (ending in `$`) has at most 15 before the `$`.
pub fn sam_account_name(ctx: &FieldCtx) -> Vec<Finding> {
    let name = ctx.text();
    if name.contains('\\') || name.contains('@') {
        return vec![Finding::error(
            "account-name-domain",
            ctx.path,
            "Give the account name without a domain.",
        )
        .why("Setup takes the account name and its domain in two fields and joins them itself.")
        .fix("Put the bare name here (MIMSync) and the domain (contoso) in the domain field.")
        .evidence(format!("'{name}' contains a domain part"))];
    }
    sam_problem(ctx.path, name).into_iter().collect()
}

/// The sAMAccountName rules other than the domain part, as a finding on `path`.
fn sam_problem(path: &str, name: &str) -> Option<Finding> {
    let why = "Setup looks the account up by its sAMAccountName; Active Directory cannot hold a name that breaks these rules, so setup fails to find the account.";
    if let Some(bad) = first_bad_char(name, |c| SAM_FORBIDDEN.contains(c) || c.is_control()) {
        return Some(
            Finding::error(
                "account-name",
                path,
                "The account name has a character Active Directory does not allow.",
            )
            .why(why)
            .fix(format!(
                "Remove it; a sAMAccountName cannot contain any of {SAM_FORBIDDEN}."
            ))
            .evidence(bad),
        );
    }
    let len = name.chars().count();
    if len > 20 {
        return Some(Finding::error("account-name-length", path, "The account name is longer than 20 characters.")
            .why(why)
            .fix("Use the account's pre-Windows 2000 logon name (sAMAccountName), which has at most 20 characters.")
            .evidence(format!("{len} characters")));
    }
    if name.chars().all(|c| c == '.' || c == ' ') || name.ends_with('.') {
        return Some(
            Finding::error(
                "account-name",
                path,
                "The account name cannot end in a dot or be only dots and spaces.",
            )
            .why(why)
            .fix("Give the account's sAMAccountName, for example MIMSync."),
        );
    }
    if let Some(base) = name.strip_suffix('$') {
        let n = base.chars().count();
        if n > 15 {
            return Some(Finding::warning("gmsa-name-length", path, "A group-managed service account name has more than 15 characters before the $.")
                .why("A gMSA is a computer-like account: its sAMAccountName keeps at most 15 characters before the $, so AD knows it under a shorter name.")
                .fix("Check the name with Get-ADServiceAccount and give its sAMAccountName exactly.")
                .evidence(format!("{n} characters before the $")));
        }
    }
    None
}

/// NetBIOS domain (or local computer) name: at most 15 characters, none of `\/:*?"<>|`.
pub fn netbios_domain(ctx: &FieldCtx) -> Vec<Finding> {
    netbios_problem(ctx.path, ctx.text()).into_iter().collect()
}

/// The NetBIOS rules as a finding on `path`: an error, or a warning for a DNS name.
fn netbios_problem(path: &str, name: &str) -> Option<Finding> {
    let why = "Setup joins this name and the account name as DOMAIN\\account to look the account up and grant it rights.";
    if let Some(bad) = first_bad_char(name, |c| {
        NETBIOS_FORBIDDEN.contains(c) || c.is_control() || c == ' '
    }) {
        return Some(Finding::error("netbios-domain", path, "The domain name has a character a NetBIOS name cannot hold.")
            .why(why)
            .fix("Give the NetBIOS name of the domain (contoso), or this computer's name for a local account.")
            .evidence(bad));
    }
    if name.contains('.') {
        return Some(Finding::warning("netbios-domain-dns", path, "This looks like a DNS domain name; setup expects the NetBIOS name.")
            .why("Setup builds DOMAIN\\account from this field; a DNS name in that form does not resolve everywhere setup uses it.")
            .fix("Give the NetBIOS domain name, for example contoso instead of contoso.com (see `nbtstat -n` or the domain's properties in AD).")
            .evidence(format!("'{name}' contains a dot")));
    }
    let len = name.chars().count();
    if len > 15 {
        return Some(Finding::error("netbios-domain", path, "A NetBIOS name has at most 15 characters.")
            .why(why)
            .fix("Give the domain's NetBIOS name (pre-Windows 2000 name), which is at most 15 characters.")
            .evidence(format!("{len} characters")));
    }
    None
}

/// An account as `DOMAIN\name`: the domain a NetBIOS name, the name a sAMAccountName (a
/// gMSA's ends in `$`). Each part is checked by the rules of its own field kind.
pub fn domain_account(ctx: &FieldCtx) -> Vec<Finding> {
    let value = ctx.text();
    let why = "Setup looks the account up in Active Directory as DOMAIN\\name and grants it rights; in any other form it finds no account and stops.";
    let err = |message: &str, fix: String| {
        vec![Finding::error("domain-account", ctx.path, message)
            .why(why)
            .fix(fix)
            .evidence(format!("'{value}'"))]
    };
    let parts: Vec<&str> = value.split('\\').collect();
    let (domain, name) = match parts.as_slice() {
        [single] => {
            return match single.split_once('@') {
                Some((user, suffix)) => {
                    let netbios = suffix.split('.').next().unwrap_or_default();
                    err(
                        "Give the account as DOMAIN\\name, not as a user principal name.",
                        format!("Write the NetBIOS domain, a backslash and the sAMAccountName, for example {netbios}\\{user} if {netbios} is the domain's NetBIOS name."),
                    )
                }
                None => err(
                    "The account has no domain.",
                    format!("Give it as DOMAIN\\name, for example contoso\\{single}."),
                ),
            };
        }
        [domain, name] => (*domain, *name),
        _ => {
            return err(
                "The account has more than one backslash.",
                "Give it as DOMAIN\\name, for example contoso\\MIMMA.".into(),
            )
        }
    };
    if domain.is_empty() || name.is_empty() {
        return err(
            "The account is missing its domain or its name around the backslash.",
            "Give it as DOMAIN\\name, for example contoso\\MIMMA.".into(),
        );
    }
    // The parts' rules describe the part alone; the evidence says which part.
    let in_part = |f: Finding, part: &str| {
        let quoted = format!("'{part}'");
        let evidence = match &f.evidence {
            Some(e) if e.contains(&quoted) => e.clone(),
            Some(e) => format!("{e} in {quoted}"),
            None => quoted,
        };
        f.evidence(evidence)
    };
    let mut out = Vec::new();
    if let Some(f) = netbios_problem(ctx.path, domain) {
        let stop = f.blocks();
        out.push(in_part(f, domain));
        if stop {
            return out;
        }
    }
    out.extend(sam_problem(ctx.path, name).map(|f| in_part(f, name)));
    out
}

/// A security group as `DOMAIN\Name`; warn when the domain is missing.
pub fn group_name(ctx: &FieldCtx) -> Vec<Finding> {
    let value = ctx.text();
    let parts: Vec<&str> = value.split('\\').collect();
    match parts.as_slice() {
        [name] => {
            if let Some(f) = group_part_problem(ctx.path, name) {
                return vec![f];
            }
            vec![Finding::new("group-no-domain", Some(ctx.path), Severity::Warning, "The group has no domain: setup will create a local group on this server.")
                .why("Local groups exist on this server only; the MIM Service and other servers cannot use them, and in the Contoso walkthrough all five groups are domain groups.")
                .fix(format!("Give the group as DOMAIN\\Name, for example contoso\\{name}; acknowledge this warning only if you want local groups."))
                .evidence(format!("'{value}' has no DOMAIN\\ part"))]
        }
        [domain, name] => {
            if domain.is_empty() || name.is_empty() {
                return vec![Finding::error("group-name", ctx.path, "The group is missing its domain or its name around the backslash.")
                    .why("Setup resolves DOMAIN\\Name in Active Directory and fails when either part is empty.")
                    .fix("Give the group as DOMAIN\\Name, for example contoso\\MIMSyncAdmins.")
                    .evidence(format!("'{value}'"))];
            }
            if let Some(bad) = first_bad_char(domain, |c| NETBIOS_FORBIDDEN.contains(c) || c.is_control()) {
                return vec![Finding::error("group-name", ctx.path, "The domain part of the group has a character a NetBIOS name cannot hold.")
                    .why("Setup resolves DOMAIN\\Name in Active Directory.")
                    .fix("Give the NetBIOS domain name before the backslash, for example contoso.")
                    .evidence(bad)];
            }
            group_part_problem(ctx.path, name).into_iter().collect()
        }
        _ => vec![Finding::error("group-name", ctx.path, "The group has more than one backslash.")
            .why("Setup reads the group as DOMAIN\\Name; a second backslash makes it an unknown account.")
            .fix("Give the group as DOMAIN\\Name, for example contoso\\MIMSyncAdmins.")
            .evidence(format!("'{value}'"))],
    }
}

fn group_part_problem(path: &str, name: &str) -> Option<Finding> {
    let bad = first_bad_char(name, |c| SAM_FORBIDDEN.contains(c) || c.is_control())?;
    Some(Finding::error("group-name", path, "The group name has a character Active Directory does not allow.")
        .why("Setup resolves the group by its sAMAccountName; such a name cannot exist in Active Directory.")
        .fix(format!("Give the group's sAMAccountName; it cannot contain any of {SAM_FORBIDDEN}."))
        .evidence(bad))
}
