//! SMTP refusals told apart by reply code and enhanced status code (RFC 5321 section 4.2,
//! RFC 3463), so that each class gets the fix that matches it: a temporary refusal is not an
//! address that is refused, and an unknown mailbox is not a missing Send As permission.
use crate::finding::Finding;
use crate::screens::fields;

/// A negative reply: `550 5.1.1 User unknown` is code 550, text `5.1.1 User unknown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub code: u16,
    pub text: String,
}

impl Reply {
    /// The first reply line of a server's answer, e.g. the greeting.
    pub fn parse(line: &str) -> Option<Reply> {
        let code = line.get(..3)?.parse::<u16>().ok().filter(|c| *c >= 200)?;
        let text = line.get(4..).unwrap_or("").trim().to_string();
        Some(Reply { code, text })
    }

    /// From lettre's error for a negative reply; None for a network, TLS or parse error.
    pub fn from_error(e: &lettre::transport::smtp::Error) -> Option<Reply> {
        let code = e.status()?.to_string().parse::<u16>().ok()?;
        let text = std::error::Error::source(e)
            .map(|s| s.to_string())
            .unwrap_or_default();
        Some(Reply { code, text })
    }

    /// The enhanced status code at the start of the text, e.g. (5, 1, 1).
    pub fn enhanced(&self) -> Option<(u16, u16, u16)> {
        let word = self.text.split_whitespace().next()?;
        let mut it = word.split('.').map(|p| p.parse::<u16>().ok());
        let e = (it.next()??, it.next()??, it.next()??);
        (it.next().is_none() && matches!(e.0, 2 | 4 | 5)).then_some(e)
    }

    pub fn shown(&self) -> String {
        format!("{} {}", self.code, self.text).trim().to_string()
    }
}

/// Where in the session the reply came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Greeting,
    Sender,
    Recipient,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// 4xx: busy, throttled, in maintenance: try again later.
    TryLater,
    /// A 5xx greeting: this client (its address) is not served.
    ClientRefused,
    /// 530, 5.7.0, 5.7.57: a sign-in is needed first.
    AuthRequired,
    /// 5.1.1, 5.1.10, or a 550 that says so: no such mailbox.
    NoSuchMailbox,
    /// 5.1.2: the server takes no mail for that domain.
    UnknownDomain,
    /// 5.1.3, 553, 501: the address is not one the server takes.
    BadAddress,
    /// MAIL FROM refused as a policy (5.7.1, 5.7.60): not allowed to send as this address.
    SendAs,
    /// RCPT TO refused as a policy (5.7.1, 5.7.54, 5.4.1): no relay or submit right.
    RelayDenied,
    Other,
}

pub fn classify(stage: Stage, r: &Reply) -> Class {
    let text = r.text.to_ascii_lowercase();
    let enh = r.enhanced();
    if (400..500).contains(&r.code) {
        return Class::TryLater;
    }
    if stage == Stage::Greeting {
        return Class::ClientRefused;
    }
    if r.code == 530
        || matches!(enh, Some((5, 7, 0)) | Some((5, 7, 57)))
        || text.contains("not authenticated")
        || text.contains("authentication required")
    {
        return Class::AuthRequired;
    }
    match (stage, enh) {
        (Stage::Recipient, Some((5, 1, 1))) | (Stage::Recipient, Some((5, 1, 10))) => {
            Class::NoSuchMailbox
        }
        (_, Some((5, 1, 2))) => Class::UnknownDomain,
        (_, Some((5, 1, 3))) | (_, Some((5, 1, 7))) => Class::BadAddress,
        (Stage::Sender, Some((5, 7, _))) => Class::SendAs,
        (Stage::Recipient, Some((5, 7, _))) | (Stage::Recipient, Some((5, 4, 1))) => {
            Class::RelayDenied
        }
        (Stage::Recipient, None)
            if r.code == 550
                && ["unknown", "no such", "not found", "does not exist"]
                    .iter()
                    .any(|w| text.contains(w)) =>
        {
            Class::NoSuchMailbox
        }
        (Stage::Recipient, None) if text.contains("relay") => Class::RelayDenied,
        (_, None) if r.code == 553 || r.code == 501 => Class::BadAddress,
        _ => Class::Other,
    }
}

/// The finding for a refusal; `addr` is the MIM Service mailbox, `host` the mail server.
pub fn finding(stage: Stage, r: &Reply, addr: &str, host: &str) -> Finding {
    let (server, email) = (fields::mail::SERVER, fields::mim_service::EMAIL);
    let when = match stage {
        Stage::Greeting => "the connection",
        Stage::Sender => "the sender (MAIL FROM)",
        Stage::Recipient => "the recipient (RCPT TO)",
    };
    let notify =
        "The MIM Service sends its notifications from its mailbox address through this server;";
    let f = match classify(stage, r) {
        Class::TryLater => Finding::error("mail-smtp-try-later", server, format!("{host} refused {when} for now ({}): a temporary refusal, try again later.", r.code))
            .why("A 4xx reply means the server is busy, throttling this client or in maintenance; it says nothing wrong about the MIM settings, but the MIM Service's mail waits while it lasts.")
            .fix("Run the check again later. If it persists, look at the SMTP server's state and its logs for this client: its queues and resources (Exchange: back pressure events in the Application log, Get-Queue) and its limits per client (connections per source on the receive connector)."),
        Class::ClientRefused => Finding::error("mail-smtp-rejected", server, format!("{host} refused the session: {}", r.shown()))
            .why("The server does not serve this client's address; the MIM Service, on the MIM server, is refused the same way if its address is not allowed either.")
            .fix("Allow the MIM server's address on the SMTP server (Exchange: the receive connector's RemoteIPRanges)."),
        Class::AuthRequired => Finding::error("mail-smtp-auth-required", server, format!("{host} requires a sign-in before {when}."))
            .why("The MIM Service signs in with Integrated Windows Authentication only, where the server offers it.")
            .fix("Offer Integrated Windows authentication (NTLM or Kerberos) on the server's connector for the MIM server, or let the MIM server send without a sign-in."),
        Class::NoSuchMailbox => Finding::error("mail-smtp-no-mailbox", email, format!("{host} says there is no mailbox {addr}."))
            .why(format!("{notify} a server that knows no such mailbox bounces every answer to it."))
            .fix("Write the MIM Service mailbox's primary SMTP address (Exchange: Get-Mailbox MIMService | Select PrimarySmtpAddress), or create the mailbox on this mail system."),
        Class::UnknownDomain => Finding::error("mail-smtp-unknown-domain", email, format!("{host} takes no mail for the domain of {addr}."))
            .why(format!("{notify} an address in a domain the server does not know is refused."))
            .fix("Use the mailbox's address in a domain the mail system accepts (Exchange: Get-AcceptedDomain), or add the domain."),
        Class::BadAddress => Finding::error("mail-smtp-bad-address", email, format!("{host} does not take {addr} as an address ({when})."))
            .why(format!("{notify} the server refuses the address itself."))
            .fix("Write the mailbox's primary SMTP address as the mail system knows it."),
        Class::SendAs => Finding::error("mail-smtp-sender-refused", email, format!("{host} does not let this client send as {addr}."))
            .why(format!("{notify} a server that refuses it as sender drops every notification."))
            .fix("Allow the MIM server to send as the MIM Service mailbox (Exchange: a receive connector for the MIM server with permission to submit, or Send As for the MIM Service account on the mailbox)."),
        Class::RelayDenied => Finding::error("mail-smtp-relay-denied", email, format!("{host} will not take mail for {addr} from this client."))
            .why(format!("{notify} a server that refuses to relay for the MIM server delivers nothing."))
            .fix("Let the MIM server submit or relay mail through this server (Exchange: a receive connector scoped to the MIM server's address, with the permission to relay or submit)."),
        Class::Other => Finding::error("mail-smtp-refused-reply", server, format!("{host} refused {when}: {}", r.shown()))
            .why(notify.trim_end_matches(';').to_string())
            .fix("Read the server's reply in the evidence and its logs for this client."),
    };
    f.evidence(format!("{when}: {}", r.shown()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(line: &str) -> Reply {
        Reply::parse(line).expect("a reply")
    }

    #[test]
    fn replies_and_enhanced_codes_parse() {
        assert_eq!(r("550 5.1.1 User unknown").enhanced(), Some((5, 1, 1)));
        assert_eq!(
            r("421 4.3.2 Service not available").enhanced(),
            Some((4, 3, 2))
        );
        assert_eq!(r("554 no").enhanced(), None);
        assert_eq!(r("550 5.1").enhanced(), None);
        assert_eq!(r("550 5.1.1.1 x").enhanced(), None);
        assert_eq!(r("550 7.1.1 x").enhanced(), None);
        assert_eq!(r("554").text, "");
        for bad in ["", "55", "abc x", "099 x", "\u{e9}\u{e9} x"] {
            assert_eq!(Reply::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn each_refusal_gets_its_class_at_each_stage() {
        use Class::*;
        use Stage::*;
        let cases = [
            (
                Greeting,
                "421 4.3.2 Service not available, try again later",
                TryLater,
            ),
            (Greeting, "421 Too many connections", TryLater),
            (Greeting, "554 5.7.1 Client host rejected", ClientRefused),
            (Greeting, "554 No SMTP service here", ClientRefused),
            (Sender, "451 4.7.0 Temporary server error", TryLater),
            (Sender, "452 4.3.1 Insufficient system resources", TryLater),
            (
                Sender,
                "530 5.7.57 Client not authenticated to send mail",
                AuthRequired,
            ),
            (Sender, "530 5.7.0 Authentication required", AuthRequired),
            (
                Sender,
                "550 5.7.60 Client does not have permissions to send as this sender",
                SendAs,
            ),
            (Sender, "550 5.7.1 Sender denied", SendAs),
            (Sender, "553 sender address rejected", BadAddress),
            (Sender, "550 5.1.2 Domain not found", UnknownDomain),
            (Recipient, "550 5.1.1 User unknown", NoSuchMailbox),
            (
                Recipient,
                "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found",
                NoSuchMailbox,
            ),
            (
                Recipient,
                "550 Requested action not taken: mailbox unavailable, user unknown",
                NoSuchMailbox,
            ),
            (Recipient, "550 5.1.2 Host unknown", UnknownDomain),
            (
                Recipient,
                "553 5.1.3 Bad recipient address syntax",
                BadAddress,
            ),
            (
                Recipient,
                "550 5.7.54 SMTP; Unable to relay recipient in non-accepted domain",
                RelayDenied,
            ),
            (Recipient, "554 5.7.1 Relay access denied", RelayDenied),
            (Recipient, "550 Relaying denied", RelayDenied),
            (Recipient, "450 4.2.0 Mailbox busy", TryLater),
            (Recipient, "552 5.2.2 Mailbox full", Other),
            (Sender, "550 5.1.1 odd at MAIL FROM", Other),
        ];
        for (stage, line, want) in cases {
            assert_eq!(classify(stage, &r(line)), want, "{stage:?} {line}");
        }
    }

    #[test]
    fn fixes_point_the_right_way() {
        let host = "mail.contoso.com";
        let addr = "MIMService@contoso.com";
        let busy = finding(Stage::Greeting, &r("421 4.3.2 try again later"), addr, host);
        let denied = finding(Stage::Greeting, &r("554 5.7.1 denied"), addr, host);
        assert_eq!(busy.check, "mail-smtp-try-later");
        assert!(
            !busy.fix.contains("RemoteIPRanges") && busy.fix.contains("again later"),
            "{}",
            busy.fix
        );
        assert!(denied.fix.contains("RemoteIPRanges"), "{}", denied.fix);
        let unknown = finding(Stage::Recipient, &r("550 5.1.1 User unknown"), addr, host);
        assert_eq!(
            (unknown.check.as_str(), unknown.field.as_deref()),
            ("mail-smtp-no-mailbox", Some("mim_service.email"))
        );
        assert!(
            !unknown.fix.contains("Send As") && unknown.fix.contains("primary SMTP address"),
            "{}",
            unknown.fix
        );
        assert!(unknown
            .evidence
            .unwrap_or_default()
            .contains("550 5.1.1 User unknown"));
        let send_as = finding(Stage::Sender, &r("550 5.7.60 no send as"), addr, host);
        assert!(send_as.fix.contains("Send As"), "{}", send_as.fix);
    }
}
