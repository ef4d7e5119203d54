//! Reaching and logging in to the SQL Server: the name, the port (SQL Browser for a named
//! instance), TCP, TLS as the profile says, the login. Each failure is its own finding.
use super::{Login, Target};
use crate::check::{chain, timeout_finding_at, Area, Ctx, Outcome};
use crate::finding::Finding;
use crate::screens::fields;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use tiberius::{AuthMethod, Config, EncryptionLevel};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{timeout_at, Instant};
use tokio_util::compat::{Compat, TokioAsyncWriteCompatExt};

pub type Client = tiberius::Client<Compat<TcpStream>>;

pub const ID: &str = "sql-connect";

fn failed(t: &Target, f: Finding) -> Box<Outcome> {
    Box::new(Outcome::found(ID, Area::Sql, t.screen, title(t), vec![f]))
}

fn title(t: &Target) -> String {
    format!("Connection to SQL Server {}", t.server)
}

pub fn connected_outcome(t: &Target, evidence: Vec<String>) -> Outcome {
    let summary = evidence.first().cloned().unwrap_or_default();
    let mut o = Outcome::ok(ID, Area::Sql, t.screen, title(t), summary);
    o.evidence = evidence;
    o
}

/// Connects and logs in; the client and what was seen, or the outcome saying why not.
pub async fn connect(
    ctx: &Ctx,
    t: &Target,
    l: &Login,
    deadline: Instant,
) -> Result<(Client, Vec<String>), Box<Outcome>> {
    let field = t.server_field;
    let auth = match &l.sql_login {
        Some(user) => match ctx.secrets.get(fields::checks::SQL_PASSWORD) {
            Ok(p) => AuthMethod::sql_server(user, p.expose()),
            Err(why) => {
                return Err(Box::new(Outcome::skipped(
                    ID,
                    Area::Sql,
                    t.screen,
                    title(t),
                    format!("no password for the SQL login {user}: {why}"),
                )));
            }
        },
        None => integrated(t)?,
    };
    // The address book first (the one seam), then DNS.
    let booked = |p: u16| ctx.booked(&t.host, p);
    let (addr, port, mut evidence) = match (t.port, &t.instance) {
        (Some(p), _) => {
            let addr = match booked(p) {
                Some(a) => a,
                None => SocketAddr::new(resolve(ctx, t, deadline).await?, p),
            };
            (addr, p, vec![format!("port {p} from the server answer")])
        }
        (None, Some(inst)) => {
            let browser = match booked(1434) {
                Some(a) => a,
                None => SocketAddr::new(resolve(ctx, t, deadline).await?, 1434),
            };
            let p = browse(browser, inst, deadline)
                .await
                .map_err(|f| failed(t, f))?;
            let ip = browser.ip();
            let addr = booked(p).unwrap_or(SocketAddr::new(ip, p));
            (
                addr,
                p,
                vec![format!(
                    "SQL Browser on {ip} (UDP 1434): instance {inst} listens on TCP {p}"
                )],
            )
        }
        (None, None) => {
            let addr = match booked(1433) {
                Some(a) => a,
                None => SocketAddr::new(resolve(ctx, t, deadline).await?, 1433),
            };
            (addr, 1433, Vec::new())
        }
    };
    let tcp = match timeout_at(deadline, TcpStream::connect(addr)).await {
        Err(_) => {
            return Err(failed(
                t,
                timeout_finding_at(
                    "sql-timeout",
                    field,
                    &format!("The TCP connection to SQL Server at {addr}"),
                    (&t.host, port),
                    ctx.settings.timeout,
                ),
            ))
        }
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused => {
            return Err(failed(t, Finding::unreached("sql-refused", field, format!("SQL Server at {addr} refused the connection: nothing listens on TCP {port}."))
                .evidence(format!("connecting to {addr}: {e}"))
                .why("Setup and the MIM services connect to this port; with nothing listening, setup fails its SQL connection check (\"trouble contacting SQL server\").")
                .fix("Check that the SQL Server service runs, that TCP/IP is enabled for the instance (SQL Server Configuration Manager), and the instance's port; a named instance is found through the SQL Browser (UDP 1434)."))
            );
        }
        Ok(Err(e)) => {
            return Err(failed(t, Finding::unreached("sql-unreachable", field, format!("SQL Server at {addr} cannot be reached: {e}."))
                .why("Setup connects to this address; it would fail the same way.")
                .fix(format!("Check the network path and firewall between this server and the SQL Server (Test-NetConnection {} -Port {port}).", t.host))));
        }
        Ok(Ok(s)) => s,
    };
    let _ = tcp.set_nodelay(true);
    let via = if ctx.booked(&t.host, port).is_some() {
        ", from the address book"
    } else {
        ""
    };
    evidence.insert(0, format!("TCP {addr} ({}{via})", t.host));
    let mut config = Config::new();
    config.host(&t.host);
    config.port(port);
    config.database("master");
    config.application_name("mim-setup");
    config.authentication(auth);
    // Kept alive until the handshake is done: tiberius reads the CA from a path.
    let _ca_copy;
    match l.encryption.as_str() {
        "off" => {
            config.encryption(EncryptionLevel::NotSupported);
            evidence.push(
                "not encrypted: checks.sql_encryption = off (an opt-out the profile records)"
                    .into(),
            );
        }
        "trust" => {
            config.encryption(EncryptionLevel::Required);
            config.trust_cert();
            evidence.push("TLS, certificate NOT verified: checks.sql_encryption = trust (an opt-out the profile records)".into());
        }
        _ => {
            config.encryption(EncryptionLevel::Required);
            match ca_path(ctx) {
                Ok(Some((path, copy))) => {
                    evidence.push(format!(
                        "TLS, certificate verified for {} against {}",
                        t.host,
                        ctx.settings
                            .ca_file
                            .as_ref()
                            .map_or(String::new(), |p| p.display().to_string())
                    ));
                    config.trust_cert_ca(path);
                    _ca_copy = copy;
                }
                Ok(None) => evidence.push(format!(
                    "TLS, certificate verified for {} against this computer's trusted roots",
                    t.host
                )),
                Err(f) => return Err(failed(t, *f)),
            }
        }
    }
    match timeout_at(
        deadline,
        tiberius::Client::connect(config, tcp.compat_write()),
    )
    .await
    {
        Err(_) => Err(failed(
            t,
            timeout_finding_at(
                "sql-timeout",
                field,
                &format!(
                    "SQL Server at {addr} accepted the connection but did not complete the login"
                ),
                (&t.host, port),
                ctx.settings.timeout,
            ),
        )),
        Ok(Err(e)) => Err(failed(t, login_error(t, l, &addr, &e))),
        Ok(Ok(c)) => {
            let who = l
                .sql_login
                .clone()
                .unwrap_or_else(|| "the current Windows account".into());
            evidence.insert(0, format!("logged in to {} as {who}", t.server));
            Ok((c, evidence))
        }
    }
}

#[cfg(windows)]
fn integrated(_t: &Target) -> Result<AuthMethod, Box<Outcome>> {
    Ok(AuthMethod::Integrated)
}

#[cfg(not(windows))]
fn integrated(t: &Target) -> Result<AuthMethod, Box<Outcome>> {
    Err(Box::new(Outcome::skipped(ID, Area::Sql, t.screen, title(t), "Windows authentication can be checked only on Windows: to check from here, choose a SQL login (checks.sql_auth = sql, with checks.sql_login and checks.sql_password)")))
}

/// The CA file as tiberius takes it: one certificate, in a file named .pem/.crt/.der.
fn ca_path(ctx: &Ctx) -> Result<Option<(String, Option<tempfile::NamedTempFile>)>, Box<Finding>> {
    let Some(path) = &ctx.settings.ca_file else {
        return Ok(None);
    };
    let field = fields::checks::SQL_ENCRYPTION;
    let ders = crate::check::ca_pems(&ctx.settings).map_err(|e| Box::new(e.into_finding(field)))?;
    if ders.len() != 1 {
        return Err(Box::new(Finding::error(
            "ca-file",
            field,
            format!(
                "{} holds {} certificates; the SQL checks verify against one CA certificate.",
                path.display(),
                ders.len()
            ),
        )
        .fix(
            "Give a file with only the CA that issued the SQL Server's certificate (--ca-file).",
        )));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext == "pem" || ext == "crt" {
        return Ok(Some((path.display().to_string(), None)));
    }
    let stage = |e: std::io::Error| {
        Box::new(Finding::error(
            "ca-file",
            field,
            format!("cannot stage the CA certificate: {e}"),
        ))
    };
    let mut f = tempfile::Builder::new()
        .suffix(".der")
        .tempfile()
        .map_err(stage)?;
    std::io::Write::write_all(&mut f, &ders[0]).map_err(stage)?;
    Ok(Some((f.path().display().to_string(), Some(f))))
}

async fn resolve(ctx: &Ctx, t: &Target, deadline: Instant) -> Result<IpAddr, Box<Outcome>> {
    let host = t.host.trim_end_matches('.');
    if host.eq_ignore_ascii_case("localhost") {
        return Ok(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(ip);
    }
    let f = |msg: String, why: &str| {
        failed(t, Finding::error("sql-dns", t.server_field, msg)
            .evidence(why.to_string())
            .why("Setup and the MIM services reach SQL Server by this name; a name that does not resolve makes setup fail its SQL connection check or roll back.")
            .fix("Correct the server name, or add an A record for it in DNS (check with Resolve-DnsName)."))
    };
    let silent = || {
        let f = crate::check::no_answer::no_answer(
            "sql-dns-timeout",
            t.server_field,
            host,
            &ctx.settings,
        );
        Err(failed(t, f))
    };
    match timeout_at(deadline, ctx.resolver.lookup_ip(format!("{host}."))).await {
        Err(_) => silent(),
        Ok(Ok(ips)) => ips.iter().next().ok_or_else(|| {
            f(
                format!("{host} has no address in DNS."),
                "no A or AAAA record",
            )
        }),
        Ok(Err(e)) if matches!(e.kind(), hickory_resolver::error::ResolveErrorKind::Timeout) => {
            silent()
        }
        Ok(Err(e)) => {
            let nx = matches!(e.kind(), hickory_resolver::error::ResolveErrorKind::NoRecordsFound { response_code, .. } if *response_code == hickory_resolver::proto::op::ResponseCode::NXDomain);
            if nx {
                Err(f(
                    format!("The SQL Server name {host} does not resolve (NXDOMAIN)."),
                    &format!("DNS: {e}"),
                ))
            } else {
                Err(f(
                    format!("The SQL Server name {host} could not be resolved."),
                    &format!("DNS: {e}"),
                ))
            }
        }
    }
}

/// Asks the SQL Browser (UDP 1434) for an instance's TCP port.
async fn browse(browser: SocketAddr, instance: &str, deadline: Instant) -> Result<u16, Finding> {
    let field = fields::sql::INSTANCE_NAME;
    let ip = browser.ip();
    let bind = if ip.is_ipv4() { "0.0.0.0:0" } else { "[::]:0" };
    let silent = || {
        Finding::error("sql-browser", field, format!("The SQL Browser on {ip} (UDP 1434) did not answer for instance {instance}."))
            .why("A named instance listens on a port only the SQL Browser service tells; without its answer, setup cannot find the instance.")
            .fix("Start the SQL Server Browser service on the SQL Server and allow UDP 1434 through its firewall, and check the instance name (SELECT @@SERVICENAME on the server); or create a SQL client alias with the instance's port.")
    };
    let sock = UdpSocket::bind(bind)
        .await
        .map_err(|e| silent().evidence(format!("UDP socket: {e}")))?;
    let mut msg = vec![0x04];
    msg.extend(instance.as_bytes());
    sock.send_to(&msg, browser)
        .await
        .map_err(|e| silent().evidence(format!("sending: {e}")))?;
    let mut buf = vec![0u8; 4096];
    let n = match timeout_at(deadline, sock.recv(&mut buf)).await {
        Err(_) => return Err(silent().evidence("no answer before the time limit".to_string())),
        Ok(Err(e)) => return Err(silent().evidence(format!("receiving: {e}"))),
        Ok(Ok(n)) => n,
    };
    let text = String::from_utf8_lossy(buf.get(3..n).unwrap_or_default()).to_string();
    parse_browser(&text, instance).ok_or_else(|| {
        Finding::error(
            "sql-browser",
            field,
            format!("The SQL Browser on {ip} knows no TCP port for instance {instance}."),
        )
        .evidence(format!("SQL Browser answer: {text}"))
        .why("Without a TCP port the instance cannot be reached over the network.")
        .fix("Enable TCP/IP for the instance in SQL Server Configuration Manager and restart it.")
    })
}

/// The `tcp` port of an instance in an SVR_RESP text
/// (`ServerName;X;InstanceName;I;IsClustered;No;Version;V;tcp;1433;;`).
pub fn parse_browser(text: &str, instance: &str) -> Option<u16> {
    for rec in text.split(";;") {
        let parts: Vec<&str> = rec.split(';').collect();
        let get = |k: &str| {
            parts
                .chunks(2)
                .find(|c| c.len() == 2 && c[0].eq_ignore_ascii_case(k))
                .map(|c| c[1])
        };
        if get("InstanceName").is_some_and(|i| i.eq_ignore_ascii_case(instance)) {
            return get("tcp").and_then(|p| p.parse().ok());
        }
    }
    None
}

fn login_error(t: &Target, l: &Login, addr: &SocketAddr, e: &tiberius::error::Error) -> Finding {
    let field = t.server_field;
    let detail = chain(e);
    let lower = detail.to_lowercase();
    match e {
        tiberius::error::Error::Server(te) if te.code() == 18456 => {
            let user = l.sql_login.clone().unwrap_or_else(|| "the current Windows account".into());
            Finding::error("sql-login-failed", fields::checks::SQL_LOGIN, format!("Login failed for user {user} (SQL Server error 18456)."))
                .evidence(format!("{} (server {}, state {})", te.message(), te.server(), te.state()))
                .why("The checks log in to see what setup will see; the same failure makes setup stop at its SQL connection check.")
                .fix("Common causes: SQL Server accepts Windows logins only (set Server authentication to \"SQL Server and Windows Authentication mode\" (mixed mode) in SSMS, Server Properties > Security, and restart the service); the password is wrong; the login is disabled or does not exist. The SQL Server error log shows the reason (state 8: wrong password, 58: SQL logins not allowed).")
        }
        tiberius::error::Error::Server(te) => Finding::error("sql-login", field, format!("SQL Server refused the login: error {}.", te.code()))
            .evidence(te.message().to_string())
            .why("Setup logs in the same way and would be refused too.")
            .fix("Read the message and correct the login or the server's configuration."),
        _ if lower.contains("notvalidforname") || lower.contains("not valid for name") => {
            Finding::error("sql-tls-name", fields::checks::SQL_ENCRYPTION, format!("The certificate of SQL Server {} is not issued for the name {}.", addr, t.host))
                .evidence(detail)
                .why("A certificate for another name means the server could be an impostor; drivers that verify (as the MIM Service's do under TLS 1.2-only policies) refuse it.")
                .fix(format!("Connect by the name in the server's certificate, or give SQL Server a certificate whose subject alternative names include {} (SQL Server Configuration Manager > Protocols > Certificate).", t.host))
        }
        _ if matches!(e, tiberius::error::Error::Tls(_)) || lower.contains("certificate") || lower.contains("unknownissuer") => Finding::error("sql-tls-untrusted", fields::checks::SQL_ENCRYPTION, format!("The certificate of SQL Server {addr} is not trusted."))
            .evidence(detail)
            .why("An untrusted certificate cannot prove the server is the one you named; the login would go to whoever answered.")
            .fix("Give SQL Server a certificate from a CA this computer trusts, or pass the issuing CA with --ca-file; trusting any certificate (checks.sql_encryption = trust) is an opt-out the profile records."),
        tiberius::error::Error::Routing { host, port } => Finding::error("sql-routing", field, format!("SQL Server redirected the connection to {host}:{port}."))
            .why("Setup does not follow redirections; it must be given the server that holds the database.")
            .fix(format!("Give {host} as the server.")),
        _ if l.encryption == "off" && (lower.contains("tls") || hung_up(&lower)) => {
            Finding::error("sql-encryption-required", fields::checks::SQL_ENCRYPTION, format!("SQL Server at {addr} requires encryption, and the checks were set not to encrypt."))
                .evidence(detail)
                .why("A server with Force Encryption (or one that asks for TLS) ends connections that do not encrypt; setup's own connection will encrypt, so these checks must too to see what setup sees.")
                .fix("Choose \"Encrypt, verify the certificate\" (checks.sql_encryption = verify), with the issuing CA in --ca-file if this computer does not trust it.")
        }
        _ if hung_up(&lower) => {
            let stage = if lower.contains("tls handshake") { "TLS handshake" } else { "login handshake" };
            Finding::error("sql-closed", field, format!("SQL Server at {addr} closed the connection during the {stage}."))
                .evidence(detail)
                .why("A server that hangs up before the login completes makes setup fail its SQL connection check the same way.")
                .fix("Common causes: the server offers no encryption (no certificate, or a version without TLS 1.2: 2016 SP2 and later have it) while this check encrypts (choose checks.sql_encryption = off only as a recorded opt-out); the server forces TLS versions this computer does not offer (TLS 1.2-only: see the SQL Native Client and OLE DB versions MIM needs); the server is not SQL Server; or a proxy or firewall cuts the connection. The SQL Server error log says why it closed.")
        }
        _ => Finding::error("sql-connect-failed", field, format!("The login to SQL Server at {addr} failed."))
            .evidence(detail)
            .why("Setup connects the same way and would fail too.")
            .fix("Read the evidence and correct the server, the encryption setting (checks.sql_encryption) or the login."),
    }
}

/// The error text of a connection the server ended.
fn hung_up(lower: &str) -> bool {
    ["eof", "closed", "reset", "broken pipe"]
        .iter()
        .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_browser_answer_gives_the_instance_port() {
        let t = "ServerName;CORPSQL;InstanceName;MSSQLSERVER;IsClustered;No;Version;15.0.2000.5;tcp;1433;;ServerName;CORPSQL;InstanceName;MIMSYNC;IsClustered;No;Version;15.0.2000.5;tcp;49172;;";
        assert_eq!(super::parse_browser(t, "mimsync"), Some(49172));
        assert_eq!(super::parse_browser(t, "other"), None);
    }
}
