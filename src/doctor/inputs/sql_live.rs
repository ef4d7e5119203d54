//! The SQL readings read live, in the shape of `sql.json` (`SqlReadings`), from the Sync
//! database's SQL Server: through the install checks' own connection (`check::sql::open`:
//! the profile's server and `[checks]` login, TLS verified, the address book first), with
//! the queries below, parameterised where they take a value. Nothing here is a second copy
//! of the SQL client: the same connection code, the same query helper.
//!
//! Every query is plain T-SQL that any SQL Server 2012 and later answers; bits and
//! sql_variants are cast to int so that every column is an int or text:
//!
//! ```sql
//! SELECT @@SERVERNAME AS server, @@VERSION AS version
//! SELECT cpu_count FROM sys.dm_os_sys_info
//! SELECT CAST(value_in_use AS int) AS value_in_use FROM sys.configurations WHERE name = @P1
//! SELECT database_id, name, recovery_model_desc FROM sys.databases
//! SELECT database_id, name, type_desc, physical_name, size, growth,
//!        CAST(is_percent_growth AS int) AS is_percent_growth, max_size FROM sys.master_files
//! SELECT database_name, CONVERT(nvarchar(30), backup_finish_date, 126) AS finished
//!        FROM msdb.dbo.backupset WHERE type = @P1
//! ```
use super::readings::{Database, MasterFile, SqlReadings};
use crate::check::sql::{open, rows, Rows};
use crate::check::{Ctx, Secrets, Settings};
use crate::profile::Profile;
use std::collections::BTreeMap;
use tokio::time::Instant;

const SERVER: &str = "SELECT @@SERVERNAME AS server, @@VERSION AS version";
const CPUS: &str = "SELECT cpu_count FROM sys.dm_os_sys_info";
const MEMORY: &str =
    "SELECT CAST(value_in_use AS int) AS value_in_use FROM sys.configurations WHERE name = @P1";
const DATABASES: &str = "SELECT database_id, name, recovery_model_desc FROM sys.databases";
const FILES: &str = "SELECT database_id, name, type_desc, physical_name, size, growth, CAST(is_percent_growth AS int) AS is_percent_growth, max_size FROM sys.master_files";
const LOG_BACKUPS: &str = "SELECT database_name, CONVERT(nvarchar(30), backup_finish_date, 126) AS finished FROM msdb.dbo.backupset WHERE type = @P1";

/// Reads the SQL readings from the profile's SQL Server; why not, as one line.
pub fn read(
    profile: &Profile,
    settings: Settings,
    secrets: Secrets,
) -> Result<SqlReadings, String> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the SQL client: {e}"))?;
    rt.block_on(async move {
        let deadline = Instant::now() + settings.timeout * 4;
        let ctx = Ctx::new(settings, secrets);
        let (mut client, t) = open(&ctx, profile, deadline).await?;
        let at = |what: &str, e: String| format!("{} ({what}): {e}", t.server);
        let server = rows(&mut client, SERVER, None, deadline)
            .await
            .map_err(|e| at("@@SERVERNAME", e))?;
        let cpus = rows(&mut client, CPUS, None, deadline)
            .await
            .map_err(|e| at("sys.dm_os_sys_info", e))?;
        let memory = rows(
            &mut client,
            MEMORY,
            Some("max server memory (MB)"),
            deadline,
        )
        .await
        .map_err(|e| at("sys.configurations", e))?;
        let dbs = rows(&mut client, DATABASES, None, deadline)
            .await
            .map_err(|e| at("sys.databases", e))?;
        let files = rows(&mut client, FILES, None, deadline)
            .await
            .map_err(|e| at("sys.master_files", e))?;
        let backups = rows(&mut client, LOG_BACKUPS, Some("L"), deadline)
            .await
            .map_err(|e| at("msdb.dbo.backupset", e))?;
        readings(&server, &cpus, &memory, &dbs, &files, &backups)
    })
}

fn cell(r: &Rows, row: usize, col: usize) -> Option<String> {
    r.get(row).and_then(|c| c.get(col)).cloned().flatten()
}

fn int(v: Option<String>, what: &str) -> Result<i64, String> {
    v.as_deref()
        .and_then(|s| s.trim().parse().ok())
        .ok_or_else(|| format!("{what}: the server gave {v:?}, not a number"))
}

/// The readings from the queries' rows (pure: tested without a server).
fn readings(
    server: &Rows,
    cpus: &Rows,
    memory: &Rows,
    dbs: &Rows,
    files: &Rows,
    backups: &Rows,
) -> Result<SqlReadings, String> {
    let names: BTreeMap<String, String> = dbs
        .iter()
        .filter_map(|r| Some((r.first()?.clone()?, r.get(1)?.clone()?)))
        .collect();
    // The newest log backup of each database (ISO 8601 sorts as text).
    let mut last: BTreeMap<String, String> = BTreeMap::new();
    for r in backups {
        if let (Some(Some(db)), Some(Some(at))) = (r.first(), r.get(1)) {
            let e = last.entry(db.to_ascii_lowercase()).or_default();
            if at > e {
                *e = at.clone();
            }
        }
    }
    let master_files = files
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let c = |col| cell(files, i, col);
            let id = c(0).unwrap_or_default();
            Ok(MasterFile {
                database: names.get(&id).cloned().unwrap_or(id),
                name: c(1).unwrap_or_default(),
                type_desc: c(2).unwrap_or_default(),
                physical_name: c(3).unwrap_or_default(),
                size: int(c(4), "sys.master_files.size")?,
                growth: int(c(5), "sys.master_files.growth")?,
                is_percent_growth: int(c(6), "sys.master_files.is_percent_growth")? == 1,
                max_size: int(c(7), "sys.master_files.max_size")?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let databases = dbs
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            let name = cell(dbs, i, 1)?;
            Some(Database {
                last_log_backup: last.get(&name.to_ascii_lowercase()).cloned(),
                recovery_model_desc: cell(dbs, i, 2).unwrap_or_default(),
                name,
            })
        })
        .collect();
    Ok(SqlReadings {
        server: cell(server, 0, 0).unwrap_or_default(),
        version: cell(server, 0, 1)
            .map(|v| v.lines().next().unwrap_or_default().trim().to_string()),
        cpu_count: u32::try_from(int(cell(cpus, 0, 0), "sys.dm_os_sys_info.cpu_count")?)
            .map_err(|e| format!("cpu_count: {e}"))?,
        max_server_memory_mb: int(cell(memory, 0, 0), "max server memory (MB)")?,
        master_files,
        databases,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(rows: &[&[Option<&str>]]) -> Rows {
        rows.iter()
            .map(|row| row.iter().map(|c| c.map(str::to_string)).collect())
            .collect()
    }

    #[test]
    fn rows_become_the_readings_of_sql_json() {
        let got = readings(
            &r(&[&[
                Some("CORPSQL"),
                Some("Microsoft SQL Server 2019 (RTM)\n\tCopyright"),
            ]]),
            &r(&[&[Some("4")]]),
            &r(&[&[Some("2147483647")]]),
            &r(&[
                &[Some("2"), Some("tempdb"), Some("SIMPLE")],
                &[Some("5"), Some("FIMSynchronizationService"), Some("FULL")],
            ]),
            &r(&[&[
                Some("2"),
                Some("tempdev"),
                Some("ROWS"),
                Some("T:\\tempdb.mdf"),
                Some("1024"),
                Some("10"),
                Some("1"),
                Some("-1"),
            ]]),
            &r(&[
                &[
                    Some("FIMSynchronizationService"),
                    Some("2026-11-30T01:00:00"),
                ],
                &[
                    Some("fimsynchronizationservice"),
                    Some("2026-12-01T01:00:00"),
                ],
            ]),
        )
        .expect("readings");
        assert_eq!(got.server, "CORPSQL");
        assert_eq!(
            got.version.as_deref(),
            Some("Microsoft SQL Server 2019 (RTM)")
        );
        assert_eq!(got.cpu_count, 4);
        assert_eq!(got.max_server_memory_mb, 2_147_483_647);
        assert_eq!(got.master_files[0].database, "tempdb");
        assert!(got.master_files[0].is_percent_growth);
        assert_eq!(got.databases[1].recovery_model_desc, "FULL");
        assert_eq!(
            got.databases[1].last_log_backup.as_deref(),
            Some("2026-12-01T01:00:00"),
            "the newest log backup"
        );
        assert_eq!(got.databases[0].last_log_backup, None);
    }

    #[test]
    fn a_column_that_is_not_a_number_is_an_error_that_names_it() {
        let e = readings(
            &r(&[&[Some("X"), None]]),
            &r(&[&[None]]),
            &r(&[&[Some("1")]]),
            &r(&[]),
            &r(&[]),
            &r(&[]),
        )
        .expect_err("no cpu_count");
        assert!(e.contains("cpu_count"), "{e}");
    }
}
