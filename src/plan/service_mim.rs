//! The MIM Service's part of the Service and Portal plan: database, mail (options A to I),
//! certificate, service account, Synchronization Server link and firewall.
use super::service_portal::Props;
use super::Plan;
use crate::answers::{Answers, Value};
use crate::rules::mail_option;

/// The MIM Service's database, mail, account, Sync link, certificate and firewall.
pub(super) fn service_properties(
    p: &mut Props,
    plan: &mut Plan,
    aadp: bool,
    ask: &mut dyn FnMut(&str, String, &str),
) {
    let a = p.a;
    p.field("SQLSERVER_SERVER", "database.server", "script, log");
    p.field("SQLSERVER_DATABASE", "database.database", "script, log");
    let reuse = if a.text("database.mode") == "reuse" {
        "1"
    } else {
        "0"
    };
    p.add(
        "EXISTINGDATABASE",
        reuse,
        "database.mode",
        "script, log",
        "",
    );

    let server_type = a.text("mail.server_type");
    let gmsa = a.flag("mail.gmsa");
    if let Some(option) = mail_option(a) {
        plan.deployment_option = Some(format!("{}: {}", option.0, option.title()));
    }
    match server_type {
        "exchange" | "smtp" => {
            p.field("MAIL_SERVER", "mail.server", "script");
            p.flag("MAIL_SERVER_USE_SSL", "mail.use_ssl", "script");
            let exchange = server_type == "exchange";
            p.add(
                "MAIL_SERVER_IS_EXCHANGE",
                if exchange { "1" } else { "0" },
                "mail.server_type",
                "script",
                "",
            );
            let poll = exchange && a.flag("mail.poll_exchange");
            p.add(
                "POLL_EXCHANGE_ENABLED",
                if poll { "1" } else { "0" },
                "mail.poll_exchange",
                "script",
                "",
            );
            p.add(
                "MAIL_SERVER_IS_EXCHANGE_ONLINE",
                "0",
                "mail.server_type",
                "script",
                "",
            );
        }
        "office365" => {
            p.add(
                "MAIL_SERVER_IS_EXCHANGE_ONLINE",
                "1",
                "mail.server_type",
                "script",
                "",
            );
            plan.notes.push("Office 365: MAIL_SERVER is left out; the mailbox is reached in Exchange Online, and setup takes the authentication method on its common services screen.".into());
        }
        _ => {
            // As the Volume License walkthrough does without a mail server.
            p.add("MAIL_SERVER", "localhost", "mail.server_type", "script", "");
            p.add("MAIL_SERVER_USE_SSL", "0", "mail.server_type", "script", "");
            p.add(
                "MAIL_SERVER_IS_EXCHANGE",
                "0",
                "mail.server_type",
                "script",
                "",
            );
            p.add(
                "POLL_EXCHANGE_ENABLED",
                "0",
                "mail.server_type",
                "script",
                "",
            );
            plan.notes.push("No mail server: MAIL_SERVER=localhost with the Exchange checkboxes unticked, as the Volume License walkthrough does; the MIM Service sends no notifications.".into());
        }
    }
    let auth_label = |v: &str| match v {
        "integrated" => "Integrated Windows Authentication",
        "basic" => "Basic Authentication",
        _ => "Application Context Authentication",
    };
    let type_label = match server_type {
        "exchange" => "Exchange Server 2013 or later",
        "office365" => "Office 365",
        "smtp" => "SMTP",
        _ => "None",
    };
    let app = server_type == "office365" && a.text("mail.auth") == "app-context";
    if aadp || server_type == "office365" {
        ask("Mail server type", type_label.into(), "mail.server_type");
        if server_type != "none" {
            ask(
                "Authentication method",
                auth_label(a.text("mail.auth")).into(),
                "mail.auth",
            );
        }
        ask(
            "Use Group Managed Service Account",
            if gmsa { "ticked" } else { "unticked" }.into(),
            "mail.gmsa",
        );
    }
    if app {
        ask(
            "Application ID",
            a.text("mailbox_app.application_id").into(),
            "mailbox_app.application_id",
        );
        ask(
            "Tenant ID",
            a.text("mailbox_app.tenant_id").into(),
            "mailbox_app.tenant_id",
        );
        if let Some(Value::Secret(r)) = a.get("mailbox_app.client_secret") {
            let placeholder = plan.add_secret("mailbox_app_client_secret", r.clone());
            ask(
                "Client secret (the value of this reference)",
                placeholder,
                "mailbox_app.client_secret",
            );
        }
    }
    if a.flag("features.reporting") {
        p.field(
            "SERVICE_MANAGER_SERVER",
            "reporting.scsm_server",
            "script, log",
        );
    }
    if a.text("certificate.source") == "existing" {
        let thumb: String = a
            .text("certificate.thumbprint")
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_ascii_uppercase();
        p.add("CERTIFICATE_THUMBPRINT", &thumb, "certificate.thumbprint", "unconfirmed", "[?] the property for an existing certificate is not publicly documented; if setup ignores it, choose the certificate on setup's certificate screen.");
    } else {
        p.add(
            "CERTIFICATE_NAME",
            "ForefrontIdentityManager",
            "certificate.source",
            "script, log",
            "",
        );
    }

    p.field("SERVICE_ACCOUNT_NAME", "mim_service.name", "script");
    if gmsa {
        p.add(
            "USE_MANAGED_ACCOUNT_FOR_SERVICE",
            "1",
            "mail.gmsa",
            "script",
            "",
        );
    } else {
        p.secret(
            plan,
            "SERVICE_ACCOUNT_PASSWORD",
            "mim_service.password",
            "mim_service_password",
        );
    }
    p.field("SERVICE_ACCOUNT_DOMAIN", "mim_service.domain", "script");
    if server_type != "none" {
        p.field("SERVICE_ACCOUNT_EMAIL", "mim_service.email", "script");
    }
    for from in ["mim_service.mailbox_password", "mim_service.azure_password"] {
        if a.get(from).is_some() && field_shown(a, from) {
            p.secret(
                plan,
                "SERVICE_ACCOUNT_EMAIL_PASSWORD",
                from,
                "mim_service_mailbox_password",
            );
        }
    }
    p.field("SYNCHRONIZATION_SERVER", "sync_link.server", "script, doc");
    p.field(
        "SYNCHRONIZATION_SERVER_ACCOUNT",
        "sync_link.ma_account",
        "script, doc",
    );
    p.add("RMS_PORT", "5725", "", "log, script", "");
    p.add("STS_PORT", "5726", "", "log, script", "");
    if a.flag("access.firewall") {
        p.add("FIREWALL_CONF", "1", "access.firewall", "log, script", "");
    } else {
        plan.notes.push("FIREWALL_CONF is left out because opening 5725 and 5726 was not chosen: setup treats any value of a checkbox property, 0 included, as ticked.".into());
    }
}

/// Whether the mailbox password field of the option is the one the flow shows.
fn field_shown(a: &Answers, from: &str) -> bool {
    match from {
        "mim_service.mailbox_password" => {
            a.text("mail.server_type") == "exchange" && a.flag("mail.gmsa")
        }
        _ => a.text("mail.server_type") == "office365" && a.text("mail.auth") == "basic",
    }
}
