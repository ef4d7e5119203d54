//! TLS for the test server as TDS 7.x does it: the handshake travels inside PRELOGIN packets;
//! once it is done, TLS records flow on the TCP stream and carry whole TDS packets. rustls is
//! driven by hand (read_tls/write_tls) so that both phases use the same connection. TLS 1.2
//! only, as SQL Server offers over TDS 7.x.
use super::{packets, read_packet, wire, write_packets};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub fn server_config(cert: &Path, key: &Path) -> Result<Arc<rustls::ServerConfig>, String> {
    let read = |p: &Path| {
        std::fs::read(p).map_err(|e| {
            format!(
                "{}: {e} (make the lab's certificates with tests/lab/ca.sh)",
                p.display()
            )
        })
    };
    let certs = rustls_pemfile::certs(&mut read(cert)?.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("{}: {e}", cert.display()))?;
    let key = rustls_pemfile::private_key(&mut read(key)?.as_slice())
        .map_err(|e| format!("{}: {e}", key.display()))?
        .ok_or_else(|| format!("{}: no private key", key.display()))?;
    let cfg = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_protocol_versions(&[&rustls::version::TLS12])
    .map_err(|e| e.to_string())?
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .map_err(|e| format!("the certificate and key do not go together: {e}"))?;
    Ok(Arc::new(cfg))
}

/// The connection: plain, or TLS after `handshake`.
pub struct Io {
    sock: TcpStream,
    tls: Option<rustls::ServerConnection>,
    plain: Vec<u8>,
}

impl Io {
    pub fn new(sock: TcpStream) -> Io {
        Io {
            sock,
            tls: None,
            plain: Vec::new(),
        }
    }

    /// The TLS handshake inside PRELOGIN packets.
    pub async fn handshake(&mut self, cfg: Arc<rustls::ServerConfig>) -> Result<(), String> {
        let mut conn = rustls::ServerConnection::new(cfg).map_err(|e| e.to_string())?;
        loop {
            if conn.wants_write() {
                let mut out = Vec::new();
                while conn.wants_write() {
                    conn.write_tls(&mut out).map_err(|e| e.to_string())?;
                }
                write_packets(&mut self.sock, wire::PRELOGIN, &out).await?;
                continue;
            }
            if !conn.is_handshaking() {
                break;
            }
            let (_, _, payload) = read_packet(&mut self.sock).await?;
            let mut rd = payload.as_slice();
            while !rd.is_empty() {
                conn.read_tls(&mut rd).map_err(|e| e.to_string())?;
            }
            if let Err(e) = conn.process_new_packets() {
                // Send the alert (wrapped, as the handshake is), then give up.
                let mut out = Vec::new();
                while conn.wants_write() {
                    if conn.write_tls(&mut out).is_err() {
                        break;
                    }
                }
                let _ = write_packets(&mut self.sock, wire::PRELOGIN, &out).await;
                return Err(format!("TLS handshake: {e}"));
            }
        }
        self.tls = Some(conn);
        Ok(())
    }

    async fn fill(&mut self, n: usize) -> Result<(), String> {
        let Some(conn) = self.tls.as_mut() else {
            let start = self.plain.len();
            self.plain.resize(n, 0);
            self.sock
                .read_exact(&mut self.plain[start..])
                .await
                .map_err(|e| format!("reading: {e}"))?;
            return Ok(());
        };
        let mut tmp = [0u8; 8192];
        while self.plain.len() < n {
            match conn.reader().read(&mut tmp) {
                Ok(0) => return Err("the client closed the TLS session".into()),
                Ok(k) => {
                    self.plain.extend_from_slice(&tmp[..k]);
                    continue;
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
                Err(e) => return Err(format!("TLS: {e}")),
            }
            let k = self
                .sock
                .read(&mut tmp)
                .await
                .map_err(|e| format!("reading: {e}"))?;
            if k == 0 {
                return Err("the client closed the connection".into());
            }
            let mut rd = &tmp[..k];
            while !rd.is_empty() {
                conn.read_tls(&mut rd).map_err(|e| e.to_string())?;
            }
            conn.process_new_packets()
                .map_err(|e| format!("TLS: {e}"))?;
        }
        Ok(())
    }

    /// One TDS message (packets up to the one marked end-of-message): type and payload.
    pub async fn read_message(&mut self) -> Result<(u8, Vec<u8>), String> {
        let mut payload = Vec::new();
        loop {
            self.fill(8).await?;
            let h: Vec<u8> = self.plain.drain(..8).collect();
            let len = u16::from_be_bytes([h[2], h[3]]) as usize;
            if len < 8 {
                return Err(format!("packet length {len}"));
            }
            self.fill(len - 8).await?;
            payload.extend(self.plain.drain(..len - 8));
            if h[1] & 1 == 1 {
                return Ok((h[0], payload));
            }
        }
    }

    pub async fn write_message(&mut self, ty: u8, data: &[u8]) -> Result<(), String> {
        let bytes = packets(ty, data);
        let Some(conn) = self.tls.as_mut() else {
            return self
                .sock
                .write_all(&bytes)
                .await
                .map_err(|e| format!("writing: {e}"));
        };
        conn.writer().write_all(&bytes).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        while conn.wants_write() {
            conn.write_tls(&mut out).map_err(|e| e.to_string())?;
        }
        self.sock
            .write_all(&out)
            .await
            .map_err(|e| format!("writing: {e}"))
    }
}
