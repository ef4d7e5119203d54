//! The sign-in and the mailbox as sender and recipient, as the MIM Service does them. It signs
//! in with Integrated Windows Authentication (seed 002: the SMTP option "only works with
//! regular service accounts and Integrated Windows Authentication"), that is NTLM or Kerberos
//! (AUTH NTLM, AUTH GSSAPI), never AUTH LOGIN or PLAIN with a typed password; where the
//! server asks for no sign-in it sends without one. So this check sends no password at all:
//!
//! ```text
//!   EHLO (after STARTTLS)  -> the AUTH mechanisms offered
//!     offered over a connection that is not encrypted -> finding; nothing is sent; stop
//!     NTLM offered, on Windows -> AUTH NTLM as the logged-on account through SSPI (iwa.rs)
//!       signed in -> sender and recipient checked in that session when that account is the
//!                    MIM Service's; otherwise not checked (another account's rights)
//!       refused   -> finding (an error when the logged-on account is the MIM Service's)
//!     NTLM or GSSAPI offered, otherwise -> the sign-in needs Windows' SSPI: not tried, said so
//!   MAIL FROM, RCPT TO without a sign-in, then RSET (nothing is sent)
//!     sign-in required, neither NTLM nor GSSAPI offered -> finding: MIM cannot sign in
//!     sign-in required after a sign-in not tried -> sender not checked (no sender finding)
//!     any other refusal -> its own finding (replies.rs)
//! ```
use super::iwa::{self, Ended};
use super::replies::{self, Class, Reply, Stage};
use super::session::ehlo_lines;
use super::{found, Target};
use crate::check::mail::Steps;
use crate::check::{chain, timeout_finding, Area, Ctx, Outcome};
use crate::finding::Finding;
use crate::screens::fields;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::commands::{Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::Extension;

const AUTH_ID: &str = "mail-smtp-auth";
const SENDER_ID: &str = "mail-smtp-sender";
const SCREEN: &str = "mim_service";

/// The mechanisms of Integrated Windows Authentication in SMTP AUTH.
const IWA: [&str; 2] = ["NTLM", "GSSAPI"];

/// The AUTH mechanisms of EHLO's answer lines, upper case.
pub fn mechanisms(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .filter_map(|l| {
            let auth = l.get(..4)?.eq_ignore_ascii_case("AUTH")
                && matches!(l.as_bytes().get(4), Some(b' ' | b'='));
            auth.then(|| l.get(5..)).flatten()
        })
        .flat_map(|rest| rest.split_whitespace().map(str::to_ascii_uppercase))
        .collect()
}

/// Why the Windows sign-in is not tried by this check.
fn not_tried(iwa: &[&String], account: &str) -> String {
    let offered = iwa.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ");
    let how = if cfg!(windows) {
        "this check signs in with NTLM through SSPI, and the server offers only Kerberos (GSSAPI), so that sign-in is not tried"
    } else {
        "that sign-in can be tried only on Windows, with the logged-on account's credentials (SSPI), so it is not tried here"
    };
    format!("the server offers AUTH {offered} (Integrated Windows Authentication), with which the MIM Service signs in as {account}; {how}")
}

pub(super) async fn sign_in_and_sender(
    ctx: &Ctx,
    t: &Target,
    conn: &mut AsyncSmtpConnection,
    titles: (&str, &str),
    steps: &mut Steps,
) {
    let (auth_title, sender_title) = titles;
    let lines = ehlo_lines(ctx, conn).await;
    let mechs = mechanisms(&lines);
    let encrypted = conn.is_encrypted();
    let ext = format!(
        "EHLO{}: {}",
        if encrypted { " after STARTTLS" } else { "" },
        lines.join(", ")
    );
    if !mechs.is_empty() && !encrypted {
        let f = unencrypted(t, conn, &mechs).evidence(ext);
        steps.push(found(AUTH_ID, auth_title, f));
        steps.not_reached(SENDER_ID, SCREEN, sender_title);
        return;
    }
    let iwa: Vec<&String> = mechs.iter().filter(|m| IWA.contains(&m.as_str())).collect();
    // Whether the AUTH outcome is pushed already, and the account signed in as, if any.
    let mut skipped = false;
    let mut signed_in: Option<String> = None;
    let ntlm = iwa.iter().any(|m| m.as_str() == "NTLM");
    let client = if ntlm { iwa::logged_on(&t.host) } else { None };
    let mut why_not = (!iwa.is_empty()).then(|| not_tried(&iwa, &t.account));
    if let Some(client) = client {
        let who = iwa::logged_on_account().unwrap_or_else(|| "the logged-on account".into());
        match client {
            Err(e) => why_not = Some(format!("the server offers AUTH NTLM (Integrated Windows Authentication), and SSPI could not start an NTLM sign-in as {who} ({e}), so the sign-in is not tried")),
            Ok(mut client) => {
                let ended = iwa::exchange(ctx, conn, client.as_mut()).await;
                match windows_sign_in(ctx, t, auth_title, &who, ended) {
                    Ok(o) => {
                        steps.push(o.with_evidence(ext.clone()));
                        signed_in = Some(who);
                        why_not = None;
                        skipped = true;
                    }
                    Err(f) => {
                        steps.push(found(AUTH_ID, auth_title, (*f).evidence(ext.clone())));
                        steps.not_reached(SENDER_ID, SCREEN, sender_title);
                        return;
                    }
                }
            }
        }
    }
    if let Some(why) = why_not {
        skipped = true;
        steps.push(
            Outcome::skipped(AUTH_ID, Area::Mail, SCREEN, auth_title, why)
                .with_evidence(ext.clone()),
        );
    }
    if let Some(who) = &signed_in {
        if !same_account(who, &t.account) {
            steps.push(Outcome::skipped(SENDER_ID, Area::Mail, SCREEN, sender_title, format!("signed in as {who}, not as the MIM Service account {}: whether {} may send as {} is not checked (run the check as {} to check it)", t.account, t.account, t.email, t.account)));
            return;
        }
    }
    // What the AUTH outcome says when no sign-in was needed before MAIL FROM.
    let no_sign_in = |how: &str| {
        let s = if mechs.is_empty() {
            format!("the server asks for no sign-in {how} (the MIM Service sends without AUTH)")
        } else {
            format!("the server offers AUTH {}, which the MIM Service does not use (it signs in with Integrated Windows Authentication only), and asks for no sign-in {how}", mechs.join(" "))
        };
        Outcome::ok(AUTH_ID, Area::Mail, SCREEN, auth_title, s).with_evidence(ext.clone())
    };
    // The sign-in step when MAIL FROM could not tell (unless it was skipped already).
    let sign_in_unknown = |steps: &mut Steps, why: &str| {
        if !skipped {
            steps.push(
                Outcome::skipped(AUTH_ID, Area::Mail, SCREEN, auth_title, why)
                    .with_evidence(ext.clone()),
            );
        }
    };
    let field = fields::mim_service::EMAIL;
    let Ok(addr) = t.email.parse::<lettre::Address>() else {
        sign_in_unknown(steps, "whether the server requires a sign-in shows at MAIL FROM, which needs a well-formed mailbox address (see the address check)");
        steps.push(Outcome::skipped(
            SENDER_ID,
            Area::Mail,
            SCREEN,
            sender_title,
            "the mailbox address is not well-formed (see the address check)",
        ));
        return;
    };
    let mail = ctx
        .within(conn.command(Mail::new(Some(addr.clone()), vec![])))
        .await;
    let reply = match mail {
        Err(_) => {
            sign_in_unknown(
                steps,
                "not known: MAIL FROM, where a required sign-in shows, got no answer",
            );
            let f = timeout_finding(
                "mail-smtp-sender-timeout",
                field,
                "MAIL FROM",
                ctx.settings.timeout,
            );
            steps.push(found(SENDER_ID, sender_title, f));
            return;
        }
        Ok(Err(e)) => match Reply::from_error(&e) {
            Some(r) => Some(r),
            None => {
                sign_in_unknown(steps, "not known: the session broke off at MAIL FROM");
                let f = Finding::error("mail-smtp-sender-broken", fields::mail::SERVER, format!("{} broke off the session at MAIL FROM.", t.host))
                    .why("The MIM Service sends its notifications through this server; a session that breaks off sends nothing.")
                    .fix("Check the SMTP server's logs for this client.")
                    .evidence(chain(&e));
                steps.push(found(SENDER_ID, sender_title, f));
                return;
            }
        },
        Ok(Ok(_)) => None,
    };
    if let Some(r) = &reply {
        if signed_in.is_none() && replies::classify(Stage::Sender, r) == Class::AuthRequired {
            if skipped {
                steps.push(Outcome::skipped(SENDER_ID, Area::Mail, SCREEN, sender_title, format!("the server requires a sign-in before MAIL FROM ({}), and the sign-in was not tried (see above): sender and recipient are not checked", r.shown())));
            } else {
                steps.push(found(
                    AUTH_ID,
                    auth_title,
                    no_iwa(t, conn, &mechs, r)
                        .evidence(format!("MAIL FROM without a sign-in: {}; {ext}", r.shown())),
                ));
                steps.not_reached(SENDER_ID, SCREEN, sender_title);
            }
            let _ = ctx.within(conn.command(Rset)).await;
            return;
        }
    }
    if !skipped {
        steps.push(no_sign_in("before MAIL FROM"));
    }
    if let Some(r) = reply {
        steps.push(found(
            SENDER_ID,
            sender_title,
            replies::finding(Stage::Sender, &r, &t.email, &t.host),
        ));
        let _ = ctx.within(conn.command(Rset)).await;
        return;
    }
    let rcpt = ctx
        .within(conn.command(Rcpt::new(addr.clone(), vec![])))
        .await;
    let _ = ctx.within(conn.command(Rset)).await;
    let outcome = match rcpt {
        Err(_) => found(SENDER_ID, sender_title, timeout_finding("mail-smtp-sender-timeout", field, "RCPT TO", ctx.settings.timeout)),
        Ok(Ok(_)) => {
            let how = match &signed_in {
                Some(who) => format!("signed in as {who}"),
                None => "without a sign-in".into(),
            };
            Outcome::ok(SENDER_ID, Area::Mail, SCREEN, sender_title, format!("{addr} accepted as sender and recipient {how} (reset, nothing sent)"))
        }
        Ok(Err(e)) => match Reply::from_error(&e) {
            Some(r) => found(SENDER_ID, sender_title, replies::finding(Stage::Recipient, &r, &t.email, &t.host)),
            None => found(SENDER_ID, sender_title, Finding::error("mail-smtp-sender-broken", fields::mail::SERVER, format!("{} broke off the session at RCPT TO.", t.host))
                .why("The MIM Service sends its notifications through this server; a session that breaks off sends nothing.")
                .fix("Check the SMTP server's logs for this client.")
                .evidence(chain(&e))),
        },
    };
    steps.push(outcome);
}

/// Whether two `DOMAIN\\user` (or bare) account names are the same account.
fn same_account(a: &str, b: &str) -> bool {
    let name = |s: &str| {
        s.rsplit('\\')
            .next()
            .unwrap_or(s)
            .trim_end_matches('$')
            .to_lowercase()
    };
    let domain = |s: &str| s.split_once('\\').map(|(d, _)| d.to_lowercase());
    name(a) == name(b)
        && match (domain(a), domain(b)) {
            (Some(x), Some(y)) => {
                x == y || x.starts_with(&format!("{y}.")) || y.starts_with(&format!("{x}."))
            }
            _ => true,
        }
}

/// The AUTH outcome of the Windows sign-in as `who`, or its finding.
fn windows_sign_in(
    ctx: &Ctx,
    t: &Target,
    title: &str,
    who: &str,
    ended: Ended,
) -> Result<Outcome, Box<Finding>> {
    let is_service = same_account(who, &t.account);
    let r: Result<Outcome, Finding> = match ended {
        Ended::SignedIn(r) => Ok(Outcome::ok(AUTH_ID, Area::Mail, SCREEN, title, format!("signed in with AUTH NTLM as {who}, the logged-on account, through SSPI (Integrated Windows Authentication, as the MIM Service signs in; {})", r.code()))),
        Ended::Refused(e, step) => {
            let shown = Reply::from_error(&e).map(|r| r.shown()).unwrap_or_else(|| chain(&e));
            let msg = format!("{} refused the Integrated Windows sign-in (AUTH NTLM) of {who} at {step}: {shown}.", t.host);
            let f = if is_service {
                Finding::error("mail-smtp-auth-iwa-refused", fields::mail::SERVER, msg)
                    .why("The MIM Service signs in to its SMTP server with Integrated Windows Authentication as its own account, which is the account refused here; it would send no notification.")
            } else {
                Finding::warning("mail-smtp-auth-iwa-refused", fields::mail::SERVER, msg)
                    .why(format!("The MIM Service signs in the same way as {}; a connector that refuses a domain account's Integrated Windows sign-in commonly refuses the service account's too. The account refused here is not the MIM Service's, so this is a warning.", t.account))
            };
            Err(f
                .fix(format!("Allow Integrated Windows authentication for domain accounts on the connector the MIM server uses (Exchange: Set-ReceiveConnector -AuthMechanism including Integrated, and the permission to submit for {}), then check again.", t.account))
                .evidence(format!("AUTH NTLM as {who} through SSPI: {shown}")))
        }
        Ended::Client(e) => Err(Finding::warning("mail-smtp-auth-iwa-sspi", fields::mail::SERVER, format!("SSPI stopped the Integrated Windows sign-in of {who} to {} half-way: {e}.", t.host))
            .why("The MIM Service signs in with Integrated Windows Authentication; a challenge that SSPI cannot answer usually means the server's NTLM settings differ from the domain's (for example NTLMv1 only, or a channel binding this client does not give).")
            .fix("Check the connector's authentication settings and the domain's NTLM policy (Network security: LAN Manager authentication level), then check again.")
            .evidence(format!("AUTH NTLM as {who}: {e}"))),
        Ended::Protocol(what) => Err(Finding::error("mail-smtp-auth-iwa-broken", fields::mail::SERVER, format!("{} offers AUTH NTLM, but its exchange is not NTLM as RFC 4954 and MS-NLMP describe it: {what}.", t.host))
            .why("The MIM Service signs in with Integrated Windows Authentication (NTLM); a server whose NTLM exchange is broken refuses it.")
            .fix("Check the SMTP server's AUTH NTLM support (or that the port is the mail server's, not another service's).")
            .evidence(what)),
        Ended::Timeout(step) => Err(timeout_finding("mail-smtp-auth-timeout", fields::mail::SERVER, step, ctx.settings.timeout)),
    };
    r.map_err(Box::new)
}

/// The server requires a sign-in and offers no mechanism the MIM Service can use; or, on a
/// connection Use SSL left unencrypted, none before STARTTLS (it may offer them after).
fn no_iwa(t: &Target, conn: &AsyncSmtpConnection, mechs: &[String], r: &Reply) -> Finding {
    let offers_tls = conn.server_info().supports_feature(Extension::StartTls);
    if mechs.is_empty() && !conn.is_encrypted() && offers_tls {
        return Finding::error("mail-smtp-auth-needs-tls", fields::mail::USE_SSL, format!("{} requires a sign-in before it takes mail ({}), and offers none before STARTTLS, which Use SSL leaves unused.", t.host, r.code))
            .why("Servers commonly offer their sign-in only on an encrypted connection; without Use SSL the MIM Service never upgrades, sees no way to sign in, and is refused like this check was.")
            .fix("Tick Use SSL: the MIM Service then upgrades with STARTTLS, and the check reads the mechanisms offered there.");
    }
    let offered = if mechs.is_empty() {
        "offers no AUTH mechanism at all".to_string()
    } else {
        format!("offers only AUTH {}", mechs.join(" "))
    };
    Finding::error("mail-smtp-auth-no-iwa", fields::mail::SERVER, format!("{} requires a sign-in before it takes mail ({}), and {offered}: neither NTLM nor GSSAPI, so the MIM Service cannot sign in there.", t.host, r.code))
        .why("The MIM Service signs in to its SMTP server with Integrated Windows Authentication only (seed 002: the SMTP option \"only works with regular service accounts and Integrated Windows Authentication\"); it never sends its password with AUTH LOGIN or PLAIN. Here it would be refused like this check was, and send no notification.")
        .fix("Offer Integrated Windows authentication on the connector the MIM server uses (Exchange: Set-ReceiveConnector -AuthMechanism with Integrated, and Tls for Use SSL), or let the MIM server's address send without a sign-in (a connector scoped to its address).")
}

/// The server asks for a sign-in over a connection that is not encrypted: the finding, and no
/// credential is sent.
fn unencrypted(t: &Target, conn: &AsyncSmtpConnection, mechs: &[String]) -> Finding {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_mechanisms_are_read_from_ehlo_lines() {
        let l = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cases: [(&[&str], &[&str]); 8] = [
            (
                &["mail.contoso.com", "AUTH NTLM GSSAPI"],
                &["NTLM", "GSSAPI"],
            ),
            (&["auth login plain"], &["LOGIN", "PLAIN"]),
            (&["AUTH=LOGIN"], &["LOGIN"]),
            (&["8BITMIME", "STARTTLS"], &[]),
            (&["AUTHENTICATE X"], &[]),
            (&["AUTH"], &[]),
            (&["X-EXPS GSSAPI NTLM", "AUTH GSSAPI"], &["GSSAPI"]),
            (&["AU\u{e9}TH x", "\u{e9}"], &[]),
        ];
        for (lines, want) in cases {
            assert_eq!(mechanisms(&l(lines)), l(want), "{lines:?}");
        }
    }

    #[test]
    fn the_windows_sign_in_is_said_to_be_not_tried() {
        let (n, g) = ("NTLM".to_string(), "GSSAPI".to_string());
        let s = not_tried(&[&n, &g], "contoso\\svcMIMService");
        assert!(
            s.contains("AUTH NTLM GSSAPI") && s.contains("not tried"),
            "{s}"
        );
        assert!(s.contains("as contoso\\svcMIMService"), "{s}");
    }
}
