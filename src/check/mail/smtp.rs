//! Option D, SMTP: connect, greeting, EHLO, STARTTLS (verified), AUTH, and whether the
//! server takes the MIM Service mailbox as sender and recipient (MAIL FROM, RCPT TO, RSET:
//! nothing is sent).
//!
//! Port: setup asks for a host only (MAIL_SERVER) and the MIM Service's SMTP client uses the
//! standard SMTP port, 25, upgrading with STARTTLS when MAIL_SERVER_USE_SSL is on; so 25 is
//! what is checked. `MIM_SETUP_SMTP_PORT` checks another port (a relay on 587, a test server).
//!
//! AUTH: the MIM Service signs in with Integrated Windows Authentication only (NTLM or
//! Kerberos), never with LOGIN or PLAIN and a password; sign_in.rs checks what it would meet,
//! and sends no credential. A port that wants TLS first (SMTPS) is recognised by a TLS
//! handshake after the missing greeting; refusals are told apart in replies.rs.
use super::{addresses, Steps, SCREEN};
use crate::answers::Answers;
use crate::check::{chain, timeout_finding_at, Area, Ctx, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use std::net::SocketAddr;
use std::sync::Arc;

mod iwa;
mod replies;
mod session;
mod sign_in;
mod tap;

use crate::check::mail::tls::presented::{Presented, Start};
use crate::screens::fields;
use replies::{Reply, Stage};
use session::starttls;

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
    starttls(&ctx, &t, port, &mut conn, tls_title, &mut steps).await;
    if steps.failed() {
        steps.not_reached("mail-smtp-auth", "mim_service", auth_title);
        steps.not_reached("mail-smtp-sender", "mim_service", sender_title);
        // Dropped, not aborted: after a failed TLS upgrade lettre's stream is gone, and
        // writing QUIT to it would trip its debug assertion.
        drop(conn);
        return steps.done();
    }
    sign_in::sign_in_and_sender(&ctx, &t, &mut conn, (auth_title, sender_title), &mut steps).await;
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
    let addrs = match addresses(ctx, "mail-smtp-dns", FIELD, (&t.host, port)).await {
        Ok(a) => a,
        Err(f) => {
            steps.push(found(ID, title, f));
            return None;
        }
    };
    let mut last = None;
    let mut stream = None;
    for &addr in &addrs {
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
            Some((addr, Some(e))) if e.kind() == std::io::ErrorKind::ConnectionRefused => Finding::unreached("mail-smtp-refused", FIELD, format!("{}:{port} refused the connection.", t.host))
                .evidence(format!("connecting to {addr}: {e}"))
                .why("The MIM Service sends its notifications through this server; nothing listens on the SMTP port, so no mail would leave.")
                .fix(format!("Check that the SMTP service runs on {} and listens on port {port} (Test-NetConnection {} -Port {port}), and that no firewall rejects the connection.", t.host, t.host)),
            Some((addr, Some(e))) => Finding::unreached("mail-smtp-unreachable", FIELD, format!("{}:{port} cannot be reached.", t.host))
                .evidence(format!("connecting to {addr}: {e}"))
                .why("The MIM Service sends its notifications through this server.")
                .fix("Check the route and firewalls between this server and the mail server."),
            _ => timeout_finding_at("mail-smtp-timeout", FIELD, &format!("Connecting to {}:{port}", t.host), (&t.host, port), ctx.settings.timeout),
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
    let sniffed = match (&result, banner.is_empty()) {
        (Err(_), true) | (Ok(Err(_)), true) => implicit_tls(ctx, &t.host, addr).await,
        _ => None,
    };
    if let Some(p) = sniffed {
        steps.push(found(ID, title, implicit_tls_finding(t, port, addr, &p)));
        return None;
    }
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
                timeout_finding_at(
                    "mail-smtp-timeout",
                    FIELD,
                    &what,
                    (&t.host, port),
                    ctx.settings.timeout,
                )
                .evidence(format!(
                    "connected to {addr}; greeting: {}",
                    or_none(&banner)
                )),
            ));
            None
        }
        Ok(Err(e)) => {
            let f = if banner.is_empty() {
                Finding::error("mail-smtp-closed", FIELD, format!("{}:{port} closed the connection without an SMTP greeting.", t.host))
                    .fix("Check that this port is served by the SMTP service (Exchange: a receive connector bound to it) and that the server is not refusing this client's address.")
            } else if let Some(r) = Reply::parse(&banner).filter(|_| !banner.starts_with('2')) {
                let f =
                    replies::finding(Stage::Greeting, &r, &t.email, &format!("{}:{port}", t.host));
                steps.push(found(
                    ID,
                    title,
                    f.evidence(format!("connected to {addr}; greeting: {banner}")),
                ));
                return None;
            } else if let Some(r) = Reply::from_error(&e).filter(|r| (400..500).contains(&r.code)) {
                // A temporary refusal of EHLO: the same class as at the greeting.
                let f =
                    replies::finding(Stage::Greeting, &r, &t.email, &format!("{}:{port}", t.host));
                steps.push(found(
                    ID,
                    title,
                    f.evidence(format!(
                        "connected to {addr}; greeting: {banner}; EHLO: {}",
                        r.shown()
                    )),
                ));
                return None;
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

/// The certificate `addr` presents when it speaks TLS from the first byte, if it does. Waits
/// at most half the time limit, so that a silent server still ends soon after the limit.
async fn implicit_tls(ctx: &Ctx, host: &str, addr: SocketAddr) -> Option<Presented> {
    let limit = ctx.settings.timeout / 2;
    let h = host.to_string();
    let job = tokio::task::spawn_blocking(move || {
        crate::check::mail::tls::presented::read(addr, &h, Start::Tls, limit)
    });
    ctx.within(job).await.ok()?.ok()?
}

fn implicit_tls_finding(t: &Target, port: u16, addr: SocketAddr, p: &Presented) -> Finding {
    let fix = if port == DEFAULT_PORT {
        "Serve plain SMTP with STARTTLS on port 25 for the MIM server; implicit TLS belongs on port 465, which the MIM Service does not use.".to_string()
    } else {
        format!("Port {port} wants TLS first; the MIM Service uses port 25 with STARTTLS: unset MIM_SETUP_SMTP_PORT to check port 25, and serve STARTTLS there.")
    };
    Finding::error("mail-smtp-implicit-tls", FIELD, format!("{}:{port} speaks TLS from the first byte (implicit TLS, SMTPS) and sends no plain SMTP greeting.", t.host))
        .why("The MIM Service's SMTP client expects a plain greeting and, with Use SSL, upgrades with STARTTLS; it cannot talk to a port that wants TLS first, and setup's mail check fails there the same way.")
        .fix(fix)
        .evidence(format!("connected to {addr}: no greeting; a TLS handshake on the same port presented a {}", p.description))
}

fn or_none(s: &str) -> &str {
    if s.is_empty() {
        "none"
    } else {
        s
    }
}
