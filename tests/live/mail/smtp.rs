//! Option D against the lab: the aiosmtpd server on mail.contoso.com (25, 587), the
//! certificate fault servers (127.0.0.7, 127.0.0.8), the scripted fault servers of
//! tests/lab/smtp_faults.py beside it, and fault servers run here on 127.0.0.9.
use super::lab;
use super::{all_ok, black_hole, check, env, fault_server, finding, never_shown, one};
use base64::Engine;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;

const D: &str = "profiles/contoso-aadp-option-d.toml";

/// Greets, answers EHLO offering STARTTLS, and closes when STARTTLS comes.
fn closes_at_starttls(mut s: TcpStream) {
    let _ = s.write_all(b"220 fault.contoso.com ESMTP\r\n");
    let Ok(clone) = s.try_clone() else { return };
    let mut r = BufReader::new(clone);
    let mut line = String::new();
    while r.read_line(&mut line).unwrap_or(0) > 0 {
        let cmd = line.to_ascii_uppercase();
        if cmd.starts_with("EHLO") {
            let _ = s.write_all(b"250-fault.contoso.com\r\n250-8BITMIME\r\n250 STARTTLS\r\n");
        } else if cmd.starts_with("STARTTLS") {
            return; // closed mid-handshake
        } else {
            let _ = s.write_all(b"502 5.5.2 not here\r\n");
        }
        line.clear();
    }
}

/// A port on 127.0.0.9 that nothing listens on.
fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.9:0").expect("bind 127.0.0.9");
    l.local_addr().expect("local address").port()
}

/// Option D: SMTP on port 25 and on 587 (AUTH before MAIL FROM there), STARTTLS verified,
/// AUTH as contoso\svcMIMService; the password never shown.
#[test]
fn smtp_profile_passes_on_25_and_587() {
    let lab = lab();
    let pw = env(&lab, "MIM_LAB_SMTP_PASSWORD");
    for port in ["25", "587"] {
        let (o, r, _) = check(
            &lab,
            "profiles/contoso-aadp-option-d.toml",
            &["mail.server=mail.contoso.com"],
            &[("MIM_SERVICE_PASSWORD", &pw), ("MIM_SETUP_SMTP_PORT", port)],
        );
        all_ok(
            &r,
            &[
                "mail-address",
                "mail-smtp",
                "mail-smtp-tls",
                "mail-smtp-auth",
                "mail-smtp-sender",
            ],
        );
        let text = r.to_string();
        assert!(text.contains("220 mail.contoso.com ESMTP"), "{text}");
        assert!(
            text.contains("STARTTLS") && text.contains("CN=mail"),
            "{text}"
        );
        assert_eq!(o.status.code(), Some(0), "{r:#}");
        never_shown(&o, &pw);
    }
}

#[test]
fn smtp_wrong_password_is_a_535_finding_on_the_password() {
    let lab = lab();
    let canary = "Canary-Wrong-Pw-4711";
    let (o, r, _) = check(
        &lab,
        "profiles/contoso-aadp-option-d.toml",
        &["mail.server=mail.contoso.com"],
        &[("MIM_SERVICE_PASSWORD", canary)],
    );
    let auth = one(&r, "mail-smtp-auth");
    assert_eq!(
        finding(auth),
        (
            "mail-smtp-auth-failed".into(),
            "mim_service.password".into()
        ),
        "{auth:#}"
    );
    assert!(auth.to_string().contains("535"), "{auth:#}");
    assert_eq!(one(&r, "mail-smtp-sender")["state"], "skipped");
    assert_eq!(o.status.code(), Some(1));
    never_shown(&o, canary);
}

#[test]
fn smtp_refused_black_hole_and_close_at_starttls_are_specific_and_bounded() {
    let lab = lab();
    let d = "profiles/contoso-aadp-option-d.toml";
    let on9 = ["mail.server=127.0.0.9"];
    let refused = closed_port().to_string();
    let (_, r, _) = check(
        &lab,
        d,
        &on9,
        &[
            ("MIM_SETUP_SMTP_PORT", &refused),
            ("MIM_SERVICE_PASSWORD", "x"),
        ],
    );
    assert_eq!(
        finding(one(&r, "mail-smtp")),
        ("mail-smtp-refused".into(), "mail.server".into()),
        "{r:#}"
    );
    assert_eq!(one(&r, "mail-smtp-tls")["state"], "skipped");

    let hole = fault_server(black_hole).to_string();
    let (o, r, took) = check(
        &lab,
        d,
        &on9,
        &[
            ("MIM_SETUP_SMTP_PORT", &hole),
            ("MIM_SERVICE_PASSWORD", "x"),
        ],
    );
    let smtp = one(&r, "mail-smtp");
    assert_eq!(finding(smtp).0, "mail-smtp-timeout", "{smtp:#}");
    assert!(
        smtp.to_string().contains("sent no SMTP greeting"),
        "{smtp:#}"
    );
    assert!(
        took < Duration::from_secs(5),
        "the 2 s limit held: {took:?}"
    );
    assert_eq!(o.status.code(), Some(1));

    let closing = fault_server(closes_at_starttls).to_string();
    let (_, r, took) = check(
        &lab,
        d,
        &on9,
        &[
            ("MIM_SETUP_SMTP_PORT", &closing),
            ("MIM_SERVICE_PASSWORD", "x"),
        ],
    );
    assert_eq!(one(&r, "mail-smtp")["state"], "ok", "{r:#}");
    let tls = one(&r, "mail-smtp-tls");
    assert_eq!(finding(tls).0, "mail-smtp-tls-failed", "{tls:#}");
    assert!(took < Duration::from_secs(5), "{took:?}");
}

#[test]
fn smtp_untrusted_and_wrong_name_certificates() {
    let lab = lab();
    let d = "profiles/contoso-aadp-option-d.toml";
    let (_, r, _) = check(
        &lab,
        d,
        &["mail.server=127.0.0.7"],
        &[("MIM_SERVICE_PASSWORD", "x")],
    );
    let tls = one(&r, "mail-smtp-tls");
    assert_eq!(finding(tls).0, "mail-smtp-certificate", "{tls:#}");
    assert!(
        tls.to_string()
            .contains("not from a CA this computer trusts"),
        "{tls:#}"
    );
    let (_, r, _) = check(
        &lab,
        d,
        &["mail.server=127.0.0.8"],
        &[("MIM_SERVICE_PASSWORD", "x")],
    );
    let tls = one(&r, "mail-smtp-tls");
    assert!(
        tls.to_string().contains("not issued for 127.0.0.8"),
        "{tls:#}"
    );
}

/// What the scripted fault server on `port` received, one line each (tests/lab/smtp_faults.py
/// logs every line a client sends).
fn received(lab: &super::Lab, port: u16) -> Vec<String> {
    let log = lab.dir.join("mail/received.log");
    let text = std::fs::read_to_string(&log)
        .unwrap_or_else(|e| panic!("{}: {e}: is smtp_faults.py part of the lab?", log.display()));
    let prefix = format!("{port} ");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(str::to_string)
        .collect()
}

/// A server that offers AUTH PLAIN LOGIN over plain TCP, with no STARTTLS (2525) or with
/// STARTTLS that Use SSL leaves unused (2526): the missing encryption is the finding, the chain
/// stops there, and the server's log proves that no AUTH and no password arrived.
#[test]
fn no_credential_crosses_an_unencrypted_connection() {
    let lab = lab();
    let canary = "Canary-Plain-Pw-2525";
    let cases = [
        (
            "2525",
            "false",
            "mail-smtp-auth",
            "mail-smtp-auth-unencrypted",
            "offers no STARTTLS",
        ),
        (
            "2526",
            "false",
            "mail-smtp-auth",
            "mail-smtp-auth-unencrypted",
            "Use SSL is off",
        ),
        (
            "2525",
            "true",
            "mail-smtp-tls",
            "mail-smtp-no-starttls",
            "does not offer STARTTLS",
        ),
    ];
    for (port, ssl, id, check_id, words) in cases {
        let use_ssl = format!("mail.use_ssl={ssl}");
        let (o, r, _) = check(
            &lab,
            D,
            &["mail.server=mail.contoso.com", &use_ssl],
            &[
                ("MIM_SERVICE_PASSWORD", canary),
                ("MIM_SETUP_SMTP_PORT", port),
            ],
        );
        let out = one(&r, id);
        assert_eq!(
            finding(out),
            (check_id.to_string(), "mail.use_ssl".to_string()),
            "{port} {ssl}: {out:#}"
        );
        assert!(out.to_string().contains(words), "{port} {ssl}: {out:#}");
        assert_eq!(one(&r, "mail-smtp-sender")["state"], "skipped", "{r:#}");
        assert_eq!(o.status.code(), Some(1), "{r:#}");
        never_shown(&o, canary);
    }
    for port in [2525, 2526] {
        let lines = received(&lab, port);
        assert!(
            lines.iter().any(|l| l.starts_with("EHLO ")),
            "the log records the session: {lines:?}"
        );
        let b64 = base64::engine::general_purpose::STANDARD
            .encode(format!("\0contoso\\svcMIMService\0{canary}"));
        for l in &lines {
            assert!(
                !l.to_ascii_uppercase().starts_with("AUTH")
                    && !l.contains(canary)
                    && !l.contains(&b64)
                    && !l.starts_with("MAIL"),
                "{port} received {l:?}"
            );
        }
    }
}
