//! The demo's DNS server (hickory-server, the same hickory as the checks' resolver): the
//! zones `contoso.local` and `contoso.com`, authoritative, with the domain's `_ldap._tcp`
//! SRV records and an A record for every name the walkthroughs and the shipped profiles
//! name, all on 127.0.0.1 unless told otherwise; UDP and TCP on one loopback port. Its
//! faults take a name out of its zone live (the resolver then gets NXDOMAIN), and put it
//! back.
use hickory_server::authority::{Catalog, ZoneType};
use hickory_server::proto::rr::rdata::{A, AAAA, NS, SOA, SRV};
use hickory_server::proto::rr::{LowerName, Name, RData, Record, RrKey};
use hickory_server::store::in_memory::InMemoryAuthority;
use hickory_server::ServerFuture;
use std::collections::BTreeMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// The zones the demo serves.
pub const ZONES: [&str; 2] = ["contoso.local", "contoso.com"];

/// The host names of the walkthroughs and the shipped profiles, by zone.
const HOSTS: &[(&str, &[&str])] = &[
    (
        "contoso.local",
        &[
            "corpdc",
            "corpsql",
            "corpsync",
            "corpservice",
            "corpidm",
            "mail",
        ],
    ),
    (
        "contoso.com",
        &["corpsql", "mail", "smtp", "mim", "corpidm", "scsm"],
    ),
];

/// An SRV record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv {
    pub name: String,
    pub priority: u16,
    pub weight: u16,
    pub port: u16,
    pub target: String,
}

/// What the server answers: address records (A or AAAA by the address) and SRV records,
/// fully qualified names without the final dot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Records {
    pub addresses: Vec<(String, IpAddr)>,
    pub srv: Vec<Srv>,
}

impl Records {
    /// The Contoso names, each on 127.0.0.1, the domain's own name (as AD registers it)
    /// and the domain controller's SRV records (`_ldap._tcp`, `_ldap._tcp.dc._msdcs`,
    /// `_kerberos._tcp`).
    pub fn contoso() -> Records {
        let mut addresses = vec![("contoso.local".to_string(), IpAddr::V4(Ipv4Addr::LOCALHOST))];
        for (zone, hosts) in HOSTS {
            for h in *hosts {
                addresses.push((format!("{h}.{zone}"), IpAddr::V4(Ipv4Addr::LOCALHOST)));
            }
        }
        let dc = super::directory::DC_HOST.to_string();
        let srv = [
            ("_ldap._tcp.contoso.local", 389),
            ("_ldap._tcp.dc._msdcs.contoso.local", 389),
            ("_kerberos._tcp.contoso.local", 88),
        ]
        .into_iter()
        .map(|(name, port)| Srv {
            name: name.to_string(),
            priority: 0,
            weight: 100,
            port,
            target: dc.clone(),
        })
        .collect();
        Records { addresses, srv }
    }

    /// The same with `name` on `ip` instead.
    pub fn with_address(mut self, name: &str, ip: IpAddr) -> Records {
        self.addresses
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.addresses.push((name.to_string(), ip));
        self
    }
}

/// A fault of the demo DNS: a name missing from its zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DnsFault {
    /// The domain's `_ldap._tcp` SRV record: no domain controller can be found.
    MissingDcRecord,
    /// The SQL Server's name `corpsql.contoso.com`.
    MissingSqlServer,
}

impl DnsFault {
    pub const ALL: [DnsFault; 2] = [DnsFault::MissingDcRecord, DnsFault::MissingSqlServer];

    pub fn name(self) -> &'static str {
        match self {
            DnsFault::MissingDcRecord => "dns-missing-dc-record",
            DnsFault::MissingSqlServer => "dns-missing-sql-server",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            DnsFault::MissingDcRecord => {
                "DNS has no _ldap._tcp.contoso.local SRV record: the domain controller cannot be found"
            }
            DnsFault::MissingSqlServer => "DNS has no name corpsql.contoso.com (NXDOMAIN)",
        }
    }

    /// The id of the finding the checks give for it.
    pub fn check_id(self) -> &'static str {
        match self {
            DnsFault::MissingDcRecord => "ad-dc-not-found",
            DnsFault::MissingSqlServer => "sql-dns",
        }
    }

    /// The field of that finding (on the Sync profile).
    pub fn field(self) -> &'static str {
        use crate::screens::fields;
        match self {
            DnsFault::MissingDcRecord => fields::checks::DOMAIN,
            DnsFault::MissingSqlServer => fields::sql::SERVER,
        }
    }

    /// The name it takes out.
    pub fn missing_name(self) -> &'static str {
        match self {
            DnsFault::MissingDcRecord => "_ldap._tcp.contoso.local",
            DnsFault::MissingSqlServer => "corpsql.contoso.com",
        }
    }

    pub fn from_name(name: &str) -> Option<DnsFault> {
        DnsFault::ALL.into_iter().find(|f| f.name() == name)
    }
}

fn name(text: &str) -> io::Result<Name> {
    Name::from_str(&format!("{}.", text.trim_end_matches('.'))).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("`{text}` is not a DNS name: {e}"),
        )
    })
}

/// The zone `text` belongs to, if the server has it.
fn zone_of(host: &str) -> Option<&'static str> {
    let h = host.trim_end_matches('.').to_ascii_lowercase();
    ZONES
        .into_iter()
        .find(|z| h == *z || h.ends_with(&format!(".{z}")))
}

/// The record sets a fault took out of a zone.
type Taken = Vec<(RrKey, Arc<hickory_server::proto::rr::RecordSet>)>;

/// The running DNS server.
pub struct Dns {
    addr: SocketAddr,
    zones: BTreeMap<&'static str, Arc<InMemoryAuthority>>,
    /// What each fault took out, to put back.
    taken: Mutex<BTreeMap<DnsFault, Taken>>,
    runtime: Option<tokio::runtime::Runtime>,
}

const TTL: u32 = 300;

fn zone(origin: &str, records: &Records) -> io::Result<InMemoryAuthority> {
    let o = name(origin)?;
    let mut auth = InMemoryAuthority::empty(o.clone(), ZoneType::Primary, false);
    let dc = name(super::directory::DC_HOST)?;
    let soa = SOA::new(
        dc.clone(),
        name(&format!("hostmaster.{origin}"))?,
        1,
        900,
        600,
        86_400,
        300,
    );
    auth.upsert_mut(Record::from_rdata(o.clone(), TTL, RData::SOA(soa)), 1);
    auth.upsert_mut(Record::from_rdata(o.clone(), TTL, RData::NS(NS(dc))), 1);
    for (host, ip) in &records.addresses {
        if zone_of(host) != Some(origin) {
            continue;
        }
        let rdata = match ip {
            IpAddr::V4(v4) => RData::A(A(*v4)),
            IpAddr::V6(v6) => RData::AAAA(AAAA(*v6)),
        };
        auth.upsert_mut(Record::from_rdata(name(host)?, TTL, rdata), 1);
    }
    for s in &records.srv {
        if zone_of(&s.name) != Some(origin) {
            continue;
        }
        let rdata = RData::SRV(SRV::new(s.priority, s.weight, s.port, name(&s.target)?));
        auth.upsert_mut(Record::from_rdata(name(&s.name)?, TTL, rdata), 1);
    }
    Ok(auth)
}

impl Dns {
    /// Serves `records` on 127.0.0.1, one ephemeral port for UDP and TCP. Names outside the
    /// demo's zones are refused (the server is authoritative only).
    pub fn start(records: Records) -> io::Result<Dns> {
        for (host, _) in &records.addresses {
            if zone_of(host).is_none() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("{host} is not in the demo's zones ({})", ZONES.join(", ")),
                ));
            }
        }
        let mut catalog = Catalog::new();
        let mut zones = BTreeMap::new();
        for z in ZONES {
            let auth = Arc::new(zone(z, &records)?);
            catalog.upsert(LowerName::from(name(z)?), Box::new(auth.clone()));
            zones.insert(z, auth);
        }
        // The same port for both: TCP first (a free one), then UDP on it.
        let tcp = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        let addr = tcp.local_addr()?;
        let udp = std::net::UdpSocket::bind(addr)?;
        tcp.set_nonblocking(true)?;
        udp.set_nonblocking(true)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("demo-dns")
            .enable_all()
            .build()?;
        {
            let _in = runtime.enter();
            let mut server = ServerFuture::new(catalog);
            server.register_socket(tokio::net::UdpSocket::from_std(udp)?);
            server.register_listener(
                tokio::net::TcpListener::from_std(tcp)?,
                Duration::from_secs(5),
            );
            runtime.spawn(async move {
                let _ = server.block_until_done().await;
            });
        }
        Ok(Dns {
            addr,
            zones,
            taken: Mutex::new(BTreeMap::new()),
            runtime: Some(runtime),
        })
    }

    /// Where it listens (UDP and TCP).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Takes the fault's name out of its zone, or puts it back. Returns when the zone has
    /// changed (at most a second).
    pub fn set_fault(&self, fault: DnsFault, on: bool) {
        let Some(auth) = zone_of(fault.missing_name())
            .and_then(|z| self.zones.get(z))
            .cloned()
        else {
            return;
        };
        let Some(rt) = &self.runtime else {
            return;
        };
        let Ok(n) = name(fault.missing_name()) else {
            return;
        };
        let lower = LowerName::from(n);
        let mut taken = self.taken.lock().unwrap_or_else(PoisonError::into_inner);
        let (tx, rx) = std::sync::mpsc::channel();
        if on && !taken.contains_key(&fault) {
            rt.spawn(async move {
                let mut records = auth.records_mut().await;
                let keys: Vec<RrKey> = records
                    .keys()
                    .filter(|k| k.name == lower)
                    .cloned()
                    .collect();
                let out: Vec<_> = keys
                    .into_iter()
                    .filter_map(|k| records.remove(&k).map(|v| (k, v)))
                    .collect();
                let _ = tx.send(out);
            });
            if let Ok(out) = rx.recv_timeout(Duration::from_secs(1)) {
                taken.insert(fault, out);
            }
        } else if !on {
            if let Some(back) = taken.remove(&fault) {
                rt.spawn(async move {
                    let mut records = auth.records_mut().await;
                    records.extend(back);
                    let _ = tx.send(Vec::new());
                });
                let _ = rx.recv_timeout(Duration::from_secs(1));
            }
        }
    }
}

impl Drop for Dns {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}

#[cfg(test)]
#[path = "dns_tests.rs"]
mod tests;
