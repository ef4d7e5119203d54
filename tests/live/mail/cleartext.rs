//! Option D: no credential crosses an unencrypted connection. The scripted servers of
//! tests/lab/smtp_faults.py log every line they receive, so the test proves what never arrived.
use super::{check, finding, lab, never_shown, one, received};
use base64::Engine;

const D: &str = "profiles/contoso-aadp-option-d.toml";

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
