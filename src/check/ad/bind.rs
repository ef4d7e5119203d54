//! Reaching the directory: a connection over LDAPS, StartTLS or plain LDAP with the
//! certificate verified against this computer's roots and `--ca-file`, and a simple bind
//! whose AD error sub-codes become plain-language findings.
use super::super::{ca_pems, Ctx};
use super::dc::{Dc, Security};
use crate::finding::Finding;
use crate::screens::fields;
use ldap3::{Ldap, LdapConnAsync, LdapConnSettings, LdapError};
use rustls021 as rustls;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::SystemTime;

/// A verifier that checks the chain against the roots and the certificate against the DC's
/// host name, while the TCP connection goes to the address our resolver found.
struct NameVerifier {
    inner: rustls::client::WebPkiVerifier,
    name: rustls::ServerName,
}

impl rustls::client::ServerCertVerifier for NameVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &rustls::Certificate,
        intermediates: &[rustls::Certificate],
        _server_name: &rustls::ServerName,
        scts: &mut dyn Iterator<Item = &[u8]>,
        ocsp: &[u8],
        now: SystemTime,
    ) -> Result<rustls::client::ServerCertVerified, rustls::Error> {
        self.inner
            .verify_server_cert(end_entity, intermediates, &self.name, scts, ocsp, now)
    }
}

#[allow(clippy::result_large_err)] // a Finding is the error, as everywhere in the checks
fn tls_config(ctx: &Ctx, host: &str) -> Result<Arc<rustls::ClientConfig>, Finding> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in rustls_native_certs06::load_native_certs().unwrap_or_default() {
        // A system root this TLS stack cannot use is skipped, as the system's own would.
        let _ = roots.add(&rustls::Certificate(cert.0));
    }
    for der in ca_pems(&ctx.settings).map_err(|e| e.into_finding(fields::checks::LDAP_SECURITY))? {
        roots.add(&rustls::Certificate(der)).map_err(|e| {
            Finding::error(
                "ca-file",
                fields::checks::LDAP_SECURITY,
                format!("A certificate in the CA file cannot be used: {e}."),
            )
            .fix("Give a PEM file of CA certificates with --ca-file.")
        })?;
    }
    let name = rustls::ServerName::try_from(host).map_err(|_| {
        Finding::error(
            "ad-dc-name",
            fields::checks::DC,
            format!("`{host}` is not a host name a certificate can be checked against."),
        )
        .fix("Name the domain controller by its DNS name.")
    })?;
    let verifier = NameVerifier {
        inner: rustls::client::WebPkiVerifier::new(roots, None),
        name,
    };
    let config = rustls::ClientConfig::builder()
        .with_safe_defaults()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    Ok(Arc::new(config))
}

/// Connects (TCP, TLS, StartTLS) under the time limit.
pub async fn connect(ctx: &Ctx, dc: &Dc, security: Security) -> Result<Ldap, Finding> {
    let timeout = ctx.settings.timeout;
    let mut settings = LdapConnSettings::new().set_conn_timeout(timeout);
    if security != Security::Plain {
        settings = settings.set_config(tls_config(ctx, &dc.host)?);
        settings = settings.set_starttls(security == Security::StartTls);
    }
    let scheme = if security == Security::Ldaps {
        "ldaps"
    } else {
        "ldap"
    };
    // The address book first (the one seam), else the address DNS gave.
    let sock = ctx
        .booked(&dc.host, security.port())
        .unwrap_or(SocketAddr::new(dc.addr, security.port()));
    let url = match sock.ip() {
        IpAddr::V6(a) => format!("{scheme}://[{a}]:{}", sock.port()),
        IpAddr::V4(a) => format!("{scheme}://{a}:{}", sock.port()),
    };
    let target = format!("{} ({sock})", dc.host);
    match ctx
        .within(LdapConnAsync::with_settings(settings, &url))
        .await
    {
        Err(_) | Ok(Err(LdapError::Timeout { .. })) => Err(super::super::timeout_finding_at(
            "ad-timeout",
            fields::checks::DC,
            &format!("The domain controller {target}"),
            (&dc.host, security.port()),
            timeout,
        )),
        Ok(Err(e)) => Err(connect_finding((&target, &dc.host), security, &e)),
        Ok(Ok((conn, ldap))) => {
            ldap3::drive!(conn);
            Ok(ldap)
        }
    }
}

fn connect_finding((target, host): (&str, &str), security: Security, e: &LdapError) -> Finding {
    let io = match e {
        LdapError::Io { source } => Some(source),
        _ => None,
    };
    let tls = io
        .and_then(|s| s.get_ref())
        .and_then(|inner| inner.downcast_ref::<rustls::Error>());
    if let Some(t) = tls {
        return Finding::error("ad-tls-certificate", fields::checks::LDAP_SECURITY, format!("The certificate of {target} is not trusted: {t}."))
            .evidence(format!("{}: {t}", security.describe()))
            .why("An unverified directory connection can be intercepted, and the bind password with it; Windows' own LDAPS clients refuse this certificate too.")
            .fix("Install the CA that issued the domain controller's certificate as a trusted root (or give it with --ca-file), and check that the certificate names the domain controller's DNS name.");
    }
    if let Some(s) = io {
        if s.kind() == std::io::ErrorKind::ConnectionRefused {
            return Finding::unreached("ad-refused", fields::checks::DC, format!("The domain controller {target} refused the connection."))
                .evidence(format!("{}: {s}", security.describe()))
                .why("MIM setup and the MIM services read and write the directory over LDAP; nothing listens on this port.")
                .fix(if security == Security::Ldaps {
                    format!("Check that the domain controller has a certificate for LDAPS (port 636) and that a firewall does not block it (Test-NetConnection {host} -Port 636), or choose StartTLS.")
                } else {
                    format!("Check that the address is a domain controller and that port 389 is open to it (Test-NetConnection {host} -Port 389).")
                });
        }
    }
    if let Some(s) = io.filter(|s| {
        matches!(
            s.kind(),
            std::io::ErrorKind::HostUnreachable | std::io::ErrorKind::NetworkUnreachable
        )
    }) {
        return Finding::unreached(
            "ad-unreachable",
            fields::checks::DC,
            format!("The domain controller {target} cannot be reached: {s}."),
        )
        .evidence(security.describe())
        .why("MIM setup and the MIM services read and write the directory over LDAP; no route leads to this domain controller from here.")
        .fix(format!("Check the route and firewalls between this server and the domain controller (Test-NetConnection {host} -Port {}).", security.port()));
    }
    let text = super::super::chain(e);
    if text.to_ascii_lowercase().contains("certificate") || text.contains("tls") {
        return Finding::error("ad-tls-certificate", fields::checks::LDAP_SECURITY, format!("TLS with {target} failed: {text}."))
            .why("An unverified directory connection can be intercepted, and the bind password with it.")
            .fix("Install the CA that issued the domain controller's certificate as a trusted root (or give it with --ca-file).");
    }
    Finding::error(
        "ad-connect-failed",
        fields::checks::DC,
        format!("Cannot connect to the domain controller {target}: {text}."),
    )
    .evidence(security.describe())
    .why("The directory checks, and MIM's setup, need the domain controller.")
    .fix("Check that the address is a domain controller reachable from this server.")
}

/// What AD's bind sub-codes (`data 52e` in the diagnostic text) mean.
pub fn bind_subcode(text: &str) -> Option<(&'static str, &'static str, &'static str)> {
    let lower = text.to_ascii_lowercase();
    let code = lower
        .split("data ")
        .nth(1)?
        .split([',', ' '])
        .next()?
        .to_string();
    Some(match code.as_str() {
        "525" => ("ad-bind-no-such-user", "the account does not exist (AD code 525)", "Check the account name: DOMAIN\\user or user@domain."),
        "52e" => ("ad-bind-bad-password", "the password is wrong (AD code 52e, invalid credentials)", "Check the password in the variable the profile names (MIM_CHECK_BIND_PASSWORD by default); repeated wrong passwords lock the account."),
        "530" => ("ad-bind-logon-hours", "the account may not log on at this time (AD code 530)", "Widen the account's logon hours in Active Directory Users and Computers."),
        "531" => ("ad-bind-workstation", "the account may not log on from this computer (AD code 531)", "Add this computer to the account's 'Log On To' list, or clear the list."),
        "532" => ("ad-bind-password-expired", "the account's password has expired (AD code 532)", "Set a new password for the account."),
        "533" => ("ad-bind-disabled", "the account is disabled (AD code 533)", "Enable the account (Enable-ADAccount), or use another one."),
        "701" => ("ad-bind-account-expired", "the account has expired (AD code 701)", "Extend the account's expiry date (Set-ADAccountExpiration)."),
        "773" => ("ad-bind-must-change", "the account must change its password before it can log on (AD code 773)", "Log on once interactively and change the password, or clear 'User must change password at next logon'."),
        "775" => ("ad-bind-locked", "the account is locked out (AD code 775)", "Unlock it (Unlock-ADAccount) and find what keeps using an old password."),
        _ => return None,
    })
}

/// The name to bind with: DOMAIN\user and user@domain as given, a bare name as UPN.
pub fn bind_name(account: &str, domain: &str) -> String {
    let a = account.trim();
    if a.contains('\\') || a.contains('@') || a.contains('=') {
        a.to_string()
    } else {
        format!("{a}@{domain}")
    }
}

/// A simple bind, then a rootDSE read that confirms it (AD has no WhoAmI here) and gives
/// the naming contexts and the DC's clock. Returns (defaultNamingContext,
/// configurationNamingContext, evidence, currentTime as the DC gives it or "").
pub async fn bind(
    ctx: &Ctx,
    ldap: &mut Ldap,
    who: &str,
    password: &str,
    (target, at): (&str, (&str, u16)),
) -> Result<(String, String, Vec<String>, String), Finding> {
    let timeout = ctx.settings.timeout;
    let res = match ctx
        .within(ldap.with_timeout(timeout).simple_bind(who, password))
        .await
    {
        Err(_) | Ok(Err(LdapError::Timeout { .. })) => {
            return Err(super::super::timeout_finding_at(
                "ad-timeout",
                fields::checks::DC,
                &format!("The bind to {target}"),
                at,
                timeout,
            ))
        }
        Ok(Err(e)) => {
            return Err(Finding::error(
                "ad-bind-failed",
                fields::checks::BIND_ACCOUNT,
                format!(
                    "The bind as {who} to {target} failed: {}.",
                    super::super::chain(&e)
                ),
            )
            .why("Without a bind the directory cannot be checked.")
            .fix("Check that the domain controller answers LDAP."))
        }
        Ok(Ok(r)) => r,
    };
    if res.rc != 0 {
        let text = res.text.clone();
        let f = match bind_subcode(&text) {
            Some((id, what, fix)) => Finding::error(id, fields::checks::BIND_ACCOUNT, format!("The directory refused the bind as {who}: {what}."))
                .evidence(format!("LDAP result {} from {target}: {}", res.rc, text.trim()))
                .why("The checks read the directory as this account; the same failure stops MIM setup when it uses the account.")
                .fix(fix),
            None => Finding::error("ad-bind-refused", fields::checks::BIND_ACCOUNT, format!("The directory refused the bind as {who} (LDAP result {}).", res.rc))
                .evidence(format!("{target}: {}", text.trim()))
                .why("The checks read the directory as this account.")
                .fix(if text.contains("ransport encryption") || text.contains("strong") {
                    "The domain controller requires signing or encryption: choose LDAPS or StartTLS in the Live checks screen."
                } else {
                    "Check the account name (DOMAIN\\user or user@domain) and its password."
                }),
        };
        return Err(f);
    }
    let attrs = vec![
        "defaultNamingContext",
        "configurationNamingContext",
        "dnsHostName",
        "domainControllerFunctionality",
        "currentTime",
    ];
    let search =
        ldap.with_timeout(timeout)
            .search("", ldap3::Scope::Base, "(objectClass=*)", attrs);
    let entry = match ctx.within(search).await {
        Ok(Ok(r)) => r
            .success()
            .ok()
            .and_then(|(mut es, _)| es.pop())
            .map(ldap3::SearchEntry::construct),
        Ok(Err(_)) => None,
        Err(_) => {
            return Err(super::super::timeout_finding_at(
                "ad-timeout",
                fields::checks::DC,
                &format!("Reading the rootDSE of {target}"),
                at,
                timeout,
            ))
        }
    };
    let Some(e) = entry else {
        return Err(Finding::error("ad-bind-failed", fields::checks::DC, format!("{target} accepted the bind but its rootDSE cannot be read: is it a domain controller?"))
            .fix("Name a domain controller of the domain."));
    };
    let get = |a: &str| super::dir::text(&e, a).unwrap_or("").to_string();
    let base = get("defaultNamingContext");
    let config = get("configurationNamingContext");
    if base.is_empty() {
        return Err(Finding::error(
            "ad-not-a-dc",
            fields::checks::DC,
            format!("{target} answers LDAP but names no domain (no defaultNamingContext)."),
        )
        .fix("Name a domain controller of the domain."));
    }
    let mut evidence = vec![format!("bound as {who}"), format!("naming context {base}")];
    if !get("dnsHostName").is_empty() {
        evidence.push(format!("dnsHostName {}", get("dnsHostName")));
    }
    Ok((base, config, evidence, get("currentTime")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ad_bind_subcodes_are_recognised() {
        let t = "80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 52e, v1db1";
        assert_eq!(bind_subcode(t).map(|x| x.0), Some("ad-bind-bad-password"));
        for (code, id) in [
            ("533", "ad-bind-disabled"),
            ("532", "ad-bind-password-expired"),
            ("701", "ad-bind-account-expired"),
            ("773", "ad-bind-must-change"),
            ("775", "ad-bind-locked"),
            ("525", "ad-bind-no-such-user"),
        ] {
            let t = format!("AcceptSecurityContext error, data {code}, v1db1");
            assert_eq!(bind_subcode(&t).map(|x| x.0), Some(id), "{code}");
        }
        assert_eq!(bind_subcode("Invalid credentials"), None);
        assert_eq!(bind_subcode("data 999, v1"), None);
    }

    #[test]
    fn bind_names() {
        assert_eq!(
            bind_name(r"contoso\miminstall", "contoso.local"),
            r"contoso\miminstall"
        );
        assert_eq!(
            bind_name("miminstall@contoso.local", "x"),
            "miminstall@contoso.local"
        );
        assert_eq!(
            bind_name("miminstall", "contoso.local"),
            "miminstall@contoso.local"
        );
    }
}
