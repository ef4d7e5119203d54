//! The accounts a profile names, and the account check: it is in the domain the profile
//! names, exists, and can log on (enabled, not locked out, not expired, no password to change
//! or renew), with the DN, flags and expiry as evidence.
use super::super::{Area, Facts, Outcome};
use super::account_state::{self, expires_text, filetime_text, problems, uac_text, Attrs, Problem};
use super::dir::{self, Dir};
use super::domain;
use super::sd::Sid;
use crate::finding::Finding;
use crate::profile::Profile;
use crate::screens::fields;
use crate::screens::Component;
use ldap3::SearchEntry;

/// An account the profile names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Named {
    /// The field it comes from (`service_account.name`).
    pub field: String,
    /// As shown: `contoso\MIMSync`.
    pub shown: String,
    /// The sAMAccountName to look up.
    pub sam: String,
    /// A group-managed service account.
    pub gmsa: bool,
    /// What it is for MIM.
    pub role: &'static str,
    /// The field that gave the domain part (the name's own, or a separate domain field).
    pub domain_field: String,
}

/// `DOMAIN\user`, `user@domain` or `user`: the sAMAccountName part.
pub fn sam_of(value: &str) -> String {
    let v = value.trim();
    let v = v.split_once('\\').map_or(v, |(_, u)| u);
    let v = v.split_once('@').map_or(v, |(u, _)| u);
    v.trim().to_string()
}

fn named(field: &str, value: &str, domain: &str, gmsa: bool, role: &'static str) -> Option<Named> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let mut sam = sam_of(value);
    if gmsa && !sam.ends_with('$') {
        sam.push('$');
    }
    let shown = if value.contains('\\') || value.contains('@') || domain.is_empty() {
        value.to_string()
    } else {
        format!("{domain}\\{value}")
    };
    Some(Named {
        field: field.to_string(),
        shown,
        sam,
        gmsa,
        role,
        domain_field: field.to_string(),
    })
}

/// The domain part came from `domain_field` when the name itself has none.
fn domain_from(n: Option<Named>, value: &str, domain_field: &str) -> Option<Named> {
    n.map(|mut n| {
        if !value.contains('\\') && !value.contains('@') {
            n.domain_field = domain_field.to_string();
        }
        n
    })
}

/// The accounts of a profile, in flow order, by field.
pub fn accounts(profile: &Profile) -> Vec<Named> {
    let a = &profile.answers;
    let mut out: Vec<Named> = Vec::new();
    let mut add = |n: Option<Named>| {
        if let Some(n) = n {
            // The same account under two fields stays twice (both fields are compared);
            // the probe checks it once.
            if !out.iter().any(|o| o.field == n.field) {
                out.push(n);
            }
        }
    };
    match profile.component() {
        Component::Sync => {
            let gmsa = a.text(fields::service_account::KIND) == "gmsa";
            add(domain_from(
                named(
                    fields::service_account::NAME,
                    a.text(fields::service_account::NAME),
                    a.text(fields::service_account::DOMAIN),
                    gmsa,
                    "Synchronization Service account",
                ),
                a.text(fields::service_account::NAME),
                fields::service_account::DOMAIN,
            ));
        }
        Component::ServicePortal => {
            if a.flag(fields::features::SERVICE) {
                add(domain_from(
                    named(
                        fields::mim_service::NAME,
                        a.text(fields::mim_service::NAME),
                        a.text(fields::mim_service::DOMAIN),
                        a.flag(fields::mail::GMSA),
                        "MIM Service account",
                    ),
                    a.text(fields::mim_service::NAME),
                    fields::mim_service::DOMAIN,
                ));
                add(named(
                    fields::sync_link::MA_ACCOUNT,
                    a.text(fields::sync_link::MA_ACCOUNT),
                    "",
                    false,
                    "MIM management agent account",
                ));
                add(named(
                    fields::sync_link::SYNC_SERVICE_ACCOUNT,
                    a.text(fields::sync_link::SYNC_SERVICE_ACCOUNT),
                    "",
                    false,
                    "Synchronization Service account",
                ));
            }
            if a.flag(fields::features::REGISTRATION) {
                add(named(
                    fields::registration::ACCOUNT,
                    a.text(fields::registration::ACCOUNT),
                    "",
                    false,
                    "Password Registration application pool account",
                ));
            }
            if a.flag(fields::features::RESET) {
                add(named(
                    fields::reset::ACCOUNT,
                    a.text(fields::reset::ACCOUNT),
                    "",
                    false,
                    "Password Reset application pool account",
                ));
            }
            if a.flag(fields::features::PORTAL) {
                add(named(
                    fields::checks::APP_POOL_ACCOUNT,
                    a.text(fields::checks::APP_POOL_ACCOUNT),
                    "",
                    false,
                    "SharePoint application pool account",
                ));
            }
        }
    }
    add(named(
        fields::checks::BIND_ACCOUNT,
        a.text(fields::checks::BIND_ACCOUNT),
        "",
        false,
        "account of the directory checks",
    ));
    out
}

pub const ACCOUNT_ATTRS: &[&str] = &[
    "distinguishedName",
    "userAccountControl",
    "msDS-User-Account-Control-Computed",
    "lockoutTime",
    "pwdLastSet",
    "accountExpires",
    "userPrincipalName",
    "objectSid",
    "objectClass",
];

/// What the account check found.
#[derive(Clone)]
pub struct Seen {
    pub dn: String,
    pub sid: Option<Sid>,
}

/// Checks one account; returns its outcome and, when found, its DN and SID.
pub async fn check(dir: &mut Dir<'_>, n: &Named, facts: &mut Facts) -> (Outcome, Option<Seen>) {
    let screen = n.field.split('.').next().unwrap_or("").to_string();
    let title = format!("Account {}", n.shown);
    let id = "ad-account";
    if let Some(why) = dir::invalid_name(&n.sam) {
        let f = Finding::error("ad-account-name", &n.field, format!("`{}` is not a valid account name: {why}.", n.shown.escape_debug()))
            .why("Setup looks the account up by its name; a name Active Directory cannot hold never matches.")
            .fix("Give the account as DOMAIN\\name, with the name as in Active Directory Users and Computers (pre-Windows 2000 logon name).");
        return (Outcome::found(id, Area::Ad, &screen, title, vec![f]), None);
    }
    let entry = match dir.by_sam(&n.sam, ACCOUNT_ATTRS).await {
        Ok(e) => e,
        Err(e) => return (search_failed(id, &screen, title, &n.field, &e), None),
    };
    let upn = entry
        .as_ref()
        .and_then(|e| dir::text(e, "userPrincipalName"));
    if let Some(why) = dir.domain.mismatch(&n.shown, upn) {
        facts.insert(format!("ad.account.{}.dn", n.sam), "other domain".into());
        let what = format!("The {} {}", n.role, n.shown);
        let f = domain::other_domain(
            "ad-account-other-domain",
            &n.domain_field,
            &what,
            &why,
            &dir.domain,
        );
        return (Outcome::found(id, Area::Ad, &screen, title, vec![f]), None);
    }
    let Some(e) = entry else {
        facts.insert(format!("ad.account.{}.dn", n.sam), "missing".into());
        let f = Finding::error("ad-account-missing", &n.field, format!("The {} {} does not exist in the domain.", n.role, n.shown))
            .evidence(format!("no object with sAMAccountName={} under {}", n.sam, dir.base))
            .why("Setup grants rights to this account and the services log on as it; setup fails or rolls back when it is missing.")
            .fix(format!("Create it (New-ADUser -Name {0} -SamAccountName {0} -Enabled $true -AccountPassword (Read-Host -AsSecureString)), or correct the name.", n.sam.trim_end_matches('$')));
        return (Outcome::found(id, Area::Ad, &screen, title, vec![f]), None);
    };
    let dn = dir::text(&e, "distinguishedName").map_or_else(|| e.dn.clone(), str::to_string);
    let a = attrs(&e);
    facts.insert(format!("ad.account.{}.dn", n.sam), dn.clone());
    facts.insert(
        format!("ad.account.{}.uac", n.sam),
        format!("0x{:08X}", a.uac),
    );
    let evidence = flags_evidence(&a, &dn);
    let findings = logon_findings(&e, n, &dn);
    let seen = Seen {
        dn: dn.clone(),
        sid: dir::sid(&e),
    };
    let o = if findings.is_empty() {
        Outcome::ok(
            id,
            Area::Ad,
            &screen,
            title,
            format!("{dn}: enabled, not locked, not expired, password valid"),
        )
        .with_evidence(evidence)
    } else {
        Outcome::found(id, Area::Ad, &screen, title, findings)
    };
    (o, Some(seen))
}

fn attrs(e: &SearchEntry) -> Attrs {
    Attrs {
        uac: dir::number(e, "userAccountControl").unwrap_or(0),
        computed: dir::number(e, "msDS-User-Account-Control-Computed").unwrap_or(0),
        pwd_last_set: dir::number(e, "pwdLastSet"),
        account_expires: dir::number(e, "accountExpires"),
    }
}

fn flags_evidence(a: &Attrs, dn: &str) -> String {
    format!(
        "{dn}; userAccountControl {}; msDS-User-Account-Control-Computed {}; pwdLastSet {}; {}",
        uac_text(a.uac),
        uac_text(a.computed),
        a.pwd_last_set
            .map_or_else(|| "not set".to_string(), |v| v.to_string()),
        expires_text(a.account_expires)
    )
}

/// Every reason the account `e` cannot log on, as findings with the flags as evidence (a
/// gMSA's password is the domain's business, so only its state and expiry count).
pub fn logon_findings(e: &SearchEntry, n: &Named, dn: &str) -> Vec<Finding> {
    let a = attrs(e);
    let evidence = flags_evidence(&a, dn);
    problems(&a, account_state::now(), !n.gmsa)
        .into_iter()
        .map(|p| problem_finding(n, p, e).evidence(evidence.clone()))
        .collect()
}

/// The finding for one reason the account cannot log on.
fn problem_finding(n: &Named, p: Problem, e: &SearchEntry) -> Finding {
    let (role, shown, sam) = (n.role, &n.shown, &n.sam);
    match p {
        Problem::Disabled => Finding::error("ad-account-disabled", &n.field, format!("The {role} {shown} is disabled."))
            .why("A disabled account cannot log on: the service does not start, or the application pool stops (AD answers logons with code 533).")
            .fix(format!("Enable it: Enable-ADAccount -Identity {sam}")),
        Problem::Locked => Finding::error("ad-account-locked", &n.field, format!("The {role} {shown} is locked out (lockoutTime {}).", dir::text(e, "lockoutTime").unwrap_or("")))
            .why("A locked-out account cannot log on until it is unlocked or the lockout expires (AD code 775); setup's account check fails with it.")
            .fix(format!("Unlock it (Unlock-ADAccount -Identity {sam}) and find what keeps trying an old password.")),
        Problem::MustChange => Finding::error("ad-account-must-change", &n.field, format!("The {role} {shown} must change its password at next logon (pwdLastSet 0)."))
            .why("A service or application pool cannot change a password: its logon fails (AD code 773) until the flag is cleared, and setup's account check fails with it.")
            .fix(format!("Clear the flag: Set-ADUser -Identity {sam} -ChangePasswordAtLogon $false (in Active Directory Users and Computers: untick \"User must change password at next logon\"); or set the password the service will use with Set-ADAccountPassword -Identity {sam} -Reset, then clear the flag.")),
        Problem::PasswordExpired => Finding::error("ad-account-password-expired", &n.field, format!("The password of the {role} {shown} has expired: it is older than the domain's maximum password age."))
            .why("A service cannot log on with an expired password (AD code 532); MIM services stop at the next restart.")
            .fix(format!("Set a new password (Set-ADAccountPassword -Identity {sam} -Reset) and, for a service account, consider 'Password never expires' or a gMSA.")),
        Problem::AccountExpired(at) => Finding::error("ad-account-expired", &n.field, format!("The {role} {shown} expired on {}.", filetime_text(at)))
            .why("An expired account cannot log on at all, whatever its password (AD code 701): the service does not start and setup's account check fails.")
            .fix(format!("Extend or clear the expiry: Clear-ADAccountExpiration -Identity {sam} (or Set-ADAccountExpiration -Identity {sam} -DateTime <date>).")),
    }
}

/// The outcome of a check whose search failed (timeout or LDAP error).
pub fn search_failed(
    id: &str,
    screen: &str,
    title: String,
    field: &str,
    e: &dir::DirError,
) -> Outcome {
    let f = Finding::error("ad-search-failed", field, format!("The directory search failed: {e}."))
        .why("Without the answer this check cannot tell whether MIM's setup will succeed.")
        .fix("Check the domain controller's health (dcdiag) and the network; raise --timeout on a slow link.");
    Outcome::found(id, Area::Ad, screen, title, vec![f])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_in_every_form() {
        assert_eq!(sam_of(r"contoso\MIMSync"), "MIMSync");
        assert_eq!(sam_of("MIMSync@contoso.local"), "MIMSync");
        assert_eq!(sam_of(" MIMSync "), "MIMSync");
        let n = named("service_account.name", "MIMSync", "contoso", true, "x").expect("named");
        assert_eq!(
            (n.sam.as_str(), n.shown.as_str()),
            ("MIMSync$", r"contoso\MIMSync")
        );
        assert!(named("f", "  ", "contoso", false, "x").is_none());
    }
}
