//! The demo's web servers (hyper, TLS by tokio-rustls), one listener for every HTTPS name,
//! told apart by the Host header, and one plain HTTP listener for an `http://` SharePoint URL:
//!
//! - Exchange EWS (`/EWS/...` on the Exchange names): 401 asking for Negotiate and NTLM, with
//!   the X-FEServer header Exchange's front end adds;
//! - the OAuth 2.0 token endpoint of each cloud instance (`/{tenant}/oauth2/v2.0/token`,
//!   client credentials): a token whose `roles` hold `full_access_as_app`, or Entra ID's error
//!   answer with its AADSTS code (90002 unknown tenant, 700016 unknown application, 7000215
//!   wrong secret), in the documented JSON error format;
//! - Office 365 EWS (`/EWS/Exchange.asmx` on the Exchange Online names): a GetFolder answered
//!   with NoError for the tenant's mailbox with a token this server issued, else the SOAP
//!   error or the 401 with x-ms-diagnostics Exchange Online gives;
//! - the SharePoint site: 401 asking for Negotiate and NTLM.
//!
//! Its fault (`Faults`, switched while it runs): `wrong_secret`, the application's secret
//! changed on the server, so the one the profile gives is refused with AADSTS7000215.
mod entra;
mod ews;

use super::{read, Running, LOOPBACK};
use crate::secret::Secret;
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Request, Response, StatusCode};
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, RwLock};

/// The largest request body taken.
const MAX_BODY: usize = 1024 * 1024;

/// An application registered in a demo tenant, with the mailbox it may open.
#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub app_id: String,
    pub secret: Secret,
    pub mailbox: String,
}

/// What the server does wrong, switchable while it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    pub wrong_secret: bool,
}

pub struct Options {
    pub tls: Arc<rustls::ServerConfig>,
    pub tenants: Vec<Tenant>,
    /// Host names answered as Exchange (on-premises EWS).
    pub exchange: Vec<String>,
    /// Host names answered as the SharePoint site.
    pub sharepoint: Vec<String>,
}

/// The running listeners; they stop when dropped.
pub struct Server {
    https: Running,
    http: Running,
    faults: Arc<RwLock<Faults>>,
}

struct Shared {
    tenants: Vec<Tenant>,
    exchange: Vec<String>,
    sharepoint: Vec<String>,
    faults: Arc<RwLock<Faults>>,
    /// Tokens issued, each for (tenant, mailbox).
    issued: Mutex<BTreeSet<(String, String)>>,
}

/// The token endpoints' hosts and the Exchange Online hosts of every cloud instance.
pub fn cloud_hosts() -> (Vec<String>, Vec<String>) {
    let host = |u: &str| {
        reqwest::Url::parse(u)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default()
    };
    let mut authorities = Vec::new();
    let mut ews = Vec::new();
    for instance in ["global", "us-government", "china"] {
        let (authority, url, _) = crate::check::mail::cloud(instance);
        authorities.push(host(authority));
        ews.push(host(url));
    }
    (authorities, ews)
}

impl Server {
    /// Both listeners on 127.0.0.1, any free ports.
    pub fn start(opts: Options) -> Result<Server, String> {
        let faults = Arc::new(RwLock::new(Faults::default()));
        let shared = Arc::new(Shared {
            tenants: opts.tenants,
            exchange: opts
                .exchange
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            sharepoint: opts
                .sharepoint
                .iter()
                .map(|h| h.to_ascii_lowercase())
                .collect(),
            faults: faults.clone(),
            issued: Mutex::new(BTreeSet::new()),
        });
        let acceptor = tokio_rustls::TlsAcceptor::from(opts.tls);
        let s = shared.clone();
        let https = super::serve("HTTPS", LOOPBACK, 0, move |sock| {
            let (acceptor, shared) = (acceptor.clone(), s.clone());
            async move {
                match acceptor.accept(sock).await {
                    Ok(tls) => http1(tls, shared, true).await,
                    Err(e) => tracing::debug!("demo HTTPS: TLS handshake: {e}"),
                }
            }
        })?;
        let http = super::serve("HTTP", LOOPBACK, 0, move |sock| {
            let shared = shared.clone();
            async move { http1(sock, shared, false).await }
        })?;
        Ok(Server {
            https,
            http,
            faults,
        })
    }

    pub fn https_addr(&self) -> std::net::SocketAddr {
        self.https.addr
    }

    pub fn http_addr(&self) -> std::net::SocketAddr {
        self.http.addr
    }

    pub fn faults(&self) -> Arc<RwLock<Faults>> {
        self.faults.clone()
    }
}

async fn http1<S>(io: S, shared: Arc<Shared>, tls: bool)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let service = hyper::service::service_fn(move |req| {
        let shared = shared.clone();
        async move { Ok::<_, std::convert::Infallible>(handle(req, &shared, tls).await) }
    });
    if let Err(e) = hyper::server::conn::http1::Builder::new()
        .serve_connection(hyper_util::rt::TokioIo::new(io), service)
        .await
    {
        tracing::debug!("demo HTTP: {e}");
    }
}

type Answer = Response<Full<Bytes>>;

fn answer(status: StatusCode, headers: &[(&str, &str)], body: impl Into<Bytes>) -> Answer {
    let mut r = Response::new(Full::new(body.into()));
    *r.status_mut() = status;
    for (k, v) in headers {
        if let (Ok(k), Ok(v)) = (
            hyper::header::HeaderName::from_bytes(k.as_bytes()),
            hyper::header::HeaderValue::from_str(v),
        ) {
            r.headers_mut().append(k, v);
        }
    }
    r
}

fn windows_sign_in(extra: &[(&str, &str)]) -> Answer {
    let mut h = vec![
        ("WWW-Authenticate", "Negotiate"),
        ("WWW-Authenticate", "NTLM"),
        ("Content-Type", "text/plain; charset=utf-8"),
    ];
    h.extend_from_slice(extra);
    answer(StatusCode::UNAUTHORIZED, &h, "401 - Unauthorized")
}

async fn handle(req: Request<hyper::body::Incoming>, shared: &Shared, tls: bool) -> Answer {
    let host = req
        .headers()
        .get(hyper::header::HOST)
        .and_then(|h| h.to_str().ok())
        .or_else(|| req.uri().host())
        .unwrap_or("")
        .to_ascii_lowercase();
    let host = match host.rsplit_once(':') {
        Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => h.to_string(),
        _ => host,
    };
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let headers = req.headers().clone();
    let body = match Limited::new(req.into_body(), MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => return answer(StatusCode::PAYLOAD_TOO_LARGE, &[], "request body too large"),
    };
    let (authorities, online) = cloud_hosts();
    if shared.sharepoint.contains(&host) {
        return windows_sign_in(&[("MicrosoftSharePointTeamServices", "16.0.0.0")]);
    }
    if !tls {
        return answer(StatusCode::NOT_FOUND, &[], "not found");
    }
    if shared.exchange.contains(&host) {
        if path.to_ascii_lowercase().starts_with("/ews/") {
            return windows_sign_in(&[("X-FEServer", "CORPEX")]);
        }
        return answer(
            StatusCode::NOT_FOUND,
            &[("X-FEServer", "CORPEX")],
            "not found",
        );
    }
    if authorities.contains(&host) {
        return entra::token(shared, &method, &path, &body);
    }
    if online.contains(&host) && path.eq_ignore_ascii_case("/EWS/Exchange.asmx") {
        return ews::online_ews(shared, &method, &headers, &body);
    }
    answer(StatusCode::NOT_FOUND, &[], "not found")
}

#[cfg(test)]
mod tests;
