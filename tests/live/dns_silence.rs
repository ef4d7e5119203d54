//! A DNS server that never answers (a UDP and a TCP socket that read and say nothing): the
//! name lookups of the network and directory checks stop at the time limit, and their findings
//! name the DNS server asked, with no placeholder text.
use super::common::{json, lab, outcomes};
use std::time::{Duration, Instant};

#[test]
fn a_silent_dns_server_is_named_in_the_no_answer_findings() {
    let lab = lab();
    let addr = "127.0.0.9:5399";
    let _udp = std::net::UdpSocket::bind(addr).expect("bind the silent DNS server (UDP)");
    let _tcp = std::net::TcpListener::bind(addr).expect("bind the silent DNS server (TCP)");
    let started = Instant::now();
    let o = lab
        .command(&[
            "check",
            "profiles/contoso-sync.toml",
            "--json",
            "--only",
            "net,ad",
            "--dns",
            addr,
            "--timeout",
            "1",
        ])
        .output()
        .expect("mim-setup runs");
    let took = started.elapsed();
    assert!(took < Duration::from_secs(6), "no hang: {took:?}");
    let r = json(&o);
    assert_eq!(o.status.code(), Some(1), "{r:#}");
    let net = outcomes(&r, "net-dns");
    let sql = net
        .iter()
        .find(|n| n["title"] == "DNS name corpsql.contoso.com")
        .unwrap_or_else(|| panic!("no DNS outcome for corpsql.contoso.com: {r:#}"));
    let dc = &outcomes(&r, "ad-dc")[0];
    for (o, check, name) in [
        (*sql, "dns-timeout", "corpsql.contoso.com"),
        (dc, "ad-dc-dns-timeout", "_ldap._tcp.contoso.local"),
    ] {
        let f = &o["findings"][0];
        assert_eq!(f["check"], check, "{o:#}");
        let all = f.to_string();
        assert!(all.contains("the DNS server 127.0.0.9 port 5399"), "{f:#}");
        assert!(f["message"].as_str().unwrap_or("").contains(name), "{f:#}");
        assert!(all.contains("dig @127.0.0.9 -p 5399"), "{f:#}");
        for placeholder in ["HOST", "PORT", "-Port"] {
            assert!(!all.contains(placeholder), "{placeholder} in {f:#}");
        }
    }
}
