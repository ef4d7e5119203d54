//! Group-managed service accounts: the `msDS-GroupManagedServiceAccount` object exists, its
//! `msDS-GroupMSAMembership` security descriptor lets this computer (or a group holding it)
//! read the password, and a KDS root key exists.
use super::super::{Area, Facts, Outcome};
use super::accounts::{search_failed, Named};
use super::dir::{self, escape, Dir};
use super::sd::{Access, SecurityDescriptor, Sid, READ_PROPERTY};
use crate::finding::Finding;
use crate::screens::fields;
use ldap3::Scope;

/// This computer's name: `checks.computer`, else the host name, without the domain part.
pub fn this_computer(answer: &str) -> String {
    let name = if answer.trim().is_empty() {
        std::env::var("COMPUTERNAME")
            .ok()
            .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
            .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
            .unwrap_or_default()
    } else {
        answer.to_string()
    };
    let name = super::accounts::sam_of(&name);
    let name = name.trim_end_matches('$');
    name.split('.').next().unwrap_or("").trim().to_string()
}

/// `(objectSid=\01\05...)`: a binary SID as an escaped filter value.
fn sid_filter(sid: &Sid) -> String {
    let hex: String = sid
        .to_bytes()
        .iter()
        .map(|b| format!("\\{b:02x}"))
        .collect();
    format!("(objectSid={hex})")
}

/// The account name of a SID, for evidence; the SID itself when the directory has no name.
async fn name_of(dir: &mut Dir<'_>, sid: &Sid) -> String {
    let base = dir.base.clone();
    match dir
        .search(&base, Scope::Subtree, &sid_filter(sid), &["sAMAccountName"])
        .await
    {
        Ok(found) => found
            .first()
            .and_then(|e| dir::text(e, "sAMAccountName"))
            .map_or_else(|| sid.to_string(), |n| format!("{n} ({sid})")),
        Err(_) => sid.to_string(),
    }
}

/// The SIDs a computer's logon token holds: its own, its groups (tokenGroups: nested and
/// primary), Everyone and Authenticated Users.
async fn token(dir: &mut Dir<'_>, dn: &str, own: Sid) -> Result<Vec<Sid>, dir::DirError> {
    let mut sids = vec![own, Sid::well_known(1, &[0]), Sid::well_known(5, &[11])];
    let groups = dir.read(dn, &["tokenGroups"]).await?;
    let from_token: Vec<Sid> = groups
        .iter()
        .flat_map(|e| dir::binary(e, "tokenGroups"))
        .filter_map(|b| Sid::from_bytes(&b).ok())
        .collect();
    if from_token.is_empty() {
        // No tokenGroups: nested membership through the in-chain matching rule.
        let base = dir.base.clone();
        let filter = format!(
            "(&(objectClass=group)(member:1.2.840.113556.1.4.1941:={}))",
            escape(dn)
        );
        for e in dir
            .search(&base, Scope::Subtree, &filter, &["objectSid"])
            .await?
        {
            sids.extend(dir::sid(&e));
        }
    }
    sids.extend(from_token);
    Ok(sids)
}

/// Checks one gMSA for the computer `computer` (without `$`).
pub async fn check(dir: &mut Dir<'_>, n: &Named, computer: &str, facts: &mut Facts) -> Outcome {
    let screen = n.field.split('.').next().unwrap_or("").to_string();
    let title = format!("gMSA {} for {computer}", n.shown);
    let id = "ad-gmsa";
    let attrs = [
        "distinguishedName",
        "objectClass",
        "msDS-GroupMSAMembership",
        "objectSid",
        "userAccountControl",
        "msDS-User-Account-Control-Computed",
        "accountExpires",
        "lockoutTime",
    ];
    if let Some(why) = dir.domain.mismatch(&n.shown, None) {
        facts.insert(format!("ad.gmsa.{}.allowed", n.sam), "other domain".into());
        let what = format!("The group-managed service account {}", n.shown);
        let f = super::domain::other_domain(
            "ad-gmsa-other-domain",
            &n.domain_field,
            &what,
            &why,
            &dir.domain,
        );
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    }
    let e = match dir.by_sam(&n.sam, &attrs).await {
        Ok(Some(e)) => e,
        Ok(None) => {
            facts.insert(format!("ad.gmsa.{}.allowed", n.sam), "missing".into());
            let f = Finding::error("ad-gmsa-missing", &n.field, format!("The group-managed service account {} does not exist.", n.shown))
                .evidence(format!("no object with sAMAccountName={} under {}", n.sam, dir.base))
                .why("The service is installed to run as this gMSA; without it the service cannot log on and setup rolls back.")
                .fix(format!("Create it: New-ADServiceAccount -Name {} -DNSHostName <host> -PrincipalsAllowedToRetrieveManagedPassword <group holding {computer}>", n.sam.trim_end_matches('$')));
            return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
        }
        Err(e) => return search_failed(id, &screen, title, &n.field, &e),
    };
    let dn = dir::text(&e, "distinguishedName").map_or_else(|| e.dn.clone(), str::to_string);
    let classes = dir::texts(&e, "objectClass");
    if !classes
        .iter()
        .any(|c| c.eq_ignore_ascii_case("msDS-GroupManagedServiceAccount"))
    {
        let f = Finding::error("ad-gmsa-not-gmsa", &n.field, format!("{} is not a group-managed service account.", n.shown))
            .evidence(format!("{dn}; objectClass {}", classes.join(", ")))
            .why("Setup installs the service without a password only for a gMSA (msDS-GroupManagedServiceAccount); any other account needs its password.")
            .fix("Name a gMSA (its name ends in $), or choose a regular account with a password.");
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    }
    let Some(sd_bytes) = dir::binary(&e, "msDS-GroupMSAMembership")
        .into_iter()
        .next()
    else {
        facts.insert(format!("ad.gmsa.{}.allowed", n.sam), "unknown".into());
        let f = Finding::warning("ad-gmsa-membership-unreadable", &n.field, format!("Who may use {} cannot be read: msDS-GroupMSAMembership is empty or hidden from the check's account.", n.shown))
            .evidence(dn)
            .why("Only computers the gMSA lists can retrieve its password; the service on a computer it does not list fails to start (error 1920 / 7009).")
            .fix(format!("Check it: Get-ADServiceAccount {} -Properties PrincipalsAllowedToRetrieveManagedPassword", n.sam));
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    };
    let sd = match SecurityDescriptor::parse(&sd_bytes) {
        Ok(sd) => sd,
        Err(why) => {
            let f = Finding::error("ad-gmsa-membership-invalid", &n.field, format!("The msDS-GroupMSAMembership of {} is not a valid security descriptor: {why}.", n.shown))
                .evidence(format!("{dn}; {} bytes", sd_bytes.len()))
                .why("Domain controllers evaluate this descriptor to decide who may retrieve the password; a damaged one lets nobody.")
                .fix(format!("Set it again: Set-ADServiceAccount {} -PrincipalsAllowedToRetrieveManagedPassword <group>", n.sam));
            return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
        }
    };
    // Disabled, locked or expired: the service cannot log on, whoever may read the password.
    let logon = super::accounts::logon_findings(&e, n, &dn);
    let mut allowed = Vec::new();
    for ace in sd
        .dacl
        .iter()
        .flatten()
        .filter(|a| a.kind == super::sd::AceKind::Allow)
    {
        allowed.push(format!(
            "{} 0x{:08X}",
            name_of(dir, &ace.sid).await,
            ace.mask
        ));
    }
    let allowed = if allowed.is_empty() {
        "nobody".to_string()
    } else {
        allowed.join(", ")
    };
    let computer_sam = format!("{computer}$");
    let comp = match dir
        .by_sam(&computer_sam, &["distinguishedName", "objectSid"])
        .await
    {
        Ok(c) => c,
        Err(e) => return search_failed(id, &screen, title, &n.field, &e),
    };
    let Some((cdn, csid)) = comp.and_then(|c| {
        dir::sid(&c).map(|s| {
            (
                dir::text(&c, "distinguishedName").map_or_else(|| c.dn.clone(), str::to_string),
                s,
            )
        })
    }) else {
        let f = Finding::error("ad-computer-missing", fields::checks::COMPUTER, format!("The computer account {computer_sam} does not exist in the domain."))
            .evidence(format!("{} may be read by: {allowed}", n.shown))
            .why("The gMSA's password is retrieved by the computer the service runs on; a computer outside the domain cannot retrieve it.")
            .fix("Join this server to the domain, or give the right computer name in the Live checks screen (checks.computer).");
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    };
    let sids = match token(dir, &cdn, csid).await {
        Ok(s) => s,
        Err(e) => return search_failed(id, &screen, title, &n.field, &e),
    };
    let mut o = match sd.access(&sids, READ_PROPERTY) {
        Access::Granted(by) => {
            facts.insert(format!("ad.gmsa.{}.allowed", n.sam), "yes".into());
            let mut via = Vec::new();
            for ace in &by {
                via.push(name_of(dir, &ace.sid).await);
            }
            let via = if via.is_empty() {
                "the descriptor has no DACL".to_string()
            } else {
                via.join(", ")
            };
            // How the computer is in the allowed groups (computer -> group -> group).
            let granted: Vec<Sid> = by.iter().map(|a| a.sid.clone()).collect();
            let paths = match super::membership::graph(dir, &cdn).await {
                Ok(g) => super::membership::paths(&g, &cdn, |node| {
                    node.sid.as_ref().is_some_and(|s| granted.contains(s))
                })
                .iter()
                .map(|p| super::membership::path_text(p))
                .collect::<Vec<_>>(),
                Err(e) => vec![format!("the path could not be read ({e})")],
            };
            Outcome::ok(
                id,
                Area::Ad,
                &screen,
                title,
                format!(
                    "{computer} may retrieve the password of {} (through {via})",
                    n.shown
                ),
            )
            .with_evidence(dn)
            .with_evidence(format!("msDS-GroupMSAMembership allows: {allowed}"))
            .with_evidence(format!("{cdn} holds {} SIDs in its token", sids.len()))
            .with_evidence(if paths.is_empty() {
                "no group path: the descriptor grants the computer (or a well-known group) itself"
                    .to_string()
            } else {
                format!("through {}", paths.join("; "))
            })
        }
        verdict => {
            facts.insert(format!("ad.gmsa.{}.allowed", n.sam), "no".into());
            let how = match verdict {
                Access::Denied(ace) => format!(
                    "a deny entry for {} comes first",
                    name_of(dir, &ace.sid).await
                ),
                _ => "no entry grants it to the computer or a group holding it".to_string(),
            };
            let f = Finding::error("ad-gmsa-not-allowed", &n.field, format!("{computer} may not retrieve the password of {}: {how}.", n.shown))
                .evidence(format!("{dn}; msDS-GroupMSAMembership allows: {allowed}; {cdn}"))
                .why("The service on this computer cannot get the gMSA's password, so it cannot log on: setup fails with error 1920 and the service with 7009.")
                .fix(format!("Add {computer} to a group the gMSA allows (or: Set-ADServiceAccount {} -PrincipalsAllowedToRetrieveManagedPassword <group>), then restart {computer} or run klist purge -li 0x3e7; Test-ADServiceAccount {} confirms it.", n.sam, n.sam));
            Outcome::found(id, Area::Ad, &screen, title, vec![f])
        }
    };
    for f in logon {
        o.push(f);
    }
    o
}

/// A KDS root key exists. Only Domain Admins can see them, so none visible is a warning.
pub async fn kds(dir: &mut Dir<'_>, field: &str, who: &str, facts: &mut Facts) -> Outcome {
    let screen = field.split('.').next().unwrap_or("").to_string();
    let title = "KDS root key".to_string();
    let base = format!(
        "CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,{}",
        dir.config
    );
    let found = match dir
        .search(
            &base,
            Scope::OneLevel,
            "(objectClass=msKds-ProvRootKey)",
            &["cn", "msKds-UseStartTime"],
        )
        .await
    {
        Ok(f) => f,
        Err(e) => return search_failed("ad-kds", &screen, title, field, &e),
    };
    if found.is_empty() {
        facts.insert("ad.kds".into(), "not visible".into());
        let f = Finding::warning("ad-kds-not-visible", field, format!("No KDS root key is visible to {who}."))
            .evidence(format!("no msKds-ProvRootKey under {base}"))
            .why("gMSA passwords are derived from a KDS root key: without one no gMSA works. Only Domain Admins can read root keys, so another account sees none even when one exists.")
            .fix("As a Domain Admin, run Get-KdsRootKey; if it shows nothing, run Add-KdsRootKey -EffectiveTime ((Get-Date).AddHours(-10)) and wait for replication.");
        return Outcome::found("ad-kds", Area::Ad, &screen, title, vec![f]);
    }
    facts.insert("ad.kds".into(), format!("{} key(s)", found.len()));
    let mut o = Outcome::ok(
        "ad-kds",
        Area::Ad,
        &screen,
        title,
        format!("{} KDS root key(s) found", found.len()),
    );
    for e in &found {
        o = o.with_evidence(format!(
            "{}; msKds-UseStartTime {}",
            e.dn,
            dir::text(e, "msKds-UseStartTime").unwrap_or("?")
        ));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn computer_names_and_sid_filters() {
        assert_eq!(this_computer("CORPSYNC"), "CORPSYNC");
        assert_eq!(this_computer("corpsync.contoso.local"), "corpsync");
        assert_eq!(this_computer(r"contoso\CORPSYNC$"), "CORPSYNC");
        assert!(!this_computer("").is_empty(), "the host name is read");
        let sid = Sid::well_known(5, &[21, 1, 2, 3, 512]);
        assert_eq!(
            sid_filter(&sid),
            r"(objectSid=\01\05\00\00\00\00\00\05\15\00\00\00\01\00\00\00\02\00\00\00\03\00\00\00\00\02\00\00)"
        );
    }
}
