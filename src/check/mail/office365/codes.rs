//! Entra ID's token errors (AADSTS codes in `error_codes`) as findings on the field that is
//! wrong.
use super::App;
use crate::finding::Finding;
use crate::screens::fields;

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
        Some(90002) | Some(900023) | Some(90013) => Finding::error("mail-office365-tenant", fields::mailbox_app::TENANT_ID, format!("Entra ID knows no tenant {} in this cloud instance ({}).", app.tenant, if app.instance.is_empty() { "global" } else { &app.instance }))
            .why(why_ids)
            .fix("Copy the Tenant ID from the Entra admin center (Overview), or the TenantId Create-MIMMailboxApp.ps1 printed; if the tenant is in a national cloud, choose that cloud instance."),
        Some(700016) => Finding::error("mail-office365-app-id", fields::mailbox_app::APPLICATION_ID, format!("No application {} is registered in tenant {}.", app.app_id, app.tenant))
            .why(why_ids)
            .fix("Copy the Application (client) ID from App registrations, or the ApplicationId Create-MIMMailboxApp.ps1 printed, and check that the app was registered in this tenant."),
        Some(7000215) => Finding::error("mail-office365-secret", fields::mailbox_app::CLIENT_SECRET, "Entra ID refused the client secret: it is not a current secret of this application.")
            .why("MIM Service authenticates to Exchange Online with this secret; a wrong one means no notifications and no approvals.")
            .fix("Use the secret's Value, not its Secret ID (Certificates & secrets); if the value is lost, add a new client secret and use that."),
        Some(7000222) => Finding::error("mail-office365-secret-expired", fields::mailbox_app::CLIENT_SECRET, "The client secret has expired.")
            .why("MIM Service cannot sign in to Exchange Online with an expired secret.")
            .fix("Add a new client secret to the application (Certificates & secrets) and use its value."),
        Some(500011) => Finding::error("mail-office365-resource", fields::cloud::INSTANCE, "Exchange Online is not available to this tenant in this cloud instance.")
            .why("MIM Service needs Exchange Online in the tenant that holds its mailbox.")
            .fix("Choose the cloud instance the tenant is hosted in, and check that the tenant has Exchange Online."),
        Some(700024) | Some(7000218) | Some(700027) => Finding::error("mail-office365-client-auth", fields::mailbox_app::CLIENT_SECRET, "Entra ID did not accept the application's credentials.")
            .why(why_ids)
            .fix("Give the client secret value of this application."),
        Some(7000112) => Finding::error("mail-office365-app-disabled", fields::mailbox_app::APPLICATION_ID, format!("Application {} is disabled in tenant {}.", app.app_id, app.tenant))
            .why("Entra ID issues no token to a disabled application, so MIM Service could neither send nor read mail; the Application ID itself is right.")
            .fix("Enable the application: Entra admin center, Enterprise applications, this app, Properties, \"Enabled for users to sign-in?\" Yes (or Update-MgServicePrincipal -AccountEnabled:$true)."),
        Some(53003) => Finding::error("mail-office365-conditional-access", fields::mailbox_app::APPLICATION_ID, format!("A Conditional Access policy blocks the token for application {}.", app.app_id))
            .why("The Application ID, Tenant ID and secret were accepted, but a Conditional Access policy refuses this sign-in; MIM Service would be refused the same way from this server.")
            .fix("In the Entra admin center, Sign-in logs, Service principal sign-ins: find this sign-in and the policy that blocked it; exclude the app from it or allow this server's network location (workload identity policies)."),
        Some(7000229) => Finding::error("mail-office365-no-service-principal", fields::mailbox_app::APPLICATION_ID, format!("Application {} has no service principal in tenant {}.", app.app_id, app.tenant))
            .why("The app is registered, but the tenant holds no enterprise application for it, so nothing can be granted to it and no token is issued.")
            .fix("Grant admin consent for the app in this tenant (API permissions, Grant admin consent), which creates its enterprise application."),
        Some(700025) => Finding::error("mail-office365-public-client", fields::mailbox_app::APPLICATION_ID, format!("Application {} is registered as a public client, which takes no client secret.", app.app_id))
            .why("MIM Service signs in with the client secret (client credentials), which a public client cannot use.")
            .fix("In the app's Authentication settings, set \"Allow public client flows\" to No."),
        Some(500014) => Finding::error("mail-office365-resource-disabled", fields::mailbox_app::TENANT_ID, "Exchange Online's service principal is disabled in this tenant.")
            .why("The token is for Exchange Online; with its enterprise application disabled Entra ID issues none.")
            .fix("Enable the Office 365 Exchange Online enterprise application in the tenant (Enterprise applications, Properties)."),
        _ if status >= 500 => Finding::error("mail-office365-token-server", fields::mailbox_app::APPLICATION_ID, format!("The token endpoint answered HTTP {status}."))
            .why(why_ids)
            .fix("Try again later; check the Microsoft 365 service health."),
        _ => Finding::error("mail-office365-token-refused", fields::mailbox_app::APPLICATION_ID, "Entra ID refused the token request.")
            .why(why_ids)
            .fix("Read the AADSTS code in the evidence (https://login.microsoftonline.com/error) and correct the Application ID, Tenant ID or secret."),
    };
    f.evidence(evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app() -> App {
        App {
            instance: "global".into(),
            tenant: "t".into(),
            app_id: "a".into(),
            email: "m@contoso.com".into(),
        }
    }

    #[test]
    fn each_code_names_its_field_and_trace_ids_are_dropped() {
        for (code, field) in [
            (90002, "mailbox_app.tenant_id"),
            (700016, "mailbox_app.application_id"),
            (7000215, "mailbox_app.client_secret"),
            (7000222, "mailbox_app.client_secret"),
            (500011, "cloud.instance"),
            (7000112, "mailbox_app.application_id"),
            (53003, "mailbox_app.application_id"),
            (7000229, "mailbox_app.application_id"),
            (700025, "mailbox_app.application_id"),
            (500014, "mailbox_app.tenant_id"),
        ] {
            let body = serde_json::json!({"error": "x", "error_codes": [code], "error_description": format!("AADSTS{code}: words. Trace ID: abc Correlation ID: def")});
            let f = token_error(400, &body, &app(), "https://login/t/oauth2/v2.0/token");
            assert_eq!(f.field.as_deref(), Some(field), "{code}");
            let ev = f.evidence.unwrap_or_default();
            assert!(
                ev.contains(&format!("AADSTS{code}")) && !ev.contains("Trace ID"),
                "{ev}"
            );
            // A mapped code never falls back to the generic advice.
            assert_ne!(f.check, "mail-office365-token-refused", "{code}");
            assert!(
                !f.fix
                    .contains("correct the Application ID, Tenant ID or secret"),
                "{code}"
            );
        }
        // The code only in the description, and no JSON at all.
        let body = serde_json::json!({"error_description": "AADSTS700016: no app"});
        assert_eq!(
            token_error(400, &body, &app(), "u").check,
            "mail-office365-app-id"
        );
        assert_eq!(
            token_error(502, &serde_json::Value::Null, &app(), "u").check,
            "mail-office365-token-server"
        );
    }
}
