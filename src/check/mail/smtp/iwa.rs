//! The Integrated Windows sign-in as the MIM Service makes it: SMTP AUTH NTLM (RFC 4954 with
//! the NTLM messages of MS-NLMP, base64 on the command lines), with the credentials of the
//! account the process runs as, through Windows' SSPI. No password is typed or sent: SSPI
//! answers the server's challenge.
//!
//! ```text
//!   C: AUTH NTLM <NEGOTIATE>         S: 334 <CHALLENGE>
//!   C: <AUTHENTICATE>                S: 235 (signed in) | 535 (refused) | ...
//! ```
//!
//! `exchange` drives any NTLM client (`winauth::NextBytes`): on Windows the SSPI one of
//! `logged_on`; the tests drive the same exchange with an NTLMv2 client of known credentials
//! against a server that verifies the response.
use crate::check::Ctx;
use base64::Engine;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::response::Response;
use std::fmt;
use winauth::NextBytes;

/// How an NTLM sign-in ended.
#[derive(Debug)]
pub enum Ended {
    /// 235: signed in.
    SignedIn(Response),
    /// A negative reply (535, 454, 504, ...), with the step it came at.
    Refused(lettre::transport::smtp::Error, &'static str),
    /// The NTLM client could not go on (SSPI's error, or a challenge it could not read).
    Client(std::io::Error),
    /// The server sent something that is not an NTLM exchange (334 without base64, ...).
    Protocol(String),
    /// No answer within the check's time limit, at the step named.
    Timeout(&'static str),
}

/// A command line of the exchange: `AUTH NTLM <b64>` or a bare `<b64>` answer line.
struct Line(String);

impl fmt::Display for Line {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}\r\n", self.0)
    }
}

/// The NTLM exchange over an SMTP connection (encrypted or not: the caller decides).
pub async fn exchange(
    ctx: &Ctx,
    conn: &mut AsyncSmtpConnection,
    client: &mut (dyn NextBytes + Send),
) -> Ended {
    let b64 = base64::engine::general_purpose::STANDARD;
    let negotiate = match client.next_bytes(None) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => return Ended::Protocol("the NTLM client had nothing to send".into()),
        Err(e) => return Ended::Client(e),
    };
    let first = Line(format!("AUTH NTLM {}", b64.encode(negotiate)));
    let challenge = match ctx.within(conn.command(first)).await {
        Err(_) => return Ended::Timeout("AUTH NTLM"),
        Ok(Err(e)) => return Ended::Refused(e, "AUTH NTLM"),
        Ok(Ok(r)) if u16::from(r.code()) == 235 => return Ended::SignedIn(r),
        Ok(Ok(r)) if u16::from(r.code()) != 334 => {
            return Ended::Protocol(format!(
                "AUTH NTLM was answered {} instead of 334 and a challenge",
                r.code()
            ))
        }
        Ok(Ok(r)) => r,
    };
    let text = challenge.first_line().unwrap_or("").trim();
    let Ok(bytes) = b64.decode(text) else {
        cancel(ctx, conn).await;
        return Ended::Protocol(format!(
            "the 334 answer to AUTH NTLM holds no base64 challenge (\"{}\")",
            crate::profile::echo(text)
        ));
    };
    let authenticate = match client.next_bytes(Some(&bytes)) {
        Ok(Some(bytes)) => bytes,
        Ok(None) => {
            cancel(ctx, conn).await;
            return Ended::Protocol("the NTLM client had no answer to the challenge".into());
        }
        Err(e) => {
            cancel(ctx, conn).await;
            return Ended::Client(e);
        }
    };
    match ctx
        .within(conn.command(Line(b64.encode(authenticate))))
        .await
    {
        Err(_) => Ended::Timeout("the NTLM answer"),
        Ok(Err(e)) => Ended::Refused(e, "the NTLM answer"),
        Ok(Ok(r)) if u16::from(r.code()) == 235 => Ended::SignedIn(r),
        Ok(Ok(r)) => Ended::Protocol(format!(
            "the NTLM answer was answered {} instead of 235",
            r.code()
        )),
    }
}

/// Ends an exchange half-way, as RFC 4954 says: a line holding `*`.
async fn cancel(ctx: &Ctx, conn: &mut AsyncSmtpConnection) {
    let _ = ctx.within(conn.command(Line("*".into()))).await;
}

/// The account this process signs in as through SSPI, `DOMAIN\user`, where Windows says.
pub fn logged_on_account() -> Option<String> {
    if !cfg!(windows) {
        return None;
    }
    let user = std::env::var("USERNAME").ok()?;
    Some(match std::env::var("USERDOMAIN") {
        Ok(d) if !d.is_empty() => format!("{d}\\{user}"),
        _ => user,
    })
}

/// The SSPI NTLM client of the logged-on account, for the SMTP service of `host`; `None` off
/// Windows, where there is no SSPI.
#[cfg(windows)]
pub fn logged_on(host: &str) -> Option<std::io::Result<Box<dyn NextBytes + Send>>> {
    let built = winauth::windows::NtlmSspiBuilder::new()
        .outbound()
        .target_spn(&format!("SMTPSVC/{host}"))
        .build();
    Some(built.map(|c| Box::new(c) as Box<dyn NextBytes + Send>))
}

/// The SSPI NTLM client of the logged-on account, for the SMTP service of `host`; `None` off
/// Windows, where there is no SSPI.
#[cfg(not(windows))]
pub fn logged_on(_host: &str) -> Option<std::io::Result<Box<dyn NextBytes + Send>>> {
    None
}

#[cfg(test)]
#[path = "iwa_tests.rs"]
mod tests;
