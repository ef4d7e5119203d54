//! The HTTPS traps of the lab for options A, C and H: a gateway's sign-in page (127.0.0.3), a
//! web server with Windows authentication on every path (127.0.0.6), and the Office 365
//! stand-in's disabled, blocked and not yet served apps (https_standin.py).
use super::{check, env, finding, lab, never_shown, one};

const A: &str = "profiles/contoso-service-portal.toml";
const C: &str = "profiles/contoso-aadp-option-c.toml";

/// What only Exchange answers tells EWS apart: a gateway's sign-in page and an IIS server that
/// asks for Windows sign-in everywhere are errors, the Exchange stand-in passes.
#[test]
fn ews_is_told_apart_from_sign_in_pages_and_other_windows_servers() {
    let lab = lab();
    let cases = [
        (
            "mail.server=127.0.0.3",
            Some("mail-ews-not-ews"),
            "sign-in page \\\"Contoso Secure Access - Sign in\\\"",
        ),
        (
            "mail.server=127.0.0.6",
            Some("mail-ews-not-exchange"),
            "every path",
        ),
        ("mail.server=mail.contoso.com", None, "x-feserver"),
    ];
    for (set, want, words) in cases {
        let (o, r, _) = check(&lab, A, &[set], &[]);
        let ews = one(&r, "mail-ews");
        match want {
            Some(id) => {
                assert_eq!(
                    finding(ews),
                    (id.to_string(), "mail.server".to_string()),
                    "{set}: {ews:#}"
                );
                assert_eq!(ews["findings"][0]["severity"], "error", "{set}: {ews:#}");
                assert_eq!(o.status.code(), Some(1), "{set}");
            }
            None => assert_eq!(ews["state"], "ok", "{set}: {ews:#}"),
        }
        assert!(ews.to_string().contains(words), "{set}: {ews:#}");
    }
}

/// A proxy's page at the token endpoint or at Exchange Online's EWS is said to be one, never
/// Entra ID's or Exchange's refusal.
#[test]
fn office365_proxy_pages_are_not_reported_as_entra_id_or_exchange() {
    let lab = lab();
    let secret = env(&lab, "MIM_LAB_APP_SECRET");
    let cases = [
        (
            "MIM_SETUP_OAUTH_AUTHORITY",
            "https://127.0.0.3",
            "mail-office365-token",
            "mail-office365-token-not-entra",
        ),
        (
            "MIM_SETUP_EWS_URL",
            "https://127.0.0.3/EWS/Exchange.asmx",
            "mail-office365-mailbox",
            "mail-office365-ews-not-exchange",
        ),
    ];
    for (key, value, id, check_id) in cases {
        let (o, r, _) = check(
            &lab,
            C,
            &[],
            &[("MIM_APP_CLIENT_SECRET", &secret), (key, value)],
        );
        let out = one(&r, id);
        assert_eq!(finding(out).0, check_id, "{key}: {out:#}");
        let text = out.to_string();
        assert!(
            text.contains("Contoso Secure Access") && text.contains("Via: 1.1 gateway.contoso.com"),
            "{text}"
        );
        assert!(!text.contains("Entra ID refused"), "{text}");
        assert_eq!(o.status.code(), Some(1));
        never_shown(&o, &secret);
    }
}

/// The AADSTS codes an admin meets get their own fix, and Exchange Online's 401 after a
/// consent check that found full_access_as_app does not ask to grant it again.
#[test]
fn office365_disabled_blocked_and_not_yet_served_apps() {
    let lab = lab();
    let secret = env(&lab, "MIM_LAB_APP_SECRET");
    let app = |k: &str| format!("mailbox_app.application_id={}", env(&lab, k));
    let cases = [
        (
            app("MIM_LAB_APP_DISABLED"),
            "mail-office365-token",
            "mail-office365-app-disabled",
            "AADSTS7000112",
        ),
        (
            app("MIM_LAB_APP_BLOCKED"),
            "mail-office365-token",
            "mail-office365-conditional-access",
            "AADSTS53003",
        ),
        (
            app("MIM_LAB_APP_PENDING"),
            "mail-office365-mailbox",
            "mail-office365-ews-grant-not-effective",
            "2000008",
        ),
    ];
    for (set, id, check_id, code) in cases {
        let (o, r, _) = check(&lab, C, &[&set], &[("MIM_APP_CLIENT_SECRET", &secret)]);
        let out = one(&r, id);
        assert_eq!(
            finding(out),
            (
                check_id.to_string(),
                "mailbox_app.application_id".to_string()
            ),
            "{set}: {out:#}"
        );
        let f = &out["findings"][0];
        assert!(
            f["evidence"].as_str().unwrap_or("").contains(code),
            "{set}: {out:#}"
        );
        let fix = f["fix"].as_str().unwrap_or("");
        assert!(
            !fix.contains("correct the Application ID, Tenant ID or secret")
                && !fix.starts_with("Grant the app"),
            "{set}: {fix}"
        );
        assert_eq!(o.status.code(), Some(1));
    }
    let (_, r, _) = check(
        &lab,
        C,
        &[&app("MIM_LAB_APP_PENDING")],
        &[("MIM_APP_CLIENT_SECRET", &secret)],
    );
    assert_eq!(one(&r, "mail-office365-consent")["state"], "ok", "{r:#}");
}
