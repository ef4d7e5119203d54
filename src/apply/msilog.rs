//! Reading a failed msiexec step's verbose log: the lines around `Return value 3` (the action
//! that failed and why) and a hint for the failures the install facts (§5) list.
use std::path::Path;

/// Lines kept before and after the first `Return value 3`.
const BEFORE: usize = 12;
const AFTER: usize = 3;

/// The log's text. msiexec writes its verbose log in UTF-16 (Wine's msiexec does, and Windows
/// Installer with `/L*v` on some systems, mostly with a byte-order mark), in UTF-8, or in the
/// system's ANSI code page (Windows-1252 on the Western European systems; other code pages read
/// as that, which keeps ASCII, the part the excerpt looks for).
pub fn read_text(path: &Path) -> Option<String> {
    std::fs::read(path).ok().map(|bytes| decode(&bytes))
}

/// `bytes` as text: UTF-16 LE or BE by byte-order mark, UTF-16 LE without one (NULs in the
/// odd bytes), UTF-8 (with or without a mark), else Windows-1252.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes);
    }
    if looks_utf16le(bytes) {
        return utf16(bytes, u16::from_le_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units: Vec<u16> = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]])).collect();
    String::from_utf16_lossy(&units)
}

/// UTF-16 LE without a mark: most odd bytes are NUL and hardly any even byte is (ASCII text).
fn looks_utf16le(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return false;
    }
    let pairs = sample.len() / 2;
    let odd_nul = sample.chunks_exact(2).filter(|c| c[1] == 0).count();
    let even_nul = sample.chunks_exact(2).filter(|c| c[0] == 0).count();
    odd_nul * 4 >= pairs * 3 && even_nul * 10 <= pairs
}

/// One byte of Windows-1252: Latin-1 apart from 0x80..0x9F.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '\u{20AC}', '\u{FFFD}', '\u{201A}', '\u{0192}', '\u{201E}', '\u{2026}', '\u{2020}',
        '\u{2021}', '\u{02C6}', '\u{2030}', '\u{0160}', '\u{2039}', '\u{0152}', '\u{FFFD}',
        '\u{017D}', '\u{FFFD}', '\u{FFFD}', '\u{2018}', '\u{2019}', '\u{201C}', '\u{201D}',
        '\u{2022}', '\u{2013}', '\u{2014}', '\u{02DC}', '\u{2122}', '\u{0161}', '\u{203A}',
        '\u{0153}', '\u{FFFD}', '\u{017E}', '\u{0178}',
    ];
    match b {
        0x80..=0x9F => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
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
    ("CAQuietExec", "a SharePoint solution (WSP) deployment may already be under way, or the SharePoint Administration service (SPAdminV4) is stopped: wait for the deployment, start SPAdminV4, then resume"),
    ("trouble contacting SQL", "the Synchronization Service cannot reach SQL Server: check the SQL Native Client/ODBC driver, the firewall, the instance name and that the installing account is sysadmin"),
    ("Error 1920", "the FIMService did not start: raise ServicesPipeTimeout, and for a gMSA check that this server may retrieve its password"),
    ("7009", "a service start timed out (7009): raise ServicesPipeTimeout"),
    ("shouldn't be managed", "a gMSA needs a separate Exchange user for mail"),
    ("MIMKeyProtectService", "a MIMKeyProtectService left over from an earlier run breaks setup: remove the leftover service, then resume"),
    ("following prerequisites", "setup reports SharePoint prerequisites as missing although SharePoint may be present: check the SharePoint install on this server"),
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

    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        for u in text.encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        bytes
    }

    const LOG: &str = "=== Verbose logging started: 12/1/2026 ===\r\nMSI (s) (1C:2C): Product: Synchronization Service -- Installation failed, Größe.\r\nAction ended 22:18:46: LaunchConditions. Return value 3.\r\n";

    #[test]
    fn utf16_logs_are_read_from_a_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("x.log");
        std::fs::write(&path, utf16le("Return value 3.", true)).expect("write");
        assert_eq!(read_text(&path).as_deref(), Some("Return value 3."));
        assert_eq!(read_text(&dir.path().join("none.log")), None);
    }

    #[test]
    fn every_encoding_msiexec_writes_gives_the_same_text_and_excerpt() {
        let mut be = vec![0xFE, 0xFF];
        for u in LOG.encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        let mut utf8_bom = vec![0xEF, 0xBB, 0xBF];
        utf8_bom.extend(LOG.as_bytes());
        // Windows-1252: ö is 0xF6, ß 0xDF.
        let ansi: Vec<u8> = LOG
            .chars()
            .map(|c| u8::try_from(u32::from(c)).expect("Latin-1"))
            .collect();
        for (name, bytes) in [
            ("UTF-16 LE with mark", utf16le(LOG, true)),
            ("UTF-16 LE without mark", utf16le(LOG, false)),
            ("UTF-16 BE with mark", be),
            ("UTF-8", LOG.as_bytes().to_vec()),
            ("UTF-8 with mark", utf8_bom),
            ("Windows-1252", ansi),
        ] {
            let text = decode(&bytes);
            assert_eq!(text, LOG, "{name}");
            let got = excerpt(&text).expect("has Return value 3");
            assert_eq!(got.len(), 3, "{name}: {got:?}");
            assert!(got[1].ends_with("Größe."), "{name}: {got:?}");
        }
    }

    #[test]
    fn ansi_bytes_that_differ_from_latin1_are_read_as_windows_1252() {
        assert_eq!(decode(b"\x80 \x93quoted\x94 caf\xe9"), "€ “quoted” café");
        // Short or plain ASCII text is never taken for UTF-16.
        assert_eq!(decode(b"ab"), "ab");
        assert_eq!(decode(b"Return value 3."), "Return value 3.");
    }
}
