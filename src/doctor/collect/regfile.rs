//! A writer of regedit's export format, "Windows Registry Editor Version 5.00", as
//! `reg export` and regedit's File > Export write it and `inputs::reg` reads it back:
//! UTF-16LE with its byte-order mark, CRLF lines, `[HKEY_LOCAL_MACHINE\...]` sections,
//! `"name"=` (`@=` for the default value) with `"text"` (REG_SZ; `\` and `"` escaped),
//! `dword:0000000a` (REG_DWORD), `hex:` (REG_BINARY) or `hex(N):` (every other type: 2
//! expandable string, 7 multi-string, b qword, 0 none, ...), long hex data continued with
//! `\` and two spaces as regedit wraps it. A REG_SZ that a quoted string cannot carry as it
//! is (a line break, a NUL inside, not UTF-16) is written `hex(1):`, raw.

/// One value: its name ("" for the default value), its registry type (`REG_*`) and its raw
/// data as the registry holds it (strings UTF-16LE with their terminating NUL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportValue {
    pub name: String,
    pub kind: u32,
    pub data: Vec<u8>,
}

pub const REG_NONE: u32 = 0;
pub const REG_SZ: u32 = 1;
pub const REG_EXPAND_SZ: u32 = 2;
pub const REG_BINARY: u32 = 3;
pub const REG_DWORD: u32 = 4;
pub const REG_MULTI_SZ: u32 = 7;
pub const REG_QWORD: u32 = 11;

impl ExportValue {
    /// A REG_SZ value of `text` (UTF-16LE and its NUL, as the registry stores it).
    pub fn sz(name: &str, text: &str) -> ExportValue {
        ExportValue {
            name: name.to_string(),
            kind: REG_SZ,
            data: utf16z(text),
        }
    }

    /// The value as text, for REG_SZ and REG_EXPAND_SZ (up to the first NUL).
    pub fn text(&self) -> Option<String> {
        if self.kind != REG_SZ && self.kind != REG_EXPAND_SZ {
            return None;
        }
        let s = utf16(&self.data)?;
        Some(s.split('\0').next().unwrap_or("").to_string())
    }
}

/// One key: its full path (`HKEY_LOCAL_MACHINE\...`) and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportKey {
    pub path: String,
    pub values: Vec<ExportValue>,
}

/// UTF-16LE bytes of `s` and a terminating NUL.
pub fn utf16z(s: &str) -> Vec<u8> {
    s.encode_utf16()
        .chain(std::iter::once(0))
        .flat_map(u16::to_le_bytes)
        .collect()
}

fn utf16(bytes: &[u8]) -> Option<String> {
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).ok()
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

/// A REG_SZ's text when a quoted string carries it unchanged: valid UTF-16, at most one NUL
/// (at the end), no line break.
fn plain_sz(data: &[u8]) -> Option<String> {
    let s = utf16(data)?;
    let s = s.strip_suffix('\0').unwrap_or(&s);
    if s.contains(['\0', '\r', '\n']) {
        return None;
    }
    Some(s.to_string())
}

/// `prefix` followed by the bytes as `xx,xx,...`, wrapped as regedit wraps it.
fn hex_line(prefix: String, bytes: &[u8]) -> String {
    let mut out = prefix;
    let mut col = out.len();
    for (i, b) in bytes.iter().enumerate() {
        let last = i + 1 == bytes.len();
        let item = if last {
            format!("{b:02x}")
        } else {
            format!("{b:02x},")
        };
        out.push_str(&item);
        col += item.len();
        if !last && col >= 77 {
            out.push_str("\\\r\n  ");
            col = 2;
        }
    }
    out
}

fn value_line(v: &ExportValue) -> String {
    let name = if v.name.is_empty() {
        "@=".to_string()
    } else {
        format!("{}=", quoted(&v.name))
    };
    match v.kind {
        REG_SZ => {
            if let Some(s) = plain_sz(&v.data) {
                return format!("{name}{}", quoted(&s));
            }
            hex_line(format!("{name}hex(1):"), &v.data)
        }
        REG_DWORD if v.data.len() == 4 => {
            let d = u32::from_le_bytes([v.data[0], v.data[1], v.data[2], v.data[3]]);
            format!("{name}dword:{d:08x}")
        }
        REG_BINARY => hex_line(format!("{name}hex:"), &v.data),
        k => hex_line(format!("{name}hex({k:x}):"), &v.data),
    }
}

/// The export text of `keys`, in their order, CRLF lines.
pub fn to_text(keys: &[ExportKey]) -> String {
    let mut out = String::from("Windows Registry Editor Version 5.00\r\n\r\n");
    for k in keys {
        out.push('[');
        out.push_str(&k.path);
        out.push_str("]\r\n");
        for v in &k.values {
            out.push_str(&value_line(v));
            out.push_str("\r\n");
        }
        out.push_str("\r\n");
    }
    out
}

/// The export as regedit writes the file: UTF-16LE with its byte-order mark.
pub fn to_file_bytes(keys: &[ExportKey]) -> Vec<u8> {
    let text = to_text(keys);
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    out.extend_from_slice(&[0xFF, 0xFE]);
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::doctor::inputs::{RegValue, Registry};
    use std::path::Path;

    const K: &str =
        "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\FIMSynchronizationService\\Parameters";

    fn every_kind() -> Vec<ExportKey> {
        let multi: Vec<u8> = ["a", "b \"c\""]
            .iter()
            .flat_map(|s| utf16z(s))
            .chain([0, 0])
            .collect();
        vec![
            ExportKey {
                path: K.into(),
                values: vec![
                    ExportValue::sz("Path", "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\"),
                    ExportValue::sz("", "default \"quoted\""),
                    ExportValue::sz("na\"me\\x", ""),
                    ExportValue { name: "Flag".into(), kind: REG_DWORD, data: 10u32.to_le_bytes().to_vec() },
                    ExportValue { name: "Big".into(), kind: REG_QWORD, data: 0x1_0000_0002u64.to_le_bytes().to_vec() },
                    ExportValue { name: "Exp".into(), kind: REG_EXPAND_SZ, data: utf16z("%ProgramFiles%\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\Extensions") },
                    ExportValue { name: "Multi".into(), kind: REG_MULTI_SZ, data: multi },
                    ExportValue { name: "Bin".into(), kind: REG_BINARY, data: (0..=255u8).collect() },
                    ExportValue { name: "Empty".into(), kind: REG_BINARY, data: vec![] },
                    ExportValue { name: "Lines".into(), kind: REG_SZ, data: utf16z("one\r\ntwo") },
                    ExportValue { name: "None".into(), kind: REG_NONE, data: vec![1, 2] },
                ],
            },
            ExportKey {
                path: format!("{K}\\PerMAInstance\\Contoso AD MA"),
                values: vec![ExportValue { name: "ADMAEnforcePasswordPolicy".into(), kind: REG_DWORD, data: 1u32.to_le_bytes().to_vec() }],
            },
            ExportKey { path: "HKEY_LOCAL_MACHINE\\SOFTWARE\\Empty".into(), values: vec![] },
        ]
    }

    #[test]
    fn every_value_kind_reads_back_through_the_doctors_reader() {
        let keys = every_kind();
        let bytes = to_file_bytes(&keys);
        assert_eq!(&bytes[..2], &[0xFF, 0xFE]);
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("registry.reg");
        std::fs::write(&f, &bytes).unwrap();
        let mut r = Registry::default();
        r.read_file(&f).unwrap();
        assert_eq!(
            r.text(K, "Path").unwrap(),
            "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\"
        );
        assert_eq!(r.text(K, "").unwrap(), "default \"quoted\"");
        assert_eq!(r.text(K, "na\"me\\x").unwrap(), "");
        assert_eq!(r.value(K, "Flag"), Some(&RegValue::Dword(10)));
        assert_eq!(r.value(K, "Big"), Some(&RegValue::Qword(0x1_0000_0002)));
        assert_eq!(
            r.value(K, "Exp"),
            Some(&RegValue::ExpandSz("%ProgramFiles%\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\Extensions".into()))
        );
        assert_eq!(
            r.value(K, "Multi"),
            Some(&RegValue::MultiSz(vec!["a".into(), "b \"c\"".into()]))
        );
        assert_eq!(
            r.value(K, "Bin"),
            Some(&RegValue::Binary((0..=255u8).collect()))
        );
        assert_eq!(r.value(K, "Empty"), Some(&RegValue::Binary(vec![])));
        assert_eq!(
            r.value(K, "Lines"),
            Some(&RegValue::Other(1, utf16z("one\r\ntwo")))
        );
        assert_eq!(r.value(K, "None"), Some(&RegValue::Other(0, vec![1, 2])));
        let sub: Vec<_> = r
            .subkeys(&format!("{K}\\PerMAInstance"))
            .map(|k| k.path.clone())
            .collect();
        assert_eq!(sub, vec![format!("{K}\\PerMAInstance\\Contoso AD MA")]);
        assert!(r.key("HKLM\\SOFTWARE\\Empty").is_some());
    }

    #[test]
    fn long_hex_is_wrapped_as_regedit_wraps_it() {
        let text = to_text(&every_kind());
        assert!(text.starts_with("Windows Registry Editor Version 5.00\r\n\r\n["));
        assert!(text.contains("\"Flag\"=dword:0000000a\r\n"), "{text}");
        assert!(text.contains("@=\"default \\\"quoted\\\"\"\r\n"), "{text}");
        assert!(
            text.contains("\"Big\"=hex(b):02,00,00,00,01,00,00,00\r\n"),
            "{text}"
        );
        let bin = text
            .lines()
            .skip_while(|l| !l.starts_with("\"Bin\""))
            .take_while(|l| !l.starts_with("\"Empty\""))
            .collect::<Vec<_>>();
        assert!(bin.len() > 5, "{bin:?}");
        for (i, l) in bin.iter().enumerate() {
            assert!(l.len() <= 80, "{l}");
            if i + 1 < bin.len() {
                assert!(l.ends_with(",\\"), "{l}");
            }
            if i > 0 {
                assert!(l.starts_with("  "), "{l}");
            }
        }
        let mut r = Registry::default();
        r.parse(Path::new("x.reg"), &text).unwrap();
        assert!(r.value(K, "Bin").is_some());
    }
}
