//! The demo's directory and DNS: from `start` to the first answer over the wire (the issue's
//! target for every demo server: 100 ms), and one AD-style lookup on a running directory.
//!   directory_start_to_root_dse  Directory::start, connect, anonymous rootDSE search
//!   dns_start_to_srv             Dns::start, the `_ldap._tcp` SRV query over UDP
//!   bind_and_search              on a running directory: bind, sAMAccountName search
use criterion::{criterion_group, criterion_main, Criterion};
use ldap3::{LdapConn, LdapConnSettings, Scope};
use mim_setup::lab::directory::{Directory, DC_HOST};
use mim_setup::lab::dns::{Dns, Records};
use std::sync::Arc;
use std::time::Duration;

fn server_tls() -> Arc<rustls::ServerConfig> {
    use rcgen::{CertificateParams, KeyPair};
    let key = KeyPair::generate().expect("a key");
    let cert = CertificateParams::new(vec![DC_HOST.to_string()])
        .expect("parameters")
        .self_signed(&key)
        .expect("a certificate");
    let der = rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).expect("key DER");
    Arc::new(
        rustls::ServerConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(vec![cert.der().clone()], der)
        .expect("a server config"),
    )
}

fn connect(dir: &Directory) -> LdapConn {
    LdapConn::with_settings(
        LdapConnSettings::new().set_conn_timeout(Duration::from_secs(5)),
        &format!("ldap://{}", dir.ldap_addr()),
    )
    .expect("connects")
}

fn bench(c: &mut Criterion) {
    let tls = server_tls();
    c.bench_function("directory_start_to_root_dse", |b| {
        b.iter(|| {
            let dir = Directory::start(tls.clone()).expect("starts");
            let mut conn = connect(&dir);
            let r = conn
                .search(
                    "",
                    Scope::Base,
                    "(objectClass=*)",
                    vec!["defaultNamingContext"],
                )
                .expect("an answer");
            assert_eq!(r.0.len(), 1);
        })
    });
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    c.bench_function("dns_start_to_srv", |b| {
        b.iter(|| {
            let dns = Dns::start(Records::contoso()).expect("starts");
            let settings = mim_setup::check::Settings {
                dns_server: Some(dns.addr()),
                ..Default::default()
            };
            let resolver = mim_setup::check::network::resolver(&settings);
            rt.block_on(async {
                resolver
                    .srv_lookup("_ldap._tcp.contoso.local.")
                    .await
                    .expect("the SRV record")
            });
        })
    });
    let dir = Directory::start(tls.clone()).expect("starts");
    let pw = dir.password().expose().to_string();
    let mut conn = connect(&dir);
    c.bench_function("bind_and_search", |b| {
        b.iter(|| {
            assert_eq!(
                conn.simple_bind(r"CONTOSO\miminstall", &pw)
                    .expect("bind")
                    .rc,
                0
            );
            let r = conn
                .search(
                    "DC=contoso,DC=local",
                    Scope::Subtree,
                    "(sAMAccountName=MIMSync)",
                    vec!["userAccountControl"],
                )
                .expect("an answer");
            assert_eq!(r.0.len(), 1);
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
