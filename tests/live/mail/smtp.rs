//! Option D against the lab: the aiosmtpd server on mail.contoso.com (25, 587), the
//! certificate fault servers (127.0.0.7, 127.0.0.8), the scripted fault servers of
//! tests/lab/smtp_faults.py beside it, and fault servers run here on 127.0.0.9; the cleartext
//! trap is in cleartext.rs, the reply classes in replies.rs.
use super::lab;
use super::{all_ok, black_hole, check, env, fault_server, finding, never_shown, one, received};
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

/// Option D: SMTP on port 25, STARTTLS verified, no sign-in asked (the server offers AUTH
/// LOGIN PLAIN, which the MIM Service does not use); the password is neither sent nor shown.
#[test]
fn smtp_profile_passes_on_25_without_a_sign_in() {
    let lab = lab();
    let pw = env(&lab, "MIM_LAB_SMTP_PASSWORD");
    let (o, r, _) = check(
        &lab,
        D,
        &["mail.server=mail.contoso.com"],
        &[("MIM_SERVICE_PASSWORD", &pw), ("MIM_SETUP_SMTP_PORT", "25")],
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
    let auth = one(&r, "mail-smtp-auth").to_string();
    assert!(
        auth.contains("does not use") && auth.contains("LOGIN"),
        "{auth}"
    );
    assert_eq!(o.status.code(), Some(0), "{r:#}");
    never_shown(&o, &pw);
}

/// AUTH required, only LOGIN/PLAIN offered (587): MIM, which signs in with Integrated Windows
/// Authentication only, would be refused with 530 there; the check says so and signs in with
/// no password.
#[test]
fn smtp_auth_required_without_ntlm_or_gssapi_is_the_error() {
    let lab = lab();
    let pw = env(&lab, "MIM_LAB_SMTP_PASSWORD");
    let (o, r, _) = check(
        &lab,
        D,
        &["mail.server=mail.contoso.com"],
        &[
            ("MIM_SERVICE_PASSWORD", &pw),
            ("MIM_SETUP_SMTP_PORT", "587"),
        ],
    );
    let auth = one(&r, "mail-smtp-auth");
    assert_eq!(
        finding(auth),
        ("mail-smtp-auth-no-iwa".into(), "mail.server".into()),
        "{auth:#}"
    );
    let text = auth.to_string();
    assert!(
        text.contains("530") && text.contains("LOGIN") && text.contains("neither NTLM nor GSSAPI"),
        "{text}"
    );
    assert_eq!(one(&r, "mail-smtp-sender")["state"], "skipped");
    assert_eq!(o.status.code(), Some(1));
    never_shown(&o, &pw);
}

/// The same server with Use SSL off offers no AUTH before STARTTLS: the finding is Use SSL,
/// not "no mechanism at all".
#[test]
fn smtp_auth_offered_only_after_starttls_with_use_ssl_off_points_at_use_ssl() {
    let lab = lab();
    let (o, r, _) = check(
        &lab,
        D,
        &["mail.server=mail.contoso.com", "mail.use_ssl=false"],
        &[
            ("MIM_SERVICE_PASSWORD", "x"),
            ("MIM_SETUP_SMTP_PORT", "587"),
        ],
    );
    let auth = one(&r, "mail-smtp-auth");
    assert_eq!(
        finding(auth),
        ("mail-smtp-auth-needs-tls".into(), "mail.use_ssl".into()),
        "{auth:#}"
    );
    assert_eq!(one(&r, "mail-smtp-sender")["state"], "skipped");
    assert_eq!(o.status.code(), Some(1));
}

/// An Exchange-style connector that requires AUTH and offers NTLM GSSAPI only (2587): the
/// sign-in is not tried off Windows and says so; MAIL FROM's 530 is no sender finding.
#[test]
fn smtp_ntlm_gssapi_only_is_not_tried_and_never_a_sender_finding() {
    let lab = lab();
    let (o, r, _) = check(
        &lab,
        D,
        &["mail.server=mail.contoso.com"],
        &[
            ("MIM_SERVICE_PASSWORD", "x"),
            ("MIM_SETUP_SMTP_PORT", "2587"),
        ],
    );
    all_ok(&r, &["mail-smtp", "mail-smtp-tls"]);
    let auth = one(&r, "mail-smtp-auth");
    assert_eq!(auth["state"], "skipped", "{auth:#}");
    let why = auth.to_string();
    assert!(
        why.contains("AUTH NTLM GSSAPI") && why.contains("only on Windows"),
        "{why}"
    );
    let sender = one(&r, "mail-smtp-sender");
    assert_eq!(sender["state"], "skipped", "{sender:#}");
    assert!(sender.to_string().contains("530 5.7.57"), "{sender:#}");
    for o in r["outcomes"].as_array().expect("outcomes") {
        assert!(
            o["findings"].as_array().is_none_or(|f| f.is_empty()),
            "no finding expected: {o:#}"
        );
    }
    assert!(received(&lab, 2587)
        .iter()
        .all(|l| !l.to_ascii_uppercase().starts_with("AUTH")));
    assert_ne!(o.status.code(), Some(1), "{r:#}");
}

/// Each fault server's trap gets its own finding, with the fix that matches it.
#[test]
fn smtp_refusals_and_tls_traps_get_their_own_findings() {
    let lab = lab();
    // port, outcome, finding, field, words in it, words it must not hold
    let cases = [
        (
            "465",
            "mail-smtp",
            "mail-smtp-implicit-tls",
            "mail.server",
            "CN=mail",
            "firewall",
        ),
        (
            "2421",
            "mail-smtp",
            "mail-smtp-try-later",
            "mail.server",
            "again later",
            "RemoteIPRanges",
        ),
        (
            "2554",
            "mail-smtp",
            "mail-smtp-rejected",
            "mail.server",
            "RemoteIPRanges",
            "again later",
        ),
        (
            "2550",
            "mail-smtp-sender",
            "mail-smtp-no-mailbox",
            "mim_service.email",
            "550 5.1.1",
            "Send As",
        ),
        (
            "2465",
            "mail-smtp-tls",
            "mail-smtp-certificate",
            "mail.server",
            "the chain is incomplete",
            "import the issuing CA",
        ),
    ];
    for (port, id, check_id, field, words, not) in cases {
        let (o, r, took) = check(
            &lab,
            D,
            &["mail.server=mail.contoso.com"],
            &[("MIM_SERVICE_PASSWORD", "x"), ("MIM_SETUP_SMTP_PORT", port)],
        );
        let out = one(&r, id);
        assert_eq!(
            finding(out),
            (check_id.to_string(), field.to_string()),
            "{port}: {out:#}"
        );
        let text = out.to_string();
        assert!(
            text.contains(words) && !text.contains(not),
            "{port}: {out:#}"
        );
        assert!(took < Duration::from_secs(5), "{port}: {took:?}");
        assert_eq!(o.status.code(), Some(1), "{port}");
    }
    // The incomplete chain shows what was presented, as the EWS findings do, and that only the
    // intermediate is missing.
    let (_, r, _) = check(
        &lab,
        D,
        &["mail.server=mail.contoso.com"],
        &[
            ("MIM_SERVICE_PASSWORD", "x"),
            ("MIM_SETUP_SMTP_PORT", "2465"),
        ],
    );
    let tls = one(&r, "mail-smtp-tls").to_string();
    for w in [
        "CN=mail-chain",
        "names mail.contoso.com",
        "Contoso Lab Issuing CA",
        "valid from",
        "no intermediate certificate",
        // The intermediate at the certificate's AIA address proves the root trusted.
        "The root is trusted",
        "http://127.0.0.6/pki/issuing.crt",
    ] {
        assert!(tls.contains(w), "{w}: {tls}");
    }
    assert!(!tls.contains("not from a CA this computer trusts"), "{tls}");
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
    assert!(
        tls.to_string()
            .contains("presented a certificate subject CN=untrusted; names mail.contoso.com"),
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
    assert!(
        tls.to_string().contains("names elsewhere.contoso.com"),
        "{tls:#}"
    );
}
