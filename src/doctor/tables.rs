//! The reference tables, as data files with a source and how sure each row is
//! (`data/*.toml`, embedded with `include_str!`): MIM 2016 builds, the connector pack, every
//! run status of RunHistory.xsd, the object error types, and the events the doctor explains.
//! Parsed once; a table that does not parse is a bug the tests catch, and at run time an
//! error, never a panic.
use serde::Deserialize;
use std::cmp::Ordering;
use std::sync::OnceLock;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Build {
    pub version: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub line: String,
    pub date: String,
    pub kb: String,
    pub sync: bool,
    pub notes: String,
    pub source: String,
    pub sure: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Line {
    pub name: String,
    pub newest: String,
    pub next: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub product_code: String,
    pub packed: String,
    pub source: String,
    pub sure: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Builds {
    pub build: Vec<Build>,
    pub line: Vec<Line>,
    pub sp3: Product,
    pub sp2: Product,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConnectorBuild {
    pub version: String,
    pub date: String,
    pub notes: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub from: String,
    pub dll: String,
    pub what: String,
    pub min_sync: String,
    pub registry_key: String,
    pub registry_value: String,
    pub registry_dword: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Connectors {
    pub newest: String,
    pub source: String,
    pub download: String,
    pub build: Vec<ConnectorBuild>,
    pub requirement: Vec<Requirement>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Status {
    pub name: String,
    pub class: String,
    pub meaning: String,
    pub causes: String,
    pub fix: String,
    pub source: String,
    pub sure: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectErrorType {
    pub name: String,
    pub phase: String,
    pub meaning: String,
    pub fix: String,
    pub source: String,
    pub sure: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventInfo {
    pub source: String,
    pub id: u32,
    pub meaning: String,
    pub fix: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub sure: String,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
struct StatusFile {
    status: Vec<Status>,
}
#[derive(Debug, Clone, Deserialize)]
struct ErrorFile {
    error: Vec<ObjectErrorType>,
}
#[derive(Debug, Clone, Deserialize)]
struct EventFile {
    event: Vec<EventInfo>,
}

#[derive(Debug, Clone)]
pub struct Tables {
    pub builds: Builds,
    pub connectors: Connectors,
    pub statuses: Vec<Status>,
    pub errors: Vec<ObjectErrorType>,
    pub events: Vec<EventInfo>,
}

pub const BUILDS: &str = include_str!("data/builds.toml");
pub const CONNECTORS: &str = include_str!("data/connectors.toml");
pub const RUN_STATUS: &str = include_str!("data/run_status.toml");
pub const OBJECT_ERRORS: &str = include_str!("data/object_errors.toml");
pub const EVENTS: &str = include_str!("data/events.toml");

fn parse() -> Result<Tables, String> {
    fn at(f: &'static str) -> impl Fn(toml::de::Error) -> String {
        move |e| format!("src/doctor/data/{f}: {e}")
    }
    Ok(Tables {
        builds: toml::from_str(BUILDS).map_err(at("builds.toml"))?,
        connectors: toml::from_str(CONNECTORS).map_err(at("connectors.toml"))?,
        statuses: toml::from_str::<StatusFile>(RUN_STATUS)
            .map_err(at("run_status.toml"))?
            .status,
        errors: toml::from_str::<ErrorFile>(OBJECT_ERRORS)
            .map_err(at("object_errors.toml"))?
            .error,
        events: toml::from_str::<EventFile>(EVENTS)
            .map_err(at("events.toml"))?
            .event,
    })
}

/// The tables, parsed once.
pub fn tables() -> Result<&'static Tables, String> {
    static T: OnceLock<Result<Tables, String>> = OnceLock::new();
    T.get_or_init(parse).as_ref().map_err(Clone::clone)
}

impl Tables {
    pub fn status(&self, name: &str) -> Option<&Status> {
        self.statuses.iter().find(|s| s.name == name)
    }

    pub fn error_type(&self, name: &str) -> Option<&ObjectErrorType> {
        self.errors.iter().find(|s| s.name == name)
    }

    pub fn event(&self, source: &str, id: u32) -> Option<&EventInfo> {
        self.events
            .iter()
            .find(|e| e.id == id && e.source.eq_ignore_ascii_case(source))
    }

    /// The build row of a version (aliases included, such as the page's 4.4.1549.0 typo).
    pub fn build(&self, version: &str) -> Option<&Build> {
        self.builds
            .build
            .iter()
            .find(|b| b.version == version || b.aliases.iter().any(|a| a == version))
    }

    pub fn line(&self, name: &str) -> Option<&Line> {
        self.builds.line.iter().find(|l| l.name == name)
    }
}

/// What a run status's prefix says, for a status the table does not hold.
pub fn class_of(status: &str) -> (&'static str, &'static str) {
    if status == "success" {
        ("ok", "finished without errors")
    } else if status.starts_with("completed-") {
        (
            "completed",
            "the step finished, with errors or warnings; the next step of the run profile runs (except after discovery errors)",
        )
    } else if status.starts_with("completing-") || status == "in-progress" {
        ("running", "the step is still running")
    } else if status.starts_with("no-start-") {
        (
            "no-start",
            "the step never started: configuration, credentials, connectivity, a file or a partition",
        )
    } else if status.starts_with("stopped-") {
        ("stopped", "the step was aborted")
    } else {
        (
            "unknown",
            "a result the Sync Service's schema does not list",
        )
    }
}

/// A version `a.b.c.d` as numbers, for ordering; None when it is not one.
pub fn version(v: &str) -> Option<Vec<u32>> {
    let parts: Option<Vec<u32>> = v.trim().split('.').map(|p| p.parse().ok()).collect();
    parts.filter(|p| (2..=4).contains(&p.len()))
}

pub fn cmp_versions(a: &str, b: &str) -> Option<Ordering> {
    Some(version(a)?.cmp(&version(b)?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The `step-result` enumeration of RunHistory.xsd, in the schema's order.
    const SCHEMA_STEP_RESULTS: &str = "completed-discovery-errors completed-export-errors completed-no-objects completed-sync-errors completed-transient-objects completed-warnings completing-obsoletion completing-referential-updates in-progress no-start-bad-ma-configuration no-start-change-log-not-enabled no-start-connection no-start-credentials no-start-database-permission no-start-database-schema-mismatch no-start-database-table no-start-delta-step-type-not-configured no-start-file-access-denied no-start-file-code-page no-start-file-contains-incorrect-step-type no-start-file-not-found no-start-file-open no-start-file-sharing-violation no-start-full-import-required no-start-header-row-mismatch no-start-ma no-start-ma-working-directory no-start-no-domain-controller no-start-no-partition-delete no-start-partition-not-configured no-start-partition-rename no-start-server no-start-no-steps-in-profile stopped-bad-ma-configuration stopped-change-log-out-of-order stopped-code-page-conversion stopped-connectivity stopped-database-connection-lost stopped-database-disk-full stopped-deadlocked stopped-disk-full stopped-error-limit stopped-export-write stopped-extension-dll-access stopped-extension-dll-ambiguous stopped-extension-dll-exception stopped-extension-dll-file-not-found stopped-extension-dll-instantiation stopped-extension-dll-invalid-assembly stopped-extension-dll-load stopped-extension-dll-missing-dependency stopped-extension-dll-no-implementation stopped-extension-dll-not-configured-for-ma stopped-extension-dll-not-configured-for-mv stopped-extension-dll-updated-version stopped-file-embedded-nulls stopped-file-error stopped-import-read stopped-ma stopped-object-limit stopped-out-of-memory stopped-parsing-errors stopped-server stopped-service-shutdown stopped-user-termination-from-extension stopped-user-termination-from-wmi-or-ui success";

    #[test]
    fn every_run_status_of_the_schema_has_an_explanation_and_nothing_else_is_in_the_table() {
        let t = tables().unwrap();
        let schema: Vec<&str> = SCHEMA_STEP_RESULTS.split_whitespace().collect();
        assert_eq!(schema.len(), 67);
        for s in &schema {
            let row = t.status(s).unwrap_or_else(|| panic!("{s} has no row"));
            assert!(!row.meaning.is_empty(), "{s}: no meaning");
            // completed-no-objects is the one completed-* that is a success (facts file B.2).
            let class = if *s == "completed-no-objects" {
                "ok"
            } else {
                class_of(s).0
            };
            assert_eq!(row.class, class, "{s}: class");
            assert!(["doc", "infer"].contains(&row.sure.as_str()), "{s}: sure");
            assert!(!row.source.is_empty(), "{s}: source");
            if row.class != "ok" && row.class != "running" {
                assert!(!row.fix.is_empty(), "{s}: no fix");
            }
        }
        for row in &t.statuses {
            assert!(
                schema.contains(&row.name.as_str()),
                "{} is not in the schema",
                row.name
            );
        }
        assert_eq!(t.statuses.len(), schema.len(), "a status twice");
    }

    #[test]
    fn a_status_outside_the_table_is_explained_by_its_prefix() {
        let t = tables().unwrap();
        assert!(t.status("stopped-something-new").is_none());
        assert_eq!(class_of("stopped-something-new").0, "stopped");
        assert_eq!(class_of("no-start-x").0, "no-start");
        assert_eq!(class_of("completed-x").0, "completed");
        assert_eq!(class_of("bogus").0, "unknown");
    }

    #[test]
    fn builds_are_in_order_each_line_names_its_newest_and_no_sp3_build_is_listed() {
        let t = tables().unwrap();
        let b = &t.builds.build;
        for w in b.windows(2) {
            assert_eq!(
                cmp_versions(&w[0].version, &w[1].version),
                Some(Ordering::Less),
                "{} {}",
                w[0].version,
                w[1].version
            );
        }
        for l in &t.builds.line {
            let newest = b.iter().rfind(|x| x.line == l.name).unwrap();
            assert_eq!(newest.version, l.newest, "{}", l.name);
        }
        assert!(b
            .iter()
            .all(|x| x.line != "SP3" && !x.version.starts_with("4.7")));
        assert_eq!(t.build("4.4.1549.0").unwrap().version, "4.4.1459.0");
        assert!(b.iter().all(|x| !x.source.is_empty() && !x.sure.is_empty()));
        let c = &t.connectors;
        for w in c.build.windows(2) {
            assert_eq!(
                cmp_versions(&w[0].version, &w[1].version),
                Some(Ordering::Less)
            );
        }
        assert_eq!(c.build.last().unwrap().version, c.newest);
        assert!(t.error_type("extension-dll-exception").is_some());
        assert!(t.event("pcnssvc", 6025).is_some());
    }
}
