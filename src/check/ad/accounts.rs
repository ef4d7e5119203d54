//! The accounts a profile names, and the account check: it exists, is enabled, is not
//! locked out, and its password has not expired, with the DN and flags as evidence.
use super::super::{Area, Facts, Outcome};
use super::dir::{self, Dir};
use super::sd::Sid;
use crate::finding::Finding;
use crate::profile::Profile;
use crate::screens::fields;
use crate::screens::Component;

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
            add(named(
                fields::service_account::NAME,
                a.text(fields::service_account::NAME),
                a.text(fields::service_account::DOMAIN),
                gmsa,
                "Synchronization Service account",
            ));
        }
        Component::ServicePortal => {
            if a.flag(fields::features::SERVICE) {
                add(named(
                    fields::mim_service::NAME,
                    a.text(fields::mim_service::NAME),
                    a.text(fields::mim_service::DOMAIN),
                    a.flag(fields::mail::GMSA),
                    "MIM Service account",
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
    "objectSid",
    "objectClass",
];

const UAC: &[(i64, &str)] = &[
    (0x0002, "ACCOUNTDISABLE"),
    (0x0010, "LOCKOUT"),
    (0x0020, "PASSWD_NOTREQD"),
    (0x0200, "NORMAL_ACCOUNT"),
    (0x1000, "WORKSTATION_TRUST_ACCOUNT"),
    (0x2000, "SERVER_TRUST_ACCOUNT"),
    (0x10000, "DONT_EXPIRE_PASSWORD"),
    (0x80000, "TRUSTED_FOR_DELEGATION"),
    (0x100000, "NOT_DELEGATED"),
    (0x800000, "PASSWORD_EXPIRED"),
    (0x1000000, "TRUSTED_TO_AUTH_FOR_DELEGATION"),
];

/// `0x00000202 (ACCOUNTDISABLE | NORMAL_ACCOUNT)`.
pub fn uac_text(v: i64) -> String {
    let names: Vec<&str> = UAC
        .iter()
        .filter(|(bit, _)| v & bit != 0)
        .map(|(_, n)| *n)
        .collect();
    format!(
        "0x{v:08X} ({})",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(" | ")
        }
    )
}

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
    let Some(e) = entry else {
        facts.insert(format!("ad.account.{}.dn", n.sam), "missing".into());
        let f = Finding::error("ad-account-missing", &n.field, format!("The {} {} does not exist in the domain.", n.role, n.shown))
            .evidence(format!("no object with sAMAccountName={} under {}", n.sam, dir.base))
            .why("Setup grants rights to this account and the services log on as it; setup fails or rolls back when it is missing.")
            .fix(format!("Create it (New-ADUser -Name {0} -SamAccountName {0} -Enabled $true -AccountPassword (Read-Host -AsSecureString)), or correct the name.", n.sam.trim_end_matches('$')));
        return (Outcome::found(id, Area::Ad, &screen, title, vec![f]), None);
    };
    let dn = dir::text(&e, "distinguishedName").map_or_else(|| e.dn.clone(), str::to_string);
    let uac = dir::number(&e, "userAccountControl").unwrap_or(0);
    let computed = dir::number(&e, "msDS-User-Account-Control-Computed").unwrap_or(0);
    facts.insert(format!("ad.account.{}.dn", n.sam), dn.clone());
    facts.insert(format!("ad.account.{}.uac", n.sam), format!("0x{uac:08X}"));
    let evidence = format!(
        "{dn}; userAccountControl {}; msDS-User-Account-Control-Computed {}",
        uac_text(uac),
        uac_text(computed)
    );
    let mut findings = Vec::new();
    if uac & 0x2 != 0 {
        findings.push(Finding::error("ad-account-disabled", &n.field, format!("The {} {} is disabled.", n.role, n.shown))
            .evidence(evidence.clone())
            .why("A disabled account cannot log on: the service does not start, or the application pool stops (AD answers logons with code 533).")
            .fix(format!("Enable it: Enable-ADAccount -Identity {}", n.sam)));
    }
    if computed & 0x10 != 0 || uac & 0x10 != 0 {
        let lockout = dir::text(&e, "lockoutTime").unwrap_or("");
        findings.push(Finding::error("ad-account-locked", &n.field, format!("The {} {} is locked out.", n.role, n.shown))
            .evidence(format!("{evidence}; lockoutTime {lockout}"))
            .why("A locked-out account cannot log on until it is unlocked or the lockout expires (AD code 775); setup's account check fails with it.")
            .fix(format!("Unlock it (Unlock-ADAccount -Identity {}) and find what keeps trying an old password.", n.sam)));
    }
    if computed & 0x800000 != 0 && !n.gmsa {
        let pls = dir::text(&e, "pwdLastSet").unwrap_or("");
        let detail = if pls == "0" {
            "it must be changed at next logon (pwdLastSet 0)"
        } else {
            "it is older than the domain's maximum password age"
        };
        findings.push(Finding::error("ad-account-password-expired", &n.field, format!("The password of the {} {} has expired: {detail}.", n.role, n.shown))
            .evidence(format!("{evidence}; pwdLastSet {pls}"))
            .why("A service cannot log on with an expired password (AD codes 532 and 773); MIM services stop at the next restart.")
            .fix(format!("Set a new password (Set-ADAccountPassword -Identity {} -Reset) and, for a service account, consider 'Password never expires' or a gMSA.", n.sam)));
    }
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
            format!("{dn}: enabled, not locked, password valid"),
        )
        .with_evidence(evidence)
    } else {
        Outcome::found(id, Area::Ad, &screen, title, findings)
    };
    (o, Some(seen))
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

    #[test]
    fn uac_flags_are_named() {
        assert_eq!(
            uac_text(0x202),
            "0x00000202 (ACCOUNTDISABLE | NORMAL_ACCOUNT)"
        );
        assert_eq!(uac_text(0), "0x00000000 (none)");
    }
}
