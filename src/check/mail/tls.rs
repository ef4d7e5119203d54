//! Certificates for evidence, and TLS failures told apart for findings.
pub mod presented;

use crate::finding::Finding;
use x509_parser::prelude::{FromDer, GeneralName, ParsedExtension, X509Certificate};

/// `subject CN=mail; names mail.contoso.com, 127.0.0.4; issuer CN=...; valid from ... until ...`.
pub fn describe(der: &[u8]) -> String {
    let Ok((_, cert)) = X509Certificate::from_der(der) else {
        return format!("a certificate that cannot be read ({} bytes)", der.len());
    };
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                GeneralName::DNSName(d) => names.push((*d).to_string()),
                GeneralName::IPAddress(b) => names.push(ip_text(b)),
                _ => {}
            }
        }
    }
    let names = if names.is_empty() {
        "no subjectAltName".to_string()
    } else {
        format!("names {}", names.join(", "))
    };
    format!(
        "certificate subject {}; {names}; issuer {}; valid from {} until {}",
        cert.subject(),
        cert.issuer(),
        cert.validity().not_before,
        cert.validity().not_after
    )
}

/// The http URL where the certificate says its issuer's certificate is published (Authority
/// Information Access, caIssuers), if any.
pub fn ca_issuers(der: &[u8]) -> Option<String> {
    let (_, cert) = X509Certificate::from_der(der).ok()?;
    cert.extensions()
        .iter()
        .find_map(|e| match e.parsed_extension() {
            ParsedExtension::AuthorityInfoAccess(aia) => {
                aia.accessdescs.iter().find_map(|d| {
                    match (&d.access_location, d.access_method.to_id_string().as_str()) {
                        (GeneralName::URI(u), "1.3.6.1.5.5.7.48.2") if u.starts_with("http://") => {
                            Some((*u).to_string())
                        }
                        _ => None,
                    }
                })
            }
            _ => None,
        })
}

/// Whether the certificate is self-issued, and its issuer's name.
pub fn issuer(der: &[u8]) -> (bool, String) {
    match X509Certificate::from_der(der) {
        Ok((_, c)) => (c.subject() == c.issuer(), c.issuer().to_string()),
        Err(_) => (false, String::new()),
    }
}

fn ip_text(b: &[u8]) -> String {
    match b.len() {
        4 => std::net::Ipv4Addr::new(b[0], b[1], b[2], b[3]).to_string(),
        16 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(b);
            std::net::Ipv6Addr::from(a).to_string()
        }
        _ => format!("{b:02x?}"),
    }
}

/// What went wrong in a TLS handshake, from the error text rustls gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    Untrusted,
    WrongName,
    Expired,
    Other,
}

pub fn classify(detail: &str) -> Problem {
    let d = detail.to_ascii_lowercase();
    if d.contains("notvalidforname") || d.contains("not valid for name") {
        Problem::WrongName
    } else if d.contains("unknownissuer")
        || d.contains("unknown issuer")
        || d.contains("badsignature")
    {
        Problem::Untrusted
    } else if d.contains("expired") || d.contains("notvalidyet") {
        Problem::Expired
    } else {
        Problem::Other
    }
}

/// The finding for a certificate problem, or None when the failure was something else.
pub fn finding(check: &str, field: &str, what: &str, host: &str, detail: &str) -> Option<Finding> {
    let f = match classify(detail) {
        Problem::Untrusted => Finding::error(check, field, format!("{what}: the server's certificate is not from a CA this computer trusts."))
            .fix(format!("Give {host} a certificate from a CA that the MIM server trusts (an enterprise CA whose root is in the computer's Trusted Root store), or import the issuing CA's root; pass it to this check with --ca-file.")),
        Problem::WrongName => Finding::error(check, field, format!("{what}: the server's certificate is not issued for {host}."))
            .fix(format!("Use the name the certificate is issued for, or give the server a certificate whose subjectAltName includes {host}.")),
        Problem::Expired => Finding::error(check, field, format!("{what}: the server's certificate has expired or is not valid yet."))
            .fix("Renew the server's certificate (Exchange: New-ExchangeCertificate, then Enable-ExchangeCertificate) and check the clocks."),
        Problem::Other => return None,
    };
    Some(
        f.why(format!("The MIM Service verifies the certificate of {} like this check does; with an untrusted or misnamed certificate it cannot send notifications or read approvals, and setup's mail check fails.", super::role(check)))
            .evidence(detail.to_string()),
    )
}

/// A certificate finding with what the server presented: the certificate in the evidence and,
/// where an untrusted certificate came alone without its intermediate, that the chain is
/// incomplete and the server should send it.
pub fn with_presented(
    mut f: Finding,
    detail: &str,
    host: &str,
    p: Option<&presented::Presented>,
    completed: Option<&str>,
) -> Finding {
    let Some(p) = p else {
        return f;
    };
    let sent = match p.intermediates {
        0 => "with no intermediate certificate".to_string(),
        1 => "with 1 intermediate certificate".to_string(),
        n => format!("with {n} intermediate certificates"),
    };
    let send = format!("Make {host} send its intermediate CA certificate(s) with its own certificate (on Windows: import them into the computer's Intermediate Certification Authorities store, then bind the certificate again; Exchange: Enable-ExchangeCertificate).");
    if let Some(url) = completed.filter(|_| classify(detail) == Problem::Untrusted) {
        f.message = format!("{what}: the server sent its certificate without the intermediate CA certificate: the chain is incomplete. The root is trusted: with the intermediate published at {url} the chain leads to it.", what = f.message.split(": the server's certificate").next().unwrap_or(""));
        f.why = format!("{} Windows may fetch the intermediate from that address, as this check did, when the MIM server can reach it; clients that do not fetch it fail.", f.why);
        f.fix = send;
    } else if classify(detail) == Problem::Untrusted && p.intermediates == 0 && !p.self_issued {
        f.message = format!("{} The server sent it alone, without the intermediate CA certificate that links it to a root (it is issued by {}): the chain is incomplete.", f.message, p.issuer);
        f.why = format!("{} Windows may still complete the chain from its Intermediate store or the certificate's AIA address; clients that do not, and this check, cannot.", f.why);
        f.fix = format!("{send} Only if {} is itself a root CA: import it into the MIM server's Trusted Root store, and pass it to this check with --ca-file.", p.issuer);
    }
    f.evidence(format!(
        "{detail}; the server presented a {} {sent}",
        p.description
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rustls_errors_are_told_apart() {
        assert_eq!(
            classify("invalid peer certificate: UnknownIssuer"),
            Problem::Untrusted
        );
        assert_eq!(
            classify("invalid peer certificate: NotValidForName"),
            Problem::WrongName
        );
        assert_eq!(
            classify("invalid peer certificate: Expired"),
            Problem::Expired
        );
        assert_eq!(classify("connection reset by peer"), Problem::Other);
        assert!(finding("c", "f", "w", "h", "unexpected eof").is_none());
    }

    #[test]
    fn a_lone_untrusted_certificate_says_the_chain_is_incomplete() {
        let p = |intermediates, self_issued| presented::Presented {
            description: "certificate subject CN=mail-chain; names mail.contoso.com".into(),
            intermediates,
            self_issued,
            issuer: "CN=Contoso Lab Issuing CA".into(),
            leaf: Vec::new(),
            ca_issuers: None,
        };
        let untrusted = "invalid peer certificate: UnknownIssuer";
        let base = || {
            finding(
                "mail-smtp-certificate",
                "mail.server",
                "STARTTLS",
                "mail",
                untrusted,
            )
            .expect("a finding")
        };
        let cases = [
            (untrusted, p(0, false), true),
            (untrusted, p(1, false), false),
            (untrusted, p(0, true), false),
            (
                "invalid peer certificate: NotValidForName",
                p(0, false),
                false,
            ),
        ];
        for (detail, pr, incomplete) in cases {
            let f = with_presented(base(), detail, "mail", Some(&pr), None);
            assert_eq!(
                f.message.contains("the chain is incomplete"),
                incomplete,
                "{detail} {pr:?}"
            );
            assert_eq!(
                f.fix.starts_with("Make mail send its intermediate"),
                incomplete,
                "{}",
                f.fix
            );
            let ev = f.evidence.unwrap_or_default();
            assert!(
                ev.contains("CN=mail-chain") && ev.contains("intermediate certificate"),
                "{ev}"
            );
        }
        let f = with_presented(base(), untrusted, "mail", None, None);
        assert_eq!(f, base());
        // Proven complete with the intermediate from the AIA address: the root is trusted.
        let url = "http://pki.contoso.com/issuing.crt";
        let f = with_presented(base(), untrusted, "mail", Some(&p(0, false)), Some(url));
        assert!(
            f.message.contains("The root is trusted") && f.message.contains(url),
            "{}",
            f.message
        );
        assert!(
            f.fix.starts_with("Make mail send its intermediate") && !f.fix.contains("Only if"),
            "{}",
            f.fix
        );
        assert!(
            !f.message.contains("not from a CA this computer trusts"),
            "{}",
            f.message
        );
        // A wrong name stays a wrong name, whatever the AIA says.
        let wrong = "invalid peer certificate: NotValidForName";
        let named = finding("c", "f", "STARTTLS", "mail", wrong).expect("a finding");
        let f = with_presented(named.clone(), wrong, "mail", Some(&p(0, false)), Some(url));
        assert_eq!(f.message, named.message);
    }

    #[test]
    fn an_unreadable_certificate_is_said_so() {
        assert!(describe(b"not DER").contains("cannot be read"));
    }
}
