//! Step 6, TempDB and the Sync database, from the SQL readings: tempdb's files
//! (`sys.master_files`: percent growth, a small fixed growth, fewer data files than cores up
//! to 8, data and log on one volume), the Sync database's growth and recovery model (full
//! without log backups), and `max server memory (MB)`. The thresholds are MIM's best
//! practices where they give one; the "small growth" of 1 MB and under is a rule of thumb
//! (the seeds' TechNet article 14713 with its values is not confirmed).
use crate::doctor::inputs::{MasterFile, SqlReadings};
use crate::doctor::report::{finding, StepReport};
use crate::finding::Severity;

/// 1 MB in 8-KB pages.
const SMALL_GROWTH_PAGES: i64 = 128;
const UNLIMITED_MEMORY: i64 = 2_147_483_647;

fn volume(path: &str) -> String {
    let p = path.replace('/', "\\");
    if let Some(rest) = p.strip_prefix("\\\\") {
        let mut parts = rest.split('\\');
        return format!(
            "\\\\{}\\{}",
            parts.next().unwrap_or(""),
            parts.next().unwrap_or("")
        )
        .to_ascii_uppercase();
    }
    p.split('\\').next().unwrap_or("").to_ascii_uppercase()
}

/// 8-KB pages as MB, or KB under 1 MB.
fn size(pages: i64) -> String {
    if pages * 8 < 1024 {
        format!("{} KB", pages * 8)
    } else {
        format!("{} MB", pages * 8 / 1024)
    }
}

fn describe(f: &MasterFile) -> String {
    let growth = if f.growth == 0 {
        "no autogrow".to_string()
    } else if f.is_percent_growth {
        format!("growth {}%", f.growth)
    } else {
        format!("growth {}", size(f.growth))
    };
    let max = match f.max_size {
        -1 => "unlimited".to_string(),
        0 => "fixed".to_string(),
        m => format!("max {}", size(m)),
    };
    format!(
        "{} {} ({}) {}: {}, {growth}, {max}",
        f.database,
        f.name,
        f.type_desc,
        f.physical_name,
        size(f.size)
    )
}

fn growth_findings(db: &str, files: &[&MasterFile], st: &mut StepReport, why: &str) {
    for f in files {
        if f.growth > 0 && f.is_percent_growth {
            st.findings.push(
                finding("doctor-sql-growth", Severity::Warning, format!("{db} file {} grows by {}%", f.name, f.growth))
                    .why(format!("{why}; percentage growth makes each growth larger and slower as the file grows"))
                    .fix(format!("presize the file and set a fixed growth: ALTER DATABASE [{db}] MODIFY FILE (NAME = N'{}', FILEGROWTH = 512MB)", f.name))
                    .evidence(describe(f)),
            );
        } else if f.growth > 0 && f.growth <= SMALL_GROWTH_PAGES {
            st.findings.push(
                finding("doctor-sql-growth", Severity::Warning, format!("{db} file {} grows by only {} KB", f.name, f.growth * 8))
                    .why(format!("{why}; a small fixed growth means many growth events, each one stalling the work (1 MB and less is a rule of thumb here)"))
                    .fix(format!("presize the file and set a larger fixed growth: ALTER DATABASE [{db}] MODIFY FILE (NAME = N'{}', FILEGROWTH = 512MB)", f.name))
                    .evidence(describe(f)),
            );
        }
    }
}

pub fn check(sql: Option<&SqlReadings>, sync_db: &str) -> StepReport {
    let mut st = StepReport::new("sql");
    let Some(s) = sql else {
        return st
            .skipped("no SQL readings: no sql.json in the collection, and no --profile to read them live from its SQL Server");
    };
    st.evidence.push(format!(
        "SQL Server {}{}; {} CPU(s)",
        s.server,
        s.version
            .as_deref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default(),
        s.cpu_count
    ));
    let tempdb: Vec<&MasterFile> = s
        .master_files
        .iter()
        .filter(|f| f.database.eq_ignore_ascii_case("tempdb"))
        .collect();
    let sync: Vec<&MasterFile> = s
        .master_files
        .iter()
        .filter(|f| f.database.eq_ignore_ascii_case(sync_db))
        .collect();
    for f in tempdb.iter().chain(sync.iter()) {
        st.evidence.push(describe(f));
    }
    if tempdb.is_empty() {
        st.evidence.push("tempdb: no file in the readings".into());
    } else {
        growth_findings("tempdb", &tempdb, &mut st, "a full synchronization with the FIM Service MA is slow when tempdb autogrows (seeds, step 6)");
        let data = tempdb
            .iter()
            .filter(|f| f.type_desc.eq_ignore_ascii_case("ROWS"))
            .count();
        let want = s.cpu_count.clamp(1, 8) as usize;
        if data < want {
            st.findings.push(
                finding("doctor-sql-tempdb-files", Severity::Warning, format!("tempdb has {data} data file(s) for {} CPU(s)", s.cpu_count))
                    .why("MIM's best practices: create one tempdb data file per CPU core (up to 8 is SQL Server's usual start), to spread allocation contention")
                    .fix(format!("add data files of the same size and growth until there are {want}: ALTER DATABASE tempdb ADD FILE (NAME = N'tempdev2', FILENAME = N'<path>\\tempdb2.ndf', SIZE = <same>, FILEGROWTH = <same>)")),
            );
        }
        let data_vols: Vec<String> = tempdb
            .iter()
            .filter(|f| f.type_desc.eq_ignore_ascii_case("ROWS"))
            .map(|f| volume(&f.physical_name))
            .collect();
        for log in tempdb
            .iter()
            .filter(|f| f.type_desc.eq_ignore_ascii_case("LOG"))
        {
            let v = volume(&log.physical_name);
            if !v.is_empty() && data_vols.contains(&v) {
                st.findings.push(
                    finding("doctor-sql-tempdb-volume", Severity::Warning, format!("tempdb's data and log are on the same volume {v}"))
                        .why("MIM's best practices: separate tempdb data and log onto different drives (seen from the paths; a mount point under one letter is not told apart)")
                        .fix("move the tempdb log to another drive: ALTER DATABASE tempdb MODIFY FILE (NAME = templog, FILENAME = N'<other drive>\\templog.ldf'), then restart SQL Server"),
                );
            }
        }
    }
    if sync.is_empty() {
        st.evidence
            .push(format!("{sync_db}: no file in the readings"));
    } else {
        growth_findings(sync_db, &sync, &mut st, "the Sync database grows with every run that has changes (mms_step_object_details); MIM's best practices: do not rely on autogrow");
    }
    match s
        .databases
        .iter()
        .find(|d| d.name.eq_ignore_ascii_case(sync_db))
    {
        Some(d) => {
            st.evidence.push(format!(
                "{sync_db}: recovery model {}, last log backup {}",
                d.recovery_model_desc,
                d.last_log_backup.as_deref().unwrap_or("none")
            ));
            if d.recovery_model_desc.eq_ignore_ascii_case("FULL") && d.last_log_backup.is_none() {
                st.findings.push(
                    finding("doctor-sql-recovery", Severity::Warning, format!("{sync_db} uses the full recovery model and has no log backup"))
                        .why("MIM's best practices: the full model needs frequent log backups; without them the log grows until the disk is full (stopped-database-disk-full)")
                        .fix(format!("schedule log backups, or if none are planned: ALTER DATABASE [{sync_db}] SET RECOVERY SIMPLE")),
                );
            }
        }
        None => st
            .evidence
            .push(format!("{sync_db}: not in sys.databases of the readings")),
    }
    st.evidence.push(format!(
        "max server memory (MB): {}",
        s.max_server_memory_mb
    ));
    if s.max_server_memory_mb >= UNLIMITED_MEMORY {
        st.findings.push(
            finding("doctor-sql-memory", Severity::Warning, "SQL Server's max server memory is not limited")
                .why("MIM's best practices: limit SQL Server's memory (example: 12000 MB) when SQL Server shares the computer, so that the Sync service and Windows keep theirs")
                .fix("EXEC sp_configure 'show advanced options', 1; RECONFIGURE; EXEC sp_configure 'max server memory (MB)', <MB>; RECONFIGURE"),
        );
    }
    st.summary = if st.findings.is_empty() {
        format!(
            "tempdb ({} file(s)) and {sync_db} follow the checks",
            tempdb.len()
        )
    } else {
        format!("{} finding(s) on tempdb and {sync_db}", st.findings.len())
    };
    st.settle()
}
