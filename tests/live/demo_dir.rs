//! The demo's directory and DNS servers accepted by independent clients: OpenLDAP's
//! `ldapsearch` (simple bind, StartTLS with -ZZ, LDAPS, a paged search) and BIND's `dig`
//! (SRV and A records, over UDP and TCP, and a name a fault takes out). These need no lab;
//! a test whose tool is missing says so and passes (tests/run installs ldap-utils and
//! dnsutils).
use mim_setup::lab::directory::{DirFault, Directory, DC_HOST};
use mim_setup::lab::dns::{Dns, DnsFault, Records};
use std::io::Write;
use std::process::{Command, Output};
use std::sync::Arc;

struct Tls {
    server: Arc<rustls::ServerConfig>,
    ca_file: tempfile::NamedTempFile,
}

/// A test CA and a certificate for the directory's names and 127.0.0.1.
fn test_tls() -> Tls {
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
    let mut params = CertificateParams::new(vec![DC_HOST.to_string(), "127.0.0.1".to_string()])
        .expect("server parameters");
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.distinguished_name.push(DnType::CommonName, DC_HOST);
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
        ca_file,
    }
}

/// Whether `tool` is installed; says so when it is not.
fn have(tool: &str, package: &str) -> bool {
    let found = Command::new(tool).arg("-VV").output().is_ok()
        || Command::new(tool).arg("-v").output().is_ok();
    if !found {
        eprintln!("SKIPPED: `{tool}` is not installed (Debian package {package})");
    }
    found
}

/// ldapsearch with the test CA trusted and no system configuration read.
fn ldapsearch(tls: &Tls, args: &[&str]) -> Output {
    Command::new("ldapsearch")
        .args(args)
        .env("LDAPTLS_CACERT", tls.ca_file.path())
        .env("LDAPTLS_REQCERT", "demand")
        .env("LDAPCONF", "/dev/null")
        .output()
        .expect("ldapsearch runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn dns_entries(o: &Output) -> usize {
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter(|l| l.starts_with("dn: "))
        .count()
}

#[test]
fn ldapsearch_binds_over_plain_starttls_and_ldaps_and_pages() {
    if !have("ldapsearch", "ldap-utils") {
        return;
    }
    let tls = test_tls();
    let dir = Directory::start(tls.server.clone()).expect("the directory starts");
    let pw = dir.password().expose().to_string();
    let ldap = format!("ldap://{}", dir.ldap_addr());
    let ldaps = format!("ldaps://{}", dir.ldaps_addr());
    let base = "DC=contoso,DC=local";
    let who = r"CONTOSO\miminstall";
    for (url, extra) in [(&ldap, None), (&ldap, Some("-ZZ")), (&ldaps, None)] {
        let mut args = vec!["-x", "-H", url.as_str(), "-D", who, "-w", &pw, "-b", base];
        args.extend(extra);
        args.extend([
            "(sAMAccountName=MIMSync)",
            "distinguishedName",
            "userAccountControl",
        ]);
        let o = ldapsearch(&tls, &args);
        let out = text(&o);
        assert!(o.status.success(), "{url} {extra:?}: {out}");
        assert!(
            out.contains("distinguishedName: CN=MIMSync,CN=Users,DC=contoso,DC=local"),
            "{out}"
        );
    }
    // A wrong password: AD's result and sub-code.
    let o = ldapsearch(
        &tls,
        &[
            "-x",
            "-H",
            &ldap,
            "-D",
            who,
            "-w",
            "not-the-password",
            "-b",
            base,
            "(cn=x)",
        ],
    );
    assert_eq!(o.status.code(), Some(49), "{}", text(&o));
    assert!(text(&o).contains("data 52e"), "{}", text(&o));
    // A disabled account: 533 with the right password.
    dir.set_fault(DirFault::DisabledAccount, true);
    let o = ldapsearch(
        &tls,
        &[
            "-x",
            "-H",
            &ldap,
            "-D",
            r"CONTOSO\MIMSync",
            "-w",
            &pw,
            "-b",
            base,
            "(cn=x)",
        ],
    );
    assert!(text(&o).contains("data 533"), "{}", text(&o));
    dir.set_fault(DirFault::DisabledAccount, false);
    // Paged by two, the same entries as unpaged.
    let all = ldapsearch(
        &tls,
        &[
            "-x",
            "-H",
            &ldap,
            "-D",
            who,
            "-w",
            &pw,
            "-b",
            base,
            "(objectClass=user)",
            "1.1",
        ],
    );
    let paged = ldapsearch(
        &tls,
        &[
            "-x",
            "-H",
            &ldap,
            "-D",
            who,
            "-w",
            &pw,
            "-b",
            base,
            "-E",
            "pr=2/noprompt",
            "(objectClass=user)",
            "1.1",
        ],
    );
    assert!(paged.status.success(), "{}", text(&paged));
    assert!(dns_entries(&all) > 20, "{}", text(&all));
    assert_eq!(dns_entries(&paged), dns_entries(&all), "{}", text(&paged));
    assert!(text(&paged).contains("pagedresults"), "{}", text(&paged));
    // The other partitions are referred to, as AD does.
    assert!(
        text(&all).contains("ldap://contoso.local/CN=Configuration,DC=contoso,DC=local"),
        "{}",
        text(&all)
    );
    // Anonymous: the rootDSE.
    let o = ldapsearch(
        &tls,
        &[
            "-x",
            "-H",
            &ldap,
            "-b",
            "",
            "-s",
            "base",
            "defaultNamingContext",
        ],
    );
    assert!(
        text(&o).contains("defaultNamingContext: DC=contoso,DC=local"),
        "{}",
        text(&o)
    );
    // -ZZ with a CA that did not sign the certificate: refused.
    let other = test_tls();
    let o = ldapsearch(&other, &["-x", "-ZZ", "-H", &ldap, "-b", "", "-s", "base"]);
    assert!(!o.status.success(), "{}", text(&o));
}

fn dig(dns: &Dns, args: &[&str]) -> String {
    let port = dns.addr().port().to_string();
    let o = Command::new("dig")
        .args(["@127.0.0.1", "-p", &port, "+time=2", "+tries=1"])
        .args(args)
        .output()
        .expect("dig runs");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn dig_reads_the_srv_and_a_records_over_udp_and_tcp() {
    if !have("dig", "dnsutils") {
        return;
    }
    let dns = Dns::start(Records::contoso()).expect("DNS starts");
    for transport in ["+notcp", "+tcp"] {
        let srv = dig(
            &dns,
            &[transport, "+short", "_ldap._tcp.contoso.local", "SRV"],
        );
        assert_eq!(srv.trim(), "0 100 389 corpdc.contoso.local.", "{transport}");
        for name in [
            "corpdc.contoso.local",
            "corpsql.contoso.com",
            "CORPIDM.contoso.local",
            "mail.contoso.com",
        ] {
            let a = dig(&dns, &[transport, "+short", name, "A"]);
            assert_eq!(a.trim(), "127.0.0.1", "{transport} {name}");
        }
    }
    let full = dig(&dns, &["corpsql.contoso.com", "A"]);
    assert!(
        full.contains("status: NOERROR") && full.contains(" aa"),
        "{full}"
    );
    dns.set_fault(DnsFault::MissingSqlServer, true);
    let gone = dig(&dns, &["corpsql.contoso.com", "A"]);
    assert!(gone.contains("status: NXDOMAIN"), "{gone}");
    dns.set_fault(DnsFault::MissingSqlServer, false);
    assert_eq!(
        dig(&dns, &["+short", "corpsql.contoso.com", "A"]).trim(),
        "127.0.0.1"
    );
}
