//! Network addresses of the Service and Portal flow: mail addresses and user principal names,
//! the Azure AD tenant, http(s) URLs (the SSPR portals, the SharePoint site collection) and
//! the MIM Service address the portals use.
//!
//! ```text
//!   http(s)://host[:port][/path]     host: RFC 1123 name, IPv4, or [IPv6]
//!   local@domain                     domain: a host name with a dot
//! ```
use super::ids::guid_problem;
use super::names::{hostname, hostname_problem};
use super::{first_bad_char, FieldCtx};
use crate::finding::Finding;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The parts of an `http://` or `https://` URL.
pub(super) struct HttpUrl<'a> {
    pub(super) host: &'a str,
    /// The port given, else 80 for http and 443 for https.
    pub(super) port: u16,
    /// The port as the URL gives it (None: the scheme's default).
    pub(super) given_port: Option<u16>,
    pub(super) path: &'a str,
}

/// Parses `http(s)://host[:port][/path]`; the error is the evidence of what is wrong.
pub(super) fn parse_http_url(v: &str) -> Result<HttpUrl<'_>, String> {
    let Some((scheme, rest)) = v.split_once("://") else {
        return Err(format!("'{v}' does not start with http:// or https://"));
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!(
            "scheme '{scheme}'; only http and https are allowed"
        ));
    }
    let (authority, path) = match rest.find(['/', '?', '#']) {
        Some(i) => rest.split_at(i),
        None => (rest, ""),
    };
    if authority.contains('@') {
        return Err(format!("'{authority}' holds a user name before the host"));
    }
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let (inside, after) = bracketed
            .split_once(']')
            .ok_or_else(|| format!("'{authority}' opens [ without closing it"))?;
        if inside.parse::<Ipv6Addr>().is_err() {
            return Err(format!("'{inside}' is not an IPv6 address"));
        }
        match after {
            "" => (inside, None),
            _ => match after.strip_prefix(':') {
                Some(p) => (inside, Some(p)),
                None => return Err(format!("'{after}' follows the IPv6 address")),
            },
        }
    } else {
        let (h, p) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if let Some(e) = hostname_problem(h) {
            return Err(format!("host '{h}': {e}"));
        }
        (h, p)
    };
    let port = match port {
        Some(p) => Some(
            port_number(p).ok_or_else(|| format!("port '{p}' is not a number from 1 to 65535"))?,
        ),
        None => None,
    };
    if let Some(bad) = first_bad_char(path, |c| {
        c.is_whitespace() || c.is_control() || super::invisible(c)
    }) {
        return Err(format!("the path '{path}' has a {bad}"));
    }
    let given_port = port;
    let port = match port {
        Some(p) => p,
        None if scheme.eq_ignore_ascii_case("https") => 443,
        None => 80,
    };
    Ok(HttpUrl {
        host,
        port,
        given_port,
        path,
    })
}

/// The host and port (80 or 443 when none is given) of a valid http(s) URL.
pub(super) fn url_host_port(v: &str) -> Option<(&str, u16)> {
    parse_http_url(v).ok().map(|u| (u.host, u.port))
}

/// A TCP port: digits only, no leading zero, 1 to 65535.
pub(super) fn port_number(p: &str) -> Option<u16> {
    if p.is_empty() || p.starts_with('0') || !p.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

/// The SSPR portals' addresses: an http or https URL with a valid host and an optional port.
pub fn http_url(ctx: &FieldCtx) -> Vec<Finding> {
    match parse_http_url(ctx.text()) {
        Ok(_) => vec![],
        Err(evidence) => vec![Finding::error("http-url", ctx.path, "This is not an http:// or https:// address.")
            .why("Users' browsers are sent to this address; a malformed one leaves them on an error page instead of the password portal.")
            .fix("Give the portal's full address, for example http://CorpIDM.contoso.local:8080.")
            .evidence(evidence)],
    }
}

/// True for the names of this computer itself: `localhost`, `*.localhost`, 127.0.0.0/8, ::1.
fn is_loopback(host: &str) -> bool {
    let h = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    h == "localhost"
        || h.ends_with(".localhost")
        || h.parse::<Ipv4Addr>().is_ok_and(|a| a.is_loopback())
        || h.parse::<Ipv6Addr>().is_ok_and(|a| a.is_loopback())
}

/// The SharePoint site collection: an http(s) URL whose host every client can reach by name,
/// without the portal's own `/identitymanagement` path, which setup adds itself.
pub fn sharepoint_url(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let url = match parse_http_url(v) {
        Ok(url) => url,
        Err(evidence) => return vec![Finding::error("sharepoint-url", ctx.path, "This is not an http:// or https:// address.")
            .why("Setup creates the MIM Portal in this SharePoint site collection (SHAREPOINT_URL) and checks that the site exists; a malformed address stops setup.")
            .fix("Give the site collection's URL, for example http://CorpIDM.contoso.local.")
            .evidence(evidence)],
    };
    if is_loopback(url.host) {
        return vec![Finding::error("sharepoint-localhost", ctx.path, "The SharePoint site collection URL points to localhost. Make sure to replace http://localhost with a proper value.")
            .why("Every client reaches the MIM Portal by this name: on any other computer, localhost is that computer, not this server. The Kerberos service principal names (http/<portal name>) and the Local intranet zone are set for the real name too, so sign-in fails even on this server.")
            .fix("Give the URL with the name clients use for the portal, for example http://CorpIDM.contoso.local (a DNS A record, not a CNAME).")
            .evidence(format!("host '{}'", url.host))];
    }
    let trimmed = url.path.trim_end_matches('/');
    let lower = trimmed.to_ascii_lowercase();
    if let Some(site) = lower
        .strip_suffix("/identitymanagement")
        .map(|rest| &trimmed[..rest.len()])
    {
        let base_len = v.len() - url.path.len();
        let site_url = format!("{}{site}", &v[..base_len]);
        return vec![Finding::error("sharepoint-url-portal-path", ctx.path, "Give the site collection URL without /IdentityManagement: setup adds it itself.")
            .why("Setup installs the portal under the site collection as .../identitymanagement; with the path given here too, the portal would end up at .../identitymanagement/identitymanagement, where nobody looks for it.")
            .fix(format!("Give {site_url}."))
            .evidence(format!("the path is '{}'", url.path))];
    }
    vec![]
}

/// The MIM Service address the portals use: a host name (a load-balancer name is fine), not a
/// URL and not host:port.
pub fn service_address(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let why = "Setup makes the MIM Service's endpoint addresses from this name itself (http://<name>:5725 and :5726); with a URL or a port here they point nowhere and the portal cannot reach the MIM Service.";
    if let Some((_, after)) = v.split_once("://") {
        let host = after.split(['/', ':', '?', '#']).next().unwrap_or_default();
        let fix = match hostname_problem(host) {
            None => format!("Give {host}."),
            Some(_) => "Give the MIM Service's host name only, for example CorpIDM.contoso.local."
                .to_string(),
        };
        return vec![Finding::error(
            "service-address-url",
            ctx.path,
            "Give the host name, not a URL.",
        )
        .why(why)
        .fix(fix)
        .evidence(format!("'{v}' is a URL"))];
    }
    if let Some((host, port)) = v.rsplit_once(':') {
        if !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()) {
            return vec![Finding::error(
                "service-address-port",
                ctx.path,
                "Give the host name without a port.",
            )
            .why(why)
            .fix(format!(
                "Give {host}; the MIM Service's ports are 5725 and 5726, and setup adds them."
            ))
            .evidence(format!("port '{port}'"))];
        }
    }
    hostname(ctx)
}

/// Why `v` is not a `local@domain` address, or None when it is one.
fn address_problem(v: &str) -> Option<String> {
    let Some((local, domain)) = v.rsplit_once('@') else {
        if v.contains('\\') {
            return Some(format!("'{v}' is DOMAIN\\name, with no @"));
        }
        return Some(format!("'{v}' has no @"));
    };
    if local.contains('@') {
        return Some(format!("'{v}' has more than one @"));
    }
    if local.is_empty() {
        return Some("nothing before the @".into());
    }
    if local.chars().count() > 64 {
        return Some(format!(
            "{} characters before the @; at most 64 are allowed",
            local.chars().count()
        ));
    }
    if let Some(bad) = first_bad_char(local, |c| {
        !(c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c))
    }) {
        return Some(format!("{bad} in '{local}'"));
    }
    if local.starts_with('.') || local.ends_with('.') || local.contains("..") {
        return Some(format!(
            "'{local}' starts or ends with a dot, or has two in a row"
        ));
    }
    if let Some(problem) = hostname_problem(domain) {
        return Some(format!("domain '{domain}': {problem}"));
    }
    if !domain.contains('.') || domain.ends_with('.') {
        return Some(format!("domain '{domain}' is not a domain name with a dot"));
    }
    if v.len() > 254 {
        return Some(format!("{} characters; at most 254 are allowed", v.len()));
    }
    None
}

/// The MIM Service mailbox: a well-formed SMTP address.
pub fn email_address(ctx: &FieldCtx) -> Vec<Finding> {
    match address_problem(ctx.text()) {
        None => vec![],
        Some(evidence) => vec![Finding::error("email-address", ctx.path, "This is not an SMTP address.")
            .why("The MIM Service sends notifications from this mailbox and reads approval responses in it (SERVICE_ACCOUNT_EMAIL); no mailbox has a malformed address, so mail fails after setup.")
            .fix("Give the mailbox's SMTP address, for example MIMService@contoso.com (Office 365: MIMService@contoso.onmicrosoft.com).")
            .evidence(evidence)],
    }
}

/// The Azure AD user setup signs in with: a user principal name.
pub fn upn(ctx: &FieldCtx) -> Vec<Finding> {
    match address_problem(ctx.text()) {
        None => vec![],
        Some(evidence) => vec![Finding::error("upn", ctx.path, "This is not a user principal name.")
            .why("Setup signs in to the tenant as this user to check for an Azure AD Premium subscription; Azure AD takes the user principal name (name@domain) only.")
            .fix("Give the user's sign-in name, for example miminstall@contoso.onmicrosoft.com.")
            .evidence(evidence)],
    }
}

/// The tenant: a domain name with a dot (contoso.onmicrosoft.com), or the Tenant ID (a GUID).
pub fn tenant(ctx: &FieldCtx) -> Vec<Finding> {
    let v = ctx.text();
    let err = |message: &str, fix: String, evidence: String| {
        vec![Finding::error("tenant", ctx.path, message)
            .why("Setup signs in to this tenant to find its Azure AD Premium subscription; a value that names no tenant fails the check.")
            .fix(fix)
            .evidence(evidence)]
    };
    let guid_like = v.chars().count() >= 30
        && v.chars()
            .all(|c| c.is_ascii_hexdigit() || "-{}".contains(c));
    if guid_like {
        return match guid_problem(v) {
            None => vec![],
            Some(problem) => err(
                "This is not a Tenant ID.",
                problem.fix.unwrap_or_else(|| "Give the Tenant ID as Azure AD shows it (Overview), for example 9188040d-6c67-4c5b-b112-36a304b66dad.".into()),
                problem.evidence,
            ),
        };
    }
    if let Some((_, domain)) = v.rsplit_once('@') {
        return err(
            "Give the tenant's domain, not a user.",
            format!("Give {domain}; the user goes in the next field."),
            format!("'{v}' is a user name"),
        );
    }
    if let Some((_, after)) = v.split_once("://") {
        let host = after.split(['/', ':']).next().unwrap_or_default();
        return err(
            "Give the tenant's domain, not a URL.",
            format!("Give {host}."),
            format!("'{v}' is a URL"),
        );
    }
    let fix = "Give the tenant's initial domain (contoso.onmicrosoft.com), a verified domain, or the Tenant ID (a GUID).".to_string();
    if let Some(problem) = hostname_problem(v) {
        return err("This is not a domain name.", fix, problem);
    }
    if !v.contains('.') || v.ends_with('.') {
        return err(
            "A tenant domain has a dot.",
            fix,
            format!("'{v}' has no dot"),
        );
    }
    vec![]
}
