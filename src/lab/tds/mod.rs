//! The demo's SQL Server, and the tests': a TDS 7.x server (tokio) with PRELOGIN and TLS
//! (rustls; the handshake wrapped in PRELOGIN packets, then TLS records on the stream),
//! LOGIN7 with SQL logins (a wrong password gets error 18456), SQL batches and
//! `sp_executesql` RPCs answered from configurable facts (version, sysadmin, full-text, agent,
//! collation, databases, Always On), and the SQL Browser answer for a named instance (UDP).
//!
//! Start: `let srv = tds::Server::try_start(tds::Facts::default(), tds::Options::default())?`;
//! it serves until the handle is dropped. It binds 127.0.0.3 unless `Options::ip` says
//! another loopback address (the demo: 127.0.0.1), port 0 = any free port. The facts can be
//! changed while it runs (`Server::facts`): the next connection sees them. FreeTDS `tsql`
//! accepts it (tests/live/sql.rs).

pub mod eval;
mod tls;
pub mod wire;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use wire::Val;

pub const ADDR: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);

/// What the server says about itself.
#[derive(Debug, Clone)]
pub struct Facts {
    /// ProductVersion, e.g. 15.0.2000.5 (SQL Server 2019 RTM).
    pub version: String,
    /// ProductLevel: RTM, SP1, ...
    pub level: String,
    pub edition: String,
    pub host: String,
    pub instance: Option<String>,
    pub sysadmin: bool,
    pub fulltext: bool,
    pub agent_running: bool,
    pub collation: String,
    pub databases: Vec<String>,
    /// Logins and passwords.
    pub logins: Vec<(String, String)>,
    /// The login of the connection (set per connection).
    pub login: String,
    pub hadr: bool,
    pub listeners: Vec<String>,
    /// Every SERVERPROPERTY and FULLTEXTSERVICEPROPERTY answers NULL (a server that hides
    /// them, or is not the SQL Server it claims to be).
    pub null_properties: bool,
    /// Accept connections and never answer (the demo's silent-server fault).
    pub silent: bool,
    /// `sys.master_files` of the databases in `databases` that have files here (a database
    /// without a row has none listed).
    pub files: Vec<DbFile>,
    /// `recovery_model_desc` by database name; SIMPLE when not listed.
    pub recovery: Vec<(String, String)>,
    /// `msdb.dbo.backupset` log backups: database name and `backup_finish_date` (ISO 8601).
    pub log_backups: Vec<(String, String)>,
    /// `sys.dm_os_sys_info.cpu_count`.
    pub cpu_count: i32,
    /// `max server memory (MB)` of `sys.configurations`.
    pub max_server_memory_mb: i32,
}

/// One row of `sys.master_files`: sizes and a non-percent growth in 8-KB pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbFile {
    pub database: String,
    pub name: String,
    /// ROWS or LOG.
    pub type_desc: String,
    pub physical_name: String,
    pub size: i32,
    pub growth: i32,
    pub is_percent_growth: bool,
    /// -1 unlimited.
    pub max_size: i32,
}

impl DbFile {
    fn new(
        database: &str,
        name: &str,
        log: bool,
        physical: &str,
        size_mb: i32,
        growth_mb: i32,
    ) -> DbFile {
        DbFile {
            database: database.into(),
            name: name.into(),
            type_desc: if log { "LOG" } else { "ROWS" }.into(),
            physical_name: physical.into(),
            size: size_mb * 128,
            growth: growth_mb * 128,
            is_percent_growth: false,
            max_size: -1,
        }
    }

    /// tempdb as MIM's best practices set it on a server of `cpus` cores: one data file per
    /// core up to 8, fixed growth, data and log on volumes of their own.
    pub fn tempdb(cpus: i32) -> Vec<DbFile> {
        let mut v: Vec<DbFile> = (1..=cpus.clamp(1, 8))
            .map(|i| {
                let name = if i == 1 {
                    "tempdev".to_string()
                } else {
                    format!("temp{i}")
                };
                let file = if i == 1 {
                    "tempdb.mdf".to_string()
                } else {
                    format!("tempdb_mssql_{i}.ndf")
                };
                DbFile::new(
                    "tempdb",
                    &name,
                    false,
                    &format!("T:\\TempDB\\{file}"),
                    1024,
                    256,
                )
            })
            .collect();
        v.push(DbFile::new(
            "tempdb",
            "templog",
            true,
            "L:\\TempDBLog\\templog.ldf",
            512,
            256,
        ));
        v
    }

    /// A user database's data and log files, with fixed growth.
    pub fn database(name: &str) -> Vec<DbFile> {
        vec![
            DbFile::new(
                name,
                name,
                false,
                &format!("D:\\Data\\{name}.mdf"),
                4096,
                512,
            ),
            DbFile::new(
                name,
                &format!("{name}_log"),
                true,
                &format!("L:\\Logs\\{name}_log.ldf"),
                1024,
                256,
            ),
        ]
    }
}

impl Default for Facts {
    fn default() -> Self {
        Facts {
            version: "15.0.2000.5".into(),
            level: "RTM".into(),
            edition: "Developer Edition (64-bit)".into(),
            host: "CORPSQL".into(),
            instance: None,
            sysadmin: true,
            fulltext: true,
            agent_running: true,
            collation: "SQL_Latin1_General_CP1_CI_AS".into(),
            databases: vec![
                "master".into(),
                "tempdb".into(),
                "model".into(),
                "msdb".into(),
            ],
            logins: vec![("sa".into(), "Pass@word1".into())],
            login: String::new(),
            hadr: false,
            listeners: Vec::new(),
            null_properties: false,
            silent: false,
            files: DbFile::tempdb(4),
            recovery: Vec::new(),
            log_backups: Vec::new(),
            cpu_count: 4,
            max_server_memory_mb: 12288,
        }
    }
}

impl Facts {
    pub fn parsed_version(&self) -> (u8, u8, u16) {
        let mut it = self
            .version
            .split('.')
            .map(|p| p.parse::<u32>().unwrap_or(0));
        let (a, b, c) = (
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
            it.next().unwrap_or(0),
        );
        (a as u8, b as u8, c as u16)
    }

    pub fn server_name(&self) -> String {
        match &self.instance {
            Some(i) => format!("{}\\{i}", self.host),
            None => self.host.clone(),
        }
    }

    pub fn version_text(&self) -> String {
        let year = match self.parsed_version().0 {
            11 => "2012",
            12 => "2014",
            13 => "2016",
            14 => "2017",
            15 => "2019",
            16 => "2022",
            _ => "",
        };
        format!(
            "Microsoft SQL Server {year} ({}) - {} (X64) \n\tCopyright (C) Microsoft Corporation\n\t{} on Windows Server 2019 Standard 10.0 <X64> (Build 17763: ) (Hypervisor)\n",
            self.level, self.version, self.edition
        )
    }

    pub fn case_insensitive(&self) -> bool {
        self.collation.contains("_CI")
    }

    pub fn collation_bytes(&self) -> [u8; 5] {
        if self.case_insensitive() {
            [0x09, 0x04, 0xD0, 0x00, 0x34]
        } else {
            [0x09, 0x04, 0xD0, 0x00, 0x33]
        }
    }

    pub fn server_property(&self, name: &str) -> Val {
        let s = |v: &str| Val::Str(Some(v.to_string()));
        if self.null_properties {
            return Val::Str(None);
        }
        match name.to_lowercase().as_str() {
            "productversion" => s(&self.version),
            "productlevel" => s(&self.level),
            "edition" => s(&self.edition),
            "collation" => s(&self.collation),
            "servername" => s(&self.server_name()),
            "machinename" => s(&self.host),
            "instancename" => Val::Str(self.instance.clone()),
            "ishadrenabled" => Val::Int(Some(i32::from(self.hadr))),
            "isfulltextinstalled" => Val::Int(Some(i32::from(self.fulltext))),
            "isclustered" => Val::Int(Some(0)),
            _ => Val::Str(None),
        }
    }

    /// A database's recovery model as `sys.databases` gives it.
    pub fn recovery_of(&self, db: &str) -> String {
        self.recovery
            .iter()
            .find(|(d, _)| d.eq_ignore_ascii_case(db))
            .map(|(_, m)| m.clone())
            .unwrap_or_else(|| "SIMPLE".to_string())
    }

    /// A system view's columns and rows.
    pub fn table(&self, name: &str) -> Result<(Vec<&'static str>, Vec<Vec<Val>>), eval::SqlError> {
        let s = |v: &str| Val::Str(Some(v.to_string()));
        match name {
            "sys.databases" => Ok((
                vec![
                    "name",
                    "database_id",
                    "collation_name",
                    "recovery_model_desc",
                ],
                self.databases
                    .iter()
                    .enumerate()
                    .map(|(i, d)| {
                        vec![
                            s(d),
                            Val::Int(Some(i as i32 + 1)),
                            s(&self.collation),
                            s(&self.recovery_of(d)),
                        ]
                    })
                    .collect(),
            )),
            "sys.master_files" => Ok((
                vec![
                    "database_id",
                    "name",
                    "type_desc",
                    "physical_name",
                    "size",
                    "growth",
                    "is_percent_growth",
                    "max_size",
                ],
                self.files
                    .iter()
                    .filter_map(|f| {
                        let id = self
                            .databases
                            .iter()
                            .position(|d| d.eq_ignore_ascii_case(&f.database))?;
                        Some(vec![
                            Val::Int(Some(id as i32 + 1)),
                            s(&f.name),
                            s(&f.type_desc),
                            s(&f.physical_name),
                            Val::Int(Some(f.size)),
                            Val::Int(Some(f.growth)),
                            Val::Int(Some(i32::from(f.is_percent_growth))),
                            Val::Int(Some(f.max_size)),
                        ])
                    })
                    .collect(),
            )),
            "sys.dm_os_sys_info" => Ok((
                vec!["cpu_count"],
                vec![vec![Val::Int(Some(self.cpu_count))]],
            )),
            "sys.configurations" => Ok((
                vec!["name", "value_in_use"],
                vec![
                    vec![
                        s("max server memory (MB)"),
                        Val::Int(Some(self.max_server_memory_mb)),
                    ],
                    vec![s("min server memory (MB)"), Val::Int(Some(0))],
                ],
            )),
            "msdb.dbo.backupset" => Ok((
                vec!["database_name", "type", "backup_finish_date"],
                self.log_backups
                    .iter()
                    .map(|(db, at)| vec![s(db), s("L"), s(at)])
                    .collect(),
            )),
            "sys.dm_server_services" => {
                if !self.sysadmin {
                    return Err(eval::SqlError(
                        297,
                        16,
                        "The user does not have permission to perform this action.".into(),
                    ));
                }
                let inst = self
                    .instance
                    .clone()
                    .unwrap_or_else(|| "MSSQLSERVER".into());
                let agent = if self.agent_running {
                    "Running"
                } else {
                    "Stopped"
                };
                Ok((
                    vec!["servicename", "startup_type_desc", "status_desc"],
                    vec![
                        vec![
                            s(&format!("SQL Server ({inst})")),
                            s("Automatic"),
                            s("Running"),
                        ],
                        vec![
                            s(&format!("SQL Server Agent ({inst})")),
                            s("Manual"),
                            s(agent),
                        ],
                    ],
                ))
            }
            "sys.availability_group_listeners" => Ok((
                vec!["dns_name", "port"],
                self.listeners
                    .iter()
                    .map(|l| vec![s(l), Val::Int(Some(1433))])
                    .collect(),
            )),
            _ => Err(eval::SqlError(
                208,
                16,
                format!("Invalid object name '{name}'."),
            )),
        }
    }
}

/// Which certificate the server presents (files in $LAB_DIR/ca, or a TLS configuration made
/// in memory), or none.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// 0: any free port.
    pub port: u16,
    /// Certificate and key (PEM files); None (and no `tls`): the server says ENCRYPT_NOT_SUP.
    pub cert: Option<(PathBuf, PathBuf)>,
    /// A TLS configuration made in memory (the demo CA's); used before `cert`.
    pub tls: Option<Arc<rustls::ServerConfig>>,
    /// Refuse clients that do not encrypt.
    pub force_encryption: bool,
    /// Close the connection right after answering PRELOGIN (a fault).
    pub close_after_prelogin: bool,
    /// Answer the SQL Browser (UDP 1434) for `facts.instance`.
    pub browser: bool,
    /// The loopback address to listen on; None: `ADDR` (the lab's corpsql, 127.0.0.3).
    pub ip: Option<Ipv4Addr>,
}

impl Options {
    /// The lab's corpsql: 127.0.0.3:1433 with the certificate `name` from `$LAB_DIR/ca`
    /// (corpsql, untrusted, wrongname), as a bench or the shipped profiles expect it.
    pub fn lab(lab_dir: &std::path::Path, name: &str) -> Options {
        let ca = lab_dir.join("ca");
        Options {
            port: 1433,
            cert: Some((
                ca.join(format!("{name}.pem")),
                ca.join(format!("{name}.key")),
            )),
            ..Options::default()
        }
    }
}

/// What the server received, for tests to inspect.
#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    Login {
        user: String,
        tds_version: u32,
        encrypted: bool,
    },
    Batch(String),
    Rpc {
        statement: String,
        params: Vec<(String, Val)>,
    },
}

/// A running server; stops when dropped.
pub struct Server {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    facts: Arc<RwLock<Facts>>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    /// `try_start` for tests: a server that cannot start is a failed test (a panic).
    pub fn start(facts: Facts, opts: Options) -> Server {
        Server::try_start(facts, opts)
            .unwrap_or_else(|e| panic!("the TDS test server cannot start: {e}"))
    }

    pub fn try_start(facts: Facts, opts: Options) -> Result<Server, String> {
        let tls = match (&opts.tls, &opts.cert) {
            (Some(cfg), _) => Some(cfg.clone()),
            (None, Some((cert, key))) => Some(tls::server_config(cert, key)?),
            (None, None) => None,
        };
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("runtime: {e}"))?;
        let ip = opts.ip.unwrap_or(ADDR);
        if !ip.is_loopback() {
            return Err(format!(
                "{ip} is not a loopback address: test servers listen on 127.0.0.0/8 only"
            ));
        }
        let addr = SocketAddr::new(IpAddr::V4(ip), opts.port);
        let listener = rt
            .block_on(TcpListener::bind(addr))
            .map_err(|e| format!("binding {addr}: {e} (127.0.0.0/8 is on lo on Linux; another server may hold the port)"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let udp = if opts.browser {
            let u = SocketAddr::new(IpAddr::V4(ip), 1434);
            Some(
                rt.block_on(UdpSocket::bind(u))
                    .map_err(|e| format!("binding UDP {u}: {e}"))?,
            )
        } else {
            None
        };
        let received = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let facts = Arc::new(RwLock::new(facts));
        let shared = Arc::new(Shared {
            facts: facts.clone(),
            opts,
            tls,
            received: received.clone(),
        });
        let thread = std::thread::spawn(move || {
            rt.block_on(async move {
                if let Some(udp) = udp {
                    tokio::spawn(browser(udp, shared.facts.clone(), addr.port()));
                }
                let serve = async {
                    while let Ok((sock, _)) = listener.accept().await {
                        let shared = shared.clone();
                        tokio::spawn(async move {
                            // A bound on every connection: tests never leave one behind.
                            let r = tokio::time::timeout(
                                std::time::Duration::from_secs(60),
                                connection(sock, shared),
                            )
                            .await;
                            if let Ok(Err(e)) = r {
                                tracing::debug!("TDS server: {e}");
                            }
                        });
                    }
                };
                tokio::select! {
                    _ = serve => {}
                    _ = stopped => {}
                }
            });
        });
        Ok(Server {
            addr,
            received,
            facts,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The facts the server answers from: a change holds for the next connection.
    pub fn facts(&self) -> Arc<RwLock<Facts>> {
        self.facts.clone()
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().map(|v| v.clone()).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

struct Shared {
    facts: Arc<RwLock<Facts>>,
    opts: Options,
    tls: Option<Arc<rustls::ServerConfig>>,
    received: Arc<Mutex<Vec<Received>>>,
}

impl Shared {
    fn facts(&self) -> Facts {
        match self.facts.read() {
            Ok(f) => f.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn record(&self, r: Received) {
        if let Ok(mut v) = self.received.lock() {
            v.push(r);
        }
    }
}

/// SQL Browser: CLNT_UCAST_INST (0x04 + instance name) gets SVR_RESP (0x05, length, text).
async fn browser(udp: UdpSocket, facts: Arc<RwLock<Facts>>, port: u16) {
    let mut buf = [0u8; 1024];
    while let Ok((n, from)) = udp.recv_from(&mut buf).await {
        if n < 2 || buf[0] != 0x04 {
            continue;
        }
        let facts = match facts.read() {
            Ok(f) => f.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        };
        let asked = String::from_utf8_lossy(&buf[1..n])
            .trim_end_matches('\0')
            .to_string();
        let Some(inst) = facts
            .instance
            .as_deref()
            .filter(|i| i.eq_ignore_ascii_case(&asked))
        else {
            continue; // SQL Browser stays silent for an unknown instance
        };
        let text = format!(
            "ServerName;{};InstanceName;{inst};IsClustered;No;Version;{};tcp;{port};;",
            facts.host, facts.version
        );
        let mut out = vec![0x05];
        out.extend((text.len() as u16).to_le_bytes());
        out.extend(text.as_bytes());
        let _ = udp.send_to(&out, from).await;
    }
}

async fn connection(sock: TcpStream, shared: Arc<Shared>) -> Result<(), String> {
    let facts = shared.facts();
    if facts.silent {
        // Read and drop whatever comes, answer nothing, until the client gives up.
        let mut sock = sock;
        let mut buf = [0u8; 512];
        while matches!(sock.read(&mut buf).await, Ok(n) if n > 0) {}
        return Ok(());
    }
    let mut io = tls::Io::new(sock);
    let (ty, payload) = io.read_message().await?;
    // TDS 7.0 clients log in without PRELOGIN.
    let (encrypted, ty, payload) = if ty == wire::PRELOGIN {
        let pre = wire::parse_prelogin(&payload)?;
        let client = pre.encryption.unwrap_or(wire::ENCRYPT_OFF);
        let answer = match (&shared.tls, client) {
            (None, _) => wire::ENCRYPT_NOT_SUP,
            (Some(_), wire::ENCRYPT_NOT_SUP) if shared.opts.force_encryption => wire::ENCRYPT_REQ,
            (Some(_), wire::ENCRYPT_NOT_SUP) => wire::ENCRYPT_NOT_SUP,
            (Some(_), _) => wire::ENCRYPT_ON,
        };
        io.write_message(
            wire::RESPONSE,
            &wire::prelogin_answer(facts.parsed_version(), answer),
        )
        .await?;
        if shared.opts.close_after_prelogin || answer == wire::ENCRYPT_REQ {
            return Ok(());
        }
        let encrypted = answer == wire::ENCRYPT_ON;
        if encrypted {
            if let Some(cfg) = &shared.tls {
                io.handshake(cfg.clone()).await?;
            }
        }
        let (ty, payload) = io.read_message().await?;
        (encrypted, ty, payload)
    } else if shared.opts.force_encryption || shared.opts.close_after_prelogin {
        return Ok(());
    } else {
        (false, ty, payload)
    };
    if ty != wire::LOGIN7 {
        return Err(format!("expected LOGIN7, got packet type {ty}"));
    }
    let login = wire::parse_login7(&payload)?;
    let v72 = wire::is72(login.tds_version);
    shared.record(Received::Login {
        user: login.user.clone(),
        tds_version: login.tds_version,
        encrypted,
    });
    let server = facts.server_name();
    let mut out = Vec::new();
    let ok = !login.integrated
        && facts
            .logins
            .iter()
            .any(|(u, p)| u.eq_ignore_ascii_case(&login.user) && *p == login.password);
    if !ok {
        let msg = if login.integrated {
            "Login failed. The login is from an untrusted domain and cannot be used with Integrated authentication.".to_string()
        } else {
            format!("Login failed for user '{}'.", login.user)
        };
        wire::error(&mut out, 18456, 14, &msg, &server, v72);
        wire::done(&mut out, wire::DONE_ERROR, 0, 0, v72);
        io.write_message(wire::RESPONSE, &out).await?;
        return Ok(());
    }
    let mut facts = facts;
    facts.login = login.user.clone();
    let db = if login.database.is_empty() {
        "master".to_string()
    } else {
        login.database.clone()
    };
    wire::env_text(&mut out, 1, &db, "master");
    wire::info(
        &mut out,
        5701,
        &format!("Changed database context to '{db}'."),
        &server,
        v72,
    );
    if wire::is71(login.tds_version) {
        wire::env_collation(&mut out, facts.collation_bytes());
    }
    wire::env_text(&mut out, 2, "us_english", "");
    wire::info(
        &mut out,
        5703,
        "Changed language setting to us_english.",
        &server,
        v72,
    );
    wire::loginack(&mut out, login.tds_version, facts.parsed_version());
    wire::env_text(&mut out, 4, "4096", "4096");
    wire::done(&mut out, 0, 0, 0, v72);
    io.write_message(wire::RESPONSE, &out).await?;

    loop {
        let (ty, payload) = match io.read_message().await {
            Ok(m) => m,
            Err(_) => return Ok(()), // the client went away
        };
        let (sql, params) = match ty {
            wire::SQL_BATCH => {
                let sql = wire::parse_batch(&payload, v72)?;
                shared.record(Received::Batch(sql.clone()));
                (sql, Vec::new())
            }
            wire::RPC => {
                let rpc = wire::parse_rpc(&payload, v72)?;
                if rpc.proc_id != Some(10)
                    && !rpc
                        .proc_name
                        .as_deref()
                        .is_some_and(|n| n.eq_ignore_ascii_case("sp_executesql"))
                {
                    let mut out = Vec::new();
                    wire::error(
                        &mut out,
                        2812,
                        16,
                        "Could not find stored procedure.",
                        &server,
                        v72,
                    );
                    wire::done(&mut out, wire::DONE_ERROR, 0, 0, v72);
                    io.write_message(wire::RESPONSE, &out).await?;
                    continue;
                }
                let mut it = rpc.params.into_iter();
                let statement = match it.next() {
                    Some((_, Val::Str(Some(s)))) => s,
                    _ => String::new(),
                };
                let _declarations = it.next();
                let params: Vec<(String, Val)> = it.collect();
                shared.record(Received::Rpc {
                    statement: statement.clone(),
                    params: params.clone(),
                });
                (statement, params)
            }
            wire::ATTENTION => {
                let mut out = Vec::new();
                wire::done(&mut out, 0x20, 0, 0, v72);
                io.write_message(wire::RESPONSE, &out).await?;
                continue;
            }
            other => return Err(format!("unexpected packet type {other}")),
        };
        let (sets, err) = eval::run(&sql, &facts, &params);
        let mut out = Vec::new();
        let n = sets.len();
        for (i, s) in sets.iter().enumerate() {
            let more = i + 1 < n || err.is_some();
            let coll = wire::is71(login.tds_version).then(|| facts.collation_bytes());
            wire::result_set(&mut out, &s.cols, &s.rows, coll, v72, more);
        }
        if let Some(eval::SqlError(num, class, msg)) = err {
            wire::error(&mut out, num, class, &msg, &server, v72);
            wire::done(&mut out, wire::DONE_ERROR, 0, 0, v72);
        } else if n == 0 {
            wire::done(&mut out, 0, 0, 0, v72);
        }
        io.write_message(wire::RESPONSE, &out).await?;
    }
}

/// A port that accepts connections and never answers (a black hole): the kernel completes
/// the TCP handshake for the backlog, nobody reads. Closed when dropped.
pub fn black_hole() -> std::net::TcpListener {
    std::net::TcpListener::bind(SocketAddr::new(IpAddr::V4(ADDR), 0))
        .unwrap_or_else(|e| panic!("binding a black-hole port on 127.0.0.3: {e}"))
}

/// A port nothing listens on (connections are refused).
pub fn refused_port() -> u16 {
    let l = black_hole();
    let port = l
        .local_addr()
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    drop(l);
    port
}

/// Reads and writes a whole TDS message; used by tls.rs.
pub(crate) async fn read_packet(s: &mut TcpStream) -> Result<(u8, u8, Vec<u8>), String> {
    let mut h = [0u8; 8];
    s.read_exact(&mut h)
        .await
        .map_err(|e| format!("reading a packet header: {e}"))?;
    let len = u16::from_be_bytes([h[2], h[3]]) as usize;
    if len < 8 {
        return Err(format!("packet length {len}"));
    }
    let mut p = vec![0u8; len - 8];
    s.read_exact(&mut p)
        .await
        .map_err(|e| format!("reading a packet: {e}"))?;
    Ok((h[0], h[1], p))
}

pub(crate) async fn write_packets(s: &mut TcpStream, ty: u8, data: &[u8]) -> Result<(), String> {
    let buf = packets(ty, data);
    s.write_all(&buf).await.map_err(|e| format!("writing: {e}"))
}

/// Splits a message into packets of at most 4096 bytes.
pub(crate) fn packets(ty: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let chunks: Vec<&[u8]> = if data.is_empty() {
        vec![&[][..]]
    } else {
        data.chunks(4096 - 8).collect()
    };
    let n = chunks.len();
    for (i, c) in chunks.into_iter().enumerate() {
        out.push(ty);
        out.push(if i + 1 == n { 1 } else { 0 });
        out.extend(((c.len() + 8) as u16).to_be_bytes());
        out.extend([0, 0, (i + 1) as u8, 0]);
        out.extend(c);
    }
    out
}
