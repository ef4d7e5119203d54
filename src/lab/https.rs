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
use super::{read, Running, LOOPBACK};
use crate::secret::Secret;
use base64::Engine;
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
        return token(shared, &method, &path, &body);
    }
    if online.contains(&host) && path.eq_ignore_ascii_case("/EWS/Exchange.asmx") {
        return online_ews(shared, &method, &headers, &body);
    }
    answer(StatusCode::NOT_FOUND, &[], "not found")
}

/// Entra ID's error answer (the documented client-credentials error format).
fn entra_error(status: StatusCode, error: &str, code: u32, text: &str) -> Answer {
    let body = serde_json::json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {text} Trace ID: 00000000-0000-0000-0000-000000000000 Correlation ID: 00000000-0000-0000-0000-000000000000 Timestamp: 2026-01-01 00:00:00Z"),
        "error_codes": [code],
        "timestamp": "2026-01-01 00:00:00Z",
        "trace_id": "00000000-0000-0000-0000-000000000000",
        "correlation_id": "00000000-0000-0000-0000-000000000000",
        "error_uri": format!("https://login.microsoftonline.com/error?code={code}"),
    });
    answer(
        status,
        &[("Content-Type", "application/json; charset=utf-8")],
        body.to_string(),
    )
}

fn token(shared: &Shared, method: &hyper::Method, path: &str, body: &[u8]) -> Answer {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let [tenant_id, "oauth2", "v2.0", "token"] = segs.as_slice() else {
        return answer(StatusCode::NOT_FOUND, &[], "not found");
    };
    if method != hyper::Method::POST {
        return entra_error(
            StatusCode::METHOD_NOT_ALLOWED,
            "invalid_request",
            900561,
            "The endpoint only accepts POST requests.",
        );
    }
    let form: Vec<(String, String)> = url_form(body);
    let get = |k: &str| {
        form.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let Some(tenant) = shared
        .tenants
        .iter()
        .find(|t| t.id.eq_ignore_ascii_case(tenant_id))
    else {
        return entra_error(StatusCode::BAD_REQUEST, "invalid_request", 90002, &format!("Tenant '{tenant_id}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud."));
    };
    if get("grant_type") != "client_credentials" {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        );
    }
    if !get("client_id").eq_ignore_ascii_case(&tenant.app_id) {
        return entra_error(
            StatusCode::BAD_REQUEST,
            "unauthorized_client",
            700016,
            &format!(
                "Application with identifier '{}' was not found in the directory '{}'.",
                get("client_id"),
                tenant.id
            ),
        );
    }
    let wrong = read(&shared.faults).wrong_secret;
    if wrong || get("client_secret") != tenant.secret.expose() {
        return entra_error(StatusCode::UNAUTHORIZED, "invalid_client", 7000215, &format!("Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{}'.", tenant.app_id));
    }
    let scope = get("scope");
    let audience = scope.trim_end_matches("/.default");
    let access = jwt(tenant, audience);
    if let Ok(mut issued) = shared.issued.lock() {
        issued.insert((access.clone(), tenant.mailbox.to_ascii_lowercase()));
    }
    let body = serde_json::json!({
        "token_type": "Bearer",
        "expires_in": 3599,
        "ext_expires_in": 3599,
        "access_token": access,
    });
    answer(
        StatusCode::OK,
        &[("Content-Type", "application/json; charset=utf-8")],
        body.to_string(),
    )
}

/// An unsigned JWT (`alg: none`: the demo's token is read for its claims, never trusted
/// elsewhere), unique per request.
fn jwt(tenant: &Tenant, audience: &str) -> String {
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut nonce = [0u8; 16];
    let _ = rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut nonce);
    let header = serde_json::json!({"typ": "JWT", "alg": "none"});
    let claims = serde_json::json!({
        "aud": audience,
        "iss": format!("https://sts.windows.net/{}/", tenant.id),
        "tid": tenant.id,
        "appid": tenant.app_id,
        "roles": ["full_access_as_app"],
        "iat": now,
        "nbf": now,
        "exp": now + 3599,
        "uti": b64.encode(nonce),
    });
    format!(
        "{}.{}.",
        b64.encode(header.to_string()),
        b64.encode(claims.to_string())
    )
}

fn url_form(body: &[u8]) -> Vec<(String, String)> {
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            Some((decode(k), decode(v)))
        })
        .collect()
}

/// application/x-www-form-urlencoded decoding.
fn decode(s: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'+', _, _) => out.push(b' '),
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 2;
            }
            (b, _, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).to_string()
}

const SOAP_NS: &str = r#"xmlns:s="http://schemas.xmlsoap.org/soap/envelope/""#;
const M_T_NS: &str = r#"xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types""#;

fn soap(status: StatusCode, message: &str) -> Answer {
    let body = format!(
        r#"<?xml version="1.0" encoding="utf-8"?><s:Envelope {SOAP_NS}><s:Body><m:GetFolderResponse {M_T_NS}><m:ResponseMessages>{message}</m:ResponseMessages></m:GetFolderResponse></s:Body></s:Envelope>"#
    );
    answer(status, &[("Content-Type", "text/xml; charset=utf-8")], body)
}

fn online_ews(
    shared: &Shared,
    method: &hyper::Method,
    headers: &hyper::HeaderMap,
    body: &[u8],
) -> Answer {
    if method != hyper::Method::POST {
        return answer(StatusCode::METHOD_NOT_ALLOWED, &[], "");
    }
    let bearer = headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let xml = String::from_utf8_lossy(body);
    let asked = crate::check::mail::soap_element(&xml, "PrimarySmtpAddress").unwrap_or_default();
    let mailbox = shared.issued.lock().ok().and_then(|issued| {
        issued
            .iter()
            .find(|(t, _)| !bearer.is_empty() && t == bearer)
            .map(|(_, m)| m.clone())
    });
    let Some(mailbox) = mailbox else {
        return answer(
            StatusCode::UNAUTHORIZED,
            &[
                (
                    "x-ms-diagnostics",
                    r#"2000001;reason="The token is not valid.";error_category="invalid_token""#,
                ),
                ("WWW-Authenticate", "Bearer"),
            ],
            "",
        );
    };
    if !asked.eq_ignore_ascii_case(&mailbox) {
        return soap(
            StatusCode::OK,
            r#"<m:GetFolderResponseMessage ResponseClass="Error"><m:MessageText>The SMTP address has no mailbox associated with it.</m:MessageText><m:ResponseCode>ErrorNonExistentMailbox</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:GetFolderResponseMessage>"#,
        );
    }
    soap(
        StatusCode::OK,
        r#"<m:GetFolderResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Folders><t:Folder><t:FolderId Id="AAMkAGRlbW8taW5ib3g=" ChangeKey="AQAAABYAAAA="/></t:Folder></m:Folders></m:GetFolderResponseMessage>"#,
    )
}

#[cfg(test)]
#[path = "https_tests.rs"]
mod tests;
