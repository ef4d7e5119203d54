//! Registry exports as regedit writes them (`reg export` and File > Export): the header
//! `Windows Registry Editor Version 5.00` (UTF-16LE with BOM, as regedit writes it, or
//! UTF-8), `[HKEY_...\key]` sections, `"name"=` values as `"string"`, `dword:`, `hex:`,
//! `hex(N):` (2 expandable string, 7 multi-string, b qword, with `\` line continuations),
//! `@=` for the default value, `;` comments. `[-key]` and `"name"=-` (deletions) are read
//! and dropped: an export never holds them, a merge file may.
//!
//! Key paths are kept as written, matched case-insensitively, with `HKLM\` accepted for
//! `HKEY_LOCAL_MACHINE\` in look-ups.
use super::text::read_text;
use super::InputError;
use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegValue {
    Sz(String),
    ExpandSz(String),
    MultiSz(Vec<String>),
    Dword(u32),
    Qword(u64),
    Binary(Vec<u8>),
    /// Another `hex(N)` type, raw.
    Other(u32, Vec<u8>),
}

impl RegValue {
    /// The value as text: strings as they are, numbers in decimal.
    pub fn as_text(&self) -> Option<String> {
        match self {
            RegValue::Sz(s) | RegValue::ExpandSz(s) => Some(s.clone()),
            RegValue::Dword(d) => Some(d.to_string()),
            RegValue::Qword(q) => Some(q.to_string()),
            RegValue::MultiSz(v) => Some(v.join("; ")),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct RegKey {
    /// The path as written in the export.
    pub path: String,
    /// Lower-case name -> (name as written, value). The default value is named "".
    pub values: BTreeMap<String, (String, RegValue)>,
}

/// Every key of one or more exports.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    keys: BTreeMap<String, RegKey>,
}

fn norm(path: &str) -> String {
    let p = path.trim().trim_end_matches('\\').to_ascii_lowercase();
    for (short, long) in [
        ("hklm\\", "hkey_local_machine\\"),
        ("hkcu\\", "hkey_current_user\\"),
    ] {
        if let Some(rest) = p.strip_prefix(short) {
            return format!("{long}{rest}");
        }
    }
    p
}

impl Registry {
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    pub fn key(&self, path: &str) -> Option<&RegKey> {
        self.keys.get(&norm(path))
    }

    pub fn value(&self, path: &str, name: &str) -> Option<&RegValue> {
        self.key(path)?
            .values
            .get(&name.to_ascii_lowercase())
            .map(|(_, v)| v)
    }

    pub fn text(&self, path: &str, name: &str) -> Option<String> {
        self.value(path, name).and_then(RegValue::as_text)
    }

    /// The direct subkeys of `path`.
    pub fn subkeys<'a>(&'a self, path: &str) -> impl Iterator<Item = &'a RegKey> + 'a {
        let prefix = format!("{}\\", norm(path));
        self.keys.iter().filter_map(move |(k, v)| {
            k.strip_prefix(&prefix)
                .filter(|rest| !rest.contains('\\'))
                .map(|_| v)
        })
    }

    /// Reads one export file into this registry (later files add to earlier ones).
    pub fn read_file(&mut self, path: &Path) -> Result<(), InputError> {
        let text = read_text(path)?;
        self.parse(path, &text)
    }

    pub fn parse(&mut self, file: &Path, text: &str) -> Result<(), InputError> {
        let mut lines = text.lines().enumerate().peekable();
        let header = lines.next().map(|(_, l)| l.trim()).unwrap_or("");
        if header != "Windows Registry Editor Version 5.00" && header != "REGEDIT4" {
            return Err(InputError::new(
                file,
                Some(1),
                format!("not a registry export: the first line is {header:?}"),
                "export the key with regedit (File > Export) or `reg export KEY FILE`; the file starts with \"Windows Registry Editor Version 5.00\"",
            ));
        }
        let mut current: Option<String> = None;
        while let Some((i, raw)) = lines.next() {
            let lineno = i + 1;
            let mut line = raw.trim().to_string();
            // A `\` at the end continues a hex value on the next line.
            while line.ends_with('\\') && line.contains("=hex") {
                line.pop();
                match lines.next() {
                    Some((_, next)) => line.push_str(next.trim()),
                    None => break,
                }
            }
            if line.is_empty() || line.starts_with(';') {
                continue;
            }
            if let Some(rest) = line.strip_prefix('[') {
                let Some(name) = rest.strip_suffix(']') else {
                    return Err(InputError::new(
                        file,
                        Some(lineno),
                        "a key line without its closing ']'",
                        "write the key as [HKEY_LOCAL_MACHINE\\...]",
                    ));
                };
                if name.starts_with('-') {
                    current = None;
                    continue;
                }
                let k = norm(name);
                self.keys.entry(k.clone()).or_insert_with(|| RegKey {
                    path: name.to_string(),
                    values: BTreeMap::new(),
                });
                current = Some(k);
                continue;
            }
            let Some(key) = current.clone() else {
                return Err(InputError::new(
                    file,
                    Some(lineno),
                    "a value before any [key] line",
                    "put values under the key they belong to, as regedit exports them",
                ));
            };
            let (name, data) = split_value(&line).ok_or_else(|| {
                InputError::new(
                    file,
                    Some(lineno),
                    format!("not a value line: {line:?}"),
                    "values are written \"name\"=\"text\", \"name\"=dword:00000001 or \"name\"=hex(7):...",
                )
            })?;
            if data == "-" {
                continue;
            }
            let value = parse_data(data).map_err(|what| {
                InputError::new(
                    file,
                    Some(lineno),
                    format!("value {name:?}: {what}"),
                    "export the key again with regedit; do not edit values by hand",
                )
            })?;
            if let Some(k) = self.keys.get_mut(&key) {
                k.values.insert(name.to_ascii_lowercase(), (name, value));
            }
        }
        Ok(())
    }
}

/// `"name"=data` or `@=data`: the unescaped name and the data text.
fn split_value(line: &str) -> Option<(String, &str)> {
    if let Some(rest) = line.strip_prefix("@=") {
        return Some((String::new(), rest));
    }
    let rest = line.strip_prefix('"')?;
    let (name, end) = unquote(rest)?;
    let data = rest[end..].strip_prefix('=')?;
    Some((name, data))
}

/// The string up to the closing quote, unescaped, and the index after that quote.
fn unquote(s: &str) -> Option<(String, usize)> {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, e)) => out.push(e),
                None => return None,
            },
            '"' => return Some((out, i + 1)),
            c => out.push(c),
        }
    }
    None
}

fn hex_bytes(s: &str) -> Result<Vec<u8>, String> {
    s.split(',')
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .map(|b| u8::from_str_radix(b, 16).map_err(|_| format!("{b:?} is not a hex byte")))
        .collect()
}

fn utf16_strings(bytes: &[u8]) -> Result<String, String> {
    if !bytes.len().is_multiple_of(2) {
        return Err("an odd number of bytes in UTF-16 text".into());
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16(&units).map_err(|_| "invalid UTF-16 text".to_string())
}

fn parse_data(data: &str) -> Result<RegValue, String> {
    if let Some(rest) = data.strip_prefix('"') {
        let (s, end) = unquote(rest).ok_or("a string without its closing quote")?;
        if !rest[end..].trim().is_empty() {
            return Err("text after the closing quote".into());
        }
        return Ok(RegValue::Sz(s));
    }
    if let Some(hex) = data.strip_prefix("dword:") {
        return u32::from_str_radix(hex.trim(), 16)
            .map(RegValue::Dword)
            .map_err(|_| format!("dword:{hex} is not 8 hex digits"));
    }
    if let Some(rest) = data.strip_prefix("hex:") {
        return hex_bytes(rest).map(RegValue::Binary);
    }
    if let Some(rest) = data.strip_prefix("hex(") {
        let (kind, bytes) = rest.split_once("):").ok_or("hex(N): without its type")?;
        let kind =
            u32::from_str_radix(kind, 16).map_err(|_| format!("hex({kind}) is not a type"))?;
        let bytes = hex_bytes(bytes)?;
        return Ok(match kind {
            2 => RegValue::ExpandSz(utf16_strings(&bytes)?.trim_end_matches('\0').to_string()),
            7 => RegValue::MultiSz(
                utf16_strings(&bytes)?
                    .split('\0')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            0xb => {
                let arr: [u8; 8] = bytes
                    .as_slice()
                    .try_into()
                    .map_err(|_| "a qword is 8 bytes".to_string())?;
                RegValue::Qword(u64::from_le_bytes(arr))
            }
            k => RegValue::Other(k, bytes),
        });
    }
    Err(format!("unknown data {data:?}"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{RegValue, Registry};
    use std::path::Path;

    const EXPORT: &str = "Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\FIMSynchronizationService\\Parameters]\r\n\"Path\"=\"C:\\\\Program Files\\\\Microsoft Forefront Identity Manager\\\\2010\\\\Synchronization Service\\\\\"\r\n\"Server\"=\"SQL01\"\r\n\"Flag\"=dword:0000000a\r\n\"Multi\"=hex(7):61,00,00,00,62,00,00,00,00,00\r\n\"Exp\"=hex(2):25,00,54,00,\\\r\n  45,00,4d,00,50,00,25,00,00,00\r\n@=\"default\"\r\n";

    #[test]
    fn values_of_every_kind_are_read_with_continuations_and_escapes() {
        let mut r = Registry::default();
        r.parse(Path::new("x.reg"), EXPORT).unwrap();
        let k = "HKLM\\SYSTEM\\CurrentControlSet\\Services\\FIMSynchronizationService\\Parameters";
        assert_eq!(
            r.text(k, "path").unwrap(),
            "C:\\Program Files\\Microsoft Forefront Identity Manager\\2010\\Synchronization Service\\"
        );
        assert_eq!(r.value(k, "Flag"), Some(&RegValue::Dword(10)));
        assert_eq!(
            r.value(k, "Multi"),
            Some(&RegValue::MultiSz(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            r.value(k, "Exp"),
            Some(&RegValue::ExpandSz("%TEMP%".into()))
        );
        assert_eq!(r.text(k, ""), Some("default".into()));
    }

    #[test]
    fn bad_exports_say_which_line_and_how_to_fix() {
        let mut r = Registry::default();
        let e = r.parse(Path::new("x.reg"), "hello\r\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.to_string().contains("reg export"), "{e}");
        let e = r
            .parse(
                Path::new("x.reg"),
                "Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\A]\n\"v\"=dword:zz\n",
            )
            .unwrap_err();
        assert_eq!(e.line, Some(3));
        assert!(e.what.contains("dword:zz"), "{e}");
    }
}
