//! The demo's SMTP server (mail.contoso.com): a small RFC 5321 state machine on tokio, as no
//! maintained tokio SMTP server crate fits. EHLO/HELO, STARTTLS (RFC 3207; tokio-rustls),
//! AUTH PLAIN and LOGIN (RFC 4954) offered and accepted only after TLS, MAIL, RCPT, DATA
//! (the message is read and dropped), RSET, NOOP, QUIT. Lines are bounded (RFC 5321's 512
//! octets for commands, with room to spare), and so is a message.
//!
//! Its faults (`Faults`, switched while it runs): `auth_required` answers MAIL FROM without a
//! sign-in with 530 5.7.57 and offers only LOGIN and PLAIN, which the MIM Service cannot use;
//! `untrusted_certificate` presents, at STARTTLS, a certificate of a CA nobody trusts.
use super::{read, Running, LOOPBACK};
use base64::Engine;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The longest command line taken.
const MAX_LINE: usize = 4096;
/// The largest message taken by DATA.
pub const MAX_MESSAGE: usize = 10 * 1024 * 1024;

/// What the server does wrong, switchable while it runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults {
    pub auth_required: bool,
    pub untrusted_certificate: bool,
}

/// How the server is set up.
pub struct Options {
    /// The name in the greeting and EHLO.
    pub host: String,
    pub ip: IpAddr,
    /// 0: any free port.
    pub port: u16,
    /// The certificate STARTTLS presents.
    pub tls: Arc<rustls::ServerConfig>,
    /// The one presented with the untrusted-certificate fault.
    pub untrusted: Arc<rustls::ServerConfig>,
    /// Accounts AUTH accepts (user, password).
    pub logins: Vec<(String, String)>,
}

/// A running server; stops when dropped.
pub struct Server {
    running: Running,
    faults: Arc<RwLock<Faults>>,
}

struct Shared {
    host: String,
    tls: Arc<rustls::ServerConfig>,
    untrusted: Arc<rustls::ServerConfig>,
    logins: Vec<(String, String)>,
    faults: Arc<RwLock<Faults>>,
}

impl Server {
    pub fn start(opts: Options) -> Result<Server, String> {
        let faults = Arc::new(RwLock::new(Faults::default()));
        let shared = Arc::new(Shared {
            host: opts.host,
            tls: opts.tls,
            untrusted: opts.untrusted,
            logins: opts.logins,
            faults: faults.clone(),
        });
        let running = super::serve("SMTP", opts.ip, opts.port, move |sock| {
            let shared = shared.clone();
            async move {
                if let Err(e) = connection(sock, shared).await {
                    tracing::debug!("demo SMTP: {e}");
                }
            }
        })?;
        Ok(Server { running, faults })
    }

    /// A server on 127.0.0.1, any free port.
    pub fn loopback(mut opts: Options) -> Result<Server, String> {
        opts.ip = LOOPBACK;
        opts.port = 0;
        Server::start(opts)
    }

    pub fn addr(&self) -> std::net::SocketAddr {
        self.running.addr
    }

    /// The faults, to switch while it runs: the next command sees them.
    pub fn faults(&self) -> Arc<RwLock<Faults>> {
        self.faults.clone()
    }
}

/// What a session ended with.
enum End {
    Quit,
    StartTls,
}

#[derive(Default)]
struct State {
    hello: bool,
    authenticated: bool,
    from: Option<String>,
    recipients: usize,
}

async fn connection(sock: TcpStream, shared: Arc<Shared>) -> Result<(), String> {
    let mut plain = BufReader::new(sock);
    reply(
        &mut plain,
        &format!("220 {} ESMTP mim-setup demo ready", shared.host),
    )
    .await?;
    match session(&mut plain, &shared, false).await? {
        End::Quit => return Ok(()),
        End::StartTls => {}
    }
    // RFC 3207: whatever the client sent after STARTTLS before the handshake is discarded.
    let sock = plain.into_inner();
    let cfg = if read(&shared.faults).untrusted_certificate {
        shared.untrusted.clone()
    } else {
        shared.tls.clone()
    };
    let tls = tokio_rustls::TlsAcceptor::from(cfg)
        .accept(sock)
        .await
        .map_err(|e| format!("TLS handshake: {e}"))?;
    let mut tls = BufReader::new(tls);
    session(&mut tls, &shared, true).await.map(|_| ())
}

async fn reply<S: AsyncWrite + Unpin>(s: &mut S, text: &str) -> Result<(), String> {
    s.write_all(format!("{text}\r\n").as_bytes())
        .await
        .map_err(|e| format!("writing: {e}"))?;
    s.flush().await.map_err(|e| format!("writing: {e}"))
}

/// One line, without its CRLF; None when the client went away.
async fn line<S: AsyncRead + Unpin>(s: &mut BufReader<S>) -> Result<Option<String>, String> {
    let mut buf = Vec::new();
    let n = (&mut *s)
        .take(MAX_LINE as u64)
        .read_until(b'\n', &mut buf)
        .await
        .map_err(|e| format!("reading: {e}"))?;
    if n == 0 {
        return Ok(None);
    }
    if !buf.ends_with(b"\n") {
        return Err("a line longer than the limit".into());
    }
    let text = String::from_utf8_lossy(&buf);
    Ok(Some(text.trim_end_matches(['\r', '\n']).to_string()))
}

async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut BufReader<S>,
    shared: &Shared,
    encrypted: bool,
) -> Result<End, String> {
    let mut st = State::default();
    loop {
        let Some(cmd) = line(s).await? else {
            return Ok(End::Quit);
        };
        let (verb, arg) = match cmd.split_once(' ') {
            Some((v, a)) => (v.to_ascii_uppercase(), a.trim().to_string()),
            None => (cmd.to_ascii_uppercase(), String::new()),
        };
        let faults = read(&shared.faults);
        match verb.as_str() {
            "EHLO" | "HELO" if arg.is_empty() => {
                reply(s, "501 5.5.4 Syntax: EHLO hostname").await?
            }
            "EHLO" => {
                st = State {
                    hello: true,
                    ..State::default()
                };
                let mut lines = vec![
                    format!("{} Hello {arg}", shared.host),
                    format!("SIZE {MAX_MESSAGE}"),
                    "8BITMIME".to_string(),
                ];
                if encrypted {
                    lines.push("AUTH LOGIN PLAIN".into());
                } else {
                    lines.push("STARTTLS".into());
                }
                let n = lines.len();
                let text: Vec<String> = lines
                    .iter()
                    .enumerate()
                    .map(|(i, l)| format!("250{}{l}", if i + 1 == n { ' ' } else { '-' }))
                    .collect();
                reply(s, &text.join("\r\n")).await?
            }
            "HELO" => {
                st = State {
                    hello: true,
                    ..State::default()
                };
                reply(s, &format!("250 {} Hello {arg}", shared.host)).await?
            }
            "STARTTLS" if encrypted => reply(s, "503 5.5.1 TLS already active").await?,
            "STARTTLS" => {
                reply(s, "220 2.0.0 Ready to start TLS").await?;
                return Ok(End::StartTls);
            }
            "AUTH" if !encrypted => {
                reply(
                    s,
                    "538 5.7.11 Encryption required for requested authentication mechanism",
                )
                .await?
            }
            "AUTH" if st.authenticated => reply(s, "503 5.5.1 Already authenticated").await?,
            "AUTH" => match auth(s, &arg, &shared.logins).await? {
                Some(true) => {
                    st.authenticated = true;
                    reply(s, "235 2.7.0 Authentication successful").await?
                }
                Some(false) => reply(s, "535 5.7.8 Authentication credentials invalid").await?,
                None => {}
            },
            "MAIL" if !st.hello => reply(s, "503 5.5.1 Send EHLO first").await?,
            "MAIL" if faults.auth_required && !st.authenticated => {
                reply(s, "530 5.7.57 Client not authenticated to send mail").await?
            }
            "MAIL" => match address(&arg, "FROM:") {
                Some(a) => {
                    st.from = Some(a);
                    st.recipients = 0;
                    reply(s, "250 2.1.0 Sender OK").await?
                }
                None => reply(s, "501 5.5.4 Syntax: MAIL FROM:<address>").await?,
            },
            "RCPT" if st.from.is_none() => reply(s, "503 5.5.1 Need MAIL first").await?,
            "RCPT" => match address(&arg, "TO:") {
                Some(_) => {
                    st.recipients += 1;
                    reply(s, "250 2.1.5 Recipient OK").await?
                }
                None => reply(s, "501 5.5.4 Syntax: RCPT TO:<address>").await?,
            },
            "DATA" if st.recipients == 0 => reply(s, "503 5.5.1 Need RCPT first").await?,
            "DATA" => {
                reply(s, "354 Start mail input; end with <CRLF>.<CRLF>").await?;
                data(s).await?;
                st.from = None;
                st.recipients = 0;
                reply(s, "250 2.6.0 Queued mail for delivery").await?
            }
            "RSET" => {
                st.from = None;
                st.recipients = 0;
                reply(s, "250 2.0.0 Resetting").await?
            }
            "NOOP" => reply(s, "250 2.0.0 OK").await?,
            "QUIT" => {
                reply(s, &format!("221 2.0.0 {} closing connection", shared.host)).await?;
                return Ok(End::Quit);
            }
            _ => reply(s, "502 5.5.2 Command not recognized").await?,
        }
    }
}

/// `FROM:<a@b>` (with optional parameters after it) -> `a@b`; `<>` is the null sender.
fn address(arg: &str, prefix: &str) -> Option<String> {
    let rest = arg.get(..prefix.len())?;
    if !rest.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = arg[prefix.len()..].trim_start();
    let inner = rest.strip_prefix('<')?.split('>').next()?;
    Some(inner.to_string())
}

/// The message, up to the line with a single dot; bounded by `MAX_MESSAGE`.
async fn data<S: AsyncRead + Unpin>(s: &mut BufReader<S>) -> Result<(), String> {
    let mut size = 0usize;
    loop {
        let Some(l) = line(s).await? else {
            return Err("the client went away during DATA".into());
        };
        if l == "." {
            return Ok(());
        }
        size += l.len() + 2;
        if size > MAX_MESSAGE {
            return Err("a message larger than the limit".into());
        }
    }
}

/// AUTH PLAIN (initial response or after 334) or LOGIN: whether the credentials are known;
/// None when the mechanism is unknown or the client cancelled (already answered).
async fn auth<S: AsyncRead + AsyncWrite + Unpin>(
    s: &mut BufReader<S>,
    arg: &str,
    logins: &[(String, String)],
) -> Result<Option<bool>, String> {
    let b64 = base64::engine::general_purpose::STANDARD;
    let decode = |t: &str| {
        b64.decode(t.trim())
            .ok()
            .map(|v| String::from_utf8_lossy(&v).to_string())
    };
    let (mech, initial) = match arg.split_once(' ') {
        Some((m, i)) => (m.to_ascii_uppercase(), Some(i.to_string())),
        None => (arg.to_ascii_uppercase(), None),
    };
    let known = |user: &str, pass: &str| {
        logins
            .iter()
            .any(|(u, p)| u.eq_ignore_ascii_case(user) && p == pass)
    };
    match mech.as_str() {
        "PLAIN" => {
            let resp = match initial {
                Some(i) => i,
                None => {
                    reply(s, "334 ").await?;
                    line(s).await?.unwrap_or_default()
                }
            };
            // authzid NUL authcid NUL passwd
            if resp.trim() == "*" {
                reply(s, "501 5.7.0 Authentication cancelled").await?;
                return Ok(None);
            }
            let Some(text) = decode(&resp) else {
                return Ok(Some(false));
            };
            let parts: Vec<&str> = text.split('\0').collect();
            Ok(Some(parts.len() == 3 && known(parts[1], parts[2])))
        }
        "LOGIN" => {
            let user = match initial {
                Some(i) => decode(&i).unwrap_or_default(),
                None => {
                    reply(s, &format!("334 {}", b64.encode("Username:"))).await?;
                    decode(&line(s).await?.unwrap_or_default()).unwrap_or_default()
                }
            };
            reply(s, &format!("334 {}", b64.encode("Password:"))).await?;
            let pass = decode(&line(s).await?.unwrap_or_default()).unwrap_or_default();
            Ok(Some(known(&user, &pass)))
        }
        _ => {
            reply(s, "504 5.5.4 Unrecognized authentication type").await?;
            Ok(None)
        }
    }
}

#[cfg(test)]
#[path = "smtp_tests.rs"]
mod tests;
