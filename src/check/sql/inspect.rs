//! The questions asked over the one SQL connection, and what the answers mean for MIM. Query
//! texts are constants; the database name travels only as a parameter (`sp_executesql`).
use super::connect::Client;
use super::properties::{self, present, Props};
use super::versions;
use super::Target;
use crate::check::{Area, Ctx, Outcome, ProbeOutput};
use crate::finding::Finding;
use crate::screens::fields;
use crate::screens::Component;
use tokio::time::{timeout_at, Instant};

pub const SERVER_QUERY: &str =
    "SELECT CAST(SERVERPROPERTY('ProductVersion') AS nvarchar(128)) AS version, \
CAST(SERVERPROPERTY('ProductLevel') AS nvarchar(128)) AS level, \
CAST(SERVERPROPERTY('Edition') AS nvarchar(128)) AS edition, \
CAST(SERVERPROPERTY('Collation') AS nvarchar(128)) AS collation, \
CAST(SERVERPROPERTY('IsHadrEnabled') AS int) AS hadr, \
IS_SRVROLEMEMBER('sysadmin') AS sysadmin, \
FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') AS fulltext, \
SUSER_SNAME() AS login";
pub const DATABASE_QUERY: &str = "SELECT name, collation_name FROM sys.databases WHERE name = @P1";
pub const AGENT_QUERY: &str =
    "SELECT status_desc FROM sys.dm_server_services WHERE servicename LIKE N'SQL Server Agent%'";
pub const LISTENER_QUERY: &str = "SELECT dns_name FROM sys.availability_group_listeners";

/// The outcomes this module produces, for skipping them when the login failed.
pub fn checks(t: &Target) -> Vec<(&'static str, String)> {
    let mut v = vec![
        ("sql-version", "SQL Server version".to_string()),
        ("sql-sysadmin", "sysadmin role".to_string()),
    ];
    if t.mim_service {
        v.push(("sql-fulltext", "Full-Text Search".to_string()));
        v.push(("sql-agent", "SQL Server Agent".to_string()));
    }
    v.push(("sql-database", format!("Database {}", t.database)));
    v.push(("sql-collation", "Server collation".to_string()));
    v
}

pub(crate) type Rows = Vec<Vec<Option<String>>>;

/// Runs a query (parameterised when `param` is given) and reads every cell as text.
pub(crate) async fn rows(
    client: &mut Client,
    sql: &'static str,
    param: Option<&str>,
    deadline: Instant,
) -> Result<Rows, String> {
    let run = async {
        let stream = match param {
            Some(p) => client.query(sql, &[&p]).await,
            None => client.simple_query(sql).await,
        }
        .map_err(|e| crate::check::chain(&e))?;
        let got = stream
            .into_first_result()
            .await
            .map_err(|e| crate::check::chain(&e))?;
        Ok(got
            .iter()
            .map(|r| (0..r.len()).map(|i| cell(r, i)).collect())
            .collect())
    };
    timeout_at(deadline, run)
        .await
        .map_err(|_| "no answer before the time limit".to_string())?
}

fn cell(r: &tiberius::Row, i: usize) -> Option<String> {
    if let Ok(v) = r.try_get::<&str, _>(i) {
        return v.map(str::to_string);
    }
    if let Ok(v) = r.try_get::<i32, _>(i) {
        return v.map(|n| n.to_string());
    }
    None
}

fn yes(v: &Option<String>) -> Option<bool> {
    v.as_deref().map(|s| s.trim() == "1")
}

pub async fn inspect(
    _ctx: &Ctx,
    mut client: Client,
    t: &Target,
    sql_login: Option<&str>,
    deadline: Instant,
    out: &mut ProbeOutput,
) {
    let screen = t.screen;
    let server = match rows(&mut client, SERVER_QUERY, None, deadline).await {
        Ok(r) if !r.is_empty() => r[0].clone(),
        other => {
            let why = match other {
                Err(e) => e,
                Ok(_) => "the server returned no row".into(),
            };
            for (id, title) in checks(t) {
                out.outcomes.push(Outcome::skipped(
                    id,
                    Area::Sql,
                    screen,
                    title,
                    format!("not checked: the server's properties could not be read ({why})"),
                ));
            }
            return;
        }
    };
    let get = |i: usize| server.get(i).cloned().flatten();
    let props = Props {
        version: get(0),
        level: get(1),
        edition: get(2),
        collation: get(3),
        hadr: yes(&get(4)),
        sysadmin: yes(&get(5)),
        fulltext: yes(&get(6)),
        login: get(7),
    };
    let known = |v: &Option<String>| present(v).unwrap_or("unknown").to_string();
    out.facts
        .insert("sql.version".into(), known(&props.version));
    if let Some(edition) = present(&props.edition) {
        out.facts.insert("sql.edition".into(), edition.to_string());
    }
    out.facts
        .insert("sql.collation".into(), known(&props.collation));
    out.outcomes.push(properties::version_outcome(t, &props));

    let sysadmin = props.sysadmin;
    let tri = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    out.facts
        .insert("sql.sysadmin".into(), tri(sysadmin).into());
    out.outcomes
        .push(properties::sysadmin_outcome(t, &props, sql_login));

    if t.mim_service {
        out.facts
            .insert("sql.fulltext".into(), tri(props.fulltext).into());
        out.outcomes.push(properties::fulltext_outcome(t, &props));
        let agent = agent_outcome(&mut client, t, sysadmin, deadline, out).await;
        out.outcomes.push(agent);
    }

    let exists = match rows(&mut client, DATABASE_QUERY, Some(&t.database), deadline).await {
        Ok(r) => Ok(r
            .first()
            .map(|row| row.get(1).cloned().flatten().unwrap_or_default())),
        Err(e) => Err(e),
    };
    if let Ok(e) = &exists {
        out.facts.insert(
            format!("sql.db_exists.{}", t.database),
            if e.is_some() { "yes" } else { "no" }.into(),
        );
    }
    out.outcomes.push(database_outcome(t, &exists));
    let db_collation = exists.ok().flatten();
    out.outcomes.push(properties::collation_outcome(
        t,
        &props,
        db_collation.as_deref(),
    ));

    if props.hadr == Some(true) {
        let listeners = rows(&mut client, LISTENER_QUERY, None, deadline).await;
        out.outcomes.push(always_on_outcome(t, listeners));
    }
    let _ = timeout_at(deadline, client.close()).await;
}

async fn agent_outcome(
    client: &mut Client,
    t: &Target,
    sysadmin: Option<bool>,
    deadline: Instant,
    out: &mut ProbeOutput,
) -> Outcome {
    let (id, title) = ("sql-agent", "SQL Server Agent");
    if sysadmin != Some(true) {
        return Outcome::skipped(id, Area::Sql, t.screen, title, "not checked: reading the service state (sys.dm_server_services) needs sysadmin or VIEW SERVER STATE");
    }
    match rows(client, AGENT_QUERY, None, deadline).await {
        Err(e) => Outcome::skipped(id, Area::Sql, t.screen, title, format!("not checked: {e}")),
        Ok(r) => {
            let status = r.first().and_then(|row| row.first().cloned().flatten());
            out.facts.insert(
                "sql.agent".into(),
                status
                    .clone()
                    .unwrap_or_else(|| "absent".into())
                    .to_lowercase(),
            );
            match status.as_deref() {
                Some("Running") => Outcome::ok(id, Area::Sql, t.screen, title, "SQL Server Agent is running"),
                Some(s) => Outcome::found(id, Area::Sql, t.screen, title, vec![Finding::error("sql-agent-stopped", t.server_field, format!("SQL Server Agent is not running (status {s})."))
                    .evidence(format!("sys.dm_server_services: SQL Server Agent {s}"))
                    .why("The MIM Service schedules its maintenance as SQL Agent jobs; setup checks the agent (CheckSQLServerAgent) and stops when it is not running.")
                    .fix("Start it and make it start automatically: Set-Service SQLSERVERAGENT -StartupType Automatic; Start-Service SQLSERVERAGENT (SQLAgent$<instance> for a named instance).")]),
                None => Outcome::found(id, Area::Sql, t.screen, title, vec![Finding::error("sql-agent-missing", t.server_field, "This SQL Server has no SQL Server Agent (Express editions have none).")
                    .why("The MIM Service needs SQL Agent jobs; setup stops without the agent.")
                    .fix("Use an edition with SQL Server Agent (Standard or Enterprise).")]),
            }
        }
    }
}

fn database_outcome(t: &Target, exists: &Result<Option<String>, String>) -> Outcome {
    let (id, title, db) = (
        "sql-database",
        format!("Database {}", t.database),
        &t.database,
    );
    let exists = match exists {
        Err(e) => {
            return Outcome::skipped(id, Area::Sql, t.screen, title, format!("not checked: {e}"))
        }
        Ok(e) => e.is_some(),
    };
    let ev = format!(
        "sys.databases: {db} {}",
        if exists { "exists" } else { "does not exist" }
    );
    let found = |f: Finding| {
        Outcome::found(
            id,
            Area::Sql,
            t.screen,
            title.clone(),
            vec![f.evidence(ev.clone())],
        )
    };
    match (t.component, t.reuse, exists) {
        (Component::ServicePortal, Some(false), true) => found(Finding::error("sql-database-exists", fields::database::MODE, format!("The database {db} already exists, and \"Create a new database\" was chosen."))
            .why("Setup would find the database and stop, or install over data you meant to keep.")
            .fix(format!("Upgrading from a previous MIM version: choose \"Use the existing database\". A new installation: give another database name, or back up and remove {db}."))),
        (Component::ServicePortal, Some(true), false) => found(Finding::error("sql-database-missing", fields::database::MODE, format!("The database {db} does not exist, and \"Use the existing database\" was chosen."))
            .why("Reusing needs the database of the MIM version being upgraded; setup cannot reuse what is not there.")
            .fix(format!("Choose \"Create a new database\", or correct the server or the name (the existing ones: SELECT name FROM sys.databases) if {db} is elsewhere."))),
        (Component::Sync, _, true) => found(Finding::warning("sql-sync-database-exists", t.database_field, format!("The database {db} already exists: Synchronization Service setup would install onto it."))
            .why("Installing onto an existing Synchronization Service database keeps its data but needs its encryption key: without the key backup (miisactivate) the service cannot start.")
            .fix(format!("A new installation: give another database name, or back up and remove {db}. A reinstall onto it: have the key backup ready and acknowledge."))),
        (_, _, true) => Outcome::ok(id, Area::Sql, t.screen, title, format!("{db} exists; setup reuses it")).with_evidence(ev),
        (_, _, false) => Outcome::ok(id, Area::Sql, t.screen, title, format!("{db} does not exist yet; setup creates it")).with_evidence(ev),
    }
}

fn always_on_outcome(t: &Target, listeners: Result<Rows, String>) -> Outcome {
    let (id, title) = ("sql-alwayson", "Always On availability group");
    let names: Vec<String> = match listeners {
        Err(e) => {
            return Outcome::skipped(
                id,
                Area::Sql,
                t.screen,
                title,
                format!("Always On is enabled; its listeners could not be read: {e}"),
            )
        }
        Ok(r) => r
            .into_iter()
            .filter_map(|row| row.into_iter().next().flatten())
            .collect(),
    };
    let ev = format!(
        "IsHadrEnabled = 1; listeners: {}",
        if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        }
    );
    let host = versions::short_host(&t.host);
    if names.iter().any(|n| versions::short_host(n) == host) {
        Outcome::found(id, Area::Sql, t.screen, title, vec![Finding::warning("sql-alwayson-listener", t.server_field, format!("{} is an Always On availability group listener: set RegisterAllProvidersIP to 0 on it.", t.host))
            .evidence(ev)
            .why("MIM supports an Always On listener only with RegisterAllProvidersIP = 0: with 1, DNS returns the listener's address in every subnet, and a client that does not try them all times out, most often after a failover.")
            .fix("On a cluster node: Get-ClusterResource <listener network name> | Set-ClusterParameter RegisterAllProvidersIP 0; then Set-ClusterParameter HostRecordTTL 300, and restart the resource. Acknowledge when done.")])
    } else {
        Outcome::ok(
            id,
            Area::Sql,
            t.screen,
            title,
            "Always On is enabled; the server name is not one of its listeners",
        )
        .with_evidence(ev)
    }
}
