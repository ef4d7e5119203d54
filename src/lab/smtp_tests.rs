//! The SMTP server with lettre as the client (STARTTLS, AUTH PLAIN and LOGIN, a message
//! sent), and by hand for what a client library never does (AUTH before TLS, bad order).
use super::*;
use crate::lab::ca::DemoCa;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::io::{BufRead, BufReader as StdReader, Write};

fn server(ca: &DemoCa) -> Server {
    let cert = ca.issue(&["mail.contoso.com"]).expect("cert");
    let stranger = DemoCa::stranger().expect("stranger");
    Server::loopback(Options {
        host: "mail.contoso.com".into(),
        ip: LOOPBACK,
        port: 0,
        tls: cert.server_config(false, &[]).expect("tls"),
        untrusted: stranger
            .issue(&["mail.contoso.com"])
            .expect("cert")
            .server_config(false, &[])
            .expect("tls"),
        logins: vec![("mimservice".into(), "Demo-Pass-1".into())],
    })
    .expect("starts")
}

fn send(
    ca: &DemoCa,
    srv: &Server,
    creds: Option<(&str, Mechanism)>,
) -> Result<(), lettre::transport::smtp::Error> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let tls = TlsParameters::builder("mail.contoso.com".into())
        .add_root_certificate(Certificate::from_pem(ca.pem().as_bytes()).expect("pem"))
        .build_rustls()
        .expect("tls");
    let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(srv.addr().port())
        .tls(Tls::Required(tls))
        .timeout(Some(std::time::Duration::from_secs(5)));
    if let Some((password, mech)) = creds {
        b = b
            .credentials(Credentials::new("mimservice".into(), password.into()))
            .authentication(vec![mech]);
    }
    let t = b.build();
    let msg = Message::builder()
        .from("MIMService@contoso.com".parse().expect("from"))
        .to("admin@contoso.com".parse().expect("to"))
        .subject("demo")
        .body("hello\r\n.\r\nstill the body".to_string())
        .expect("message");
    rt.block_on(t.send(msg)).map(|_| ())
}

#[test]
fn lettre_sends_over_starttls_with_and_without_a_sign_in() {
    let ca = DemoCa::new().expect("ca");
    let srv = server(&ca);
    send(&ca, &srv, None).expect("no sign-in needed");
    send(&ca, &srv, Some(("Demo-Pass-1", Mechanism::Plain))).expect("AUTH PLAIN");
    send(&ca, &srv, Some(("Demo-Pass-1", Mechanism::Login))).expect("AUTH LOGIN");
    let e = send(&ca, &srv, Some(("wrong", Mechanism::Plain))).expect_err("wrong password");
    assert!(e.to_string().contains("535") || e.is_permanent(), "{e}");
}

#[test]
fn the_faults_change_the_running_server() {
    let ca = DemoCa::new().expect("ca");
    let srv = server(&ca);
    srv.faults().write().expect("lock").auth_required = true;
    let e = send(&ca, &srv, None).expect_err("a sign-in is required");
    assert!(e.to_string().contains("530") || e.is_permanent(), "{e}");
    send(&ca, &srv, Some(("Demo-Pass-1", Mechanism::Plain))).expect("signed in, it sends");
    *srv.faults().write().expect("lock") = Faults {
        untrusted_certificate: true,
        ..Faults::default()
    };
    let e = send(&ca, &srv, None).expect_err("the certificate is not trusted");
    assert!(
        e.to_string().to_lowercase().contains("certificate") || e.is_tls(),
        "{e}"
    );
    *srv.faults().write().expect("lock") = Faults::default();
    send(&ca, &srv, None).expect("all well again");
}

/// A plain session: each command and the reply's first line.
fn plain_session(srv: &Server, commands: &[&str]) -> Vec<String> {
    let sock = std::net::TcpStream::connect(srv.addr()).expect("connect");
    sock.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .expect("timeout");
    let mut w = sock.try_clone().expect("clone");
    let mut r = StdReader::new(sock);
    let mut reply = || {
        let mut all = Vec::new();
        loop {
            let mut l = String::new();
            if r.read_line(&mut l).unwrap_or(0) == 0 {
                break;
            }
            let done = l.as_bytes().get(3) != Some(&b'-');
            all.push(l.trim_end().to_string());
            if done {
                break;
            }
        }
        all.join(" | ")
    };
    let mut out = vec![reply()];
    let mut in_data = false;
    for c in commands {
        w.write_all(format!("{c}\r\n").as_bytes()).expect("write");
        if in_data && *c != "." {
            out.push(String::new()); // a line of the message: no reply
            continue;
        }
        let got = reply();
        in_data = got.starts_with("354");
        out.push(got);
    }
    out
}

#[test]
fn before_tls_there_is_no_sign_in_and_order_is_kept() {
    let ca = DemoCa::new().expect("ca");
    let srv = server(&ca);
    let r = plain_session(
        &srv,
        &[
            "MAIL FROM:<a@contoso.com>",
            "EHLO client.contoso.com",
            "AUTH PLAIN AG1pbXNlcnZpY2UARGVtby1QYXNzLTE=",
            "RCPT TO:<b@contoso.com>",
            "MAIL FROM:<a@contoso.com>",
            "DATA",
            "RCPT TO:<b@contoso.com>",
            "DATA",
            "Subject: x",
            "",
            ".",
            "XYZZY",
            "QUIT",
        ],
    );
    assert!(r[0].starts_with("220 mail.contoso.com"), "{r:?}");
    assert!(r[1].starts_with("503"), "MAIL before EHLO: {r:?}");
    assert!(r[2].contains("STARTTLS") && !r[2].contains("AUTH"), "{r:?}");
    assert!(r[3].starts_with("538"), "AUTH before TLS: {r:?}");
    assert!(r[4].starts_with("503"), "RCPT before MAIL: {r:?}");
    assert!(r[5].starts_with("250"), "{r:?}");
    assert!(r[6].starts_with("503"), "DATA before RCPT: {r:?}");
    assert!(r[7].starts_with("250"), "{r:?}");
    assert!(r[8].starts_with("354"), "{r:?}");
    assert!(
        r[11].starts_with("250 2.6.0"),
        "the message is taken: {r:?}"
    );
    assert!(r[12].starts_with("502"), "{r:?}");
    assert!(r[13].starts_with("221"), "{r:?}");
    assert_eq!(
        address("FROM:<a@b> SIZE=10", "FROM:").as_deref(),
        Some("a@b")
    );
    assert_eq!(address("TO:b", "TO:"), None);
}
