//! Which registry keys `--collect` exports: the ones the doctor's checks read
//! (`checks::installed`), no more.
//!
//! - the Sync service's `Parameters` key and its subkeys (`Path`, `Server`, `SQLInstance`,
//!   `DBName`, `PerMAInstance\<MA>`);
//! - `HKLM\SOFTWARE\Microsoft\Forefront Identity Manager\2010\Synchronization Service` and
//!   its subkeys (`Location`, `IgnoreMissingObjectTypeForGLDAP`);
//! - the Uninstall entries of MIM (a `DisplayName` with "Identity Manager" in it, or the
//!   subkey named by a MIM product code), not the rest of the computer's software;
//! - the MSI products of the SP1/SP2 and SP3 product codes under
//!   `Installer\UserData\S-1-5-18\Products\<packed code>` (`InstallProperties`, `Patches`).
//!
//! A key that is not there is a part recorded as missing, never an error. The registry is
//! read through `RegSource` (Windows' registry on the Sync server, a map in the tests).
use super::regfile::ExportKey;
use super::{Part, State};
use crate::doctor::checks::installed::{PARAMETERS, PRODUCTS, SYNC_KEY, UNINSTALL};
use crate::doctor::tables::Tables;

/// Where registry keys are read from. Paths are full (`HKEY_LOCAL_MACHINE\...`).
pub trait RegSource {
    /// The key's values, or None when the key does not exist.
    fn key(&self, path: &str) -> Result<Option<ExportKey>, String>;
    /// The names of the key's direct subkeys.
    fn subkeys(&self, path: &str) -> Result<Vec<String>, String>;
}

/// What the registry part gives: the keys in export order, one part per key read, and the
/// Sync Service's install folder (`Path`, else `Location` + `Synchronization Service\`).
#[derive(Debug, Default)]
pub struct Exported {
    pub keys: Vec<ExportKey>,
    pub parts: Vec<Part>,
    pub sync_path: Option<String>,
}

/// A key and, up to `depth` levels, its subkeys; false when the key is not there.
fn walk(
    src: &dyn RegSource,
    path: &str,
    depth: usize,
    out: &mut Vec<ExportKey>,
) -> Result<bool, String> {
    let Some(k) = src.key(path)? else {
        return Ok(false);
    };
    out.push(k);
    if depth > 0 && out.len() < 2000 {
        for name in src.subkeys(path)? {
            walk(src, &format!("{path}\\{name}"), depth - 1, out)?;
        }
    }
    Ok(true)
}

fn short(path: &str) -> String {
    path.replacen("HKEY_LOCAL_MACHINE\\", "HKLM\\", 1)
}

fn part(source: &str, state: State, detail: String) -> Part {
    Part {
        part: "registry".into(),
        source: short(source),
        state,
        file: (state == State::Written).then(|| super::REGISTRY_FILE.to_string()),
        detail,
    }
}

fn missing_or_error(source: &str, e: String) -> Part {
    part(
        source,
        State::Missing,
        if e.to_ascii_lowercase().contains("denied") {
            format!("cannot be read: {e}; run mim-setup as an administrator of this computer")
        } else {
            format!("cannot be read: {e}")
        },
    )
}

/// Reads every key the checks use from `src`.
pub fn export(src: &dyn RegSource, t: &Tables) -> Exported {
    let mut x = Exported::default();
    for (path, why) in [
        (PARAMETERS, "not there: the Synchronization Service is not installed on this computer (or not by its setup)"),
        (SYNC_KEY, "not there: the Synchronization Service's setup writes it (Location)"),
    ] {
        let mut keys = Vec::new();
        match walk(src, path, 3, &mut keys) {
            Ok(true) => {
                let n = keys.len();
                x.parts.push(part(path, State::Written, format!("{n} key(s) with {} value(s)", keys.iter().map(|k| k.values.len()).sum::<usize>())));
                x.keys.append(&mut keys);
            }
            Ok(false) => x.parts.push(part(path, State::Missing, why.into())),
            Err(e) => x.parts.push(missing_or_error(path, e)),
        }
    }
    let codes = [&t.builds.sp2, &t.builds.sp3];
    // The Uninstall entries of MIM.
    match src.subkeys(UNINSTALL) {
        Ok(names) => {
            let mut found = Vec::new();
            for name in names {
                let path = format!("{UNINSTALL}\\{name}");
                let Ok(Some(k)) = src.key(&path) else {
                    continue;
                };
                let display = k
                    .values
                    .iter()
                    .find(|v| v.name.eq_ignore_ascii_case("DisplayName"))
                    .and_then(|v| v.text())
                    .unwrap_or_default();
                let by_code = codes
                    .iter()
                    .any(|p| p.product_code.eq_ignore_ascii_case(&name));
                if by_code || display.to_ascii_lowercase().contains("identity manager") {
                    found.push(if display.is_empty() {
                        name.clone()
                    } else {
                        format!("{name} ({display})")
                    });
                    x.keys.push(k);
                }
            }
            if found.is_empty() {
                x.parts.push(part(UNINSTALL, State::Missing, "no entry of Microsoft Identity Manager (a DisplayName with \"Identity Manager\", or a MIM product code)".into()));
            } else {
                x.parts.push(part(
                    UNINSTALL,
                    State::Written,
                    format!("the MIM entries only: {}", found.join(", ")),
                ));
            }
        }
        Err(e) => x.parts.push(missing_or_error(UNINSTALL, e)),
    }
    // The MSI products by their packed product codes.
    for (label, p) in [("SP1/SP2", &t.builds.sp2), ("SP3", &t.builds.sp3)] {
        let path = format!("{PRODUCTS}\\{}", p.packed);
        let mut keys = Vec::new();
        match walk(src, &path, 2, &mut keys) {
            Ok(true) => {
                x.parts.push(part(
                    &path,
                    State::Written,
                    format!(
                        "the {label} product {} ({} key(s))",
                        p.product_code,
                        keys.len()
                    ),
                ));
                x.keys.append(&mut keys);
            }
            Ok(false) => x.parts.push(part(
                &path,
                State::Missing,
                format!(
                    "not there: the {label} product {} is not installed",
                    p.product_code
                ),
            )),
            Err(e) => x.parts.push(missing_or_error(&path, e)),
        }
    }
    let value = |key: &str, name: &str| {
        x.keys
            .iter()
            .find(|k| k.path.eq_ignore_ascii_case(key))
            .and_then(|k| k.values.iter().find(|v| v.name.eq_ignore_ascii_case(name)))
            .and_then(|v| v.text())
            .filter(|s| !s.trim().is_empty())
    };
    x.sync_path = value(PARAMETERS, "Path").or_else(|| {
        value(SYNC_KEY, "Location").map(|l| {
            let sep = if l.ends_with('\\') { "" } else { "\\" };
            format!("{l}{sep}Synchronization Service\\")
        })
    });
    x
}

#[cfg(test)]
pub mod tests {
    #![allow(clippy::unwrap_used)]
    use super::super::regfile::ExportValue;
    use super::*;
    use std::collections::BTreeMap;

    /// A registry in memory: full key path (lower case) -> key.
    #[derive(Default)]
    pub struct MapSource(pub BTreeMap<String, ExportKey>);

    impl MapSource {
        pub fn add(&mut self, path: &str, values: &[(&str, &str)]) {
            self.0.insert(
                path.to_ascii_lowercase(),
                ExportKey {
                    path: path.to_string(),
                    values: values.iter().map(|(n, v)| ExportValue::sz(n, v)).collect(),
                },
            );
        }
    }

    impl RegSource for MapSource {
        fn key(&self, path: &str) -> Result<Option<ExportKey>, String> {
            if path.to_ascii_lowercase().contains("denied") {
                return Err("Access is denied. (0x80070005)".into());
            }
            Ok(self.0.get(&path.to_ascii_lowercase()).cloned())
        }
        fn subkeys(&self, path: &str) -> Result<Vec<String>, String> {
            let prefix = format!("{}\\", path.to_ascii_lowercase());
            Ok(self
                .0
                .values()
                .filter_map(|k| {
                    let rest = k.path.get(prefix.len()..)?;
                    (k.path.to_ascii_lowercase().starts_with(&prefix) && !rest.contains('\\'))
                        .then(|| rest.to_string())
                })
                .collect())
        }
    }

    #[test]
    fn the_keys_the_checks_read_and_no_other_software() {
        let t = crate::doctor::tables::tables().unwrap();
        let mut m = MapSource::default();
        m.add(
            PARAMETERS,
            &[
                ("Path", "C:\\MIM\\Synchronization Service\\"),
                ("Server", "SQL01"),
                ("DBName", "FIMSynchronizationService"),
            ],
        );
        m.add(&format!("{PARAMETERS}\\PerMAInstance"), &[]);
        m.add(
            &format!("{PARAMETERS}\\PerMAInstance\\Contoso AD MA"),
            &[("x", "1")],
        );
        m.add(
            &format!("{UNINSTALL}\\{}", t.builds.sp2.product_code),
            &[
                (
                    "DisplayName",
                    "Microsoft Identity Manager Synchronization Service",
                ),
                ("DisplayVersion", "4.6.607.0"),
            ],
        );
        m.add(
            &format!("{UNINSTALL}\\{{00000000-0000-0000-0000-000000000001}}"),
            &[
                ("DisplayName", "Some Other Product"),
                ("DisplayVersion", "1.0"),
            ],
        );
        m.add(&format!("{PRODUCTS}\\{}", t.builds.sp2.packed), &[]);
        m.add(
            &format!("{PRODUCTS}\\{}\\InstallProperties", t.builds.sp2.packed),
            &[("DisplayVersion", "4.6.607.0")],
        );
        let x = export(&m, t);
        let paths: Vec<&str> = x.keys.iter().map(|k| k.path.as_str()).collect();
        assert_eq!(paths.len(), 6, "{paths:?}");
        assert!(
            !paths.iter().any(|p| p.contains("0000-000000000001")),
            "{paths:?}"
        );
        assert_eq!(
            x.sync_path.as_deref(),
            Some("C:\\MIM\\Synchronization Service\\")
        );
        let states: Vec<(String, State)> = x
            .parts
            .iter()
            .map(|p| (p.source.clone(), p.state))
            .collect();
        assert_eq!(
            states.iter().filter(|(_, s)| *s == State::Written).count(),
            3,
            "{states:?}"
        );
        let sync = x
            .parts
            .iter()
            .find(|p| p.source.ends_with("2010\\Synchronization Service"))
            .unwrap();
        assert_eq!(sync.state, State::Missing);
        assert!(sync.detail.starts_with("not there"), "{}", sync.detail);
        let sp3 = x
            .parts
            .iter()
            .find(|p| p.source.ends_with(&t.builds.sp3.packed))
            .unwrap();
        assert_eq!(sp3.state, State::Missing);
        assert!(x.parts.iter().all(|p| p.source.starts_with("HKLM\\")));
        // The export reads back as the checks read it.
        let mut r = crate::doctor::inputs::Registry::default();
        r.parse(
            std::path::Path::new("registry.reg"),
            &super::super::regfile::to_text(&x.keys),
        )
        .unwrap();
        let c = crate::doctor::inputs::Collection {
            registry: Some(r),
            ..Default::default()
        };
        let i = crate::doctor::checks::installed::Installed::read(&c, t);
        assert_eq!(i.display_version.map(|d| d.1).as_deref(), Some("4.6.607.0"));
        assert_eq!(i.server.as_deref(), Some("SQL01"));
        assert!(i.product.is_some());
    }

    #[test]
    fn nothing_there_is_recorded_and_location_gives_the_path() {
        let t = crate::doctor::tables::tables().unwrap();
        let x = export(&MapSource::default(), t);
        assert!(x.keys.is_empty());
        assert!(x
            .parts
            .iter()
            .all(|p| p.state == State::Missing && p.file.is_none()));
        assert_eq!(x.sync_path, None);
        let mut m = MapSource::default();
        m.add(SYNC_KEY, &[("Location", "D:\\MIM\\2010")]);
        assert_eq!(
            export(&m, t).sync_path.as_deref(),
            Some("D:\\MIM\\2010\\Synchronization Service\\")
        );
    }
}
