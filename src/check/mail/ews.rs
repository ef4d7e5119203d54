//! Options A and F, Exchange Server: `https://<server>/EWS/Exchange.asmx` answers over
//! verified TLS. Without credentials Exchange answers 401 and offers Negotiate and NTLM, the
//! Integrated Windows Authentication the MIM Service uses: that is alive. Any IIS server with
//! Windows authentication answers the same, so what only Exchange sends tells them apart: its
//! front-end headers (X-FEServer and the like), or else a path outside EWS that does not ask
//! for a sign-in. A 200 with an HTML page (a gateway's sign-in form) is not EWS either.
use super::{addresses, tls, Steps, SCREEN};
use crate::answers::Answers;
use crate::check::{ca_pems, chain, timeout_finding_url, Area, Ctx, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use crate::screens::fields;
use std::sync::Arc;

const FIELD: &str = fields::mail::SERVER;

pub fn probe(a: &Answers) -> Probe {
    let host = a.text(fields::mail::SERVER).trim().to_string();
    let h = host.clone();
    Probe::new(
        "mail.ews",
        Area::Mail,
        SCREEN,
        "Exchange Web Services",
        move |ctx| run(ctx, h),
    )
    .inputs(host)
}

/// An HTTPS client that verifies against the system's roots and --ca-file, resolves the
/// URL's host through the checks' resolver (so --dns counts), and keeps the server's
/// certificate for evidence. Follows no redirects.
pub(crate) async fn client_for(
    ctx: &Ctx,
    url: &reqwest::Url,
    check: &str,
    field: &str,
) -> Result<reqwest::Client, Finding> {
    let host = url.host_str().unwrap_or_default().to_string();
    let mut b = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(ctx.settings.timeout)
        .connect_timeout(ctx.settings.timeout)
        .tls_info(true)
        .user_agent(concat!("mim-setup/", env!("CARGO_PKG_VERSION")));
    for der in ca_pems(&ctx.settings).map_err(|e| e.into_finding(field))? {
        let cert = reqwest::Certificate::from_der(&der).map_err(|e| {
            Finding::error(
                "ca-file",
                field,
                format!("a certificate in the CA file cannot be used: {e}"),
            )
        })?;
        b = b.add_root_certificate(cert);
    }
    if host
        .trim_matches(['[', ']'])
        .parse::<std::net::IpAddr>()
        .is_err()
    {
        let port = url.port_or_known_default().unwrap_or(443);
        let addrs = addresses(ctx, check, field, (&host, port)).await?;
        b = b.resolve_to_addrs(&host, &addrs);
    }
    b.build()
        .map_err(|e| Finding::error(check, field, format!("cannot set up HTTPS: {}", chain(&e))))
}

/// The certificate the server presented, described.
pub(crate) fn peer_certificate(resp: &reqwest::Response) -> Option<String> {
    resp.extensions()
        .get::<reqwest::tls::TlsInfo>()
        .and_then(|i| i.peer_certificate())
        .map(tls::describe)
}

/// A finding for a failed request: certificate (with the certificate the server presented),
/// refused, timeout, or other.
pub(crate) async fn request_finding(
    ctx: &Ctx,
    check: &str,
    field: &str,
    url: &reqwest::Url,
    e: &reqwest::Error,
) -> Finding {
    let detail = chain(e);
    let host = url.host_str().unwrap_or_default().to_string();
    let shown = format!("{}://{host}{}", url.scheme(), url.path());
    if let Some(f) = tls::finding(
        &format!("{check}-certificate"),
        field,
        &shown,
        &host,
        &detail,
    ) {
        let port = url.port_or_known_default().unwrap_or(443);
        return certificate_finding(ctx, f, &detail, &host, port, tls::presented::Start::Tls).await;
    }
    let lower = detail.to_ascii_lowercase();
    if e.is_timeout() {
        timeout_finding_url(
            &format!("{check}-timeout"),
            field,
            &shown,
            url.as_str(),
            ctx.settings.timeout,
        )
        .evidence(detail)
    } else if lower.contains("refused") {
        Finding::unreached(&format!("{check}-refused"), field, format!("{shown}: the connection was refused."))
            .fix(format!("Check that the web server on {host} runs and listens on the port, and that no firewall rejects the connection (Test-NetConnection {host} -Port 443)."))
            .evidence(detail)
    } else {
        Finding::error(&format!("{check}-failed"), field, format!("{shown}: the request failed."))
            .fix("Open the URL from this server in a browser to see the error, and correct the server or the name.")
            .evidence(detail)
    }
}

/// Headers only Exchange's front end and back end add to an answer.
const EXCHANGE_HEADERS: [&str; 4] = [
    "x-feserver",
    "x-beserver",
    "x-calculatedbetarget",
    "x-diaginfo",
];

/// A path outside EWS that no server has: its status and URL, or None if it got no answer.
async fn control(ctx: &Ctx, client: &reqwest::Client, url: &reqwest::Url) -> Option<(u16, String)> {
    let nonce = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let mut other = url.clone();
    other.set_path(&format!("/mim-setup-{nonce:08x}-not-ews"));
    let shown = other.to_string();
    match ctx.within(client.get(other).send()).await {
        Ok(Ok(r)) => Some((r.status().as_u16(), shown)),
        _ => None,
    }
}

/// A certificate finding with what `host:port` presented and, for a certificate sent without
/// its intermediate, whether the intermediate published at its AIA address completes the
/// chain to a trusted root (as Windows would fetch it).
pub(crate) async fn certificate_finding(
    ctx: &Ctx,
    f: Finding,
    detail: &str,
    host: &str,
    port: u16,
    start: tls::presented::Start,
) -> Finding {
    let seen = presented(ctx, host, port, start).await;
    let completed = match &seen {
        Some(p) if p.intermediates == 0 && !p.self_issued => completes(ctx, p, host).await,
        _ => None,
    };
    tls::with_presented(f, detail, host, seen.as_ref(), completed.as_deref())
}

/// The AIA address whose certificate completes the chain of `p` to a root trusted here (the
/// CA file and the system's roots), if it does.
async fn completes(ctx: &Ctx, p: &tls::presented::Presented, host: &str) -> Option<String> {
    let url = reqwest::Url::parse(p.ca_issuers.as_deref()?).ok()?;
    let client = client_for(ctx, &url, "", "").await.ok()?;
    let fetch = async { client.get(url.clone()).send().await?.bytes().await };
    let bytes = ctx.within(fetch).await.ok()?.ok()?;
    let der = if bytes.starts_with(b"-----BEGIN") {
        rustls_pemfile::certs(&mut bytes.as_ref())
            .next()?
            .ok()?
            .to_vec()
    } else {
        bytes.to_vec()
    };
    let mut roots = ca_pems(&ctx.settings).unwrap_or_default();
    if let Ok(native) = rustls_native_certs06::load_native_certs() {
        roots.extend(native.into_iter().map(|c| c.0));
    }
    tls::presented::chains_with(&p.leaf, &der, host, &roots).then(|| url.to_string())
}

/// The certificates `host:port` presents, within the time limit.
pub(crate) async fn presented(
    ctx: &Ctx,
    host: &str,
    port: u16,
    start: tls::presented::Start,
) -> Option<tls::presented::Presented> {
    let addr = *addresses(ctx, "", "", (host, port)).await.ok()?.first()?;
    let (h, limit) = (host.to_string(), ctx.settings.timeout);
    let job = tokio::task::spawn_blocking(move || tls::presented::read(addr, &h, start, limit));
    ctx.within(job).await.ok()?.ok()?
}

async fn run(ctx: Arc<Ctx>, host: String) -> ProbeOutput {
    let mut steps = Steps::new();
    let url_text = format!("https://{host}/EWS/Exchange.asmx");
    let title = format!("Exchange Web Services {url_text}");
    let id = "mail-ews";
    let found = |f: Finding| Outcome::found(id, Area::Mail, SCREEN, title.clone(), vec![f]);
    let url = match reqwest::Url::parse(&url_text) {
        Ok(u) => u,
        Err(e) => {
            steps.push(found(
                Finding::error(
                    "mail-ews-url",
                    FIELD,
                    format!("`{host}` does not make a URL ({e})."),
                )
                .fix("Give the Exchange server's host name, e.g. mail.contoso.com."),
            ));
            return steps.done();
        }
    };
    let client = match client_for(&ctx, &url, "mail-ews-dns", FIELD).await {
        Ok(c) => c,
        Err(f) => {
            steps.push(found(f));
            return steps.done();
        }
    };
    let why = "The MIM Service sends notifications and reads approval answers through Exchange Web Services at this address; setup's mail check fails when it cannot reach it.";
    let resp = match ctx.within(client.get(url.clone()).send()).await {
        Err(_) => {
            steps.push(found(
                timeout_finding_url(
                    "mail-ews-timeout",
                    FIELD,
                    &url_text,
                    url.as_str(),
                    ctx.settings.timeout,
                )
                .evidence("no HTTP answer"),
            ));
            return steps.done();
        }
        Ok(Err(e)) => {
            steps.push(found(
                request_finding(&ctx, "mail-ews", FIELD, &url, &e)
                    .await
                    .why(why),
            ));
            return steps.done();
        }
        Ok(Ok(r)) => r,
    };
    let status = resp.status().as_u16();
    let auth: Vec<String> = resp
        .headers()
        .get_all("www-authenticate")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(str::to_string)
        .collect();
    let server = resp
        .headers()
        .get("server")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let exchange: Vec<String> = EXCHANGE_HEADERS
        .iter()
        .filter_map(|h| {
            let v = resp.headers().get(*h)?.to_str().ok()?;
            Some(format!("{h}: {v}"))
        })
        .collect();
    let (ctype, via, location) = (
        super::office365::header(&resp, "content-type"),
        super::office365::header(&resp, "via"),
        super::office365::header(&resp, "location"),
    );
    let cert = peer_certificate(&resp).unwrap_or_else(|| "no certificate seen".into());
    let mut evidence = vec![
        format!("HTTP {status}"),
        format!(
            "WWW-Authenticate: {}",
            if auth.is_empty() {
                "none".to_string()
            } else {
                auth.join(", ")
            }
        ),
        cert.clone(),
    ];
    if !server.is_empty() {
        evidence.insert(1, format!("Server: {server}"));
    }
    steps.fact("mail.ews.status", status.to_string());
    steps.fact("mail.ews.certificate", cert);
    let iwa = auth.iter().any(|a| {
        let s = a
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        s == "negotiate" || s == "ntlm"
    });
    let page = if status == 200 {
        let body = match ctx.within(resp.text()).await {
            Ok(Ok(t)) => t,
            _ => String::new(),
        };
        super::foreign::html_page(&ctype, &body)
    } else {
        None
    };
    if !exchange.is_empty() {
        evidence.push(exchange.join(", "));
    }
    let elsewhere = if status == 401 && iwa && exchange.is_empty() {
        control(&ctx, &client, &url).await
    } else {
        None
    };
    let mut o = match status {
        401 if iwa && elsewhere.as_ref().is_some_and(|(s, _)| *s == 401) => {
            let (_, shown) = elsewhere.unwrap_or_default();
            found(Finding::error("mail-ews-not-exchange", FIELD, format!("{host} asks for Windows sign-in on every path, and no answer carries a header only Exchange sends: nothing shows that this is Exchange Web Services."))
                .why(why)
                .fix(format!("Give the name of the Exchange server (2013 or later) or of its load balancer; {host} may be another IIS server with Windows authentication (a SharePoint or MIM Portal server)."))
                .evidence(format!("{url_text} and {shown} both answer 401 with Negotiate/NTLM; none of {} in the answer", EXCHANGE_HEADERS.join(", "))))
        }
        401 if iwa => {
            let how = if exchange.is_empty() { "; no Exchange header (a load balancer may strip them), but other paths answer otherwise" } else { "" };
            Outcome::ok(id, Area::Mail, SCREEN, title.clone(), format!("{url_text} answers 401 with Integrated Windows Authentication: alive{how}"))
        }
        200 if page.is_some() => {
            let seen = page.as_ref().map(|p| super::foreign::describe(p, status, &server, &via)).unwrap_or_default();
            found(Finding::error("mail-ews-not-ews", FIELD, format!("{url_text} answers with {seen} instead of Exchange Web Services."))
                .why("The MIM Service's EWS client gets this page instead of a SOAP answer, and fails; Exchange itself asks EWS clients to authenticate (401), it never answers with a web page. A reverse proxy or pre-authentication gateway in front of Exchange does.")
                .fix(format!("Give the MIM Service a name that reaches Exchange without the gateway (the internal Exchange server or load balancer), or exempt /EWS/ from pre-authentication on the gateway whose page this is ({seen}).")))
        }
        401 => found(Finding::error("mail-ews-no-iwa", FIELD, format!("{url_text} does not offer Integrated Windows Authentication (Negotiate or NTLM)."))
            .why("The MIM Service signs in to Exchange Web Services with Integrated Windows Authentication; without Negotiate or NTLM on the EWS virtual directory it cannot.")
            .fix("Enable Windows authentication on the EWS virtual directory (Set-WebServicesVirtualDirectory -WindowsAuthentication $true).")),
        200 => found(Finding::warning("mail-ews-anonymous", FIELD, format!("{url_text} answers without asking for credentials."))
            .why("Exchange asks every EWS client to authenticate; an anonymous answer suggests this is not Exchange, or a proxy in front of it.")
            .fix("Check that the name points at the Exchange server (or its load balancer) and not at another web server.")),
        404 => found(Finding::error("mail-ews-not-found", FIELD, format!("{url_text} does not exist (404): no Exchange Web Services here."))
            .why(why)
            .fix("Give the name of an Exchange server (2013 or later) with the EWS virtual directory, or of its load balancer.")),
        300..=399 => found(Finding::error("mail-ews-redirect", FIELD, format!("{url_text} redirects elsewhere (HTTP {status})."))
            .why(why)
            .fix("Give the host name EWS answers on directly (check the redirect target)")
            .evidence(format!("Location: {}", if location.is_empty() { "none" } else { &location }))),
        _ => found(Finding::error("mail-ews-status", FIELD, format!("{url_text} answers HTTP {status}."))
            .why(why)
            .fix("Check the Exchange server's health (Test-ServiceHealth, the MSExchangeServicesAppPool application pool) and its logs.")),
    };
    for e in evidence {
        o = o.with_evidence(e);
    }
    steps.push(o);
    steps.done()
}
