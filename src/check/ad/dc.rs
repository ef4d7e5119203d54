//! Finding the domain controller: the one the profile names, else the best answer to the DNS
//! SRV query `_ldap._tcp.<domain>` through the checks' resolver (which honours --dns).
use super::super::no_answer::no_answer;
use super::super::Ctx;
use crate::finding::Finding;
use crate::screens::fields;
use hickory_resolver::error::ResolveErrorKind;
use hickory_resolver::proto::op::ResponseCode;
use std::net::IpAddr;

/// The domain controller to talk to.
#[derive(Debug, Clone)]
pub struct Dc {
    pub host: String,
    pub addr: IpAddr,
    /// How it was found (SRV answer, address).
    pub evidence: Vec<String>,
}

/// The security of the connection, from `checks.ldap_security`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    Ldaps,
    StartTls,
    Plain,
}

impl Security {
    pub fn from_answer(v: &str) -> Security {
        match v {
            "starttls" => Security::StartTls,
            "plain" => Security::Plain,
            _ => Security::Ldaps,
        }
    }

    pub fn port(self) -> u16 {
        if self == Security::Ldaps {
            636
        } else {
            389
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Security::Ldaps => "LDAPS (port 636), certificate verified",
            Security::StartTls => "StartTLS (port 389), certificate verified",
            Security::Plain => "plain LDAP (port 389), not encrypted",
        }
    }
}

/// Finds the domain controller: the one named, else the best SRV answer.
pub async fn locate(ctx: &Ctx, domain: &str, dc: &str) -> Result<Dc, Finding> {
    let mut evidence = Vec::new();
    let (host, field) = if dc.is_empty() {
        let name = format!("_ldap._tcp.{}.", domain.trim_end_matches('.'));
        let answer = match ctx.within(ctx.resolver.srv_lookup(name.clone())).await {
            Err(_) => {
                return Err(no_answer(
                    "ad-dc-dns-timeout",
                    fields::checks::DOMAIN,
                    &name,
                    &ctx.settings,
                ))
            }
            Ok(r) => r,
        };
        let srv = match answer {
            Ok(srv) => srv,
            Err(e) if matches!(e.kind(), ResolveErrorKind::Timeout) => {
                return Err(no_answer(
                    "ad-dc-dns-timeout",
                    fields::checks::DOMAIN,
                    &name,
                    &ctx.settings,
                ))
            }
            Err(e) => return Err(srv_finding(&name, &e)),
        };
        let mut records: Vec<_> = srv.iter().collect();
        records.sort_by_key(|r| (r.priority(), std::cmp::Reverse(r.weight())));
        let Some(best) = records.first() else {
            return Err(srv_finding_text(&name, "the answer holds no SRV record"));
        };
        evidence.push(format!(
            "{name} SRV: {}",
            records
                .iter()
                .map(|r| format!(
                    "{} {} {} {}",
                    r.priority(),
                    r.weight(),
                    r.port(),
                    r.target()
                ))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        (
            best.target().to_utf8().trim_end_matches('.').to_string(),
            fields::checks::DOMAIN,
        )
    } else {
        (dc.to_string(), fields::checks::DC)
    };
    if let Ok(addr) = host.parse::<IpAddr>() {
        return Ok(Dc {
            host,
            addr,
            evidence,
        });
    }
    // The address book first (the one seam): bind.rs connects to its entry for the port.
    if let Some((port, a)) = ctx.settings.address_book.lookup_any(&host, &[636, 389]) {
        evidence.push(format!("{host}:{port} is {a} (address book)"));
        return Ok(Dc {
            host,
            addr: a.ip(),
            evidence,
        });
    }
    let fq = format!("{}.", host.trim_end_matches('.'));
    match ctx.within(ctx.resolver.lookup_ip(fq)).await {
        Err(_) => Err(no_answer("ad-dc-dns-timeout", field, &host, &ctx.settings)),
        Ok(Err(e)) if matches!(e.kind(), ResolveErrorKind::Timeout) => {
            Err(no_answer("ad-dc-dns-timeout", field, &host, &ctx.settings))
        }
        Ok(Ok(ips)) => match ips.iter().next() {
            Some(addr) => {
                evidence.push(format!("{host} has address {addr}"));
                Ok(Dc { host, addr, evidence })
            }
            None => Err(Finding::error("ad-dc-no-address", field, format!("The domain controller {host} has no address in DNS."))
                .why("The directory checks and MIM's own setup reach the domain through a domain controller.")
                .fix("Add an A record for the domain controller, or name a reachable one in the Live checks screen.")),
        },
        Ok(Err(e)) => Err(Finding::error("ad-dc-no-address", field, format!("The domain controller {host} does not resolve: {e}."))
            .why("The directory checks and MIM's own setup reach the domain through a domain controller.")
            .fix("Correct the name, or check this computer's DNS servers (Get-DnsClientServerAddress); the domain's DNS must answer for its domain controllers.")),
    }
}

fn srv_finding(name: &str, e: &hickory_resolver::error::ResolveError) -> Finding {
    match e.kind() {
        ResolveErrorKind::NoRecordsFound { response_code, .. }
            if *response_code == ResponseCode::NXDomain =>
        {
            srv_finding_text(name, "the DNS server says no such name (NXDOMAIN)")
        }
        ResolveErrorKind::NoRecordsFound { .. } => {
            srv_finding_text(name, "the name exists but has no SRV record")
        }
        _ => srv_finding_text(name, &e.to_string()),
    }
}

fn srv_finding_text(name: &str, why: &str) -> Finding {
    Finding::error("ad-dc-not-found", fields::checks::DOMAIN, format!("No domain controller found: {name} does not resolve ({why})."))
        .evidence(format!("DNS SRV lookup of {name}"))
        .why("Computers find the domain's controllers through this SRV record; without it this server cannot join, log on service accounts, or let MIM read the directory.")
        .fix(format!("Check the domain name `{}` (the domain's DNS name, not its NetBIOS name) and that this computer uses the domain's DNS servers; or name a domain controller in the Live checks screen.", name.trim_start_matches("_ldap._tcp.").trim_end_matches('.')))
}
