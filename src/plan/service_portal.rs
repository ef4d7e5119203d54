//! The Service and Portal plan: setup with msiexec and the features chosen, then the checks
//! and steps after setup from the walkthroughs (portal, Local intranet zone, the management
//! policy rule, firewall rules, services, SSPR sites).
//!
//! The properties come from the table `screens/msi/service-portal.toml`. Answers without a
//! publicly known property (mail type and authentication in the Azure AD Premium edition,
//! the Office 365 application, the cloud instance, the tenant sign-in, the reset portal URL)
//! get no invented name: they are listed as answered interactively in setup, and setup then
//! runs with its screens instead of silently.
use super::props::Props;
use super::steps::join;
use super::{msi_property, quote_arg, Interactive, Plan, PlanError, Step, StepKind};
use crate::screens::fields;

use crate::profile::Profile;
use crate::screens::Screens;

const MSI: &str = "Service and Portal.msi";
const INTERACTIVE_NOTE: &str = "answered interactively in setup: no publicly known property";

/// The features of `ADDLOCAL`, from the component checkboxes.
pub const FEATURES: [(&str, &str); 6] = [
    (fields::features::SERVICE, "CommonServices"),
    (fields::features::REPORTING, "FIMReporting"),
    (fields::features::PORTAL, "WebPortals"),
    (fields::features::REGISTRATION, "RegistrationPortal"),
    (fields::features::RESET, "ResetPortal"),
    (fields::features::PAM, "PAMServices"),
];

pub(super) fn steps(
    screens: &Screens,
    profile: &Profile,
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let a = &profile.answers;
    let aadp = profile.edition() == "azure-ad-premium";
    let on = |f: &str| a.flag(f);
    let features = features(a);
    let mut p = Props::new(a);
    p.table(
        plan,
        super::table::of(super::table::Component::ServicePortal)?,
    )?;
    let mut interactive = Vec::new();
    let mut ask = |label: &str, value: String, from: &str| {
        // The reset portal's address only makes a link in the portal: a silent run keeps
        // setup's default, and the value is entered if setup runs with its screens.
        let optional = from == fields::portal::RESET_URL;
        let mut note = INTERACTIVE_NOTE.to_string();
        if optional {
            note.push_str("; a silent run keeps setup's default, so run setup with its screens (without /qn) to set it");
        }
        interactive.push(Interactive {
            step: "install-service-portal".into(),
            label: label.into(),
            value,
            from: from.into(),
            note,
            optional,
        });
    };
    if aadp {
        let v = a.text(fields::cloud::INSTANCE);
        let cloud = screens
            .field(fields::cloud::INSTANCE)
            .and_then(|(_, f)| f.option(v))
            .map_or(v.to_string(), |o| o.label.clone());
        ask("Azure cloud instance", cloud, fields::cloud::INSTANCE);
        ask(
            "Azure AD user for the subscription check (its password is typed in setup's sign-in window)",
            format!("{} (tenant {})", a.text(fields::tenant::USER), a.text(fields::tenant::DOMAIN)),
            fields::tenant::USER,
        );
    }
    if on(fields::features::SERVICE) {
        super::service_mim::interactive(a, plan, aadp, &mut ask);
        super::service_mim::notes(a, plan);
    }
    if on(fields::features::PORTAL) && !a.text(fields::portal::RESET_URL).is_empty() {
        ask(
            "Password Reset URL",
            a.text(fields::portal::RESET_URL).into(),
            fields::portal::RESET_URL,
        );
    }

    let log = super::placeholder::in_log_dir("install-service-portal.log");
    let quiet = interactive.iter().all(|i| i.optional);
    let mut argv = vec!["msiexec.exe".to_string(), "/i".into(), MSI.into()];
    let mut command = format!("msiexec.exe /i {}", quote_arg(MSI));
    if quiet {
        argv.push("/qn".into());
        command.push_str(" /qn");
    }
    argv.extend(["/L*v".to_string(), log.clone()]);
    command.push_str(&format!(" /L*v {}", quote_arg(&log)));
    for prop in &p.list {
        argv.push(format!("{}={}", prop.name, prop.value));
        command.push(' ');
        command.push_str(&msi_property(&prop.name, &prop.value)?);
    }
    let media = join(a.text(fields::features::MEDIA), "Service and Portal");
    let mut description = format!(
        "Install the MIM Service and Portal components {} from {media}, with the answers of the profile, logging verbosely to the log folder.",
        features.join(", ")
    );
    if quiet {
        description.push_str(" Setup runs silently (/qn).");
        if !interactive.is_empty() {
            description.push_str(" Optional answers without a known property keep setup's defaults (see `interactive`).");
        }
    } else {
        description.push_str(&format!(
            " Setup runs with its screens (no /qn): {} answer(s) have no publicly known property, so enter them as the plan's `interactive` list gives them; every other screen is pre-filled by the properties.",
            interactive.len()
        ));
        plan.notes.push("install-service-portal runs without /qn: a silent run cannot answer what setup asks interactively (see `interactive`), and the Azure AD Premium edition signs in to the tenant in a window of its own.".into());
    }
    if !p.secrets.is_empty() {
        description.push_str(&format!(
            " The secret placeholders ({}) are filled in from their references just before the run; logs show them redacted.",
            p.secrets.join(", ")
        ));
    }
    for prop in p.list.iter().filter(|p| !p.confirmed) {
        plan.notes.push(format!(
            "{}: not publicly confirmed. {}",
            prop.name,
            prop.note.trim_start_matches("[?] ")
        ));
    }
    plan.interactive = interactive;
    let secrets = std::mem::take(&mut p.secrets);
    plan.steps.push(Step {
        id: "install-service-portal".into(),
        kind: StepKind::Msiexec,
        description,
        argv,
        command,
        working_dir: Some(media),
        secrets,
        log: Some(log),
        properties: p.list,
    });
    super::service_after::steps(profile, plan)
}

/// The features of `ADDLOCAL` the component checkboxes choose, in setup's order.
pub(super) fn features(a: &crate::answers::Answers) -> Vec<&'static str> {
    FEATURES
        .iter()
        .filter(|(f, _)| a.flag(f))
        .map(|(_, name)| *name)
        .collect()
}
