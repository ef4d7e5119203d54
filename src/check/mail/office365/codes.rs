//! Entra ID's token errors (AADSTS codes in `error_codes`) as findings on the field that is
//! wrong.
use super::App;
use crate::finding::Finding;

/// The first sentence of Entra ID's description, without its trace and correlation ids.
fn description(body: &serde_json::Value) -> String {
    let d = body["error_description"].as_str().unwrap_or("");
    let d = d.split(" Trace ID:").next().unwrap_or(d).trim();
    d.chars().take(400).collect()
}

pub fn token_error(status: u16, body: &serde_json::Value, app: &App, url: &str) -> Finding {
    let code = body["error_codes"]
        .as_array()
        .and_then(|a| a.first())
        .and_then(|c| c.as_u64())
        .or_else(|| {
            // Older answers carry the code in the description only.
            let d = body["error_description"].as_str()?;
            let rest = d.strip_prefix("AADSTS")?;
            rest.split(|c: char| !c.is_ascii_digit())
                .next()?
                .parse()
                .ok()
        });
    let error = body["error"].as_str().unwrap_or("no error field");
    let evidence = match code {
        Some(c) => format!(
            "{url}: HTTP {status}, AADSTS{c} ({error}): {}",
            description(body)
        ),
        None => format!("{url}: HTTP {status}, {error}"),
    };
    let why_ids = "Setup validates the Application ID and Tenant ID with Entra ID before it goes on, and MIM Service signs in the same way for every mail it sends or reads.";
    let f = match code {
        Some(90002) | Some(900023) | Some(90013) => Finding::error("mail-office365-tenant", "mailbox_app.tenant_id", format!("Entra ID knows no tenant {} in this cloud instance ({}).", app.tenant, if app.instance.is_empty() { "global" } else { &app.instance }))
            .why(why_ids)
            .fix("Copy the Tenant ID from the Entra admin center (Overview), or the TenantId Create-MIMMailboxApp.ps1 printed; if the tenant is in a national cloud, choose that cloud instance."),
        Some(700016) => Finding::error("mail-office365-app-id", "mailbox_app.application_id", format!("No application {} is registered in tenant {}.", app.app_id, app.tenant))
            .why(why_ids)
            .fix("Copy the Application (client) ID from App registrations, or the ApplicationId Create-MIMMailboxApp.ps1 printed, and check that the app was registered in this tenant."),
        Some(7000215) => Finding::error("mail-office365-secret", "mailbox_app.client_secret", "Entra ID refused the client secret: it is not a current secret of this application.")
            .why("MIM Service authenticates to Exchange Online with this secret; a wrong one means no notifications and no approvals.")
            .fix("Use the secret's Value, not its Secret ID (Certificates & secrets); if the value is lost, add a new client secret and use that."),
        Some(7000222) => Finding::error("mail-office365-secret-expired", "mailbox_app.client_secret", "The client secret has expired.")
            .why("MIM Service cannot sign in to Exchange Online with an expired secret.")
            .fix("Add a new client secret to the application (Certificates & secrets) and use its value."),
        Some(500011) => Finding::error("mail-office365-resource", "cloud.instance", "Exchange Online is not available to this tenant in this cloud instance.")
            .why("MIM Service needs Exchange Online in the tenant that holds its mailbox.")
            .fix("Choose the cloud instance the tenant is hosted in, and check that the tenant has Exchange Online."),
        Some(700024) | Some(7000218) | Some(700027) => Finding::error("mail-office365-client-auth", "mailbox_app.client_secret", "Entra ID did not accept the application's credentials.")
            .why(why_ids)
            .fix("Give the client secret value of this application."),
        _ if status >= 500 => Finding::error("mail-office365-token-server", "mailbox_app.application_id", format!("The token endpoint answered HTTP {status}."))
            .why(why_ids)
            .fix("Try again later; check the Microsoft 365 service health."),
        _ => Finding::error("mail-office365-token-refused", "mailbox_app.application_id", "Entra ID refused the token request.")
            .why(why_ids)
            .fix("Read the AADSTS code in the evidence (https://login.microsoftonline.com/error) and correct the Application ID, Tenant ID or secret."),
    };
    f.evidence(evidence)
}
