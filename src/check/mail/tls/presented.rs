//! The certificate a server presents, read when verification failed, so that the finding can
//! show what was offered (subject, names, issuer, validity) and whether the server sent any
//! intermediate certificate with it. A second handshake records the server's certificates and
//! then abandons the connection: nothing is sent over it, nothing trusted. For SMTP the
//! handshake follows the plain start of the session (greeting, EHLO, STARTTLS).
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a server presented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presented {
    /// The leaf, described (`certificate subject ...; names ...; issuer ...; valid ...`).
    pub description: String,
    /// How many certificates the server sent after its own.
    pub intermediates: usize,
    /// The leaf's issuer is its subject (self-issued).
    pub self_issued: bool,
    pub issuer: String,
    /// The leaf, DER.
    pub leaf: Vec<u8>,
    /// Where the leaf says its issuer's certificate is published (AIA caIssuers, http only).
    pub ca_issuers: Option<String>,
}

/// How the TLS handshake starts on the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// TLS from the first byte (HTTPS, SMTPS).
    Tls,
    /// An SMTP greeting, EHLO and STARTTLS first.
    SmtpStartTls,
}

#[derive(Debug)]
struct Record {
    seen: Mutex<Option<(Vec<u8>, usize)>>,
    schemes: Vec<SignatureScheme>,
}

impl ServerCertVerifier for Record {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Ok(mut s) = self.seen.lock() {
            *s = Some((end_entity.as_ref().to_vec(), intermediates.len()));
        }
        // Never trusted: the handshake ends here.
        Err(rustls::Error::General("certificate recorded".into()))
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("not verified".into()))
    }

    fn verify_tls13_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        Err(rustls::Error::General("not verified".into()))
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.schemes.clone()
    }
}

/// The certificates `addr` presents for `host`; None if none was seen within `limit`.
/// Blocking: run it off the async threads.
pub fn read(addr: SocketAddr, host: &str, start: Start, limit: Duration) -> Option<Presented> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let record = Arc::new(Record {
        seen: Mutex::new(None),
        schemes: provider
            .signature_verification_algorithms
            .supported_schemes(),
    });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()?
        .dangerous()
        .with_custom_certificate_verifier(record.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.trim_matches(['[', ']']).to_string()).ok()?;
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).ok()?;
    let mut sock = TcpStream::connect_timeout(&addr, limit).ok()?;
    sock.set_read_timeout(Some(limit)).ok()?;
    sock.set_write_timeout(Some(limit)).ok()?;
    if start == Start::SmtpStartTls {
        smtp_starttls(&mut sock)?;
    }
    // Bounded: each round trip waits at most `limit`, and the handshake needs two.
    for _ in 0..4 {
        if conn.complete_io(&mut sock).is_err() || !conn.is_handshaking() {
            break;
        }
    }
    let (der, intermediates) = record.seen.lock().ok()?.take()?;
    let (self_issued, issuer) = super::issuer(&der);
    Some(Presented {
        description: super::describe(&der),
        intermediates,
        self_issued,
        issuer,
        ca_issuers: super::ca_issuers(&der),
        leaf: der,
    })
}

/// Whether `leaf`, with `intermediate`, chains to one of `roots` for `host`: the proof that
/// only the intermediate was missing.
pub fn chains_with(leaf: &[u8], intermediate: &[u8], host: &str, roots: &[Vec<u8>]) -> bool {
    let mut store = rustls::RootCertStore::empty();
    for r in roots {
        let _ = store.add(CertificateDer::from(r.clone()));
    }
    if store.is_empty() {
        return false;
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let Ok(verifier) =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(store), provider)
            .build()
    else {
        return false;
    };
    let Ok(name) = ServerName::try_from(host.trim_matches(['[', ']']).to_string()) else {
        return false;
    };
    verifier
        .verify_server_cert(
            &CertificateDer::from(leaf.to_vec()),
            &[CertificateDer::from(intermediate.to_vec())],
            &name,
            &[],
            UnixTime::now(),
        )
        .is_ok()
}

/// The plain start of an SMTP session up to the TLS handshake: the greeting, EHLO, STARTTLS
/// and its 220. None when the server answers otherwise.
fn smtp_starttls(sock: &mut TcpStream) -> Option<()> {
    let mut r = BufReader::new(sock.try_clone().ok()?);
    let mut reply = || -> Option<String> {
        // A reply is at most 50 lines here; the last has a space after its code.
        for _ in 0..50 {
            let mut line = String::new();
            if r.by_ref().take(1024).read_line(&mut line).ok()? == 0 {
                return None;
            }
            if line.as_bytes().get(3) != Some(&b'-') {
                return Some(line);
            }
        }
        None
    };
    reply().filter(|l| l.starts_with("220"))?;
    sock.write_all(b"EHLO mim-setup\r\n").ok()?;
    reply().filter(|l| l.starts_with("250"))?;
    sock.write_all(b"STARTTLS\r\n").ok()?;
    reply().filter(|l| l.starts_with("220"))?;
    // Nothing may be left unread: the server waits for the ClientHello now.
    r.buffer().is_empty().then_some(())
}
