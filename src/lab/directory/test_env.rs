//! For the tests: a test CA (rcgen) with a server certificate for the domain controller's
//! names, the directory on an address of 127.0.0.0/8 of its own with the standard ports
//! 389 and 636 (so the AD checks, which use those ports, reach it), and the demo DNS
//! pointing the domain controller's name at it.
use super::super::dns::{Dns, Records};
use super::{Directory, DC_HOST};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

pub struct Tls {
    pub server: Arc<rustls::ServerConfig>,
    pub ca_pem: String,
    /// The CA as a file, for `Settings::ca_file` (removed when dropped).
    pub ca_file: tempfile::NamedTempFile,
}

/// A CA and a certificate for `names` (DNS names or addresses) that it signed.
pub fn tls(names: &[&str]) -> Tls {
    use rcgen::{
        BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer,
        KeyPair, KeyUsagePurpose,
    };
    let ca_key = KeyPair::generate().expect("a CA key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca.distinguished_name
        .push(DnType::CommonName, "Contoso demo test CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    // What GnuTLS (OpenLDAP's client) requires of a CA.
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).expect("the CA certificate");
    let issuer = Issuer::new(ca, ca_key);
    let key = KeyPair::generate().expect("a server key");
    let mut params =
        CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .expect("server parameters");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.distinguished_name.push(DnType::CommonName, names[0]);
    let cert = params
        .signed_by(&key, &issuer)
        .expect("the server certificate");
    let der_key = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).expect("key DER");
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .expect("TLS versions")
    .with_no_client_auth()
    .with_single_cert(vec![cert.der().clone()], der_key)
    .expect("a server config");
    let mut ca_file = tempfile::NamedTempFile::new().expect("a temporary file");
    ca_file
        .write_all(ca_cert.pem().as_bytes())
        .expect("the CA is written");
    Tls {
        server: Arc::new(server),
        ca_pem: ca_cert.pem(),
        ca_file,
    }
}

/// A directory on the standard ports, DNS for it, and the CA that signed its certificate.
pub struct Env {
    pub dir: Directory,
    pub dns: Dns,
    pub tls: Tls,
}

static NEXT: AtomicU8 = AtomicU8::new(40);

/// None (and a message saying why) where this user may not listen on ports below 1024.
pub fn env() -> Option<Env> {
    // Another test run on the machine may hold an address: the next one is tried.
    for _ in 0..100 {
        let n = NEXT.fetch_add(1, Ordering::SeqCst);
        let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 0, n));
        let tls = tls(&[DC_HOST, "contoso.local", &ip.to_string()]);
        let dir = match Directory::start_at(
            tls.server.clone(),
            SocketAddr::new(ip, 389),
            SocketAddr::new(ip, 636),
        ) {
            Ok(d) => d,
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
                eprintln!("SKIPPED: the AD checks use the ports 389 and 636, which this user may not listen on ({e}); run as root");
                return None;
            }
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => continue,
            Err(e) => panic!("the directory starts on {ip}: {e}"),
        };
        let dns = Dns::start(Records::contoso().with_address(DC_HOST, ip)).expect("DNS starts");
        return Some(Env { dir, dns, tls });
    }
    panic!("no free address of 127.0.0.0/8 for ports 389 and 636");
}

/// A directory on 127.0.0.1 with ephemeral ports (the seam the demo uses).
pub fn ephemeral() -> (Directory, Tls) {
    let tls = tls(&[DC_HOST, "127.0.0.1"]);
    let dir = Directory::start(tls.server.clone()).expect("the directory starts");
    (dir, tls)
}
