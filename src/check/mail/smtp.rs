//! Option D, SMTP: connect, greeting, EHLO, STARTTLS (verified), AUTH, and whether the
//! server takes the MIM Service mailbox as sender and recipient (MAIL FROM, RCPT TO, RSET:
//! nothing is sent).
//!
//! Port: setup asks for a host only (MAIL_SERVER) and the MIM Service's SMTP client uses the
//! standard SMTP port, 25, upgrading with STARTTLS when MAIL_SERVER_USE_SSL is on; so 25 is
//! what is checked. `MIM_SETUP_SMTP_PORT` checks another port (a relay on 587, a test server).
//!
//! AUTH: the MIM Service authenticates with Integrated Windows Authentication as its own
//! account. Where the server offers AUTH LOGIN or PLAIN (Exchange does on authenticated
//! receive connectors), the check signs in as DOMAIN\name with the account's password
//! (`mim_service.password`): that proves the account and password the service will use.
use super::{resolve, Steps, SCREEN};
use crate::answers::Answers;
use crate::check::{chain, timeout_finding, Area, Ctx, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use std::net::SocketAddr;
use std::sync::Arc;

mod session;
mod tap;

use crate::screens::fields;
use session::{auth, sender, starttls};

pub const DEFAULT_PORT: u16 = 25;

#[derive(Debug, Clone)]
struct Target {
    host: String,
    use_ssl: bool,
    email: String,
    account: String,
}

pub fn probe(a: &Answers) -> Probe {
    let t = Target {
        host: a.text(fields::mail::SERVER).trim().to_string(),
        use_ssl: a.flag(fields::mail::USE_SSL),
        email: a.text(fields::mim_service::EMAIL).trim().to_string(),
        account: format!(
            "{}\\{}",
            a.text(fields::mim_service::DOMAIN).trim(),
            a.text(fields::mim_service::NAME).trim()
        ),
    };
    let inputs = format!("{t:?}");
    Probe::new("mail.smtp", Area::Mail, SCREEN, "SMTP server", move |ctx| {
        run(ctx, t)
    })
    .inputs(inputs)
}

fn port() -> Result<u16, String> {
    match std::env::var("MIM_SETUP_SMTP_PORT") {
        Err(_) => Ok(DEFAULT_PORT),
        Ok(v) => v.trim().parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
            format!("MIM_SETUP_SMTP_PORT=`{v}` is not a TCP port: give a number from 1 to 65535, or unset it for 25")
        }),
    }
}

/// The name this computer gives in EHLO.
fn hello_name() -> ClientId {
    let name = std::env::var("COMPUTERNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|s| s.trim().to_string())
        .filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        })
        .unwrap_or_else(|| "localhost".to_string());
    ClientId::Domain(name)
}

const ID: &str = "mail-smtp";
const FIELD: &str = fields::mail::SERVER;

fn found(id: &str, title: &str, f: Finding) -> Outcome {
    Outcome::found(id, Area::Mail, SCREEN, title, vec![f])
}

async fn run(ctx: Arc<Ctx>, t: Target) -> ProbeOutput {
    let mut steps = Steps::new();
    let port = match port() {
        Ok(p) => p,
        Err(e) => {
            steps.push(found(
                ID,
                "SMTP server",
                Finding::error("mail-smtp-port", FIELD, e)
                    .why("The check cannot choose the port to reach the mail server on.")
                    .fix("Unset MIM_SETUP_SMTP_PORT, or set it to a port number."),
            ));
            return steps.done();
        }
    };
    let title = format!("SMTP server {}:{port}", t.host);
    let tls_title = "SMTP STARTTLS";
    let auth_title = "SMTP AUTH as the MIM Service account";
    let sender_title = "SMTP sender and recipient (the MIM Service mailbox)";
    let mut conn = match connect(&ctx, &t, port, &title, &mut steps).await {
        Some(c) => c,
        None => {
            steps.not_reached("mail-smtp-tls", SCREEN, tls_title);
            steps.not_reached("mail-smtp-auth", "mim_service", auth_title);
            steps.not_reached("mail-smtp-sender", "mim_service", sender_title);
            return steps.done();
        }
    };
    starttls(&ctx, &t, &mut conn, tls_title, &mut steps).await;
    if steps.failed() {
        steps.not_reached("mail-smtp-auth", "mim_service", auth_title);
        steps.not_reached("mail-smtp-sender", "mim_service", sender_title);
        // Dropped, not aborted: after a failed TLS upgrade lettre's stream is gone, and
        // writing QUIT to it would trip its debug assertion.
        drop(conn);
        return steps.done();
    }
    auth(&ctx, &t, &mut conn, auth_title, &mut steps).await;
    if steps.failed() {
        steps.not_reached("mail-smtp-sender", "mim_service", sender_title);
    } else {
        sender(&ctx, &t, &mut conn, sender_title, &mut steps).await;
    }
    let _ = ctx.within(conn.quit()).await;
    steps.done()
}

/// TCP, the greeting and EHLO.
async fn connect(
    ctx: &Ctx,
    t: &Target,
    port: u16,
    title: &str,
    steps: &mut Steps,
) -> Option<AsyncSmtpConnection> {
    let addrs = match resolve(ctx, "mail-smtp-dns", FIELD, &t.host).await {
        Ok(a) => a,
        Err(f) => {
            steps.push(found(ID, title, f));
            return None;
        }
    };
    let mut last = None;
    let mut stream = None;
    for ip in &addrs {
        let addr = SocketAddr::new(*ip, port);
        match ctx.within(tokio::net::TcpStream::connect(addr)).await {
            Ok(Ok(s)) => {
                stream = Some((s, addr));
                break;
            }
            Ok(Err(e)) => last = Some((addr, Some(e))),
            Err(_) => last = Some((addr, None)),
        }
    }
    let Some((stream, addr)) = stream else {
        let f = match last {
            Some((addr, Some(e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => Finding::error("mail-smtp-refused", FIELD, format!("{}:{port} refused the connection.", t.host))
                .evidence(format!("connecting to {addr}: {e}"))
                .why("The MIM Service sends its notifications through this server; nothing listens on the SMTP port, so no mail would leave.")
                .fix(format!("Check that the SMTP service runs on {} and listens on port {port} (Test-NetConnection {} -Port {port}), and that no firewall rejects the connection.", t.host, t.host)),
            Some((addr, Some(e))) => Finding::error("mail-smtp-unreachable", FIELD, format!("{}:{port} cannot be reached.", t.host))
                .evidence(format!("connecting to {addr}: {e}"))
                .why("The MIM Service sends its notifications through this server.")
                .fix("Check the route and firewalls between this server and the mail server."),
            _ => timeout_finding("mail-smtp-timeout", FIELD, &format!("Connecting to {}:{port}", t.host), ctx.settings.timeout),
        };
        steps.push(found(ID, title, f));
        return None;
    };
    let (tap, seen) = tap::Tap::new(stream);
    let result = ctx
        .within(AsyncSmtpConnection::connect_with_transport(
            Box::new(tap),
            &hello_name(),
        ))
        .await;
    let greeting = tap::responses(&seen);
    let banner = greeting.first().cloned().unwrap_or_default();
    match result {
        Err(_) => {
            let what = if banner.is_empty() {
                format!(
                    "{}:{port} accepted the connection but sent no SMTP greeting",
                    t.host
                )
            } else {
                format!("{}:{port} greeted but did not answer EHLO", t.host)
            };
            steps.push(found(
                ID,
                title,
                timeout_finding("mail-smtp-timeout", FIELD, &what, ctx.settings.timeout).evidence(
                    format!("connected to {addr}; greeting: {}", or_none(&banner)),
                ),
            ));
            None
        }
        Ok(Err(e)) => {
            let f = if banner.is_empty() {
                Finding::error("mail-smtp-closed", FIELD, format!("{}:{port} closed the connection without an SMTP greeting.", t.host))
                    .fix("Check that this port is served by the SMTP service (Exchange: a receive connector bound to it) and that the server is not refusing this client's address.")
            } else if !banner.starts_with('2') {
                Finding::error("mail-smtp-rejected", FIELD, format!("{}:{port} refused the session: {banner}", t.host))
                    .fix("Allow this server's address on the SMTP server (Exchange: the receive connector's RemoteIPRanges).")
            } else {
                Finding::error(
                    "mail-smtp-ehlo",
                    FIELD,
                    format!("{}:{port} did not accept EHLO.", t.host),
                )
                .fix("Check the SMTP server's logs for this client; it must accept ESMTP (EHLO).")
            };
            steps.push(found(ID, title, f.evidence(format!("connected to {addr}; greeting: {}; {}", or_none(&banner), chain(&e)))
                .why("The MIM Service sends its notifications through this server; a session it cannot open means no mail.")));
            None
        }
        Ok(Ok(conn)) => {
            steps.fact("mail.smtp.banner", banner.clone());
            let mut o = Outcome::ok(
                ID,
                Area::Mail,
                SCREEN,
                title,
                format!("{addr} greets: {banner}"),
            )
            .with_evidence(format!("greeting: {banner}"));
            if let Some(ehlo) = greeting.get(1) {
                o = o.with_evidence(format!("EHLO: {ehlo}"));
            }
            steps.push(o);
            Some(conn)
        }
    }
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "none"
    } else {
        s
    }
}
