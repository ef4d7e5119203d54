//! `Environment::start`: the demo's Contoso environment for one scenario. It makes the demo
//! CA, starts the servers on 127.0.0.1 (SQL Server, SMTP, the web servers), fills the
//! address book with the Contoso names they answer for, and gives the check settings
//! (`settings`), the scenario's shipped profile (`profile`) and the demo's secrets
//! (`secrets`, through the one resolver) with which `check` runs against them.
//!
//! The profile is the shipped Contoso one, embedded in the binary; SQL Windows
//! authentication, which cannot be checked off Windows, is replaced by a SQL login in the
//! demo's copy only (`--set`'s own path), its password a `{ prompt = true }` reference that
//! the demo answers from memory. No demo secret is written anywhere.
//!
//! The directory (LDAP) and DNS servers join through `add_server` and `settings.dns_server`.
use super::ca::DemoCa;
use super::directory::{DirFault, Directory, DC_HOST};
use super::dns::{Dns, DnsFault, Records};
use super::faults::{Entry, Fault, NetFault, SmtpFault, SqlFault, WebFault};
pub use super::scenario::Scenario;
use super::{https, smtp, tds};
use crate::check::{AddressBook, Area, Secrets, Settings};
use crate::profile::Profile;
use crate::screens::Screens;
use crate::secret::{Ask, Secret};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Mutex;

/// The SQL login of the demo's profile (its password is a demo secret).
pub const SQL_LOGIN: &str = "mimdemo";

/// The variable `--serve` reads the demo SQL login's password from, so that another terminal
/// can give the same one.
pub const SQL_PASSWORD_VAR: &str = "MIM_DEMO_SQL_PASSWORD";

/// The variable `--serve` reads the demo directory's password (every account's) from.
pub const BIND_PASSWORD_VAR: &str = "MIM_DEMO_BIND_PASSWORD";

/// The names each server answers for (the shipped profiles' hosts).
const SQL_NAMES: &[&str] = &["corpsql.contoso.com", "corpsql", "corpsql.contoso.local"];
const MAIL_NAMES: &[&str] = &["mail.contoso.com", "smtp.contoso.com"];
const SHAREPOINT_NAMES: &[&str] = &["corpidm.contoso.local", "corpidm", "mim.contoso.com"];

/// A random secret of 24 characters (letters, digits and one of each class SQL's policy asks).
fn demo_secret() -> Secret {
    let mut bytes = [0u8; 18];
    let _ = rustls::crypto::ring::default_provider()
        .secure_random
        .fill(&mut bytes);
    use base64::Engine;
    let b = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    Secret::new(format!("Dm{b}!7"))
}

/// The running demo environment; the servers stop when it is dropped.
pub struct Environment {
    pub scenario: Scenario,
    ca: DemoCa,
    ca_file: tempfile::TempPath,
    sql: tds::Server,
    smtp: smtp::Server,
    web: https::Server,
    directory: Directory,
    dns_server: Dns,
    /// Servers started elsewhere (the directory, DNS), kept running with the rest.
    others: Vec<Box<dyn std::any::Any + Send>>,
    book: AddressBook,
    dns: Option<SocketAddr>,
    baseline: tds::Facts,
    typed: BTreeMap<String, Secret>,
    profile: Profile,
    on: Mutex<BTreeSet<Fault>>,
}

impl Environment {
    /// Starts every server of the scenario with `faults` on.
    pub fn start(scenario: Scenario, faults: &[&Entry]) -> Result<Environment, String> {
        let sql_password = match std::env::var(SQL_PASSWORD_VAR) {
            Ok(v) if !v.is_empty() => Secret::new(v),
            _ => demo_secret(),
        };
        let client_secret = demo_secret();
        let bind_password = match std::env::var(BIND_PASSWORD_VAR) {
            Ok(v) if !v.is_empty() => Secret::new(v),
            _ => demo_secret(),
        };
        let ca = DemoCa::new()?;
        let stranger = DemoCa::stranger()?;
        let (authorities, online) = https::cloud_hosts();
        let mut names: Vec<&str> = SQL_NAMES.to_vec();
        names.extend(MAIL_NAMES);
        names.extend(SHAREPOINT_NAMES);
        names.extend(authorities.iter().map(String::as_str));
        names.extend(online.iter().map(String::as_str));
        names.extend([DC_HOST, "contoso.local"]);
        names.push("127.0.0.1");
        let cert = ca.issue(&names)?;
        let ca_file = ca.ca_file()?;
        let profile = scenario_profile(scenario)?;

        let baseline = tds::Facts {
            logins: vec![(SQL_LOGIN.to_string(), sql_password.expose().to_string())],
            ..tds::Facts::default()
        };
        let sql = tds::Server::try_start(
            baseline.clone(),
            tds::Options {
                ip: Some(Ipv4Addr::LOCALHOST),
                tls: Some(cert.server_config(true, &[])?),
                ..tds::Options::default()
            },
        )?;
        let untrusted = stranger.issue(MAIL_NAMES)?.server_config(false, &[])?;
        let smtp = smtp::Server::loopback(smtp::Options {
            host: MAIL_NAMES[0].to_string(),
            ip: super::LOOPBACK,
            port: 0,
            tls: cert.server_config(false, &[])?,
            untrusted,
            logins: Vec::new(),
        })?;
        let a = &profile.answers;
        let tenants = if a.text("mailbox_app.tenant_id").trim().is_empty() {
            Vec::new()
        } else {
            vec![https::Tenant {
                id: a.text("mailbox_app.tenant_id").trim().to_string(),
                app_id: a.text("mailbox_app.application_id").trim().to_string(),
                secret: client_secret.clone(),
                mailbox: a.text("mim_service.email").trim().to_string(),
            }]
        };
        let web = https::Server::start(https::Options {
            tls: cert.server_config(false, &[b"http/1.1"])?,
            tenants,
            exchange: MAIL_NAMES.iter().map(|s| s.to_string()).collect(),
            sharepoint: SHAREPOINT_NAMES.iter().map(|s| s.to_string()).collect(),
        })?;

        let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let directory = Directory::start_with(
            cert.server_config(false, &[])?,
            any,
            any,
            Secret::new(bind_password.expose().to_string()),
        )
        .map_err(|e| format!("the demo directory: {e}"))?;
        directory.set_gmsa_service(scenario.service_gmsa());
        let dns_server =
            Dns::start(Records::contoso()).map_err(|e| format!("the demo DNS server: {e}"))?;

        let mut book = AddressBook::new();
        book.insert(DC_HOST, 389, directory.ldap_addr());
        book.insert(DC_HOST, 636, directory.ldaps_addr());
        for n in SQL_NAMES {
            book.insert(n, 1433, sql.addr);
        }
        for n in MAIL_NAMES {
            book.insert(n, 25, smtp.addr());
            book.insert(n, 443, web.https_addr());
        }
        for n in SHAREPOINT_NAMES {
            book.insert(n, 80, web.http_addr());
            book.insert(n, 443, web.https_addr());
        }
        for n in authorities.iter().chain(&online) {
            book.insert(n, 443, web.https_addr());
        }
        let mut typed = BTreeMap::new();
        typed.insert(
            crate::screens::fields::checks::SQL_PASSWORD.to_string(),
            sql_password,
        );
        typed.insert(
            crate::screens::fields::mailbox_app::CLIENT_SECRET.to_string(),
            client_secret,
        );
        typed.insert(
            crate::screens::fields::checks::BIND_PASSWORD.to_string(),
            bind_password,
        );
        let dns = Some(dns_server.addr());
        let env = Environment {
            scenario,
            ca,
            ca_file,
            sql,
            smtp,
            web,
            directory,
            dns_server,
            others: Vec::new(),
            book,
            dns,
            baseline,
            typed,
            profile,
            on: Mutex::new(BTreeSet::new()),
        };
        for f in faults {
            env.set(f, true);
        }
        Ok(env)
    }

    /// Keeps a server started elsewhere (the directory, DNS) running with the rest, and adds
    /// the names it answers for to the address book.
    pub fn add_server(
        &mut self,
        server: Box<dyn std::any::Any + Send>,
        entries: &[(&str, u16, SocketAddr)],
    ) {
        for (host, port, addr) in entries {
            self.book.insert(host, *port, *addr);
        }
        self.others.push(server);
    }

    /// The demo's DNS server, once one runs.
    pub fn set_dns(&mut self, addr: SocketAddr) {
        self.dns = Some(addr);
    }

    /// The check settings that reach this environment: the address book, the demo CA.
    pub fn settings(&self) -> Settings {
        Settings {
            dns_server: self.dns,
            ca_file: Some(self.ca_file.to_path_buf()),
            address_book: self.book.clone(),
            ..Settings::default()
        }
    }

    pub fn address_book(&self) -> &AddressBook {
        &self.book
    }

    /// The demo CA's certificate (PEM) and the temporary file that holds it.
    pub fn ca(&self) -> (&DemoCa, &std::path::Path) {
        (&self.ca, &self.ca_file)
    }

    /// The scenario's profile as the demo checks it.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The secrets the checks of `only` need, through the one resolver: the demo's own
    /// answer the references of its copy of the profile.
    pub fn secrets(&self, only: &BTreeSet<Area>) -> Secrets {
        let needed = crate::check::needed(&self.profile.answers, only);
        Secrets::resolve(&self.profile.answers, &needed, Ask::Typed(&self.typed))
    }

    /// The demo's own secrets by field path (memory only), as the wizard's typed ones.
    pub fn typed_secrets(&self) -> BTreeMap<String, Secret> {
        self.typed.clone()
    }

    /// Where each server listens: (what, address).
    pub fn servers(&self) -> Vec<(&'static str, SocketAddr)> {
        vec![
            ("SQL Server (TDS)", self.sql.addr),
            ("SMTP", self.smtp.addr()),
            ("HTTPS", self.web.https_addr()),
            ("HTTP", self.web.http_addr()),
            ("LDAP (StartTLS)", self.directory.ldap_addr()),
            ("LDAPS", self.directory.ldaps_addr()),
            ("DNS (UDP and TCP)", self.dns_server.addr()),
        ]
    }

    /// The faults now on.
    pub fn faults_on(&self) -> BTreeSet<Fault> {
        self.on.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Switches a fault on or off, in the running server: the next connection sees it.
    pub fn set(&self, entry: &Entry, on: bool) {
        let now = {
            let Ok(mut set) = self.on.lock() else {
                return;
            };
            if on {
                set.insert(entry.fault);
            } else {
                set.remove(&entry.fault);
            }
            set.clone()
        };
        self.apply(&now);
    }

    fn apply(&self, on: &BTreeSet<Fault>) {
        let mut facts = self.baseline.clone();
        let (mut smtp, mut web) = (smtp::Faults::default(), https::Faults::default());
        for f in on {
            match f {
                Fault::Sql(SqlFault::TooOld) => {
                    facts.version = "10.50.6000.34".into();
                    facts.level = "SP3".into();
                }
                Fault::Sql(SqlFault::NotSysadmin) => facts.sysadmin = false,
                Fault::Sql(SqlFault::FullTextMissing) => facts.fulltext = false,
                Fault::Sql(SqlFault::AgentStopped) => facts.agent_running = false,
                Fault::Sql(SqlFault::DatabaseExists) => {
                    for db in [
                        self.profile.answers.text("database.database"),
                        self.profile.answers.text("sql.database"),
                    ] {
                        if !db.trim().is_empty() {
                            facts.databases.push(db.trim().to_string());
                        }
                    }
                }
                Fault::Sql(SqlFault::CaseSensitive) => {
                    facts.collation = "SQL_Latin1_General_CP1_CS_AS".into();
                }
                Fault::Sql(SqlFault::TempdbSingleFile) => {
                    facts
                        .files
                        .retain(|f| !f.database.eq_ignore_ascii_case("tempdb"));
                    facts.files.extend(tds::DbFile::tempdb(1));
                }
                Fault::Sql(SqlFault::TempdbPercentGrowth) => {
                    for f in facts
                        .files
                        .iter_mut()
                        .filter(|f| f.database.eq_ignore_ascii_case("tempdb"))
                    {
                        f.is_percent_growth = true;
                        f.growth = 10;
                    }
                }
                Fault::Sql(SqlFault::FullRecoveryNoLogBackup) => {
                    let db = self.sync_database();
                    facts
                        .log_backups
                        .retain(|(d, _)| !d.eq_ignore_ascii_case(&db));
                    facts.recovery.retain(|(d, _)| !d.eq_ignore_ascii_case(&db));
                    facts.recovery.push((db, "FULL".into()));
                }
                Fault::Net(NetFault::SilentServer) => facts.silent = true,
                Fault::Smtp(SmtpFault::AuthRefused) => smtp.auth_required = true,
                Fault::Smtp(SmtpFault::UntrustedCertificate) => {
                    smtp.untrusted_certificate = true;
                }
                Fault::Web(WebFault::WrongClientSecret) => web.wrong_secret = true,
                Fault::Dir(_) | Fault::Dns(_) => {}
            }
        }
        for f in DirFault::every() {
            self.directory.set_fault(f, on.contains(&Fault::Dir(f)));
        }
        for f in DnsFault::ALL {
            self.dns_server.set_fault(f, on.contains(&Fault::Dns(f)));
        }
        let write = |lock: &std::sync::RwLock<_>, v| {
            if let Ok(mut g) = lock.write() {
                *g = v;
            }
        };
        write(&self.sql.facts(), facts);
        if let Ok(mut g) = self.smtp.faults().write() {
            *g = smtp;
        }
        if let Ok(mut g) = self.web.faults().write() {
            *g = web;
        }
    }

    /// The Sync database the scenario's profile names.
    fn sync_database(&self) -> String {
        match self
            .profile
            .answers
            .text(crate::screens::fields::sql::DATABASE)
            .trim()
        {
            "" => "FIMSynchronizationService".to_string(),
            db => db.to_string(),
        }
    }

    /// The SQL Server after setup, for `demo --doctor`: the Sync database exists with its
    /// files (fixed growth, data and log apart), the full recovery model and last night's
    /// log backup; the faults now on stay on.
    pub fn installed(&mut self) {
        let db = self.sync_database();
        if !self
            .baseline
            .databases
            .iter()
            .any(|d| d.eq_ignore_ascii_case(&db))
        {
            self.baseline.databases.push(db.clone());
        }
        self.baseline.files.extend(tds::DbFile::database(&db));
        self.baseline.recovery.push((db.clone(), "FULL".into()));
        let days = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64 / 86_400)
            .unwrap_or(0);
        let (y, m, d) = crate::civil::civil_from_days(days - 1);
        self.baseline
            .log_backups
            .push((db, format!("{y:04}-{m:02}-{d:02}T01:00:00")));
        // PCNS set up: its target's SPN on the Sync service account.
        let account = match self.scenario {
            Scenario::SyncGmsa => {
                Some("CN=MIMSync,CN=Managed Service Accounts,DC=contoso,DC=local")
            }
            Scenario::Sync => Some("CN=MIMSync,CN=Users,DC=contoso,DC=local"),
            _ => None,
        };
        self.directory.set_pcns_target(account);
        let on = self.faults_on();
        self.apply(&on);
    }

    /// The environment with which the wizard, in another terminal, checks against this
    /// environment (`demo --serve`): the address book, the DNS server and the CA; the SQL
    /// login is answered on its Live checks screen.
    pub fn wizard_command(&self) -> String {
        let dns = self
            .dns
            .map(|a| format!(" MIM_SETUP_DNS={a}"))
            .unwrap_or_default();
        format!(
            "MIM_SETUP_ADDRESS_BOOK='{}'{dns} MIM_SETUP_CA_FILE={} mim-setup {}",
            self.book.to_spec(","),
            self.ca_file.display(),
            self.scenario.profile_file(),
        )
    }

    /// The command line with which `mim-setup check`, in another terminal, checks this
    /// environment (`demo --serve`); the SQL password is a reference, never the value.
    pub fn check_command(&self) -> String {
        let dns = self.dns.map(|a| format!(" --dns {a}")).unwrap_or_default();
        format!(
            "MIM_SETUP_ADDRESS_BOOK='{}' MIM_CHECK_BIND_PASSWORD=\"${BIND_PASSWORD_VAR}\" mim-setup check {}{dns} --ca-file {} --set checks.sql_auth=sql --set checks.sql_login={SQL_LOGIN} --set 'checks.sql_password={{ env = \"{SQL_PASSWORD_VAR}\" }}'",
            self.book.to_spec(","),
            self.scenario.profile_file(),
            self.ca_file.display(),
        )
    }
}

/// The scenario's shipped profile with the demo's SQL login instead of Windows
/// authentication, through `check --set`'s own path.
fn scenario_profile(scenario: Scenario) -> Result<Profile, String> {
    let screens = Screens::embedded().map_err(|e| format!("the embedded screens: {e}"))?;
    let file = scenario.profile_file();
    let mut profile = crate::profile::load_str(&file, scenario.profile_text(), screens, false)
        .map_err(|e| format!("{file}: {e}"))?
        .profile;
    let sets = [
        "checks.sql_auth=sql".to_string(),
        format!("checks.sql_login={SQL_LOGIN}"),
        "checks.sql_password={ prompt = true }".to_string(),
    ];
    crate::check::command::apply_overrides(screens, &mut profile, &sets)?;
    Ok(profile)
}
