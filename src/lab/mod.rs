//! The demo's Contoso environment, inside the process: real servers on 127.0.0.1 with
//! ephemeral ports, TLS from a CA made at start, reached by the checks through the address
//! book only (`check::AddressBook`), never through a branch of their own. One file per server:
//!
//! ```text
//!   ca.rs      the demo CA (rcgen): server certificates for the Contoso names and 127.0.0.1
//!   tds/       SQL Server over TDS 7.x with TLS (also the tests' SQL Server)
//!   smtp.rs    SMTP with STARTTLS, AUTH LOGIN/PLAIN after TLS, MAIL/RCPT/DATA
//!   https.rs   HTTPS (hyper): Exchange EWS, the OAuth token endpoint of each cloud instance,
//!              Office 365 EWS, the SharePoint site (plain HTTP too, for an http:// URL)
//!   faults.rs  the catalogue of faults, each a real change in a running server
//!   scenario.rs the walkthroughs (sync, service-portal, aadp-a..i) and their embedded profiles
//!   env.rs     Environment::start: the servers, the address book, the settings, the profile
//!   command.rs `mim-setup demo --faults | --check | --serve`
//!   directory/ contoso.local over LDAP (StartTLS) and LDAPS, from embedded LDIF, live faults
//!   dns.rs     the contoso.local and contoso.com zones, SRV and A records, UDP and TCP
//! ```
pub mod ca;
pub mod command;
pub mod directory;
pub mod dns;
pub mod env;
pub mod faults;
pub mod https;
pub mod scenario;
pub mod smtp;
pub mod tds;

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;
use tokio::net::TcpStream;

/// Where every demo server listens.
pub const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// The longest one connection to a demo server may last: no client can hold one forever.
pub const CONNECTION_LIMIT: Duration = Duration::from_secs(120);

/// A server's thread and its runtime; stops when dropped.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Binds `ip:port` (loopback only; port 0: any free one) and serves each connection with
/// `conn` on a thread of its own, each under `CONNECTION_LIMIT`.
pub fn serve<F, Fut>(what: &str, ip: IpAddr, port: u16, conn: F) -> Result<Running, String>
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    if !ip.is_loopback() {
        return Err(format!(
            "{what}: {ip} is not a loopback address: the demo's servers listen on 127.0.0.0/8 only"
        ));
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("{what}: cannot start its runtime: {e}"))?;
    let want = SocketAddr::new(ip, port);
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(want))
        .map_err(|e| format!("{what}: cannot listen on {want}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("{what}: {e}"))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name(format!("demo {what}"))
        .spawn(move || {
            rt.block_on(async move {
                let accept = async {
                    while let Ok((sock, _)) = listener.accept().await {
                        let _ = sock.set_nodelay(true);
                        let job = conn(sock);
                        tokio::spawn(async move {
                            let _ = tokio::time::timeout(CONNECTION_LIMIT, job).await;
                        });
                    }
                };
                tokio::select! {
                    _ = accept => {}
                    _ = stopped => {}
                }
            });
        })
        .map_err(|e| format!("{what}: cannot start its thread: {e}"))?;
    Ok(Running {
        addr,
        stop: Some(stop),
        thread: Some(thread),
    })
}

/// Reads a lock's value whether or not a holder panicked (the value is plain data).
pub(crate) fn read<T: Clone>(lock: &std::sync::RwLock<T>) -> T {
    match lock.read() {
        Ok(v) => v.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}
