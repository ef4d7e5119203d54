//! Active Directory checks (ldap3): one connection to one domain controller answers them all.
//!
//! ```text
//!   bind.rs      the DC (DNS SRV or the profile), LDAPS/StartTLS/plain, simple bind, AD sub-codes
//!   dir.rs       paged, escaped searches under the time limit
//!   accounts.rs  the accounts a profile names: exist, in the domain named, and can log on
//!   account_state.rs  what userAccountControl, pwdLastSet and accountExpires say (pure)
//!   domain.rs    the domain that answered (NetBIOS, DNS, UPN suffixes) against DOMAIN\name
//!   gmsa.rs      gMSAs: the object, who may read the password (security descriptor), KDS root key
//!   sd.rs        SIDs and self-relative security descriptors
//!   groups.rs    the Sync groups, SSPR membership, distinct accounts, SPNs
//!   membership.rs  nested membership (tokenGroups) and the path to each group
//! ```
mod account_state;
mod accounts;
mod bind;
mod dc;
mod dir;
mod domain;
mod gmsa;
mod groups;
mod membership;
pub mod sd;

use super::{Area, Ctx, Facts, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use crate::profile::Profile;
use crate::screens::fields;
use crate::screens::Component;
use accounts::{Named, Seen};
use dc::Security;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Everything the AD probe reads from a profile.
#[derive(Debug, Clone)]
struct AdQuery {
    domain: String,
    dc: String,
    security: String,
    bind_account: String,
    computer: String,
    accounts: Vec<Named>,
    /// (field, value, role)
    groups: Vec<(String, String, String)>,
    /// Service and Portal: SSPR is installed.
    sspr: bool,
    spns: Vec<SpnQuery>,
}

/// An SPN to look up, the field it comes from, and the field of the account it belongs on.
#[derive(Debug, Clone)]
struct SpnQuery {
    spn: String,
    field: String,
    owner_field: String,
    /// Missing is a finding (a form MIM documents); otherwise only another holder is.
    required: bool,
}

fn query(profile: &Profile) -> AdQuery {
    let a = &profile.answers;
    let domain = a.text(fields::checks::DOMAIN).trim().to_string();
    let mut groups = Vec::new();
    let mut spns = Vec::new();
    let fqdn = |host: &str| {
        if host.contains('.') || domain.is_empty() {
            host.to_string()
        } else {
            format!("{host}.{domain}")
        }
    };
    match profile.component() {
        Component::Sync => {
            for (field, role) in groups::SYNC_GROUPS {
                let v = a.text(field).trim();
                if !v.is_empty() {
                    groups.push((field.to_string(), v.to_string(), role.to_string()));
                }
            }
        }
        Component::ServicePortal => {
            // Each SPN in the forms clients ask for: the full name and the short one.
            let mut add = |host: &str, class: &str, field: &str, owner: &str, short_required| {
                let full = fqdn(host);
                // An address has no short form.
                let short = match full.parse::<std::net::IpAddr>() {
                    Ok(_) => full.clone(),
                    Err(_) => full.split('.').next().unwrap_or(&full).to_string(),
                };
                for (h, required) in [(full.clone(), true), (short, short_required)] {
                    let spn = format!("{class}/{h}");
                    if !spns
                        .iter()
                        .any(|s: &SpnQuery| s.spn.eq_ignore_ascii_case(&spn))
                    {
                        spns.push(SpnQuery {
                            spn,
                            field: field.to_string(),
                            owner_field: owner.to_string(),
                            required,
                        });
                    }
                }
            };
            let service_host = a.text(fields::portal::SERVICE_ADDRESS).trim();
            if a.flag(fields::features::SERVICE) && !service_host.is_empty() {
                // MIM documents FIMService/<full name>; the short form is looked up so that a
                // holder elsewhere is seen, and is not required.
                add(
                    service_host,
                    "FIMService",
                    fields::mim_service::NAME,
                    fields::mim_service::NAME,
                    false,
                );
            }
            if a.flag(fields::features::PORTAL) {
                if let Some(host) = super::network::url_host(a.text(fields::portal::SHAREPOINT_URL))
                {
                    add(
                        &host,
                        "http",
                        fields::portal::SHAREPOINT_URL,
                        fields::checks::APP_POOL_ACCOUNT,
                        true,
                    );
                }
            }
        }
    }
    AdQuery {
        dc: a.text(fields::checks::DC).trim().to_string(),
        security: a.text(fields::checks::LDAP_SECURITY).to_string(),
        bind_account: a.text(fields::checks::BIND_ACCOUNT).trim().to_string(),
        computer: gmsa::this_computer(a.text(fields::checks::COMPUTER)),
        accounts: accounts::accounts(profile),
        sspr: profile.component() == Component::ServicePortal
            && a.flag(fields::features::SERVICE)
            && (a.flag(fields::features::REGISTRATION) || a.flag(fields::features::RESET)),
        groups,
        spns,
        domain,
    }
}

pub fn probes(profile: &Profile) -> Vec<Probe> {
    let p = query(profile);
    let inputs = format!("{p:?}");
    vec![
        Probe::new("ad", Area::Ad, "checks", "Active Directory", move |ctx| {
            run(ctx, p)
        })
        .inputs(inputs),
    ]
}

fn skipped_rest(out: &mut ProbeOutput, why: &str) {
    out.outcomes.push(Outcome::skipped(
        "ad-directory",
        Area::Ad,
        "checks",
        "Accounts, groups, gMSAs and SPNs",
        format!("not checked: {why}"),
    ));
}

async fn run(ctx: Arc<Ctx>, p: AdQuery) -> ProbeOutput {
    let mut out = ProbeOutput::default();
    if p.bind_account.is_empty() {
        let why = "no account for the directory checks: a Kerberos (GSSAPI) bind as you is not available in this build; give an account and its password in the Live checks screen";
        out.outcomes.push(Outcome::skipped(
            "ad-bind",
            Area::Ad,
            "checks",
            "Directory bind",
            why,
        ));
        skipped_rest(&mut out, "no directory connection");
        return out;
    }
    let password = match ctx.secrets.get(fields::checks::BIND_PASSWORD) {
        Ok(s) => s.clone(),
        Err(why) => {
            out.outcomes.push(Outcome::skipped(
                "ad-bind",
                Area::Ad,
                "checks",
                format!("Directory bind as {}", p.bind_account),
                why,
            ));
            skipped_rest(&mut out, "no directory connection");
            return out;
        }
    };
    // The domain controller.
    let dc = match dc::locate(&ctx, &p.domain, &p.dc).await {
        Ok(dc) => dc,
        Err(f) => {
            out.outcomes.push(Outcome::found(
                "ad-dc",
                Area::Ad,
                "checks",
                "Domain controller",
                vec![f],
            ));
            skipped_rest(&mut out, "no domain controller");
            return out;
        }
    };
    out.facts.insert("ad.dc".into(), dc.host.clone());
    let mut o = Outcome::ok(
        "ad-dc",
        Area::Ad,
        "checks",
        "Domain controller",
        format!("{} ({})", dc.host, dc.addr),
    );
    for e in &dc.evidence {
        o = o.with_evidence(e.clone());
    }
    out.outcomes.push(o);
    // Connect and bind.
    let security = Security::from_answer(&p.security);
    let who = bind::bind_name(&p.bind_account, &p.domain);
    let title = format!("Directory bind as {who}");
    let target = format!("{} ({}:{})", dc.host, dc.addr, security.port());
    let started = std::time::Instant::now();
    let connected = match bind::connect(&ctx, &dc, security).await {
        Ok(mut ldap) => match bind::bind(&ctx, &mut ldap, &who, password.expose(), &target).await {
            Ok(r) => Ok((ldap, r)),
            Err(f) => Err((f, "the bind failed")),
        },
        Err(f) => Err((f, "no directory connection")),
    };
    let (ldap, (base, config, evidence)) = match connected {
        Ok(c) => c,
        Err((f, why)) => {
            out.outcomes.push(Outcome::found(
                "ad-bind",
                Area::Ad,
                "checks",
                title,
                vec![f],
            ));
            skipped_rest(&mut out, why);
            return out;
        }
    };
    let bound_ms = started.elapsed().as_millis();
    out.facts.insert("ad.base".into(), base.clone());
    let mut dir = dir::Dir {
        ldap,
        ctx: &ctx,
        base,
        config,
        domain: domain::Domain::default(),
    };
    let read_domain = domain::read(&mut dir).await;
    let domain_evidence = match read_domain {
        Ok(d) => {
            dir.domain = d;
            format!("the domain that answered: {}", dir.domain.describe())
        }
        Err(e) => {
            dir.domain.dns = domain::dns_of_base(&dir.base);
            format!(
                "the domain's NetBIOS name could not be read ({e}); DOMAIN\\name parts are not compared"
            )
        }
    };
    let mut o = Outcome::ok(
        "ad-bind",
        Area::Ad,
        "checks",
        title,
        format!("bound to {target} over {}", security.describe()),
    );
    if security == Security::Plain {
        o.push(Finding::warning("ad-plain-ldap", fields::checks::LDAP_SECURITY, "The directory checks send the bind password in clear (plain LDAP).")
            .why("Anyone on the network path can read the password; domain controllers hardened for LDAP signing refuse it.")
            .fix("Choose LDAPS or StartTLS in the Live checks screen."));
    }
    for e in evidence {
        o = o.with_evidence(e);
    }
    o = o
        .with_evidence(domain_evidence)
        .with_evidence(format!("connected and bound in {bound_ms} ms"));
    out.outcomes.push(o);
    // The domain the profile names is the one that answered (a DC named by hand may not be).
    if let Some(f) = domain::profile_domain_finding(&p.domain, &dc.host, &dir.domain) {
        if let Some(dc_outcome) = out.outcomes.iter_mut().find(|o| o.id == "ad-dc") {
            dc_outcome.push(f);
        }
    }

    let mut seen: BTreeMap<String, (String, Seen)> = BTreeMap::new();
    let mut facts = Facts::new();
    let mut any_gmsa = None;
    // Each account once, however many fields name it.
    let mut by_sam: BTreeMap<String, Option<(String, Seen)>> = BTreeMap::new();
    for n in &p.accounts {
        let key = n.sam.to_ascii_lowercase();
        if let Some(done) = by_sam.get(&key) {
            if let Some(entry) = done {
                seen.insert(n.field.clone(), entry.clone());
            }
            continue;
        }
        let found = if n.gmsa {
            any_gmsa.get_or_insert(n.field.clone());
            out.outcomes
                .push(gmsa::check(&mut dir, n, &p.computer, &mut facts).await);
            // A gMSA is still an account: its DN and SID are used below (not one of
            // another domain's name).
            match dir.domain.mismatch(&n.shown, None) {
                Some(_) => None,
                None => match dir.by_sam(&n.sam, accounts::ACCOUNT_ATTRS).await {
                    Ok(Some(e)) => {
                        let dn = dir::text(&e, "distinguishedName")
                            .map_or_else(|| e.dn.clone(), str::to_string);
                        Some(Seen {
                            dn,
                            sid: dir::sid(&e),
                        })
                    }
                    _ => None,
                },
            }
        } else {
            let (o, s) = accounts::check(&mut dir, n, &mut facts).await;
            out.outcomes.push(o);
            s
        };
        let entry = found.map(|s| (n.shown.clone(), s));
        if let Some(e) = &entry {
            seen.insert(n.field.clone(), e.clone());
        }
        by_sam.insert(key, entry);
    }
    if let Some(field) = any_gmsa {
        out.outcomes
            .push(gmsa::kds(&mut dir, &field, &who, &mut facts).await);
    }
    for (field, value, role) in &p.groups {
        out.outcomes
            .push(groups::group(&mut dir, field, value, role, &mut facts).await);
    }
    if let (Some(service), Some(sync)) = (
        seen.get(fields::mim_service::NAME),
        seen.get(fields::sync_link::SYNC_SERVICE_ACCOUNT),
    ) {
        out.outcomes
            .push(groups::differ((&service.0, &service.1), (&sync.0, &sync.1)));
    }
    if p.sspr {
        if let Some((shown, s)) = seen.get(fields::mim_service::NAME) {
            out.outcomes.push(groups::sspr(&mut dir, shown, s).await);
        }
    }
    for q in &p.spns {
        let owner = p.accounts.iter().find(|n| n.field == q.owner_field);
        if let Some(owner) = owner {
            let o = groups::spn(
                &mut dir,
                (&q.spn, q.required),
                &q.field,
                (&owner.shown, &owner.sam),
                &mut facts,
            )
            .await;
            out.outcomes.push(o);
        }
    }
    out.facts.extend(facts);
    let _ = ctx.within(dir.ldap.unbind()).await;
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::screens::Screens;

    fn load(name: &str) -> Profile {
        let screens = Screens::embedded().expect("embedded screens");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("profiles")
            .join(name);
        crate::profile::load_file(&path, screens, false)
            .expect("the shipped profile loads")
            .profile
    }

    #[test]
    fn what_the_shipped_profiles_ask_of_the_directory() {
        let p = query(&load("contoso-service-portal.toml"));
        let sams: Vec<&str> = p.accounts.iter().map(|n| n.sam.as_str()).collect();
        assert_eq!(
            sams,
            [
                "MIMService",
                "MIMMA",
                "MIMSync",
                "MIMSSPR",
                "MIMSSPRService",
                "SharePoint",
                "miminstall"
            ]
        );
        let spns: Vec<(&str, bool)> = p
            .spns
            .iter()
            .map(|s| (s.spn.as_str(), s.required))
            .collect();
        assert_eq!(
            spns,
            [
                ("FIMService/CORPIDM.contoso.local", true),
                ("FIMService/CORPIDM", false),
                ("http/corpidm.contoso.local", true),
                ("http/corpidm", true)
            ]
        );
        assert!(p.sspr && p.groups.is_empty());
        let g = query(&load("contoso-sync-gmsa.toml"));
        assert!(g.accounts[0].gmsa && g.accounts[0].sam == "MIMSync$");
        assert_eq!(g.groups.len(), 5);
        assert!(!g.sspr && g.spns.is_empty());
        let f = query(&load("contoso-aadp-option-f.toml"));
        assert!(f
            .accounts
            .iter()
            .any(|n| n.sam == "svcMIMService$" && n.gmsa));
    }

    #[test]
    fn every_spn_form_is_looked_up_once() {
        use crate::answers::Value;
        /// (service address, SharePoint URL, the SPNs and whether each is required)
        type Case<'a> = (&'a str, &'a str, &'a [(&'a str, bool)]);
        let cases: &[Case] = &[
            (
                "corpservice",
                "http://corpidm.contoso.local",
                &[
                    ("FIMService/corpservice.contoso.local", true),
                    ("FIMService/corpservice", false),
                    ("http/corpidm.contoso.local", true),
                    ("http/corpidm", true),
                ],
            ),
            (
                "mim.contoso.com",
                "https://portal.contoso.com:8443/sites/mim",
                &[
                    ("FIMService/mim.contoso.com", true),
                    ("FIMService/mim", false),
                    ("http/portal.contoso.com", true),
                    ("http/portal", true),
                ],
            ),
            (
                // The same host for both: each class keeps its own forms.
                "CORPIDM",
                "http://corpidm",
                &[
                    ("FIMService/CORPIDM.contoso.local", true),
                    ("FIMService/CORPIDM", false),
                    ("http/corpidm.contoso.local", true),
                    ("http/corpidm", true),
                ],
            ),
            (
                "10.0.0.5",
                "http://10.0.0.6",
                &[("FIMService/10.0.0.5", true), ("http/10.0.0.6", true)],
            ),
        ];
        for (service, url, want) in cases {
            let mut p = load("contoso-service-portal.toml");
            p.answers.set(
                fields::portal::SERVICE_ADDRESS,
                Value::Text(service.to_string()),
            );
            p.answers
                .set(fields::portal::SHAREPOINT_URL, Value::Text(url.to_string()));
            let q = query(&p);
            let got: Vec<(&str, bool)> = q
                .spns
                .iter()
                .map(|s| (s.spn.as_str(), s.required))
                .collect();
            assert_eq!(got, *want, "{service} {url}");
        }
    }
}
