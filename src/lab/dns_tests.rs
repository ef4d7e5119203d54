//! The DNS server through the checks' own resolver (hickory-resolver): every name the
//! shipped profiles give resolves, the SRV record names the domain controller, a name
//! outside the zones is refused, and a fault takes a name out and puts it back.
use super::{Dns, DnsFault, Records};
use crate::check::Settings;
use std::net::{IpAddr, Ipv4Addr};

fn resolver(dns: &Dns) -> hickory_resolver::TokioAsyncResolver {
    crate::check::network::resolver(&Settings {
        dns_server: Some(dns.addr()),
        ..Settings::default()
    })
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

/// Every host name in the shipped Contoso profiles (servers, hosts, addresses, URLs).
fn profile_hosts() -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("profiles/").flatten() {
        let text = std::fs::read_to_string(e.path()).expect("a profile");
        let doc: toml::Table = text.parse().expect("TOML");
        for (section, v) in &doc {
            let Some(t) = v.as_table() else { continue };
            for (key, v) in t {
                let Some(s) = v.as_str() else { continue };
                let host = if s.starts_with("http") {
                    crate::check::network::url_host(s)
                } else if matches!(
                    key.as_str(),
                    "server" | "host" | "service_address" | "scsm_server" | "dc"
                ) && section != "sync_link"
                {
                    Some(s.to_string())
                } else {
                    None
                };
                if let Some(h) = host.filter(|h| !h.is_empty()) {
                    let fq = if h.contains('.') {
                        h
                    } else {
                        format!("{h}.contoso.local")
                    };
                    out.push(fq.to_ascii_lowercase());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn every_name_of_the_profiles_and_the_dc_record_resolve() {
    let dns = Dns::start(Records::contoso()).expect("DNS starts");
    let r = resolver(&dns);
    let hosts = profile_hosts();
    assert!(
        hosts.iter().any(|h| h == "corpsql.contoso.com"),
        "{hosts:?}"
    );
    rt().block_on(async {
        for h in hosts.iter().chain(&[
            "corpdc.contoso.local".to_string(),
            "CORPIDM.contoso.local".to_string(),
        ]) {
            let ips = r
                .lookup_ip(format!("{h}."))
                .await
                .unwrap_or_else(|e| panic!("{h}: {e}"));
            assert_eq!(
                ips.iter().next(),
                Some(IpAddr::V4(Ipv4Addr::LOCALHOST)),
                "{h}"
            );
        }
        let srv = r
            .srv_lookup("_ldap._tcp.contoso.local.")
            .await
            .expect("the SRV record");
        let s = srv.iter().next().expect("one SRV answer");
        assert_eq!(
            (s.port(), s.target().to_utf8()),
            (389, "corpdc.contoso.local.".to_string())
        );
        // Outside the zones: refused, not forwarded.
        assert!(r.lookup_ip("example.org.").await.is_err());
    });
}

#[test]
fn a_fault_takes_the_name_out_and_puts_it_back() {
    let dns = Dns::start(Records::contoso()).expect("DNS starts");
    let r = resolver(&dns);
    let rt = rt();
    for f in DnsFault::ALL {
        dns.set_fault(f, true);
        // Twice on is still on; the resolver has no cache to hide it (a fresh one each time).
        dns.set_fault(f, true);
        let name = format!("{}.", f.missing_name());
        let missing = rt.block_on(async {
            resolver(&dns)
                .lookup(name.clone(), hickory_resolver::proto::rr::RecordType::ANY)
                .await
        });
        assert!(missing.is_err(), "{}: still there", f.name());
        dns.set_fault(f, false);
        let back = rt.block_on(async {
            match f {
                DnsFault::MissingDcRecord => r.srv_lookup(name.clone()).await.map(|_| ()),
                DnsFault::MissingSqlServer => {
                    resolver(&dns).lookup_ip(name.clone()).await.map(|_| ())
                }
            }
        });
        assert!(back.is_ok(), "{}: not back: {back:?}", f.name());
    }
}

#[test]
fn names_outside_the_zones_are_refused_at_start() {
    let e = Dns::start(
        Records::contoso().with_address("corpdc.fabrikam.com", IpAddr::V4(Ipv4Addr::LOCALHOST)),
    )
    .err()
    .expect("refused");
    assert!(e.to_string().contains("fabrikam"), "{e}");
}
