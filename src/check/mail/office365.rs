//! Options C and H, Office 365 application context: what setup validates (seed 002: "If
//! installer fails to validate the Application ID or Tenant ID, an error appears"; "If
//! installer fails to access MIM Service mailbox, another error appears"), done here first:
//!
//! 1. an OAuth2 client-credentials token request to the cloud instance's authority for
//!    Exchange Online (`<authority>/<tenant>/oauth2/v2.0/token`, scope `<EXO>/.default`);
//!    Entra ID's AADSTS codes name the wrong field (tenant, application, secret);
//! 2. the token's `roles` hold `full_access_as_app` (admin consent given);
//! 3. an EWS GetFolder on the MIM Service mailbox's Inbox, impersonating it
//!    (ExchangeImpersonation and X-AnchorMailbox, as app-only EWS requires).
//!
//! The authority and the EWS URL can be overridden (`MIM_SETUP_OAUTH_AUTHORITY`,
//! `MIM_SETUP_EWS_URL`). No token, secret or password reaches evidence or findings.
use super::ews::{client_for, peer_certificate, request_finding};
use super::{foreign, Steps, SCREEN};
use crate::answers::Answers;
use crate::check::{timeout_finding_url, Area, Ctx, Outcome, Probe, ProbeOutput};
use crate::finding::Finding;
use crate::screens::fields;
use base64::Engine;
use std::sync::Arc;

mod codes;
mod soap;
pub use soap::{element, get_folder};

/// Entra ID authority, EWS URL and Exchange Online resource of each cloud instance. The
/// authorities are those of Microsoft's national cloud table (learn.microsoft.com, "National
/// cloud deployments"); China's Exchange Online is partner.outlook.cn (Microsoft's "API
/// endpoints of Office 365 operated by 21Vianet"); US Government is GCC High's
/// outlook.office365.us (a DoD tenant's EWS is webmail.apps.mil: give it with
/// MIM_SETUP_EWS_URL).
pub fn cloud(instance: &str) -> (&'static str, &'static str, &'static str) {
    match instance {
        "us-government" => (
            "https://login.microsoftonline.us",
            "https://outlook.office365.us/EWS/Exchange.asmx",
            "https://outlook.office365.us",
        ),
        "china" => (
            "https://login.chinacloudapi.cn",
            "https://partner.outlook.cn/EWS/Exchange.asmx",
            "https://partner.outlook.cn",
        ),
        _ => (
            "https://login.microsoftonline.com",
            "https://outlook.office365.com/EWS/Exchange.asmx",
            "https://outlook.office365.com",
        ),
    }
}

#[derive(Debug, Clone)]
struct App {
    instance: String,
    tenant: String,
    app_id: String,
    email: String,
}

pub fn probe(a: &Answers) -> Probe {
    let app = App {
        instance: a.text(fields::cloud::INSTANCE).trim().to_string(),
        tenant: a.text(fields::mailbox_app::TENANT_ID).trim().to_string(),
        app_id: a
            .text(fields::mailbox_app::APPLICATION_ID)
            .trim()
            .to_string(),
        email: a.text(fields::mim_service::EMAIL).trim().to_string(),
    };
    let inputs = format!("{app:?}");
    Probe::new(
        "mail.office365",
        Area::Mail,
        "mailbox_app",
        "Office 365 application context",
        move |ctx| run(ctx, app),
    )
    .inputs(inputs)
}

/// Options B and G: nothing is tried, and the outcome says why.
pub fn basic_skipped(letter: char) -> ProbeOutput {
    let o = Outcome::skipped("mail-office365-basic", Area::Mail, SCREEN, "Office 365 basic authentication",
        format!("option {letter} signs in to Exchange Online Web Services with basic authentication, which Microsoft has turned off for EWS; a sign-in attempt would only prove that (and count against the account's lockout). Choose application context authentication to have it checked"));
    ProbeOutput {
        outcomes: vec![o],
        facts: Default::default(),
    }
}

const TOKEN_TITLE: &str = "Office 365 app sign-in (Application ID, Tenant ID, client secret)";
const CONSENT_TITLE: &str = "Office 365 app permission full_access_as_app";
const MAILBOX_TITLE: &str = "MIM Service mailbox through Exchange Online Web Services";

async fn run(ctx: Arc<Ctx>, app: App) -> ProbeOutput {
    let mut steps = Steps::new();
    let (authority, ews, resource) = cloud(&app.instance);
    let authority = ctx
        .settings
        .oauth_authority
        .clone()
        .unwrap_or_else(|| authority.to_string());
    let ews = ctx
        .settings
        .ews_url
        .clone()
        .unwrap_or_else(|| ews.to_string());
    let scope = format!("{resource}/.default");
    let token = token(&ctx, &app, &authority, &scope, &mut steps).await;
    let Some(token) = token else {
        steps.not_reached("mail-office365-consent", "mailbox_app", CONSENT_TITLE);
        steps.not_reached("mail-office365-mailbox", "mim_service", MAILBOX_TITLE);
        return steps.done();
    };
    let granted = consent(&token, &mut steps);
    if steps.failed() {
        steps.not_reached("mail-office365-mailbox", "mim_service", MAILBOX_TITLE);
        return steps.done();
    }
    soap::mailbox(&ctx, &app.email, &ews, &token, granted, &mut steps).await;
    steps.done()
}

/// The token request; None when it failed (the finding is pushed).
async fn token(
    ctx: &Ctx,
    app: &App,
    authority: &str,
    scope: &str,
    steps: &mut Steps,
) -> Option<String> {
    let (id, screen, field) = (
        "mail-office365-token",
        "mailbox_app",
        fields::mailbox_app::APPLICATION_ID,
    );
    let found = |f: Finding| Outcome::found(id, Area::Mail, screen, TOKEN_TITLE, vec![f]);
    let secret = match ctx.secrets.get(fields::mailbox_app::CLIENT_SECRET) {
        Ok(s) => s.expose().to_string(),
        Err(why) => {
            steps.push(Outcome::skipped(
                id,
                Area::Mail,
                screen,
                TOKEN_TITLE,
                format!("the client secret is not available: {why}"),
            ));
            return None;
        }
    };
    let mut url = match reqwest::Url::parse(authority) {
        Ok(u) if u.scheme() == "https" && !u.cannot_be_a_base() => u,
        _ => {
            steps.push(found(Finding::error("mail-office365-authority", field, format!("The authority `{authority}` is not an https URL."))
                .why("The token is requested from the authority of the cloud instance.")
                .fix("Unset MIM_SETUP_OAUTH_AUTHORITY, or give an https URL such as https://login.microsoftonline.com.")));
            return None;
        }
    };
    if let Ok(mut segs) = url.path_segments_mut() {
        // Each value is one escaped path segment, whatever it holds.
        segs.pop_if_empty()
            .extend([app.tenant.as_str(), "oauth2", "v2.0", "token"]);
    }
    let host = url.host_str().unwrap_or_default().to_string();
    let client = match client_for(ctx, &url, "mail-office365-dns", field).await {
        Ok(c) => c,
        Err(f) => {
            steps.push(found(f));
            return None;
        }
    };
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", app.app_id.as_str()),
        ("client_secret", secret.as_str()),
        ("scope", scope),
    ];
    let shown = format!("{}://{host}{}", url.scheme(), url.path());
    let resp = match ctx
        .within(client.post(url.clone()).form(&form).send())
        .await
    {
        Err(_) => {
            steps.push(found(timeout_finding_url(
                "mail-office365-token-timeout",
                field,
                &format!("The token endpoint {shown}"),
                url.as_str(),
                ctx.settings.timeout,
            )));
            return None;
        }
        Ok(Err(e)) => {
            steps.push(found(request_finding(ctx, "mail-office365-token", field, &url, &e).await
                .why("MIM Service gets its Exchange Online token from this endpoint; setup validates the Application ID and Tenant ID there.")));
            return None;
        }
        Ok(Ok(r)) => r,
    };
    let status = resp.status().as_u16();
    let cert = peer_certificate(&resp);
    let (ctype, server, via) = (
        header(&resp, "content-type"),
        header(&resp, "server"),
        header(&resp, "via"),
    );
    let text = match ctx.within(resp.text()).await {
        Ok(Ok(t)) => t,
        Ok(Err(_)) | Err(_) => String::new(),
    };
    let body: serde_json::Value = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
    if body.is_null() {
        if let Some(seen) = foreign::stand_in(status, &ctype, &text, &server, &via) {
            steps.push(found(Finding::error("mail-office365-token-not-entra", field, format!("The token endpoint {shown} answered with {seen}, not Entra ID's JSON: something between this server and Entra ID answered instead."))
                .why("MIM Service gets its Exchange Online token from this endpoint; an answer from a proxy, a firewall's block page or a captive portal says nothing about the Application ID, Tenant ID or secret, and the service meets the same page.")
                .fix(format!("Let this server reach https://{host} directly, or allow that address through the proxy or firewall whose page this is (its title and headers are in the evidence)."))
                .evidence(format!("{shown}: {seen}"))));
            return None;
        }
    }
    if let Some(t) = body["access_token"].as_str().filter(|_| status == 200) {
        let mut o = Outcome::ok(
            id,
            Area::Mail,
            screen,
            TOKEN_TITLE,
            format!("token for {scope} issued by {shown}"),
        )
        .with_evidence(format!(
            "HTTP 200, token type {}, expires in {} s",
            body["token_type"].as_str().unwrap_or("?"),
            body["expires_in"]
        ));
        if let Some(c) = cert {
            o = o.with_evidence(c);
        }
        steps.fact("mail.office365.token", "issued");
        steps.push(o);
        return Some(t.to_string());
    }
    steps.push(found(codes::token_error(status, &body, app, &shown)));
    None
}

/// A response header as text, empty when absent or not text.
pub(crate) fn header(resp: &reqwest::Response, name: &str) -> String {
    resp.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// The claims of a JWT (not verified: it is only read for its roles).
fn claims(token: &str) -> Option<serde_json::Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Whether the token's roles hold full_access_as_app; the outcome says so.
fn consent(token: &str, steps: &mut Steps) -> bool {
    let (id, screen, field) = (
        "mail-office365-consent",
        "mailbox_app",
        fields::mailbox_app::APPLICATION_ID,
    );
    let Some(c) = claims(token) else {
        steps.push(Outcome::skipped(
            id,
            Area::Mail,
            screen,
            CONSENT_TITLE,
            "the token is not a JWT this check can read; the mailbox request below tells",
        ));
        return false;
    };
    let roles: Vec<String> = c["roles"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let shown = format!(
        "roles in the token: {}",
        if roles.is_empty() {
            "none".to_string()
        } else {
            roles.join(", ")
        }
    );
    let granted = roles.iter().any(|r| r == "full_access_as_app");
    if granted {
        steps.push(
            Outcome::ok(
                id,
                Area::Mail,
                screen,
                CONSENT_TITLE,
                "the app holds full_access_as_app with admin consent",
            )
            .with_evidence(shown),
        );
    } else {
        steps.push(Outcome::found(id, Area::Mail, screen, CONSENT_TITLE, vec![Finding::error("mail-office365-consent", field, "The app has no Office 365 Exchange Online permission full_access_as_app with admin consent.")
            .evidence(shown)
            .why("MIM Service reaches its mailbox through EWS as the application; without full_access_as_app granted by an administrator Exchange Online refuses every request.")
            .fix("In the Entra admin center, App registrations, this app, API permissions: add Office 365 Exchange Online, Application permissions, full_access_as_app, then Grant admin consent (Create-MIMMailboxApp.ps1 does both).")]));
    }
    granted
}
