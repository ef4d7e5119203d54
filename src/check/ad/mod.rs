//! Active Directory checks (ldap3): one connection to one domain controller answers them all.
//!
//! ```text
//!   query.rs     what the probe reads from a profile (accounts, groups, SPN forms)
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
mod clock;
mod dc;
mod dir;
mod domain;
mod gmsa;
mod groups;
mod membership;
mod query;
pub mod sd;

use super::{Area, Ctx, Facts, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use crate::profile::Profile;
use crate::screens::fields;
use accounts::Seen;
use dc::Security;
use query::AdQuery;
use std::collections::BTreeMap;
use std::sync::Arc;

pub fn probes(profile: &Profile) -> Vec<Probe> {
    let p = query::query(profile, false);
    let inputs = format!("{p:?}");
    vec![
        Probe::new("ad", Area::Ad, "checks", "Active Directory", move |ctx| {
            run(ctx, p)
        })
        .inputs(inputs),
    ]
}

/// The doctor's PCNS probe (step 5, event 6025): for a Synchronization Service profile, the
/// PCNS target's SPN `PCNSCLNT/<Sync server>` in its full and short forms on the service
/// account, and the domain controller's clock against this computer's. The same AD probe
/// as `check`'s, with those questions and without the groups.
pub fn pcns_probes(profile: &Profile) -> Vec<Probe> {
    let p = query::query(profile, true);
    let inputs = format!("{p:?}");
    vec![Probe::new(
        "ad-pcns",
        Area::Ad,
        "checks",
        "Active Directory (PCNS)",
        move |ctx| run(ctx, p),
    )
    .inputs(inputs)]
}

/// The SPN PCNS authenticates its target with, for the Sync server `host` (full name).
pub fn pcns_spn(host: &str) -> String {
    format!("PCNSCLNT/{host}")
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
        Ok(mut ldap) => match bind::bind(
            &ctx,
            &mut ldap,
            &who,
            password.expose(),
            (&target, (&dc.host, security.port())),
        )
        .await
        {
            Ok(r) => Ok((ldap, r)),
            Err(f) => Err((f, "the bind failed")),
        },
        Err(f) => Err((f, "no directory connection")),
    };
    let (ldap, (base, config, evidence, dc_time)) = match connected {
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
    if p.pcns {
        out.outcomes.push(clock::outcome(
            &dc.host,
            &dc_time,
            std::time::SystemTime::now(),
        ));
    }
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
