//! The Sync Service's files: the FileVersion of `Bin\miiserver.exe` and of every
//! `Extensions\*.dll` (read from the PE image's VERSIONINFO resource with pelite, so it works
//! on any OS), written as `file-versions.json`; and the .config files that hotfix setup does
//! not replace, copied into `config/`.
use super::{Part, State};
use crate::doctor::inputs::{FileVersion, FileVersions};
use std::path::{Path, PathBuf};

/// Larger files are not read (miiserver.exe is a few MB, a connector DLL less).
const MAX_IMAGE: u64 = 256 * 1024 * 1024;

/// The FileVersion of a PE image (VS_FIXEDFILEINFO's dwFileVersion, as Explorer shows it:
/// major.minor.build.revision); None when the image has no version resource.
pub fn file_version(path: &Path) -> Result<Option<String>, String> {
    let len = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if len > MAX_IMAGE {
        return Err(format!("{len} bytes: larger than a Sync Service file"));
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    // pelite reads the resources in place and wants them 4-byte aligned: copy the image to
    // an aligned offset of a buffer (a Vec<u8> has no alignment of its own).
    let mut buf = vec![0u8; bytes.len() + 8];
    let off = buf.as_ptr().align_offset(8).min(8);
    buf[off..off + bytes.len()].copy_from_slice(&bytes);
    let image = &buf[off..off + bytes.len()];
    let pe = pelite::PeFile::from_bytes(image).map_err(|e| format!("not a PE image: {e}"))?;
    let Ok(resources) = pe.resources() else {
        return Ok(None);
    };
    let Ok(info) = resources.version_info() else {
        return Ok(None);
    };
    Ok(info.fixed().map(|f| {
        let v = f.dwFileVersion;
        format!("{}.{}.{}.{}", v.Major, v.Minor, v.Patch, v.Build)
    }))
}

/// `sync_path` joined with Windows-style relative parts (`Bin\miiserver.exe`).
fn under(sync_path: &Path, rel: &str) -> PathBuf {
    rel.split('\\')
        .fold(sync_path.to_path_buf(), |p, c| p.join(c))
}

fn part(source: String, state: State, file: Option<&str>, detail: String) -> Part {
    Part {
        part: "file-versions".into(),
        source,
        state,
        file: file.map(str::to_string),
        detail,
    }
}

/// The versions of `Bin\miiserver.exe` and `Extensions\*.dll` under `sync_path`, with a part
/// for each file read or not; None when no version was read.
pub fn file_versions(sync_path: &Path, parts: &mut Vec<Part>) -> Option<FileVersions> {
    let mut files = Vec::new();
    let shown = |rel: &str| under(sync_path, rel).display().to_string();
    let exe = under(sync_path, "Bin\\miiserver.exe");
    match file_version(&exe) {
        Ok(Some(v)) => {
            parts.push(part(
                shown("Bin\\miiserver.exe"),
                State::Written,
                Some(super::FILE_VERSIONS),
                v.clone(),
            ));
            files.push(FileVersion {
                path: "Bin\\miiserver.exe".into(),
                version: v,
            });
        }
        Ok(None) => parts.push(part(
            shown("Bin\\miiserver.exe"),
            State::Missing,
            None,
            "no version resource in the file".into(),
        )),
        Err(e) => parts.push(part(
            shown("Bin\\miiserver.exe"),
            State::Missing,
            None,
            format!("cannot be read: {e}"),
        )),
    }
    let ext = under(sync_path, "Extensions");
    match std::fs::read_dir(&ext) {
        Ok(rd) => {
            let mut dlls: Vec<PathBuf> = rd
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file() && p.extension().is_some_and(|x| x.eq_ignore_ascii_case("dll"))
                })
                .collect();
            dlls.sort();
            let (mut read, mut unversioned, mut unreadable) = (0, Vec::new(), Vec::new());
            for p in &dlls {
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                match file_version(p) {
                    Ok(Some(v)) => {
                        read += 1;
                        files.push(FileVersion {
                            path: format!("Extensions\\{name}"),
                            version: v,
                        });
                    }
                    Ok(None) => unversioned.push(name),
                    Err(e) => unreadable.push(format!("{name} ({e})")),
                }
            }
            let mut detail = format!("{read} of {} DLL(s) with a version", dlls.len());
            if !unversioned.is_empty() {
                detail.push_str(&format!(
                    "; no version resource: {}",
                    unversioned.join(", ")
                ));
            }
            if !unreadable.is_empty() {
                detail.push_str(&format!("; cannot be read: {}", unreadable.join(", ")));
            }
            let state = if read > 0 {
                State::Written
            } else {
                State::Missing
            };
            parts.push(part(
                shown("Extensions\\*.dll"),
                state,
                (read > 0).then_some(super::FILE_VERSIONS),
                detail,
            ));
        }
        Err(e) => parts.push(part(
            shown("Extensions\\"),
            State::Missing,
            None,
            format!("cannot be read: {e}"),
        )),
    }
    (!files.is_empty()).then_some(FileVersions { files })
}

/// The .config files of the Sync Service: `Bin\miiserver.exe.config`,
/// `Bin\mmsscrpt.exe.config`, and `dllhost.exe.config` (in `Bin\`, else in the install
/// folder itself), copied into `out` (the collection's `config/`) when the doctor reads them.
pub fn configs(sync_path: &Path, out: &Path, parts: &mut Vec<Part>) {
    let candidates: [(&str, &[&str]); 3] = [
        ("miiserver.exe.config", &["Bin\\miiserver.exe.config"]),
        ("mmsscrpt.exe.config", &["Bin\\mmsscrpt.exe.config"]),
        (
            "dllhost.exe.config",
            &["Bin\\dllhost.exe.config", "dllhost.exe.config"],
        ),
    ];
    for (name, rels) in candidates {
        let found = rels
            .iter()
            .map(|r| (*r, under(sync_path, r)))
            .find(|(_, p)| p.is_file());
        let mut p = Part {
            part: "config".into(),
            source: under(sync_path, rels[0]).display().to_string(),
            state: State::Missing,
            file: None,
            detail: String::new(),
        };
        match found {
            None => p.detail = format!("not there ({})", rels.join(" or ")),
            Some((rel, src)) => {
                p.source = under(sync_path, rel).display().to_string();
                let dest = out.join(name);
                let copied = std::fs::create_dir_all(out)
                    .and_then(|_| std::fs::copy(&src, &dest))
                    .map_err(|e| format!("cannot be copied: {e}"))
                    .and_then(|_| {
                        crate::doctor::inputs::read_config(&dest)
                            .map(|c| c.redirects.len())
                            .map_err(|e| {
                                format!(
                                    "not left in the collection: the doctor cannot read it ({})",
                                    e.what
                                )
                            })
                    });
                match copied {
                    Ok(n) => {
                        p.state = State::Written;
                        p.file = Some(format!("config/{name}"));
                        p.detail = format!("{n} binding redirect(s)");
                    }
                    Err(e) => {
                        let _ = std::fs::remove_file(&dest);
                        p.detail = e;
                    }
                }
            }
        }
        parts.push(p);
    }
    // An empty config/ is not left behind.
    let _ = std::fs::remove_dir(out);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/doctor/pe")
            .join(name)
    }

    #[test]
    fn the_version_resource_of_pe32_and_pe32_plus_images() {
        assert_eq!(
            file_version(&fixture("miiserver.exe")).unwrap().as_deref(),
            Some("4.6.673.0")
        );
        assert_eq!(
            file_version(&fixture("Microsoft.IAM.Connector.GenericLdap.dll"))
                .unwrap()
                .as_deref(),
            Some("1.1.2005.0")
        );
        assert_eq!(file_version(&fixture("no-version.dll")).unwrap(), None);
        let e = file_version(&fixture("make.sh")).unwrap_err();
        assert!(e.starts_with("not a PE image"), "{e}");
        assert!(file_version(&fixture("nowhere.exe")).is_err());
    }

    #[test]
    fn a_sync_folder_gives_file_versions_and_configs() {
        let d = tempfile::tempdir().unwrap();
        let sync = d.path().join("Synchronization Service");
        std::fs::create_dir_all(sync.join("Bin")).unwrap();
        std::fs::create_dir_all(sync.join("Extensions")).unwrap();
        std::fs::copy(fixture("miiserver.exe"), sync.join("Bin/miiserver.exe")).unwrap();
        for n in ["Microsoft.IAM.Connector.GenericLdap.dll", "no-version.dll"] {
            std::fs::copy(fixture(n), sync.join("Extensions").join(n)).unwrap();
        }
        std::fs::write(
            sync.join("Bin/miiserver.exe.config"),
            "<configuration><runtime/></configuration>",
        )
        .unwrap();
        std::fs::write(sync.join("dllhost.exe.config"), "<configuration/>").unwrap();
        std::fs::write(sync.join("Bin/mmsscrpt.exe.config"), "not xml <").unwrap();
        let mut parts = Vec::new();
        let f = file_versions(&sync, &mut parts).unwrap();
        assert_eq!(f.get("Bin\\miiserver.exe"), Some("4.6.673.0"));
        assert_eq!(
            f.get("Extensions\\Microsoft.IAM.Connector.GenericLdap.dll"),
            Some("1.1.2005.0")
        );
        assert_eq!(f.files.len(), 2);
        assert!(
            parts[1]
                .detail
                .contains("no version resource: no-version.dll"),
            "{:?}",
            parts[1]
        );
        let out = d.path().join("config");
        configs(&sync, &out, &mut parts);
        let c: Vec<(&str, State)> = parts[2..]
            .iter()
            .map(|p| (p.source.rsplit(['\\', '/']).next().unwrap(), p.state))
            .collect();
        assert_eq!(
            c,
            vec![
                ("miiserver.exe.config", State::Written),
                ("mmsscrpt.exe.config", State::Missing),
                ("dllhost.exe.config", State::Written)
            ]
        );
        assert!(
            parts[3].detail.contains("the doctor cannot read it"),
            "{:?}",
            parts[3]
        );
        assert!(
            out.join("miiserver.exe.config").is_file() && !out.join("mmsscrpt.exe.config").exists()
        );
        // Nothing there: every part missing, no empty config/ left.
        let mut parts = Vec::new();
        assert!(file_versions(&d.path().join("nowhere"), &mut parts).is_none());
        configs(
            &d.path().join("nowhere"),
            &d.path().join("config2"),
            &mut parts,
        );
        assert!(parts.iter().all(|p| p.state == State::Missing));
        assert!(!d.path().join("config2").exists());
    }
}
