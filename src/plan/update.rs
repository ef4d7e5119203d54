//! The update plan of an installed Synchronization Service that is behind the newest build
//! of its line (`mim-setup doctor --plan`), in the install plans' format so that `apply`
//! runs it with the journal and resume: the service check and the encryption key backup
//! first (the install plan's own steps), stopping the scheduled runs (a person does it), the
//! hotfix file, `msiexec /p`, the service restarted, and the new version checked.
//!
//! No hotfix file name is confirmed (Microsoft's download names are not in the facts), so
//! without `--hotfix FILE` the plan names a place for the file and a step that stops the
//! plan, saying what to put there, until it is there; `apply` resumes at that step. With
//! `--hotfix FILE`, that file is used and its SHA-256 checked before msiexec runs it.
use super::steps::{join, manual_step, powershell_step, ps};
use super::sync::{key_backup, SERVICE_NAME};
use super::{quote_arg, Plan, PlanError, Step, StepKind};
use crate::profile::Loaded;
use crate::screens::Screens;

/// What the update goes from and to, as the doctor's build step read it.
#[derive(Debug, Clone)]
pub struct Target {
    /// The installed build (the file version of Bin\miiserver.exe, else setup's record).
    pub installed: String,
    /// The newest build of the installed line, and its KB and date.
    pub version: String,
    pub kb: String,
    pub date: String,
    pub line: String,
    /// The Sync Service's folder (the Parameters key's `Path`, ending in a backslash or not).
    pub path: String,
    /// Where the installed build and the path were read.
    pub from: String,
}

/// The hotfix file given with `--hotfix`: its path on the server and its SHA-256.
#[derive(Debug, Clone)]
pub struct Hotfix {
    pub path: String,
    pub sha256: String,
}

/// Where the plan expects the hotfix file when none was given.
pub const UPDATE_FOLDER: &str = "C:\\MIMUpdate";

/// The update plan for `loaded` (a Synchronization Service profile: its service account and
/// key backup file) from `target.installed` to `target.version`.
pub fn build(
    screens: &Screens,
    loaded: &Loaded,
    profile_path: &str,
    target: &Target,
    hotfix: Option<&Hotfix>,
) -> Result<Plan, PlanError> {
    super::ready(screens, loaded)?;
    let profile = &loaded.profile;
    let mut plan = Plan::header(profile, &loaded.sha256, profile_path);
    let kb = if target.kb.is_empty() {
        format!("the update to {}", target.version)
    } else {
        target.kb.clone()
    };
    plan.notes.push(format!(
        "Update plan: {} installed ({}); {} ({kb}{}) is the newest {} build.",
        target.installed,
        target.from,
        target.version,
        if target.date.is_empty() {
            String::new()
        } else {
            format!(", {}", target.date)
        },
        target.line
    ));
    let bin = join(&target.path, "Bin");
    key_backup(
        profile,
        &mut plan,
        format!("Check that the {SERVICE_NAME} service is installed on this server before its encryption key is exported; sc.exe fails with 1060 when it is not, and the plan stops there."),
        join(&bin, "miiskmu.exe"),
    )?;
    plan.steps.push(manual_step(
        "stop-scheduled-runs",
        "Stop the scheduled runs (the Task Scheduler jobs or the scheduler that starts the run profiles) and wait until no management agent is running (Synchronization Service Manager, Operations): the update stops the Synchronization Service.".into(),
    ));
    let (file, check) = match hotfix {
        Some(h) => {
            plan.notes.push(format!(
                "install-hotfix: the file given with --hotfix, {}, SHA-256 {}; check-hotfix-file refuses any other content.",
                h.path, h.sha256
            ));
            let script = format!(
                "$f = {}; if (-not (Test-Path -LiteralPath $f -PathType Leaf)) {{ Write-Error \"the hotfix file $f is not on this server: copy it there, then run apply again (it resumes here)\" }}; if ((Get-FileHash -LiteralPath $f -Algorithm SHA256).Hash -ne {}) {{ Write-Error \"$f is not the file this plan was made for (its SHA-256 differs): copy the right file, or make the plan again\" }}",
                ps("--hotfix", &h.path)?,
                ps("--hotfix", &h.sha256.to_ascii_uppercase())?
            );
            let check = powershell_step(
                "check-hotfix-file",
                format!(
                    "Check that the hotfix file {} is on this server and is the file the plan was made for (SHA-256 {}).",
                    h.path, h.sha256
                ),
                &script,
            );
            (h.path.clone(), check)
        }
        None => {
            let file = join(
                UPDATE_FOLDER,
                &format!("{kb}-Synchronization-Service.msp").replace(' ', "-"),
            );
            plan.notes.push(format!(
                "install-hotfix: the file name of the Synchronization Service update in {kb} is not confirmed here: download {kb} from Microsoft, save its Synchronization Service .msp as {file}, or make the plan again with --hotfix FILE. check-hotfix-file stops the plan until the file is there."
            ));
            let script = format!(
                "$f = {}; if (-not (Test-Path -LiteralPath $f -PathType Leaf)) {{ Write-Error \"save the Synchronization Service .msp of {kb} as $f (its name in Microsoft's download is not confirmed), then run apply again: it resumes here\" }}",
                ps("the hotfix file", &file)?
            );
            let check = powershell_step(
                "check-hotfix-file",
                format!("Check that the Synchronization Service .msp of {kb} was saved as {file}: the step fails, saying so, until it is there; apply resumes here."),
                &script,
            );
            (file, check)
        }
    };
    plan.steps.push(check);
    let log = super::placeholder::in_log_dir("install-hotfix.log");
    let argv: Vec<String> = vec![
        "msiexec.exe".into(),
        "/p".into(),
        file.clone(),
        "/qn".into(),
        "/norestart".into(),
        "/L*v".into(),
        log.clone(),
    ];
    let command = argv
        .iter()
        .map(|a| quote_arg(a))
        .collect::<Vec<_>>()
        .join(" ");
    plan.steps.push(Step {
        id: "install-hotfix".into(),
        kind: StepKind::Msiexec,
        description: format!(
            "Apply {kb} ({}) to the Synchronization Service from {file}, silently, logging verbosely to the log folder; exit code 3010 means a restart is needed.",
            target.version
        ),
        argv,
        command,
        working_dir: None,
        secrets: vec![],
        log: Some(log),
        properties: vec![],
    });
    plan.notes.push("install-hotfix: msiexec's own /p, /qn and /norestart; whether the MIM hotfix asks for anything when run silently is not confirmed here.".into());
    plan.steps.push(powershell_step(
        "restart-sync-service",
        format!("Restart the {SERVICE_NAME} service, so that it runs the updated files."),
        &format!(
            "Restart-Service -Name {} -Force",
            ps("the service", SERVICE_NAME)?
        ),
    ));
    let exe = join(&bin, "miiserver.exe");
    plan.steps.push(powershell_step(
        "verify-version",
        format!(
            "Check that {exe} is now at {} or later; the step fails, naming the version it reads, when it is not.",
            target.version
        ),
        &format!(
            "$i = (Get-Item -LiteralPath {}).VersionInfo; $v = [version](\"{{0}}.{{1}}.{{2}}.{{3}}\" -f $i.FileMajorPart, $i.FileMinorPart, $i.FileBuildPart, $i.FilePrivatePart); if ($v -lt [version]{}) {{ Write-Error \"miiserver.exe is at $v, not {} or later: see the log of install-hotfix\" }}",
            ps("miiserver.exe", &exe)?,
            ps("the version", &target.version)?,
            target.version
        ),
    ));
    plan.steps.push(manual_step(
        "start-scheduled-runs",
        "Start the scheduled runs again, then look at the first runs of every management agent (mim-setup doctor, step 3): an extension or connector built against the old build may stop with stopped-extension-dll-load (see step 8 of the doctor, the .config files).".into(),
    ));
    Ok(plan)
}
