//! The Synchronization Service plan: setup with msiexec, the encryption key backup with
//! miiskmu.exe (setup has no silent option for it), a service check, and signing out for
//! the new group memberships.
//!
//! The properties come from the table `screens/msi/sync.toml`; names not confirmed anywhere
//! are marked `confirmed = false` there and repeated in the plan's notes.
use super::props::Props;
use super::steps::{command_step, join, manual_step, parent, ps};
use super::{msi_property, quote_arg, Plan, PlanError, Step, StepKind};
use crate::answers::Value;
use crate::profile::Profile;
use crate::screens::fields;

const MSI: &str = "Synchronization Service.msi";
pub(super) const SERVICE_NAME: &str = "FIMSynchronizationService";
const SECRET_SERVICE_PASSWORD: &str = "sync_service_password";

pub(super) fn steps(profile: &Profile, plan: &mut Plan) -> Result<(), PlanError> {
    let a = &profile.answers;
    let mut p = Props::new(a);
    p.table(plan, super::table::of(super::table::Component::Sync)?)?;
    let firewall = a.flag(fields::security::FIREWALL_RPC);

    let log = super::placeholder::in_log_dir("install-sync-service.log");
    let mut argv = vec![
        "msiexec.exe".to_string(),
        "/i".into(),
        MSI.into(),
        "/qn".into(),
        "/L*v".into(),
        log.clone(),
    ];
    let mut command = format!(
        "msiexec.exe /i {} /qn /L*v {}",
        quote_arg(MSI),
        quote_arg(&log)
    );
    for prop in &p.list {
        argv.push(format!("{}={}", prop.name, prop.value));
        command.push(' ');
        command.push_str(&msi_property(&prop.name, &prop.value)?);
    }
    let media = join(a.text(fields::install::MEDIA), "Synchronization Service");
    let mut description = format!(
        "Install the MIM Synchronization Service from {media}, with the answers of the profile, silently, logging verbosely to the log folder."
    );
    if !p.secrets.is_empty() {
        description.push_str(" SERVICEPASSWORD is filled in from its secret reference just before the run; logs show it redacted.");
    }
    for prop in p.list.iter().filter(|p| !p.confirmed) {
        plan.notes.push(format!(
            "{}: not publicly confirmed. {}",
            prop.name,
            prop.note.trim_start_matches("[?] ")
        ));
    }
    if !firewall {
        plan.notes.push("FIREWALL_CONF is left out because inbound RPC firewall rules were not chosen: setup treats any value of a checkbox property, 0 included, as ticked.".into());
    }
    plan.steps.push(Step {
        id: "install-sync-service".into(),
        kind: StepKind::Msiexec,
        description,
        argv,
        command,
        working_dir: Some(media),
        secrets: std::mem::take(&mut p.secrets),
        log: Some(log),
        properties: p.list,
    });

    let miiskmu = join(
        &join(
            a.text(fields::install::FOLDER),
            "Synchronization Service\\Bin",
        ),
        "miiskmu.exe",
    );
    key_backup(
        profile,
        plan,
        format!("Check that setup created the {SERVICE_NAME} service before its encryption key is exported; sc.exe fails with 1060 when it does not exist, and the plan stops there."),
        miiskmu,
    )?;

    plan.steps.push(manual_step(
        "sign-out-for-group-membership",
        "Sign out and sign in again (as the installing account) so that the new group memberships take effect, as setup asks at the end.".into(),
    ));
    Ok(())
}

/// The service check and the encryption key backup (`miiskmu` is the path of
/// miiskmu.exe): the install plan's, after setup, and the update plan's, first; `check`
/// describes the service check.
pub(super) fn key_backup(
    profile: &Profile,
    plan: &mut Plan,
    check: String,
    miiskmu: String,
) -> Result<(), PlanError> {
    let a = &profile.answers;
    let gmsa = a.text(fields::service_account::KIND) == "gmsa";
    // The service exists before its key is exported: miiskmu.exe works on the installed
    // service, and a failed step stops the plan before the export.
    plan.steps.push(command_step(
        "verify-sync-service",
        check,
        vec!["sc.exe".into(), "query".into(), SERVICE_NAME.into()],
        vec![],
    ));

    let key_file = a.text(fields::security::KEY_BACKUP);
    let key_dir = parent(key_file);
    // Quoted by PowerShell's rules, typographic quotes included: a folder name such as
    // `x’; Remove-Item …` once ended the literal early, as only ' was doubled.
    let mkdir = format!(
        "New-Item -ItemType Directory -Force -Path {} | Out-Null",
        ps(fields::security::KEY_BACKUP, &key_dir)?
    );
    plan.steps.push(command_step(
        "create-key-backup-folder",
        format!("Create the folder for the encryption key backup ({key_dir})."),
        vec![
            "powershell.exe".into(),
            "-NoProfile".into(),
            "-NonInteractive".into(),
            "-Command".into(),
            mkdir,
        ],
        vec![],
    ));

    let account = format!(
        "{}\\{}",
        a.text(fields::service_account::DOMAIN),
        a.text(fields::service_account::NAME)
    );
    let mut kmu = vec![
        miiskmu,
        "/e".into(),
        key_file.to_string(),
        format!("/u:{account}"),
    ];
    let mut kmu_secrets = vec![];
    let mut kmu_description = format!(
        "Back up the Synchronization Service encryption key to {key_file}. Setup only offers this in a dialog; without the key the service cannot be restored onto its database. Move the file off the server afterwards."
    );
    if gmsa {
        plan.notes.push("export-encryption-key: miiskmu.exe supports gMSAs from build 4.5.26.0; the form without a password for a gMSA is not publicly confirmed.".into());
        kmu_description.push_str(" The gMSA has no password: needs build 4.5.26.0 or later.");
    } else if let Some(Value::Secret(r)) = a.get(fields::service_account::PASSWORD) {
        kmu.push(plan.add_secret(SECRET_SERVICE_PASSWORD, r.clone()));
        kmu_secrets.push(SECRET_SERVICE_PASSWORD.to_string());
        kmu_description.push_str(" The password is filled in from its secret reference just before the run; logs show it redacted.");
    }
    kmu.push("/q".into());
    plan.steps.push(command_step(
        "export-encryption-key",
        kmu_description,
        kmu,
        kmu_secrets,
    ));

    Ok(())
}
