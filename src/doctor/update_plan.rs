//! `mim-setup doctor --plan --from DIR --profile PROFILE [-o FILE] [--hotfix FILE]`: the
//! update plan of a Synchronization Service behind the newest build of its line. The
//! installed build and folder come from the collection, read by the build step's own
//! readings (`checks::build::update_target`); the plan is `plan::update`, in the install
//! plans' format, so that `apply` runs it with the journal and resume.
use super::checks::build::{update_target, NoUpdate};
use super::checks::installed::Installed;
use super::command::{DoctorArgs, DoctorError};
use super::inputs::Collection;
use crate::exit::ExitCode;
use crate::plan::update::Hotfix;
use crate::plan::PlanError;
use std::io::Read;
use std::path::Path;

pub fn command(args: &DoctorArgs) -> Result<ExitCode, DoctorError> {
    let (Some(dir), Some(file)) = (&args.from, &args.profile) else {
        return Err(DoctorError::Plan(
            "give --from DIR (the collection: the installed build and folder) and --profile PROFILE (the Sync Service's profile)".into(),
        ));
    };
    if let Some(out) = &args.output {
        for (input, what) in [(file.as_path(), "profile")] {
            if crate::atomic_file::same_file(out, input) {
                return Err(DoctorError::Plan(format!(
                    "-o {} is the {what}: give another file for the plan",
                    out.display()
                )));
            }
        }
    }
    let c = Collection::read(dir)?;
    let t = super::tables::tables().map_err(DoctorError::Plan)?;
    let target = match update_target(&Installed::read(&c, t), t) {
        Ok(t) => t,
        Err(NoUpdate::Current(why)) => {
            eprintln!("mim-setup doctor --plan: no plan written: {why}.");
            return Ok(ExitCode::Ok);
        }
        Err(NoUpdate::Cannot(why)) => {
            return Err(DoctorError::Plan(format!(
                "{}: {why}; no plan written",
                dir.display()
            )))
        }
    };
    let screens = crate::screens::Screens::embedded()
        .map_err(|e| DoctorError::Plan(format!("the built-in screens: {e}")))?;
    let loaded = crate::profile::load_file(file, screens, false)
        .map_err(|e| DoctorError::Plan(e.to_string()))?;
    if loaded.profile.component() != crate::screens::Component::Sync {
        return Err(DoctorError::Plan(format!(
            "{}: a Service and Portal profile; give the Synchronization Service's profile (its service account and key backup file)",
            file.display()
        )));
    }
    let hotfix = args.hotfix.as_deref().map(hotfix_of).transpose()?;
    let plan = crate::plan::update::build(
        screens,
        &loaded,
        &file.display().to_string(),
        &target,
        hotfix.as_ref(),
    )
    .map_err(|e| match e {
        PlanError::Blocked(_) | PlanError::Unacknowledged(_) => {
            DoctorError::Plan(format!("{}: {e}; no plan written", file.display()))
        }
        e => DoctorError::Plan(format!("no plan written: {e}")),
    })?;
    let text = plan.to_toml();
    match &args.output {
        None => print!("{text}"),
        Some(out) => {
            crate::atomic_file::write(out, text.as_bytes()).map_err(|e| {
                DoctorError::Plan(format!("cannot write the plan to {}: {e}", out.display()))
            })?;
            eprintln!(
                "mim-setup doctor: update plan written to {} ({} -> {}); review it, then `mim-setup apply {}`",
                out.display(),
                target.installed,
                target.version,
                out.display()
            );
        }
    }
    Ok(ExitCode::Ok)
}

/// The hotfix file: its absolute path and SHA-256, read in one pass.
fn hotfix_of(p: &Path) -> Result<Hotfix, DoctorError> {
    let err = |e: std::io::Error| {
        DoctorError::Plan(format!(
            "--hotfix {}: {e}; give the .msp of the update",
            p.display()
        ))
    };
    let mut f = std::fs::File::open(p).map_err(err)?;
    if !f.metadata().map_err(err)?.is_file() {
        return Err(DoctorError::Plan(format!(
            "--hotfix {}: not a file; give the .msp of the update",
            p.display()
        )));
    }
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = f.read(&mut buf).map_err(err)?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    let sha256 = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
    let path = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    Ok(Hotfix {
        path: path.display().to_string(),
        sha256,
    })
}
