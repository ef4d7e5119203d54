//! After the greeting: EHLO again and STARTTLS (verified).
use super::replies::{self, Reply, Stage};
use super::{found, hello_name, Target, FIELD};
use crate::check::mail::ews::certificate_finding;
use crate::check::mail::tls::presented::Start;
use crate::check::mail::{tls, Steps, SCREEN};
use crate::check::{chain, timeout_finding, Area, Ctx, Outcome};
use crate::finding::Finding;
use crate::screens::fields;
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::Ehlo;
use lettre::transport::smtp::extension::Extension;

/// EHLO's answer lines after the first (the extensions), empty when it got none.
pub(super) async fn ehlo_lines(ctx: &Ctx, conn: &mut AsyncSmtpConnection) -> Vec<String> {
    match ctx.within(conn.command(Ehlo::new(hello_name()))).await {
        Ok(Ok(r)) => r.message().skip(1).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

pub(super) async fn starttls(
    ctx: &Ctx,
    t: &Target,
    port: u16,
    conn: &mut AsyncSmtpConnection,
    title: &str,
    steps: &mut Steps,
) {
    let offered = conn.server_info().supports_feature(Extension::StartTls);
    if !t.use_ssl {
        if offered {
            steps.push(found("mail-smtp-tls", title, Finding::warning("mail-smtp-cleartext", fields::mail::USE_SSL, "The server offers STARTTLS, but Use SSL is off: the MIM Service's mail would travel unencrypted.")
                .why("Without SSL (MAIL_SERVER_USE_SSL=0) notifications, and approval mail with them, cross the network in clear text.")
                .fix("Tick Use SSL for the mail server connection, or acknowledge if this is intended.")
                .evidence("EHLO lists STARTTLS")));
        } else {
            steps.push(Outcome::skipped("mail-smtp-tls", Area::Mail, SCREEN, title, "Use SSL is off and the server offers no STARTTLS: the connection stays unencrypted"));
        }
        return;
    }
    if !offered {
        steps.push(found("mail-smtp-tls", title, Finding::error("mail-smtp-no-starttls", fields::mail::USE_SSL, format!("Use SSL is on, but {} does not offer STARTTLS.", t.host))
            .why("With MAIL_SERVER_USE_SSL=1 the MIM Service insists on encryption and cannot send through a server that offers none.")
            .fix("Enable TLS on the SMTP server (Exchange: a certificate assigned to SMTP with Enable-ExchangeCertificate -Services SMTP), or untick Use SSL.")
            .evidence("EHLO does not list STARTTLS")));
        return;
    }
    let params = match tls_params(ctx, &t.host) {
        Ok(p) => p,
        Err(f) => {
            steps.push(found("mail-smtp-tls", title, *f));
            return;
        }
    };
    match ctx.within(conn.starttls(params, &hello_name())).await {
        Err(_) => steps.push(found(
            "mail-smtp-tls",
            title,
            timeout_finding(
                "mail-smtp-tls-timeout",
                FIELD,
                &format!("STARTTLS with {}", t.host),
                ctx.settings.timeout,
            ),
        )),
        Ok(Err(e)) => {
            if let Some(r) = Reply::from_error(&e) {
                // STARTTLS itself was refused, before any handshake.
                return steps.push(found("mail-smtp-tls", title, starttls_refused(t, &r)));
            }
            let detail = chain(&e);
            let cert = tls::finding(
                "mail-smtp-certificate",
                FIELD,
                &format!("STARTTLS with {}", t.host),
                &t.host,
                &detail,
            );
            let cert = match cert {
                Some(f) => Some(
                    certificate_finding(ctx, f, &detail, &t.host, port, Start::SmtpStartTls).await,
                ),
                None => None,
            };
            let f = cert.unwrap_or_else(|| {
                Finding::error("mail-smtp-tls-failed", FIELD, format!("{} broke off the STARTTLS handshake.", t.host))
                    .why("The MIM Service cannot send encrypted mail through a server whose TLS handshake fails; setup's mail check fails the same way.")
                    .fix("Check the SMTP server's TLS set-up (a certificate bound to SMTP, TLS 1.2 enabled) and its logs for this client.")
                    .evidence(detail)
            });
            steps.push(found("mail-smtp-tls", title, f));
        }
        Ok(Ok(())) => {
            let cert = conn
                .peer_certificate()
                .map(|d| tls::describe(&d))
                .unwrap_or_else(|e| format!("certificate not readable: {e}"));
            steps.fact("mail.smtp.certificate", cert.clone());
            steps.push(
                Outcome::ok(
                    "mail-smtp-tls",
                    Area::Mail,
                    SCREEN,
                    title,
                    format!("STARTTLS with {} verified", t.host),
                )
                .with_evidence(cert),
            );
        }
    }
}

/// STARTTLS answered with a refusal: 4xx is the "try again later" class, 5xx a refusal.
fn starttls_refused(t: &Target, r: &Reply) -> Finding {
    if (400..500).contains(&r.code) {
        return replies::finding(Stage::Greeting, r, &t.email, &t.host);
    }
    Finding::error("mail-smtp-starttls-refused", fields::mail::USE_SSL, format!("{} lists STARTTLS but refused it: {}", t.host, r.shown()))
        .why("With MAIL_SERVER_USE_SSL=1 the MIM Service insists on encryption and cannot send through a server that refuses it.")
        .fix("Check the SMTP server's TLS set-up (a certificate bound to SMTP; Exchange: Enable-ExchangeCertificate -Services SMTP) and its logs for this client.")
        .evidence(format!("STARTTLS: {}", r.shown()))
}

fn tls_params(ctx: &Ctx, host: &str) -> Result<TlsParameters, Box<Finding>> {
    let mut b = TlsParameters::builder(host.trim_matches(['[', ']']).to_string());
    let pems = crate::check::ca_pems(&ctx.settings).map_err(|e| Box::new(e.into_finding(FIELD)))?;
    for der in pems {
        let c = Certificate::from_der(der).map_err(|e| {
            Box::new(Finding::error(
                "ca-file",
                FIELD,
                format!("a certificate in the CA file cannot be used: {e}"),
            ))
        })?;
        b = b.add_root_certificate(c);
    }
    b.build_rustls().map_err(|e| {
        Box::new(Finding::error(
            "mail-smtp-tls-setup",
            FIELD,
            format!("cannot set up TLS for {host}: {}", chain(&e)),
        ))
    })
}
