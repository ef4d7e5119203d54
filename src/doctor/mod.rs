//! `mim-setup doctor`: works through the seeds' checklist for an installed MIM 2016
//! Synchronization Service (seeds 001 and 004, "Configure MIM Sync service"): build
//! currency, connector pack, run history, extension-dll-exception, PCNS 6025, TempDB,
//! failed-creation-via-web-services, and customised .config files after an upgrade.
//!
//! ```text
//!   --from DIR -> inputs::Collection (one model) -> checks::* -> report::Report -> text | JSON
//!                   .reg / JSON / run-history XML / wevtutil XML / .config
//! ```
//! The reference tables are data (`data/*.toml`, each row with its source and how sure it
//! is; `tables`). Where a fact is unconfirmed, the finding says so.
pub mod checks;
pub mod collect;
pub mod command;
pub mod inputs;
pub mod report;
pub mod tables;
mod update_plan;

use inputs::{Collection, InputError};
use report::{Report, StepReport};
use std::path::Path;

/// What `--since` and `--ma` narrow the run history to.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Runs that started at or after this time, `yyyy-mm-dd[ hh:mm[:ss]]` (UTC, as the run
    /// history writes times).
    pub since: Option<String>,
    /// Runs of this management agent (case-insensitive).
    pub ma: Option<String>,
}

/// `--since` as the run history's time format: `yyyy-mm-dd hh:mm:ss`, checked.
pub fn parse_since(s: &str) -> Result<String, String> {
    let t = s.trim().replace('T', " ");
    let full = match t.len() {
        10 => format!("{t} 00:00:00"),
        16 => format!("{t}:00"),
        19 => t.clone(),
        _ => String::new(),
    };
    let ok = full.len() == 19
        && full.char_indices().all(|(i, c)| match i {
            4 | 7 => c == '-',
            10 => c == ' ',
            13 | 16 => c == ':',
            _ => c.is_ascii_digit(),
        });
    let valid = ok && {
        let n = |a: usize, b: usize| full[a..b].parse::<u32>().unwrap_or(99);
        (1..=12).contains(&n(5, 7))
            && (1..=31).contains(&n(8, 10))
            && n(11, 13) < 24
            && n(14, 16) < 60
            && n(17, 19) < 60
    };
    if valid {
        Ok(full)
    } else {
        Err(format!("--since {s:?} is not a date: write YYYY-MM-DD, YYYY-MM-DD HH:MM or YYYY-MM-DD HH:MM:SS (UTC)"))
    }
}

/// Runs every step on a collection folder.
pub fn run_from(dir: &Path, o: &Options) -> Result<Report, InputError> {
    let c = Collection::read(dir)?;
    analyse(c, o, &dir.display().to_string())
}

/// What is read live with a profile: the SQL readings (they take the place of a
/// collection's sql.json), the Sync database's name, and step 5's directory answers.
#[derive(Debug, Clone)]
pub struct Live {
    pub sql: inputs::SqlReadings,
    pub database: String,
    pub ad: Option<inputs::ad_live::AdReadings>,
}

impl Live {
    /// Into the collection; says what was read.
    pub fn fill(self, c: &mut Collection) -> String {
        let from = format!("SQL Server {} (live)", self.sql.server);
        c.sql = Some(self.sql);
        c.database = Some(self.database);
        if self.ad.is_some() {
            c.ad = self.ad;
        }
        from
    }
}

/// Runs every step on a collection folder (when given) and what was read live (when
/// given). The Sync database is the registry's `DBName`, else `database` (the profile's),
/// else setup's default.
pub fn run_with(dir: Option<&Path>, live: Option<Live>, o: &Options) -> Result<Report, InputError> {
    let mut c = match dir {
        Some(d) => Collection::read(d)?,
        None => Collection::default(),
    };
    let mut from: Vec<String> = dir.map(|d| d.display().to_string()).into_iter().collect();
    if let Some(live) = live {
        from.push(live.fill(&mut c));
    }
    analyse(c, o, &from.join(" and "))
}

/// Runs every step on a collection.
pub fn analyse(mut c: Collection, o: &Options, from: &str) -> Result<Report, InputError> {
    let mut steps = Vec::new();
    analyse_each(&mut c, o, &mut |_| {}, &mut |s| steps.push(s))?;
    Ok(Report {
        from: from.to_string(),
        steps,
    })
}

/// Runs every step on a collection in the order of `report::STEPS`, handing each report to
/// `each` as soon as it is done (the doctor screen shows them as they come). `before_live`
/// runs just before step 5, the first that reads live (the directory, then SQL): the doctor
/// screen reads them there.
pub fn analyse_each(
    c: &mut Collection,
    o: &Options,
    before_live: &mut dyn FnMut(&mut Collection),
    each: &mut dyn FnMut(StepReport),
) -> Result<(), InputError> {
    let t = tables::tables().map_err(|e| {
        InputError::new(
            Path::new("src/doctor/data"),
            None,
            e,
            "this is a bug of mim-setup: report it",
        )
    })?;
    let installed = checks::installed::Installed::read(c, t);
    let history = checks::history::History::read(c, o)?;
    each(checks::build::check(
        &installed,
        t,
        c.registry.is_some(),
        c.files.is_some(),
    ));
    each(checks::connectors::check(c, &installed, t));
    each(history.runs_step(t, c, o));
    each(history.extension_step(t, c));
    before_live(c);
    each(checks::pcns::check(c, t));
    each(checks::sql::check(
        c.sql.as_ref(),
        &installed.database_or(c.database.as_deref()),
    ));
    each(history.web_services_step(c));
    each(checks::configs::check(c, &installed));
    Ok(())
}
