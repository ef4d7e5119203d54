//! Mail checks against the lab: the SMTP server (aiosmtpd) on mail.contoso.com, the Exchange
//! EWS and Office 365 stand-ins, certificate fault servers on 127.0.0.7 (untrusted) and
//! 127.0.0.8 (wrong name), and fault servers each test runs itself on 127.0.0.9. The SMTP
//! ones are in `smtp`.
use super::common::{json, lab, outcomes, Lab};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::time::{Duration, Instant};

mod cleartext;
mod replies;
mod smtp;
mod web;

/// `mim-setup check PROFILE --only mail --json` with overrides and extra environment.
fn check(
    lab: &Lab,
    profile: &str,
    sets: &[&str],
    env: &[(&str, &str)],
) -> (Output, serde_json::Value, Duration) {
    let mut args = vec![
        "check",
        profile,
        "--only",
        "mail",
        "--json",
        "--timeout",
        "2",
    ];
    for s in sets {
        args.push("--set");
        args.push(s);
    }
    let mut c = lab.command(&args);
    c.envs(env.iter().copied());
    let t = Instant::now();
    let o = c.output().expect("mim-setup runs");
    let took = t.elapsed();
    let r = json(&o);
    (o, r, took)
}

fn env(lab: &Lab, key: &str) -> String {
    lab.env.get(key).cloned().unwrap_or_else(|| {
        panic!("the lab's settings have no {key}: is tests/lab/mail.sh part of the running lab?")
    })
}

/// The one outcome with this id.
fn one<'a>(r: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    let v = outcomes(r, id);
    assert_eq!(v.len(), 1, "one {id} outcome expected in {r:#}");
    v[0]
}

/// The first finding's check id and field.
fn finding(o: &serde_json::Value) -> (String, String) {
    let f = &o["findings"][0];
    (
        f["check"].as_str().unwrap_or("").to_string(),
        f["field"].as_str().unwrap_or("").to_string(),
    )
}

/// Neither output holds the value.
fn never_shown(o: &Output, secret: &str) {
    assert!(!secret.is_empty());
    for (name, text) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
        assert!(
            !String::from_utf8_lossy(text).contains(secret),
            "a secret appears on {name}"
        );
    }
}

/// What the scripted fault server on `port` received, one line each (tests/lab/smtp_faults.py
/// logs every line a client sends).
fn received(lab: &Lab, port: u16) -> Vec<String> {
    let log = lab.dir.join("mail/received.log");
    let text = std::fs::read_to_string(&log)
        .unwrap_or_else(|e| panic!("{}: {e}: is smtp_faults.py part of the lab?", log.display()));
    let prefix = format!("{port} ");
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .map(str::to_string)
        .collect()
}

fn all_ok(r: &serde_json::Value, ids: &[&str]) {
    for id in ids {
        let o = one(r, id);
        assert_eq!(o["state"], "ok", "{o:#}");
    }
}

/// A listener on 127.0.0.9 that serves each connection with `serve` for at most 15 s, then
/// stops by itself.
fn fault_server(serve: fn(TcpStream)) -> u16 {
    let l = TcpListener::bind("127.0.0.9:0").expect("bind a fault server on 127.0.0.9");
    let port = l.local_addr().expect("local address").port();
    l.set_nonblocking(true).expect("non-blocking listener");
    std::thread::spawn(move || {
        let end = Instant::now() + Duration::from_secs(15);
        while Instant::now() < end {
            match l.accept() {
                Ok((s, _)) => {
                    let _ = s.set_nonblocking(false);
                    let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
                    std::thread::spawn(move || serve(s));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    port
}

/// Accepts, never answers, holds the connection.
fn black_hole(s: TcpStream) {
    std::thread::sleep(Duration::from_secs(10));
    drop(s);
}

/// Option A (Contoso Volume License walkthrough): EWS on mail.contoso.com, resolved by the
/// lab's DNS, answers 401 Negotiate/NTLM over TLS verified with the lab CA.
#[test]
fn exchange_profile_passes_with_ews_alive() {
    let lab = lab();
    let (o, r, _) = check(&lab, "profiles/contoso-service-portal.toml", &[], &[]);
    all_ok(&r, &["mail-address", "mail-ews"]);
    let ews = one(&r, "mail-ews").to_string();
    assert!(ews.contains("WWW-Authenticate: Negotiate, NTLM"), "{ews}");
    assert!(
        ews.contains("CN=mail") && ews.contains("Contoso Lab Test CA"),
        "{ews}"
    );
    assert_eq!(r["facts"]["mail.ews.status"], "401");
    assert_eq!(o.status.code(), Some(0), "{r:#}");
}

/// Options C and H: the shipped profiles' app, tenant and mailbox are the lab's; the secret
/// comes from the environment and is never shown.
#[test]
fn office365_app_profiles_pass_and_never_show_the_secret() {
    let lab = lab();
    let secret = env(&lab, "MIM_LAB_APP_SECRET");
    for p in [
        "profiles/contoso-aadp-option-c.toml",
        "profiles/contoso-aadp-option-h.toml",
    ] {
        let (o, r, _) = check(&lab, p, &[], &[("MIM_APP_CLIENT_SECRET", &secret)]);
        all_ok(
            &r,
            &[
                "mail-address",
                "mail-office365-token",
                "mail-office365-consent",
                "mail-office365-mailbox",
            ],
        );
        assert!(one(&r, "mail-office365-consent")
            .to_string()
            .contains("full_access_as_app"));
        assert_eq!(o.status.code(), Some(0), "{p}: {r:#}");
        never_shown(&o, &secret);
    }
}

#[test]
fn ews_untrusted_wrong_name_refused_and_nxdomain() {
    let lab = lab();
    let p = "profiles/contoso-service-portal.toml";
    let cases = [
        (
            "mail.server=127.0.0.7",
            "mail-ews-certificate",
            "presented a certificate subject CN=untrusted; names mail.contoso.com",
        ),
        (
            "mail.server=127.0.0.8",
            "mail-ews-certificate",
            "presented a certificate subject CN=wrongname; names elsewhere.contoso.com",
        ),
        ("mail.server=127.0.0.9", "mail-ews-refused", "refused"),
        (
            "mail.server=nosuchhost.contoso.com",
            "mail-ews-dns",
            "NXDOMAIN",
        ),
    ];
    for (set, check_id, words) in cases {
        let (o, r, took) = check(&lab, p, &[set], &[]);
        let ews = one(&r, "mail-ews");
        assert_eq!(
            finding(ews),
            (check_id.to_string(), "mail.server".to_string()),
            "{set}: {ews:#}"
        );
        assert!(ews.to_string().contains(words), "{set}: {ews:#}");
        assert!(took < Duration::from_secs(5), "{set}: {took:?}");
        assert_eq!(o.status.code(), Some(1));
    }
}

/// Overrides, environment, outcome id, finding id, field.
type Case<'a> = (
    &'a [&'a str],
    &'a [(&'a str, &'a str)],
    &'a str,
    &'a str,
    &'a str,
);

/// Wrong tenant, app id, secret; an app without consent; a mailbox that does not exist; a
/// token endpoint that never answers.
#[test]
fn office365_faults_name_the_wrong_field() {
    let lab = lab();
    let c = "profiles/contoso-aadp-option-c.toml";
    let secret = env(&lab, "MIM_LAB_APP_SECRET");
    let no_consent = format!(
        "mailbox_app.application_id={}",
        env(&lab, "MIM_LAB_APP_NO_CONSENT")
    );
    let good = [("MIM_APP_CLIENT_SECRET", secret.as_str())];
    let cases: [Case; 5] = [
        (
            &["mailbox_app.tenant_id=00000000-1111-2222-3333-444444444444"],
            &good,
            "mail-office365-token",
            "mail-office365-tenant",
            "mailbox_app.tenant_id",
        ),
        (
            &["mailbox_app.application_id=00000000-1111-2222-3333-444444444444"],
            &good,
            "mail-office365-token",
            "mail-office365-app-id",
            "mailbox_app.application_id",
        ),
        (
            &[],
            &[("MIM_APP_CLIENT_SECRET", "Canary~Secret~0815")],
            "mail-office365-token",
            "mail-office365-secret",
            "mailbox_app.client_secret",
        ),
        (
            &[&no_consent],
            &good,
            "mail-office365-consent",
            "mail-office365-consent",
            "mailbox_app.application_id",
        ),
        (
            &["mim_service.email=nobody@contoso.onmicrosoft.com"],
            &good,
            "mail-office365-mailbox",
            "mail-office365-no-mailbox",
            "mim_service.email",
        ),
    ];
    for (sets, env, id, check_id, field) in cases {
        let (o, r, _) = check(&lab, c, sets, env);
        let out = one(&r, id);
        assert_eq!(
            finding(out),
            (check_id.to_string(), field.to_string()),
            "{sets:?}: {out:#}"
        );
        assert_eq!(o.status.code(), Some(1));
        never_shown(&o, &secret);
        never_shown(&o, "Canary~Secret~0815");
    }
    let text = one(
        &check(
            &lab,
            c,
            &["mailbox_app.tenant_id=00000000-1111-2222-3333-444444444444"],
            &good,
        )
        .1,
        "mail-office365-token",
    )
    .to_string();
    assert!(text.contains("AADSTS90002"), "{text}");

    let hole = fault_server(black_hole);
    let authority = format!("https://127.0.0.9:{hole}");
    let (_, r, took) = check(
        &lab,
        c,
        &[],
        &[
            ("MIM_APP_CLIENT_SECRET", &secret),
            ("MIM_SETUP_OAUTH_AUTHORITY", &authority),
        ],
    );
    let token = one(&r, "mail-office365-token");
    assert_eq!(
        finding(token).0,
        "mail-office365-token-timeout",
        "{token:#}"
    );
    assert!(took < Duration::from_secs(5), "{took:?}");
}

/// Options B and G are not tried, and say why; nothing is reported as passed for them;
/// options E and I have nothing to reach and say so.
#[test]
fn office365_basic_and_no_mail_server_are_skipped_with_the_reason() {
    let lab = lab();
    for p in [
        "profiles/contoso-aadp-option-e.toml",
        "profiles/contoso-aadp-option-i.toml",
    ] {
        let (_, r, _) = check(&lab, p, &[], &[]);
        let none = one(&r, "mail-none");
        assert_eq!(none["state"], "skipped", "{p}: {none:#}");
        assert_eq!(
            r["outcomes"].as_array().map(Vec::len),
            Some(1),
            "{p}: {r:#}"
        );
    }
    let (o, r, _) = check(&lab, "profiles/contoso-aadp-option-b.toml", &[], &[]);
    let b = one(&r, "mail-office365-basic");
    assert_eq!(b["state"], "skipped");
    assert!(
        b["summary"]
            .as_str()
            .unwrap_or("")
            .contains("basic authentication"),
        "{b:#}"
    );
    assert_eq!(o.status.code(), Some(0));
}
