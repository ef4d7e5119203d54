//! SQL Server checks (tiberius over tokio): reach the server (a named instance through the
//! SQL Browser), log in as the profile says (TLS verified unless opted out), then over that
//! one connection: the version MIM supports, sysadmin, Full-Text and SQL Server Agent (MIM
//! Service), the database against the create/reuse choice, the collation, Always On.
//!
//! ```text
//!   connect.rs  name, port (SQL Browser), TCP, TLS and login; findings for each failure
//!   inspect.rs  the queries (parameterised) and what their answers mean
//!   properties.rs  version, sysadmin, Full-Text and collation from the server's properties
//!   versions.rs the version table and the collation rule (pure)
//! ```
mod connect;
mod inspect;
mod properties;
pub mod versions;

use super::{Area, Ctx, Outcome, Probe, ProbeOutput};
use crate::profile::Profile;
use crate::screens::fields;
use crate::screens::Component;
pub use connect::Client;
pub(crate) use inspect::{rows, Rows};
use std::sync::Arc;

/// Where the checks connect, and what the profile expects there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub component: Component,
    /// The screen and field of the server answer.
    pub screen: &'static str,
    pub server_field: &'static str,
    /// As typed: `corpsql.contoso.com`, `corpsql\MIMSYNC`.
    pub server: String,
    pub host: String,
    pub instance: Option<String>,
    /// A port after a comma (`host,1433`): setup refuses it, a SQL client honours it.
    pub port: Option<u16>,
    pub database: String,
    pub database_field: &'static str,
    /// Service and Portal: true when "reuse" was chosen. Sync: None (setup creates it).
    pub reuse: Option<bool>,
    /// The MIM Service is installed (Full-Text and Agent are checked).
    pub mim_service: bool,
}

/// Connects and logs in to the profile's SQL Server exactly as the install checks do (the
/// doctor's SQL readings use it); why not, as one line with its fix.
pub async fn open(
    ctx: &Ctx,
    profile: &Profile,
    deadline: tokio::time::Instant,
) -> Result<(Client, Target), String> {
    let t = target(profile).ok_or_else(|| {
        "the profile names no SQL Server (a Service and Portal profile without the MIM Service)"
            .to_string()
    })?;
    match connect::connect(ctx, &t, &login(profile), deadline).await {
        Ok((client, _)) => Ok((client, t)),
        Err(o) => Err(match o.findings.first() {
            Some(f) => format!("{} Fix: {}", f.message, f.fix),
            None => o.summary.clone(),
        }),
    }
}

/// Splits `host\instance`, `host,port`, `tcp:host,port`.
pub fn split_server(server: &str) -> (String, Option<String>, Option<u16>) {
    let s = server.trim();
    let s = s.strip_prefix("tcp:").unwrap_or(s);
    let (rest, port) = match s.rsplit_once(',') {
        Some((h, p)) => (h, p.trim().parse::<u16>().ok()),
        None => (s, None),
    };
    let (host, instance) = match rest.split_once('\\') {
        Some((h, i)) if !i.trim().is_empty() => (h, Some(i.trim().to_string())),
        Some((h, _)) => (h, None),
        None => (rest, None),
    };
    let host = match host.trim() {
        "." | "(local)" => "localhost",
        h => h,
    };
    (host.to_string(), instance, port)
}

/// The target of a profile, if its component uses SQL Server.
pub fn target(profile: &Profile) -> Option<Target> {
    let a = &profile.answers;
    match profile.component() {
        Component::Sync => {
            let (server, host, mut instance, port) = if a.text(fields::sql::LOCATION) == "local" {
                ("localhost".to_string(), "localhost".to_string(), None, None)
            } else {
                let s = a.text(fields::sql::SERVER).trim().to_string();
                let (h, i, p) = split_server(&s);
                (s, h, i, p)
            };
            if a.text(fields::sql::INSTANCE) == "named"
                && !a.text(fields::sql::INSTANCE_NAME).trim().is_empty()
            {
                instance = Some(a.text(fields::sql::INSTANCE_NAME).trim().to_string());
            }
            Some(Target {
                component: Component::Sync,
                screen: "sql",
                server_field: fields::sql::SERVER,
                server,
                host,
                instance,
                port,
                database: a.text(fields::sql::DATABASE).trim().to_string(),
                database_field: fields::sql::DATABASE,
                reuse: None,
                mim_service: false,
            })
        }
        Component::ServicePortal => {
            if !a.flag(fields::features::SERVICE) {
                return None;
            }
            let server = a.text(fields::database::SERVER).trim().to_string();
            let (host, instance, port) = split_server(&server);
            Some(Target {
                component: Component::ServicePortal,
                screen: "database",
                server_field: fields::database::SERVER,
                server,
                host,
                instance,
                port,
                database: a.text(fields::database::DATABASE).trim().to_string(),
                database_field: fields::database::DATABASE,
                reuse: Some(a.text(fields::database::MODE) == "reuse"),
                mim_service: true,
            })
        }
    }
}

/// How the checks log in and encrypt, from the `[checks]` screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Login {
    /// None: Windows authentication.
    pub sql_login: Option<String>,
    /// verify | trust | off
    pub encryption: String,
}

pub fn login(profile: &Profile) -> Login {
    let a = &profile.answers;
    Login {
        sql_login: (a.text(fields::checks::SQL_AUTH) == "sql")
            .then(|| a.text(fields::checks::SQL_LOGIN).trim().to_string()),
        encryption: match a.text(fields::checks::SQL_ENCRYPTION) {
            "" => "verify".to_string(),
            e => e.to_string(),
        },
    }
}

/// One probe: one connection to the SQL Server, every SQL outcome from it.
pub fn probes(profile: &Profile) -> Vec<Probe> {
    let Some(t) = target(profile) else {
        return Vec::new();
    };
    if t.host.is_empty() {
        return Vec::new();
    }
    let l = login(profile);
    // "On this computer" means the server that gets the Synchronization Service: from
    // another computer, localhost is that computer's SQL Server, so the check is skipped.
    let local =
        t.component == Component::Sync && profile.answers.text(fields::sql::LOCATION) == "local";
    let computer = profile
        .answers
        .text(fields::checks::COMPUTER)
        .trim()
        .to_string();
    let inputs = format!("{t:?}|{l:?}|{computer}");
    let title = format!("SQL Server {}", t.server);
    let screen = t.screen;
    let shown = title.clone();
    vec![
        Probe::new("sql", Area::Sql, screen, &title, move |ctx| async move {
            let here = super::host::on_target(&computer, super::host::this_computer().as_deref());
            match here {
                Err(why) if local => ProbeOutput {
                    outcomes: vec![Outcome::skipped(
                        "sql-connect",
                        Area::Sql,
                        screen,
                        shown,
                        why,
                    )],
                    facts: Default::default(),
                },
                _ => run(ctx, t, l).await,
            }
        })
        .inputs(inputs)
        .cheap(),
    ]
}

async fn run(ctx: Arc<Ctx>, t: Target, l: Login) -> ProbeOutput {
    let deadline = tokio::time::Instant::now() + ctx.settings.timeout;
    let mut out = ProbeOutput::default();
    match connect::connect(&ctx, &t, &l, deadline).await {
        Ok((client, evidence)) => {
            out.outcomes.push(connect::connected_outcome(&t, evidence));
            inspect::inspect(&ctx, client, &t, l.sql_login.as_deref(), deadline, &mut out).await;
        }
        Err(o) => {
            let why = format!(
                "not checked: the connection to {} failed ({})",
                t.server, o.summary
            );
            let skipped = o.state == super::State::Skipped;
            out.outcomes.push(*o);
            if !skipped {
                for (id, title) in inspect::checks(&t) {
                    out.outcomes.push(Outcome::skipped(
                        id,
                        Area::Sql,
                        t.screen,
                        title,
                        why.clone(),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{login, split_server, target};
    use crate::answers::Value;
    use crate::profile::{load_file, Profile};
    use crate::screens::Screens;
    use std::path::Path;

    fn shipped(name: &str) -> Profile {
        let screens = Screens::embedded().expect("the embedded screens load");
        let file = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("profiles")
            .join(name);
        load_file(&file, screens, false)
            .map(|l| l.profile)
            .unwrap_or_else(|_| panic!("{name} loads"))
    }

    #[test]
    fn the_shipped_profiles_name_their_sql_target() {
        let sp = shipped("contoso-service-portal.toml");
        let t = target(&sp).expect("the MIM Service uses SQL Server");
        assert_eq!(
            (t.host.as_str(), t.port, t.instance.clone()),
            ("corpsql.contoso.com", None, None)
        );
        assert_eq!(
            (t.database.as_str(), t.reuse, t.mim_service),
            ("FIMService", Some(false), true)
        );
        let l = login(&sp);
        assert_eq!((l.sql_login, l.encryption.as_str()), (None, "verify"));

        let mut sync = shipped("contoso-sync.toml");
        sync.answers
            .set("sql.instance", Value::Text("named".into()));
        sync.answers
            .set("sql.instance_name", Value::Text("MIMSYNC".into()));
        let t = target(&sync).expect("Sync uses SQL Server");
        assert_eq!(t.instance.as_deref(), Some("MIMSYNC"));
        assert_eq!(
            (t.database.as_str(), t.reuse, t.mim_service),
            ("FIMSynchronizationService", None, false)
        );
        sync.answers
            .set("sql.location", Value::Text("local".into()));
        assert_eq!(target(&sync).map(|t| t.host), Some("localhost".to_string()));
    }

    #[test]
    fn no_mim_service_no_sql_probe() {
        let mut sp = shipped("contoso-service-portal.toml");
        sp.answers.set("features.service", Value::Bool(false));
        assert!(target(&sp).is_none());
        assert!(super::probes(&sp).is_empty());
    }

    #[test]
    fn server_answers_split_into_host_instance_and_port() {
        let s = |v: &str| split_server(v);
        assert_eq!(
            s("corpsql.contoso.com"),
            ("corpsql.contoso.com".into(), None, None)
        );
        assert_eq!(
            s(r"corpsql\MIMSYNC"),
            ("corpsql".into(), Some("MIMSYNC".into()), None)
        );
        assert_eq!(
            s("tcp:corpsql,14330"),
            ("corpsql".into(), None, Some(14330))
        );
        assert_eq!(s("."), ("localhost".into(), None, None));
        assert_eq!(
            s(r"(local)\SQL"),
            ("localhost".into(), Some("SQL".into()), None)
        );
    }
}
