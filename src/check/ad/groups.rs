//! The Synchronization Service's groups (they exist, are security groups, and their scope),
//! the SSPR membership of the MIM Service account, the MIM Service and Sync accounts being
//! different, and the SPNs (present on the right account, registered once).
use super::super::{Area, Facts, Outcome};
use super::accounts::{sam_of, search_failed, Seen};
use super::dir::{self, escape, Dir};
use super::membership;
use crate::finding::Finding;
use crate::screens::fields;
use ldap3::Scope;

/// The Sync groups a profile names: (field, value).
pub const SYNC_GROUPS: [(&str, &str); 5] = [
    (fields::groups::ADMINS, "administrators"),
    (fields::groups::OPERATORS, "operators"),
    (fields::groups::JOINERS, "joiners"),
    (fields::groups::BROWSE, "browse"),
    (fields::groups::PASSWORD_SET, "password set"),
];

pub fn scope_of(group_type: i64) -> &'static str {
    match group_type & 0xF {
        0x1 => "builtin local",
        0x2 => "global",
        0x4 => "domain local",
        0x8 => "universal",
        _ => "unknown scope",
    }
}

/// One Sync group.
pub async fn group(
    dir: &mut Dir<'_>,
    field: &str,
    value: &str,
    role: &str,
    facts: &mut Facts,
) -> Outcome {
    let screen = field.split('.').next().unwrap_or("").to_string();
    let title = format!("Group {value}");
    let id = "ad-group";
    let name = sam_of(value);
    if let Some(why) = dir::invalid_name(&name) {
        let f = Finding::error(
            "ad-group-name",
            field,
            format!(
                "`{}` is not a valid group name: {why}.",
                value.escape_debug()
            ),
        )
        .fix("Give the group as DOMAIN\\name, as in Active Directory Users and Computers.");
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    }
    if let Some(why) = dir.domain.mismatch(value, None) {
        facts.insert(format!("ad.group.{name}.scope"), "other domain".into());
        let what = format!("The {role} group {value}");
        let f =
            super::domain::other_domain("ad-group-other-domain", field, &what, &why, &dir.domain);
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    }
    let e = match dir
        .by_sam(&name, &["distinguishedName", "groupType", "objectClass"])
        .await
    {
        Ok(e) => e,
        Err(e) => return search_failed(id, &screen, title, field, &e),
    };
    let Some(e) = e else {
        facts.insert(format!("ad.group.{name}.scope"), "missing".into());
        let f = Finding::error("ad-group-missing", field, format!("The {role} group {value} does not exist."))
            .evidence(format!("no object with sAMAccountName={name} under {}", dir.base))
            .why("Setup gives this group its rights on the Synchronization Service; it fails when the group does not exist.")
            .fix(format!("Create it: New-ADGroup -Name {name} -GroupCategory Security -GroupScope Global"));
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    };
    let dn = dir::text(&e, "distinguishedName").map_or_else(|| e.dn.clone(), str::to_string);
    if !dir::texts(&e, "objectClass")
        .iter()
        .any(|c| c.eq_ignore_ascii_case("group"))
    {
        let f = Finding::error(
            "ad-group-not-group",
            field,
            format!("{value} is not a group."),
        )
        .evidence(dn)
        .fix("Name a security group.");
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    }
    let gt = dir::number(&e, "groupType").unwrap_or(0);
    let scope = scope_of(gt);
    facts.insert(format!("ad.group.{name}.scope"), scope.into());
    let evidence = format!(
        "{dn}; groupType 0x{:08X}: {} {scope}",
        gt as u32,
        if gt & 0x8000_0000 != 0 {
            "security"
        } else {
            "distribution"
        }
    );
    if gt & 0x8000_0000 == 0 {
        let f = Finding::error("ad-group-not-security", field, format!("The {role} group {value} is a distribution group, not a security group."))
            .evidence(evidence)
            .why("Only security groups appear in logon tokens: membership in a distribution group grants nothing in the Synchronization Service.")
            .fix(format!("Convert it: Set-ADGroup {name} -GroupCategory Security"));
        return Outcome::found(id, Area::Ad, &screen, title, vec![f]);
    }
    Outcome::ok(
        id,
        Area::Ad,
        &screen,
        title,
        format!("security group, {scope}"),
    )
    .with_evidence(evidence)
}

/// SSPR: the MIM Service account is in MIMSyncAdmins, or in both MIMSyncPasswordSet (the
/// profiles call it MIMSyncPasswordReset) and MIMSyncBrowse.
pub async fn sspr(dir: &mut Dir<'_>, shown: &str, seen: &Seen) -> Outcome {
    let (screen, field, title) = (
        "mim_service",
        fields::mim_service::NAME,
        format!("SSPR rights of {shown}"),
    );
    let names = [
        "MIMSyncAdmins",
        "MIMSyncPasswordSet",
        "MIMSyncPasswordReset",
        "MIMSyncBrowse",
    ];
    let groups = match membership::member_of(dir, &seen.dn, &names).await {
        Ok(g) => g,
        Err(e) => return search_failed("ad-sspr", screen, title, field, &e),
    };
    let has = |n: &str| groups.iter().any(|g| g.eq_ignore_ascii_case(n));
    let mut evidence = format!(
        "{} is in: {}",
        seen.dn,
        if groups.is_empty() {
            "none of the SSPR groups".to_string()
        } else {
            groups.join(", ")
        }
    );
    if !groups.is_empty() {
        // How: account -> group -> group, for each group it is in.
        match membership::graph(dir, &seen.dn).await {
            Ok(g) => {
                let via = membership::paths(&g, &seen.dn, |n| has(&n.name));
                if !via.is_empty() {
                    let text: Vec<String> = via.iter().map(|p| membership::path_text(p)).collect();
                    evidence.push_str(&format!("; through {}", text.join("; ")));
                }
            }
            Err(e) => evidence.push_str(&format!("; the path could not be read ({e})")),
        }
    }
    if has("MIMSyncAdmins") {
        return Outcome::ok("ad-sspr", Area::Ad, screen, title, "in MIMSyncAdmins")
            .with_evidence(evidence);
    }
    if (has("MIMSyncPasswordSet") || has("MIMSyncPasswordReset")) && has("MIMSyncBrowse") {
        return Outcome::ok(
            "ad-sspr",
            Area::Ad,
            screen,
            title,
            "in the password set and browse groups",
        )
        .with_evidence(evidence);
    }
    let f = Finding::error("ad-sspr-membership", field, format!("The MIM Service account {shown} cannot reset passwords through the Synchronization Service."))
        .evidence(evidence)
        .why("Self-service password reset calls the Synchronization Service as the MIM Service account; it needs MIMSyncAdmins, or both MIMSyncPasswordSet and MIMSyncBrowse.")
        .fix(format!("Add-ADGroupMember MIMSyncAdmins -Members {} (or add it to both the password set and browse groups), then restart the MIM Service.", sam_of(shown)));
    Outcome::found("ad-sspr", Area::Ad, screen, title, vec![f])
}

/// The MIM Service account is not the Sync service account (compared by objectSid).
pub fn differ(service: (&str, &Seen), sync: (&str, &Seen)) -> Outcome {
    let title = "MIM Service and Synchronization Service accounts";
    let same = match (&service.1.sid, &sync.1.sid) {
        (Some(a), Some(b)) => a == b,
        _ => service.1.dn.eq_ignore_ascii_case(&sync.1.dn),
    };
    let evidence = format!(
        "{}: {}; {}: {}",
        service.0,
        service
            .1
            .sid
            .as_ref()
            .map_or("no SID".to_string(), ToString::to_string),
        sync.0,
        sync.1
            .sid
            .as_ref()
            .map_or("no SID".to_string(), ToString::to_string)
    );
    if same {
        let f = Finding::error("ad-same-account", fields::mim_service::NAME, format!("The MIM Service account {} is the Synchronization Service account {}.", service.0, sync.0))
            .evidence(evidence)
            .why("MIM requires separate accounts: the MIM Service account must not hold the Sync service's rights, and setup refuses or misconfigures the pair.")
            .fix(format!("Give the MIM Service an account of its own, not {} (the Synchronization Service's).", sync.0));
        return Outcome::found(
            "ad-accounts-differ",
            Area::Ad,
            "mim_service",
            title,
            vec![f],
        );
    }
    Outcome::ok(
        "ad-accounts-differ",
        Area::Ad,
        "mim_service",
        title,
        "different accounts",
    )
    .with_evidence(evidence)
}

/// One SPN: registered on `owner` and on no other account (computers included). `required`:
/// a form MIM documents, so missing is a finding; otherwise only another holder is.
pub async fn spn(
    dir: &mut Dir<'_>,
    (spn, required): (&str, bool),
    field: &str,
    owner: (&str, &str),
    facts: &mut Facts,
) -> Outcome {
    let screen = field.split('.').next().unwrap_or("").to_string();
    let title = format!("SPN {spn}");
    let base = dir.base.clone();
    let filter = format!("(servicePrincipalName={})", escape(spn));
    let found = match dir
        .search(
            &base,
            Scope::Subtree,
            &filter,
            &["sAMAccountName", "distinguishedName"],
        )
        .await
    {
        Ok(f) => f,
        Err(e) => return search_failed("ad-spn", &screen, title, field, &e),
    };
    // Directory order is not stable; the facts (compared for drift) and the finding are.
    let mut found = found;
    found.sort_by_key(|e| {
        dir::text(e, "sAMAccountName")
            .unwrap_or(&e.dn)
            .to_ascii_lowercase()
    });
    let owners: Vec<String> = found
        .iter()
        .map(|e| dir::text(e, "sAMAccountName").unwrap_or(&e.dn).to_string())
        .collect();
    facts.insert(format!("ad.spn.{spn}.owners"), owners.join(", "));
    let (shown, sam) = owner;
    let evidence = format!(
        "servicePrincipalName={spn}: {}",
        if found.is_empty() {
            "on no account".to_string()
        } else {
            found
                .iter()
                .map(|e| e.dn.clone())
                .collect::<Vec<_>>()
                .join("; ")
        }
    );
    let on_owner = owners.iter().any(|o| o.eq_ignore_ascii_case(sam));
    let f = if owners.len() > 1 {
        Finding::error("ad-spn-duplicate", field, format!("The SPN {spn} is registered on {} accounts: {}.", owners.len(), owners.join(", ")))
            .evidence(evidence)
            .why("A duplicate SPN breaks Kerberos for the service: the KDC cannot tell which account's key to use, and logons to the portal or the MIM Service fail or fall back to NTLM.")
            .fix(format!(
                "Keep it only on {shown}: {}; setspn -X lists duplicates.",
                others(&owners, sam, spn)
            ))
    } else if owners.len() == 1 && !on_owner {
        Finding::error("ad-spn-elsewhere", field, format!("The SPN {spn} is registered on {}, not on {shown}.", owners[0]))
            .evidence(evidence)
            .why("Kerberos tickets for this service are encrypted for the account holding the SPN; the service running as another account cannot read them.")
            .fix(format!("Move it: setspn -D {spn} {}; setspn -S {spn} {shown}", owners[0]))
    } else if owners.is_empty() && !required {
        return Outcome::ok(
            "ad-spn",
            Area::Ad,
            &screen,
            title,
            "on no account (this short form is not required; no other account holds it)",
        )
        .with_evidence(evidence);
    } else if owners.is_empty() {
        // Unregistered, the SPN may still be answered through an alias (http -> HOST/).
        let evidence = match mapped_holders(dir, spn).await {
            Some((alias, holders)) => format!(
                "{evidence}; meanwhile the domain's sPNMappings send it to {alias}, on {}: tickets are issued for that account's key",
                holders.join(", ")
            ),
            None => evidence,
        };
        Finding::warning("ad-spn-missing", field, format!("The SPN {spn} is not registered; it belongs on {shown}."))
            .evidence(evidence)
            .why("Without it Kerberos authentication to the service fails and the portal falls back to NTLM or fails where Kerberos is required (delegation to the MIM Service).")
            .fix(format!("setspn -S {spn} {shown}"))
    } else {
        return Outcome::ok(
            "ad-spn",
            Area::Ad,
            &screen,
            title,
            format!("on {shown} only"),
        )
        .with_evidence(evidence);
    };
    Outcome::found("ad-spn", Area::Ad, &screen, title, vec![f])
}

/// The service class an SPN's class is an alias of, from the values of sPNMappings
/// (`host=alerter,http,...`).
pub fn alias_class(mappings: &[&str], class: &str) -> Option<String> {
    mappings.iter().find_map(|m| {
        let (to, from) = m.split_once('=')?;
        from.split(',')
            .any(|c| c.trim().eq_ignore_ascii_case(class))
            .then(|| to.trim().to_string())
    })
}

/// The alias an unregistered SPN is answered through (`HOST/corpidm` for `http/corpidm`)
/// and the accounts holding it; None when there is none or it cannot be read.
async fn mapped_holders(dir: &mut Dir<'_>, spn: &str) -> Option<(String, Vec<String>)> {
    let (class, host) = spn.split_once('/')?;
    let ds = format!(
        "CN=Directory Service,CN=Windows NT,CN=Services,{}",
        dir.config
    );
    let e = dir.read(&ds, &["sPNMappings"]).await.ok()??;
    let alias = format!(
        "{}/{host}",
        alias_class(&dir::texts(&e, "sPNMappings"), class)?
    );
    let base = dir.base.clone();
    let filter = format!("(servicePrincipalName={})", escape(&alias));
    let found = dir
        .search(&base, Scope::Subtree, &filter, &["sAMAccountName"])
        .await
        .ok()?;
    let mut holders: Vec<String> = found
        .iter()
        .map(|e| dir::text(e, "sAMAccountName").unwrap_or(&e.dn).to_string())
        .collect();
    holders.sort();
    (!holders.is_empty()).then_some((alias, holders))
}

/// The `setspn -D` commands that remove an SPN from every account but its owner.
fn others(owners: &[String], sam: &str, spn: &str) -> String {
    owners
        .iter()
        .filter(|o| !o.eq_ignore_ascii_case(sam))
        .map(|o| format!("setspn -D {spn} {o}"))
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spn_classes_answered_through_an_alias() {
        let m = ["host=alerter,appmgmt,cisvc,http,w3svc", "other=a,b"];
        assert_eq!(alias_class(&m, "http").as_deref(), Some("host"));
        assert_eq!(alias_class(&m, "HTTP").as_deref(), Some("host"));
        assert_eq!(alias_class(&m, "b").as_deref(), Some("other"));
        assert_eq!(alias_class(&m, "FIMService"), None);
        assert_eq!(alias_class(&["broken"], "http"), None);
        assert_eq!(alias_class(&[], "http"), None);
    }

    #[test]
    fn group_scopes() {
        assert_eq!(scope_of(0x8000_0002_u32 as i32 as i64), "global");
        assert_eq!(scope_of(-2147483644), "domain local");
        assert_eq!(scope_of(0x8), "universal");
    }
}
