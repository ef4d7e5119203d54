//! Windows paths: absolute (drive or UNC) and local (drive only).
use super::{first_bad_char, FieldCtx};
use crate::finding::Finding;

const RESERVED_NAMES: &[&str] = &[
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A path that starts with a drive (`C:\`) or a share (`\\server\share`).
pub fn absolute_path(ctx: &FieldCtx) -> Vec<Finding> {
    check(ctx, true)
}

/// A path on a local drive (`C:\...`): where MSI installs.
pub fn local_path(ctx: &FieldCtx) -> Vec<Finding> {
    check(ctx, false)
}

fn check(ctx: &FieldCtx, allow_unc: bool) -> Vec<Finding> {
    let v = ctx.text();
    let why = "Setup and the plan's commands run from varying working folders; a relative or malformed path lands somewhere else or fails.";
    let example = if allow_unc {
        "C:\\MIMBackup or \\\\server\\share\\folder"
    } else {
        "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\"
    };
    let err = |message: &str, evidence: String| {
        vec![Finding::error("windows-path", ctx.path, message)
            .why(why)
            .fix(format!(
                "Give an absolute Windows path, for example {example}."
            ))
            .evidence(evidence)]
    };
    let rest = if let Some(unc) = v.strip_prefix("\\\\") {
        if !allow_unc {
            return vec![Finding::error(
                "windows-path-local",
                ctx.path,
                "The install folder must be on a local drive.",
            )
            .why("Windows Installer installs services to local drives only.")
            .fix(format!(
                "Give a folder on a local drive, for example {example}."
            ))
            .evidence(format!("'{v}' is a network path"))];
        }
        let mut parts = unc.splitn(3, '\\');
        let (server, share) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        if server.is_empty() || share.is_empty() {
            return err(
                "A network path needs a server and a share.",
                format!("'{v}'"),
            );
        }
        parts.next().unwrap_or("").to_string()
    } else {
        let b = v.as_bytes();
        let drive_ok = b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\';
        if !drive_ok {
            let evidence = if v.contains('/') && !v.contains('\\') {
                "it uses / instead of \\".to_string()
            } else {
                format!("'{v}' does not start with a drive such as C:\\")
            };
            return err("This is not an absolute Windows path.", evidence);
        }
        v[3..].to_string()
    };
    if let Some(bad) = first_bad_char(&rest, |c| "<>:\"/|?*".contains(c) || c.is_control()) {
        return err(
            "The path has a character Windows does not allow in file names.",
            bad,
        );
    }
    for part in rest.split('\\').filter(|p| !p.is_empty()) {
        let stem = part.split('.').next().unwrap_or("").trim_end();
        if RESERVED_NAMES.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
            return err(
                "The path uses a name Windows reserves for a device.",
                format!("'{part}'"),
            );
        }
        if part.ends_with(' ') || part.ends_with('.') {
            return err(
                "A folder or file name in the path ends in a space or a dot.",
                format!("'{part}'"),
            );
        }
    }
    // `rest` follows the drive's or share's backslash, so a leading one is a second in a row.
    if rest.starts_with('\\') || rest.contains("\\\\") {
        return err(
            "The path has an empty folder name (two backslashes in a row).",
            format!("'{v}'"),
        );
    }
    if v.chars().count() > 247 {
        return err(
            "The path is longer than Windows Installer handles (247 characters).",
            format!("{} characters", v.chars().count()),
        );
    }
    vec![]
}
