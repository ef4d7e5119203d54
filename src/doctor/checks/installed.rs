//! What the collection says about the installed Synchronization Service, read once for
//! every check: the service's `Parameters` key (`Path`, `Server`, `SQLInstance`, `DBName`)
//! and the three version readings (the Uninstall entry's `DisplayVersion`, the MSI product
//! by its product code, the file version of `Bin\miiserver.exe`).
use crate::doctor::inputs::{Collection, Registry};
use crate::doctor::tables::{cmp_versions, Tables};
use std::cmp::Ordering;

pub const PARAMETERS: &str =
    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\FIMSynchronizationService\\Parameters";
pub const UNINSTALL: &str =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall";
pub const PRODUCTS: &str =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Installer\\UserData\\S-1-5-18\\Products";
pub const SYNC_KEY: &str =
    "HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Forefront Identity Manager\\2010\\Synchronization Service";
pub const DISPLAY_NAME: &str = "Microsoft Identity Manager Synchronization Service";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductLine {
    /// SP1 or SP2 (one product code for both).
    Sp2,
    Sp3,
}

#[derive(Debug, Clone, Default)]
pub struct Installed {
    pub path: Option<String>,
    pub server: Option<String>,
    pub sql_instance: Option<String>,
    pub db_name: Option<String>,
    /// (Uninstall subkey, DisplayVersion).
    pub display_version: Option<(String, String)>,
    /// The MSI product found by its product code, with its InstallProperties DisplayVersion.
    pub product: Option<(ProductLine, String, Option<String>)>,
    pub file_version: Option<String>,
}

fn product(reg: &Registry, t: &Tables) -> Option<(ProductLine, String, Option<String>)> {
    for (line, p) in [
        (ProductLine::Sp3, &t.builds.sp3),
        (ProductLine::Sp2, &t.builds.sp2),
    ] {
        let key = format!("{PRODUCTS}\\{}\\InstallProperties", p.packed);
        let under_uninstall = format!("{UNINSTALL}\\{}", p.product_code);
        if reg.key(&key).is_some() {
            return Some((
                line,
                p.product_code.clone(),
                reg.text(&key, "DisplayVersion"),
            ));
        }
        if reg.key(&under_uninstall).is_some() {
            return Some((line, p.product_code.clone(), None));
        }
    }
    None
}

impl Installed {
    pub fn read(c: &Collection, t: &Tables) -> Installed {
        let mut i = Installed::default();
        if let Some(reg) = &c.registry {
            i.path = reg.text(PARAMETERS, "Path");
            i.server = reg.text(PARAMETERS, "Server");
            i.sql_instance = reg
                .text(PARAMETERS, "SQLInstance")
                .or_else(|| reg.text(PARAMETERS, "Instance"));
            i.db_name = reg.text(PARAMETERS, "DBName");
            i.display_version = reg
                .subkeys(UNINSTALL)
                .find(|k| {
                    k.values
                        .get("displayname")
                        .and_then(|(_, v)| v.as_text())
                        .is_some_and(|n| n.eq_ignore_ascii_case(DISPLAY_NAME))
                })
                .and_then(|k| {
                    let v = k.values.get("displayversion")?.1.as_text()?;
                    let name = k.path.rsplit('\\').next().unwrap_or("").to_string();
                    Some((name, v))
                });
            i.product = product(reg, t);
        }
        if let Some(f) = &c.files {
            i.file_version = f.get("Bin\\miiserver.exe").map(str::to_string);
        }
        i
    }

    /// The installed build: the file version of miiserver.exe (what runs), else the
    /// Uninstall entry's DisplayVersion, else the MSI product's.
    pub fn version(&self) -> Option<&str> {
        self.file_version
            .as_deref()
            .or(self.display_version.as_ref().map(|(_, v)| v.as_str()))
            .or(self.product.as_ref().and_then(|(_, _, v)| v.as_deref()))
    }

    /// SP3: by the product code, or by a 4.7 or later version.
    pub fn is_sp3(&self) -> bool {
        self.product
            .as_ref()
            .is_some_and(|(l, _, _)| *l == ProductLine::Sp3)
            || self
                .version()
                .and_then(|v| cmp_versions(v, "4.7"))
                .is_some_and(|o| o != Ordering::Less)
    }

    /// True when the installed build is at least `v` (None when unknown).
    pub fn at_least(&self, v: &str) -> Option<bool> {
        if self.is_sp3() {
            return Some(true);
        }
        cmp_versions(self.version()?, v).map(|o| o != Ordering::Less)
    }

    /// The Sync database name (the Sync Service's default when the value is absent).
    /// The registry's `DBName`, else `fallback` (a profile's), else setup's default.
    pub fn database_or(&self, fallback: Option<&str>) -> String {
        match (&self.db_name, fallback) {
            (Some(d), _) if !d.is_empty() => d.clone(),
            (_, Some(f)) if !f.trim().is_empty() => f.trim().to_string(),
            _ => self.database(),
        }
    }

    pub fn database(&self) -> String {
        self.db_name
            .clone()
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "FIMSynchronizationService".to_string())
    }
}
