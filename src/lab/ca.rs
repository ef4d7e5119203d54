//! The demo CA: made in memory when the demo starts (rcgen), it issues each demo server's
//! certificate for the Contoso names and 127.0.0.1. Its PEM (a public certificate, no
//! secret) is handed to the checks as the `--ca-file` equivalent in a temporary file that is
//! deleted when the demo ends; nothing else of it reaches the disk.
//!
//! `DemoCa::stranger` makes a second, unrelated CA: a certificate from it is the "untrusted
//! certificate" fault, a real chain the checks cannot verify.
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;

/// A CA that issues the demo servers' certificates.
pub struct DemoCa {
    name: String,
    issuer: CertifiedIssuer<'static, KeyPair>,
}

/// A server certificate with its key, and the chain a server presents.
pub struct ServerCert {
    /// The leaf, then the CA that issued it.
    pub chain: Vec<CertificateDer<'static>>,
    key_der: Vec<u8>,
    /// The leaf in PEM.
    pub pem: String,
}

fn err(what: &str) -> impl Fn(rcgen::Error) -> String + '_ {
    move |e| format!("the demo CA cannot make {what}: {e}")
}

impl DemoCa {
    /// The demo's own CA, "Contoso Demo Root CA".
    pub fn new() -> Result<DemoCa, String> {
        DemoCa::named("Contoso Demo Root CA")
    }

    /// An unrelated CA nobody trusts: the untrusted-certificate faults.
    pub fn stranger() -> Result<DemoCa, String> {
        DemoCa::named("Untrusted Demo CA")
    }

    fn named(name: &str) -> Result<DemoCa, String> {
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, name);
        dn.push(DnType::OrganizationName, "Contoso (demo)");
        params.distinguished_name = dn;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().map_err(err("a key"))?;
        let issuer = CertifiedIssuer::self_signed(params, key).map_err(err("its certificate"))?;
        Ok(DemoCa {
            name: name.to_string(),
            issuer,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The CA certificate, PEM.
    pub fn pem(&self) -> String {
        self.issuer.pem()
    }

    pub fn der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    /// A server certificate for `names` (DNS names or IP addresses), issued by this CA.
    pub fn issue(&self, names: &[&str]) -> Result<ServerCert, String> {
        let sans: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = CertificateParams::new(sans).map_err(err("a certificate's names"))?;
        let mut dn = DistinguishedName::new();
        dn.push(
            DnType::CommonName,
            names.first().copied().unwrap_or("demo server"),
        );
        params.distinguished_name = dn;
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.use_authority_key_identifier_extension = true;
        let key = KeyPair::generate().map_err(err("a server key"))?;
        let cert = params
            .signed_by(&key, &self.issuer)
            .map_err(err("a server certificate"))?;
        Ok(ServerCert {
            pem: cert.pem(),
            chain: vec![cert.der().clone(), self.der()],
            key_der: key.serialize_der(),
        })
    }

    /// The CA certificate in a temporary PEM file, deleted when the returned path is dropped:
    /// what the checks read as `--ca-file`.
    pub fn ca_file(&self) -> Result<tempfile::TempPath, String> {
        let mut f = tempfile::Builder::new()
            .prefix("mim-setup-demo-ca-")
            .suffix(".pem")
            .tempfile()
            .map_err(|e| format!("cannot write the demo CA to a temporary file: {e}"))?;
        std::io::Write::write_all(&mut f, self.pem().as_bytes())
            .map_err(|e| format!("cannot write the demo CA to a temporary file: {e}"))?;
        Ok(f.into_temp_path())
    }
}

impl ServerCert {
    pub fn key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_der.clone()))
    }

    /// A rustls server configuration presenting this certificate; TLS 1.2 only where
    /// `tls12_only` (TDS 7.x), else TLS 1.2 and 1.3. `alpn`: the protocols offered.
    pub fn server_config(
        &self,
        tls12_only: bool,
        alpn: &[&[u8]],
    ) -> Result<Arc<rustls::ServerConfig>, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let versions: &[&rustls::SupportedProtocolVersion] = if tls12_only {
            &[&rustls::version::TLS12]
        } else {
            &[&rustls::version::TLS13, &rustls::version::TLS12]
        };
        let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .map_err(|e| format!("TLS versions: {e}"))?
            .with_no_client_auth()
            .with_single_cert(self.chain.clone(), self.key())
            .map_err(|e| format!("the demo certificate and key do not go together: {e}"))?;
        cfg.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
        Ok(Arc::new(cfg))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verifier(ca: &DemoCa) -> Arc<rustls::client::WebPkiServerVerifier> {
        let mut roots = rustls::RootCertStore::empty();
        roots.add(ca.der()).expect("the CA is a root");
        rustls::client::WebPkiServerVerifier::builder_with_provider(
            Arc::new(roots),
            Arc::new(rustls::crypto::ring::default_provider()),
        )
        .build()
        .expect("verifier")
    }

    fn verify(ca: &DemoCa, cert: &ServerCert, name: &str) -> Result<(), rustls::Error> {
        use rustls::client::danger::ServerCertVerifier;
        let name = rustls::pki_types::ServerName::try_from(name.to_string()).expect("name");
        verifier(ca)
            .verify_server_cert(
                &cert.chain[0],
                &cert.chain[1..],
                &name,
                &[],
                rustls::pki_types::UnixTime::now(),
            )
            .map(|_| ())
    }

    #[test]
    fn a_server_certificate_verifies_for_its_names_and_only_them() {
        let ca = DemoCa::new().expect("ca");
        let cert = ca
            .issue(&["corpsql.contoso.local", "corpsql", "127.0.0.1"])
            .expect("cert");
        for name in ["corpsql.contoso.local", "corpsql", "127.0.0.1"] {
            verify(&ca, &cert, name).unwrap_or_else(|e| panic!("{name}: {e}"));
        }
        assert!(verify(&ca, &cert, "corpdc.contoso.local").is_err());
        let stranger = DemoCa::stranger().expect("stranger");
        assert!(
            verify(&stranger, &cert, "corpsql").is_err(),
            "another CA does not verify it"
        );
        cert.server_config(true, &[]).expect("a TLS 1.2 config");
    }

    #[test]
    fn the_ca_file_is_pem_and_goes_away() {
        let ca = DemoCa::new().expect("ca");
        let path = ca.ca_file().expect("file");
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.starts_with("-----BEGIN CERTIFICATE-----"), "{text}");
        let kept = path.to_path_buf();
        drop(path);
        assert!(!kept.exists(), "deleted when dropped");
    }
}
