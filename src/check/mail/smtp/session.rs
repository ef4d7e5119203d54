//! After the greeting: STARTTLS, AUTH, and the mailbox as sender and recipient.
use super::{found, hello_name, Target, FIELD};
use crate::check::mail::{tls, Steps, SCREEN};
use crate::check::{chain, timeout_finding, Area, Ctx, Outcome};
use crate::finding::Finding;
use crate::screens::fields;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, Certificate, TlsParameters};
use lettre::transport::smtp::commands::{Ehlo, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::Extension;

async fn ehlo_lines(ctx: &Ctx, conn: &mut AsyncSmtpConnection) -> Vec<String> {
    match ctx.within(conn.command(Ehlo::new(hello_name()))).await {
        Ok(Ok(r)) => r.message().skip(1).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

pub(super) async fn starttls(
    ctx: &Ctx,
    t: &Target,
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
            let detail = chain(&e);
            let f = tls::finding("mail-smtp-certificate", FIELD, &format!("STARTTLS with {}", t.host), &t.host, &detail).unwrap_or_else(|| {
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

pub(super) async fn auth(
    ctx: &Ctx,
    t: &Target,
    conn: &mut AsyncSmtpConnection,
    title: &str,
    steps: &mut Steps,
) {
    let lines = ehlo_lines(ctx, conn).await;
    let mechs: Vec<String> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("AUTH ").or_else(|| l.strip_prefix("auth ")))
        .flat_map(|m| m.split_whitespace().map(str::to_ascii_uppercase))
        .collect();
    let ext = format!(
        "EHLO{}: {}",
        if conn.is_encrypted() {
            " after STARTTLS"
        } else {
            ""
        },
        lines.join(", ")
    );
    let (id, screen) = ("mail-smtp-auth", "mim_service");
    if !mechs.is_empty() && !conn.is_encrypted() {
        steps.push(found(
            id,
            title,
            unencrypted_auth(t, conn, &mechs).evidence(ext),
        ));
        return;
    }
    if mechs.is_empty() {
        steps.push(
            Outcome::ok(
                id,
                Area::Mail,
                screen,
                title,
                "the server asks for no authentication (the MIM Service sends without AUTH)",
            )
            .with_evidence(ext),
        );
        return;
    }
    if !mechs.iter().any(|m| m == "PLAIN" || m == "LOGIN") {
        steps.push(Outcome::skipped(id, Area::Mail, screen, title, format!("the server offers AUTH {} only (Integrated Windows Authentication): only the MIM Service's own logon can use it; the connection and TLS were checked", mechs.join(" "))).with_evidence(ext));
        return;
    }
    let password = match ctx.secrets.get(fields::mim_service::PASSWORD) {
        Ok(p) => p.expose().to_string(),
        Err(why) => {
            steps.push(
                Outcome::skipped(
                    id,
                    Area::Mail,
                    screen,
                    title,
                    format!("the account's password is not available: {why}"),
                )
                .with_evidence(ext),
            );
            return;
        }
    };
    let creds = Credentials::new(t.account.clone(), password);
    match ctx
        .within(conn.auth(&[Mechanism::Plain, Mechanism::Login], &creds))
        .await
    {
        Err(_) => steps.push(found(
            id,
            title,
            timeout_finding(
                "mail-smtp-auth-timeout",
                fields::mim_service::PASSWORD,
                "SMTP AUTH",
                ctx.settings.timeout,
            ),
        )),
        Ok(Ok(r)) => {
            steps.fact("mail.smtp.auth", "accepted");
            steps.push(Outcome::ok(id, Area::Mail, screen, title, format!("AUTH as {} accepted ({})", t.account, r.code()))
                .with_evidence(ext)
                .with_evidence("the MIM Service itself signs in with Integrated Windows Authentication as the same account"));
        }
        Ok(Err(e)) => {
            let code = e.status().map(|c| c.to_string()).unwrap_or_default();
            let detail = chain(&e);
            let f = match code.as_str() {
                "535" => Finding::error("mail-smtp-auth-failed", fields::mim_service::PASSWORD, format!("The SMTP server refused the password of {} ({code}).", t.account))
                    .fix("Check the account name, domain and password on this screen (the password of the MIM Service account in AD), and that the account is enabled and not locked."),
                "534" | "538" | "530" => Finding::error("mail-smtp-auth-encryption", fields::mail::USE_SSL, format!("The SMTP server wants encryption or another method before AUTH ({code})."))
                    .fix("Tick Use SSL so that the connection is encrypted before signing in."),
                _ => Finding::error("mail-smtp-auth-error", fields::mim_service::PASSWORD, format!("SMTP AUTH as {} failed.", t.account))
                    .fix("Check the SMTP server's authentication settings and its logs for this client."),
            };
            steps.push(found(id, title, f.evidence(format!("{detail}; {ext}"))
                .why("The MIM Service signs in to the mail server as its account; with credentials the server refuses it cannot send notifications.")));
        }
    }
}

/// The server asks for a sign-in over a connection that is not encrypted: the finding, and
/// no credential is sent.
fn unencrypted_auth(t: &Target, conn: &AsyncSmtpConnection, mechs: &[String]) -> Finding {
    let offers_tls = conn.server_info().supports_feature(Extension::StartTls);
    let what = format!(
        "The server asks for a sign-in (AUTH {}) over a connection that is not encrypted",
        mechs.join(" ")
    );
    let (msg, fix) = if offers_tls && !t.use_ssl {
        (format!("{what}: Use SSL is off."), "Tick Use SSL, so that the MIM Service upgrades the connection with STARTTLS before it signs in.".to_string())
    } else {
        (format!("{what}: {} offers no STARTTLS.", t.host), "Enable TLS on the SMTP server (a certificate bound to SMTP; Exchange: Enable-ExchangeCertificate -Services SMTP) and tick Use SSL.".to_string())
    };
    Finding::error("mail-smtp-auth-unencrypted", fields::mail::USE_SSL, msg)
        .why("A sign-in over an unencrypted connection exposes the MIM Service account's credentials, and then every message, to anyone on the network path. This check never sends a credential over such a connection, and stops here.")
        .fix(fix)
}

pub(super) async fn sender(
    ctx: &Ctx,
    t: &Target,
    conn: &mut AsyncSmtpConnection,
    title: &str,
    steps: &mut Steps,
) {
    let (id, screen, field) = (
        "mail-smtp-sender",
        "mim_service",
        fields::mim_service::EMAIL,
    );
    let Ok(addr) = t.email.parse::<lettre::Address>() else {
        steps.push(Outcome::skipped(
            id,
            Area::Mail,
            screen,
            title,
            "the mailbox address is not well-formed (see the address check)",
        ));
        return;
    };
    let mail = ctx
        .within(conn.command(Mail::new(Some(addr.clone()), vec![])))
        .await;
    let rcpt = match &mail {
        Ok(Ok(_)) => Some(
            ctx.within(conn.command(Rcpt::new(addr.clone(), vec![])))
                .await,
        ),
        _ => None,
    };
    let _ = ctx.within(conn.command(Rset)).await;
    let refused = |what: &str, detail: String| {
        Finding::error("mail-smtp-sender-refused", field, format!("The SMTP server refused {addr} as {what}."))
            .evidence(detail)
            .why("The MIM Service sends its notifications from its mailbox address; a server that refuses it as sender, or will not relay for this server, drops every notification.")
            .fix("Allow this server to send as the MIM Service mailbox (Exchange: a receive connector for the MIM server with permission to submit, or Send As for the account), or correct the address.")
    };
    let f = match (mail, rcpt) {
        (Err(_), _) | (_, Some(Err(_))) => Some(timeout_finding(
            "mail-smtp-sender-timeout",
            field,
            "MAIL FROM / RCPT TO",
            ctx.settings.timeout,
        )),
        (Ok(Err(e)), _) => Some(refused("sender (MAIL FROM)", chain(&e))),
        (_, Some(Ok(Err(e)))) => Some(refused("recipient (RCPT TO)", chain(&e))),
        _ => None,
    };
    match f {
        Some(f) => steps.push(found(id, title, f)),
        None => steps.push(Outcome::ok(
            id,
            Area::Mail,
            screen,
            title,
            format!("{addr} accepted as sender and recipient (reset, nothing sent)"),
        )),
    }
}
