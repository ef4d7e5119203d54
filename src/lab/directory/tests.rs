//! The directory's protocol, through the ldap3 client on the ephemeral ports: binds in every
//! form AD takes and its refusals, StartTLS and LDAPS with the certificate verified, the
//! rootDSE, scopes and partitions, paging, and the faults seen on the wire.
use super::test_env::{ephemeral, Tls};
use super::{DirFault, Directory};
use ldap3::adapters::{Adapter, EntriesOnly, PagedResults};
use ldap3::exop::WhoAmI;
use ldap3::{LdapConn, LdapConnSettings, Scope, SearchEntry};
use rustls021 as rustls;
use std::sync::Arc;
use std::time::Duration;

const BASE: &str = "DC=contoso,DC=local";

fn client_tls(tls: &Tls) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    let mut pem = tls.ca_pem.as_bytes();
    for der in rustls_pemfile::certs(&mut pem) {
        roots
            .add(&rustls::Certificate(der.expect("PEM").to_vec()))
            .expect("the CA is a root");
    }
    Arc::new(
        rustls::ClientConfig::builder()
            .with_safe_defaults()
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}

fn settings(tls: &Tls) -> LdapConnSettings {
    LdapConnSettings::new()
        .set_conn_timeout(Duration::from_secs(5))
        .set_config(client_tls(tls))
}

fn plain(dir: &Directory) -> LdapConn {
    LdapConn::with_settings(
        LdapConnSettings::new().set_conn_timeout(Duration::from_secs(5)),
        &format!("ldap://{}", dir.ldap_addr()),
    )
    .expect("connects")
}

/// StartTLS to the LDAP port, verified against the test CA by the name 127.0.0.1.
fn starttls(dir: &Directory, tls: &Tls) -> LdapConn {
    LdapConn::with_settings(
        settings(tls).set_starttls(true),
        &format!("ldap://{}", dir.ldap_addr()),
    )
    .expect("StartTLS")
}

fn bind_rc(conn: &mut LdapConn, who: &str, pw: &str) -> (u32, String) {
    let r = conn.simple_bind(who, pw).expect("an answer");
    (r.rc, r.text)
}

fn search(
    conn: &mut LdapConn,
    base: &str,
    scope: Scope,
    filter: &str,
    attrs: &[&str],
) -> (u32, Vec<SearchEntry>) {
    let r = conn
        .search(base, scope, filter, attrs.to_vec())
        .expect("an answer");
    let entries =
        r.0.iter()
            .filter(|e| !e.is_ref())
            .cloned()
            .map(SearchEntry::construct)
            .collect();
    (r.1.rc, entries)
}

#[test]
fn binds_in_every_form_and_ad_refusals() {
    let (dir, _tls) = ephemeral();
    let pw = dir.password().expose().to_string();
    let mut c = plain(&dir);
    for who in [
        r"CONTOSO\miminstall",
        r"contoso\MIMINSTALL",
        "miminstall@contoso.local",
        "CN=miminstall,CN=Users,DC=contoso,DC=local",
        "cn=miminstall, cn=users, dc=contoso, dc=local",
    ] {
        assert_eq!(bind_rc(&mut c, who, &pw).0, 0, "{who}");
    }
    let (rc, text) = bind_rc(&mut c, r"CONTOSO\miminstall", "wrong");
    assert_eq!(rc, 49);
    assert!(text.contains("data 52e"), "{text}");
    // A bare name and an unknown account: AD says 52e as well.
    assert!(bind_rc(&mut c, "miminstall", &pw).1.contains("data 52e"));
    assert!(bind_rc(&mut c, r"CONTOSO\nobody", &pw)
        .1
        .contains("data 52e"));
    assert!(bind_rc(&mut c, r"FABRIKAM\miminstall", &pw)
        .1
        .contains("data 52e"));
    // A gMSA's and a computer's passwords are the domain's own.
    assert!(bind_rc(&mut c, r"CONTOSO\MIMSync$", &pw)
        .1
        .contains("data 52e"));
    assert!(bind_rc(&mut c, r"CONTOSO\CORPSYNC$", &pw)
        .1
        .contains("data 52e"));
    // An empty password with a name is not an anonymous bind here.
    assert_eq!(bind_rc(&mut c, r"CONTOSO\miminstall", "").0, 49);
    // The sub-codes, with the right password, from the faults.
    for (fault, code) in [
        (DirFault::DisabledAccount, "533"),
        (DirFault::LockedAccount, "775"),
        (DirFault::ExpiredAccount, "701"),
        (DirFault::ExpiredPassword, "532"),
    ] {
        dir.set_fault(fault, true);
        let (rc, text) = bind_rc(&mut c, r"CONTOSO\MIMSync", &pw);
        assert_eq!(rc, 49, "{fault:?}");
        assert!(text.contains(&format!("data {code}")), "{fault:?}: {text}");
        // A wrong password still says 52e (AD tells the state only to who knows the password).
        assert!(bind_rc(&mut c, r"CONTOSO\MIMSync", "x")
            .1
            .contains("data 52e"));
        dir.set_fault(fault, false);
        assert_eq!(
            bind_rc(&mut c, r"CONTOSO\MIMSync", &pw).0,
            0,
            "{fault:?} off"
        );
    }
    dir.set_fault(DirFault::WrongPassword, true);
    assert!(bind_rc(&mut c, r"CONTOSO\miminstall", &pw)
        .1
        .contains("data 52e"));
    assert_eq!(bind_rc(&mut c, r"CONTOSO\MIMSync", &pw).0, 0);
    dir.set_fault(DirFault::WrongPassword, false);
    assert_eq!(bind_rc(&mut c, r"CONTOSO\miminstall", &pw).0, 0);
}

#[test]
fn anonymous_reads_the_root_dse_only() {
    let (dir, _tls) = ephemeral();
    let mut c = plain(&dir);
    let (rc, dse) = search(&mut c, "", Scope::Base, "(objectClass=*)", &[]);
    assert_eq!(rc, 0);
    let dse = &dse[0];
    assert_eq!(dse.attrs["defaultNamingContext"], [BASE]);
    assert_eq!(
        dse.attrs["configurationNamingContext"],
        [format!("CN=Configuration,{BASE}")]
    );
    assert_eq!(dse.attrs["dnsHostName"], [super::DC_HOST]);
    assert!(dse.attrs["supportedControl"]
        .iter()
        .any(|c| c == "1.2.840.113556.1.4.319"));
    assert!(dse.attrs["supportedExtension"]
        .iter()
        .any(|c| c == "1.3.6.1.4.1.1466.20037"));
    let r = c
        .search(BASE, Scope::Subtree, "(sAMAccountName=MIMSync)", vec!["cn"])
        .expect("an answer");
    assert_eq!(r.1.rc, 1);
    assert!(r.1.text.contains("000004DC"), "{}", r.1.text);
}

#[test]
fn starttls_and_ldaps_verify_and_whoami_names_the_account() {
    let (dir, tls) = ephemeral();
    let pw = dir.password().expose().to_string();
    let mut c = starttls(&dir, &tls);
    assert_eq!(bind_rc(&mut c, "MIMSync@contoso.local", &pw).0, 0);
    let (exop, _) = c
        .extended(WhoAmI)
        .expect("WhoAmI")
        .success()
        .expect("WhoAmI succeeds");
    let who: ldap3::exop::WhoAmIResp = exop.parse();
    assert_eq!(who.authzid, r"u:CONTOSO\MIMSync");
    let mut s = LdapConn::with_settings(settings(&tls), &format!("ldaps://{}", dir.ldaps_addr()))
        .expect("LDAPS");
    assert_eq!(bind_rc(&mut s, r"CONTOSO\miminstall", &pw).0, 0);
    // Another CA: the handshake fails.
    let other = super::test_env::tls(&["127.0.0.1"]);
    assert!(
        LdapConn::with_settings(settings(&other), &format!("ldaps://{}", dir.ldaps_addr()))
            .is_err()
    );
    assert!(LdapConn::with_settings(
        settings(&other).set_starttls(true),
        &format!("ldap://{}", dir.ldap_addr())
    )
    .is_err());
}

#[test]
fn scopes_partitions_references_and_kds_visibility() {
    let (dir, _tls) = ephemeral();
    let pw = dir.password().expose().to_string();
    let mut c = plain(&dir);
    assert_eq!(bind_rc(&mut c, r"CONTOSO\miminstall", &pw).0, 0);
    // A subtree search from the domain root stays in the domain and refers to the others.
    let mut stream = c
        .streaming_search(BASE, Scope::Subtree, "(objectClass=crossRef)", vec!["cn"])
        .expect("a search");
    let mut got = Vec::new();
    while let Some(e) = stream.next().expect("an answer") {
        got.push(e);
    }
    assert_eq!(stream.result().rc, 0);
    assert!(
        got.iter().all(|e| e.is_ref()),
        "no crossRef in the domain partition"
    );
    assert_eq!(
        got.len(),
        3,
        "Configuration, DomainDnsZones, ForestDnsZones"
    );
    let config = format!("CN=Configuration,{BASE}");
    let (_, cross) = search(
        &mut c,
        &format!("CN=Partitions,{config}"),
        Scope::OneLevel,
        &format!("(&(objectClass=crossRef)(nCName={BASE}))"),
        &["nETBIOSName", "dnsRoot"],
    );
    assert_eq!(cross[0].attrs["nETBIOSName"], ["CONTOSO"]);
    let (_, base) = search(
        &mut c,
        &format!("CN=MIMSync,CN=Users,{BASE}"),
        Scope::Base,
        "(objectClass=*)",
        &["tokenGroups", "memberOf"],
    );
    assert!(
        base[0].bin_attrs.contains_key("tokenGroups") || base[0].attrs.contains_key("tokenGroups")
    );
    // tokenGroups only to a base search.
    let (_, sub) = search(
        &mut c,
        BASE,
        Scope::Subtree,
        "(sAMAccountName=MIMSync)",
        &["tokenGroups"],
    );
    assert!(sub[0].bin_attrs.is_empty() && sub[0].attrs.is_empty());
    let (rc, _) = search(
        &mut c,
        &format!("CN=Nobody,{BASE}"),
        Scope::Base,
        "(objectClass=*)",
        &[],
    );
    assert_eq!(rc, 32);
    // The KDS root key: visible to a Domain Admin (miminstall), not to MIMSync.
    let kds = format!("CN=Master Root Keys,CN=Group Key Distribution Service,CN=Services,{config}");
    assert_eq!(
        search(
            &mut c,
            &kds,
            Scope::OneLevel,
            "(objectClass=msKds-ProvRootKey)",
            &["cn"]
        )
        .1
        .len(),
        1
    );
    assert_eq!(bind_rc(&mut c, r"CONTOSO\MIMSync", &pw).0, 0);
    assert!(search(
        &mut c,
        &kds,
        Scope::OneLevel,
        "(objectClass=msKds-ProvRootKey)",
        &["cn"]
    )
    .1
    .is_empty());
    // Changes are refused.
    let r = c
        .delete(&format!("CN=MIMSync,CN=Users,{BASE}"))
        .expect("an answer");
    assert_eq!(r.rc, 53);
}

#[test]
fn paged_searches_return_every_entry_once() {
    let (dir, _tls) = ephemeral();
    let pw = dir.password().expose().to_string();
    let mut c = plain(&dir);
    assert_eq!(bind_rc(&mut c, r"CONTOSO\miminstall", &pw).0, 0);
    let (_, all) = search(
        &mut c,
        BASE,
        Scope::Subtree,
        "(objectClass=user)",
        &["sAMAccountName"],
    );
    assert!(all.len() > 20);
    let adapters: Vec<Box<dyn Adapter<&str, Vec<&str>>>> =
        vec![Box::new(EntriesOnly::new()), Box::new(PagedResults::new(2))];
    let mut stream = c
        .streaming_search_with(
            adapters,
            BASE,
            Scope::Subtree,
            "(objectClass=user)",
            vec!["sAMAccountName"],
        )
        .expect("a paged search");
    let mut paged = Vec::new();
    while let Some(e) = stream.next().expect("a page") {
        paged.push(SearchEntry::construct(e).dn);
    }
    assert_eq!(stream.result().rc, 0);
    let mut want: Vec<String> = all.into_iter().map(|e| e.dn).collect();
    want.sort();
    let n = paged.len();
    paged.sort();
    paged.dedup();
    assert_eq!(paged.len(), n, "an entry came twice");
    assert_eq!(paged, want);
    // A size limit below the entries: sizeLimitExceeded with what fits.
    let r = c
        .with_search_options(ldap3::SearchOptions::new().sizelimit(3))
        .search(BASE, Scope::Subtree, "(objectClass=user)", vec!["cn"])
        .expect("an answer");
    assert_eq!((r.1.rc, r.0.len()), (4, 3));
}

#[test]
fn only_loopback_addresses_are_taken() {
    let tls = super::test_env::tls(&["x"]);
    let outside = "192.0.2.1:0".parse().expect("address");
    let inside = "127.0.0.1:0".parse().expect("address");
    let e = Directory::start_at(tls.server.clone(), outside, inside)
        .err()
        .expect("refused");
    assert!(e.to_string().contains("loopback"), "{e}");
}

/// The demo starts its servers from inside its own async code: starting, switching faults
/// and dropping must not need (or block) the caller's runtime.
#[tokio::test]
async fn starts_switches_and_stops_inside_another_runtime() {
    use super::super::dns::{Dns, DnsFault, Records};
    let (dir, _tls) = ephemeral();
    let dns = Dns::start(Records::contoso()).expect("DNS starts");
    dir.set_fault(DirFault::NoKdsRootKey, true);
    dns.set_fault(DnsFault::MissingDcRecord, true);
    dns.set_fault(DnsFault::MissingDcRecord, false);
    let addr = dir.ldap_addr();
    tokio::net::TcpStream::connect(addr)
        .await
        .expect("the directory answers");
    drop(dir);
    drop(dns);
    // Stopped: the port no longer takes connections (bounded: a few tries).
    let mut refused = false;
    for _ in 0..50 {
        if tokio::net::TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(refused, "{addr} still listens");
}
