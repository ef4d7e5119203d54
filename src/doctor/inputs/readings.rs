//! The JSON inputs of a collection: file versions and SQL readings. Both are read with
//! `deny_unknown_fields`, and a bad file is an error with its line.
//!
//! `file-versions.json` (the FileVersion resource of each file, paths relative to the Sync
//! Service's `Path`):
//!
//! ```json
//! { "files": [ { "path": "Bin\\miiserver.exe", "version": "4.6.607.0" },
//!              { "path": "Extensions\\Microsoft.IAM.Connector.GenericLdap.dll", "version": "1.1.2005.0" } ] }
//! ```
//!
//! `sql.json` (what the SQL queries of the Sync database's server return; columns as named
//! in `sys.master_files`, `sys.databases`, `sys.configurations`, `sys.dm_os_sys_info`):
//!
//! ```json
//! { "server": "SQL01", "version": "Microsoft SQL Server 2019 ...", "cpu_count": 4,
//!   "max_server_memory_mb": 2147483647,
//!   "master_files": [ { "database": "tempdb", "name": "tempdev", "type_desc": "ROWS",
//!       "physical_name": "D:\\Data\\tempdb.mdf", "size": 1024, "growth": 10,
//!       "is_percent_growth": true, "max_size": -1 } ],
//!   "databases": [ { "name": "FIMSynchronizationService", "recovery_model_desc": "FULL",
//!       "last_log_backup": null } ] }
//! ```
//! `size` and a non-percent `growth` are in 8-KB pages, as SQL Server gives them;
//! `last_log_backup` is the newest `backup_finish_date` of a log backup in msdb, or null.
use super::text::read_text;
use super::InputError;
use serde::{Deserialize, Serialize};
use std::path::Path;

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileVersion {
    pub path: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct FileVersions {
    pub files: Vec<FileVersion>,
}

impl FileVersions {
    /// The version of the file at `rel` (relative to the Sync `Path`, case-insensitive).
    pub fn get(&self, rel: &str) -> Option<&str> {
        let want = rel.replace('/', "\\").to_ascii_lowercase();
        self.files
            .iter()
            .find(|f| f.path.replace('/', "\\").to_ascii_lowercase() == want)
            .map(|f| f.version.as_str())
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct MasterFile {
    pub database: String,
    pub name: String,
    pub type_desc: String,
    pub physical_name: String,
    pub size: i64,
    pub growth: i64,
    pub is_percent_growth: bool,
    pub max_size: i64,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Database {
    pub name: String,
    pub recovery_model_desc: String,
    pub last_log_backup: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct SqlReadings {
    pub server: String,
    #[serde(default)]
    pub version: Option<String>,
    pub cpu_count: u32,
    pub max_server_memory_mb: i64,
    pub master_files: Vec<MasterFile>,
    pub databases: Vec<Database>,
}

pub fn read_json<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, InputError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| {
        InputError::new(
            path,
            Some(e.line()),
            format!("not {what}: {e}"),
            "the shape is documented in the README (doctor inputs) and in src/doctor/inputs/readings.rs",
        )
    })
}
