//! Network checks: every host name in the profile resolves (with the addresses as evidence),
//! the local ports MIM will listen on are free, and the SharePoint URL answers.
use super::{Area, Ctx, Facts, Outcome, Probe, ProbeOutput, Settings};
use crate::finding::Finding;
use crate::profile::Profile;
use crate::screens::fields;
use crate::screens::Component;
use hickory_resolver::config::{NameServerConfigGroup, ResolverConfig, ResolverOpts};
use hickory_resolver::error::ResolveErrorKind;
use hickory_resolver::proto::op::ResponseCode;
use hickory_resolver::TokioAsyncResolver;
use std::net::IpAddr;
use std::sync::Arc;

/// The resolver the checks use: the given DNS server, else the system's configuration.
pub fn resolver(settings: &Settings) -> TokioAsyncResolver {
    let mut opts = ResolverOpts::default();
    opts.timeout = settings.timeout;
    opts.attempts = 1;
    match settings.dns_server {
        Some(addr) => {
            opts.use_hosts_file = false;
            let group = NameServerConfigGroup::from_ips_clear(&[addr.ip()], addr.port(), true);
            TokioAsyncResolver::tokio(ResolverConfig::from_parts(None, vec![], group), opts)
        }
        None => match hickory_resolver::system_conf::read_system_conf() {
            Ok((config, mut sys)) => {
                sys.timeout = settings.timeout;
                TokioAsyncResolver::tokio(config, sys)
            }
            Err(_) => TokioAsyncResolver::tokio(ResolverConfig::default(), opts),
        },
    }
}

/// The host part of a server answer: `corpsql\MIMSYNC` and `tcp:host` give the host.
pub fn host_of(server: &str) -> &str {
    let s = server.trim();
    let s = s.strip_prefix("tcp:").unwrap_or(s);
    let s = s.split('\\').next().unwrap_or(s);
    s.split(',').next().unwrap_or(s).trim()
}

/// The host of an http(s) URL.
pub fn url_host(url: &str) -> Option<String> {
    reqwest::Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
}

/// Host names a profile names, with the field each comes from, in flow order.
pub fn hosts(profile: &Profile) -> Vec<(String, String)> {
    let a = &profile.answers;
    let mut out: Vec<(String, String)> = Vec::new();
    let mut add = |field: &str, host: String| {
        let host = host.trim().to_string();
        if !host.is_empty()
            && !out.iter().any(|(h, _)| h.eq_ignore_ascii_case(&host))
            && !is_this_computer(&host)
        {
            out.push((host, field.to_string()));
        }
    };
    match profile.component() {
        Component::Sync => {
            if a.text(fields::sql::LOCATION) == "remote" {
                add(
                    fields::sql::SERVER,
                    host_of(a.text(fields::sql::SERVER)).to_string(),
                );
            }
        }
        Component::ServicePortal => {
            add(
                fields::database::SERVER,
                host_of(a.text(fields::database::SERVER)).to_string(),
            );
            if matches!(a.text(fields::mail::SERVER_TYPE), "exchange" | "smtp") {
                add(
                    fields::mail::SERVER,
                    a.text(fields::mail::SERVER).to_string(),
                );
            }
            if a.flag(fields::features::REPORTING) {
                add(
                    fields::reporting::SCSM_SERVER,
                    a.text(fields::reporting::SCSM_SERVER).to_string(),
                );
            }
            add(
                fields::sync_link::SERVER,
                a.text(fields::sync_link::SERVER).to_string(),
            );
            if let Some(h) = url_host(a.text(fields::portal::SHAREPOINT_URL)) {
                add(fields::portal::SHAREPOINT_URL, h);
            }
            for f in [
                fields::registration_site::SERVICE_ADDRESS,
                fields::reset_site::SERVICE_ADDRESS,
            ] {
                add(f, a.text(f).to_string());
            }
        }
    }
    if !a.text(fields::checks::DC).trim().is_empty() {
        add(fields::checks::DC, a.text(fields::checks::DC).to_string());
    }
    out
}

/// `localhost`, `.` and loopback addresses name the computer setup runs on.
fn is_this_computer(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "."
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The local ports the chosen components listen on, with the field that sets each.
pub fn local_ports(profile: &Profile) -> Vec<(u16, String, String)> {
    let a = &profile.answers;
    let mut out = Vec::new();
    if profile.component() != Component::ServicePortal {
        return out;
    }
    if a.flag(fields::features::SERVICE) {
        out.push((
            5725,
            fields::features::SERVICE.into(),
            "MIM Service (RMS_PORT)".into(),
        ));
        out.push((
            5726,
            fields::features::SERVICE.into(),
            "MIM Service STS (STS_PORT)".into(),
        ));
    }
    for (feature, screen, what) in [
        (
            fields::features::REGISTRATION,
            "registration",
            "Password Registration site",
        ),
        (fields::features::RESET, "reset", "Password Reset site"),
    ] {
        if a.flag(feature) {
            if let Ok(p) = a.text(&format!("{screen}.port")).trim().parse::<u16>() {
                out.push((p, format!("{screen}.port"), what.to_string()));
            }
        }
    }
    out
}

/// The probes: one per host name, one for the local ports, one for the SharePoint URL.
pub fn probes(profile: &Profile) -> Vec<Probe> {
    let mut out = Vec::new();
    let domain = profile
        .answers
        .text(fields::checks::DOMAIN)
        .trim()
        .to_string();
    for (host, field) in hosts(profile) {
        let screen = field.split('.').next().unwrap_or("").to_string();
        let title = format!("DNS name {host}");
        let (h, f, d) = (host.clone(), field.clone(), domain.clone());
        out.push(
            Probe::new(
                format!("net.dns.{host}"),
                Area::Net,
                &screen,
                &title,
                move |ctx| dns_probe(ctx, h, f, d),
            )
            .inputs(format!("{host}|{domain}"))
            .cheap(),
        );
    }
    let ports = local_ports(profile);
    if !ports.is_empty() {
        let target = profile
            .answers
            .text(fields::checks::COMPUTER)
            .trim()
            .to_string();
        let inputs = format!("{ports:?}|{target}");
        let screen = ports
            .iter()
            .find(|(_, f, _)| f.contains(".port"))
            .map_or("features", |(_, f, _)| {
                f.split('.').next().unwrap_or("features")
            })
            .to_string();
        out.push(
            Probe::new("net.ports", Area::Net, &screen, "Local ports", move |_| {
                super::ports::ports_probe(ports, target)
            })
            .inputs(inputs)
            .cheap(),
        );
    }
    if profile.component() == Component::ServicePortal
        && profile.answers.flag(fields::features::PORTAL)
    {
        let url = profile
            .answers
            .text(fields::portal::SHAREPOINT_URL)
            .trim()
            .to_string();
        if !url.is_empty() {
            let u = url.clone();
            out.push(
                Probe::new(
                    "net.sharepoint",
                    Area::Net,
                    "portal",
                    "SharePoint site",
                    move |ctx| sharepoint_probe(ctx, u),
                )
                .inputs(url),
            );
        }
    }
    out
}

/// Resolves one name; a short name that does not resolve is tried with the AD domain, as
/// Windows' DNS suffix search would.
async fn dns_probe(ctx: Arc<Ctx>, host: String, field: String, domain: String) -> ProbeOutput {
    let screen = field.split('.').next().unwrap_or("").to_string();
    let title = format!("DNS name {host}");
    let id = "net-dns";
    let mut facts = Facts::new();
    if let Ok(ip) = host.parse::<IpAddr>() {
        facts.insert(format!("net.dns.{host}"), ip.to_string());
        let o = Outcome::ok(id, Area::Net, &screen, title, format!("{ip} is an address"));
        return ProbeOutput {
            outcomes: vec![o],
            facts,
        };
    }
    let mut tried = vec![host.clone()];
    let mut result = lookup(&ctx, &host).await;
    if matches!(result, Err(Lookup::NxDomain)) && !host.contains('.') && !domain.is_empty() {
        let fq = format!("{host}.{domain}");
        tried.push(fq.clone());
        result = lookup(&ctx, &fq).await;
    }
    let key = format!("net.dns.{host}");
    let outcome = match result {
        Ok(addrs) => {
            let shown = addrs.join(", ");
            facts.insert(key, shown.clone());
            Outcome::ok(id, Area::Net, &screen, title, format!("{} resolves to {shown}", tried.last().map_or("", String::as_str)))
        }
        Err(Lookup::NxDomain) => {
            facts.insert(key, "NXDOMAIN".into());
            Outcome::found(id, Area::Net, &screen, title, vec![Finding::error("dns-nxdomain", &field, format!("{host} does not resolve: the DNS server says no such name (NXDOMAIN)."))
                .evidence(format!("asked for {}", tried.join(", then ")))
                .why("Setup and the MIM services reach this server by name; a name that does not resolve makes setup fail its connection check or roll back.")
                .fix("Correct the name, or add an A record for it in DNS (not a CNAME for portal names); check it with Resolve-DnsName.")])
        }
        Err(Lookup::NoAddress) => {
            facts.insert(key, "no address".into());
            Outcome::found(id, Area::Net, &screen, title, vec![Finding::error("dns-no-address", &field, format!("{host} exists in DNS but has no address record."))
                .why("Without an A (or AAAA) record nothing can connect to the name.")
                .fix("Add an A record for the name in DNS.")])
        }
        Err(Lookup::Timeout) => {
            let asked = tried.last().map_or(host.as_str(), String::as_str);
            Outcome::found(id, Area::Net, &screen, title, vec![super::no_answer::no_answer("dns-timeout", &field, asked, &ctx.settings)])
        }
        Err(Lookup::Failed(why)) => Outcome::found(id, Area::Net, &screen, title, vec![Finding::error("dns-failed", &field, format!("{host} could not be looked up: {why}."))
            .why("Without a DNS answer the name cannot be checked, and setup would meet the same failure.")
            .fix("Check the DNS servers of this computer (Get-DnsClientServerAddress), or give one with --dns.")]),
    };
    ProbeOutput {
        outcomes: vec![outcome],
        facts,
    }
}

enum Lookup {
    NxDomain,
    NoAddress,
    /// The DNS server gave no answer in time.
    Timeout,
    Failed(String),
}

async fn lookup(ctx: &Ctx, name: &str) -> Result<Vec<String>, Lookup> {
    // A fully qualified query: no search list appended behind our back.
    let fq = format!("{}.", name.trim_end_matches('.'));
    match ctx.within(ctx.resolver.lookup_ip(fq)).await {
        Err(_) => Err(Lookup::Timeout),
        Ok(Ok(ips)) => {
            let mut v: Vec<String> = ips.iter().map(|ip| ip.to_string()).collect();
            v.sort();
            v.dedup();
            Ok(v)
        }
        Ok(Err(e)) => match e.kind() {
            ResolveErrorKind::NoRecordsFound { response_code, .. } => {
                if *response_code == ResponseCode::NXDomain {
                    Err(Lookup::NxDomain)
                } else {
                    Err(Lookup::NoAddress)
                }
            }
            ResolveErrorKind::Timeout => Err(Lookup::Timeout),
            _ => Err(Lookup::Failed(e.to_string())),
        },
    }
}

/// The SharePoint site answers: any HTTP status is an answer (401 with Negotiate is the
/// usual one); a refused connection, a certificate problem or silence is not.
async fn sharepoint_probe(ctx: Arc<Ctx>, url: String) -> ProbeOutput {
    let (screen, field, title) = ("portal", fields::portal::SHAREPOINT_URL, "SharePoint site");
    let client = match super::http_client(&ctx, &url) {
        Ok(c) => c,
        Err(e) => {
            return ProbeOutput {
                outcomes: vec![Outcome::found(
                    "net-sharepoint",
                    Area::Net,
                    screen,
                    title,
                    vec![e.into_finding(field)],
                )],
                facts: Facts::new(),
            }
        }
    };
    let outcome = match ctx.within(client.get(&url).send()).await {
        Err(_) => Outcome::found("net-sharepoint", Area::Net, screen, title, vec![super::timeout_finding_url("sharepoint-timeout", field, &format!("The SharePoint site {url}"), &url, ctx.settings.timeout)]),
        Ok(Ok(resp)) => {
            let server = resp.headers().get("server").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let auth = resp.headers().get("www-authenticate").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
            let mut o = Outcome::ok("net-sharepoint", Area::Net, screen, title, format!("{url} answers HTTP {}", resp.status().as_u16()));
            if !server.is_empty() {
                o = o.with_evidence(format!("Server: {server}"));
            }
            if !auth.is_empty() {
                o = o.with_evidence(format!("WWW-Authenticate: {auth}"));
            }
            o
        }
        Ok(Err(e)) => Outcome::found("net-sharepoint", Area::Net, screen, title, vec![super::http_error_finding("sharepoint-unreachable", field, &url, &e)
            .why("The MIM Portal is installed into this SharePoint site; setup checks that the site exists and fails when it cannot reach it.")]),
    };
    ProbeOutput {
        outcomes: vec![outcome],
        facts: Facts::new(),
    }
}
