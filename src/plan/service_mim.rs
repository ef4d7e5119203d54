//! The MIM Service's part of the Service and Portal plan: database, mail (options A to I),
//! certificate, service account, Synchronization Server link and firewall.
use super::service_portal::Props;
use super::Plan;
use crate::answers::{Answers, Value};
use crate::rules::mail_option;
use crate::screens::fields;

/// The MIM Service's database, mail, account, Sync link, certificate and firewall.
pub(super) fn service_properties(
    p: &mut Props,
    plan: &mut Plan,
    aadp: bool,
    ask: &mut dyn FnMut(&str, String, &str),
) {
    let a = p.a;
    p.field("SQLSERVER_SERVER", fields::database::SERVER, "script, log");
    p.field(
        "SQLSERVER_DATABASE",
        fields::database::DATABASE,
        "script, log",
    );
    let reuse = if a.text(fields::database::MODE) == "reuse" {
        "1"
    } else {
        "0"
    };
    p.add(
        "EXISTINGDATABASE",
        reuse,
        fields::database::MODE,
        "script, log",
        "",
    );

    let server_type = a.text(fields::mail::SERVER_TYPE);
    let gmsa = a.flag(fields::mail::GMSA);
    if let Some(option) = mail_option(a) {
        plan.deployment_option = Some(format!("{}: {}", option.0, option.title()));
    }
    match server_type {
        "exchange" | "smtp" => {
            p.field("MAIL_SERVER", fields::mail::SERVER, "script");
            p.flag("MAIL_SERVER_USE_SSL", fields::mail::USE_SSL, "script");
            let exchange = server_type == "exchange";
            p.add(
                "MAIL_SERVER_IS_EXCHANGE",
                if exchange { "1" } else { "0" },
                fields::mail::SERVER_TYPE,
                "script",
                "",
            );
            let poll = exchange && a.flag(fields::mail::POLL_EXCHANGE);
            p.add(
                "POLL_EXCHANGE_ENABLED",
                if poll { "1" } else { "0" },
                fields::mail::POLL_EXCHANGE,
                "script",
                "",
            );
            p.add(
                "MAIL_SERVER_IS_EXCHANGE_ONLINE",
                "0",
                fields::mail::SERVER_TYPE,
                "script",
                "",
            );
        }
        "office365" => {
            p.add(
                "MAIL_SERVER_IS_EXCHANGE_ONLINE",
                "1",
                fields::mail::SERVER_TYPE,
                "script",
                "",
            );
            plan.notes.push("Office 365: MAIL_SERVER is left out; the mailbox is reached in Exchange Online, and setup takes the authentication method on its common services screen.".into());
        }
        _ => {
            // As the Volume License walkthrough does without a mail server.
            p.add(
                "MAIL_SERVER",
                "localhost",
                fields::mail::SERVER_TYPE,
                "script",
                "",
            );
            p.add(
                "MAIL_SERVER_USE_SSL",
                "0",
                fields::mail::SERVER_TYPE,
                "script",
                "",
            );
            p.add(
                "MAIL_SERVER_IS_EXCHANGE",
                "0",
                fields::mail::SERVER_TYPE,
                "script",
                "",
            );
            p.add(
                "POLL_EXCHANGE_ENABLED",
                "0",
                fields::mail::SERVER_TYPE,
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
    let app = server_type == "office365" && a.text(fields::mail::AUTH) == "app-context";
    if aadp || server_type == "office365" {
        ask(
            "Mail server type",
            type_label.into(),
            fields::mail::SERVER_TYPE,
        );
        if server_type != "none" {
            ask(
                "Authentication method",
                auth_label(a.text(fields::mail::AUTH)).into(),
                fields::mail::AUTH,
            );
        }
        ask(
            "Use Group Managed Service Account",
            if gmsa { "ticked" } else { "unticked" }.into(),
            fields::mail::GMSA,
        );
    }
    if app {
        ask(
            "Application ID",
            a.text(fields::mailbox_app::APPLICATION_ID).into(),
            fields::mailbox_app::APPLICATION_ID,
        );
        ask(
            "Tenant ID",
            a.text(fields::mailbox_app::TENANT_ID).into(),
            fields::mailbox_app::TENANT_ID,
        );
        if let Some(Value::Secret(r)) = a.get(fields::mailbox_app::CLIENT_SECRET) {
            let placeholder = plan.add_secret("mailbox_app_client_secret", r.clone());
            ask(
                "Client secret (the value of this reference)",
                placeholder,
                fields::mailbox_app::CLIENT_SECRET,
            );
        }
    }
    if a.flag(fields::features::REPORTING) {
        p.field(
            "SERVICE_MANAGER_SERVER",
            fields::reporting::SCSM_SERVER,
            "script, log",
        );
    }
    if a.text(fields::certificate::SOURCE) == "existing" {
        let thumb: String = a
            .text(fields::certificate::THUMBPRINT)
            .chars()
            .filter(char::is_ascii_hexdigit)
            .collect::<String>()
            .to_ascii_uppercase();
        p.add("CERTIFICATE_THUMBPRINT", &thumb, fields::certificate::THUMBPRINT, "unconfirmed", "[?] the property for an existing certificate is not publicly documented; if setup ignores it, choose the certificate on setup's certificate screen.");
    } else {
        p.add(
            "CERTIFICATE_NAME",
            "ForefrontIdentityManager",
            fields::certificate::SOURCE,
            "script, log",
            "",
        );
    }

    p.field("SERVICE_ACCOUNT_NAME", fields::mim_service::NAME, "script");
    if gmsa {
        p.add(
            "USE_MANAGED_ACCOUNT_FOR_SERVICE",
            "1",
            fields::mail::GMSA,
            "script",
            "",
        );
    } else {
        p.secret(
            plan,
            "SERVICE_ACCOUNT_PASSWORD",
            fields::mim_service::PASSWORD,
            "mim_service_password",
        );
    }
    p.field(
        "SERVICE_ACCOUNT_DOMAIN",
        fields::mim_service::DOMAIN,
        "script",
    );
    if server_type != "none" {
        p.field(
            "SERVICE_ACCOUNT_EMAIL",
            fields::mim_service::EMAIL,
            "script",
        );
    }
    for from in [
        fields::mim_service::MAILBOX_PASSWORD,
        fields::mim_service::AZURE_PASSWORD,
    ] {
        if a.get(from).is_some() && field_shown(a, from) {
            p.secret(
                plan,
                "SERVICE_ACCOUNT_EMAIL_PASSWORD",
                from,
                "mim_service_mailbox_password",
            );
        }
    }
    p.field(
        "SYNCHRONIZATION_SERVER",
        fields::sync_link::SERVER,
        "script, doc",
    );
    p.field(
        "SYNCHRONIZATION_SERVER_ACCOUNT",
        fields::sync_link::MA_ACCOUNT,
        "script, doc",
    );
    p.add("RMS_PORT", "5725", "", "log, script", "");
    p.add("STS_PORT", "5726", "", "log, script", "");
    if a.flag(fields::access::FIREWALL) {
        p.add(
            "FIREWALL_CONF",
            "1",
            fields::access::FIREWALL,
            "log, script",
            "",
        );
    } else {
        plan.notes.push("FIREWALL_CONF is left out because opening 5725 and 5726 was not chosen: setup treats any value of a checkbox property, 0 included, as ticked.".into());
    }
}

/// Whether the mailbox password field of the option is the one the flow shows.
fn field_shown(a: &Answers, from: &str) -> bool {
    match from {
        fields::mim_service::MAILBOX_PASSWORD => {
            a.text(fields::mail::SERVER_TYPE) == "exchange" && a.flag(fields::mail::GMSA)
        }
        _ => {
            a.text(fields::mail::SERVER_TYPE) == "office365"
                && a.text(fields::mail::AUTH) == "basic"
        }
    }
}
