//! The demo's directory: the Active Directory domain `contoso.local` on loopback, over LDAP
//! with StartTLS and over LDAPS, holding everything the AD checks read for the shipped
//! Contoso profiles (users, groups nested and of both kinds, computers, gMSAs with their
//! security descriptors, SPNs, the KDS root key, the partitions' names), with live faults.
//!
//! ```text
//!   content.ldif  the objects, as data (LDIF, RFC 2849), embedded and read at start
//!   ldif.rs       the LDIF reader
//!   sddl.rs       SID text and SDDL into AD's binary forms
//!   store.rs      entries as AD holds them; memberOf, tokenGroups, computed flags
//!   faults.rs     the faults: each a change in the objects, with the finding it gives
//!   filter.rs     search filters, AD's matching rules included
//!   search.rs     rootDSE, scopes, partitions, paging, size limit
//!   session.rs    one connection: bind with AD's sub-codes, StartTLS, WhoAmI, read-only
//!   codec.rs      the wire codec: ldap3_proto's, taking binary filter values as AD does
//! ```
//!
//! Every account's password is one demo secret made at start (`Directory::password`); it
//! is never written anywhere. The servers run on a runtime of their own, so a caller needs
//! none; dropping the `Directory` stops them.
#[cfg(test)]
mod checks_tests;
mod codec;
mod faults;
mod filter;
mod ldif;
mod sddl;
mod search;
mod session;
mod store;
#[cfg(test)]
pub(crate) mod test_env;
#[cfg(test)]
mod tests;

pub use faults::DirFault;
pub use search::DC_HOST;

use crate::secret::Secret;
use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use store::{Entry, View};

/// The directory's content (LDIF).
pub(crate) const CONTENT: &str = include_str!("content.ldif");

/// The state every connection reads.
pub struct Shared {
    tls: tokio_rustls::TlsAcceptor,
    password: Secret,
    state: Mutex<State>,
}

struct State {
    /// The objects as loaded.
    loaded: Vec<Entry>,
    /// The faults that are on, with the FILETIME each was switched on.
    faults: BTreeMap<DirFault, i64>,
    view: Arc<View>,
    /// The MIM Service's SPNs on its gMSA (`set_gmsa_service`).
    gmsa_service: bool,
    /// The account holding the PCNS target's SPN (`set_pcns_target`), by DN.
    pcns_target: Option<String>,
}

impl State {
    fn rebuild(&mut self) {
        let mut entries = self.loaded.clone();
        if self.gmsa_service {
            faults::gmsa_service(&mut entries);
        }
        if let Some(dn) = &self.pcns_target {
            faults::pcns_target(&mut entries, dn);
        }
        let on: BTreeSet<DirFault> = self.faults.keys().copied().collect();
        let at = self.faults.clone();
        let other = faults::apply(&on, &mut entries, |f| {
            at.get(&f).copied().unwrap_or_else(store::now_filetime)
        });
        let mut view = View::new(entries, other);
        if on.contains(&DirFault::ClockSkew) {
            view.clock_offset = faults::CLOCK_SKEW;
        }
        self.view = Arc::new(view);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The directory as it is now.
    pub fn view(&self) -> Arc<View> {
        self.lock().view.clone()
    }

    /// Whether `given` is the demo password (compared in time independent of where it
    /// differs).
    pub fn password_is(&self, given: &str) -> bool {
        let want = self.password.expose().as_bytes();
        let got = given.as_bytes();
        let mut diff = want.len() ^ got.len();
        for (i, w) in want.iter().enumerate() {
            diff |= usize::from(w ^ got.get(i).copied().unwrap_or(0));
        }
        diff == 0
    }
}

/// A password no one knows in advance: 128 bits from the standard library's OS-seeded
/// hasher keys, with the four character classes AD's complexity rule asks for.
fn demo_password() -> Secret {
    use std::hash::{BuildHasher, Hasher};
    let mut out = String::from("Demo!");
    for i in 0..2u8 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u8(i);
        out.push_str(&format!("{:016x}", h.finish()));
    }
    Secret::new(out)
}

/// The running directory.
pub struct Directory {
    ldap: SocketAddr,
    ldaps: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Directory {
    /// Starts the directory on 127.0.0.1, ephemeral ports: LDAP (with StartTLS) and LDAPS,
    /// both with `tls`.
    pub fn start(tls: Arc<rustls::ServerConfig>) -> io::Result<Directory> {
        let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        Directory::start_at(tls, any, any)
    }

    /// Starts it on the loopback addresses given (port 0: any free port), e.g. the standard
    /// ports 389 and 636 on an address of 127.0.0.0/8 of its own.
    pub fn start_at(
        tls: Arc<rustls::ServerConfig>,
        ldap: SocketAddr,
        ldaps: SocketAddr,
    ) -> io::Result<Directory> {
        Directory::start_with(tls, ldap, ldaps, demo_password())
    }

    /// As `start_at`, with `password` as every account's password (the demo environment
    /// passes one another terminal can give too, see `lab::env`).
    pub fn start_with(
        tls: Arc<rustls::ServerConfig>,
        ldap: SocketAddr,
        ldaps: SocketAddr,
        password: Secret,
    ) -> io::Result<Directory> {
        Directory::start_from(tls, (ldap, ldaps), password, CONTENT)
    }

    /// As `start_with`, serving `content` (LDIF: the demo's own, or another directory's
    /// export, as the fidelity test loads the Samba lab's) instead of the demo's.
    pub fn start_from(
        tls: Arc<rustls::ServerConfig>,
        (ldap, ldaps): (SocketAddr, SocketAddr),
        password: Secret,
        content: &str,
    ) -> io::Result<Directory> {
        for a in [ldap, ldaps] {
            if !a.ip().is_loopback() {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!("the demo directory listens on loopback only, not on {a}"),
                ));
            }
        }
        let loaded = store::load(content, store::now_filetime()).map_err(|e| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("the demo directory's content: {e}"),
            )
        })?;
        let view = Arc::new(View::new(loaded.clone(), BTreeSet::new()));
        let shared = Arc::new(Shared {
            tls: tokio_rustls::TlsAcceptor::from(tls),
            password,
            state: Mutex::new(State {
                loaded,
                faults: BTreeMap::new(),
                view,
                gmsa_service: false,
                pcns_target: None,
            }),
        });
        let plain = std::net::TcpListener::bind(ldap)?;
        let secure = std::net::TcpListener::bind(ldaps)?;
        let (ldap, ldaps) = (plain.local_addr()?, secure.local_addr()?);
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("demo-directory")
            .enable_all()
            .build()?;
        {
            let _in = runtime.enter();
            for (listener, is_ldaps) in [(plain, false), (secure, true)] {
                listener.set_nonblocking(true)?;
                let listener = tokio::net::TcpListener::from_std(listener)?;
                let shared = shared.clone();
                runtime.spawn(async move {
                    loop {
                        match listener.accept().await {
                            Ok((tcp, _)) => {
                                tokio::spawn(session::serve(tcp, shared.clone(), is_ldaps));
                            }
                            // Out of descriptors and the like: try again shortly.
                            Err(_) => {
                                tokio::time::sleep(std::time::Duration::from_millis(20)).await
                            }
                        }
                    }
                });
            }
        }
        Ok(Directory {
            ldap,
            ldaps,
            shared,
            runtime: Some(runtime),
        })
    }

    /// LDAP, with StartTLS.
    pub fn ldap_addr(&self) -> SocketAddr {
        self.ldap
    }

    /// LDAPS.
    pub fn ldaps_addr(&self) -> SocketAddr {
        self.ldaps
    }

    /// The password of every account (the demo's secret, in memory only).
    pub fn password(&self) -> &Secret {
        &self.shared.password
    }

    /// Switches a fault on or off; connections see it from their next operation.
    pub fn set_fault(&self, fault: DirFault, on: bool) {
        let mut state = self.shared.lock();
        let changed = if on {
            match state.faults.entry(fault) {
                std::collections::btree_map::Entry::Occupied(_) => false,
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(store::now_filetime());
                    true
                }
            }
        } else {
            state.faults.remove(&fault).is_some()
        };
        if changed {
            state.rebuild();
        }
    }

    /// Where the MIM Service's SPNs of `mim.contoso.com` are registered: on the gMSA
    /// `svcMIMService$` (true: the Azure AD Premium options whose MIM Service runs as a
    /// gMSA) or on the regular account `svcMIMService` (false, the start). One directory
    /// cannot hold both, an SPN has one owner; the environment sets it for its scenario.
    pub fn set_gmsa_service(&self, on: bool) {
        let mut state = self.shared.lock();
        if state.gmsa_service != on {
            state.gmsa_service = on;
            state.rebuild();
        }
    }

    /// After setup, with PCNS: the PCNS target's SPN on the Sync service account `dn`.
    pub fn set_pcns_target(&self, dn: Option<&str>) {
        let mut state = self.shared.lock();
        let dn = dn.map(str::to_string);
        if state.pcns_target != dn {
            state.pcns_target = dn;
            state.rebuild();
        }
    }

    /// The faults that are on.
    pub fn faults(&self) -> Vec<DirFault> {
        self.shared.lock().faults.keys().copied().collect()
    }
}

impl Drop for Directory {
    fn drop(&mut self) {
        if let Some(rt) = self.runtime.take() {
            // Does not wait: safe inside another runtime too.
            rt.shutdown_background();
        }
    }
}
