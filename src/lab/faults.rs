//! The catalogue of demo faults: each one a real change in a running demo server (its facts,
//! its answers, its certificate), switched on and off while it runs (`Environment::set`).
//! An entry names the server, the scenario whose checks show it, and the check and field
//! of the finding it causes; `mim-setup demo --faults` lists them, `demo --check --fault`
//! switches them on.
//!
//! One enum per server (`SqlFault`, `SmtpFault`, `WebFault`, `NetFault`, and the directory's
//! `DirFault` and DNS's `DnsFault`, which name and describe themselves), all in `Fault`.
use super::directory::DirFault;
use super::dns::DnsFault;
use super::env::Scenario;
use std::sync::LazyLock;

/// A fault of the SQL Server (TDS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SqlFault {
    TooOld,
    NotSysadmin,
    FullTextMissing,
    AgentStopped,
    DatabaseExists,
    CaseSensitive,
    /// Doctor: tempdb has one data file (on a server of four cores).
    TempdbSingleFile,
    /// Doctor: tempdb's files grow by a percentage.
    TempdbPercentGrowth,
    /// Doctor: the Sync database uses the full recovery model and has no log backup.
    FullRecoveryNoLogBackup,
}

/// A fault of the SMTP server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SmtpFault {
    AuthRefused,
    UntrustedCertificate,
}

/// A fault of the web servers (EWS, token endpoint, Office 365 EWS, SharePoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum WebFault {
    WrongClientSecret,
}

/// A network fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NetFault {
    /// The SQL Server accepts connections and never answers.
    SilentServer,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Fault {
    Sql(SqlFault),
    Smtp(SmtpFault),
    Web(WebFault),
    Net(NetFault),
    Dir(DirFault),
    Dns(DnsFault),
}

/// Which server a fault changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Sql,
    Smtp,
    Web,
    Directory,
    Dns,
}

/// Where a fault's finding shows: the install checks (`check`, the wizard), or
/// `mim-setup doctor` on the installed Synchronization Service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shows {
    Check,
    Doctor,
}

/// One entry of the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// What `--fault` takes.
    pub name: &'static str,
    /// One line for `demo --faults`.
    pub description: &'static str,
    pub fault: Fault,
    pub server: Server,
    /// The scenario whose checks show it.
    pub scenario: Scenario,
    /// The check (outcome id) that shows it.
    pub check: &'static str,
    /// The finding's check id and field (a doctor finding has no field: "").
    pub finding: &'static str,
    pub field: &'static str,
    pub shows: Shows,
}

/// The faults of the SQL, SMTP and web servers.
const SERVERS: &[Entry] = &[
    Entry {
        name: "sql-too-old",
        description: "SQL Server is 2008 R2 SP3 (10.50), older than MIM 2016 supports",
        fault: Fault::Sql(SqlFault::TooOld),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql-version",
        finding: "sql-version-unsupported",
        field: "sql.server",
        shows: Shows::Check,
    },
    Entry {
        name: "sql-not-sysadmin",
        description: "the login is not in the sysadmin role",
        fault: Fault::Sql(SqlFault::NotSysadmin),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql-sysadmin",
        finding: "sql-not-sysadmin",
        field: "sql.server",
        shows: Shows::Check,
    },
    Entry {
        name: "sql-fulltext-missing",
        description: "Full-Text Search is not installed",
        fault: Fault::Sql(SqlFault::FullTextMissing),
        server: Server::Sql,
        scenario: Scenario::ServicePortal,
        check: "sql-fulltext",
        finding: "sql-fulltext",
        field: "database.server",
        shows: Shows::Check,
    },
    Entry {
        name: "sql-agent-stopped",
        description: "SQL Server Agent is stopped",
        fault: Fault::Sql(SqlFault::AgentStopped),
        server: Server::Sql,
        scenario: Scenario::ServicePortal,
        check: "sql-agent",
        finding: "sql-agent-stopped",
        field: "database.server",
        shows: Shows::Check,
    },
    Entry {
        name: "sql-database-exists",
        description: "the MIM Service database exists while \"Create a new database\" is chosen",
        fault: Fault::Sql(SqlFault::DatabaseExists),
        server: Server::Sql,
        scenario: Scenario::ServicePortal,
        check: "sql-database",
        finding: "sql-database-exists",
        field: "database.mode",
        shows: Shows::Check,
    },
    Entry {
        name: "sql-case-sensitive",
        description: "the server collation is case-sensitive (SQL_Latin1_General_CP1_CS_AS)",
        fault: Fault::Sql(SqlFault::CaseSensitive),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql-collation",
        finding: "sql-collation-case-sensitive",
        field: "sql.server",
        shows: Shows::Check,
    },
    Entry {
        name: "smtp-auth-refused",
        description: "SMTP takes no mail without a sign-in and offers only AUTH LOGIN/PLAIN, which the MIM Service cannot use",
        fault: Fault::Smtp(SmtpFault::AuthRefused),
        server: Server::Smtp,
        scenario: Scenario::Aadp('d'),
        check: "mail-smtp-auth",
        finding: "mail-smtp-auth-no-iwa",
        field: "mail.server",
        shows: Shows::Check,
    },
    Entry {
        name: "smtp-untrusted-certificate",
        description: "STARTTLS presents a certificate from a CA this computer does not trust",
        fault: Fault::Smtp(SmtpFault::UntrustedCertificate),
        server: Server::Smtp,
        scenario: Scenario::Aadp('d'),
        check: "mail-smtp-tls",
        finding: "mail-smtp-certificate",
        field: "mail.server",
        shows: Shows::Check,
    },
    Entry {
        name: "office365-wrong-secret",
        description: "Entra ID refuses the application's client secret (AADSTS7000215)",
        fault: Fault::Web(WebFault::WrongClientSecret),
        server: Server::Web,
        scenario: Scenario::Aadp('c'),
        check: "mail-office365-token",
        finding: "mail-office365-secret",
        field: "mailbox_app.client_secret",
        shows: Shows::Check,
    },
    Entry {
        name: "sql-tempdb-single-file",
        description: "doctor: tempdb has one data file on a server of four cores",
        fault: Fault::Sql(SqlFault::TempdbSingleFile),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql",
        finding: "doctor-sql-tempdb-files",
        field: "",
        shows: Shows::Doctor,
    },
    Entry {
        name: "sql-tempdb-percent-growth",
        description: "doctor: tempdb's files grow by 10 percent",
        fault: Fault::Sql(SqlFault::TempdbPercentGrowth),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql",
        finding: "doctor-sql-growth",
        field: "",
        shows: Shows::Doctor,
    },
    Entry {
        name: "sql-full-recovery-no-log-backup",
        description: "doctor: the Sync database uses the full recovery model and has no log backup",
        fault: Fault::Sql(SqlFault::FullRecoveryNoLogBackup),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql",
        finding: "doctor-sql-recovery",
        field: "",
        shows: Shows::Doctor,
    },
    Entry {
        name: "net-silent-server",
        description: "the SQL Server accepts connections and never answers",
        fault: Fault::Net(NetFault::SilentServer),
        server: Server::Sql,
        scenario: Scenario::Sync,
        check: "sql-connect",
        finding: "sql-timeout",
        field: "sql.server",
        shows: Shows::Check,
    },
];

/// The outcome (check) on which a directory fault's finding shows.
fn dir_outcome(f: DirFault) -> &'static str {
    match f {
        DirFault::DisabledAccount
        | DirFault::LockedAccount
        | DirFault::ExpiredPassword
        | DirFault::ExpiredAccount => "ad-account",
        DirFault::WrongPassword => "ad-bind",
        DirFault::MissingGroup | DirFault::DistributionGroup => "ad-group",
        DirFault::DuplicateSpn => "ad-spn",
        DirFault::GmsaNotAllowed => "ad-gmsa",
        DirFault::NoKdsRootKey => "ad-kds",
        DirFault::PcnsSpnMissing | DirFault::PcnsSpnShortForm | DirFault::ClockSkew => "pcns",
    }
}

/// Every fault, in the order `demo --faults` lists them: the directory's, DNS's, then the
/// other servers'.
pub fn catalogue() -> &'static [Entry] {
    static ALL: LazyLock<Vec<Entry>> = LazyLock::new(|| {
        let dir = DirFault::every().map(|f| Entry {
            name: f.name(),
            description: f.description(),
            fault: Fault::Dir(f),
            server: Server::Directory,
            scenario: Scenario::of_profile(f.profile()).unwrap_or(Scenario::Sync),
            check: dir_outcome(f),
            finding: f.check_id(),
            field: f.field(),
            shows: if DirFault::DOCTOR.contains(&f) {
                Shows::Doctor
            } else {
                Shows::Check
            },
        });
        let dns = DnsFault::ALL.into_iter().map(|f| Entry {
            name: f.name(),
            description: f.description(),
            fault: Fault::Dns(f),
            server: Server::Dns,
            scenario: Scenario::Sync,
            // The SQL Server's name: the demo's SQL connection goes through the address
            // book, so the finding is the DNS name check's (a real network's SQL check would
            // also fail with `sql-dns`).
            check: match f {
                DnsFault::MissingDcRecord => "ad-dc",
                DnsFault::MissingSqlServer => "net-dns",
            },
            finding: match f {
                DnsFault::MissingDcRecord => f.check_id(),
                DnsFault::MissingSqlServer => "dns-nxdomain",
            },
            field: f.field(),
            shows: Shows::Check,
        });
        dir.chain(dns).chain(SERVERS.iter().copied()).collect()
    });
    &ALL
}

/// The entry called `name`, or an error listing the names.
pub fn find(name: &str) -> Result<&'static Entry, String> {
    catalogue()
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name.trim()))
        .ok_or_else(|| {
            format!(
                "--fault {name}: no such fault; `mim-setup demo --faults` lists them: {}",
                catalogue()
                    .iter()
                    .map(|e| e.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
}

/// `demo --faults`: one per line, the name, then the description.
pub fn listing() -> String {
    let width = catalogue().iter().map(|e| e.name.len()).max().unwrap_or(0);
    catalogue()
        .iter()
        .map(|e| format!("{:width$}  {}\n", e.name, e.description))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found_whatever_their_case() {
        let all = catalogue();
        for (i, e) in all.iter().enumerate() {
            assert!(
                all[i + 1..]
                    .iter()
                    .all(|o| o.name != e.name && o.fault != e.fault),
                "{} twice",
                e.name
            );
            assert_eq!(find(&e.name.to_uppercase()).map(|f| f.name), Ok(e.name));
        }
        let e = find("no-such").expect_err("unknown");
        assert!(
            e.contains("demo --faults") && e.contains("sql-too-old"),
            "{e}"
        );
        assert_eq!(listing().lines().count(), all.len());
        for f in DirFault::ALL {
            let e = find(f.name()).expect("every directory fault is in the catalogue");
            assert_eq!(
                e.scenario.profile_file(),
                format!("profiles/{}", f.profile()),
                "{}",
                e.name
            );
        }
    }
}
