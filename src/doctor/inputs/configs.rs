//! The .NET configuration files of the Sync Service that hotfix setup does not replace when
//! they were customised: `Bin\miiserver.exe.config`, `Bin\mmsscrpt.exe.config` and
//! `dllhost.exe.config` (in the parent folder). Read for their assembly binding redirects
//! (`runtime/assemblyBinding/dependentAssembly` with `assemblyIdentity@name` and
//! `bindingRedirect@newVersion`).
use super::xml::{Item, XmlStream};
use super::InputError;
use std::path::Path;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub assembly: String,
    pub new_version: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigFile {
    /// The file name, e.g. `miiserver.exe.config`.
    pub name: String,
    pub redirects: Vec<Redirect>,
}

pub fn read_config(path: &Path) -> Result<ConfigFile, InputError> {
    let mut x = XmlStream::open(path)?;
    let mut redirects = Vec::new();
    let mut assembly: Option<String> = None;
    let mut first = true;
    loop {
        match x.next()? {
            Item::Eof => break,
            Item::Text(_) => {}
            Item::Start(name, attrs) => {
                if first && name != "configuration" {
                    return Err(x.error(
                        format!("not a .NET configuration file: the root element is <{name}>"),
                        "copy the file as it is on the Sync server (its root is <configuration>)",
                    ));
                }
                first = false;
                let get = |n: &str| attrs.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
                match name.as_str() {
                    "dependentAssembly" => assembly = None,
                    "assemblyIdentity" => assembly = get("name"),
                    "bindingRedirect" => {
                        if let Some(a) = &assembly {
                            redirects.push(Redirect {
                                assembly: a.clone(),
                                new_version: get("newVersion").unwrap_or_default(),
                            });
                        }
                    }
                    _ => {}
                }
            }
            Item::End(_) => {}
        }
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(ConfigFile { name, redirects })
}
