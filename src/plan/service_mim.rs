//! The MIM Service's part of the Service and Portal plan that is not an MSI property (those
//! are in `screens/msi/service-portal.toml`): the answers setup asks interactively for mail and
//! the Office 365 application, and the notes on mail and the firewall.
use super::Plan;
use crate::answers::{Answers, Value};
use crate::rules::mail_option;
use crate::screens::fields;

/// The mail answers that have no publicly known property, in the order setup's common
/// services screen asks them.
pub(super) fn interactive(
    a: &Answers,
    plan: &mut Plan,
    aadp: bool,
    ask: &mut dyn FnMut(&str, String, &str),
) {
    let server_type = a.text(fields::mail::SERVER_TYPE);
    let gmsa = a.flag(fields::mail::GMSA);
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
}

/// The deployment option, and what the plan says about mail and the firewall.
pub(super) fn notes(a: &Answers, plan: &mut Plan) {
    if let Some(option) = mail_option(a) {
        plan.deployment_option = Some(format!("{}: {}", option.0, option.title()));
    }
    match a.text(fields::mail::SERVER_TYPE) {
        "exchange" | "smtp" => {}
        "office365" => plan.notes.push("Office 365: MAIL_SERVER is left out; the mailbox is reached in Exchange Online, and setup takes the authentication method on its common services screen.".into()),
        // As the Volume License walkthrough does without a mail server.
        _ => plan.notes.push("No mail server: MAIL_SERVER=localhost with the Exchange checkboxes unticked, as the Volume License walkthrough does; the MIM Service sends no notifications.".into()),
    }
    if !a.flag(fields::access::FIREWALL) {
        plan.notes.push("FIREWALL_CONF is left out because opening 5725 and 5726 was not chosen: setup treats any value of a checkbox property, 0 included, as ticked.".into());
    }
}
