//! What the server's properties mean for MIM: version, sysadmin, Full-Text Search and the
//! collation. A property that comes back NULL (an unknown property, a server that hides it)
//! is never a pass: each says it could not be read. Pure, so every case is a table test.
use super::versions::{self, Support};
use super::Target;
use crate::check::{Area, Outcome};
use crate::finding::Finding;

/// The server's answers to `SERVER_QUERY`; None is NULL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Props {
    pub version: Option<String>,
    pub level: Option<String>,
    pub edition: Option<String>,
    pub collation: Option<String>,
    pub hadr: Option<bool>,
    pub sysadmin: Option<bool>,
    pub fulltext: Option<bool>,
    /// The login SQL Server sees for this connection (SUSER_SNAME()).
    pub login: Option<String>,
}

/// NULL, or only blanks, is no answer.
pub fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The warning for a property that came back NULL; `warning` is made by the caller with its
/// literal check id (acknowledgements are checked against the ids written in the source).
fn unknown(
    t: &Target,
    id: &str,
    title: &str,
    warning: fn(&'static str, String) -> Finding,
    what: &str,
    property: &str,
    why: &str,
) -> Outcome {
    Outcome::found(id, Area::Sql, t.screen, title, vec![warning(t.server_field, format!("The SQL Server did not say {what}: {property} came back NULL."))
        .evidence(format!("{property} = NULL"))
        .why(why)
        .fix(format!("Run SELECT {property} on the server as the installing account: NULL there means the server does not report it (an older or a non-standard SQL Server, or something in front of it). Check the value by hand, then acknowledge."))])
}

pub fn version_outcome(t: &Target, p: &Props) -> Outcome {
    let (id, title) = ("sql-version", "SQL Server version");
    let why = "MIM 2016 SP2 supports SQL Server 2016 SP2, 2017 and 2019 (2012 SP4 and 2014 SP3 supported, not recommended); SP3 adds SQL Server 2022.";
    let Some(version) = present(&p.version) else {
        return unknown(t, id, title, |f, m| Finding::warning("sql-version-unknown", f, m), "its version", "SERVERPROPERTY('ProductVersion')", &format!("{why} Setup checks the version (CheckSQLConnectionAndVersion); without it nothing is known."));
    };
    let (level, edition) = (
        present(&p.level).unwrap_or("NULL"),
        present(&p.edition).unwrap_or("NULL"),
    );
    let evidence = format!("ProductVersion {version}, ProductLevel {level}, {edition}");
    let f = |f: Finding| {
        Outcome::found(
            id,
            Area::Sql,
            t.screen,
            title,
            vec![f.evidence(evidence.clone()).why(why)],
        )
    };
    match versions::support(version, present(&p.level).unwrap_or("")) {
        Support::Supported { name } => Outcome::ok(id, Area::Sql, t.screen, title, format!("{name}: supported by MIM 2016 SP2 and SP3")).with_evidence(evidence),
        Support::NotRecommended { name } => f(Finding::warning("sql-version-not-recommended", t.server_field, format!("{name} is supported by MIM 2016 SP2 but not recommended."))
            .fix("Prefer SQL Server 2016 SP2, 2017 or 2019; acknowledge to keep this server.")),
        Support::Sp3Only { name } => f(Finding::warning("sql-version-sp3-only", t.server_field, format!("{name} is supported only by MIM 2016 SP3; MIM 2016 SP2 does not support it."))
            .fix("Install MIM 2016 SP3 with this server, or use SQL Server 2019 for SP2; acknowledge when installing SP3.")),
        Support::Newer { name } => f(Finding::warning("sql-version-unlisted", t.server_field, format!("{name} is newer than any SQL Server version MIM 2016 lists as supported."))
            .fix("Use SQL Server 2019 (SP2) or 2022 (SP3), or acknowledge to go ahead unsupported.")),
        Support::Unsupported { name, needs } => f(Finding::error("sql-version-unsupported", t.server_field, format!("{name} is not supported by MIM 2016 SP2/SP3: it needs {needs}."))
            .fix(format!("Install the service pack ({needs}) or use a supported SQL Server (2016 SP2, 2017, 2019)."))),
    }
}

/// The login to name in the fix: the one SQL Server saw, else the profile's SQL login.
fn login_text(p: &Props, sql_login: Option<&str>) -> Option<String> {
    present(&p.login)
        .or(sql_login.map(str::trim).filter(|s| !s.is_empty()))
        .map(|l| format!("[{}]", l.replace(']', "]]")))
}

pub fn sysadmin_outcome(t: &Target, p: &Props, sql_login: Option<&str>) -> Outcome {
    let (id, title) = ("sql-sysadmin", "sysadmin role");
    let note = "the checks' login; setup itself connects as the account that runs it, which must be sysadmin too";
    let who = present(&p.login).map_or_else(String::new, |l| format!(" {l}"));
    match p.sysadmin {
        Some(true) => Outcome::ok(
            id,
            Area::Sql,
            t.screen,
            title,
            format!("the login{who} is a member of sysadmin"),
        )
        .with_evidence(format!("IS_SRVROLEMEMBER('sysadmin') = 1 ({note})")),
        _ => {
            let fix = match login_text(p, sql_login) {
                Some(l) => format!("Add the login to the sysadmin role for the installation (ALTER SERVER ROLE sysadmin ADD MEMBER {l}), and the Windows account that runs setup if it is another; remove them afterwards if your policy asks."),
                None => "Add the account that runs setup to the sysadmin role for the installation (ALTER SERVER ROLE sysadmin ADD MEMBER [DOMAIN\\account], with its real name), and remove it afterwards if your policy asks.".to_string(),
            };
            Outcome::found(id, Area::Sql, t.screen, title, vec![Finding::error("sql-not-sysadmin", t.server_field, format!("The login{who} is not a member of the sysadmin server role."))
                .evidence(format!("IS_SRVROLEMEMBER('sysadmin') = {} ({note})", if p.sysadmin.is_some() { "0" } else { "NULL" }))
                .why("MIM setup creates the database, its logins and SQL Agent jobs; it checks that the installing account is sysadmin (CheckIfRunningUserSysadmin) and stops otherwise.")
                .fix(fix)])
        }
    }
}

pub fn fulltext_outcome(t: &Target, p: &Props) -> Outcome {
    let (id, title) = ("sql-fulltext", "Full-Text Search");
    let why = "The MIM Service database uses full-text indexes; setup checks for Full-Text Search (CheckFullTextSearchInstalled) and stops without it.";
    match p.fulltext {
        Some(true) => Outcome::ok(id, Area::Sql, t.screen, title, "Full-Text Search is installed"),
        Some(false) => Outcome::found(id, Area::Sql, t.screen, title, vec![Finding::error("sql-fulltext", t.server_field, "Full-Text Search is not installed on this SQL Server.")
            .evidence("FULLTEXTSERVICEPROPERTY('IsFullTextInstalled') = 0")
            .why(why)
            .fix("Run SQL Server setup on the SQL Server, choose \"Add features to an existing installation\" and add \"Full-Text and Semantic Extractions for Search\" to this instance.")]),
        None => unknown(t, id, title, |f, m| Finding::warning("sql-fulltext-unknown", f, m), "whether Full-Text Search is installed", "FULLTEXTSERVICEPROPERTY('IsFullTextInstalled')", why),
    }
}

pub fn collation_outcome(t: &Target, p: &Props, database: Option<&str>) -> Outcome {
    let (id, title) = ("sql-collation", "Server collation");
    let why = "MIM publishes no collation requirement, but the same synchronization engine in Microsoft Entra Connect requires a case-insensitive (_CI_) collation.";
    let Some(server) = present(&p.collation) else {
        return unknown(
            t,
            id,
            title,
            |f, m| Finding::warning("sql-collation-unknown", f, m),
            "its collation",
            "SERVERPROPERTY('Collation')",
            why,
        );
    };
    let mut ev = format!("server collation {server}");
    if let Some(d) = database.filter(|d| !d.is_empty()) {
        ev.push_str(&format!("; database {} collation {d}", t.database));
    }
    let bad = [Some(server), database]
        .into_iter()
        .flatten()
        .filter(|c| !c.is_empty())
        .find(|c| !versions::case_insensitive(c));
    match bad {
        None => Outcome::ok(id, Area::Sql, t.screen, title, format!("{server}: case-insensitive")).with_evidence(ev),
        Some(c) => Outcome::found(id, Area::Sql, t.screen, title, vec![Finding::warning("sql-collation-case-sensitive", t.server_field, format!("The collation {c} is case-sensitive."))
            .evidence(ev)
            .why(why)
            .fix("Use an instance with a case-insensitive collation (SQL_Latin1_General_CP1_CI_AS), or acknowledge to go ahead.")]),
    }
}

#[cfg(test)]
#[path = "properties_tests.rs"]
mod tests;
