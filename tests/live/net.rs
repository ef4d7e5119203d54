//! Network checks against the lab's DNS (Samba's, on 127.0.0.2).
use super::common::{json, lab, outcomes};

/// The domain controller's name resolves through the lab's DNS, with its address as
/// evidence; a name nobody registered is NXDOMAIN, blocking, within the time limit.
#[test]
fn names_resolve_through_the_lab_dns_and_a_missing_one_is_nxdomain() {
    let lab = lab();
    let o = lab.run(&[
        "check",
        "profiles/contoso-sync.toml",
        "--json",
        "--only",
        "net",
        "--set",
        "checks.dc=dc1.contoso.local",
        "--set",
        "sql.server=nosuchhost.contoso.local",
    ]);
    let r = json(&o);
    let dns = outcomes(&r, "net-dns");
    let dc = dns
        .iter()
        .find(|o| o["title"] == "DNS name dc1.contoso.local")
        .expect("the DC's name is checked");
    assert_eq!(dc["state"], "ok", "{dc}");
    assert!(
        dc["summary"].as_str().unwrap_or("").contains("127.0.0.2"),
        "{dc}"
    );
    let missing = dns
        .iter()
        .find(|o| o["title"] == "DNS name nosuchhost.contoso.local")
        .expect("the SQL server's name is checked");
    assert_eq!(missing["state"], "error", "{missing}");
    assert_eq!(missing["findings"][0]["check"], "dns-nxdomain");
    assert_eq!(r["facts"]["net.dns.nosuchhost.contoso.local"], "NXDOMAIN");
    assert_eq!(o.status.code(), Some(1));
}
