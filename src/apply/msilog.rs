//! Reading a failed msiexec step's verbose log: the lines around `Return value 3` (the action
//! that failed and why) and a hint for the failures the install facts (§5) list.
use std::path::Path;

/// Lines kept before and after the first `Return value 3`.
const BEFORE: usize = 12;
const AFTER: usize = 3;

/// The log's text: verbose MSI logs may be UTF-16 (with a byte-order mark) or 8-bit.
pub fn read_text(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return Some(String::from_utf16_lossy(&units));
    }
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The lines around the first `Return value 3`, or `None` when the log has none.
pub fn excerpt(text: &str) -> Option<Vec<String>> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines.iter().position(|l| l.contains("Return value 3"))?;
    let from = at.saturating_sub(BEFORE);
    let to = (at + AFTER + 1).min(lines.len());
    Some(
        lines[from..to]
            .iter()
            .map(|l| l.trim_end().to_string())
            .collect(),
    )
}

/// Known causes (install facts §5): text seen in the log, and what to do.
const HINTS: &[(&str, &str)] = &[
    ("CAQuietExec", "a SharePoint solution (WSP) deployment may already be under way, or the SharePoint Administration service (SPAdminV4) is stopped: wait for the deployment, start SPAdminV4, then resume (install facts §5.8)"),
    ("trouble contacting SQL", "the Synchronization Service cannot reach SQL Server: check the SQL Native Client/ODBC driver, the firewall, the instance name and that the installing account is sysadmin (install facts §5.1)"),
    ("Error 1920", "the FIMService did not start: raise ServicesPipeTimeout, and for a gMSA check that this server may retrieve its password (install facts §5.3)"),
    ("7009", "a service start timed out (7009): raise ServicesPipeTimeout (install facts §5.3)"),
    ("shouldn't be managed", "a gMSA needs a separate Exchange user for mail (install facts §5.5)"),
    ("MIMKeyProtectService", "a MIMKeyProtectService left over from an earlier run breaks setup: remove the leftover service, then resume (install facts §5.10)"),
    ("following prerequisites", "setup reports SharePoint prerequisites as missing although SharePoint may be present (install facts §5.4): check the SharePoint install on this server"),
];

/// Hints whose text appears in the excerpt.
pub fn hints(excerpt: &[String]) -> Vec<&'static str> {
    HINTS
        .iter()
        .filter(|(needle, _)| excerpt.iter().any(|l| l.contains(needle)))
        .map(|(_, hint)| *hint)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_excerpt_ends_just_after_the_failed_action_and_hints_match() {
        let mut log: Vec<String> = (0..40).map(|i| format!("line {i}")).collect();
        log[30] = "CAQuietExec: Error 0x80070643".into();
        log[31] = "Action ended: InstallFinalize. Return value 3.".into();
        let got = excerpt(&log.join("\r\n")).expect("has Return value 3");
        assert_eq!(got.first().map(String::as_str), Some("line 19"));
        assert_eq!(got.last().map(String::as_str), Some("line 34"));
        assert_eq!(hints(&got).len(), 1);
        assert!(excerpt("all good\nReturn value 1.").is_none());
    }

    #[test]
    fn utf16_logs_are_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.log");
        let mut bytes = vec![0xFF, 0xFE];
        for u in "Return value 3.".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        std::fs::write(&path, bytes).expect("write");
        assert_eq!(read_text(&path).as_deref(), Some("Return value 3."));
    }
}
