//! HTTPS for the checks: verified TLS with the system's roots plus `--ca-file`, and findings
//! that tell a refused connection from a certificate problem.
use super::Settings;
use crate::finding::Finding;

/// Why no client could be made (an unreadable CA file).
#[derive(Debug)]
pub struct CaFileError(pub String);

impl CaFileError {
    pub fn into_finding(self, field: &str) -> Finding {
        Finding::error("ca-file", field, self.0)
            .why("Without the CA that issued the servers' certificates nothing can be verified.")
            .fix("Give a readable PEM file with --ca-file (or MIM_SETUP_CA_FILE), or leave it out to use this computer's trusted roots.")
    }
}

/// Reads the extra trusted CAs.
pub fn ca_pems(settings: &Settings) -> Result<Vec<Vec<u8>>, CaFileError> {
    let Some(path) = &settings.ca_file else {
        return Ok(Vec::new());
    };
    let bytes = std::fs::read(path)
        .map_err(|e| CaFileError(format!("cannot read the CA file {}: {e}", path.display())))?;
    let mut out = Vec::new();
    for item in rustls_pemfile::certs(&mut bytes.as_slice()) {
        let der = item.map_err(|e| {
            CaFileError(format!(
                "{}: not a PEM certificate file: {e}",
                path.display()
            ))
        })?;
        out.push(der.to_vec());
    }
    if out.is_empty() {
        return Err(CaFileError(format!(
            "{} holds no certificate",
            path.display()
        )));
    }
    Ok(out)
}

/// Host names resolved by the checks' resolver, so that `--dns` holds for HTTP too.
struct CheckResolver(hickory_resolver::TokioAsyncResolver);

impl reqwest::dns::Resolve for CheckResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let r = self.0.clone();
        Box::pin(async move {
            let fq = format!("{}.", name.as_str().trim_end_matches('.'));
            let ips = r.lookup_ip(fq).await?;
            let addrs: Vec<std::net::SocketAddr> = ips
                .iter()
                .map(|ip| std::net::SocketAddr::new(ip, 0))
                .collect();
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

/// The checks' HTTPS client for `url`: `tls_http_client` reaching its host and port through
/// the address book (the one seam), else resolving names as the other checks do.
pub fn http_client(ctx: &super::Ctx, url: &str) -> Result<reqwest::Client, CaFileError> {
    let mut b = builder(&ctx.settings)?
        .dns_resolver(std::sync::Arc::new(CheckResolver(ctx.resolver.clone())));
    if let Some((host, port)) = reqwest::Url::parse(url.trim())
        .ok()
        .and_then(|u| Some((u.host_str()?.to_string(), u.port_or_known_default()?)))
    {
        if let Some(addr) = ctx.booked(&host, port) {
            b = b.resolve(&host, addr);
        }
    }
    b.build()
        .map_err(|e| CaFileError(format!("cannot set up HTTPS: {e}")))
}

/// A client that verifies certificates against the built-in roots and the CA file, follows
/// no redirects (the first answer is the evidence) and never sends credentials.
pub fn tls_http_client(settings: &Settings) -> Result<reqwest::Client, CaFileError> {
    builder(settings)?
        .build()
        .map_err(|e| CaFileError(format!("cannot set up HTTPS: {e}")))
}

fn builder(settings: &Settings) -> Result<reqwest::ClientBuilder, CaFileError> {
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .user_agent(concat!("mim-setup/", env!("CARGO_PKG_VERSION")));
    for der in ca_pems(settings)? {
        let cert = reqwest::Certificate::from_der(&der).map_err(|e| {
            CaFileError(format!("a certificate in the CA file cannot be used: {e}"))
        })?;
        b = b.add_root_certificate(cert);
    }
    Ok(b)
}

/// The whole chain of an error, for evidence.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        let t = c.to_string();
        if !s.contains(&t) {
            s.push_str(": ");
            s.push_str(&t);
        }
        cur = c.source();
    }
    s
}

/// A finding for a failed HTTP request: refused, certificate, name, or other.
pub fn http_error_finding(check: &str, field: &str, url: &str, e: &reqwest::Error) -> Finding {
    let detail = chain(e);
    let lower = detail.to_lowercase();
    let f = if lower.contains("certificate")
        || lower.contains("unknownissuer")
        || lower.contains("notvalidforname")
    {
        Finding::error(check, field, format!("{url}: the server's certificate is not trusted or not for this name."))
            .fix("Give the server a certificate from a CA this computer trusts, issued for the name in the URL (or pass the issuing CA with --ca-file).")
    } else if lower.contains("refused") {
        Finding::unreached(check, field, format!("{url}: the connection was refused."))
            .fix("Check that the server runs and listens on that port, and that no firewall rejects the connection.")
    } else if lower.contains("dns") || lower.contains("resolve") || lower.contains("lookup") {
        Finding::error(
            check,
            field,
            format!("{url}: the host name does not resolve."),
        )
        .fix("Correct the host in the URL, or add an A record for it in DNS.")
    } else if e.is_timeout() {
        Finding::unreached(check, field, format!("{url}: no answer in time."))
            .fix("Check that the server runs and that the port is open between this server and it.")
    } else {
        Finding::error(check, field, format!("{url}: the request failed."))
            .fix("Open the URL from this server in a browser to see the error, and correct the server or the URL.")
    };
    f.evidence(detail)
}
