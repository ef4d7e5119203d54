//! Mail checks, per deployment option (seed 002, reference §3):
//!
//! ```text
//!   A, F  Exchange Server    ews.rs        https://<server>/EWS/Exchange.asmx answers over
//!                                          verified TLS (401 with Negotiate/NTLM and a header
//!                                          only Exchange sends = alive)
//!   C, H  Office 365 app     office365.rs  OAuth2 client credentials at the cloud's authority,
//!                                          then EWS GetFolder for the MIM Service mailbox
//!   D     SMTP (IWA)         smtp.rs       connect, EHLO, STARTTLS, the AUTH mechanisms (no
//!                                          credential sent), MAIL FROM/RCPT TO
//!   B, G  Office 365 basic   skipped, with the reason (basic authentication is retired)
//!   E, I  no mail server     nothing to reach
//! ```
//! Every option with a mailbox also checks that its address is one an SMTP client accepts.
//! An answer from something else in the way (a proxy's or gateway's page) is said to be one
//! (foreign.rs); certificate failures show what the server presented (tls/).
mod ews;
mod foreign;
mod office365;
pub use office365::cloud;
/// An XML element's text, as the Office 365 check reads EWS answers (the demo's EWS reads
/// requests with it).
pub use office365::element as soap_element;
/// The EWS GetFolder request the Office 365 check sends.
pub use office365::get_folder as soap_get_folder;
mod smtp;
mod tls;

use super::{Area, Ctx, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use crate::profile::Profile;
use crate::rules::mail_option;
use crate::screens::fields;
use crate::screens::Component;
use hickory_resolver::error::ResolveErrorKind;
use hickory_resolver::proto::op::ResponseCode;
use std::net::IpAddr;

pub(crate) const SCREEN: &str = "mail";

/// The probes of a profile's mail option.
pub fn probes(profile: &Profile) -> Vec<Probe> {
    let a = &profile.answers;
    if profile.component() != Component::ServicePortal || !a.flag(fields::features::SERVICE) {
        return Vec::new();
    }
    let Some(option) = mail_option(a) else {
        // An incompatible combination: the offline rule says which ones work.
        return Vec::new();
    };
    let mut out = Vec::new();
    let email = a.text(fields::mim_service::EMAIL).trim().to_string();
    if matches!(option.0, 'A' | 'B' | 'C' | 'D' | 'F' | 'G' | 'H') {
        let e = email.clone();
        out.push(
            Probe::new(
                "mail.address",
                Area::Mail,
                "mim_service",
                "MIM Service mailbox address",
                move |_| async move { address_probe(&e) },
            )
            .inputs(email.clone())
            .cheap(),
        );
    }
    match option.0 {
        'A' | 'F' => out.push(ews::probe(a)),
        'D' => out.push(smtp::probe(a)),
        'C' | 'H' => out.push(office365::probe(a)),
        'B' | 'G' => {
            let letter = option.0;
            out.push(Probe::new(
                "mail.office365-basic",
                Area::Mail,
                SCREEN,
                "Office 365 basic authentication",
                move |_| async move { office365::basic_skipped(letter) },
            ));
        }
        letter => out.push(Probe::new("mail.none", Area::Mail, SCREEN, "Mail server", move |_| async move {
            let o = Outcome::skipped("mail-none", Area::Mail, SCREEN, "Mail server", format!("option {letter} has no mail server: nothing to reach (the MIM Service sends no notifications and takes no approvals by mail)"));
            ProbeOutput { outcomes: vec![o], facts: Default::default() }
        })),
    }
    out
}

/// The mailbox address is one an SMTP client takes (lettre's RFC 5321/5322 parser).
fn address_probe(email: &str) -> ProbeOutput {
    let (id, screen, title) = ("mail-address", "mim_service", "MIM Service mailbox address");
    let outcome = match email.parse::<lettre::Address>() {
        Ok(addr) => Outcome::ok(
            id,
            Area::Mail,
            screen,
            title,
            format!("{addr} is a well-formed SMTP address"),
        ),
        Err(e) => Outcome::found(id, Area::Mail, screen, title, vec![Finding::error("mail-address", fields::mim_service::EMAIL, format!("`{email}` is not an SMTP address a mail client accepts."))
            .evidence(format!("parsing the address: {e}"))
            .why("The MIM Service sends notifications from this mailbox and, with Exchange or Office 365, reads approval answers from it; setup checks the address format (CheckMailServerAddressFormat) and the service cannot send with a malformed one.")
            .fix("Write the mailbox's primary SMTP address, e.g. MIMService@contoso.com (Get-Mailbox MIMService | Select PrimarySmtpAddress).")]),
    };
    ProbeOutput {
        outcomes: vec![outcome],
        facts: Default::default(),
    }
}

/// What the host a mail check reaches is to the MIM Service, by the check's id (its prefix):
/// a message names the host's real role (the Azure AD sign-in endpoint is not a mail server).
pub(crate) fn role(check: &str) -> &'static str {
    const ROLES: &[(&str, &str)] = &[
        ("mail-office365-ews", "Exchange Online's EWS endpoint"),
        ("mail-office365", "the Azure AD sign-in endpoint (the cloud instance's authority), which gives it the token for Exchange Online,"),
        ("mail-ews", "its Exchange server"),
        ("mail-smtp", "its SMTP server"),
    ];
    ROLES
        .iter()
        .find(|(prefix, _)| check.starts_with(prefix))
        .map_or("this host", |(_, role)| role)
}

/// Where `host:port` is reached: the address book's entry (the one seam), else each address
/// DNS gives for the host, on `port`.
pub(crate) async fn addresses(
    ctx: &Ctx,
    check: &str,
    field: &str,
    (host, port): (&str, u16),
) -> Result<Vec<std::net::SocketAddr>, Finding> {
    if let Some(a) = ctx.booked(host, port) {
        return Ok(vec![a]);
    }
    Ok(resolve(ctx, check, field, host)
        .await?
        .into_iter()
        .map(|ip| std::net::SocketAddr::new(ip, port))
        .collect())
}

/// Why a name could not be turned into addresses, as a finding on `field`.
pub(crate) async fn resolve(
    ctx: &Ctx,
    check: &str,
    field: &str,
    host: &str,
) -> Result<Vec<IpAddr>, Finding> {
    if let Ok(ip) = host.trim_matches(['[', ']']).parse::<IpAddr>() {
        return Ok(vec![ip]);
    }
    let fq = format!("{}.", host.trim_end_matches('.'));
    let fail = |msg: String| {
        Finding::error(check, field, msg)
            .why(format!("The MIM Service reaches {} by this name; setup and the service fail the same way when it does not resolve.", role(check)))
    };
    match ctx.within(ctx.resolver.lookup_ip(fq)).await {
        Err(_) => Err(fail(format!("{host}: the DNS server gave no answer within {} s.", ctx.settings.timeout.as_secs_f32()))
            .fix("Check this computer's DNS servers (Get-DnsClientServerAddress), or give one with --dns.")),
        Ok(Ok(ips)) => {
            let mut v: Vec<IpAddr> = ips.iter().collect();
            v.sort();
            v.dedup();
            Ok(v)
        }
        Ok(Err(e)) => Err(match e.kind() {
            ResolveErrorKind::NoRecordsFound { response_code, .. } if *response_code == ResponseCode::NXDomain => {
                fail(format!("{host} does not resolve: the DNS server says no such name (NXDOMAIN)."))
                    .fix("Correct the server name, or add an A record for it in DNS (check with Resolve-DnsName).")
                    .evidence(format!("asked for {host}"))
            }
            ResolveErrorKind::NoRecordsFound { .. } => fail(format!("{host} exists in DNS but has no address record."))
                .fix("Add an A record for the name in DNS."),
            _ => fail(format!("{host} could not be looked up: {e}."))
                .fix("Check this computer's DNS servers (Get-DnsClientServerAddress), or give one with --dns."),
        }),
    }
}

/// A chain of outcomes where a failed step leaves the later ones not run, and says so.
pub(crate) struct Steps {
    out: ProbeOutput,
    failed: Option<String>,
}

impl Steps {
    pub fn new() -> Steps {
        Steps {
            out: ProbeOutput::default(),
            failed: None,
        }
    }

    /// Records an outcome; one with a blocking finding stops the chain with its title.
    pub fn push(&mut self, o: Outcome) {
        if o.blocks() && self.failed.is_none() {
            self.failed = Some(o.title.clone());
        }
        self.out.outcomes.push(o);
    }

    pub fn failed(&self) -> bool {
        self.failed.is_some()
    }

    /// An outcome for a step not run because an earlier one failed.
    pub fn not_reached(&mut self, id: &str, screen: &str, title: &str) {
        let why = format!(
            "not checked: {} failed first",
            self.failed.as_deref().unwrap_or("an earlier step")
        );
        self.out
            .outcomes
            .push(Outcome::skipped(id, Area::Mail, screen, title, why));
    }

    pub fn fact(&mut self, key: &str, value: impl Into<String>) {
        self.out.facts.insert(key.to_string(), value.into());
    }

    pub fn done(self) -> ProbeOutput {
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::role;

    /// Every source file of the mail checks, recursively.
    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).expect("the mail checks' folder") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                sources(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(std::fs::read_to_string(&p).expect("source"));
            }
        }
    }

    /// The check ids under which the mail checks reach a host (resolve it, or judge its
    /// certificate), read from their sources: every one has its own role, so that no
    /// message calls a host by another's.
    #[test]
    fn every_host_the_mail_checks_reach_is_named_by_its_role() {
        let mut src = Vec::new();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/check/mail");
        sources(&dir, &mut src);
        let mut ids = Vec::new();
        for text in &src {
            for call in [
                "client_for(",
                "addresses(",
                "resolve(",
                "request_finding(",
                "tls::finding(",
            ] {
                for rest in text.split(call).skip(1) {
                    // The first string literal among the call's arguments.
                    let args = rest.split(')').next().unwrap_or("");
                    if let Some(id) = args.split('"').nth(1).filter(|id| id.starts_with("mail-")) {
                        ids.push(id.to_string());
                    }
                }
            }
        }
        ids.sort();
        ids.dedup();
        for id in [
            "mail-ews-dns",
            "mail-office365-dns",
            "mail-office365-ews-dns",
            "mail-smtp-dns",
            "mail-office365-token",
            "mail-smtp-certificate",
        ] {
            assert!(ids.iter().any(|i| i == id), "the scan finds {id}: {ids:?}");
        }
        for id in &ids {
            assert_ne!(role(id), role(""), "{id} has no role of its own");
        }
        for id in ["mail-office365-dns", "mail-office365-token-certificate"] {
            assert!(role(id).contains("Azure AD sign-in endpoint"), "{id}");
            assert!(!role(id).contains("mail server"), "{id}");
        }
        assert!(role("mail-office365-ews-dns").contains("Exchange Online"));
        assert!(role("mail-ews-certificate").contains("Exchange server"));
        assert!(role("mail-smtp-certificate").contains("SMTP server"));
    }
}
