//! SMTP replies as classes, against scripted servers on 127.0.0.9 (plain TCP, Use SSL off):
//! each kind of refusal, at the greeting, MAIL FROM and RCPT TO, gets its own finding, and a
//! sign-in asked over plain TCP gets none of the account's credentials.
use super::{check, finding, lab, one};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A server's answers: greeting, EHLO's reply (empty: 250 with `ext`), EHLO extensions, the
/// STARTTLS reply (empty: not offered; Use SSL is on when it is), MAIL FROM and RCPT TO.
#[derive(Clone, Copy)]
struct Script {
    greeting: &'static str,
    ehlo: &'static str,
    ext: &'static str,
    starttls: &'static str,
    mail: &'static str,
    rcpt: &'static str,
}

const OK: Script = Script {
    greeting: "220 relay.contoso.com ESMTP",
    ehlo: "",
    ext: "8BITMIME",
    starttls: "",
    mail: "250 2.1.0 Sender OK",
    rcpt: "250 2.1.5 Recipient OK",
};

/// Serves `script` on 127.0.0.9 for at most 15 s; the lines received are kept.
fn scripted(script: Script) -> (u16, Arc<Mutex<Vec<String>>>) {
    let l = TcpListener::bind("127.0.0.9:0").expect("bind 127.0.0.9");
    let port = l.local_addr().expect("local address").port();
    l.set_nonblocking(true).expect("non-blocking");
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        let end = Instant::now() + Duration::from_secs(15);
        while Instant::now() < end {
            let Ok((mut s, _)) = l.accept() else {
                std::thread::sleep(Duration::from_millis(10));
                continue;
            };
            let _ = s.set_nonblocking(false);
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = s.write_all(format!("{}\r\n", script.greeting).as_bytes());
            if !script.greeting.starts_with('2') {
                continue;
            }
            let Ok(clone) = s.try_clone() else { continue };
            let mut r = BufReader::new(clone);
            let mut line = String::new();
            // Bounded: the check sends a handful of commands.
            for _ in 0..20 {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                if let Ok(mut v) = log.lock() {
                    v.push(line.trim_end().to_string());
                }
                let cmd = line.to_ascii_uppercase();
                let answer = match cmd.get(..4).unwrap_or("") {
                    "EHLO" if !script.ehlo.is_empty() => script.ehlo.to_string(),
                    "EHLO" if !script.starttls.is_empty() => {
                        format!(
                            "250-relay.contoso.com\r\n250-{}\r\n250 STARTTLS",
                            script.ext
                        )
                    }
                    "EHLO" => format!("250-relay.contoso.com\r\n250 {}", script.ext),
                    "STAR" if !script.starttls.is_empty() => script.starttls.to_string(),
                    "MAIL" => script.mail.to_string(),
                    "RCPT" => script.rcpt.to_string(),
                    "QUIT" => "221 2.0.0 Bye".to_string(),
                    "RSET" => "250 2.0.0 Reset".to_string(),
                    _ => "502 5.5.2 Not here".to_string(),
                };
                let _ = s.write_all(format!("{answer}\r\n").as_bytes());
            }
        }
    });
    (port, seen)
}

#[test]
fn each_refusal_gets_its_own_finding_and_no_credential_is_sent() {
    let lab = lab();
    let canary = "Canary-Replies-Pw-77";
    // script, outcome, finding (empty: ok), field
    let cases: [(Script, &str, &str, &str); 14] = [
        (OK, "mail-smtp-sender", "", ""),
        (
            Script {
                greeting: "421 4.3.2 Too busy",
                ..OK
            },
            "mail-smtp",
            "mail-smtp-try-later",
            "mail.server",
        ),
        (
            Script {
                greeting: "554 5.7.1 Client host rejected",
                ..OK
            },
            "mail-smtp",
            "mail-smtp-rejected",
            "mail.server",
        ),
        (
            Script {
                mail: "530 5.7.0 Authentication required",
                ..OK
            },
            "mail-smtp-auth",
            "mail-smtp-auth-no-iwa",
            "mail.server",
        ),
        (
            Script {
                mail: "550 5.7.60 Client does not have permissions to send as this sender",
                ..OK
            },
            "mail-smtp-sender",
            "mail-smtp-sender-refused",
            "mim_service.email",
        ),
        (
            Script {
                mail: "451 4.7.0 Temporary server error",
                ..OK
            },
            "mail-smtp-sender",
            "mail-smtp-try-later",
            "mail.server",
        ),
        (
            Script {
                rcpt: "550 5.1.1 User unknown",
                ..OK
            },
            "mail-smtp-sender",
            "mail-smtp-no-mailbox",
            "mim_service.email",
        ),
        (
            Script {
                rcpt: "550 5.7.54 Unable to relay recipient in non-accepted domain",
                ..OK
            },
            "mail-smtp-sender",
            "mail-smtp-relay-denied",
            "mim_service.email",
        ),
        (
            Script {
                rcpt: "550 5.1.2 Host unknown",
                ..OK
            },
            "mail-smtp-sender",
            "mail-smtp-unknown-domain",
            "mim_service.email",
        ),
        (
            Script {
                ext: "AUTH NTLM",
                ..OK
            },
            "mail-smtp-auth",
            "mail-smtp-auth-unencrypted",
            "mail.use_ssl",
        ),
        (
            Script {
                ext: "AUTH LOGIN PLAIN",
                ..OK
            },
            "mail-smtp-auth",
            "mail-smtp-auth-unencrypted",
            "mail.use_ssl",
        ),
        (
            Script {
                ehlo: "421 4.7.0 Too many connections from this address",
                ..OK
            },
            "mail-smtp",
            "mail-smtp-try-later",
            "mail.server",
        ),
        (
            Script {
                starttls: "454 4.7.0 TLS not available due to temporary reason",
                ..OK
            },
            "mail-smtp-tls",
            "mail-smtp-try-later",
            "mail.server",
        ),
        (
            Script {
                starttls: "502 5.5.1 Not implemented",
                ..OK
            },
            "mail-smtp-tls",
            "mail-smtp-starttls-refused",
            "mail.use_ssl",
        ),
    ];
    for (script, id, check_id, field) in cases {
        let (port, seen) = scripted(script);
        let port = port.to_string();
        let ssl = if script.starttls.is_empty() {
            "mail.use_ssl=false"
        } else {
            "mail.use_ssl=true"
        };
        let (o, r, took) = check(
            &lab,
            "profiles/contoso-aadp-option-d.toml",
            &["mail.server=127.0.0.9", ssl],
            &[
                ("MIM_SERVICE_PASSWORD", canary),
                ("MIM_SETUP_SMTP_PORT", &port),
            ],
        );
        let out = one(&r, id);
        let what = format!(
            "{} / {} / {} / {}",
            script.greeting, script.ext, script.mail, script.rcpt
        );
        if check_id.is_empty() {
            assert_eq!(out["state"], "ok", "{what}: {r:#}");
            assert_eq!(o.status.code(), Some(0), "{what}: {r:#}");
        } else {
            assert_eq!(
                finding(out),
                (check_id.to_string(), field.to_string()),
                "{what}: {out:#}"
            );
            assert_eq!(o.status.code(), Some(1), "{what}");
        }
        assert!(took < Duration::from_secs(5), "{what}: {took:?}");
        let lines = seen.lock().map(|v| v.clone()).unwrap_or_default();
        for l in &lines {
            assert!(
                !l.to_ascii_uppercase().starts_with("AUTH") && !l.contains(canary),
                "{what}: received {l:?}"
            );
        }
        if script.ext.starts_with("AUTH") {
            assert!(
                lines.iter().all(|l| !l.starts_with("MAIL")),
                "{what}: {lines:?}"
            );
        }
    }
}
